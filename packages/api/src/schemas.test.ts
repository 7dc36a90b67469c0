import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { MAX_NAME_LENGTH, MAX_PAGE_SIZE, MAX_REPLY_BODY_LENGTH, MAX_SOURCES, MAX_TITLE_LENGTH } from './limits.js';
import { banInput, newReply, pageQuery, topicInput, type NewReply } from './schemas.js';

describe('the request schemas', () => {
  it('accept exactly up to the named limits', () => {
    const reply = (body: string, authorName: string) => newReply.safeParse({ body, authorName }).success;
    assert.equal(reply('x'.repeat(MAX_REPLY_BODY_LENGTH), 'n'.repeat(MAX_NAME_LENGTH)), true);
    assert.equal(reply('x'.repeat(MAX_REPLY_BODY_LENGTH + 1), 'n'), false);
    assert.equal(reply('x', 'n'.repeat(MAX_NAME_LENGTH + 1)), false);
    assert.equal(topicInput.safeParse({ id: 'a', title: 't'.repeat(MAX_TITLE_LENGTH) }).success, true);
    assert.equal(topicInput.safeParse({ id: 'a', title: 't'.repeat(MAX_TITLE_LENGTH + 1) }).success, false);
    const sources = (n: number) => Array.from({ length: n }, () => ({ title: 's', url: 'https://example.org/' }));
    assert.equal(topicInput.safeParse({ id: 'a', title: 't', sources: sources(MAX_SOURCES) }).success, true);
    assert.equal(topicInput.safeParse({ id: 'a', title: 't', sources: sources(MAX_SOURCES + 1) }).success, false);
    assert.deepEqual(pageQuery.parse({ limit: String(MAX_PAGE_SIZE) }), { limit: MAX_PAGE_SIZE });
    assert.equal(pageQuery.safeParse({ limit: String(MAX_PAGE_SIZE + 1) }).success, false);
    assert.equal(pageQuery.safeParse({ limit: '0' }).success, false);
  });

  it('name the field and the rule in their messages', () => {
    const result = newReply.safeParse({ body: '   ', authorName: 'a\u202eb' });
    assert.deepEqual(
      result.error?.issues.map((issue) => issue.message),
      ['body must be 1–10,000 characters', 'authorName must not contain bidirectional override characters'],
    );
  });

  it('type a request as the schema reads it', () => {
    const input: NewReply = { body: 'Hello', authorName: 'Ada', parentId: null };
    assert.deepEqual(newReply.parse(input), input);
    assert.equal(banInput.safeParse({}).success, false, 'a ban names a reader, a network or both');
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
