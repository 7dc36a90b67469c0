import { ContextProvider } from '@lit/context';
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../define.js';
import { createTopic, testEnv } from '../test-env.js';
import { topicStoreContext } from './context.js';
import { TopicStore, topicStore } from './topic-store.js';

const { api } = testEnv();

/** Counts the GETs of a topic made through window.fetch while `body` runs (calls pass through). */
async function countReads(topic: string, body: () => Promise<void>): Promise<number> {
  const original = window.fetch;
  let reads = 0;
  const path = `/api/v1/topics/${encodeURIComponent(topic)}`;
  window.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if ((init?.method ?? 'GET') === 'GET' && url.pathname === path) reads++;
    return original(input, init);
  };
  try {
    await body();
  } finally {
    window.fetch = original;
  }
  return reads;
}

describe('topic store', () => {
  it('gives three elements of one topic exactly one GET between them', async () => {
    const id = await createTopic({ sources: [{ title: 'S', url: 'https://example.org' }] });
    const reads = await countReads(id, async () => {
      const box = await fixture(html`<div>
        <topic-card api=${api} topic=${id}></topic-card>
        <source-list api=${api} topic=${id}></source-list>
        <reply-thread api=${api} topic=${id}></reply-thread>
      </div>`);
      for (const el of box.children) await waitUntil(() => el.shadowRoot!.querySelector('h2'));
    });
    expect(reads).to.equal(1);
    const entries = performance
      .getEntriesByType('resource')
      .filter((entry) => entry.name === `${api}/api/v1/topics/${id}`);
    expect(entries).to.have.length(1);
  });

  it('is one instance per (api, topic) on the page', () => {
    expect(topicStore(api, 'a')).to.equal(topicStore(`${api}/`, 'a'));
    expect(topicStore(api, 'a')).not.to.equal(topicStore(api, 'b'));
  });

  it('is taken from a context provider when an ancestor provides one', async () => {
    const id = await createTopic({ title: 'Provided topic' });
    const provided = new TopicStore(api, id);
    const box = await fixture<HTMLDivElement>(html`<div></div>`);
    new ContextProvider(box, { context: topicStoreContext, initialValue: provided });
    const card = document.createElement('topic-card');
    card.topic = 'rsp-update'; // ignored: the provider decides
    card.api = api;
    box.append(card);
    await waitUntil(() => card.shadowRoot!.querySelector('[part=title]'));
    expect(card.shadowRoot!.querySelector('[part=title]')!.textContent!.trim()).to.equal('Provided topic');
  });

  it('follows changes of the topic attribute', async () => {
    const first = await createTopic({ title: 'First' });
    const second = await createTopic({ title: 'Second' });
    const card = await fixture(html`<topic-card api=${api} topic=${first}></topic-card>`);
    const title = () => card.shadowRoot!.querySelector('[part=title]')?.textContent?.trim();
    await waitUntil(() => title() === 'First');
    card.setAttribute('topic', second);
    await waitUntil(() => title() === 'Second');
  });

  it('drops a stale response when a newer load supersedes it', async () => {
    const id = await createTopic({ title: 'Old' });
    const store = new TopicStore(api, id);
    const first = store.load();
    await createTopic({ id, title: 'New' });
    const second = store.load();
    await Promise.all([first, second]);
    expect(store.state).to.equal('ready');
    expect(store.topic!.title).to.equal('New');
  });

  it('treats an unknown page topic as empty and creates it with the first reply', async () => {
    const topic = `${location.origin}/articles/page-${Date.now()}`;
    document.title = 'A host page';
    const thread = await fixture(html`<reply-thread api=${api} topic=${topic}></reply-thread>`);
    const root = thread.shadowRoot!;
    await waitUntil(() => root.querySelector('[part=empty]'));
    expect(topicStore(api, topic).state).to.equal('missing');
    // The form's module loads as its place nears the viewport, as it is here.
    await waitUntil(() => root.querySelector('form'), 'the form did not load');
    (root.querySelector('input') as HTMLInputElement).value = 'First';
    (root.querySelector('textarea') as HTMLTextAreaElement).value = 'The first reply creates the topic.';
    for (const field of root.querySelectorAll('input, textarea'))
      field.dispatchEvent(new InputEvent('input', { bubbles: true }));
    const posted = oneEvent(thread, 'colloquy-reply-posted');
    root.querySelector<HTMLButtonElement>('[part=submit]')!.click();
    await posted;
    await waitUntil(() => topicStore(api, topic).state === 'ready');
    // The page's title is sent, but a request never sets what the real page shows: the topic is
    // titled by its URL until an admin gives it a title.
    expect(topicStore(api, topic).topic!.title).to.equal(topic);
  });

  it('keeps the reader key in localStorage', async () => {
    const id = await createTopic();
    const store = topicStore(api, id);
    await store.load();
    await store.react(null, 'like');
    const key = JSON.parse(localStorage.getItem('colloquy:reader')!) as string;
    expect(key).to.match(/^\d+-\d+-\d+-\d+$/);
    expect(store.isActive(null, 'like')).to.be.true;
    await store.react(null, 'like');
    expect(store.isActive(null, 'like')).to.be.false;
    expect(JSON.parse(localStorage.getItem('colloquy:reader')!)).to.equal(key);
  });
});
