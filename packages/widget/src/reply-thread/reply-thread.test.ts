import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TopicWithReplies } from '@colloquy/api';
import { createTopic, postReply, testEnv } from '../test-env.js';
import './reply-thread.define.js';
import type { ReplyThread } from './reply-thread.js';

const { api } = testEnv();
const $ = (el: Element, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector)!;
const $$ = (el: Element, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const text = (el: Element | null) => el?.textContent?.replace(/\s+/g, ' ').trim();
/** The form's accessible name: the text of the heading it is labelled by. */
const formName = (el: ReplyThread) =>
  el.shadowRoot!.getElementById($(el, 'form').getAttribute('aria-labelledby')!);
/**
 * Rendered: a long page is rendered in slices, and what follows the replies (the form's place,
 * or the note of a locked topic) comes with the last. A page of 300 replies takes 60 slices,
 * which on a busy machine is more than waitUntil's default second.
 */
const ready = (el: ReplyThread) =>
  waitUntil(
    () => $(el, 'section > :is([part=form-placeholder], form, [part=locked])'),
    'thread did not render',
    { timeout: 10_000 },
  );

/**
 * The form is a module of its own, loaded when its place nears the viewport: a thread on
 * screen has it a moment after its first render, as a reader would.
 */
const formLoaded = (el: ReplyThread) => waitUntil(() => $(el, 'form'), 'the form did not load');

async function thread(topic: string, lang = 'en') {
  const el = await fixture<ReplyThread>(
    html`<reply-thread api=${api} topic=${topic} lang=${lang}></reply-thread>`,
  );
  await ready(el);
  return el;
}

/** A thread below most of a screen of page: read (it is within a screen), its form's place farther. */
async function threadBelow(topic: string) {
  const box = await fixture<HTMLElement>(html`<div>
    <div style="height: 170vh"></div>
    <reply-thread api=${api} topic=${topic}></reply-thread>
  </div>`);
  const el = box.querySelector<ReplyThread>('reply-thread')!;
  await ready(el);
  return el;
}

/** A thread on screen, once its form is in. */
async function threadWithForm(topic: string, lang = 'en') {
  const el = await thread(topic, lang);
  await formLoaded(el);
  return el;
}

const read = async (id: string) =>
  (await (
    await fetch(`${api}/api/v1/topics/${encodeURIComponent(id)}`, { cache: 'no-cache' })
  ).json()) as TopicWithReplies;

/** Types into a form field like a reader: value plus an input event. */
function fill(el: ReplyThread, selector: 'input' | 'textarea', value: string) {
  const field = $(el, selector) as HTMLInputElement;
  field.value = value;
  field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

describe('<reply-thread>', () => {
  beforeEach(() => localStorage.clear());

  it('renders the seed topic: Replies (0) and the empty state', async () => {
    const el = await threadWithForm('rsp-update');
    expect(text($(el, 'h2[part=heading]'))).to.equal('Replies (0)');
    expect(text($(el, '[part=empty]'))).to.equal('No replies in this topic yet.');
    const labels = $$(el, '[part=field] label').map(text);
    expect(labels).to.deep.equal(['Name', 'Reply']);
    const name = $(el, 'input') as HTMLInputElement;
    expect(name.maxLength).to.equal(60);
    expect(name.required).to.be.true;
    expect(($(el, 'textarea') as HTMLTextAreaElement).maxLength).to.equal(10000);
    expect(text($(el, '[part=submit]'))).to.equal('Post reply');
  });

  it('loads the form only when its place nears the viewport, and then it works', async () => {
    const el = await threadBelow(await createTopic());
    // Two frames: the observers have had their say about the place's position.
    for (let i = 0; i < 2; i++) await new Promise(requestAnimationFrame);
    expect(text($(el, '[part=form-placeholder]'))).to.equal('Reply');
    expect($(el, 'form')).to.equal(null);
    $(el, '[part=form-placeholder]').scrollIntoView();
    await formLoaded(el);
    expect($(el, '[part=form-placeholder]')).to.equal(null);
    fill(el, 'input', 'Ada');
    fill(el, 'textarea', 'Posted through a form loaded on scroll.');
    const posted = oneEvent(el, 'colloquy-reply-posted');
    $(el, '[part=submit]').click();
    expect((await posted).detail.author.name).to.equal('Ada');
    window.scrollTo(0, 0);
  });

  it('loads the form when a keyboard reader reaches its place, and focuses it on click', async () => {
    const id = await createTopic();
    const el = await threadBelow(id);
    $(el, '[part=form-placeholder]').focus({ preventScroll: true });
    await formLoaded(el);
    el.parentElement!.remove();
    const other = await threadBelow(id);
    // A click (which focuses the button first) opens the form with the caret in the reply.
    $(other, '[part=form-placeholder]').click();
    await waitUntil(
      () => other.shadowRoot!.activeElement === $(other, 'textarea'),
      'the reply field has no focus',
    );
    window.scrollTo(0, 0);
  });

  it('is accessible', async () => {
    const el = await thread('rsp-update');
    await expect(el).to.be.accessible();
  });

  it('is accessible with replies: their permalinks, Reply and Report buttons, the order control, in both themes', async () => {
    const id = await createTopic();
    const first = await postReply(id, 'The first reply.', 'Ada');
    await postReply(id, 'An answer.', 'Grace', first.id);
    await postReply(id, 'A second thread.', 'Linus');
    const el = await threadWithForm(id);
    await waitUntil(() => $(el, '[part=sort] select'), 'no order control');
    expect($$(el, '[part=permalink]')).to.have.length(3);
    expect($$(el, '[part=report-button]')).to.have.length(3);
    await expect(el).to.be.accessible();
    el.theme = 'dark';
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('posts a reply through the form: shown at once, there after a fresh read', async () => {
    const id = await createTopic();
    const el = await threadWithForm(id);
    fill(el, 'input', 'Ada');
    fill(el, 'textarea', 'A **first** reply.');
    const posted = oneEvent(el, 'colloquy-reply-posted');
    $(el, '[part=submit]').click();
    await el.updateComplete;
    // Optimistic: the reply is there before the server answers, marked as being sent.
    const pending = $(el, '[part~=pending]');
    expect(text(pending)).to.contain('Sending…');
    expect(text(pending)).to.contain('Ada');
    expect(($(el, '[part=submit]') as HTMLButtonElement).disabled).to.be.true;
    const { detail: reply } = await posted;
    expect(reply.author.name).to.equal('Ada');
    expect($(el, '[part~=pending]')).to.equal(null);
    expect(text($(el, '[part=reply] [part=body]'))).to.equal('A first reply.');
    expect($(el, '[part=reply] strong:not([part])')?.textContent).to.equal('first');
    expect(text($(el, '[part=heading]'))).to.equal('Replies (1)');
    expect(($(el, 'textarea') as HTMLTextAreaElement).value).to.equal('');
    expect(($(el, 'input') as HTMLInputElement).value).to.equal('Ada');
    const fresh = await read(id);
    expect(fresh.replies.map((r) => r.text)).to.deep.equal([reply.text]);
    expect(fresh.replyCount).to.equal(1);
  });

  it("rolls back a refused reply and shows the server's message", async () => {
    const id = await createTopic();
    const el = await threadWithForm(id);
    fill(el, 'input', 'x'.repeat(61)); // set programmatically: maxlength does not stop it
    fill(el, 'textarea', 'Refused, I hope.');
    const failed = oneEvent(el, 'colloquy-error');
    $(el, '[part=submit]').click();
    await el.updateComplete;
    expect($$(el, '[part~=reply]').length).to.equal(1);
    const { detail } = await failed;
    expect(detail.action).to.equal('post');
    expect(detail.error.status).to.equal(422);
    expect(detail.error.detail).to.be.a('string').and.not.empty;
    await el.updateComplete;
    expect($$(el, '[part~=reply]').length).to.equal(0);
    expect(text($(el, '[role=alert]'))).to.equal(detail.error.detail);
    expect(text($(el, '[part=empty]'))).to.equal('No replies in this topic yet.');
    expect(($(el, 'textarea') as HTMLTextAreaElement).value).to.equal('Refused, I hope.');
    expect((await read(id)).replies).to.have.length(0);
  });

  it('leaves checking the fields to the browser before anything is sent', async () => {
    const id = await createTopic();
    const el = await threadWithForm(id);
    fill(el, 'input', '   ');
    await el.updateComplete;
    let sent = false;
    el.addEventListener('colloquy-reply-posted', () => (sent = true));
    $(el, '[part=submit]').click();
    await el.updateComplete;
    const nameField = $(el, 'input') as HTMLInputElement;
    const textField = $(el, 'textarea') as HTMLTextAreaElement;
    // A name of spaces and an empty reply: the form does not submit and the browser reports it.
    expect(nameField.validity.patternMismatch).to.be.true;
    expect(textField.validity.valueMissing).to.be.true;
    expect(el.shadowRoot!.activeElement).to.equal(nameField);
    expect($$(el, '[part~=reply]').length).to.equal(0);
    expect(sent).to.be.false;
    expect((await read(id)).replies).to.have.length(0);
  });

  it('answers a reply: the form is named for it, Cancel returns, and the answer nests', async () => {
    const id = await createTopic();
    await postReply(id, 'The parent.', 'Grace');
    const el = await thread(id);
    const replyButton = $(el, '[part=reply-button]');
    expect(replyButton.getAttribute('aria-label')).to.equal('Reply to Grace');
    // A reader's click focuses the button first.
    replyButton.focus();
    replyButton.click();
    await waitUntil(() => $(el, 'form .form-head button'), 'no Cancel');
    expect(text(formName(el))).to.equal('Reply to Grace');
    // The name is still empty: the focus goes there first.
    expect(el.shadowRoot!.activeElement).to.equal($(el, 'input'));
    $(el, 'form .form-head button').click();
    await waitUntil(() => el.shadowRoot!.activeElement === replyButton, 'the focus did not return');
    expect($(el, 'form .form-head button')).to.equal(null);
    expect(text(formName(el))).to.equal('Reply');
    $(el, '[part=reply-button]').click();
    await el.updateComplete;
    fill(el, 'input', 'Ada');
    fill(el, 'textarea', 'The child.');
    const posted = oneEvent(el, 'colloquy-reply-posted');
    $(el, '[part=submit]').click();
    const { detail } = await posted;
    expect(detail.depth).to.equal(1);
    const nested = $(el, '[part=list] > [part=reply] > [part=list] > [part=reply]');
    expect(text(nested.querySelector('[part=body]'))).to.equal('The child.');
    expect((await read(id)).replies.map((r) => r.depth)).to.deep.equal([0, 1]);
  });

  it('keyboard: reply-to focuses the first empty field, Escape cancels and returns to the button', async () => {
    const id = await createTopic();
    await postReply(id, 'First.', 'Grace');
    await postReply(id, 'Second.', 'Linus');
    const el = await threadWithForm(id);
    fill(el, 'input', 'Ada');
    const second = $$(el, '[part=reply-button]')[1]!;
    second.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => text(formName(el)) === 'Reply to Linus', 'the form is not named for Linus');
    // The name is filled in: the focus goes to the reply.
    expect(el.shadowRoot!.activeElement).to.equal($(el, 'textarea'));
    await sendKeys({ type: 'Never mind' });
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => el.shadowRoot!.activeElement === second, 'the focus did not return to the button');
    expect(text(formName(el))).to.equal('Reply');
    // The draft stays; only the reply-to is cancelled.
    expect(($(el, 'textarea') as HTMLTextAreaElement).value).to.equal('Never mind');
  });

  it('keyboard: after Post the focus is on the posted reply; after a refusal it stays in the form', async () => {
    const id = await createTopic();
    const el = await threadWithForm(id);
    fill(el, 'input', 'Ada');
    fill(el, 'textarea', 'Focus me when I am posted.');
    $(el, '[part=submit]').focus();
    const posted = oneEvent(el, 'colloquy-reply-posted');
    await sendKeys({ press: 'Enter' });
    const { detail } = await posted;
    const focused = el.shadowRoot!.activeElement as HTMLElement;
    expect(focused.localName).to.equal('article');
    expect(focused.parentElement!.id).to.equal(`reply-${detail.id}`);
    expect(focused.getAttribute('aria-label')).to.equal('Ada');
    expect(focused.tabIndex).to.equal(-1);
    expect(text(focused.querySelector('[part=body]'))).to.equal('Focus me when I am posted.');

    fill(el, 'input', 'x'.repeat(61)); // refused by the server
    fill(el, 'textarea', 'Refused.');
    const submit = $(el, '[part=submit]');
    await waitUntil(() => !(submit as HTMLButtonElement).disabled, 'the form is still sending');
    submit.focus();
    const failed = oneEvent(el, 'colloquy-error');
    submit.click();
    const { detail: error } = await failed;
    expect([error.action, error.error.status]).to.deep.equal(['post', 422]);
    await el.updateComplete;
    const inForm = el.shadowRoot!.activeElement;
    expect(inForm && $(el, 'form').contains(inForm), `focus on ${inForm?.localName}`).to.be.true;
    expect(text($(el, 'form [role=alert]'))).to.equal(error.message);
  });

  it('has one polite live region that announces a posted reply and new replies', async () => {
    const id = await createTopic();
    const el = await threadWithForm(id);
    const regions = $$(el, '[role=status], [aria-live]');
    expect(regions).to.have.length(1);
    const region = regions[0]!;
    expect(text(region)).to.equal('');
    fill(el, 'input', 'Ada');
    fill(el, 'textarea', 'Announce me.');
    const posted = oneEvent(el, 'colloquy-reply-posted');
    $(el, '[part=submit]').click();
    await posted;
    await el.updateComplete;
    expect(text(region)).to.equal('Your reply was posted.');
    // Other readers' replies wait behind "New replies (N)", and the region says how many.
    await postReply(id, 'From someone else.', 'Grace');
    await waitUntil(() => text(region) === 'New replies (1)', `the region says: ${text(region)}`);
    expect($$(el, '[role=status], [aria-live]')).to.deep.equal([region]);
  });

  it('shows replies deeper than 3 flat, "in reply to" their parent', async () => {
    const id = await createTopic();
    let parent = null as string | null;
    for (const name of ['A', 'B', 'C', 'D', 'E'])
      parent = (await postReply(id, `By ${name}`, name, parent)).id;
    const el = await thread(id);
    const lists = $$(el, 'ol[part=list]');
    expect(lists).to.have.length(4); // depths 0, 1, 2 and 3; depth 4 joins depth 3
    const deepest = [...lists[3]!.children].map((li) => text(li.querySelector('header')));
    expect(deepest).to.have.length(2);
    expect(deepest[1]).to.contain('in reply to D');
  });

  it('loads more replies while there is a next page', async () => {
    const id = await createTopic();
    for (let i = 1; i <= 22; i++) await postReply(id, `Reply ${i}`, `R${i}`);
    const el = await thread(id);
    expect(text($(el, '[part=heading]'))).to.equal('Replies (22)');
    const before = $$(el, '[part=reply]').length;
    expect(before).to.be.lessThan(22);
    const more = $(el, '[part=load-more]');
    expect(text(more)).to.equal('Load more');
    more.click();
    await waitUntil(() => !$(el, '[part=load-more]'), 'still a next page');
    const bodies = $$(el, '[part=reply] [part=body]').map(text);
    expect(bodies).to.have.length(22);
    expect(bodies[21]).to.equal('Reply 22');
  });

  it('reads the rest of a thread too long for one page into that thread with "Load more"', async function () {
    this.timeout(60_000); // 307 replies to post first
    const id = await createTopic();
    const root = await postReply(id, 'Root', 'Root');
    // 305 answers: with the root, 6 over the 300 a page holds; then a second thread.
    const answers = await Promise.all(
      Array.from({ length: 305 }, (_, k) => postReply(id, `Answer ${k}`, `A${k}`, root.id)),
    );
    await postReply(id, 'Second thread', 'S');
    const el = await thread(id);
    const replies = () => $$(el, '[part=reply]');
    expect(replies()).to.have.length(300);
    $(el, '[part=load-more]').click();
    await waitUntil(() => !$(el, '[part=load-more]'), 'still a next page');
    // The thread's rest is nested under its root, the next thread after it.
    const nested = [...replies()[0]!.querySelectorAll(':scope [part=reply] [part=body]')].map(text);
    expect(nested.sort()).to.deep.equal(answers.map((a) => a.text).sort());
    expect(text(replies().at(-1)!.querySelector('[part=body]'))).to.equal('Second thread');
    expect(replies()).to.have.length(307);
  });

  it('keeps the draft across a re-creation, per topic', async () => {
    const id = await createTopic();
    const el = await threadWithForm(id);
    fill(el, 'input', 'Ada');
    fill(el, 'textarea', 'Half-written thought');
    el.remove();
    const again = await threadWithForm(id);
    expect(($(again, 'input') as HTMLInputElement).value).to.equal('Ada');
    expect(($(again, 'textarea') as HTMLTextAreaElement).value).to.equal('Half-written thought');
    const other = await threadWithForm(await createTopic());
    expect(($(other, 'input') as HTMLInputElement).value).to.equal('Ada'); // the name is remembered
    expect(($(other, 'textarea') as HTMLTextAreaElement).value).to.equal('');
  });

  it('works with the keyboard: Tab to Post reply and press Enter', async () => {
    const id = await createTopic();
    const el = await threadWithForm(id);
    fill(el, 'input', 'Keys');
    fill(el, 'textarea', 'Typed and sent with the keyboard.');
    (document.activeElement as HTMLElement | null)?.blur();
    const submit = $(el, '[part=submit]');
    for (let i = 0; i < 20 && el.shadowRoot!.activeElement !== submit; i++) await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(submit);
    const posted = oneEvent(el, 'colloquy-reply-posted');
    await sendKeys({ press: 'Enter' });
    expect((await posted).detail.author.name).to.equal('Keys');
  });

  it('toggles a reaction on a reply', async () => {
    const id = await createTopic();
    const reply = await postReply(id, 'React to me.');
    const el = await thread(id);
    const insightful = $$(el, '[part=reaction]')[1]!;
    setTimeout(() => insightful.click());
    const { detail } = await oneEvent(el, 'colloquy-reaction');
    expect(detail).to.include({ replyId: reply.id, kind: 'insightful', active: true });
    expect(insightful.getAttribute('aria-pressed')).to.equal('true');
    expect(insightful.querySelector('[part=count]')!.textContent).to.equal('1');
    expect((await read(id)).replies[0]!.reactions.insightful).to.equal(1);
  });

  it('renders hostile-looking replies as text', async () => {
    const id = await createTopic();
    await postReply(
      id,
      '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1"> [x](javascript:alert(1))',
      '<b>Mallory</b>',
    );
    const el = await thread(id);
    const reply = $(el, '[part=reply]');
    expect(reply.querySelectorAll('script, img, b').length).to.equal(0);
    expect(text(reply.querySelector('[part=author]'))).to.equal('<b>Mallory</b>');
    expect(text(reply.querySelector('[part=body]'))).to.contain('<script>');
    expect([...reply.querySelectorAll('a')].some((a) => /javascript:/i.test(a.href))).to.be.false;
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('replaces the form by a note on a locked topic', async () => {
    const id = await createTopic({ locked: true });
    const el = await thread(id);
    expect($(el, 'form')).to.equal(null);
    expect(text($(el, '[part=locked]'))).to.equal('This topic is closed.');
  });

  it('shows German strings with lang="de"', async () => {
    const el = await threadWithForm('rsp-update', 'de');
    // The German catalog comes from the server on first use.
    await waitUntil(
      () => text($(el, '[part=heading]')) === 'Antworten (0)',
      `no German: ${text($(el, '[part=heading]'))}`,
    );
    expect(text($(el, '[part=empty]'))).to.equal('Zu diesem Thema gibt es noch keine Antworten.');
    expect($$(el, '[part=field] label').map(text)).to.deep.equal(['Name', 'Antwort']);
    expect(text($(el, '[part=submit]'))).to.equal('Antwort senden');
    await expect(el).to.be.accessible();
  });

  it('switches the custom properties with the theme attribute, and stays accessible', async () => {
    const el = await thread('rsp-update');
    el.theme = 'dark';
    await el.updateComplete;
    const empty = $(el, '[part=empty]');
    expect(getComputedStyle(empty).color).to.equal('rgb(176, 176, 176)');
    expect(getComputedStyle(el).color).to.equal('rgb(236, 236, 236)');
    await expect(el).to.be.accessible();
    el.theme = 'light';
    await el.updateComplete;
    expect(getComputedStyle(empty).color).to.equal('rgb(92, 92, 92)');
    expect(getComputedStyle(el).color).to.equal('rgb(26, 26, 26)');
  });

  it('has no horizontal overflow at 320 px', async () => {
    const id = await createTopic();
    let parent = null as string | null;
    for (let i = 0; i < 6; i++)
      parent = (
        await postReply(
          id,
          `https://example.org/${'long-'.repeat(30)} ${'w'.repeat(120)}`,
          'N'.repeat(60),
          parent,
        )
      ).id;
    const box = await fixture(
      html`<div style="width: 320px"><reply-thread api=${api} topic=${id}></reply-thread></div>`,
    );
    const el = box.querySelector('reply-thread')!;
    await ready(el);
    $$(el, '[part=reply-button]').at(-1)!.click();
    await el.updateComplete;
    expect(el.scrollWidth).to.be.at.most(el.clientWidth);
    expect(box.scrollWidth).to.be.at.most(320);
  });

  it('shows an error with Retry when loading fails', async () => {
    const el = await fixture<ReplyThread>(
      html`<reply-thread api="http://127.0.0.1:9" topic="x"></reply-thread>`,
    );
    await waitUntil(() => $(el, '[part=error]'));
    expect(text($(el, '[part=error] button'))).to.equal('Retry');
  });
});
