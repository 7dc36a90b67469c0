// Serves the example host page from its own origin, as a site owner's server would, with the
// script tag pointed at the Colloquy API the demo started.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('.', import.meta.url));
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8' };
/** The API origin written in index.html; replaced when the API runs elsewhere. */
export const PAGE_API_ORIGIN = 'http://localhost:8787';

/**
 * Starts the host site. `apiOrigin` is where the Colloquy server listens; `headers` are added
 * to every page response (a Content-Security-Policy, say).
 * @param {{ port?: number, hostname?: string, apiOrigin: string, headers?: Record<string, string> }} options
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>}
 */
export function serveExample({ port = 8080, hostname, apiOrigin, headers = {} }) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(ROOT, path.endsWith('/') ? join(path, 'index.html') : path);
    const type = TYPES[extname(file)];
    if (!file.startsWith(ROOT) || !type || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    try {
      let body = await readFile(file, 'utf8');
      if (type.startsWith('text/html')) body = body.replaceAll(PAGE_API_ORIGIN, apiOrigin);
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      const actual = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
      resolve({
        port: actual,
        url: `http://localhost:${actual}/`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
