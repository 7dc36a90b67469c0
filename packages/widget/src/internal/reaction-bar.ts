import { html } from 'lit';
import { REACTION_KINDS, type ReactionKind, type Reactions } from '@colloquy/api';
import type { I18n } from '../i18n/messages.js';

const EMOJI: Record<ReactionKind, string> = { like: '👍', insightful: '💡', disagree: '👎' };

/**
 * The three reaction buttons of the topic or of one reply, with their counts. `pressed` says
 * which of them this reader has on (Lit writes the boolean into `aria-pressed` as "true" or
 * "false"), `toggle` is called with the kind of a clicked one, and `disabled` holds them all
 * (a reply still being sent). A plain template, so it renders on a server as in the browser.
 */
export const reactionBar = (
  { t, num }: I18n,
  reactions: Reactions,
  pressed: (kind: ReactionKind) => boolean,
  toggle: (kind: ReactionKind) => unknown,
  disabled?: boolean,
): unknown =>
  html`<div part="reactions" class="reactions" role="group" aria-label=${t.reactions}>
    ${REACTION_KINDS.map(
      (kind) =>
        html`<button part="reaction" type="button" ?disabled=${disabled}
          aria-pressed=${pressed(kind)}
          @click=${() => toggle(kind)}>
          <span aria-hidden="true">${EMOJI[kind]}</span><span class="sr">${t[kind]}</span>
          <span part="count">${num(reactions[kind])}</span>
        </button>`,
    )}
  </div>`;
