import { Hono } from 'hono';
import { embedQuery, topicIdParam } from '@colloquy/api/schemas';
import {
  isFresh,
  notModified,
  PUBLIC_READ,
  validatingItself,
  VersionedBodies,
  versionTag,
} from '../caching.js';
import { notFound } from '../problem.js';
import { validate } from '../validate.js';
import type { AppDeps } from './deps.js';
import { readTopic } from './topic-read.js';

/** The renderer, loaded on the first fragment asked for: a server that renders none never loads Lit's SSR. */
let renderer: Promise<typeof import('@colloquy/ssr')> | undefined;
const ssr = () => (renderer ??= import('@colloquy/ssr'));

const HTML = 'text/html; charset=utf-8';

/**
 * `GET /api/v1/topics/:id/embed.html?lang=&url=`: the topic's elements rendered on the server (see
 * @colloquy/ssr) from the same read as the JSON read, for a host page to include on its own
 * server. Tagged and cached like the JSON read: one indexed lookup decides a 304, and the
 * fragment is rendered once per topic version, language, page URL and public origin, then kept in a
 * VersionedBodies of its own (bounded in entries and bytes). It shows what every reader sees
 * (no reader's own held replies), so the reader header changes nothing and shared caches may
 * keep it.
 */
export function embedRoutes({ store, config }: AppDeps) {
  const bodies = new VersionedBodies();
  /** Renders in progress, so that requests arriving together for a new version share one. */
  const rendering = new Map<string, Promise<{ body: Uint8Array; etag: string | null }>>();

  return new Hono().get(
    '/:id/embed.html',
    validate('param', topicIdParam),
    validate('query', embedQuery),
    async (c) => {
      const { id } = c.req.valid('param');
      const { renderLanguage, renderRead } = await ssr();
      const query = c.req.valid('query');
      const lang = renderLanguage(query.lang);
      const pageUrl = query.url ?? '';
      // The elements call the API at its public origin (as feeds link to it).
      const api = (config.publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');
      validatingItself(c);
      const version = await store.topicVersion(id);
      if (version === null) throw notFound(`No topic "${id}".`);
      const key = `${lang}\n${api}\n${pageUrl}\n${id}`;
      const kept = bodies.get(key, version);
      const etag = kept?.etag ?? versionTag('e', [version], [lang, api, pageUrl]);
      if (isFresh(c, etag)) return notModified(c, etag);
      const html = (body: Uint8Array, tag: string | null) => {
        if (tag) c.header('ETag', tag);
        c.header('Cache-Control', PUBLIC_READ);
        return c.body(body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': HTML });
      };
      if (kept) return html(kept.body, kept.etag);

      const inFlight = `${version}\n${key}`;
      let render = rendering.get(inFlight);
      if (!render) {
        render = (async () => {
          const read = await readTopic(store, id, { limit: config.pageSize, readerHash: null });
          const body = Buffer.from(
            renderRead(read, { api, topic: id, lang, pageUrl: pageUrl || undefined }).html,
            'utf8',
          );
          // A write during the read: the fragment may be newer than the tag, so it gets none.
          if ((await store.topicVersion(id)) !== version) return { body, etag: null };
          return { body: bodies.keep(key, version, etag, body), etag };
        })().finally(() => rendering.delete(inFlight));
        rendering.set(inFlight, render);
      }
      const { body, etag: tag } = await render;
      if (tag && isFresh(c, tag)) return notModified(c, tag);
      return html(body, tag);
    },
  );
}
