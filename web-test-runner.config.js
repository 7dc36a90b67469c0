// Element tests: the TypeScript sources in real Chromium, against a real Colloquy server with
// SQLite databases in a temporary folder, seeded with the demo topic.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request as httpRequest, createServer } from 'node:http';
import { join } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { createApp, defaultConfig, listen, seedDemo, SqliteStore } from '@colloquy/server';
import { CHROME_ARGS, findChrome } from './scripts/find-chrome.js';
import { freePort } from './scripts/free-port.js';

const port = await freePort();
const adminToken = 'element-tests-admin-token';
const jwtSecret = 'element-tests-site-secret';
const testEnv = { api: '', strictApi: '', staleApi: '', adminToken, jwtSecret };

/**
 * A shared cache in front of `upstream` that can be told to keep an older copy: after
 * `POST /__stale/<topic>` it answers that topic's read with the read of that moment, as a CDN
 * or nginx may, until `POST /__fresh/<topic>`. Everything else passes through.
 */
function staleCache(upstream) {
  const copies = new Map();
  const read = (topic) => `/api/v1/topics/${encodeURIComponent(topic)}`;
  const server = createServer(async (req, res) => {
    const control = /^\/__(stale|fresh)\/([^/?]+)$/.exec(req.url ?? '');
    if (control && req.method === 'POST') {
      const [, what, topic] = control;
      if (what === 'fresh') copies.delete(read(decodeURIComponent(topic)));
      else {
        const path = read(decodeURIComponent(topic));
        const response = await fetch(`${upstream}${path}`);
        const headers = Object.fromEntries(
          ['content-type', 'cache-control', 'etag', 'vary'].map((name) => [
            name,
            response.headers.get(name) ?? '',
          ]),
        );
        copies.set(path, { headers, body: Buffer.from(await response.arrayBuffer()) });
      }
      return res.writeHead(204, { 'Access-Control-Allow-Origin': '*' }).end();
    }
    const copy = req.method === 'GET' ? copies.get(req.url) : undefined;
    if (copy) {
      const origin = req.headers.origin;
      return res
        .writeHead(200, { ...copy.headers, ...(origin ? { 'Access-Control-Allow-Origin': origin } : {}) })
        .end(copy.body);
    }
    const target = new URL(upstream);
    const forward = httpRequest(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        close: () => {
          server.closeAllConnections();
          server.close();
        },
      }),
    ),
  );
}

/**
 * Starts two APIs before the first test file and stops them after the last: a default one
 * seeded with the demo topic (also behind a cache that may serve older copies, see
 * staleCache), and a strict one that holds every reply for review, asks for
 * proof of work and accepts the host site's signed-in users.
 */
function colloquyApis() {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-wtr-'));
  const running = [];
  async function start(name, settings) {
    const store = SqliteStore.open(join(dir, `${name}.db`));
    await seedDemo(store);
    const config = defaultConfig({
      allowedOrigins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
      adminToken,
      // The tests post many replies from one address within a minute; the limits have tests
      // of their own on the server.
      replyRateLimit: 0,
      topicRateLimit: 0,
      writeRateLimit: 0,
      ...settings,
    });
    const server = await listen(createApp({ store, config }), { port: 0, hostname: '127.0.0.1' });
    running.push({ store, server });
    return server.url;
  }
  let cache;
  return {
    name: 'colloquy-api',
    async serverStart() {
      testEnv.api = await start('default', {});
      testEnv.strictApi = await start('strict', { moderation: 'all', powDifficulty: 10, jwtSecret });
      cache = await staleCache(testEnv.api);
      testEnv.staleApi = cache.url;
    },
    /**
     * `executeServerCommand('colloquy-prune-events')` from a test: every server forgets its
     * events as pruning does after 7 days (each topic's newest kept), so that a stream resuming
     * from before them is told to reload.
     */
    executeCommand({ command }) {
      if (command !== 'colloquy-prune-events') return undefined;
      for (const { store } of running) store.pruneEvents(new Date(Date.now() + 60_000));
      return true;
    },
    async serverStop() {
      cache?.close();
      for (const { store, server } of running) {
        await server.close();
        await store.close();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A module the sources name by URL rather than import (a worker's `new URL('./x.js',
 * import.meta.url)`) is asked for as `.js`: serve its TypeScript source, as for imports.
 */
async function sourceForJs(ctx, next) {
  const path = ctx.path;
  if (path.startsWith('/packages/') && path.endsWith('.js')) {
    const source = `${path.slice(0, -3)}.ts`;
    if (!existsSync(`.${path}`) && existsSync(`.${source}`)) ctx.url = ctx.url.replace(path, source);
  }
  return next();
}

export default {
  files: ['packages/widget/src/**/*.test.ts'],
  nodeResolve: true,
  port,
  hostname: 'localhost',
  concurrency: 1,
  // Lit's development build warns once per test file that it is in dev mode; the warning is expected here.
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
  testFramework: { config: { timeout: 10000 } },
  browserStartTimeout: 60000,
  testsFinishTimeout: 300000,
  middleware: [sourceForJs],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' }), colloquyApis()],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: findChrome(), headless: true, args: CHROME_ARGS },
    }),
  ],
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /></head>
  <body>
    <script>window.__colloquyTest = ${JSON.stringify(testEnv)};</script>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
};
