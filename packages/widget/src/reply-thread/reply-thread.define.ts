import { isServer } from 'lit';
import { defineElement } from '../internal/define.js';
import { ReplyThread } from './reply-thread.js';

export { ReplyThread };

defineElement('reply-thread', ReplyThread);

/**
 * A page whose hash names a reply (`#reply-<id>`, a reply's permalink), when it loads and
 * whenever the hash changes: the module that goes to it is loaded (only then).
 */
const follow = () =>
  /^#reply-./.test(location.hash) && import('./permalink.js').then((link) => link.follow());
if (!isServer) {
  addEventListener('hashchange', follow);
  follow();
}

declare global {
  interface HTMLElementTagNameMap {
    'reply-thread': ReplyThread;
  }
}
