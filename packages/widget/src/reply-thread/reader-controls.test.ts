import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Reply } from '@colloquy/api';
import { createTopic, postReply, testEnv } from '../test-env.js';
import './reply-thread.define.js';
import type { ReplyThread } from './reply-thread.js';

const { api } = testEnv();
const $ = (el: Element, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
const $$ = (el: Element, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim();

/** The bodies of the thread's top-level replies, in the order shown. */
const roots = (el: ReplyThread) =>
  $$(el, 'section > ol[part=list] > li[part=reply]').map((li) => text(li.querySelector('[part=body]')));

async function thread(topic: string) {
  const el = await fixture<ReplyThread>(html`<reply-thread api=${api} topic=${topic}></reply-thread>`);
  await waitUntil(() => $(el, 'section'), 'thread did not render');
  return el;
}

/** The order control, once its module is in. */
const control = async (el: ReplyThread) => {
  await waitUntil(() => $(el, '[part=sort] select'), 'no order control');
  return $(el, '[part=sort] select') as HTMLSelectElement;
};

/** Chooses an order like a reader: the select's value, then its change event. */
function choose(select: HTMLSelectElement, value: string) {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Whether `element` is within the viewport, top to bottom. */
const onScreen = (element: Element) => {
  const box = element.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= innerHeight;
};

/** The rules the thread marks the reply gone to with. */
const marks = (el: ReplyThread) =>
  el
    .shadowRoot!.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules].map((rule) => rule.cssText))
    .join('\n');

describe('<reply-thread> reader controls', () => {
  beforeEach(() => {
    localStorage.clear();
    history.replaceState(null, '', location.pathname + location.search);
  });
  afterEach(() => history.replaceState(null, '', location.pathname + location.search));

  it('orders the threads as chosen, keeps answers in thread order, and remembers the choice for the site', async () => {
    const id = await createTopic();
    const first = await postReply(id, 'First', 'A');
    await postReply(id, 'Answer one', 'B', first.id);
    await postReply(id, 'Second', 'C');
    const third = await postReply(id, 'Third', 'D');
    await fetch(`${api}/api/v1/replies/${third.id}/reactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-colloquy-reader': 'reader-controls-test-key-1' },
      body: JSON.stringify({ kind: 'like' }),
    });
    const el = await thread(id);
    const select = await control(el);
    expect(text($(el, '[part=sort]'))).to.match(/^Sort/);
    expect([...select.options].map((o) => o.text)).to.deep.equal([
      'Oldest first',
      'Newest first',
      'Most reacted',
    ]);
    expect(select.value).to.equal('oldest');
    expect(roots(el)).to.deep.equal(['First', 'Second', 'Third']);

    choose(select, 'newest');
    await waitUntil(() => roots(el)[0] === 'Third', 'not newest first');
    expect(roots(el)).to.deep.equal(['Third', 'Second', 'First']);
    const answers = $$(el, 'li[part=reply] li[part=reply] [part=body]').map(text);
    expect(answers).to.deep.equal(['Answer one'], 'the answer stays under its thread');
    expect(JSON.parse(localStorage.getItem('colloquy:sort') ?? 'null')).to.equal('newest');

    choose(select, 'top');
    await waitUntil(() => roots(el)[0] === 'Third' && roots(el)[1] === 'First', 'not most reacted first');
    expect(roots(el)).to.deep.equal(['Third', 'First', 'Second']);

    // The next visit, and another topic of the site, read in the order chosen last.
    choose(select, 'newest');
    await waitUntil(() => roots(el)[1] === 'Second');
    el.remove();
    const other = await createTopic();
    await postReply(other, 'Older', 'E');
    await postReply(other, 'Newer', 'F');
    const next = await thread(other);
    expect(roots(next)).to.deep.equal(['Newer', 'Older']);
    expect((await control(next)).value).to.equal('newest');
  });

  it('puts a reply that arrives live while newest first at the top', async () => {
    localStorage.setItem('colloquy:sort', JSON.stringify('newest'));
    const id = await createTopic();
    const old = await postReply(id, 'Old', 'A');
    await postReply(id, 'Older answer', 'B', old.id);
    const el = await thread(id);
    await control(el);
    expect(roots(el)).to.deep.equal(['Old']);
    await postReply(id, 'Live', 'C');
    await postReply(id, 'Live answer', 'D', old.id);
    // Both wait behind the button until the reader asks for them.
    await waitUntil(() => /2/.test(text($(el, '[part=new-replies]')) ?? ''), 'not both new replies', {
      timeout: 10_000,
    });
    $(el, '[part=new-replies]')!.click();
    await waitUntil(() => roots(el)[0] === 'Live', 'the new thread is not first');
    expect(roots(el)).to.deep.equal(['Live', 'Old']);
    const underOld = $$(el, 'section > ol > li:last-child li[part=reply] [part=body]').map(text);
    expect(underOld).to.deep.equal(['Older answer', 'Live answer']);
  });

  it('reads oldest first when the kept order is none it knows', async () => {
    localStorage.setItem('colloquy:sort', JSON.stringify('loudest'));
    const id = await createTopic();
    await postReply(id, 'One', 'A');
    await postReply(id, 'Two', 'B');
    const el = await thread(id);
    expect(roots(el)).to.deep.equal(['One', 'Two']);
    expect((await control(el)).value).to.equal('oldest');
  });

  it('links each reply’s time to it, and going there scrolls to the reply and marks it', async () => {
    const id = await createTopic();
    const replies: Reply[] = [];
    for (let k = 0; k < 8; k++) replies.push(await postReply(id, `Reply ${k}`, `R${k}`));
    const box = await fixture<HTMLElement>(html`<div>
      <reply-thread api=${api} topic=${id}></reply-thread>
      <div style="height: 200vh"></div>
    </div>`);
    const el = box.querySelector<ReplyThread>('reply-thread')!;
    await waitUntil(() => $(el, '[part=permalink]'), 'no permalinks');
    const target = replies[6]!;
    const link = $(el, `#reply-${target.id} [part=permalink]`) as HTMLAnchorElement;
    expect(link.getAttribute('href')).to.equal(`#reply-${target.id}`);
    expect(link.querySelector('time')?.getAttribute('datetime')).to.equal(target.createdAt);
    scrollTo(0, document.body.scrollHeight);
    link.click();
    const li = $(el, `#reply-${target.id}`)!;
    await waitUntil(() => onScreen(li) && marks(el).includes(target.id), 'not scrolled to and marked');
    expect(location.hash).to.equal(`#reply-${target.id}`);
    expect(marks(el)).to.contain('outline');
    expect(marks(el)).to.contain('forced-colors');
  });

  it('reads and shows a reply past the first page when the page opens at its link', async () => {
    const id = await createTopic();
    const replies: Reply[] = [];
    for (let k = 0; k < 24; k++) replies.push(await postReply(id, `Thread ${k}`, `T${k}`));
    const last = replies.at(-1)!;
    const answer = await postReply(id, 'The answer linked to', 'Z', last.id);
    history.replaceState(null, '', `#reply-${answer.id}`);
    const box = await fixture<HTMLElement>(html`<div>
      <div style="height: 300vh"></div>
      <reply-thread api=${api} topic=${id}></reply-thread>
    </div>`);
    const el = box.querySelector<ReplyThread>('reply-thread')!;
    // The module that follows the hash is in by now (loaded with the page): go as on a load.
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await waitUntil(() => $(el, `#reply-${answer.id}`), 'the reply was not read', { timeout: 10_000 });
    const li = $(el, `#reply-${answer.id}`)!;
    await waitUntil(() => onScreen(li) && marks(el).includes(answer.id), 'not scrolled to and marked');
    expect(text(li.querySelector('[part=body]'))).to.equal('The answer linked to');
    // Its thread shows whole, its root past the threads of the first page; "Load more" reads
    // the ones between, before it, each once.
    expect(text($(el, `#reply-${last.id} > article [part=body]`))).to.equal('Thread 23');
    $(el, '[part=load-more]')!.click();
    await waitUntil(() => !$(el, '[part=load-more]'), 'still a next page');
    expect(roots(el)).to.deep.equal(replies.map((r) => r.text));
  });

  it('leaves the page as it is for a reply it cannot find', async () => {
    const id = await createTopic();
    await postReply(id, 'Only', 'A');
    const el = await thread(id);
    history.replaceState(null, '', '#reply-NOSUCHREPLY');
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await new Promise((done) => setTimeout(done, 300));
    expect($(el, '[part=error]')).to.equal(null);
    expect(roots(el)).to.deep.equal(['Only']);
    expect(marks(el)).not.to.contain('NOSUCHREPLY');
  });
});
