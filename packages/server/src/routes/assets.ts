import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import type { AppConfig } from '../config.js';
import { ProblemError } from '../problem.js';

type Encoding = 'br' | 'gzip' | 'identity';

/** One representation of the bundle: its bytes and a strong ETag of its own, as HTTP requires. */
interface Variant {
  etag: string;
  body: Uint8Array;
}

/** The coding to send: brotli, else gzip, else none, among those the client accepts. */
function negotiate(acceptEncoding: string | undefined): Encoding {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name) accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (name: string) => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return 'identity';
}

/**
 * The embed bundle, compressed once per file version (brotli at its best quality, gzip at
 * level 9) rather than on every request, since every reader downloads it. The versions are
 * rebuilt only when the file changes (size, mtime, inode).
 */
export function assetRoutes(config: AppConfig) {
  let cached: { version: string; variants: Record<Encoding, Variant> } | null = null;

  async function bundle() {
    const path = config.widgetBundlePath;
    const stats = await stat(path).catch(() => null);
    if (!stats?.isFile()) {
      throw new ProblemError(
        503,
        'widget-not-built',
        'Widget bundle missing',
        'The widget bundle has not been built; run npm run build.',
      );
    }
    const version = `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
    if (cached?.version !== version) {
      const body = await readFile(path);
      const hash = createHash('sha256').update(body).digest('base64url');
      cached = {
        version,
        variants: {
          identity: { etag: `"${hash}"`, body },
          gzip: { etag: `"${hash}-gz"`, body: gzipSync(body, { level: 9 }) },
          br: {
            etag: `"${hash}-br"`,
            body: brotliCompressSync(body, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: 11,
                [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
              },
            }),
          },
        },
      };
    }
    return cached.variants;
  }

  return new Hono().get('/widget.js', async (c) => {
    const encoding = negotiate(c.req.header('Accept-Encoding'));
    const { etag, body } = (await bundle())[encoding];
    const headers: Record<string, string> = {
      'Content-Type': 'text/javascript; charset=utf-8',
      ETag: etag,
      'Cache-Control': 'public, max-age=3600, stale-while-revalidate=86400',
      Vary: 'Accept-Encoding',
      // A module script from another origin is fetched in CORS mode; without this the host
      // page's browser refuses to run it.
      'Access-Control-Allow-Origin': '*',
    };
    if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
    if (matchesEtag(c.req.header('If-None-Match'), etag)) return c.body(null, 304, headers);
    return c.body(body as Uint8Array<ArrayBuffer>, 200, headers);
  });
}

/** If-None-Match uses the weak comparison: `W/` is ignored, `*` matches anything. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}
