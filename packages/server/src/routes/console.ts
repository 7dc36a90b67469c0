import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import type { AppConfig } from '../config.js';
import { ProblemError } from '../problem.js';

/**
 * The console's pages allow nothing but the console's own script, its own API and Lit's one
 * Trusted Types policy: no inline script or style, no eval, no framing, no form posts, no
 * other origin.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html',
].join('; ');

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Colloquy moderation</title>
<script type="module" src="/admin/console.js"></script>
</head>
<body>
<colloquy-console></colloquy-console>
</body>
</html>
`;

/** The console bundle: beside the readers' bundle, built by the same rollup run, never inside it. */
export const consoleBundlePath = (config: Pick<AppConfig, 'widgetBundlePath'>) =>
  join(dirname(config.widgetBundlePath), 'console.js');

/** `GET /admin`: the moderation console, a Lit app of its own (see packages/widget/src/console). */
export function consoleRoutes(config: AppConfig) {
  let cached: { version: string; body: Uint8Array } | null = null;
  const page = (c: import('hono').Context) =>
    c.html(PAGE, 200, { ...SECURITY_HEADERS, 'Cache-Control': 'no-store' });
  return new Hono().get('/', page).get('/console.js', async (c) => {
    const path = consoleBundlePath(config);
    const stats = await stat(path).catch(() => null);
    if (!stats?.isFile()) {
      throw new ProblemError(
        503,
        'console-not-built',
        'Console bundle missing',
        'The moderation console has not been built; run npm run build.',
      );
    }
    const version = `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
    if (cached?.version !== version) cached = { version, body: await readFile(path) };
    return c.body(cached.body as Uint8Array<ArrayBuffer>, 200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'no-cache',
    });
  });
}
