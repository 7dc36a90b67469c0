// Serves a framework example's built files (its Vite `dist/`) from an origin of its own, as an
// app's host would, with the page's `<meta name="colloquy-api">` pointed at the API under test.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
/** The API origin the examples' index.html files name; replaced by the one under test. */
const PAGE_API_ORIGIN = 'http://localhost:8787';

/**
 * @param {{ root: string, port: number, apiOrigin: string }} options `root`: the built folder.
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
export function serveBuiltApp({ root, port, apiOrigin }) {
  const base = normalize(root + sep);
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(base, path.endsWith('/') ? join(path, 'index.html') : path);
    const type = TYPES[extname(file)];
    if (!file.startsWith(base) || !type || req.method !== 'GET') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    try {
      let body = await readFile(file, 'utf8');
      if (type.startsWith('text/html')) body = body.replaceAll(PAGE_API_ORIGIN, apiOrigin);
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache' }).end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () =>
      resolve({
        url: `http://localhost:${port}/`,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    );
  });
}
