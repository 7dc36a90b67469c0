import { Hono } from 'hono';
import { de } from '@colloquy/widget/i18n/de.js';
import { en } from '@colloquy/widget/i18n/messages.js';
import { notFound } from '../problem.js';

/**
 * The elements' UI strings for languages other than English, which the script-tag bundle
 * leaves out: each extra language costs only the readers who use it one cached read.
 */
const CATALOGS: Record<string, object> = { en, de };
const LANGUAGES = Object.keys(CATALOGS).join(', ');

export function messageRoutes() {
  return new Hono().get('/messages/:lang', (c) => {
    const lang = c.req.param('lang');
    const catalog = Object.hasOwn(CATALOGS, lang) ? CATALOGS[lang] : undefined;
    if (!catalog) throw notFound(`No UI strings for "${lang.slice(0, 20)}"; available: ${LANGUAGES}.`);
    c.header('Cache-Control', 'public, max-age=86400, stale-while-revalidate=604800');
    return c.json(catalog);
  });
}
