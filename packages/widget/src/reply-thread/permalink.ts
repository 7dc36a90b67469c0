/**
 * Going to the reply the page's hash names (`#reply-<id>`, a reply's permalink): a module of
 * its own, loaded only when the hash names a reply (see reply-thread.define.ts). The reply is
 * scrolled to the middle of the view and marked. One past the pages read is read first, with
 * the part of its thread that holds it (`?around=`), and shown after the replies read. A reply
 * no thread of the page can read (deleted for good, held for review, never there) leaves the
 * page as it is.
 */
import type { ReplyPage } from '@colloquy/api';
import { request } from '../api/client.js';
import { repliesUrl } from '../api/requests.js';
import type { TopicStore } from '../store/topic-store.js';
import type { ReplyThread } from './reply-thread.js';

/** The marked reply's look, one sheet per thread, rewritten for each reply gone to. */
const marks = new WeakMap<ShadowRoot, CSSStyleSheet>();

const markOf = (id: string) => {
  const reply = `#reply-${CSS.escape(id)} > article`;
  return `${reply} { outline: 2px solid var(--colloquy-accent); outline-offset: 0.25rem;
    background: var(--colloquy-pressed); border-radius: var(--colloquy-radius); }
  @media (forced-colors: active) { ${reply} { outline-color: Highlight; } }`;
};

/** The element's store: its subclass keeps it protected from the page, not from its own modules. */
const storeOf = (thread: ReplyThread) => (thread as unknown as { store?: TopicStore }).store;

/** Waits (a bounded while) until `thread` has read its topic; its store, or none. */
async function readStore(thread: ReplyThread): Promise<TopicStore | undefined> {
  // A thread far down the page reads nothing until it nears the viewport: bring it there.
  if (!storeOf(thread)) thread.scrollIntoView({ block: 'start' });
  for (let wait = 0; wait < 100; wait++) {
    const store = storeOf(thread);
    if (store && store.state !== 'idle' && store.state !== 'loading') return store;
    await new Promise((done) => setTimeout(done, 50));
  }
  return undefined;
}

/** Puts the replies of `page` (a part of one thread) among those read, each once. */
export function merge(store: TopicStore, page: ReplyPage): void {
  const known = new Set(store.replies.map((reply) => reply.id));
  for (const reply of page.replies) {
    if (known.has(reply.id)) continue;
    known.add(reply.id);
    if (reply.parentId && store.replies.some((r) => r.id === reply.parentId)) store.insert(reply);
    else {
      // A thread past the pages read goes after them; "Load more" puts what it reads before it.
      store.replies = [...store.replies, reply];
      if (!reply.parentId) store.jump = reply;
    }
  }
  store.moreInThread ??= page.moreInThread;
}

/**
 * Shows reply `id` in `thread`, reading it first when it is not among the replies read, then
 * scrolls to it and marks it. Resolves to whether the thread has it.
 */
export async function goTo(thread: ReplyThread, id: string): Promise<boolean> {
  const store = await readStore(thread);
  if (store?.state !== 'ready') return false;
  if (!store.replies.some((reply) => reply.id === id)) {
    try {
      merge(
        store,
        await request<ReplyPage>(`${repliesUrl(store.api, store.topicId)}?around=${encodeURIComponent(id)}`),
      );
    } catch {
      return false;
    }
    store.notify();
  }
  // A long page is rendered a slice at a time: wait (a bounded while) for the reply's.
  const root = thread.renderRoot;
  let target: Element | null = null;
  for (let wait = 0; wait < 100 && !target; wait++) {
    await thread.updateComplete;
    target = root.querySelector(`#reply-${CSS.escape(id)}`);
    if (!target) await new Promise((done) => setTimeout(done, 20));
  }
  if (!target || !(root instanceof ShadowRoot)) return false;
  let sheet = marks.get(root);
  if (!sheet) {
    marks.set(root, (sheet = new CSSStyleSheet()));
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }
  sheet.replaceSync(markOf(id));
  target.scrollIntoView({
    block: 'center',
    behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth',
  });
  return true;
}

/**
 * Goes to the reply the page's hash names, in the first `<reply-thread>` of the page that has
 * it: one that shows it already, else the first whose topic holds it.
 */
export async function follow(): Promise<void> {
  const id = decodeURIComponent(location.hash.slice('#reply-'.length));
  await customElements.whenDefined('reply-thread');
  const threads = [...document.querySelectorAll('reply-thread')];
  const showing = threads.find((thread) => storeOf(thread)?.replies.some((reply) => reply.id === id));
  for (const thread of showing ? [showing] : threads) if (await goTo(thread, id)) return;
}
