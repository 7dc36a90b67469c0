import { defineElement } from '../internal/define.js';
import { ReplyThread } from './reply-thread.js';

export { ReplyThread };

defineElement('reply-thread', ReplyThread);

declare global {
  interface HTMLElementTagNameMap {
    'reply-thread': ReplyThread;
  }
}
