import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { CreatedReply } from '@colloquy/api';
import { encodeCursor } from './cursor.js';
import { ADMIN_TOKEN, json, ORIGIN, testApp } from './testing/helpers.js';

/**
 * Every route against hostile and broken input. Each case must answer a 4xx problem (never a
 * 5xx, never a success) and leave every row of the database as it was.
 */

type TestApp = Awaited<ReturnType<typeof testApp>>;
const READER = 'reader-key-0123456789';
const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const browser = { 'Content-Type': 'application/json', Origin: ORIGIN, 'X-Colloquy-Reader': READER };

interface Case {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Raw request body; objects are JSON-encoded. */
  body?: string | object;
}

const deepArray = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const enc = encodeURIComponent;

/** Snapshot of every row of every table, to compare before and after a refused request. */
function snapshot(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .all() as Array<{ name: string }>;
    const out: Record<string, string[]> = {};
    for (const { name } of tables) {
      out[name] = (db.prepare(`SELECT * FROM "${name}"`).all() as object[])
        .map((row) => JSON.stringify(row, (_, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)))
        .sort();
    }
    return JSON.stringify(out);
  } finally {
    db.close();
  }
}

describe('bad input, over every route', () => {
  let t: TestApp;
  let reply: CreatedReply;
  let deleted: CreatedReply;
  let foreign: CreatedReply;
  const cases: Case[] = [];

  before(async () => {
    t = await testApp();
    const post = async (path: string, body: object, headers: Record<string, string> = browser) => {
      const res = await t.app.request(path, json(body, headers));
      assert.ok(res.ok, `fixture ${path}: ${res.status} ${await res.clone().text()}`);
      return res.json();
    };
    await post(
      '/api/v1/topics',
      { id: 'topic', title: 'Topic', sources: [{ title: 'S', url: 'https://s.example/' }] },
      admin,
    );
    await post('/api/v1/topics', { id: 'other', title: 'Other' }, admin);
    reply = (await post('/api/v1/topics/topic/replies', {
      authorName: 'Ann',
      body: 'first',
    })) as CreatedReply;
    deleted = (await post('/api/v1/topics/topic/replies', {
      authorName: 'Bob',
      body: 'gone soon',
    })) as CreatedReply;
    const gone = await t.app.request(`/api/v1/replies/${deleted.id}`, {
      method: 'DELETE',
      headers: { Origin: ORIGIN, 'X-Colloquy-Edit-Token': deleted.editToken },
    });
    assert.equal(gone.status, 200);
    foreign = (await post('/api/v1/topics/other/replies', {
      authorName: 'Cy',
      body: 'elsewhere',
    })) as CreatedReply;
    // A second page, so a cursor exists to forge against.
    for (let k = 0; k < 3; k++)
      await post('/api/v1/topics/topic/replies', { authorName: 'P', body: `page ${k}` });
    // The email links' signing key is made on first use; made now, it is part of the fixtures.
    await t.store.notifications.sharedKey('email-links');
    buildCases();
  });
  after(() => t.close());

  function buildCases() {
    const replyId = reply.id;
    const badIds = [
      ['a very long topic id', 'a'.repeat(5000)],
      ['a path traversal', '../../etc/passwd'],
      ['an encoded path traversal', '..%2F..%2Fetc%2Fpasswd'],
      ['SQL metacharacters', "x' OR '1'='1"],
      ['a SQL comment', 'x;--DROP TABLE replies'],
      ['a NUL', 'x\u0000y'],
      ['a javascript: URL', 'javascript:alert(1)'],
      ['a URL with a space', 'https://a.example/ b'],
    ] as const;
    const badReplyIds = [
      ['a very long reply id', 'A'.repeat(65)],
      ['a huge reply id', 'A'.repeat(10_000)],
      ['a path traversal', '../topics/topic'],
      ['SQL metacharacters', "1' OR '1'='1"],
      ['a NUL', 'A\u0000B'],
      ['unicode', 'ÄÖÜ'],
    ] as const;

    // Topic ids, in every route that takes one.
    for (const [what, id] of badIds) {
      const p = enc(id);
      cases.push(
        { name: `GET topic with ${what}`, method: 'GET', path: `/api/v1/topics/${p}` },
        { name: `GET replies with ${what}`, method: 'GET', path: `/api/v1/topics/${p}/replies` },
        { name: `GET feed with ${what}`, method: 'GET', path: `/api/v1/topics/${p}/feed.atom` },
        {
          name: `POST reply with ${what}`,
          method: 'POST',
          path: `/api/v1/topics/${p}/replies`,
          body: { authorName: 'A', body: 'b' },
        },
        {
          name: `POST reaction with ${what}`,
          method: 'POST',
          path: `/api/v1/topics/${p}/reactions`,
          body: { kind: 'like' },
        },
        { name: `GET summaries with ${what}`, method: 'GET', path: `/api/v1/topics?ids=topic,${p}` },
        {
          name: `admin lock with ${what}`,
          method: 'POST',
          path: `/api/v1/admin/topics/${p}/lock`,
          headers: admin,
          body: { locked: true },
        },
        {
          name: `admin upsert with ${what}`,
          method: 'POST',
          path: '/api/v1/topics',
          headers: admin,
          body: { id, title: 'T' },
        },
      );
    }
    for (const [what, id] of badReplyIds) {
      const p = enc(id);
      cases.push(
        { name: `GET reply with ${what}`, method: 'GET', path: `/api/v1/replies/${p}` },
        {
          name: `PATCH reply with ${what}`,
          method: 'PATCH',
          path: `/api/v1/replies/${p}`,
          headers: { 'X-Colloquy-Edit-Token': reply.editToken },
          body: { body: 'x' },
        },
        {
          name: `DELETE reply with ${what}`,
          method: 'DELETE',
          path: `/api/v1/replies/${p}`,
          headers: { 'X-Colloquy-Edit-Token': reply.editToken },
        },
        {
          name: `reply reaction with ${what}`,
          method: 'POST',
          path: `/api/v1/replies/${p}/reactions`,
          body: { kind: 'like' },
        },
        {
          name: `admin approve with ${what}`,
          method: 'POST',
          path: `/api/v1/admin/replies/${p}/approve`,
          headers: admin,
        },
        {
          name: `admin hide with ${what}`,
          method: 'POST',
          path: `/api/v1/admin/replies/${p}/hide`,
          headers: admin,
        },
        {
          name: `admin delete with ${what}`,
          method: 'DELETE',
          path: `/api/v1/admin/replies/${p}`,
          headers: admin,
        },
        {
          name: `POST reply with a parentId of ${what}`,
          method: 'POST',
          path: '/api/v1/topics/topic/replies',
          body: { authorName: 'A', body: 'b', parentId: id },
        },
      );
    }

    // Paging: limits and cursors.
    const otherCursor = encodeCursor({ createdAt: foreign.createdAt, id: foreign.id });
    const childCursor = encodeCursor({ createdAt: reply.createdAt, id: 'ZZZZZZZZZZZZZZZZZZZZZZZZZZ' });
    for (const [what, query] of [
      ['a negative limit', 'limit=-1'],
      ['a zero limit', 'limit=0'],
      ['a huge limit', 'limit=99999999999999999999999'],
      ['a limit over 100', 'limit=101'],
      ['a non-numeric limit', 'limit=ten'],
      ['a fractional limit', 'limit=1.5'],
      ['an exponent limit', 'limit=1e2'],
      ['a hex limit', 'limit=0x10'],
      ['an empty limit', 'limit='],
      ['a padded limit', 'limit=%205'],
      ['a SQL cursor', `cursor=${enc("' OR 1=1 --")}`],
      ['a path traversal cursor', `cursor=${enc('../../etc/passwd')}`],
      ['a very long cursor', `cursor=${'A'.repeat(5000)}`],
      ['a base64 garbage cursor', `cursor=${Buffer.from('garbage|||').toString('base64url')}`],
      ['a cursor of another topic', `cursor=${otherCursor}`],
      ['a forged cursor', `cursor=${childCursor}`],
      ['an empty cursor', 'cursor='],
    ] as const) {
      cases.push(
        { name: `GET replies with ${what}`, method: 'GET', path: `/api/v1/topics/topic/replies?${query}` },
        { name: `GET topic with ${what}`, method: 'GET', path: `/api/v1/topics/topic?${query}` },
      );
    }
    for (const lang of [
      '__proto__',
      'constructor',
      'toString',
      '../../etc/passwd',
      'x'.repeat(5000),
      "en' OR '1'='1",
      '%00',
    ]) {
      cases.push({
        name: `GET messages for ${lang.slice(0, 20)}`,
        method: 'GET',
        path: `/api/v1/messages/${enc(lang)}`,
      });
    }
    cases.push(
      { name: 'summaries without ids', method: 'GET', path: '/api/v1/topics' },
      {
        name: 'summaries with 101 ids',
        method: 'GET',
        path: `/api/v1/topics?ids=${Array.from({ length: 101 }, (_, k) => `t${k}`).join(',')}`,
      },
    );

    // Bodies, route by route: the generic breakages first.
    const bodyRoutes: Array<{
      route: string;
      method: string;
      path: string;
      headers?: Record<string, string>;
      valid: Record<string, unknown>;
      /** Every field is optional: `{}` is a valid body here (a report without a reason). */
      emptyIsValid?: true;
    }> = [
      {
        route: 'POST reply',
        method: 'POST',
        path: '/api/v1/topics/topic/replies',
        valid: { authorName: 'A', body: 'b' },
      },
      {
        route: 'PATCH reply',
        method: 'PATCH',
        path: `/api/v1/replies/${replyId}`,
        headers: { 'X-Colloquy-Edit-Token': reply.editToken },
        valid: { body: 'b' },
      },
      {
        route: 'POST topic reaction',
        method: 'POST',
        path: '/api/v1/topics/topic/reactions',
        valid: { kind: 'like' },
      },
      {
        route: 'POST reply reaction',
        method: 'POST',
        path: `/api/v1/replies/${replyId}/reactions`,
        valid: { kind: 'like' },
      },
      {
        route: 'admin upsert topic',
        method: 'POST',
        path: '/api/v1/topics',
        headers: admin,
        valid: { id: 'topic', title: 'T' },
      },
      {
        route: 'admin ban',
        method: 'POST',
        path: '/api/v1/admin/bans',
        headers: admin,
        valid: { readerKey: 'reader-key-9999999999' },
      },
      {
        route: 'admin lock',
        method: 'POST',
        path: '/api/v1/admin/topics/topic/lock',
        headers: admin,
        valid: { locked: true },
      },
      {
        route: 'POST report',
        method: 'POST',
        path: `/api/v1/replies/${replyId}/reports`,
        valid: { reason: 'rude' },
        emptyIsValid: true,
      },
      {
        route: 'console sign-in',
        method: 'POST',
        path: '/api/v1/console/session',
        valid: { token: 'not-the-token' },
      },
      {
        route: 'admin actions on replies',
        method: 'POST',
        path: '/api/v1/admin/replies/actions',
        headers: admin,
        valid: { action: 'hide', ids: [replyId] },
      },
      {
        route: 'admin lift a ban',
        method: 'POST',
        path: '/api/v1/admin/bans/lift',
        headers: admin,
        valid: { kind: 'address', value: '192.0.2.0/24' },
      },
      {
        route: 'admin add a moderator',
        method: 'POST',
        path: '/api/v1/admin/moderators',
        headers: admin,
        valid: { name: 'Grace' },
      },
      {
        route: 'admin topic preview',
        method: 'POST',
        path: '/api/v1/admin/topics/preview',
        headers: admin,
        valid: { id: 'topic', title: 'T' },
      },
    ];
    for (const r of bodyRoutes) {
      const base = { method: r.method, path: r.path, ...(r.headers ? { headers: r.headers } : {}) };
      const firstKey = Object.keys(r.valid)[0]!;
      for (const [what, body] of [
        ['malformed JSON', '{"body":'],
        ['a truncated string', '{"body":"abc'],
        ['trailing garbage', `${JSON.stringify(r.valid)}xyz`],
        ['single quotes', "{'body':'x'}"],
        ['an empty body', ''],
        ['a JSON array', '[]'],
        ['a JSON string', '"text"'],
        ['JSON null', 'null'],
        ['a JSON number', '42'],
        ['JSON true', 'true'],
        ['10,000 nested arrays', deepArray(10_000)],
        ['10,000 nested objects', deepObject(10_000)],
        ['10,000 nested arrays in a field', `{"${firstKey}":${deepArray(10_000)}}`],
        ['10,000 nested objects in an unknown field', `{"zz":${deepObject(10_000)}}`],
        ['an unknown field', { ...r.valid, surprise: 1 }],
        ['__proto__', `{"__proto__":{"admin":true},${JSON.stringify(r.valid).slice(1)}`],
        ['constructor', { ...r.valid, constructor: { prototype: { x: 1 } } }],
        ['an empty object', {}],
        ['an oversize body', { ...r.valid, [firstKey]: 'x'.repeat(70_000) }],
        [`${firstKey} as a number`, { ...r.valid, [firstKey]: 42 }],
        [`${firstKey} as an array`, { ...r.valid, [firstKey]: ['x'] }],
        [`${firstKey} as an object`, { ...r.valid, [firstKey]: { x: 1 } }],
        [`${firstKey} as null`, { ...r.valid, [firstKey]: null }],
      ] as const) {
        if (r.emptyIsValid && what === 'an empty object') continue;
        cases.push({ name: `${r.route} with ${what}`, ...base, body });
      }
    }

    // Field rules of the write routes.
    const replyPath = '/api/v1/topics/topic/replies';
    const replyCase = (what: string, body: object, headers?: Record<string, string>) =>
      cases.push({
        name: `POST reply with ${what}`,
        method: 'POST',
        path: replyPath,
        body,
        ...(headers ? { headers } : {}),
      });
    replyCase('no body', { authorName: 'A' });
    replyCase('no authorName', { body: 'b' });
    replyCase('a blank body', { authorName: 'A', body: ' \n\t ' });
    replyCase('a blank authorName', { authorName: '   ', body: 'b' });
    replyCase('a body over 10,000 characters', { authorName: 'A', body: 'b'.repeat(10_001) });
    replyCase('an authorName over 60 characters', { authorName: 'a'.repeat(61), body: 'b' });
    replyCase('a NUL in the body', { authorName: 'A', body: 'a\u0000b' });
    replyCase('an escape in the body', { authorName: 'A', body: '\u001b[31mred' });
    replyCase('a bell in the body', { authorName: 'A', body: 'ding\u0007' });
    replyCase('a carriage return in the body', { authorName: 'A', body: 'a\rb' });
    replyCase('a newline in the authorName', { authorName: 'A\nB', body: 'b' });
    replyCase('a tab in the authorName', { authorName: 'A\tB', body: 'b' });
    replyCase('a NUL in the authorName', { authorName: 'A\u0000', body: 'b' });
    replyCase('DEL in the authorName', { authorName: 'A\u007f', body: 'b' });
    replyCase('a C1 control in the authorName', { authorName: 'A\u0085B', body: 'b' });
    replyCase('a right-to-left override in the authorName', { authorName: 'Ann\u202egnp.exe', body: 'b' });
    replyCase('a bidi isolate in the authorName', { authorName: '\u2067Ann', body: 'b' });
    replyCase('a lone high surrogate in the body', { authorName: 'A', body: 'a\ud800b' });
    replyCase('a lone low surrogate in the body', { authorName: 'A', body: 'a\udc00' });
    replyCase('a lone surrogate in the authorName', { authorName: '\ud83d', body: 'b' });
    replyCase('a parentId of another topic', { authorName: 'A', body: 'b', parentId: foreign.id });
    replyCase('a parentId of a deleted reply', { authorName: 'A', body: 'b', parentId: deleted.id });
    replyCase('a parentId that does not exist', { authorName: 'A', body: 'b', parentId: 'NOSUCHREPLY' });
    replyCase('a numeric parentId', { authorName: 'A', body: 'b', parentId: 1 });
    replyCase('a pageTitle with a newline', { authorName: 'A', body: 'b', pageTitle: 'a\nb' });
    replyCase('a filled honeypot', { authorName: 'A', body: 'b', website: 'https://spam.example' });
    replyCase('a non-string honeypot', { authorName: 'A', body: 'b', website: 1 });
    replyCase('a malformed reader key', { authorName: 'A', body: 'b' }, { 'X-Colloquy-Reader': 'short' });
    replyCase(
      'a bearer token that is not a JWT',
      { authorName: 'A', body: 'b' },
      { Authorization: 'Bearer nonsense' },
    );
    replyCase('too many links', {
      authorName: 'A',
      body: Array.from({ length: 11 }, (_, k) => `https://l${k}.example/`).join(' '),
    });

    const patch = (
      what: string,
      body: object,
      headers: Record<string, string> = { 'X-Colloquy-Edit-Token': reply.editToken },
      id = replyId,
    ) =>
      cases.push({
        name: `PATCH reply with ${what}`,
        method: 'PATCH',
        path: `/api/v1/replies/${id}`,
        headers,
        body,
      });
    patch('a blank body', { body: '   ' });
    patch('a NUL in the body', { body: '\u0000' });
    patch('a lone surrogate', { body: '\udfff' });
    patch('an authorName', { body: 'b', authorName: 'Mallory' });
    patch('no edit token', { body: 'b' }, {});
    patch('a wrong edit token', { body: 'b' }, { 'X-Colloquy-Edit-Token': 'A'.repeat(43) });
    patch('another reply’s edit token', { body: 'b' }, { 'X-Colloquy-Edit-Token': foreign.editToken });
    patch('a huge edit token', { body: 'b' }, { 'X-Colloquy-Edit-Token': 'A'.repeat(5000) });
    patch('the deleted reply', { body: 'back' }, { 'X-Colloquy-Edit-Token': deleted.editToken }, deleted.id);
    cases.push(
      { name: 'DELETE reply without a token', method: 'DELETE', path: `/api/v1/replies/${replyId}` },
      {
        name: 'DELETE reply with a wrong token',
        method: 'DELETE',
        path: `/api/v1/replies/${replyId}`,
        headers: { 'X-Colloquy-Edit-Token': foreign.editToken },
      },
      {
        name: 'DELETE the deleted reply again',
        method: 'DELETE',
        path: `/api/v1/replies/${deleted.id}`,
        headers: { 'X-Colloquy-Edit-Token': deleted.editToken },
      },
      {
        name: 'reaction to the deleted reply',
        method: 'POST',
        path: `/api/v1/replies/${deleted.id}/reactions`,
        body: { kind: 'like' },
      },
      {
        name: 'reaction of an unknown kind',
        method: 'POST',
        path: '/api/v1/topics/topic/reactions',
        body: { kind: 'love' },
      },
      {
        name: 'reaction without a reader key',
        method: 'POST',
        path: '/api/v1/topics/topic/reactions',
        headers: { 'X-Colloquy-Reader': '' },
        body: { kind: 'like' },
      },
      {
        name: 'reaction with a reader key of 129 characters',
        method: 'POST',
        path: '/api/v1/topics/topic/reactions',
        headers: { 'X-Colloquy-Reader': 'r'.repeat(129) },
        body: { kind: 'like' },
      },
      {
        name: 'reaction with SQL in the reader key',
        method: 'POST',
        path: '/api/v1/topics/topic/reactions',
        headers: { 'X-Colloquy-Reader': "x' OR 1=1 --aaaaaaaaaaaa" },
        body: { kind: 'like' },
      },
    );

    const topicCase = (what: string, body: object) =>
      cases.push({
        name: `admin upsert with ${what}`,
        method: 'POST',
        path: '/api/v1/topics',
        headers: admin,
        body,
      });
    topicCase('a javascript: url', { id: 'topic', title: 'T', url: 'javascript:alert(1)' });
    topicCase('a control character in the title', { id: 'topic', title: 'T\u0007' });
    topicCase('a lone surrogate in the title', { id: 'topic', title: 'T\ud800' });
    topicCase('a bad createdAt', { id: 'topic', title: 'T', createdAt: 'yesterday' });
    topicCase('sources as an object', { id: 'topic', title: 'T', sources: { title: 'x' } });
    topicCase('101 sources', {
      id: 'topic',
      title: 'T',
      sources: Array.from({ length: 101 }, () => ({ title: 's', url: 'https://s.example/' })),
    });
    topicCase('locked as a string', { id: 'topic', title: 'T', locked: 'yes' });
    topicCase('a body over 50,000 characters', { id: 'topic', title: 'T', body: 'x'.repeat(50_001) });
    cases.push(
      {
        name: 'admin ban with nothing to ban',
        method: 'POST',
        path: '/api/v1/admin/bans',
        headers: admin,
        body: {},
      },
      {
        name: 'admin ban with a bad address',
        method: 'POST',
        path: '/api/v1/admin/bans',
        headers: admin,
        body: { addressPrefix: '999.1.1.1' },
      },
      {
        name: 'admin ban with SQL as address',
        method: 'POST',
        path: '/api/v1/admin/bans',
        headers: admin,
        body: { addressPrefix: "1' OR 1=1" },
      },
      {
        name: 'admin ban with a short reader key',
        method: 'POST',
        path: '/api/v1/admin/bans',
        headers: admin,
        body: { readerKey: 'x' },
      },
      {
        name: 'admin lock of a missing topic',
        method: 'POST',
        path: '/api/v1/admin/topics/nope/lock',
        headers: admin,
        body: { locked: true },
      },
      {
        name: 'admin lock with locked null',
        method: 'POST',
        path: '/api/v1/admin/topics/topic/lock',
        headers: admin,
        body: { locked: null },
      },
      {
        name: 'admin approve of a missing reply',
        method: 'POST',
        path: '/api/v1/admin/replies/NOPE/approve',
        headers: admin,
      },
      { name: 'admin pending without the token', method: 'GET', path: '/api/v1/admin/pending' },
      {
        name: 'admin pending with a wrong token',
        method: 'GET',
        path: '/api/v1/admin/pending',
        headers: { Authorization: 'Bearer wrong' },
      },
    );

    // Notifications: the author's address, webhook subscriptions, the delivery log, email links.
    replyCase('an email that is not an address', { authorName: 'A', body: 'b', email: 'not-an-address' });
    replyCase('an email with a header break', {
      authorName: 'A',
      body: 'b',
      email: 'a@example.org\r\nBcc: x@example.org',
    });
    replyCase('an email over 254 characters', {
      authorName: 'A',
      body: 'b',
      email: `${'a'.repeat(250)}@example.org`,
    });
    replyCase('a numeric email', { authorName: 'A', body: 'b', email: 42 });
    const hookCase = (what: string, body: object) =>
      cases.push({
        name: `admin webhook with ${what}`,
        method: 'POST',
        path: '/api/v1/admin/webhooks',
        headers: admin,
        body,
      });
    const events = ['reply.created'];
    hookCase('no url', { events });
    hookCase('a javascript: url', { url: 'javascript:alert(1)', events });
    hookCase('a file: url', { url: 'file:///etc/passwd', events });
    hookCase('a loopback url', { url: 'http://127.0.0.1:8787/', events });
    hookCase('a metadata url', { url: 'http://169.254.169.254/latest/meta-data/', events });
    hookCase('an IPv6 loopback url', { url: 'http://[::1]/', events });
    hookCase('a localhost url', { url: 'http://localhost/', events });
    hookCase('credentials in the url', { url: 'https://user:pw@hooks.example.org/', events });
    hookCase('a url over 2048 characters', { url: `https://hooks.example.org/${'a'.repeat(2048)}`, events });
    hookCase('no events', { url: 'https://hooks.example.org/' });
    hookCase('an unknown event', { url: 'https://hooks.example.org/', events: ['reply.deleted'] });
    hookCase('events as a string', { url: 'https://hooks.example.org/', events: 'reply.created' });
    hookCase('a weak secret', { url: 'https://hooks.example.org/', events, secret: 'hunter2' });
    hookCase('a secret of 16 bytes', {
      url: 'https://hooks.example.org/',
      events,
      secret: `whsec_${Buffer.alloc(16).toString('base64')}`,
    });
    hookCase('an unknown field', { url: 'https://hooks.example.org/', events, active: true });
    hookCase('a description with a newline', {
      url: 'https://hooks.example.org/',
      events,
      description: 'a\nb',
    });
    cases.push(
      {
        name: 'admin webhook without the token',
        method: 'POST',
        path: '/api/v1/admin/webhooks',
        body: { url: 'https://hooks.example.org/', events },
      },
      {
        name: 'admin webhooks with a wrong token',
        method: 'GET',
        path: '/api/v1/admin/webhooks',
        headers: { Authorization: 'Bearer wrong' },
      },
      {
        name: 'admin delete of a missing webhook',
        method: 'DELETE',
        path: '/api/v1/admin/webhooks/wh_missing',
        headers: admin,
      },
      {
        name: 'admin delete of a malformed webhook id',
        method: 'DELETE',
        path: `/api/v1/admin/webhooks/${enc("x' OR 1=1")}`,
        headers: admin,
      },
      {
        name: 'deliveries with limit 0',
        method: 'GET',
        path: '/api/v1/admin/deliveries?limit=0',
        headers: admin,
      },
      {
        name: 'deliveries with limit 101',
        method: 'GET',
        path: '/api/v1/admin/deliveries?limit=101',
        headers: admin,
      },
      {
        name: 'deliveries with a negative cursor',
        method: 'GET',
        path: '/api/v1/admin/deliveries?before=-1',
        headers: admin,
      },
      {
        name: 'deliveries with SQL in the cursor',
        method: 'GET',
        path: `/api/v1/admin/deliveries?before=${enc('1 OR 1=1')}`,
        headers: admin,
      },
      {
        name: 'deliveries of an unknown status',
        method: 'GET',
        path: '/api/v1/admin/deliveries?status=lost',
        headers: admin,
      },
      { name: 'deliveries without the token', method: 'GET', path: '/api/v1/admin/deliveries' },
      { name: 'feed with a POST', method: 'POST', path: '/api/v1/feed.atom', body: {} },
    );
    for (const [what, token] of [
      ['garbage', 'garbage'],
      [
        'a forged payload',
        `${Buffer.from('{"a":"approve","r":"x","n":"y","e":9999999999}').toString('base64url')}.AAAA`,
      ],
      ['a huge token', `${'A'.repeat(5000)}.B`],
      ['SQL', enc("x.y' OR 1=1")],
    ] as const) {
      for (const method of ['GET', 'POST']) {
        cases.push(
          { name: `${method} moderation link with ${what}`, method, path: `/email/moderate/${token}` },
          { name: `${method} unsubscribe link with ${what}`, method, path: `/email/unsubscribe/${token}` },
        );
      }
    }
  }

  it('answers every case with a 4xx problem and leaves the store unchanged', async () => {
    assert.ok(cases.length > 250, `${cases.length} cases`);
    const file = join(t.dir, 'colloquy.db');
    const before = snapshot(file);
    const failures: string[] = [];
    for (const c of cases) {
      const isAdmin = c.headers?.Authorization === admin.Authorization;
      const headers: Record<string, string> = {
        ...(isAdmin ? { 'Content-Type': 'application/json' } : browser),
        ...c.headers,
      };
      for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
      const init: RequestInit = { method: c.method, headers };
      if (c.body !== undefined) init.body = typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
      // A path with a NUL or a space cannot be a URL; percent-encode what the client would.
      const res = await t.app.request(
        c.path.replace(/[\u0000 ]/g, (ch) => enc(ch)),
        init,
      );
      const text = await res.text();
      let problem: { status?: unknown } = {};
      try {
        problem = JSON.parse(text) as { status?: unknown };
      } catch {
        // reported below
      }
      if (res.status < 400 || res.status > 499)
        failures.push(`${c.name}: ${res.status} ${text.slice(0, 200)}`);
      else if (res.headers.get('Content-Type') !== 'application/problem+json')
        failures.push(`${c.name}: content type ${res.headers.get('Content-Type')}`);
      else if (problem.status !== res.status)
        failures.push(`${c.name}: problem status ${String(problem.status)} vs ${res.status}`);
      if (snapshot(file) !== before) {
        failures.push(`${c.name}: changed the store`);
        break;
      }
    }
    assert.deepEqual(failures, []);
  });

  it('still serves the fixtures afterwards', async () => {
    const res = await t.app.request('/api/v1/topics/topic');
    assert.equal(res.status, 200);
  });
});
