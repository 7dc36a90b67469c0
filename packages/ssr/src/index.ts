/**
 * @colloquy/ssr: Colloquy's elements rendered on a server, with their data and the topic's
 * schema.org JSON-LD, for pages that show a discussion before (and without) JavaScript.
 */
export {
  DiscussionReadError,
  ELEMENTS,
  embedJson,
  renderDiscussion,
  renderEmpty,
  renderLanguage,
  renderRead,
  type DiscussionOptions,
  type ElementName,
  type RenderedDiscussion,
  type RenderOptions,
} from './render.js';
export { discussionJsonLd } from './json-ld.js';
