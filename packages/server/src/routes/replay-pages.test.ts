import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { renderMarkdown } from '../index.js';
import { counting } from '../testing/instances.js';
import { testApp } from '../testing/helpers.js';
import { ReplayPages } from './replay-pages.js';

type TestApp = Awaited<ReturnType<typeof testApp>>;
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('ReplayPages', () => {
  let t: TestApp;
  const replyIds: string[] = [];
  before(async () => {
    t = await testApp();
    for (const id of ['a', 'b']) {
      await t.store.upsertTopic({
        id,
        title: id,
        url: null,
        category: null,
        label: null,
        summary: null,
        author: null,
        ...renderMarkdown('Topic'),
        sources: [],
        locked: false,
      });
    }
    for (let k = 0; k < 10; k++) {
      const reply = await t.store.createReply({
        topicId: 'a',
        parentId: null,
        authorName: 'Ann',
        ...renderMarkdown(`reply ${k}`),
      });
      replyIds.push(reply.id);
    }
  });
  after(() => t.close());

  it('reads a page once for all who ask while the topic is unchanged', async () => {
    const { store, calls } = counting(t.store);
    const pages = new ReplayPages(store, 5, 1 << 20);
    const first = await pages.page('a', '0');
    for (let k = 0; k < 50; k++) assert.equal(await pages.page('a', '0'), first);
    assert.equal(calls.get('listEvents'), 1);
    assert.equal(first.count, 5);
    const events = await t.store.listEvents('a', '0', 5);
    assert.equal(first.lastId, events.at(-1)?.id);
    assert.match(decode(first.bytes), /^id: \d+\nevent: reply-created\ndata: \{/);
  });

  it('reads again after any write to the topic, so a redaction is never served from memory', async () => {
    const pages = new ReplayPages(t.store, 50, 1 << 20);
    assert.match(decode((await pages.page('a', '0')).bytes), /reply 3/);
    await t.store.setReplyStatus(replyIds[3] ?? '', 'hidden');
    assert.doesNotMatch(decode((await pages.page('a', '0')).bytes), /reply 3/);
  });

  it('keeps no empty pages and stays within its bytes, keys included', async () => {
    const { store, calls } = counting(t.store);
    const pages = new ReplayPages(store, 2, 2000);
    const newest = await t.store.lastEventId('a');
    for (let k = 0; k < 3; k++) assert.equal((await pages.page('a', newest)).count, 0);
    assert.equal(calls.get('listEvents'), 3, 'an empty page is read each time');
    assert.equal(pages.bytes, 0);
    const all = await t.store.listEvents('a', '0', 1000);
    for (const event of all) {
      await pages.page('a', event.id);
      assert.ok(pages.bytes <= 2000, `${pages.bytes} bytes held`);
    }
    assert.ok(pages.bytes > 0);
  });
});
