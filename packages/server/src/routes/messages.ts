import { readFile, stat } from 'node:fs/promises';
import { Hono } from 'hono';
import type { AppConfig } from '../config.js';
import { notFound, ProblemError } from '../problem.js';

/** The catalogs file as read, kept until the file changes (size, mtime, inode). */
interface Catalogs {
  version: string;
  /** Each language's catalog, serialized once. */
  bodies: Map<string, string>;
  languages: string;
}

/**
 * The elements' UI strings for languages other than English, which the script-tag bundle
 * leaves out: each extra language costs only the readers who use it one cached read. They come
 * from the widget's built catalogs file (see scripts/catalogs.js), so the server needs nothing
 * of the widget's code.
 */
export function messageRoutes(config: Pick<AppConfig, 'catalogsPath'>) {
  let cached: Catalogs | null = null;

  async function catalogs(): Promise<Catalogs> {
    const path = config.catalogsPath;
    const stats = await stat(path).catch(() => null);
    if (!stats?.isFile()) {
      throw new ProblemError(
        503,
        'widget-not-built',
        'Message catalogs missing',
        "The widget's message catalogs have not been built; run npm run build.",
      );
    }
    const version = `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
    if (cached?.version !== version) {
      const parsed = JSON.parse(await readFile(path, 'utf8')) as Record<string, object>;
      const bodies = new Map(
        Object.entries(parsed).map(([lang, catalog]) => [lang, JSON.stringify(catalog)]),
      );
      cached = { version, bodies, languages: [...bodies.keys()].join(', ') };
    }
    return cached;
  }

  return new Hono().get('/messages/:lang', async (c) => {
    const lang = c.req.param('lang');
    const { bodies, languages } = await catalogs();
    const body = bodies.get(lang);
    if (body === undefined)
      throw notFound(`No UI strings for "${lang.slice(0, 20)}"; available: ${languages}.`);
    c.header('Cache-Control', 'public, max-age=86400, stale-while-revalidate=604800');
    return c.body(body, 200, { 'Content-Type': 'application/json' });
  });
}
