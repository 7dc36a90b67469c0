import type { TopicWithReplies } from '@colloquy/api';
import type { Messages } from '../i18n/messages.js';

/**
 * What a server-rendered discussion carries for the browser, in a
 * `<script type="application/json" data-colloquy>` beside its elements: the read it was
 * rendered from and, for a language other than English, the catalog, so that the elements
 * hydrate from the same data and strings without a request.
 */
export interface PageData {
  api: string;
  topic: string;
  /** The language subtag the elements were rendered in. */
  lang: string;
  read: TopicWithReplies;
  /** The catalog of `lang`, when it is not English. */
  messages?: Partial<Messages>;
}

/** The selector of the scripts that carry {@link PageData} (their type is application/json). */
export const PAGE_DATA = 'script[data-colloquy]';
