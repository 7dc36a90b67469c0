import type { Reply } from '@colloquy/api';

/** The reader's reply was accepted by the server; `detail` is the stored reply. */
export class ColloquyReplyPostedEvent extends CustomEvent<Reply> {
  constructor(reply: Reply) {
    super('colloquy-reply-posted', { detail: reply, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'colloquy-reply-posted': ColloquyReplyPostedEvent;
  }
}
