import type { ColloquyError } from '../api/client.js';

export interface ColloquyErrorDetail {
  /** What failed. */
  action: 'load' | 'load-more' | 'post' | 'react' | 'edit' | 'delete' | 'report';
  error: ColloquyError;
  /** The message shown to the reader. */
  message: string;
}

/** Loading, posting, reacting, editing or deleting failed; the element shows the message to the reader as well. */
export class ColloquyErrorEvent extends CustomEvent<ColloquyErrorDetail> {
  constructor(detail: ColloquyErrorDetail) {
    super('colloquy-error', { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'colloquy-error': ColloquyErrorEvent;
  }
}
