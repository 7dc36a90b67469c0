import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { adoptStyles, render } from 'lit';
import type { Doc } from '@colloquy/api';
import { theme } from '../styles/theme.js';
import { createTopic, testEnv } from '../test-env.js';
import '../topic-card/topic-card.define.js';
import { renderDoc } from './render-doc.js';

async function rendered(doc: Doc) {
  const box = await fixture<HTMLDivElement>(html`<div></div>`);
  render(renderDoc(doc), box);
  return box;
}

/** Renders into a shadow root with the elements' shared styles, as the elements do. */
async function styled(doc: Doc, width: number) {
  const host = await fixture<HTMLDivElement>(html`<div style="width: ${width}px"></div>`);
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, [theme]);
  const body = document.createElement('div');
  root.append(body);
  render(renderDoc(doc), body);
  return { host, root };
}

const p = (v: string) => ({ t: 'p' as const, c: [{ t: 'text' as const, v }] });

describe('renderDoc', () => {
  it('renders every node type with elements made by templates', async () => {
    const box = await rendered([
      {
        t: 'p',
        c: [
          { t: 'text', v: 'a ' },
          { t: 'em', c: [{ t: 'text', v: 'b' }] },
          { t: 'strong', c: [{ t: 'text', v: 'c' }] },
          { t: 'code', v: 'd' },
          { t: 'br' },
          { t: 'cite', n: 2 },
          { t: 'del', c: [{ t: 'text', v: 'e' }] },
        ],
      },
      { t: 'pre', v: 'x < y' },
      { t: 'ul', items: [[{ t: 'p', c: [{ t: 'text', v: 'one' }] }]] },
      { t: 'ol', start: 3, items: [[{ t: 'p', c: [{ t: 'text', v: 'three' }] }]] },
      { t: 'quote', c: [{ t: 'p', c: [{ t: 'text', v: 'quoted' }] }] },
      { t: 'h', level: 1, c: [{ t: 'text', v: 'heading' }] },
      { t: 'hr' },
    ]);
    expect(box.querySelector('p em')!.textContent).to.equal('b');
    expect(box.querySelector('p strong')!.textContent).to.equal('c');
    expect(box.querySelector('p code')!.textContent).to.equal('d');
    expect(box.querySelector('p br')).to.exist;
    expect(box.querySelector('a')!.getAttribute('href')).to.equal('#colloquy-source-2');
    expect(box.querySelector('p del')!.textContent).to.equal('e');
    expect(box.querySelector('pre code')!.textContent).to.equal('x < y');
    expect(box.querySelector('pre code')!.hasAttribute('class')).to.be.false;
    expect(box.querySelector('ul li')!.textContent).to.equal('one');
    expect(box.querySelector('ol')!.getAttribute('start')).to.equal('3');
    expect(box.querySelector('blockquote p')!.textContent).to.equal('quoted');
    // A heading of a body is a bold paragraph, never a heading of the page.
    expect(box.querySelector('h1,h2,h3,h4,h5,h6')).to.equal(null);
    expect([...box.querySelectorAll('p > strong')].map((s) => s.textContent)).to.include('heading');
    expect(box.querySelector('hr')).to.exist;
  });

  it('keeps a soft line break as a newline, which a host may show with white-space: pre-line', async () => {
    const box = await rendered([p('one\ntwo'), p('one two')]);
    const [soft, space] = [...box.querySelectorAll('p')];
    expect(soft!.textContent).to.equal('one\ntwo');
    expect(soft!.getBoundingClientRect().height).to.equal(space!.getBoundingClientRect().height);
    box.style.whiteSpace = 'pre-line';
    expect(soft!.getBoundingClientRect().height).to.be.above(space!.getBoundingClientRect().height);
  });

  it('gives a code block its language as a class the host can style', async () => {
    const box = await rendered([
      { t: 'pre', v: 'print(1)\n', lang: 'python' },
      { t: 'pre', v: 'x', lang: '"><img src=x>' },
    ]);
    const [python, hostile] = [...box.querySelectorAll('pre code')];
    expect(python!.className).to.equal('language-python');
    expect(hostile!.className).to.equal('language-"><img src=x>');
    expect(box.querySelector('img')).to.equal(null);
  });

  it('shows tight list items without paragraphs and loose ones with them', async () => {
    const items = [[p('a')], [p('b'), { t: 'ul' as const, items: [[p('c')]], tight: true }]];
    const box = await rendered([
      { t: 'ul', items, tight: true },
      { t: 'ol', start: 1, items, tight: false },
    ]);
    const [tight, loose] = [box.querySelector('ul')!, box.querySelector('ol')!];
    expect(tight.querySelector(':scope > li > p')).to.equal(null);
    expect([...tight.querySelectorAll(':scope > li')].map((li) => li.textContent)).to.deep.equal(['a', 'bc']);
    expect(tight.querySelector(':scope > li > ul > li')!.textContent).to.equal('c');
    expect([...loose.querySelectorAll(':scope > li > p')].map((el) => el.textContent)).to.deep.equal([
      'a',
      'b',
    ]);
  });

  it('renders task list items as disabled checkboxes', async () => {
    const box = await rendered([
      {
        t: 'ul',
        items: [
          [
            {
              t: 'p',
              c: [
                { t: 'task', checked: true },
                { t: 'text', v: ' done' },
              ],
            },
          ],
          [
            {
              t: 'p',
              c: [
                { t: 'task', checked: false },
                { t: 'text', v: ' open' },
              ],
            },
          ],
        ],
        tight: true,
      },
    ]);
    const boxes = [...box.querySelectorAll('input')];
    expect(boxes.map((b) => [b.type, b.disabled, b.checked])).to.deep.equal([
      ['checkbox', true, true],
      ['checkbox', true, false],
    ]);
    expect(box.querySelector('li')!.textContent).to.equal(' done');
  });

  it('renders tables with header cells and column alignment', async () => {
    const box = await rendered([
      {
        t: 'table',
        align: ['left', 'center', null],
        head: [[{ t: 'text', v: 'a' }], [{ t: 'em', c: [{ t: 'text', v: 'b' }] }], [{ t: 'text', v: 'c' }]],
        rows: [[[{ t: 'text', v: '1' }], [{ t: 'cite', n: 1 }], []]],
      },
    ]);
    const table = box.querySelector('.table > table')!;
    expect(
      [...table.querySelectorAll('tr:first-child th')].map((th) => [
        th.textContent,
        th.getAttribute('align'),
      ]),
    ).to.deep.equal([
      ['a', 'left'],
      ['b', 'center'],
      ['c', null],
    ]);
    expect([...table.querySelectorAll('tr:last-child td')].map((td) => td.textContent)).to.deep.equal([
      '1',
      '[1]',
      '',
    ]);
    expect(table.querySelector('td')!.getAttribute('align')).to.equal('left');
    await expect(box).to.be.accessible();
  });

  it('scrolls a wide table inside its own box at 320 px, so the page never does', async () => {
    const word = 'Averyveryverylongcellwordthatwillnotbreak';
    const doc: Doc = [
      p('before'),
      {
        t: 'table',
        align: [null, null, null, null],
        head: [0, 1, 2, 3].map(() => [{ t: 'text', v: word }]),
        rows: [[0, 1, 2, 3].map(() => [{ t: 'text', v: 'x' }])],
      },
    ];
    const { host, root } = await styled(doc, 320);
    const scroller = root.querySelector<HTMLElement>('.table')!;
    expect(scroller.scrollWidth).to.be.above(scroller.clientWidth);
    expect(scroller.clientWidth).to.be.at.most(320);
    expect(getComputedStyle(scroller).overflowX).to.equal('auto');
    expect(host.scrollWidth).to.be.at.most(320);
    // Words in cells stay whole: the table scrolls rather than breaking them letter by letter.
    expect(root.querySelector('th')!.getBoundingClientRect().width).to.be.above(200);
    await expect(root.querySelector('div')!).to.be.accessible();
  });

  it('keeps a topic with a wide table within a 320 px wide page', async () => {
    const { api } = testEnv();
    const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
    const body = [
      'A table from the server:',
      '',
      row(['Threshold', 'Protective measures', 'Assessment cadence', 'Responsible team']),
      row(['---', ':---:', '---:', '---']),
      row(['Autonomous research', 'ASL-3 security standard', 'Every six months', 'Frontier red team']),
      '',
      '- [x] read the policy',
      '- [ ] ~~skip~~ the appendix',
    ].join('\n');
    const id = await createTopic({ body });
    const box = await fixture(
      html`<div style="width: 320px"><topic-card api=${api} topic=${id}></topic-card></div>`,
    );
    const el = box.querySelector('topic-card')!;
    await waitUntil(() => el.shadowRoot?.querySelector('[part=body] table'), 'no table rendered');
    const shadow = el.shadowRoot!;
    expect([...shadow.querySelectorAll('th')].map((th) => th.getAttribute('align'))).to.deep.equal([
      null,
      'center',
      'right',
      null,
    ]);
    expect(
      [...shadow.querySelectorAll('input[type=checkbox]')].map((c) => (c as HTMLInputElement).checked),
    ).to.deep.equal([true, false]);
    expect(shadow.querySelector('li del')!.textContent).to.equal('skip');
    const scroller = shadow.querySelector<HTMLElement>('.table')!;
    expect(scroller.scrollWidth).to.be.above(scroller.clientWidth);
    expect(el.scrollWidth).to.be.at.most(el.clientWidth);
    expect(box.scrollWidth).to.be.at.most(320);
  });

  it('checks link schemes again and marks links as user content', async () => {
    const box = await rendered([
      {
        t: 'p',
        c: [
          { t: 'link', href: 'javascript:alert(1)', c: [{ t: 'text', v: 'evil' }] },
          { t: 'link', href: 'https://example.org/', c: [{ t: 'text', v: 'good' }] },
          { t: 'link', href: 'MAILTO:a@example.org', c: [{ t: 'text', v: 'mail' }] },
        ],
      },
    ]);
    const links = [...box.querySelectorAll('a')];
    expect(links.map((a) => a.textContent)).to.deep.equal(['good', 'mail']);
    expect(box.textContent).to.contain('evil');
    expect(links.every((a) => a.rel === 'nofollow ugc noopener noreferrer' && a.target === '_blank')).to.be
      .true;
  });

  it('keeps markup-looking text as text', async () => {
    const box = await rendered([{ t: 'p', c: [{ t: 'text', v: '<img src=x onerror=alert(1)>' }] }]);
    expect(box.querySelector('img')).to.equal(null);
    expect(box.textContent).to.equal('<img src=x onerror=alert(1)>');
  });

  it('renders nothing for a node type it does not know', async () => {
    const box = await rendered([p('kept'), { t: 'video', src: 'x' } as unknown as Doc[number]]);
    expect(box.textContent).to.equal('kept');
    expect(box.children.length).to.equal(1);
  });
});
