/** Registers `<topic-card>`, `<source-list>` and `<reply-thread>` (where the tags are free). */
import './topic-card/topic-card.define.js';
import './source-list/source-list.define.js';
import './reply-thread/reply-thread.define.js';

export { setMessages } from './i18n/messages.js';
