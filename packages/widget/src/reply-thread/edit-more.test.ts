import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { EDIT_TOKEN_HEADER, type Reply, type TopicWithReplies } from '@colloquy/api';
import { editTokens } from '../store/edit-tokens.js';
import { topicStore } from '../store/topic-store.js';
import { createTopic, postReply, testEnv } from '../test-env.js';
import './reply-thread.define.js';
import type { ReplyThread } from './reply-thread.js';

const { api } = testEnv();
const $ = (el: Element, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
const $$ = (el: Element, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim();
const bodies = (el: Element) => $$(el, '[part~=reply] [part=body]').map(text);

const read = async (id: string) =>
  (await (
    await fetch(`${api}/api/v1/topics/${encodeURIComponent(id)}`, { cache: 'no-cache' })
  ).json()) as TopicWithReplies;

async function thread(topic: string) {
  const el = await fixture<ReplyThread>(
    html`<reply-thread api=${api} topic=${topic} lang="en"></reply-thread>`,
  );
  // A long page is rendered in slices; the form's place comes with the last.
  await waitUntil(() => $(el, '[part=form-placeholder], form'), 'thread did not render', { timeout: 10_000 });
  return el;
}

/** A reply of this reader's, posted through the store as the form posts it (its edit token kept). */
const postOwn = (topic: string, body: string) =>
  topicStore(api, topic).postReply({ body, authorName: 'Ada', parentId: null });

/** The reply (`li`) whose author or body says `what`. */
const item = (el: Element, what: string) =>
  $$(el, '[part~=reply]').find((li) => text(li.querySelector('article'))?.includes(what));

function type(field: HTMLElement | null, value: string) {
  const area = field as HTMLTextAreaElement;
  area.value = value;
  area.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

describe("a reader's own replies: Edit and Delete", () => {
  it('edits the Markdown source, not the rendered text, and shows the saved reply', async () => {
    const id = await createTopic();
    await postReply(id, 'Someone else wrote this.', 'Grace');
    const el = await thread(id);
    const own = await postOwn(id, 'Some *emphasis* here.');
    await waitUntil(() => $(el, '[part=edit-button]'), 'no Edit button on the own reply');
    // Only the reader's own reply has the buttons.
    expect($$(el, '[part=edit-button]')).to.have.length(1);
    expect($$(el, '[part=delete-button]')).to.have.length(1);
    expect(item(el, 'Grace')!.querySelector('[part=edit-button],[part=delete-button]')).to.equal(null);

    $(el, '[part=edit-button]')!.click();
    await waitUntil(() => $(el, '[part=editor] textarea'), 'the editor did not open');
    const area = $(el, '[part=editor] textarea') as HTMLTextAreaElement;
    expect(area.value).to.equal('Some *emphasis* here.');
    expect(el.shadowRoot!.activeElement).to.equal(area);

    type(area, 'Now **strong**.');
    $(el, '[part=save]')!.click();
    await waitUntil(() => !$(el, '[part=editor]'), 'the editor did not close after saving');
    const saved = item(el, 'Ada')!;
    expect(text(saved.querySelector('[part=body] strong'))).to.equal('strong');
    expect(text(saved.querySelector('[part=body]'))).to.equal('Now strong.');
    const stored = (await read(id)).replies.find((r) => r.id === own.id)!;
    expect(stored.text).to.equal('Now strong.');
    expect(stored.editedAt).to.be.a('string');
  });

  it('puts the reply back on Cancel or Escape, with the focus on the button that opened it', async () => {
    const id = await createTopic();
    const el = await thread(id);
    await postOwn(id, 'Keep me as I am.');
    await waitUntil(() => $(el, '[part=edit-button]'), 'no Edit button');
    $(el, '[part=edit-button]')!.click();
    await waitUntil(() => $(el, '[part=editor] textarea'), 'the editor did not open');
    type($(el, '[part=editor] textarea'), 'Changed my mind.');
    $(el, '[part=editor] textarea')!.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }),
    );
    await waitUntil(() => !$(el, '[part=editor]'), 'Escape did not close the editor');
    expect(bodies(el)).to.deep.equal(['Keep me as I am.']);
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part=edit-button]'));

    $(el, '[part=delete-button]')!.click();
    await waitUntil(() => $(el, '[part=confirm]'), 'no confirmation asked');
    $(el, '[part=confirm] [part=cancel]')!.click();
    await waitUntil(() => !$(el, '[part=confirm]'), 'Cancel did not close the confirmation');
    expect(bodies(el)).to.deep.equal(['Keep me as I am.']);
    expect((await read(id)).replies.map((r) => r.status)).to.deep.equal(['published']);
  });

  it('deletes after confirmation: the reply is blanked, here and for everyone', async () => {
    const id = await createTopic();
    const el = await thread(id);
    const own = await postOwn(id, 'Delete me.');
    await waitUntil(() => $(el, '[part=delete-button]'), 'no Delete button');
    $(el, '[part=delete-button]')!.click();
    await waitUntil(() => $(el, '[part=confirm-delete]'), 'no confirmation asked');
    expect(text($(el, '[part=confirm] p'))).to.equal('Delete this reply? This cannot be undone.');
    $(el, '[part=confirm-delete]')!.click();
    await waitUntil(() => !$(el, '[part=confirm]'), 'the deletion did not finish');
    expect(bodies(el)).to.deep.equal(['Removed.']);
    expect($(el, '[part=edit-button]')).to.equal(null);
    expect(text($(el, '[part=heading]'))).to.equal('Replies (0)');
    const stored = (await read(id)).replies.find((r) => r.id === own.id);
    expect(stored?.status).to.equal('deleted');
    expect(stored?.text).to.equal('');
  });

  it("keeps the reader's text with the server's explanation when a save is refused", async () => {
    const id = await createTopic();
    const el = await thread(id);
    const own = await postOwn(id, 'About to vanish.');
    await waitUntil(() => $(el, '[part=edit-button]'), 'no Edit button');
    $(el, '[part=edit-button]')!.click();
    await waitUntil(() => $(el, '[part=editor] textarea'), 'the editor did not open');
    type($(el, '[part=editor] textarea'), 'My careful rewrite.');
    // Meanwhile the reply is deleted elsewhere (another tab of the author's).
    const [token] = editTokens()[`${api} ${own.id}`]!;
    const gone = await fetch(`${api}/api/v1/replies/${own.id}`, {
      method: 'DELETE',
      headers: { [EDIT_TOKEN_HEADER]: token },
    });
    expect(gone.status).to.equal(200);
    const refused = new Promise<CustomEvent>((resolve) =>
      el.addEventListener('colloquy-error', (event) => resolve(event as CustomEvent), { once: true }),
    );
    $(el, '[part=save]')!.click();
    const { detail } = await refused;
    expect(detail.action).to.equal('edit');
    await waitUntil(() => text($(el, '[part=editor] [part=alert]')), 'no error shown');
    expect(text($(el, '[part=editor] [part=alert]'))).to.equal(detail.message);
    expect(detail.message).to.equal(detail.error.detail);
    expect(($(el, '[part=editor] textarea') as HTMLTextAreaElement).value).to.equal('My careful rewrite.');
  });

  it('hides the buttons once the edit window is over', async () => {
    const id = await createTopic();
    const el = await thread(id);
    const own = await postOwn(id, 'Editable for a moment.');
    await waitUntil(() => $(el, '[part=edit-button]'), 'no Edit button');
    // The window closes in a moment: the buttons go by themselves, with no other change.
    const kept = editTokens()[`${api} ${own.id}`]!;
    kept[1] = Date.now() + 200;
    el.requestUpdate();
    await waitUntil(() => !$(el, '[part=edit-button]'), 'the buttons outlived the window');
    expect($(el, '[part=delete-button]')).to.equal(null);
    // A fresh page (a new element) does not show them either.
    const again = await thread(id);
    await waitUntil(() => bodies(again).length === 1, 'the reply did not render');
    expect($(again, '[part=edit-button]')).to.equal(null);
  });
});

describe('a thread longer than a page', () => {
  it('is read whole through "Show more replies", in order, and "Load more" doubles nothing', async function () {
    this.timeout(120_000);
    const id = await createTopic();
    const root = await postReply(id, 'The long thread starts.', 'Root');
    const answers: Reply[] = [];
    for (let batch = 0; batch < 65; batch++)
      answers.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, k) => postReply(id, `Answer ${batch * 10 + k}.`, 'Many', root.id)),
        )),
      );
    // Late answers to the first answer: their place is under it, not at the thread's end.
    const first = [...answers].sort(byTime)[0]!;
    const late = [
      await postReply(id, 'A late answer to the first.', 'Late', first.id),
      await postReply(id, 'Another late one.', 'Late', first.id),
    ];
    const after = await postReply(id, 'A thread after the long one.', 'Next');

    const start = await read(id);
    expect(start.moreInThread?.rootId, 'the first page cuts the thread').to.equal(root.id);
    const el = await thread(id);
    await waitUntil(() => $(el, '[part=more-in-thread]'), 'no "Show more replies" button');
    expect(text($(el, '[part=more-in-thread]'))).to.equal(`Show more replies (${start.moreInThread!.count})`);
    // The button is at the end of the cut thread, inside it.
    expect(item(el, 'The long thread starts.')!.lastElementChild).to.equal($(el, '[part=more-in-thread]'));

    let clicks = 0;
    while ($(el, '[part=more-in-thread]')) {
      const shown = bodies(el).length;
      $(el, '[part=more-in-thread]')!.click();
      clicks++;
      await waitUntil(() => bodies(el).length > shown, 'the next replies of the thread did not come');
      await el.updateComplete;
    }
    expect(clicks, 'the thread takes more than two pages').to.be.greaterThan(1);
    const expected = [
      root,
      ...[...answers].sort(byTime).flatMap((a) => (a.id === first.id ? [a, ...late] : [a])),
    ].map((r) => r.text);
    expect(bodies(el)).to.deep.equal(expected);

    // "Load more" goes on after the thread: the next thread, and nothing twice.
    $(el, '[part=load-more]')!.click();
    await waitUntil(() => !$(el, '[part=load-more]'), 'Load more did not finish');
    expect(bodies(el)).to.deep.equal([...expected, after.text]);
    const ids = topicStore(api, id).replies.map((r) => r.id);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(ids).to.have.length(answers.length + late.length + 2);
  });
});

/** Sibling order, as the server keeps it: oldest first, then by id. */
function byTime(a: Reply, b: Reply) {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1;
}

describe('the live stream told to reload', () => {
  it('reads the topic again once, keeping what the reader is typing', async function () {
    this.timeout(30_000);
    const id = await createTopic();
    await postReply(id, 'Before.', 'Ada');
    const opened: EventSource[] = [];
    const opens = new Map<EventSource, number>();
    const Original = window.EventSource;
    window.EventSource = class extends Original {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        opened.push(this);
        this.addEventListener('open', () => opens.set(this, (opens.get(this) ?? 0) + 1));
      }
    };
    const reads: string[] = [];
    const originalFetch = window.fetch;
    window.fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname === `/api/v1/topics/${id}`) reads.push(url.pathname);
      return originalFetch(input, init);
    };
    let hidden = false;
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    const setHidden = (value: boolean) => {
      hidden = value;
      document.dispatchEvent(new Event('visibilitychange'));
    };
    try {
      const el = await thread(id);
      await waitUntil(() => $(el, 'form textarea'), 'the form did not load');
      await waitUntil(() => opens.get(opened[0]!) === 1, 'no stream opened');
      const area = $(el, 'form textarea') as HTMLTextAreaElement;
      area.focus();
      type(area, 'Half a thought');

      setHidden(true);
      await postReply(id, 'Missed one.', 'Grace');
      await postReply(id, 'Missed two.', 'Linus');
      // The server forgets those events, as it does after a week.
      expect(await executeServerCommand('colloquy-prune-events')).to.equal(true);
      const readsBefore = reads.length;
      setHidden(false);

      // The reopened stream is told to reload: the topic is read again and shows what was missed...
      await waitUntil(() => bodies(el).length === 3, 'the topic was not read again');
      expect(bodies(el)).to.deep.equal(['Before.', 'Missed one.', 'Missed two.']);
      // ...once: the server ends that stream, and the browser's reconnection resumes after the
      // newest event instead of asking again.
      const stream = opened.at(-1)!;
      await waitUntil(() => (opens.get(stream) ?? 0) >= 2, 'the stream did not come back', {
        timeout: 15_000,
      });
      expect(reads.length - readsBefore).to.equal(1);
      // What the reader was typing is still there, in the same field, still focused.
      expect($(el, 'form textarea')).to.equal(area);
      expect(area.value).to.equal('Half a thought');
      expect(el.shadowRoot!.activeElement).to.equal(area);
    } finally {
      window.EventSource = Original;
      window.fetch = originalFetch;
      delete (document as { hidden?: boolean }).hidden;
    }
  });
});
