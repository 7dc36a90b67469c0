/**
 * What a server needs to render the elements (see @colloquy/ssr): their definitions and the
 * ways to hand them a read and a catalog. Built (as dist/ssr/elements.js) with the same
 * template minification as the script-tag bundle, so the templates a server renders are,
 * string for string, those the browser's elements hydrate: Lit matches them by a hash of their
 * text.
 */
import '../define.js';

export { topicUrl } from '../api/urls.js';
export { addCatalog } from '../i18n/messages.js';
export { forgetStore } from '../store/topic-store.js';
export { primeStore } from './prime.js';
export type { PageData } from './page-data.js';
