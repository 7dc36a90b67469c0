// @colloquy/ssr as a Node host app uses it, from the built packages: the elements rendered
// with a topic's read into Declarative Shadow DOM, the read embedded for hydration (safe
// whatever the replies say), and schema.org JSON-LD that passes what search engines require;
// renderDiscussion() against a real Colloquy server process.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DiscussionReadError,
  discussionJsonLd,
  renderDiscussion,
  renderEmpty,
  renderLanguage,
  renderRead,
} from '@colloquy/ssr';
import { HOSTILE_PAYLOADS } from '../packages/widget/dist/security/hostile-payloads.fixtures.js';
import { freePort } from '../scripts/free-port.js';
import { startServerProcess } from '../scripts/server-process.js';
import { discussionForumPostingProblems } from './schema-org.js';

const API = 'https://discuss.example.org';
const reactions = (like = 0) => ({ like, insightful: 0, disagree: 0 });
const reply = (id, text, extra = {}) => ({
  id,
  topicId: 't',
  parentId: null,
  depth: 0,
  author: { name: `Author of ${id}` },
  createdAt: '2026-04-21T11:00:00.000Z',
  editedAt: null,
  body: [{ t: 'p', c: [{ t: 'text', v: text }] }],
  text,
  reactions: reactions(),
  status: 'published',
  ...extra,
});
const readOf = (replies) => ({
  id: 't',
  title: 'A topic',
  url: 'https://news.example/a',
  category: null,
  label: null,
  summary: 'The summary.',
  author: { name: 'Ann', avatarUrl: null },
  createdAt: '2026-04-21T10:00:00.000Z',
  body: [{ t: 'p', c: [{ t: 'text', v: 'The body.' }] }],
  text: 'The body.',
  sources: [{ n: 1, title: 'A source', url: 'https://source.example/x' }],
  reactions: reactions(3),
  replyCount: replies.filter((r) => r.status === 'published').length,
  locked: false,
  replies,
  nextCursor: null,
  moreInThread: null,
  lastEventId: '7',
});

/** The JSON of the fragment's script of `type`, parsed. */
function scriptJson(html, type) {
  const scripts = [...html.matchAll(/<script type="([^"]+)"[^>]*>([^<]*)<\/script>/g)];
  const found = scripts.filter((m) => m[1] === type);
  assert.equal(found.length, 1, `one ${type} script`);
  return JSON.parse(found[0][2]);
}

describe('renderRead', () => {
  test('renders the elements with their data into declarative shadow roots, and the read beside them', () => {
    const read = readOf([reply('r1', 'First reply.')]);
    const { html, elements, scripts } = renderRead(read, { api: `${API}/`, topic: 't' });
    assert.equal(html, elements['topic-card'] + elements['source-list'] + elements['reply-thread'] + scripts);
    for (const tag of ['topic-card', 'source-list', 'reply-thread'])
      assert.match(
        elements[tag],
        new RegExp(`^(<!--[^>]*-->)*<${tag} [^>]*><template shadowroot="open" shadowrootmode="open">`),
      );
    assert.match(elements['topic-card'], /A topic/);
    assert.match(elements['source-list'], /A source/);
    assert.match(elements['reply-thread'], /First reply\./);
    assert.doesNotMatch(html, /<p part="?loading/);
    const data = scriptJson(html, 'application/json');
    assert.deepEqual(data, { api: API, topic: 't', lang: 'en', read });
  });

  test('keeps nothing between renders: a later render without data shows no earlier read', () => {
    renderRead(readOf([reply('r1', 'Kept nowhere.')]), { api: API, topic: 't' });
    const { html } = renderEmpty({ api: API, topic: 't' });
    assert.doesNotMatch(html, /Kept nowhere\./);
    assert.equal(html.match(/<p part="?loading/g)?.length, 3);
  });

  test('only the elements asked for, in that order', () => {
    const { elements, html } = renderRead(readOf([]), { api: API, topic: 't', elements: ['reply-thread'] });
    assert.deepEqual(Object.keys(elements), ['reply-thread']);
    assert.doesNotMatch(html, /<topic-card/);
  });

  test('no reply can end the embedded scripts or open a comment in them; JSON.parse gives every one back', () => {
    const replies = HOSTILE_PAYLOADS.map((text, i) => reply(`h${i}`, text));
    replies.push(reply('x', '</SCRIPT ><!-- <script> </script\t>'));
    const { scripts } = renderRead(readOf(replies), { api: API, topic: 't' });
    // Two scripts, each ending where it should: no `<` inside their text at all.
    assert.equal(scripts.match(/<\/script/gi)?.length, 2);
    for (const [, text] of scripts.matchAll(/<script[^>]*>(.*?)<\/script>/gs)) assert.doesNotMatch(text, /</);
    const { read } = scriptJson(scripts, 'application/json');
    assert.deepEqual(
      read.replies.map((r) => r.text),
      replies.map((r) => r.text),
    );
    const ld = scriptJson(scripts, 'application/ld+json');
    assert.equal(ld.comment.at(-1).text, '</SCRIPT ><!-- <script> </script\t>');
  });

  test('a language written right to left renders right to left, with its plural forms', () => {
    const ar = renderRead(readOf([reply('r1', 'x'), reply('r2', 'y')]), { api: API, topic: 't', lang: 'ar' });
    for (const [name, html] of Object.entries(ar.elements))
      assert.match(html, new RegExp(`<${name}[^>]* dir="rtl"`), `${name} has dir="rtl"`);
    assert.match(ar.elements['reply-thread'], /ردّان/); // "two replies", the dual
    const ru = renderRead(readOf([reply('r1', 'x')]), { api: API, topic: 't', lang: 'ru' });
    assert.match(ru.elements['reply-thread'], /1 ответ</);
    // A language written left to right leaves the direction to the page.
    for (const [name, html] of Object.entries(ru.elements))
      assert.doesNotMatch(html, new RegExp(`<${name}[^>]* dir=`), name);
  });

  test('lang: the catalog of its primary subtag, carried for the browser; English when there is none', () => {
    const de = renderRead(readOf([reply('r1', 'x')]), { api: API, topic: 't', lang: 'de-CH' });
    assert.match(de.elements['reply-thread'], /lang="de"/);
    assert.match(de.elements['reply-thread'], /Antworten \(1\)/);
    assert.equal(scriptJson(de.html, 'application/json').messages.post, 'Antwort senden');
    const xx = renderRead(readOf([]), { api: API, topic: 't', lang: 'xx-YY' });
    assert.match(xx.elements['reply-thread'], /lang="en"/);
    assert.equal(scriptJson(xx.html, 'application/json').messages, undefined);
    assert.deepEqual(['de', 'DE-at', 'pt-BR', 'xx', '', undefined, 'en-GB'].map(renderLanguage), [
      'de',
      'de',
      'pt',
      'en',
      'en',
      'en',
      'en',
    ]);
  });
});

describe('schema.org JSON-LD', () => {
  const read = readOf([
    reply('a', 'Top-level reply.', { reactions: { like: 2, insightful: 1, disagree: 0 } }),
    reply('b', 'An answer to it.', { parentId: 'a', depth: 1, editedAt: '2026-04-21T12:00:00.000Z' }),
    reply('c', '', { status: 'deleted', author: { name: '' } }),
    reply('d', 'Held for review.', { status: 'pending' }),
  ]);

  test('a DiscussionForumPosting with the required and recommended properties, replies as a Comment tree', () => {
    const ld = scriptJson(renderRead(read, { api: API, topic: 't' }).html, 'application/ld+json');
    assert.deepEqual(discussionForumPostingProblems(ld), []);
    assert.equal(ld.headline, 'A topic');
    assert.equal(ld.url, 'https://news.example/a');
    assert.deepEqual(ld.author, { '@type': 'Person', name: 'Ann' });
    assert.equal(ld.commentCount, 2);
    assert.equal(ld.comment.length, 1, 'the answer nests under its parent');
    assert.equal(ld.comment[0].comment[0].text, 'An answer to it.');
    assert.equal(ld.comment[0].comment[0].dateModified, '2026-04-21T12:00:00.000Z');
    const likes = ld.comment[0].interactionStatistic.find((c) => c.interactionType.endsWith('/LikeAction'));
    assert.equal(likes.userInteractionCount, 2);
    assert.doesNotMatch(JSON.stringify(ld), /Held for review/, 'a held reply is not public');
  });

  test('a topic without author or URL of its own: the page it is on, and its site as author', () => {
    const page = { ...read, id: 'https://blog.example/post', url: null, author: null };
    const ld = discussionJsonLd(page);
    assert.deepEqual(discussionForumPostingProblems(ld), []);
    assert.equal(ld.url, 'https://blog.example/post');
    assert.equal(ld.author['@type'], 'Organization');
    assert.equal(ld.author.name, 'blog.example');
  });

  test('the check finds what search engines would refuse', () => {
    const ld = discussionJsonLd(read);
    const broken = structuredClone(ld);
    delete broken.author;
    broken.datePublished = 'yesterday';
    broken.comment[0].text = '';
    broken.comment[0].author.name = ' ';
    broken.interactionStatistic[0].interactionType = 'likes';
    broken.commentCount = 0;
    const problems = discussionForumPostingProblems(broken);
    for (const expected of [
      /posting: author is required/,
      /posting: datePublished/,
      /comment\[0\]: text/,
      /comment\[0\]\.author\[0\]: name/,
      /interactionType/,
      /commentCount 0/,
    ])
      assert.ok(
        problems.some((p) => expected.test(p)),
        `${expected} in ${problems.join('; ')}`,
      );
  });
});

describe('renderDiscussion against a Colloquy server', () => {
  let dir;
  let api;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'colloquy-ssr-render-'));
    api = await startServerProcess({
      env: { PORT: String(await freePort()), COLLOQUY_DB: join(dir, 'colloquy.db') },
      args: ['--seed'],
    });
  });
  after(async () => {
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('fetches the read and renders it, as the JSON API returns it', async () => {
    const pageUrl = 'https://news.example/rsp-update';
    const { html } = await renderDiscussion({ api: api.url, topic: 'rsp-update', pageUrl });
    const read = await (await fetch(`${api.url}/api/v1/topics/rsp-update`)).json();
    assert.deepEqual(scriptJson(html, 'application/json').read, read);
    assert.match(html, /Updated Responsible Scaling Policy: a step towards safe AI/);
    const ld = scriptJson(html, 'application/ld+json');
    assert.deepEqual(discussionForumPostingProblems(ld), []);
    assert.equal(ld.url, pageUrl);
  });

  test('a page topic not created yet renders without data, for the browser to read', async () => {
    const { html, scripts } = await renderDiscussion({ api: api.url, topic: 'https://blog.example/new' });
    assert.equal(scripts, '');
    assert.equal(html.match(/<p part="?loading/g)?.length, 3);
  });

  test('a refused or unreachable read rejects with its status', async () => {
    await assert.rejects(renderDiscussion({ api: api.url, topic: '-bad' }), (error) => {
      assert.ok(error instanceof DiscussionReadError);
      assert.equal(error.status, 400);
      return true;
    });
    const closed = `http://127.0.0.1:${await freePort()}`;
    await assert.rejects(renderDiscussion({ api: closed, topic: 'rsp-update' }), { status: 0 });
  });
});
