// Element tests: the TypeScript sources in real Chromium, against a real Colloquy server with
// SQLite databases in a temporary folder, seeded with the demo topic.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { createApp, defaultConfig, listen, seedDemo, SqliteStore } from '@colloquy/server';
import { CHROME_ARGS, findChrome } from './scripts/find-chrome.js';
import { freePort } from './scripts/free-port.js';

const port = await freePort();
const adminToken = 'element-tests-admin-token';
const jwtSecret = 'element-tests-site-secret';
const testEnv = { api: '', strictApi: '', adminToken, jwtSecret };

/**
 * Starts two APIs before the first test file and stops them after the last: a default one
 * seeded with the demo topic, and a strict one that holds every reply for review, asks for
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
  return {
    name: 'colloquy-api',
    async serverStart() {
      testEnv.api = await start('default', {});
      testEnv.strictApi = await start('strict', { moderation: 'all', powDifficulty: 10, jwtSecret });
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
      for (const { store, server } of running) {
        await server.close();
        await store.close();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
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
