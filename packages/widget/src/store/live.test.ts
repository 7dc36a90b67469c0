import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../define.js';
import { createTopic, postReply, testEnv } from '../test-env.js';
import { TopicStore, topicStore } from './topic-store.js';

const { api } = testEnv();
const $ = (el: Element, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
const $$ = (el: Element, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const text = (el: Element | null) => el?.textContent?.replace(/\s+/g, ' ').trim();
const bodies = (el: Element) => $$(el, '[part~=reply] [part=body]').map(text);

/** A reaction from another reader, straight through the API. */
async function reactAsSomeoneElse(path: string, kind: string) {
  const res = await fetch(`${api}/api/v1/${path}/reactions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-colloquy-reader': `someone-else-${Math.random().toString(36).slice(2)}`,
    },
    body: JSON.stringify({ kind }),
  });
  expect(res.status).to.equal(200);
}

describe('live updates', () => {
  it('offers replies from other readers as "New replies (N)" and reveals them in place', async () => {
    const id = await createTopic();
    const first = await postReply(id, 'Already here.', 'Ada');
    const box = await fixture(html`<div>
      <topic-card api=${api} topic=${id}></topic-card>
      <reply-thread api=${api} topic=${id}></reply-thread>
    </div>`);
    const thread = box.querySelector('reply-thread')!;
    const card = box.querySelector('topic-card')!;
    await waitUntil(() => bodies(thread).length === 1, 'the thread did not render');

    // Another reader answers Ada, and another starts a new thread.
    await postReply(id, 'An answer to Ada.', 'Grace', first.id);
    await postReply(id, 'A new thread.', 'Linus');
    await waitUntil(
      () => text($(thread, '[part=new-replies]')) === 'New replies (2)',
      'no live replies offered',
    );
    // Nothing moved: the new replies wait behind the button; the counts follow at once.
    expect(bodies(thread)).to.deep.equal(['Already here.']);
    expect(text($(thread, '[part=heading]'))).to.equal('Replies (3)');
    expect(text($(card, '[part=replies]'))).to.equal('Replies (3)');

    $(thread, '[part=new-replies]')!.click();
    await waitUntil(() => bodies(thread).length === 3, 'the new replies were not revealed');
    expect(bodies(thread)).to.deep.equal(['Already here.', 'An answer to Ada.', 'A new thread.']);
    expect($(thread, '[part=new-replies]')).to.equal(null);
    // The answer is nested under Ada's reply, the new thread at the top level.
    const items = $$(thread, '[part~=reply]');
    expect(items[0]!.contains(items[1]!)).to.be.true;
    expect(items[0]!.contains(items[2]!)).to.be.false;
  });

  it('updates reaction counters in place', async () => {
    const id = await createTopic();
    const reply = await postReply(id, 'React to me.', 'Ada');
    const box = await fixture(html`<div>
      <topic-card api=${api} topic=${id}></topic-card>
      <reply-thread api=${api} topic=${id}></reply-thread>
    </div>`);
    const card = box.querySelector('topic-card')!;
    const thread = box.querySelector('reply-thread')!;
    await waitUntil(() => bodies(thread).length === 1, 'the thread did not render');
    const counts = (el: Element) => $$(el, '[part=count]').slice(0, 3).map(text);
    expect(counts(card)).to.deep.equal(['0', '0', '0']);

    await reactAsSomeoneElse(`topics/${encodeURIComponent(id)}`, 'insightful');
    await reactAsSomeoneElse(`replies/${encodeURIComponent(reply.id)}`, 'like');
    await waitUntil(() => counts(card).join() === '0,1,0', 'the topic counter did not change');
    await waitUntil(() => counts(thread).join() === '1,0,0', 'the reply counter did not change');
  });
});

describe('listing pages', () => {
  it('batches compact cards into one summaries read', async () => {
    const ids = await Promise.all([1, 2, 3].map((n) => createTopic({ title: `Listing ${n}` })));
    await postReply(ids[1]!, 'One reply.', 'Ada');
    const requests: string[] = [];
    const original = window.fetch;
    window.fetch = (input, init) => {
      requests.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
      return original(input, init);
    };
    let box: HTMLElement;
    try {
      box = await fixture(html`<div>
        ${[...ids, 'no-such-topic'].map((id) => html`<topic-card variant="compact" api=${api} topic=${id}></topic-card>`)}
      </div>`);
      const cards = [...box.querySelectorAll('topic-card')];
      await waitUntil(
        () => cards.slice(0, 3).every((card) => $(card, '[part=title]')),
        'the cards did not render',
      );
    } finally {
      window.fetch = original;
    }
    expect(requests).to.deep.equal(['/api/v1/topics']);
    const cards = [...box.querySelectorAll('topic-card')];
    expect(cards.slice(0, 3).map((card) => text($(card, '[part=title]')))).to.deep.equal([
      'Listing 1',
      'Listing 2',
      'Listing 3',
    ]);
    expect(text($(cards[1]!, '[part=replies]'))).to.equal('Replies (1)');
    expect($(cards[3]!, '[part=title]')).to.equal(null);
    await expect(cards[0]).to.be.accessible();
  });
});

describe('lazy loading', () => {
  it('reads nothing while the elements are more than a screen below the viewport', async () => {
    const id = await createTopic({ title: 'Far below' });
    const reads: string[] = [];
    const original = window.fetch;
    window.fetch = (input, init) => {
      reads.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
      return original(input, init);
    };
    try {
      const box = await fixture(html`<div>
        <div style="height: ${window.innerHeight * 3}px"></div>
        <topic-card api=${api} topic=${id}></topic-card>
        <reply-thread api=${api} topic=${id}></reply-thread>
      </div>`);
      const card = box.querySelector('topic-card')!;
      // Give an eager element every chance to read: a few frames and a task.
      for (let i = 0; i < 5; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(reads.filter((path) => path.includes(id))).to.deep.equal([]);
      expect(text($(card, '[part=loading]'))).to.equal('Loading…');

      card.scrollIntoView();
      await waitUntil(() => $(card, '[part=title]'), 'the card did not load once in view');
      expect(text($(card, '[part=title]'))).to.equal('Far below');
      expect(reads.filter((path) => path === `/api/v1/topics/${id}`)).to.have.length(1);
    } finally {
      window.fetch = original;
      window.scrollTo(0, 0);
    }
  });
});

describe('the live stream', () => {
  it('is open only while the topic is shown in a visible tab, and resumes where it left off', async () => {
    const id = await createTopic();
    const opened: EventSource[] = [];
    const Original = window.EventSource;
    window.EventSource = class extends Original {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        opened.push(this);
      }
    };
    let hidden = false;
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    const setHidden = (value: boolean) => {
      hidden = value;
      document.dispatchEvent(new Event('visibilitychange'));
    };
    try {
      const el = await fixture(html`<reply-thread api=${api} topic=${id}></reply-thread>`);
      await waitUntil(
        () => opened.length === 1 && opened[0]!.readyState === EventSource.OPEN,
        'no stream opened',
      );
      expect(new URL(opened[0]!.url).pathname).to.equal(`/api/v1/topics/${id}/events`);

      setHidden(true);
      expect(opened[0]!.readyState).to.equal(EventSource.CLOSED);
      // Something happens while the tab is hidden...
      await postReply(id, 'Posted while you were away.', 'Ada');
      setHidden(false);
      // ...and the new stream starts after the last event seen, so the server replays it.
      expect(opened).to.have.length(2);
      expect(new URL(opened[1]!.url).searchParams.get('after')).to.match(/^\d+$/);
      await waitUntil(
        () => text($(el, '[part=new-replies]')) === 'New replies (1)',
        'the missed reply was not replayed',
      );

      el.remove();
      expect(opened[1]!.readyState).to.equal(EventSource.CLOSED);
    } finally {
      window.EventSource = Original;
      delete (document as { hidden?: boolean }).hidden;
    }
  });

  it("listens to the tab's visibility only while someone shows the topic", async () => {
    const id = await createTopic();
    // The visibilitychange listeners added to the document from here on and not removed since.
    const listening = new Set<unknown>();
    const { addEventListener, removeEventListener } = EventTarget.prototype;
    document.addEventListener = function (this: Document, ...args: Parameters<typeof addEventListener>) {
      if (args[0] === 'visibilitychange') listening.add(args[1]);
      addEventListener.apply(this, args);
    };
    document.removeEventListener = function (
      this: Document,
      ...args: Parameters<typeof removeEventListener>
    ) {
      if (args[0] === 'visibilitychange') listening.delete(args[1]);
      removeEventListener.apply(this, args);
    };
    try {
      new TopicStore(api, id);
      expect(listening.size, 'a store nobody shows listens').to.equal(0);

      const box = await fixture(html`<div>
        <topic-card api=${api} topic=${id}></topic-card>
        <reply-thread api=${api} topic=${id}></reply-thread>
      </div>`);
      const [card, thread] = [...box.children];
      await waitUntil(
        () => topicStore(api, id).state === 'ready' && listening.size === 1,
        'the stream does not follow the tab',
      );
      card!.remove();
      expect(listening.size, 'one element still shows the topic').to.equal(1);
      thread!.remove();
      expect(listening.size, 'the listener outlived the last subscriber').to.equal(0);

      box.append(thread!);
      await waitUntil(() => listening.size === 1, 'shown again, the stream does not follow the tab');
    } finally {
      delete (document as Partial<Document>).addEventListener;
      delete (document as Partial<Document>).removeEventListener;
    }
  });
});
