import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { type Context, Hono } from 'hono';
import { brotli, type Encoding, negotiate } from '../compression.js';
import type { AppConfig } from '../config.js';
import { notFound, ProblemError } from '../problem.js';

/** One representation of a file: its bytes and a strong ETag of its own, as HTTP requires. */
interface Variant {
  etag: string;
  body: Uint8Array;
}

/** A chunk's file name as rollup writes it: name, hash and `.js`, no path. */
const CHUNK_NAME = /^[A-Za-z0-9_-]{1,100}\.js$/;

/** Chunk files kept compressed at once; the build writes a handful, a rebuild a few more. */
const MAX_CACHED_FILES = 64;

const JS_HEADERS = {
  'Content-Type': 'text/javascript; charset=utf-8',
  Vary: 'Accept-Encoding',
  // A module script from another origin is fetched in CORS mode; without this the host
  // page's browser refuses to run it.
  'Access-Control-Allow-Origin': '*',
};

/**
 * The script-tag bundle at /widget.js and the chunks it loads at /widget/<name>, each
 * compressed once per file version (brotli at its best quality, gzip at level 9) rather than
 * on every request, since every reader downloads them. A version is rebuilt only when its file
 * changes (size, mtime, inode). The chunks' names carry a hash of their content, so they may
 * be cached for good; /widget.js keeps its name and is revalidated.
 */
export function assetRoutes(config: AppConfig) {
  const cached = new Map<string, { version: string; variants: Record<Encoding, Variant> }>();

  /** The variants of the file at `path`, or null when there is no such file. */
  async function variants(path: string) {
    const stats = await stat(path).catch(() => null);
    if (!stats?.isFile()) return null;
    const version = `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
    let entry = cached.get(path);
    if (entry?.version !== version) {
      const body = await readFile(path);
      const hash = createHash('sha256').update(body).digest('base64url');
      entry = {
        version,
        variants: {
          identity: { etag: `"${hash}"`, body },
          gzip: { etag: `"${hash}-gz"`, body: gzipSync(body, { level: 9 }) },
          br: { etag: `"${hash}-br"`, body: brotli(body) },
        },
      };
      cached.delete(path);
      cached.set(path, entry);
      for (const oldest of cached.keys()) {
        if (cached.size <= MAX_CACHED_FILES) break;
        cached.delete(oldest);
      }
    }
    return entry.variants;
  }

  function send(c: Context, files: Record<Encoding, Variant>, cacheControl: string) {
    const encoding = negotiate(c.req.header('Accept-Encoding'));
    const { etag, body } = files[encoding];
    const headers: Record<string, string> = { ...JS_HEADERS, ETag: etag, 'Cache-Control': cacheControl };
    if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
    if (matchesEtag(c.req.header('If-None-Match'), etag)) return c.body(null, 304, headers);
    return c.body(body as Uint8Array<ArrayBuffer>, 200, headers);
  }

  return new Hono()
    .get('/widget.js', async (c) => {
      const files = await variants(config.widgetBundlePath);
      if (!files) {
        throw new ProblemError(
          503,
          'widget-not-built',
          'Widget bundle missing',
          'The widget bundle has not been built; run npm run build.',
        );
      }
      return send(c, files, 'public, max-age=3600, stale-while-revalidate=86400');
    })
    .get('/widget/:file', async (c) => {
      const name = c.req.param('file');
      // Only a plain file name: no path, no dot segments, nothing but what rollup writes.
      const files = CHUNK_NAME.test(name) ? await variants(join(chunkDirectory(config), name)) : null;
      if (!files) throw notFound(`No widget chunk "${name.slice(0, 100)}".`);
      return send(c, files, 'public, max-age=31536000, immutable');
    });
}

/** Where the chunks of the script-tag bundle are: `widget/` beside the bundle. */
export const chunkDirectory = (config: Pick<AppConfig, 'widgetBundlePath'>) =>
  join(dirname(config.widgetBundlePath), 'widget');

/** If-None-Match uses the weak comparison: `W/` is ignored, `*` matches anything. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}
