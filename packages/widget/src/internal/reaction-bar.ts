import { html } from 'lit';
import { REACTION_KINDS, type ReactionKind, type Reactions } from '@colloquy/api';
import type { I18n } from '../i18n/messages.js';

/**
 * The reaction icons, as the path of a 16×16 drawing in the text colour, so they look the same
 * on every machine (an emoji glyph is an empty box where there is no emoji font) and follow the
 * theme and forced colours: a thumb up, a light bulb, and the thumb turned down.
 */
const ICONS: Record<ReactionKind, string> = {
  like: 'M1 7h3v8H1zm4 0 3-6c2 0 2 2 1 5h5l-1 9H5z',
  insightful: 'M5 11a5 5 0 1 1 6 0v1H5zm0 2h6v2H5z',
  disagree: 'M1 9h3V1H1zm4 0 3 6c2 0 2-2 1-5h5l-1-9H5z',
};

/**
 * The three reaction buttons of the topic or of one reply, with their counts. `pressed` says
 * which of them this reader has on (Lit writes the boolean into `aria-pressed` as "true" or
 * "false"), `toggle` is called with the kind of a clicked one, and `disabled` holds them all
 * (a reply still being sent). Each icon is hidden from assistive technology, which reads the
 * button's text label instead. A plain template, so it renders on a server as in the browser.
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
          <svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d=${ICONS[kind]}></path></svg
          ><span class="sr">${t[kind]}</span>
          <span part="count">${num(reactions[kind])}</span>
        </button>`,
    )}
  </div>`;
