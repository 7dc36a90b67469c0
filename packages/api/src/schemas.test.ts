import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  MAX_NAME_LENGTH,
  MAX_PAGE_SIZE,
  MAX_REPLY_BODY_LENGTH,
  MAX_SOURCES,
  MAX_TITLE_LENGTH,
} from './limits.js';
import {
  banInput,
  deliveriesQuery,
  newReply,
  pageQuery,
  replyEdit,
  topicInput,
  webhookInput,
  type NewReply,
} from './schemas.js';

describe('the request schemas', () => {
  it('accept exactly up to the named limits', () => {
    const reply = (body: string, authorName: string) => newReply.safeParse({ body, authorName }).success;
    assert.equal(reply('x'.repeat(MAX_REPLY_BODY_LENGTH), 'n'.repeat(MAX_NAME_LENGTH)), true);
    assert.equal(reply('x'.repeat(MAX_REPLY_BODY_LENGTH + 1), 'n'), false);
    assert.equal(reply('x', 'n'.repeat(MAX_NAME_LENGTH + 1)), false);
    assert.equal(topicInput.safeParse({ id: 'a', title: 't'.repeat(MAX_TITLE_LENGTH) }).success, true);
    assert.equal(topicInput.safeParse({ id: 'a', title: 't'.repeat(MAX_TITLE_LENGTH + 1) }).success, false);
    const sources = (n: number) =>
      Array.from({ length: n }, () => ({ title: 's', url: 'https://example.org/' }));
    assert.equal(topicInput.safeParse({ id: 'a', title: 't', sources: sources(MAX_SOURCES) }).success, true);
    assert.equal(
      topicInput.safeParse({ id: 'a', title: 't', sources: sources(MAX_SOURCES + 1) }).success,
      false,
    );
    assert.deepEqual(pageQuery.parse({ limit: String(MAX_PAGE_SIZE) }), { limit: MAX_PAGE_SIZE });
    assert.equal(pageQuery.safeParse({ limit: String(MAX_PAGE_SIZE + 1) }).success, false);
    assert.equal(pageQuery.safeParse({ limit: '0' }).success, false);
  });

  it('name the field and the rule in their messages', () => {
    const result = newReply.safeParse({ body: '   ', authorName: 'a\u202eb' });
    assert.deepEqual(
      result.error?.issues.map((issue) => issue.message),
      ['body must be 1–10,000 characters', 'authorName must not contain bidirectional control characters'],
    );
  });

  it('keep a body as written, refusing only one of white space alone', () => {
    assert.equal(newReply.parse({ body: '    code\n', authorName: 'n' }).body, '    code\n');
    assert.equal(replyEdit.parse({ body: '\n  - item' }).body, '\n  - item');
    for (const body of ['', ' \n\t ']) {
      assert.deepEqual(
        replyEdit.safeParse({ body }).error?.issues.map((issue) => issue.message),
        ['body must be 1–10,000 characters'],
        JSON.stringify(body),
      );
    }
  });

  it('type a request as the schema reads it', () => {
    const input: NewReply = { body: 'Hello', authorName: 'Ada', parentId: null };
    assert.deepEqual(newReply.parse(input), input);
    assert.equal(banInput.safeParse({}).success, false, 'a ban names a reader, a network or both');
  });
});

describe('the notification schemas', () => {
  it('take an optional author email, refusing what is not an address or too long', () => {
    assert.equal(newReply.safeParse({ body: 'x', authorName: 'n', email: 'ann@example.org' }).success, true);
    for (const email of [
      'ann',
      'ann@',
      '@example.org',
      'ann@example.org\nBcc: x@example.org',
      `${'a'.repeat(250)}@example.org`,
      7,
    ]) {
      assert.equal(newReply.safeParse({ body: 'x', authorName: 'n', email }).success, false, String(email));
    }
  });

  it('subscribe an http(s) URL to known events, with a given secret only in the Standard Webhooks form', () => {
    const base = {
      url: 'https://hooks.example.org/colloquy',
      events: ['reply.created', 'reply.created', 'reply.hidden'],
    };
    assert.deepEqual(
      webhookInput.parse(base).events,
      ['reply.created', 'reply.hidden'],
      'duplicates collapse',
    );
    const secret24 = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
    const secret64 = `whsec_${Buffer.alloc(64, 7).toString('base64')}`;
    assert.equal(webhookInput.safeParse({ ...base, secret: secret24 }).success, true);
    assert.equal(webhookInput.safeParse({ ...base, secret: secret64 }).success, true);
    for (const secret of [
      `whsec_${Buffer.alloc(23, 7).toString('base64')}`,
      `whsec_${Buffer.alloc(65, 7).toString('base64')}`,
      'hunter2',
      `whsec_${'A'.repeat(33)}`,
    ]) {
      assert.equal(webhookInput.safeParse({ ...base, secret }).success, false, secret);
    }
    for (const url of [
      'ftp://example.org/',
      'javascript:alert(1)',
      'https://user:pw@example.org/',
      '/relative',
    ]) {
      assert.equal(webhookInput.safeParse({ ...base, url }).success, false, url);
    }
    assert.equal(webhookInput.safeParse({ ...base, events: [] }).success, false);
    assert.equal(webhookInput.safeParse({ ...base, events: ['reply.deleted'] }).success, false);
    assert.equal(webhookInput.safeParse({ ...base, extra: 1 }).success, false);
  });

  it('page the delivery log within bounds', () => {
    assert.deepEqual(deliveriesQuery.parse({ limit: '100', before: '42' }), { limit: 100, before: '42' });
    for (const query of [
      { limit: '0' },
      { limit: '101' },
      { before: '-1' },
      { before: '1e9' },
      { status: 'lost' },
      { webhook: 'x' },
    ]) {
      assert.equal(deliveriesQuery.safeParse(query).success, false, JSON.stringify(query));
    }
  });
});

describe('the package entry', () => {
  it('never loads zod or the schemas at run time, so a browser bundle of it stays without them', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(new URL(file, import.meta.url), 'utf8');
      // Type-only imports and exports are erased from the JavaScript.
      for (const [, specifier] of source.matchAll(/^(?:import|export)(?! type)[^;]*? from '([^']+)'/gms)) {
        assert.ok(specifier!.startsWith('./'), `${file} loads ${specifier}`);
        assert.notEqual(specifier, './schemas.js', `${file} loads the schemas`);
        visit(specifier!.replace(/\.js$/, '.ts'));
      }
    };
    visit('./index.ts');
    assert.ok(seen.has('./doc.ts') && seen.has('./limits.ts'), 'the walk followed the entry');
  });
});
