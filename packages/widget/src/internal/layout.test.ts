// The host page does not move: the elements reserve the height they last had for a topic while
// they load, show a skeleton on a first visit (or the site's hint), and render a long page of
// replies in slices without moving what follows them.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../reply-thread/reply-thread.define.js';
import '../topic-card/topic-card.define.js';
import { forgetStore } from '../store/topic-store.js';
import { createTopic, postReply, testEnv } from '../test-env.js';

const { api } = testEnv();
const HEIGHTS = 'colloquy:heights';
const shadow = (el: Element, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const heights = () => JSON.parse(localStorage.getItem(HEIGHTS) ?? '{}') as Record<string, number>;

/** Holds every read of `topic` until the returned function is called (the server still answers it). */
function holdReads(topic: string): () => void {
  const original = window.fetch;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  window.fetch = async (input, init) => {
    if (String(input).endsWith(`/topics/${encodeURIComponent(topic)}`)) await released;
    return original(input, init);
  };
  return () => {
    window.fetch = original;
    release();
  };
}

const card = (topic: string) =>
  fixture(
    html`<div style="width: 600px"><topic-card api=${api} topic=${topic} lang="en"></topic-card></div>`,
  );

describe('layout without shifts', () => {
  beforeEach(() => localStorage.removeItem(HEIGHTS));

  it("remembers an element's height per topic and width, and reserves it while the topic loads again", async () => {
    const topic = await createTopic({
      body: Array.from({ length: 12 }, (_, i) => `Paragraph ${i}.`).join('\n\n'),
    });
    const first = (await card(topic)).querySelector('topic-card')!;
    await waitUntil(() => shadow(first, '[part=card]').length, 'the card rendered');
    // Measured in the frame that first draws the card.
    await waitUntil(() => Object.keys(heights()).length, 'the height was remembered');
    const height = first.offsetHeight;
    expect(height).to.be.greaterThan(300);
    expect(heights()).to.deep.equal({ [`${api} ${topic} topic-cardfull 600`]: height });

    // The next visit: a new store, and the read held back. The loading note takes the height.
    forgetStore(api, topic);
    const release = holdReads(topic);
    try {
      const again = (await card(topic)).querySelector('topic-card')!;
      await waitUntil(
        () => shadow(again, '[part=loading]').length && again.style.length,
        'loading, reserved',
      );
      expect(again.offsetHeight).to.equal(height);
      release();
      await waitUntil(() => shadow(again, '[part=card]').length, 'the card rendered again');
      expect(again.offsetHeight).to.equal(height);
      await waitUntil(() => again.style.getPropertyValue('--colloquy-reserved') === '', 'the room let go');
      expect(again.offsetHeight).to.equal(height);
    } finally {
      release();
    }
  });

  it("remembers a thread's height with its form when the form comes at once, and reserves that", async () => {
    const topic = await createTopic();
    await postReply(topic, 'A reply.', 'Ada');
    const thread = () =>
      fixture(
        html`<div style="width: 600px"><reply-thread api=${api} topic=${topic} lang="en"></reply-thread></div>`,
      );
    const first = (await thread()).querySelector('reply-thread')!;
    // On screen: the form's module comes as soon as its place is seen.
    await waitUntil(() => shadow(first, 'form').length, 'the form came');
    await waitUntil(() => heights()[`${api} ${topic} reply-thread 600`], 'the height was remembered');
    const height = first.offsetHeight;
    expect(heights()[`${api} ${topic} reply-thread 600`]).to.equal(height);
    expect(height).to.be.greaterThan(shadow(first, 'form')[0]!.offsetHeight);

    forgetStore(api, topic);
    const release = holdReads(topic);
    try {
      const again = (await thread()).querySelector('reply-thread')!;
      await waitUntil(
        () => shadow(again, '[part=loading]').length && again.style.length,
        'loading, reserved',
      );
      expect(again.offsetHeight).to.equal(height);
    } finally {
      release();
    }
  });

  it('shows a skeleton on a first visit, or the height the site hints', async () => {
    const topic = await createTopic();
    const release = holdReads(topic);
    try {
      const plain = (await card(topic)).querySelector('topic-card')!;
      await waitUntil(() => shadow(plain, '[part=loading]').length, 'loading');
      // A card that is the page's article: its skeleton fills the screen.
      expect(plain.offsetHeight).to.equal(innerHeight);
      const hinted = await fixture<HTMLElement>(
        html`<reply-thread api=${api} topic=${topic} style="--colloquy-loading-height: 420px"></reply-thread>`,
      );
      await waitUntil(() => shadow(hinted, '[part=loading]').length, 'loading');
      expect(hinted.offsetHeight).to.equal(420);
    } finally {
      release();
    }
  });

  it('renders a long page of replies in slices, adding only at the end, the form after the last', async function () {
    this.timeout(30_000);
    const topic = await createTopic();
    // Eight threads of three: the first page holds all 24, and a slice may end inside a thread.
    for (let i = 1; i <= 8; i++) {
      const root = await postReply(topic, `Thread ${i}`, `R${i}`);
      for (const answer of ['a', 'b']) await postReply(topic, `Answer ${i}${answer}`, `A${i}`, root.id);
    }
    const el = document.createElement('reply-thread') as HTMLElement & {
      addController(controller: { hostUpdated(): void }): void;
    };
    const renders: { replies: number; form: boolean }[] = [];
    el.addController({
      hostUpdated: () =>
        renders.push({
          replies: shadow(el, '[part=reply]').length,
          form: shadow(el, '[part=form-placeholder]').length > 0,
        }),
    });
    el.setAttribute('api', api);
    el.setAttribute('topic', topic);
    document.body.append(el);
    try {
      await waitUntil(() => shadow(el, '[part=form-placeholder]').length, 'the form placeholder came', {
        timeout: 10_000,
      });
      // The renders that changed what is shown (others come, e.g. once the form's place is seen).
      const shown = renders.filter(
        (r, i) => r.replies > 0 && (r.replies !== renders[i - 1]?.replies || r.form !== renders[i - 1]?.form),
      );
      expect(shown.map((r) => r.replies)).to.deep.equal([5, 10, 15, 20, 24]);
      expect(shown.map((r) => r.form)).to.deep.equal([false, false, false, false, true]);
      // In thread order, each answer nested under its thread.
      expect(shadow(el, '[part~=reply] [part~=reply]')).to.have.length(16);
    } finally {
      el.remove();
    }
  });
});
