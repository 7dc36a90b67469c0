// Variants of the demo article page for the host-page part, served from their own origin with
// node:http (the page in examples/script-tag/ is left alone): transformed in memory from
// examples/script-tag/index.html, with style.css served as it is.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PAGE_API_ORIGIN } from '../examples/script-tag/serve.js';

const EXAMPLE = new URL('../examples/script-tag/', import.meta.url);
const SCRIPT_TAG = /\s*<!--[^>]*-->\s*<script type="module" src="[^"]*\/widget\.js"><\/script>/;
const ELEMENT = (tag) => new RegExp(`\\s*<${tag} topic="rsp-update"[^>]*></${tag}>`);
const TAGS = ['topic-card', 'source-list', 'reply-thread'];

/** Pixel height of the spacer that puts the elements far below the fold on the lazy page. */
export const SPACER_PX = 5000;

function must(text, pattern) {
  if (!pattern.test(text)) throw new Error(`host-site: ${pattern} not found in index.html`);
  return text;
}

/**
 * The page variants, by path:
 * - `/plain.html`: the article page without the widget (no script tag, no elements);
 * - `/widget-<topic>.html`: the page as shipped, with the elements showing `topic`;
 * - `/lazy-<topic>.html`: the page as shipped with a spacer of SPACER_PX before the elements.
 */
export function pageVariants(apiOrigin) {
  const original = readFileSync(fileURLToPath(new URL('index.html', EXAMPLE)), 'utf8').replaceAll(
    PAGE_API_ORIGIN,
    apiOrigin,
  );
  for (const tag of TAGS) must(original, ELEMENT(tag));
  must(original, SCRIPT_TAG);
  let plain = original.replace(SCRIPT_TAG, '');
  for (const tag of TAGS) plain = plain.replace(ELEMENT(tag), '');
  // The elements' own containers stay (an empty <article> and <section>), as a page without
  // the widget would keep its article markup.
  const forTopic = (topic) => original.replaceAll('topic="rsp-update"', `topic="${topic}"`);
  const lazy = (topic) =>
    forTopic(topic).replace(
      /(<a class="back"[^>]*>[^<]*<\/a>)/,
      `$1\n      <div class="bench-spacer" style="height:${SPACER_PX}px" aria-hidden="true"></div>`,
    );
  // The page with the elements server-rendered: the three elements give way to the fragment of
  // GET /api/v1/topics/:id/embed.html, included where examples/express puts it (the discussion
  // section), and the script tag stays to hydrate them.
  const serverRendered = (fragment) =>
    plain
      .replace(/(<section aria-label="Discussion">)/, `$1\n${fragment}`)
      .replace(
        '</head>',
        `  ${original.match(/<script type="module" src="[^"]*\/widget\.js"><\/script>/)?.[0] ?? ''}\n  </head>`,
      );
  return { plain, forTopic, lazy, serverRendered };
}

/**
 * Starts the variant site on `port`. `topics` are the topic ids pages are made for. With
 * `fragment` (topic id and page URL → the embed.html fragment, fetched as a server-side include
 * would on each request), also `/ssr-<topic>.html`: the page with the elements server-rendered.
 * @param {{ port: number, apiOrigin: string, topics: string[], fragment?: (topic: string, pageUrl: string) => Promise<string> }} options
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>}
 */
export function serveVariants({ port, apiOrigin, topics, fragment }) {
  const { plain, forTopic, lazy, serverRendered } = pageVariants(apiOrigin);
  /** @type {Map<string, string | ((pageUrl: string) => Promise<string>)>} */
  const pages = new Map([['/plain.html', plain]]);
  for (const topic of topics) {
    pages.set(`/widget-${topic}.html`, forTopic(topic));
    pages.set(`/lazy-${topic}.html`, lazy(topic));
    if (fragment) {
      pages.set(`/ssr-${topic}.html`, async (pageUrl) => serverRendered(await fragment(topic, pageUrl)));
    }
  }
  const css = readFileSync(fileURLToPath(new URL('style.css', EXAMPLE)), 'utf8');
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const path = url.pathname;
    const entry = pages.get(path);
    if (req.method !== 'GET') {
      res.writeHead(405).end();
    } else if (entry !== undefined) {
      let page;
      try {
        page = typeof entry === 'string' ? entry : await entry(url.origin + path);
      } catch (error) {
        res.writeHead(502, { 'Content-Type': 'text/plain' }).end(String(error));
        return;
      }
      res
        .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' })
        .end(page);
    } else if (path === '/style.css') {
      res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' }).end(css);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      const actual = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
      resolve({
        port: actual,
        url: `http://localhost:${actual}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
