import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { PROOF_HEADER, type Reply, type TopicWithReplies } from '@colloquy/api';
import { TopicStore } from '../store/topic-store.js';
import { createTopic, signToken, testEnv } from '../test-env.js';
import './reply-thread.define.js';
import type { ReplyThread } from './reply-thread.js';

const { api, strictApi, adminToken } = testEnv();
const $ = (el: Element, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector)!;
const $$ = (el: Element, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const text = (el: Element | null) => el?.textContent?.replace(/\s+/g, ' ').trim();

async function thread(server: string, topic: string, token?: string) {
  const el = await fixture<ReplyThread>(
    html`<reply-thread api=${server} topic=${topic} lang="en" token=${token ?? ''}></reply-thread>`,
  );
  await waitUntil(() => $(el, 'section'), 'thread did not render');
  // The form's module loads as its place nears the viewport, as it is here.
  await waitUntil(() => $(el, 'form') || $(el, '[part=locked]'), 'the form did not load');
  return el;
}

function fill(el: ReplyThread, selector: string, value: string) {
  const field = $(el, selector) as HTMLInputElement;
  field.value = value;
  field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

async function post(el: ReplyThread, name: string | null, body: string): Promise<Reply> {
  if (name !== null) fill(el, 'input[name=name]', name);
  fill(el, 'textarea', body);
  const posted = oneEvent(el, 'colloquy-reply-posted');
  $(el, '[part=submit]').click();
  return (await posted).detail;
}

const read = async (server: string, id: string) =>
  (await (
    await fetch(`${server}/api/v1/topics/${encodeURIComponent(id)}`, { cache: 'no-cache' })
  ).json()) as TopicWithReplies;

describe("a reader's own replies", () => {
  beforeEach(() => localStorage.clear());

  it('solves the proof of work in the background and shows a held reply to its author only', async () => {
    const id = await createTopic({}, strictApi);
    const el = await thread(strictApi, id);
    // The strict server refuses a reply without a proof...
    const bare = await fetch(`${strictApi}/api/v1/topics/${id}/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'No proof.', authorName: 'Bot' }),
    });
    expect(bare.status).to.equal(428);
    // ...and the form, which solved one while the reader typed, is accepted.
    const reply = await post(el, 'Ada', 'Held for review.');
    expect(reply.status).to.equal('pending');
    await el.updateComplete;
    const item = $(el, '[part~=reply]');
    expect(text(item.querySelector('[part=status]'))).to.equal('Awaiting review');
    // The thread's polite live region says so.
    const region = $(el, '[role=status]');
    expect(text(region)).to.equal('Your reply was posted. Awaiting review');
    expect(region.getAttribute('part')).to.equal('status-region');
    expect(text($(el, '[part=heading]'))).to.equal('Replies (0)');
    // Everyone else reads the topic without it.
    expect((await read(strictApi, id)).replies).to.deep.equal([]);
    // A fresh store (the next page load) still shows it to its author, from localStorage.
    const store = new TopicStore(strictApi, id);
    await store.load();
    expect(store.replies.map((r) => [r.id, r.status])).to.deep.equal([[reply.id, 'pending']]);
    // Once approved, everyone sees it.
    const approved = await fetch(`${strictApi}/api/v1/admin/replies/${reply.id}/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(approved.status).to.equal(200);
    expect((await read(strictApi, id)).replies.map((r) => r.id)).to.deep.equal([reply.id]);
  });

  it('solves a fresh challenge once when the one it prepared was spent', async () => {
    const id = await createTopic({}, strictApi);
    const store = new TopicStore(strictApi, id);
    await store.load();
    const proof = await store.prepare();
    expect(proof).to.match(/:[\w-]+$/);
    // Someone spends the prepared challenge first (a second tab, say).
    const spent = await fetch(`${strictApi}/api/v1/topics/${id}/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [PROOF_HEADER]: proof },
      body: JSON.stringify({ body: 'First.', authorName: 'Tab two' }),
    });
    expect(spent.status).to.equal(201);
    const again = await fetch(`${strictApi}/api/v1/topics/${id}/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [PROOF_HEADER]: proof },
      body: JSON.stringify({ body: 'Replayed.', authorName: 'Tab two' }),
    });
    expect(again.status).to.equal(403);
    const reply = await store.postReply({ body: 'Second.', authorName: 'Ada' });
    expect(reply.text).to.equal('Second.');
  });

  it("posts under the name in the host site's token, marked as signed in", async () => {
    const id = await createTopic({}, strictApi);
    const token = await signToken({ sub: 'user-42', name: 'Grace Hopper' });
    const el = await thread(strictApi, id, token);
    expect($(el, 'input[name=name]')).to.equal(null);
    const reply = await post(el, null, 'Signed in, so no name to type.');
    expect(reply.author).to.deep.equal({ name: 'Grace Hopper', verified: true });
    await el.updateComplete;
    expect(text($(el, '[part~=reply] [part=author]'))).to.equal('Grace Hopper');
    expect($(el, '[part~=reply] [part=verified]').textContent).to.contain('Signed in');
    await expect(el).to.be.accessible();
  });

  it('is refused when the hidden honeypot field is filled, as bots do', async () => {
    const id = await createTopic();
    const el = await thread(api, id);
    const honeypot = $(el, 'input[name=website]') as HTMLInputElement;
    expect(honeypot.tabIndex).to.equal(-1);
    expect(honeypot.closest('[aria-hidden=true]')).to.not.equal(null);
    fill(el, 'input[name=website]', 'https://spam.example');
    fill(el, 'input[name=name]', 'Bot');
    fill(el, 'textarea', 'Buy now.');
    const failed = oneEvent(el, 'colloquy-error');
    $(el, '[part=submit]').click();
    const { detail } = await failed;
    expect(detail.error.status).to.equal(422);
    await el.updateComplete;
    expect($$(el, '[part~=reply]')).to.have.length(0);
    expect(text($(el, '[role=alert]'))).to.equal(detail.message);
    expect((await read(api, id)).replies).to.deep.equal([]);
  });
});
