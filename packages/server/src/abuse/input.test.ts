import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { CreatedReply, TopicWithReplies } from '@colloquy/api';
import { renderMarkdown } from '../index.js';
import { legacyNameKey, nameKey } from '../services/names.js';
import { ADMIN_TOKEN, expectProblem, json, ORIGIN, testApp, type TestApp } from '../testing/helpers.js';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const JWT_SECRET = 'site-jwt-secret-for-input-tests';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function jwt(claims: Record<string, unknown>) {
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ exp: Math.floor(Date.now() / 1000) + 3600, ...claims })}`;
  return `${head}.${createHmac('sha256', JWT_SECRET).update(head).digest('base64url')}`;
}

describe('names', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ jwtSecret: JWT_SECRET });
    await t.app.request('/api/v1/topics', json({ id: 'topic', title: 'Topic' }, admin));
  });
  after(() => t.close());
  const post = (authorName: string, headers: Record<string, string> = {}) =>
    t.app.request('/api/v1/topics/topic/replies', json({ authorName, body: 'hello' }, headers));

  it('refuses invisible and bidirectional control characters, and names made only of them', async () => {
    for (const name of [
      'Al\u200dice', // zero-width joiner
      'Al\u200bice', // zero-width space
      'Al\u00adice', // soft hyphen
      '\u200b\u200c\u200d', // nothing visible at all
      '\u3164', // Hangul filler
      '\u2800\u2800', // Braille blanks
      '\u115f\u1160',
      'ecila\u202e', // right-to-left override
      'Alice\u2066x\u2069', // isolate
      'Alice\u200f', // right-to-left mark
      'Alice\u{e0041}', // tag character
      'a\u0301\u0301\u0301\u0301\u0301\u0301', // stacked combining marks
      '\u0301\u0301', // marks with nothing to sit on
      '\ud800Alice', // lone surrogate
    ]) {
      const problem = await expectProblem(await post(name), 422);
      assert.equal(problem.errors?.[0]?.path, 'authorName', JSON.stringify(name));
    }
  });

  it('stores names NFKC-normalized and takes joiners where writing needs them', async () => {
    const stored = async (name: string) => {
      const res = await post(name);
      assert.equal(res.status, 201, `${JSON.stringify(name)}: ${await res.clone().text()}`);
      return ((await res.json()) as CreatedReply).author.name;
    };
    assert.equal(await stored('Ｆｕｌｌ　Ｗｉｄｔｈ'), 'Full Width');
    assert.equal(await stored('ﬁona'), 'fiona');
    assert.equal(await stored('👩\u200d💻 Ada'), '👩\u200d💻 Ada');
    assert.equal(await stored('❤\ufe0f Ben'), '❤\ufe0f Ben');
    assert.equal(await stored('می\u200cخواهم'), 'می\u200cخواهم');
    assert.equal(await stored('Zoë'), 'Zoë'.normalize('NFC'));
  });

  it("reserves a signed-in user's name against its look-alikes, by confusable skeleton", async () => {
    const signed = await post('ignored', {
      Authorization: `Bearer ${jwt({ sub: 'u-1', name: 'Alice Admin' })}`,
    });
    assert.equal(signed.status, 201, await signed.text());
    for (const lookalike of [
      'Alice Admin',
      'alice admin',
      '\u0410lice Admin', // Cyrillic А
      'AIice Admin', // capital I for l
      'Alice Adrnin', // rn for m
      'Аlicе Аdmіn', // several Cyrillic letters
      'Ａｌｉｃｅ Ａｄｍｉｎ', // full width
      'Alice  Admin ', // spacing
    ]) {
      const problem = await expectProblem(await post(lookalike), 409);
      assert.match(problem.type, /name-reserved/, lookalike);
    }
    assert.equal((await post('Alicia Admin')).status, 201);
    // The same user keeps posting under the name.
    const again = await post('x', { Authorization: `Bearer ${jwt({ sub: 'u-1', name: 'Alice Admin' })}` });
    assert.equal(again.status, 201);
    // A name claimed before keys were skeletons ("tom" then, "torn" now) stays reserved.
    await t.store.createReply({
      topicId: 'topic',
      parentId: null,
      authorName: 'Tom',
      ...renderMarkdown('old'),
      verifiedSub: 'u-old',
      nameKey: legacyNameKey('Tom'),
    });
    assert.notEqual(nameKey('Tom'), legacyNameKey('Tom'));
    await expectProblem(await post('Tom'), 409);
    // A token whose name breaks the rules of a typed one is refused.
    const hidden = await post('x', { Authorization: `Bearer ${jwt({ sub: 'u-2', name: 'Bob\u200b' })}` });
    await expectProblem(hidden, 401);
  });
});

describe('URLs and ids', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  it('stores every URL in the form it was checked in', async () => {
    const res = await t.app.request(
      '/api/v1/topics',
      json(
        {
          id: 'linked',
          title: 'Linked',
          url: '&#104;ttps://example.org/story',
          author: { name: 'A', avatarUrl: 'h&#x74;tps://img.example.org/a.png' },
          sources: [{ title: 'S', url: 'https://EXAMPLE.org/a/../b' }],
          body: '[x](&#104;ttps://example.org/y)',
        },
        admin,
      ),
    );
    assert.equal(res.status, 201, await res.clone().text());
    const topic = (await (await t.app.request('/api/v1/topics/linked')).json()) as TopicWithReplies;
    assert.equal(topic.url, 'https://example.org/story');
    assert.equal(topic.author?.avatarUrl, 'https://img.example.org/a.png');
    assert.equal(topic.sources[0]?.url, 'https://example.org/b');
    assert.match(JSON.stringify(topic.body), /"href":"https:\/\/example\.org\/y"/);
  });

  it('refuses topic ids that are not valid Unicode', async () => {
    for (const id of ['https://example.org/\ud800', 'https://example.org/a\udfffb']) {
      await expectProblem(await t.app.request('/api/v1/topics', json({ id, title: 'T' }, admin)), 422);
    }
    assert.equal(await t.store.countTopics(), 1);
  });
});

describe('page topics', () => {
  const page = `${ORIGIN}/articles/one`;
  const variants = [
    `${ORIGIN.toUpperCase()}/articles/one`,
    `${ORIGIN}/articles/./x/../one`,
    `${ORIGIN}/articles/one?utm_source=news&utm_medium=mail&fbclid=abc&gclid=def`,
    `${ORIGIN}/articles/one#comments`,
    `${ORIGIN}/%61rticles/one`,
    `http://localhost:8080/articles/one?`,
  ];
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());
  const reply = (id: string, extra: object = {}) =>
    t.app.request(
      `/api/v1/topics/${encodeURIComponent(id)}/replies`,
      json({ authorName: 'Reader', body: 'hi', ...extra }),
    );

  it('maps the variants of a page URL to one topic', async () => {
    assert.equal((await reply(variants[0] ?? page)).status, 201);
    for (const variant of variants) {
      const res = await t.app.request(`/api/v1/topics/${encodeURIComponent(variant)}`);
      assert.equal(res.status, 200, variant);
      assert.equal(((await res.json()) as TopicWithReplies).id, page);
      assert.equal((await reply(variant)).status, 201, variant);
    }
    assert.equal(await t.store.countTopics(), 1);
    const topic = (await (
      await t.app.request(`/api/v1/topics/${encodeURIComponent(page)}`)
    ).json()) as TopicWithReplies;
    assert.equal(topic.replyCount, variants.length + 1);
    // NFC and percent-encoding: é composed, decomposed and encoded name one page.
    for (const spelling of [`${ORIGIN}/caf\u00e9`, `${ORIGIN}/cafe\u0301`, `${ORIGIN}/caf%c3%a9`]) {
      assert.equal((await reply(spelling)).status, 201);
    }
    assert.equal(await t.store.countTopics(), 2);
  });

  it('never takes the title from the request that created the topic', async () => {
    const other = `${ORIGIN}/articles/two`;
    const res = await reply(other, { pageTitle: 'OFFICIAL NOTICE: this site has moved to evil.example' });
    assert.equal(res.status, 201);
    const topic = (await (
      await t.app.request(`/api/v1/topics/${encodeURIComponent(other)}`)
    ).json()) as TopicWithReplies;
    assert.equal(topic.title, other);
    assert.doesNotMatch(JSON.stringify(topic), /OFFICIAL NOTICE/);
  });

  it('creates no page topics with COLLOQUY_PAGE_TOPICS=off', async () => {
    const off = await testApp({ pageTopics: false });
    try {
      const res = await off.app.request(
        `/api/v1/topics/${encodeURIComponent(page)}/replies`,
        json({ authorName: 'Reader', body: 'hi' }),
      );
      await expectProblem(res, 404);
      assert.equal(await off.store.countTopics(), 0);
    } finally {
      await off.close();
    }
  });
});
