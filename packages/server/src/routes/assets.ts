import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { Hono } from 'hono';
import type { AppConfig } from '../config.js';
import { ProblemError } from '../problem.js';

/** The embed bundle. Its ETag is recomputed only when the file changes (size, mtime, inode). */
export function assetRoutes(config: AppConfig) {
  let cached: { version: string; etag: string; body: Uint8Array } | null = null;

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
      cached = { version, etag: `"${createHash('sha256').update(body).digest('base64url')}"`, body };
    }
    return cached;
  }

  return new Hono().get('/widget.js', async (c) => {
    const { etag, body } = await bundle();
    const headers = {
      'Content-Type': 'text/javascript; charset=utf-8',
      ETag: etag,
      'Cache-Control': 'public, max-age=3600, stale-while-revalidate=86400',
      // A module script from another origin is fetched in CORS mode; without this the host
      // page's browser refuses to run it.
      'Access-Control-Allow-Origin': '*',
    };
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
