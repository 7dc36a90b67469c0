import type { ReactionKind, Reactions } from '@colloquy/api';

export interface ColloquyReactionDetail {
  topicId: string;
  /** The reply reacted to, or `null` for the topic itself. */
  replyId: string | null;
  kind: ReactionKind;
  /** Whether this reader's reaction is now on. */
  active: boolean;
  /** The counts after the toggle, as reported by the server. */
  reactions: Reactions;
}

/** The reader toggled a reaction and the server confirmed it. */
export class ColloquyReactionEvent extends CustomEvent<ColloquyReactionDetail> {
  constructor(detail: ColloquyReactionDetail) {
    super('colloquy-reaction', { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'colloquy-reaction': ColloquyReactionEvent;
  }
}
