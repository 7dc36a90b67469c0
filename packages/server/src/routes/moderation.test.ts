import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import type { CreatedModerator, ModerationLog, ModerationPage, ModeratorSession } from '@colloquy/api';
import {
  ADMIN_TOKEN,
  expect429,
  expectProblem,
  fromAddress,
  json,
  testApp,
  type TestApp,
} from '../testing/helpers.js';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const SERVER = 'http://localhost';
const READER = 'reader-key-0123456789abc';

/** The console's browser: its cookie jar of one cookie, its own origin, its CSRF token. */
function consoleBrowser(t: TestApp) {
  let cookie = '';
  let csrf = '';
  const remember = (res: Response) => {
    const set = res.headers.get('Set-Cookie');
    if (set) cookie = set.split(';')[0] ?? '';
  };
  const call = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
    const headers: Record<string, string> = {
      Cookie: cookie,
      Origin: SERVER,
      'X-CSRF-Token': csrf,
      ...extra,
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await t.app.request(`${SERVER}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    remember(res);
    return res;
  };
  return {
    call,
    get cookie() {
      return cookie;
    },
    async signIn(token: string) {
      const res = await call('POST', '/api/v1/console/session', { token });
      assert.equal(res.status, 201, await res.clone().text());
      const session = (await res.json()) as ModeratorSession;
      csrf = session.csrfToken;
      return { res, session };
    },
  };
}

describe('the moderation console API', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ moderation: 'all' });
    await t.app.request('/api/v1/topics', json({ id: 'topic', title: 'Topic' }, admin));
  });
  after(() => t.close());

  const post = async (text: string, reader = READER, address = '192.0.2.7') => {
    const res = await t.app.request(
      '/api/v1/topics/topic/replies',
      json({ authorName: 'Ann', body: text }, { 'X-Colloquy-Reader': reader }),
      fromAddress(address),
    );
    assert.equal(res.status, 201, await res.clone().text());
    return (await res.json()) as { id: string };
  };

  it('signs in with the admin token: an HttpOnly, SameSite=Strict session cookie, no token echoed', async () => {
    const browser = consoleBrowser(t);
    const { res, session } = await browser.signIn(ADMIN_TOKEN);
    const cookie = res.headers.get('Set-Cookie') ?? '';
    assert.match(cookie, /^colloquy_console=[A-Za-z0-9_-]{43};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Max-Age=\d+/);
    assert.doesNotMatch(cookie, /Secure/, 'plain HTTP: a Secure cookie would never come back');
    assert.equal(session.moderator, 'admin');
    assert.equal(session.role, 'admin');
    assert.ok(!JSON.stringify(session).includes(ADMIN_TOKEN));
    const me = await browser.call('GET', '/api/v1/console/session');
    assert.equal(((await me.json()) as ModeratorSession).moderator, 'admin');
  });

  it('is Secure and __Host- named over HTTPS', async () => {
    const res = await t.app.request('https://mod.example/api/v1/console/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://mod.example' },
      body: JSON.stringify({ token: ADMIN_TOKEN }),
    });
    assert.equal(res.status, 201);
    const cookie = res.headers.get('Set-Cookie') ?? '';
    assert.match(cookie, /^__Host-colloquy_console=/);
    assert.match(cookie, /Secure/);
    assert.match(cookie, /Path=\//);
  });

  it('refuses a wrong token with 401 and changes nothing', async () => {
    const res = await t.app.request(
      `${SERVER}/api/v1/console/session`,
      json({ token: 'nope' }, { Origin: SERVER }),
    );
    await expectProblem(res, 401);
    assert.equal(res.headers.get('Set-Cookie'), null);
    await expectProblem(
      await t.app.request(`${SERVER}/api/v1/console/session`, json({}, { Origin: SERVER })),
      422,
    );
  });

  it('approves a held reply with the session, logged under the moderator’s name', async () => {
    const held = await post('Waiting for a moderator');
    const created = await t.app.request('/api/v1/admin/moderators', json({ name: 'Grace' }, admin));
    assert.equal(created.status, 201);
    const grace = (await created.json()) as CreatedModerator;
    const browser = consoleBrowser(t);
    const { session } = await browser.signIn(grace.token);
    assert.deepEqual([session.moderator, session.role], ['Grace', 'moderator']);

    const queue = (await (
      await browser.call('GET', '/api/v1/admin/queue?queue=pending')
    ).json()) as ModerationPage;
    const item = queue.items.find((i) => i.reply.id === held.id);
    assert.ok(item, 'the held reply is in the pending queue');
    assert.equal(item.reply.text, 'Waiting for a moderator');
    assert.equal(item.network, '192.0.2.0/24');
    assert.match(item.readerId ?? '', /^[0-9a-f]{64}$/);

    const acted = await browser.call('POST', '/api/v1/admin/replies/actions', {
      action: 'approve',
      ids: [held.id],
    });
    assert.equal(acted.status, 200, await acted.clone().text());
    const topic = (await (await t.app.request('/api/v1/topics/topic')).json()) as {
      replies: Array<{ id: string }>;
    };
    assert.ok(
      topic.replies.some((r) => r.id === held.id),
      'readers see it now',
    );

    const log = (await (
      await browser.call('GET', `/api/v1/admin/log?reply=${held.id}`)
    ).json()) as ModerationLog;
    assert.deepEqual(
      log.entries.map((e) => [e.moderator, e.action, e.replyId]),
      [['Grace', 'reply.approve', held.id]],
    );
    // A moderator manages neither moderators nor the admin's things.
    await expectProblem(await browser.call('POST', '/api/v1/admin/moderators', { name: 'Eve' }), 403);
  });

  it('refuses a console write without the CSRF token, or from another origin, and changes nothing', async () => {
    const held = await post('Still held');
    const browser = consoleBrowser(t);
    await browser.signIn(ADMIN_TOKEN);
    const body = { action: 'approve', ids: [held.id] };
    const noToken = await browser.call('POST', '/api/v1/admin/replies/actions', body, { 'X-CSRF-Token': '' });
    assert.match((await expectProblem(noToken, 403)).detail, /X-CSRF-Token/);
    const foreign = await browser.call('POST', '/api/v1/admin/replies/actions', body, {
      Origin: 'https://evil.example',
    });
    assert.match((await expectProblem(foreign, 403)).detail, /own origin/);
    const still = (await (
      await browser.call('GET', '/api/v1/admin/queue?queue=pending')
    ).json()) as ModerationPage;
    assert.ok(
      still.items.some((i) => i.reply.id === held.id),
      'still pending',
    );
  });

  it('bans a reader from a queue item until lifted; the ban and the lift are logged', async () => {
    const browser = consoleBrowser(t);
    await browser.signIn(ADMIN_TOKEN);
    const banned = 'banned-reader-key-0123456';
    const reply = await post('Spam', banned, '198.51.100.9');
    const queue = (await (
      await browser.call('GET', '/api/v1/admin/queue?queue=pending')
    ).json()) as ModerationPage;
    const readerId = queue.items.find((i) => i.reply.id === reply.id)?.readerId;
    assert.ok(readerId);
    const ban = await browser.call('POST', '/api/v1/admin/bans', { readerId, reason: 'spam' });
    assert.equal(ban.status, 201, await ban.clone().text());
    const refused = await t.app.request(
      '/api/v1/topics/topic/replies',
      json({ authorName: 'Ann', body: 'again' }, { 'X-Colloquy-Reader': banned }),
    );
    await expectProblem(refused, 403);
    const bans = (await (await browser.call('GET', '/api/v1/admin/bans')).json()) as {
      bans: Array<{ value: string }>;
    };
    assert.ok(bans.bans.some((b) => b.value === readerId));
    const lift = await browser.call('POST', '/api/v1/admin/bans/lift', { kind: 'reader', value: readerId });
    assert.equal(lift.status, 204);
    await post('Back again', banned);
    await expectProblem(
      await browser.call('POST', '/api/v1/admin/bans/lift', { kind: 'reader', value: readerId }),
      404,
    );
    const log = (await (await browser.call('GET', '/api/v1/admin/log')).json()) as ModerationLog;
    const actions = log.entries.map((e) => `${e.action} ${e.target}`);
    assert.ok(actions.includes(`ban.add reader:${readerId}`));
    assert.ok(actions.includes(`ban.lift reader:${readerId}`));
  });

  it('refuses bad input with problems: filters, actions, bans', async () => {
    const bad: Array<[string, string, unknown, number]> = [
      ['GET', '/api/v1/admin/queue?queue=everything', undefined, 400],
      ['GET', '/api/v1/admin/queue?network=nowhere', undefined, 400],
      ['GET', '/api/v1/admin/queue?limit=0', undefined, 400],
      ['GET', '/api/v1/admin/queue?cursor=forged', undefined, 400],
      ['GET', '/api/v1/admin/log?before=x', undefined, 400],
      ['POST', '/api/v1/admin/replies/actions', { action: 'burn', ids: ['a'] }, 422],
      ['POST', '/api/v1/admin/replies/actions', { action: 'hide', ids: [] }, 422],
      ['POST', '/api/v1/admin/bans', { readerId: 'xyz' }, 422],
      ['POST', '/api/v1/admin/bans', { addressPrefix: '192.0.2.1', expiresAt: '2000-01-01T00:00:00Z' }, 422],
      ['POST', '/api/v1/admin/bans/lift', { kind: 'planet', value: 'x' }, 422],
    ];
    for (const [method, path, body, status] of bad) {
      const res = await t.app.request(
        path,
        body === undefined ? { headers: admin } : json(body, admin, method),
      );
      await expectProblem(res, status);
    }
  });

  it('searches the text of replies, and keyset-pages a queue', async () => {
    const needle = await post('A zebra crossing the savanna');
    await post('Nothing to see');
    const found = (await (
      await t.app.request('/api/v1/admin/queue?queue=recent&q=ZEBRA%20savanna', { headers: admin })
    ).json()) as ModerationPage;
    assert.deepEqual(
      found.items.map((i) => i.reply.id),
      [needle.id],
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/admin/queue?queue=recent&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await (await t.app.request(url, { headers: admin })).json()) as ModerationPage;
      seen.push(...page.items.map((i) => i.reply.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(new Set(seen).size, seen.length, 'no reply twice');
    const all = (await (
      await t.app.request('/api/v1/admin/queue?queue=recent&limit=100', { headers: admin })
    ).json()) as ModerationPage;
    assert.deepEqual(
      seen,
      all.items.map((i) => i.reply.id),
    );
  });

  it('takes readers’ reports once per reader; a reported reply joins the reported queue', async () => {
    const reply = await post('Report me');
    await t.app.request('/api/v1/admin/replies/actions', json({ action: 'approve', ids: [reply.id] }, admin));
    const report = () =>
      t.app.request(
        `/api/v1/replies/${reply.id}/reports`,
        json({ reason: 'rude' }, { 'X-Colloquy-Reader': 'reporter-key-0123456789' }),
      );
    assert.equal((await report()).status, 202);
    assert.equal((await report()).status, 202);
    const reported = (await (
      await t.app.request('/api/v1/admin/queue?queue=reported', { headers: admin })
    ).json()) as ModerationPage;
    assert.deepEqual(
      reported.items.map((i) => [i.reply.id, i.reports]),
      [[reply.id, 1]],
    );
    await expectProblem(await t.app.request('/api/v1/replies/missing/reports', json({})), 404);
  });

  it('signs out: the cookie no longer works', async () => {
    const browser = consoleBrowser(t);
    await browser.signIn(ADMIN_TOKEN);
    assert.equal((await browser.call('DELETE', '/api/v1/console/session')).status, 204);
    await expectProblem(await browser.call('GET', '/api/v1/admin/queue'), 401);
  });

  it('serves the console under a strict CSP', async () => {
    const res = await t.app.request('/admin');
    assert.equal(res.status, 200);
    const csp = res.headers.get('Content-Security-Policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /require-trusted-types-for 'script'/);
    assert.match(await res.text(), /<colloquy-console>/);
  });

  it('describes every registered API route in /api/v1/openapi.json', async () => {
    const doc = (await (await t.app.request('/api/v1/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    assert.match(doc.openapi, /^3\.1\./);
    const routes = t.app.routes.filter(
      (r) => r.path.startsWith('/api/') && !r.path.endsWith('*') && r.method !== 'ALL',
    );
    assert.ok(routes.length > 20);
    for (const route of routes) {
      const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
      assert.ok(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${route.path} is described`);
    }
    const ban = doc.paths['/api/v1/admin/bans']?.post as {
      requestBody?: { content: Record<string, { schema: { properties?: object } }> };
    };
    assert.ok(
      ban.requestBody?.content['application/json']?.schema.properties,
      'from the zod schema of the route',
    );
    assert.ok('readerId' in (ban.requestBody?.content['application/json']?.schema.properties ?? {}));
  });

  it('limits sign-in attempts to 10 a minute per network, right token or not', async () => {
    const attempt = (token: string, address: string) =>
      t.app.request(
        `${SERVER}/api/v1/console/session`,
        json({ token }, { Origin: SERVER }),
        fromAddress(address),
      );
    for (let k = 0; k < 10; k++) await expectProblem(await attempt(`guess-${k}`, '203.0.113.5'), 401);
    await expect429(await attempt(ADMIN_TOKEN, '203.0.113.77'));
    assert.equal((await attempt(ADMIN_TOKEN, '198.18.0.1')).status, 201, 'another network is not held back');
  });

  it('limits reports to 10 a minute per network', async () => {
    const reply = await post('Much reported');
    await t.app.request('/api/v1/admin/replies/actions', json({ action: 'approve', ids: [reply.id] }, admin));
    const report = (k: number) =>
      t.app.request(
        `/api/v1/replies/${reply.id}/reports`,
        json({}, { 'X-Colloquy-Reader': `reporter-${k}-key-0123456789` }),
        fromAddress('203.0.114.9'),
      );
    for (let k = 0; k < 10; k++) assert.equal((await report(k)).status, 202);
    await expect429(await report(10));
    const reported = (await (
      await t.app.request('/api/v1/admin/queue?queue=reported', { headers: admin })
    ).json()) as ModerationPage;
    assert.equal(
      reported.items.find((i) => i.reply.id === reply.id)?.reports,
      10,
      'the refused one counts nothing',
    );
  });

  it('rotates the session id after 5 minutes of use, lets the old one lapse, and ends idle sessions', async () => {
    const start = Date.now();
    mock.timers.enable({ apis: ['Date'], now: start });
    try {
      const browser = consoleBrowser(t);
      await browser.signIn(ADMIN_TOKEN);
      const first = browser.cookie;
      mock.timers.tick(6 * 60_000);
      const rotated = await browser.call('GET', '/api/v1/console/session');
      assert.equal(rotated.status, 200);
      assert.notEqual(browser.cookie, first, 'a new id');
      const withOld = (cookie: string) =>
        t.app.request(`${SERVER}/api/v1/admin/queue`, { headers: { Cookie: cookie } });
      assert.equal((await withOld(first)).status, 200, 'the old id still works for a moment');
      mock.timers.tick(31_000);
      await expectProblem(await withOld(first), 401);
      assert.equal((await browser.call('GET', '/api/v1/admin/queue')).status, 200);
      mock.timers.tick(31 * 60_000);
      await expectProblem(await browser.call('GET', '/api/v1/admin/queue'), 401);
    } finally {
      mock.timers.reset();
    }
  });

  it('gives the console’s origin no place among host pages: a reader’s write from it is refused', async () => {
    const res = await t.app.request(
      `${SERVER}/api/v1/topics/topic/replies`,
      json({ authorName: 'Ann', body: 'from the console origin' }, { Origin: SERVER }),
    );
    await expectProblem(res, 403);
  });
});
