import { Hono } from 'hono';
import { embedQuery, topicIdParam } from '@colloquy/api/schemas';
import {
  encodedTag,
  isFresh,
  type KeptBody,
  keptBytes,
  notModified,
  PUBLIC_READ,
  validatingItself,
  VersionedBodies,
  versionTag,
} from '../caching.js';
import { negotiate } from '../compression.js';
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
 * keep it. Like the JSON read, it goes out brotli- or gzip-compressed as the client accepts,
 * each coding compressed once per kept fragment, with an ETag of its own.
 */
export function embedRoutes({ store, config }: AppDeps) {
  const bodies = new VersionedBodies();
  /**
   * Renders in progress, so that requests arriving together for a new version share one: the
   * kept fragment, or its bare bytes when a write came during the read.
   */
  const rendering = new Map<string, Promise<KeptBody | Uint8Array>>();

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
      // Kept fragments go out compressed as the client accepts, like the JSON read.
      c.header('Vary', 'Accept-Encoding');
      const version = await store.topicVersion(id);
      if (version === null) throw notFound(`No topic "${id}".`);
      const encoding = negotiate(c.req.header('Accept-Encoding'));
      const key = `${lang}\n${api}\n${pageUrl}\n${id}`;
      const kept = bodies.get(key, version);
      const tag = kept?.etag ?? versionTag('e', [version], [lang, api, pageUrl]);
      const etag = encodedTag(tag, encoding);
      if (isFresh(c, etag)) return notModified(c, etag, 'Accept-Encoding');
      const send = (entry: KeptBody) => {
        c.header('ETag', etag);
        c.header('Cache-Control', PUBLIC_READ);
        return keptBytes(c, bodies.encode(entry, encoding), encoding, HTML);
      };
      if (kept) return send(kept);

      const inFlight = `${version}\n${key}`;
      let render = rendering.get(inFlight);
      if (!render) {
        render = (async () => {
          const read = await readTopic(store, id, { limit: config.pageSize, readerHash: null });
          const html = renderRead(read, { api, topic: id, lang, pageUrl: pageUrl || undefined }).html;
          const body = Buffer.from(html, 'utf8');
          // A write during the read: the fragment may be newer than the tag, so it is not kept.
          if ((await store.topicVersion(id)) !== version) return body;
          return bodies.keep(key, version, tag, body);
        })().finally(() => rendering.delete(inFlight));
        rendering.set(inFlight, render);
      }
      const rendered = await render;
      if (!(rendered instanceof Uint8Array)) {
        if (isFresh(c, etag)) return notModified(c, etag, 'Accept-Encoding');
        return send(rendered);
      }
      c.header('Cache-Control', PUBLIC_READ);
      return c.body(rendered as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': HTML });
    },
  );
}
