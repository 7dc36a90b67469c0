import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Reply } from '@colloquy/api';
import { createTopic, testEnv } from '../test-env.js';
import '../define.js';
import { HOSTILE_NAMES, HOSTILE_PAYLOADS } from './hostile-payloads.fixtures.js';

const { api } = testEnv();

/** Counts every way a payload could show it ran: the canary, a dialog, leaving the page. */
let ran: string[] = [];
declare global {
  interface Window {
    __colloquyCanary: () => void;
  }
}
window.__colloquyCanary = () => ran.push('canary');
window.alert = () => ran.push('alert');
window.confirm = () => {
  ran.push('confirm');
  return false;
};
window.prompt = () => {
  ran.push('prompt');
  return null;
};
window.addEventListener('beforeunload', () => ran.push('navigation'));

/** Every tag the elements' own templates create; anything else came from a payload. */
const OWN_TAGS = new Set(
  (
    'article header nav ol ul li p a strong em code pre blockquote br span div button time h2 ' +
    'form label input textarea slot section small select option'
  ).split(' '),
);
const ICON_TAGS = new Set(['svg', 'path', 'g']);
const SAFE_LINK = /^(https?:|mailto:)/;

async function post(topic: string, body: string, authorName: string): Promise<Response> {
  return fetch(`${api}/api/v1/topics/${encodeURIComponent(topic)}/replies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ body, authorName }),
  });
}

/** All elements inside the element's shadow root, and inside shadow roots below it. */
function shadowElements(root: Element): Element[] {
  const found: Element[] = [];
  const walk = (node: ParentNode) => {
    for (const el of node.querySelectorAll('*')) {
      found.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(root.shadowRoot!);
  return found;
}

function assertInert(host: Element) {
  for (const el of shadowElements(host)) {
    const tag = el.localName;
    // The elements' own drawings are the reaction icons, inside the reaction buttons only.
    const icon = ICON_TAGS.has(tag) && el.closest('[part=reaction] > svg[aria-hidden=true]');
    expect(OWN_TAGS.has(tag) || !!icon, `<${tag}> in <${host.localName}> came from content`).to.equal(true);
    for (const attr of el.getAttributeNames()) {
      expect(attr.startsWith('on'), `${attr} on <${tag}>`).to.equal(false);
    }
    if (tag === 'a') {
      const a = el as HTMLAnchorElement;
      const href = a.getAttribute('href') ?? '';
      if (href.startsWith('#colloquy-source-')) continue;
      // A reply's own permalink: its id, which the server makes, never the content.
      if (a.part.contains('permalink') && /^#reply-[0-9A-Za-z_-]+$/.test(href)) continue;
      expect(SAFE_LINK.test(a.protocol) && SAFE_LINK.test(href), `link to ${href}`).to.equal(true);
      expect(a.rel.split(' ')).to.include.members(['nofollow', 'ugc', 'noopener', 'noreferrer']);
    }
  }
}

describe('hostile content', function () {
  this.timeout(60000);

  it(`renders ${HOSTILE_PAYLOADS.length} hostile bodies and ${HOSTILE_NAMES.length} names as inert text`, async () => {
    ran = [];
    const start = location.href;
    const topic = await createTopic({
      title: `<img src=x onerror=__colloquyCanary()> title`,
      label: '<script>__colloquyCanary()</script>',
      summary: '<svg onload=__colloquyCanary()>',
      author: { name: '<img src=x onerror=__colloquyCanary()>' },
      category: { slug: 'x', name: '<b>cat</b>', path: ['<i onclick=__colloquyCanary()>c</i>', 'd'] },
      body: HOSTILE_PAYLOADS.slice(0, 20).join('\n\n'),
      sources: [{ title: '<script>__colloquyCanary()</script>', url: 'https://ok.example/"><script>' }],
    });

    let stored = 0;
    const attempts = [
      ...HOSTILE_PAYLOADS.map((body) => [body, 'Mallory'] as const),
      ...HOSTILE_NAMES.map((name) => ['A reply under a hostile name.', name] as const),
    ];
    for (const [body, name] of attempts) {
      const res = await post(topic, body, name);
      // Refusing a payload is safe too, but only as a client error with a problem body.
      if (res.status === 201) stored += 1;
      else {
        expect(res.status, `${res.status} for ${JSON.stringify(body)}`).to.be.within(400, 499);
        expect(res.headers.get('content-type')).to.contain('application/problem+json');
      }
    }
    expect(stored, 'payloads stored and so rendered').to.be.at.least(60);

    const [card, sources, thread] = await Promise.all([
      fixture(html`<topic-card api=${api} topic=${topic}></topic-card>`),
      fixture(html`<source-list api=${api} topic=${topic}></source-list>`),
      fixture(html`<reply-thread api=${api} topic=${topic}></reply-thread>`),
    ]);
    const replyItems = () => thread.shadowRoot!.querySelectorAll('[part~=reply]').length;
    // A long page renders in slices; the form's place comes with the last.
    await waitUntil(
      () => thread.shadowRoot!.querySelector('[part=form-placeholder], form'),
      'replies did not render',
      { timeout: 10_000 },
    );
    // Load every page, so that every stored payload is on screen.
    for (;;) {
      const more = thread.shadowRoot!.querySelector<HTMLButtonElement>('[part=load-more]');
      if (!more) break;
      const before = replyItems();
      more.click();
      await waitUntil(() => replyItems() > before, 'Load more did not add replies');
    }
    expect(replyItems()).to.equal(stored);
    // Give anything that might have been scheduled (an image error, an animation) its chance.
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(ran, 'payloads that ran').to.deep.equal([]);
    expect(location.href).to.equal(start);
    for (const el of [card, sources, thread]) assertInert(el);
    // The markup is there, as text a reader can see.
    expect(thread.shadowRoot!.textContent).to.contain('<script>__colloquyCanary()</script>');
    expect(card.shadowRoot!.textContent).to.contain('<img src=x onerror=__colloquyCanary()> title');
  });

  it('never renders a link whose scheme is not http(s) or mailto, however it is spelled', async () => {
    const topic = await createTopic();
    const replies: Reply[] = [];
    for (const body of HOSTILE_PAYLOADS.filter((p) => p.includes(']('))) {
      const res = await post(topic, body, 'Mallory');
      if (res.status === 201) replies.push((await res.json()) as Reply);
    }
    const hrefs: string[] = [];
    const visit = (nodes: unknown[]): void => {
      for (const node of nodes as Array<Record<string, unknown>>) {
        if (node.t === 'link') hrefs.push(node.href as string);
        for (const key of ['c', 'items'])
          if (Array.isArray(node[key])) visit((node[key] as unknown[]).flat());
      }
    };
    for (const reply of replies) visit(reply.body);
    expect(replies.length).to.be.greaterThan(20);
    for (const href of hrefs) expect(SAFE_LINK.test(href), href).to.equal(true);
  });
});
