import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before } from 'node:test';
import type { Problem } from '@colloquy/api';
import { createApp, defaultConfig, MemoryBus, seedDemo, SqliteStore, type AppConfig } from '../index.js';

/** A fresh temp folder; `cleanup` removes it. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'colloquy-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const ORIGIN = 'http://localhost:8080';
export const ADMIN_TOKEN = 'test-admin-token-123';

/**
 * An app over a real SQLite file in a temp folder. Rate limits are off (0) unless a test sets
 * them: in-process requests have no socket, so they would all share one client address.
 */
export async function testApp(overrides: Partial<AppConfig> = {}) {
  const { dir, cleanup } = await tempDir();
  const store = SqliteStore.open(join(dir, 'colloquy.db'));
  const config = defaultConfig({
    allowedOrigins: [ORIGIN],
    adminToken: ADMIN_TOKEN,
    widgetBundlePath: join(dir, 'missing-widget.js'),
    replyRateLimit: 0,
    topicRateLimit: 0,
    writeRateLimit: 0,
    ...overrides,
  });
  const bus = new MemoryBus();
  const app = createApp({ store, config, bus });
  return {
    app,
    store,
    bus,
    dir,
    config,
    close: async () => {
      await store.close();
      await cleanup();
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof testApp>>;

/** A testApp with helpers that post JSON as the widget does, from the allowed host page. */
export interface SeededApp extends TestApp {
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  postReply(topicId: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
}

/**
 * For the tests of one describe: an app (see testApp) seeded with the demo topic, opened
 * before them and closed after them. Its fields are there once the tests run.
 */
export function seededApp(overrides: Partial<AppConfig> = {}): SeededApp {
  const t = {
    post: (path, body, headers = {}) => t.app.request(path, json(body, headers)),
    postReply: (topicId, body, headers = {}) =>
      t.post(`/api/v1/topics/${encodeURIComponent(topicId)}/replies`, body, headers),
  } as SeededApp;
  before(async () => {
    Object.assign(t, await testApp(overrides));
    await seedDemo(t.store);
  });
  after(() => t.close());
  return t;
}

/** A JSON POST as the widget sends it: from the allowed host page ORIGIN unless `headers` say otherwise. */
export function json(body: unknown, headers: Record<string, string> = {}, method = 'POST'): RequestInit {
  return {
    method,
    headers: { 'Content-Type': 'application/json', Origin: ORIGIN, ...headers },
    body: JSON.stringify(body),
  };
}

/** A request `env` as @hono/node-server passes it, so the app sees `address` as the socket peer. */
export const fromAddress = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

/** Asserts the response is a problem of `status` and returns it. */
export async function expectProblem(res: Response, status: number): Promise<Problem> {
  const text = await res.text();
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${text}`);
  assert.equal(res.headers.get('Content-Type'), 'application/problem+json');
  const problem = JSON.parse(text) as Problem;
  assert.equal(problem.status, status);
  assert.match(problem.type, /^urn:colloquy:problem:[a-z-]+$/);
  assert.ok(problem.title.length > 0);
  assert.ok(problem.detail.length > 0);
  return problem;
}

/** Asserts the response is a 429 problem with a Retry-After of whole seconds, at most a minute, and returns it. */
export async function expect429(res: Response) {
  const problem = await expectProblem(res, 429);
  const retryAfter = res.headers.get('Retry-After');
  assert.match(retryAfter ?? '', /^[1-9]\d*$/, 'Retry-After in whole seconds');
  assert.ok(Number(retryAfter) <= 60);
  assert.match(problem.detail, /Try again in \d+ seconds?/);
  return problem;
}

/** Standard output and error streams for a command under test, and what was written to them. */
export function capturedOutput() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return { streams: { stdout, stderr }, text: () => ({ out, err }) };
}
