/** Test-only helpers for the environment web-test-runner gives the test page. */
import type { Reply, TopicInput } from '@colloquy/api';

export interface ColloquyTestEnv {
  /** Origin of the real Colloquy server started for the tests. */
  api: string;
  /**
   * The default server behind a shared cache: `POST <staleApi>/__stale/<topic>` makes it answer
   * that topic's read with the read of that moment from then on, `POST …/__fresh/<topic>` stops it.
   */
  staleApi: string;
  /** A second server that holds every reply for review, asks for proof of work and accepts tokens. */
  strictApi: string;
  /** Bearer token for admin calls, on both servers. */
  adminToken: string;
  /** The strict server's secret for the host site's HS256 tokens. */
  jwtSecret: string;
}

declare global {
  interface Window {
    __colloquyTest?: ColloquyTestEnv;
  }
}

export function testEnv(): ColloquyTestEnv {
  const env = window.__colloquyTest;
  if (!env) throw new Error('window.__colloquyTest is missing: run the tests with web-test-runner');
  return env;
}

let serial = 0;

/** Creates a fresh topic (isolated state for one test) and returns its id. */
export async function createTopic(input: Partial<TopicInput> = {}, api = testEnv().api): Promise<string> {
  const { adminToken } = testEnv();
  const id = input.id ?? `t-${Date.now().toString(36)}-${++serial}-${Math.random().toString(36).slice(2, 7)}`;
  const response = await fetch(`${api}/api/v1/topics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ title: `Test topic ${id}`, body: 'A topic for a test.', ...input, id }),
  });
  if (!response.ok) throw new Error(`creating topic ${id}: ${response.status} ${await response.text()}`);
  return id;
}

/** Posts a reply directly through the API (setup, not the code under test). */
export async function postReply(
  topic: string,
  body: string,
  authorName = 'Tester',
  parentId: string | null = null,
): Promise<Reply> {
  const { api } = testEnv();
  const response = await fetch(`${api}/api/v1/topics/${encodeURIComponent(topic)}/replies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ body, authorName, parentId }),
  });
  if (!response.ok) throw new Error(`posting reply: ${response.status} ${await response.text()}`);
  return (await response.json()) as Reply;
}

const base64url = (bytes: Uint8Array | string) =>
  btoa(typeof bytes === 'string' ? bytes : String.fromCharCode(...bytes))
    .replace(/=+$/, '')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');

/** A token as a host site signs it for its signed-in reader: HS256 with the strict server's secret. */
export async function signToken(claims: { sub: string; name: string; exp?: number }): Promise<string> {
  const payload = { exp: Math.floor(Date.now() / 1000) + 600, ...claims };
  const unsigned = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}`;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(testEnv().jwtSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signature = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(unsigned));
  return `${unsigned}.${base64url(new Uint8Array(signature))}`;
}
