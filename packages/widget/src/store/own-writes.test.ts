import { ContextProvider } from '@lit/context';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Reply } from '@colloquy/api';
import '../define.js';
import { createTopic, postReply, testEnv } from '../test-env.js';
import { topicStoreContext } from './context.js';
import { rememberOwnWrite } from './own-writes.js';
import { TopicStore } from './topic-store.js';

// The default server behind a cache that can be made to serve an older copy of a topic's read.
const { staleApi } = testEnv();

const cache = (what: 'stale' | 'fresh', topic: string) =>
  fetch(`${staleApi}/__${what}/${encodeURIComponent(topic)}`, { method: 'POST' });

/** A store of `topic` as a page (re)loaded now has it: read, live stream open. */
async function opened(topic: string): Promise<{ store: TopicStore; close: () => void }> {
  const store = new TopicStore(staleApi, topic);
  const close = store.subscribe(() => {});
  await waitUntil(() => store.state === 'ready', 'the topic was read', { timeout: 5000 });
  return { store, close };
}

const texts = (replies: readonly Reply[]) => replies.map((reply) => reply.text);
const cachedTexts = async (topic: string) =>
  texts(((await (await fetch(`${staleApi}/api/v1/topics/${topic}`)).json()) as { replies: Reply[] }).replies);

describe("the reader's own writes", () => {
  afterEach(() => {
    for (const key of Object.keys(localStorage))
      if (key.startsWith('colloquy:own:')) localStorage.removeItem(key);
  });

  it('show in their place after a reload that a cache answers with an older copy', async () => {
    const topic = await createTopic();
    const parent = await postReply(topic, 'First', 'Bo');
    await postReply(topic, 'Second', 'Cy');
    await cache('stale', topic);
    const author = await opened(topic);
    await author.store.postReply({ body: 'An answer to the first.', authorName: 'Ada', parentId: parent.id });
    author.close();

    // The copy the cache serves has not got the reply; the reload shows it under its parent.
    expect(await cachedTexts(topic)).to.deep.equal(['First', 'Second']);
    const reload = await opened(topic);
    expect(texts(reload.store.replies)).to.deep.equal(['First', 'An answer to the first.', 'Second']);
    expect(reload.store.unseen).to.deep.equal([]);
    // Its event, replayed by the stream from the copy's last event, changes nothing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(texts(reload.store.replies)).to.deep.equal(['First', 'An answer to the first.', 'Second']);
    expect(reload.store.unseen).to.deep.equal([]);
    reload.close();
  });

  it('are kept until a read includes them, then forgotten', async () => {
    const topic = await createTopic();
    await cache('stale', topic);
    const author = await opened(topic);
    await author.store.postReply({ body: 'Mine.', authorName: 'Ada' });
    author.close();
    const key = new TopicStore(staleApi, topic).ownKey;
    expect(localStorage.getItem(key)).to.not.equal(null);
    (await opened(topic)).close();
    expect(localStorage.getItem(key), 'an older copy keeps them').to.not.equal(null);

    await cache('fresh', topic);
    const reload = await opened(topic);
    expect(texts(reload.store.replies)).to.deep.equal(['Mine.']);
    expect(localStorage.getItem(key), 'a read with them ends the keeping').to.equal(null);
    reload.close();
  });

  it('are kept for ten minutes at most, twenty per topic', async () => {
    const topic = await createTopic();
    const key = new TopicStore(staleApi, topic).ownKey;
    const reply = await postReply(topic, 'Old', 'Ada');
    await cache('stale', topic);
    const ofTopic = { ...reply, id: 'not-in-any-read', text: 'Kept', parentId: null };
    localStorage.setItem(
      key,
      JSON.stringify([{ reply: { ...ofTopic, text: 'Expired' }, at: Date.now() - 11 * 60_000 }]),
    );
    for (let k = 0; k < 25; k++) rememberOwnWrite(key, { ...ofTopic, id: `own-${k}` });
    const kept = JSON.parse(localStorage.getItem(key) ?? '[]') as { reply: Reply }[];
    expect(kept.map((write) => write.reply.id)).to.deep.equal(
      Array.from({ length: 20 }, (_, k) => `own-${k + 5}`),
    );
    const reload = await opened(topic);
    expect(texts(reload.store.replies)).to.deep.equal(['Old', ...Array(20).fill('Kept')]);
    reload.close();
  });

  it("put others' replies that the older copy lacked into the thread; only newer ones wait", async () => {
    const topic = await createTopic();
    await postReply(topic, 'Before the copy', 'Bo');
    await cache('stale', topic);
    await postReply(topic, 'After the copy', 'Cy');
    const author = await opened(topic);
    await author.store.postReply({ body: 'Mine, the newest.', authorName: 'Ada' });
    author.close();

    const box = await fixture<HTMLDivElement>(html`<div></div>`);
    const store = new TopicStore(staleApi, topic);
    new ContextProvider(box, { context: topicStoreContext, initialValue: store });
    const thread = document.createElement('reply-thread');
    box.append(thread);
    const shown = () =>
      [...thread.shadowRoot!.querySelectorAll('[part~=body]')].map((body) => body.textContent!.trim());
    // The stream fills in the reply the copy lacked, older than the reader's own: in its place.
    await waitUntil(() => shown().length === 3, 'three replies in the thread', { timeout: 5000 });
    expect(shown()).to.deep.equal(['Before the copy', 'After the copy', 'Mine, the newest.']);
    expect(store.unseen).to.deep.equal([]);

    // One posted after the page's read is new: it waits behind the button.
    await postReply(topic, 'Newer still', 'Di');
    await waitUntil(() => /New replies \(1\)/.test(thread.shadowRoot!.textContent!), 'the button', {
      timeout: 5000,
    });
    expect(shown()).to.deep.equal(['Before the copy', 'After the copy', 'Mine, the newest.']);
  });
});
