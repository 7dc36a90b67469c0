import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { LitElement } from 'lit';
import { createTopic, postReply, testEnv } from '../test-env.js';
import '../define.js';

const { api } = testEnv();
const $ = (el: Element, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector)!;
const box = (el: Element) => el.getBoundingClientRect();

/**
 * The three elements on a 320 px wide phone in a page written left to right (English) and one
 * written right to left (Arabic, Hebrew): every style is a logical property, so the layout
 * mirrors and nothing overflows either way.
 */
describe('writing direction at 320 px', () => {
  let topic = '';

  before(async () => {
    await setViewport({ width: 320, height: 800 });
    topic = await createTopic({
      author: { name: 'Natalya Tihonova' },
      sources: [{ title: 'The policy', url: 'https://example.org/policy' }],
    });
    const root = await postReply(topic, 'A reply at the top.', 'Ada');
    await postReply(topic, 'An answer to it.', 'Grace', root.id);
  });

  after(() => setViewport({ width: 800, height: 600 }));

  /** The elements in a page of direction `dir` and language `lang`; `own`: each element's `lang`. */
  async function render(dir: 'ltr' | 'rtl', lang: string, own?: string) {
    const page = await fixture(html`<div dir=${dir} lang=${lang}>
      <topic-card api=${api} topic=${topic} lang=${ifDefined(own)}></topic-card>
      <source-list api=${api} topic=${topic} lang=${ifDefined(own)}></source-list>
      <reply-thread api=${api} topic=${topic} lang=${ifDefined(own)}></reply-thread>
    </div>`);
    const [card, sources, thread] = ['topic-card', 'source-list', 'reply-thread'].map(
      (tag) => page.querySelector(tag)!,
    ) as [Element, Element, Element];
    await waitUntil(
      () => $(card, '[part=avatar]') && $(sources, '[part=source]') && $(thread, '[part=list] [part=list]'),
      'the elements did not render',
    );
    return { page, card, sources, thread };
  }

  /** Every element of every shadow root lies within the page's width; no element scrolls sideways. */
  function expectNoOverflow(page: Element, hosts: Element[]) {
    expect(page.scrollWidth).to.be.at.most(page.clientWidth);
    expect(document.documentElement.scrollWidth).to.be.at.most(320);
    const { left, right } = box(page);
    for (const host of hosts) {
      expect(host.scrollWidth, host.localName).to.be.at.most(host.clientWidth);
      for (const node of host.shadowRoot!.querySelectorAll('*')) {
        const rect = box(node);
        if (!rect.width) continue;
        expect(rect.left, `${host.localName} ${node.localName}`).to.be.at.least(left - 0.5);
        expect(rect.right, `${host.localName} ${node.localName}`).to.be.at.most(right + 0.5);
      }
    }
  }

  // [the page's direction and language, the elements' language, the direction expected]
  for (const [dir, lang, own, expected] of [
    ['ltr', 'en', undefined, 'ltr'],
    ['rtl', 'ar', undefined, 'rtl'],
    ['rtl', 'he', undefined, 'rtl'],
    // The elements' own language decides: Arabic on an English page written left to right…
    ['ltr', 'en', 'ar', 'rtl'],
    // …while one written left to right takes the page's direction.
    ['rtl', 'ar', 'en', 'rtl'],
  ] as const) {
    const what = own ? `${own} elements on a ${lang} page written ${dir}` : lang;
    it(`lays ${what} out ${expected === 'rtl' ? 'right to left' : 'left to right'}`, async () => {
      const { page, card, sources, thread } = await render(dir, lang, own);
      const rtl = expected === 'rtl';
      expect(window.innerWidth).to.equal(320);
      for (const element of [card, sources, thread]) {
        expect(getComputedStyle(element).direction, element.localName).to.equal(expected);
        // Only a language written right to left sets a direction; else the page's holds.
        expect(element.getAttribute('dir'), element.localName).to.equal(
          (own ?? lang) === 'en' ? null : 'rtl',
        );
      }

      // The avatar comes first in the reading direction: on the right in Arabic and Hebrew.
      const avatar = box($(card, '[part=avatar]'));
      const name = box($(card, '[part=author] > span:last-child'));
      expect(rtl ? avatar.left > name.left : avatar.left < name.left, 'avatar before the name').to.be.true;

      // Answers are indented from the start side, with the nesting line on that side.
      const outer = box($(thread, '[part=list]'));
      const nestedList = $(thread, '[part=list] [part=list]');
      const nested = box(nestedList);
      const style = getComputedStyle(nestedList);
      const [start, end] = rtl ? ['right', 'left'] : ['left', 'right'];
      expect(style.getPropertyValue(`border-${start}-width`)).to.equal('2px');
      expect(style.getPropertyValue(`border-${end}-width`)).to.equal('0px');
      if (rtl) {
        expect(nested.right).to.be.below(outer.right - 10);
        expect(nested.left).to.be.closeTo(outer.left, 1);
      } else {
        expect(nested.left).to.be.above(outer.left + 10);
        expect(nested.right).to.be.closeTo(outer.right, 1);
      }

      // The numbered sources keep their numbers' room on the start side.
      const list = box($(sources, '[part=list]'));
      const source = box($(sources, '[part=source]'));
      if (rtl) expect(list.right - source.right).to.be.above(10);
      else expect(source.left - list.left).to.be.above(10);

      expectNoOverflow(page, [card, sources, thread]);
    });
  }
});

describe("an author's dir", () => {
  it('is kept: the element sets no direction over it, and follows a change of its language', async () => {
    const topic = await createTopic();
    const page = await fixture(html`<div>
      <source-list api=${api} topic=${topic} lang="ar" dir="ltr"></source-list>
      <source-list api=${api} topic=${topic} lang="ar"></source-list>
    </div>`);
    const [kept, own] = page.querySelectorAll('source-list') as unknown as [LitElement, LitElement];
    await Promise.all([kept.updateComplete, own.updateComplete]);
    expect(kept.getAttribute('dir')).to.equal('ltr');
    expect(getComputedStyle(kept).direction).to.equal('ltr');
    expect(own.getAttribute('dir')).to.equal('rtl');
    own.setAttribute('lang', 'de');
    await own.updateComplete;
    expect(own.hasAttribute('dir'), 'German: no dir of its own').to.be.false;
    kept.setAttribute('lang', 'de');
    await kept.updateComplete;
    expect(kept.getAttribute('dir')).to.equal('ltr');
  });
});
