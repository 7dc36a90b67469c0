// @lit-labs/ssr first: its Lit build brings the DOM shim the element classes need in Node.
import { render } from '@lit-labs/ssr';
import { collectResultSync } from '@lit-labs/ssr/lib/render-result.js';
import { html, nothing } from 'lit';
import { createRequire } from 'node:module';
import type { TopicWithReplies } from '@colloquy/api';
import type { Messages } from '@colloquy/widget';
// The elements with their templates exactly as the script-tag bundle has them (see there).
import {
  addCatalog,
  forgetStore,
  type PageData,
  primeStore,
  topicUrl,
} from '@colloquy/widget/ssr/elements.js';
import { discussionJsonLd } from './json-ld.js';

/** The elements a discussion is shown with, in page order. */
export const ELEMENTS = ['topic-card', 'source-list', 'reply-thread'] as const;
export type ElementName = (typeof ELEMENTS)[number];

/** What to render: which topic of which server, how. */
export interface RenderOptions {
  /** The Colloquy server's public origin (and path prefix), as the elements' `api` attribute. */
  api: string;
  /** The topic id (a slug, or a page topic's URL). */
  topic: string;
  /** The UI language; its primary subtag is used when there is a catalog for it, else English. */
  lang?: string | undefined;
  /** Which elements, in this order; default all three. */
  elements?: readonly ElementName[] | undefined;
  /** The elements' `heading-level` (default 2). */
  headingLevel?: number | undefined;
  /** The elements' `theme` attribute. */
  theme?: 'light' | 'dark' | 'auto' | undefined;
  /** The host page's URL, for the JSON-LD when the topic names none. */
  pageUrl?: string | undefined;
}

// Every catalog the widget ships, so that no render ever asks the server for one.
const catalogs = createRequire(import.meta.url)('@colloquy/widget/catalogs.json') as Record<
  string,
  Partial<Messages>
>;
for (const [language, catalog] of Object.entries(catalogs)) addCatalog(language, catalog);

/**
 * The language a discussion is rendered in: `lang`'s primary subtag when the widget has a
 * catalog for it, else English. Only these few values reach the elements, so the formats and
 * catalogs a server keeps stay bounded whatever languages are asked for.
 */
export function renderLanguage(lang: string | undefined): string {
  const language = (lang ?? '').split('-', 1).join('').toLowerCase();
  return Object.hasOwn(catalogs, language) ? language : 'en';
}

/**
 * JSON for a `<script>` element: every `<` escaped as `\u003c`, so neither `</script` nor
 * `<!--` in a reply can end the element or change how the HTML parser reads it; JSON.parse
 * reads the escape back as `<`.
 */
export const embedJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * The chosen elements' markup, each rendered on its own, in the order asked for: from `read`
 * when there is one (in the page-wide store of the server build, primed for this render only),
 * else in their loading state. The render is synchronous, so no other render sees the store;
 * it is forgotten afterwards either way (the elements ask for it even without a read).
 */
function renderElements(
  options: RenderOptions,
  lang: string,
  read?: TopicWithReplies,
): Partial<Record<ElementName, string>> {
  const { api, topic, headingLevel = 2 } = options;
  const theme = options.theme ?? nothing;
  // One template per tag: a Lit template cannot vary its tag name.
  const templates: Record<ElementName, () => unknown> = {
    'topic-card': () => html`<topic-card topic=${topic} api=${api} lang=${lang}
      heading-level=${headingLevel} theme=${theme}></topic-card>`,
    'source-list': () => html`<source-list topic=${topic} api=${api} lang=${lang}
      heading-level=${headingLevel} theme=${theme}></source-list>`,
    'reply-thread': () => html`<reply-thread topic=${topic} api=${api} lang=${lang}
      heading-level=${headingLevel} theme=${theme}></reply-thread>`,
  };
  const rendered: Partial<Record<ElementName, string>> = {};
  if (read) primeStore(api, topic, read);
  try {
    for (const name of new Set(options.elements ?? ELEMENTS))
      rendered[name] = collectResultSync(render(templates[name]()));
  } finally {
    forgetStore(api, topic);
  }
  return rendered;
}

/** A discussion rendered for a page. */
export interface RenderedDiscussion {
  /** Everything, in order: the elements, then {@link scripts}. */
  html: string;
  /** Each element's markup, for a page that puts them in different places. */
  elements: Partial<Record<ElementName, string>>;
  /**
   * The read (and catalog) for the browser's elements to hydrate from, and the schema.org
   * JSON-LD: once per page, anywhere in it. Empty when the topic was rendered without data.
   */
  scripts: string;
}

const joined = (elements: Partial<Record<ElementName, string>>, scripts: string): RenderedDiscussion => ({
  html: Object.values(elements).join('') + scripts,
  elements,
  scripts,
});

/**
 * The discussion rendered from `read` (the topic's read as `GET /api/v1/topics/:id` answers
 * it): the elements by Lit into Declarative Shadow DOM, the same read and catalog in a
 * `<script type="application/json" data-colloquy>` for the browser's elements to hydrate from,
 * and the schema.org JSON-LD. Synchronous: the read is given.
 */
export function renderRead(read: TopicWithReplies, options: RenderOptions): RenderedDiscussion {
  const lang = renderLanguage(options.lang);
  const api = options.api.replace(/\/+$/, '');
  const elements = renderElements({ ...options, api }, lang, read);
  const data: PageData = { api, topic: options.topic, lang, read };
  if (lang !== 'en' && catalogs[lang]) data.messages = catalogs[lang];
  const scripts =
    `<script type="application/json" data-colloquy>${embedJson(data)}</script>` +
    `<script type="application/ld+json">${embedJson(discussionJsonLd(read, options.pageUrl))}</script>`;
  return joined(elements, scripts);
}

/**
 * The elements without data, as the plain script tag has them: they read their topic in the
 * browser.
 */
export function renderEmpty(options: RenderOptions): RenderedDiscussion {
  const lang = renderLanguage(options.lang);
  return joined(renderElements({ ...options, api: options.api.replace(/\/+$/, '') }, lang), '');
}

/** A read that failed: `status` is the HTTP status (0: the server could not be reached). */
export class DiscussionReadError extends Error {
  override name = 'DiscussionReadError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface DiscussionOptions extends RenderOptions {
  /** The topic's read, when the app has it; else it is fetched from `api`. */
  read?: TopicWithReplies | undefined;
  /** The fetch to read with (default: the global one). */
  fetch?: typeof fetch | undefined;
  /** Ends the read (default: after 5 seconds). */
  signal?: AbortSignal | undefined;
}

/**
 * Renders a discussion for a Node host app's page: the topic's read (given, or fetched from
 * the Colloquy server at `api`) through {@link renderRead}; `.html` is the whole. A topic the server does not have
 * yet (a page topic before its first reply) renders without data: the elements read it in
 * the browser as the script tag has them do. Any other failed read rejects with a
 * {@link DiscussionReadError}.
 */
export async function renderDiscussion(options: DiscussionOptions): Promise<RenderedDiscussion> {
  if (options.read) return renderRead(options.read, options);
  const { fetch: get = fetch, signal = AbortSignal.timeout(5000) } = options;
  const url = topicUrl(options.api.replace(/\/+$/, ''), options.topic);
  let response: Response;
  try {
    response = await get(url, { headers: { accept: 'application/json' }, signal });
  } catch (error) {
    throw new DiscussionReadError(`Could not reach ${url}: ${(error as Error).message}`, 0);
  }
  if (response.status === 404) {
    await response.body?.cancel();
    return renderEmpty(options);
  }
  if (!response.ok) {
    const problem = (await response.json().catch(() => null)) as { detail?: string } | null;
    throw new DiscussionReadError(problem?.detail ?? `HTTP ${response.status} from ${url}`, response.status);
  }
  return renderRead((await response.json()) as TopicWithReplies, options);
}
