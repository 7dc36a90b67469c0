// A news site's article page, served by an Express app, with the discussion rendered on the
// server: readers and search engines get the topic, its sources and replies in the HTML, and
// the usual script tag hydrates them. Two ways:
//   /           renderDiscussion() from @colloquy/ssr, elements placed where the page wants them
//   /fragment   the Colloquy server's GET /api/v1/topics/:id/embed.html included as it is, as a
//               server-side or edge include would (revalidated with its ETag)
import { fileURLToPath } from 'node:url';
import express from 'express';
import { renderDiscussion } from '@colloquy/ssr';

const STYLE = fileURLToPath(new URL('../script-tag/style.css', import.meta.url));
const TOPIC = 'rsp-update';

const escapeAttr = (value) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The article page around the discussion's parts; `api` is the Colloquy server's origin. */
const page = (api, { article, discussion, scripts }) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Updated Responsible Scaling Policy: a step towards safe AI · Aivizor</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/style.css" />
    <script type="module" src="${escapeAttr(api)}/widget.js"></script>
  </head>
  <body>
    <header class="site"><a class="brand" href="/">Aivizor</a></header>
    <main>
      <article>${article}</article>
      <section aria-label="Discussion">${discussion}</section>
      ${scripts}
    </main>
    <footer class="site"><p>Aivizor — a news site that renders its discussions on the server.</p></footer>
  </body>
</html>
`;

/**
 * The embed.html fragment of `api`, kept with its ETag and revalidated on each use (a 304
 * costs the Colloquy server one indexed lookup), as a caching include would.
 */
function fragmentCache(api, pageUrl) {
  let kept = null;
  const url = `${api}/api/v1/topics/${TOPIC}/embed.html?lang=en&url=${encodeURIComponent(pageUrl)}`;
  return async () => {
    const headers = kept ? { 'If-None-Match': kept.etag } : {};
    const res = await fetch(url, {
      headers,
      signal: AbortSignal.timeout(5000),
    });
    if (res.status === 304 && kept) return kept.html;
    if (!res.ok) throw new Error(`embed.html: HTTP ${res.status}`);
    const html = await res.text();
    const etag = res.headers.get('ETag');
    kept = etag ? { etag, html } : null;
    return html;
  };
}

/**
 * Starts the site on `port` (0: any free one) for the Colloquy server at `api`.
 * @param {{ api: string, port?: number }} options
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
export function startSite({ api, port = 0 }) {
  const app = express();
  // The page's public URL, for the JSON-LD (search engines want the discussion's URL): the
  // site's configured origin, else the one the request came to.
  const pageUrl = (req) =>
    new URL(req.path, process.env.SITE_URL ?? `${req.protocol}://${req.get('host')}`).href;
  let fragment;
  app.get('/style.css', (_req, res) => res.sendFile(STYLE));
  app.get('/', async (req, res, next) => {
    try {
      const { elements, scripts } = await renderDiscussion({
        api,
        topic: TOPIC,
        lang: 'en',
        pageUrl: pageUrl(req),
      });
      const article = (elements['topic-card'] ?? '') + (elements['source-list'] ?? '');
      res.type('html').send(page(api, { article, discussion: elements['reply-thread'] ?? '', scripts }));
    } catch (error) {
      next(error);
    }
  });
  app.get('/fragment', async (req, res, next) => {
    try {
      fragment ??= fragmentCache(api, pageUrl(req));
      res.type('html').send(page(api, { article: '', discussion: await fragment(), scripts: '' }));
    } catch (error) {
      next(error);
    }
  });
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (error) => {
      if (error) return reject(error);
      const { port: actual } = server.address();
      resolve({
        url: `http://localhost:${actual}/`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const api = process.env.COLLOQUY_API ?? 'http://localhost:8787';
  const site = await startSite({ api, port: Number(process.env.PORT ?? 8081) });
  console.log(`Article, rendered with renderDiscussion(): ${site.url}`);
  console.log(`Article, with the embed.html fragment:     ${site.url}fragment`);
}
