import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { createTopic, testEnv } from '../test-env.js';
import '../topic-card/topic-card.define.js';
import './source-list.define.js';
import type { SourceList } from './source-list.js';

const { api } = testEnv();
const $ = (el: Element, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector)!;
const ready = (el: SourceList) => waitUntil(() => $(el, 'ol'), 'sources did not render');

async function list(topic: string, lang = 'en') {
  const el = await fixture<SourceList>(
    html`<source-list api=${api} topic=${topic} lang=${lang}></source-list>`,
  );
  await ready(el);
  return el;
}

describe('<source-list>', () => {
  it("renders the seed topic's numbered sources with their domains", async () => {
    const el = await list('rsp-update');
    expect($(el, 'h2[part=heading]').textContent!.trim()).to.equal('Sources');
    const item = $(el, 'li#colloquy-source-1');
    expect(item.getAttribute('part')).to.equal('source');
    const link = item.querySelector('a')!;
    expect(link.textContent).to.equal('Anthropic News');
    expect(link.href).to.match(/^https:\/\/(www\.)?anthropic\.com\//);
    expect(link.rel).to.equal('nofollow ugc noopener noreferrer');
    expect(link.target).to.equal('_blank');
    expect(item.querySelector('[part=domain]')!.textContent).to.equal('anthropic.com');
  });

  it('is accessible', async () => {
    const el = await list('rsp-update');
    await expect(el).to.be.accessible();
  });

  it('puts an anchor for each source in the page, so citations link to it', async () => {
    const id = await createTopic({
      body: 'First [1] and second [2].',
      sources: [
        { title: 'One', url: 'https://www.example.org/1' },
        { title: 'Two', url: 'https://news.example.com/2' },
      ],
    });
    const box = await fixture(
      html`<div><topic-card api=${api} topic=${id}></topic-card><source-list api=${api} topic=${id}></source-list></div>`,
    );
    const el = box.querySelector('source-list')!;
    await ready(el);
    await el.updateComplete;
    const anchor = document.getElementById('colloquy-source-2')!;
    expect(anchor).to.exist;
    expect(anchor.assignedSlot!.closest('li')!.id).to.equal('colloquy-source-2');
    expect($(el, '#colloquy-source-1 [part=domain]').textContent).to.equal('example.org');
    expect($(el, '#colloquy-source-2 [part=domain]').textContent).to.equal('news.example.com');
    const card = box.querySelector('topic-card')!;
    await waitUntil(() => card.shadowRoot!.querySelector('a.cite'));
    const cites = [...card.shadowRoot!.querySelectorAll<HTMLAnchorElement>('a.cite')];
    expect(cites.map((a) => a.hash)).to.deep.equal(['#colloquy-source-1', '#colloquy-source-2']);
    // Following the citation finds the anchor in the document (no hash change needed to check).
    expect(document.querySelector(cites[1]!.hash)).to.equal(anchor);
    cites[1]!.click(); // from inside topic-card's shadow root
    await waitUntil(() => location.hash === '#colloquy-source-2', 'the citation did not navigate');
    expect(document.querySelector(':target')).to.equal(anchor);
    history.replaceState(null, '', location.pathname + location.search);
    el.remove();
    expect(document.getElementById('colloquy-source-2')).to.equal(null);
  });

  it('renders nothing when the topic has no sources', async () => {
    const id = await createTopic({ sources: [] });
    const el = await fixture<SourceList>(html`<source-list api=${api} topic=${id}></source-list>`);
    await waitUntil(() => !$(el, '[part=loading]'));
    expect(el.shadowRoot!.querySelector('ol')).to.equal(null);
    expect(el.getBoundingClientRect().height).to.equal(0);
  });

  it('shows German strings with lang="de"', async () => {
    const el = await list('rsp-update', 'de');
    // The German catalog comes from the server on first use.
    await waitUntil(() => $(el, '[part=heading]').textContent!.trim() === 'Quellen', 'no German');
  });

  it('switches the custom properties with the theme attribute', async () => {
    const el = await list('rsp-update');
    el.theme = 'dark';
    await el.updateComplete;
    expect(getComputedStyle(el).color).to.equal('rgb(236, 236, 236)');
    await expect(el).to.be.accessible();
  });

  it('has no horizontal overflow at 320 px', async () => {
    const id = await createTopic({
      sources: [
        {
          title: 'Averyveryverylongtitlewithoutanyspacesatallthatwouldoverflow',
          url: `https://example.org/${'x'.repeat(200)}`,
        },
      ],
    });
    const box = await fixture(
      html`<div style="width: 320px"><source-list api=${api} topic=${id}></source-list></div>`,
    );
    const el = box.querySelector('source-list')!;
    await ready(el);
    expect(el.scrollWidth).to.be.at.most(el.clientWidth);
    expect(box.scrollWidth).to.be.at.most(320);
  });

  it('renders hostile-looking source titles as text and drops unsafe links', async () => {
    const id = await createTopic({
      sources: [{ title: '<img src=x onerror="window.__pwned=1">', url: 'https://example.org/' }],
    });
    const el = await list(id);
    expect(el.shadowRoot!.querySelectorAll('img').length).to.equal(0);
    expect($(el, 'li a').textContent).to.equal('<img src=x onerror="window.__pwned=1">');
  });
});
