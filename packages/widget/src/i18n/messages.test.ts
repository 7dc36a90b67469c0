import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { createTopic, postReply, testEnv } from '../test-env.js';
import '../define.js';
import { ar } from './ar.js';
import { de } from './de.js';
import { controlsMessages } from './controls-messages.js';
import { editMessages } from './edit-messages.js';
import { formMessages } from './form-messages.js';
import { en, I18n, i18nFor, type Messages, setMessages } from './messages.js';
import { pl } from './pl.js';
import { ru } from './ru.js';

const { api } = testEnv();

describe('i18n', () => {
  it('formats dates like the seed page in en-US, and counts in the locale', () => {
    const i18n = new I18n('en-US');
    const iso = '2026-04-21T16:20:34Z';
    // The seed page shows "4/21/2026, 4:20:34 PM": toLocaleString() in the reader's zone.
    expect(i18n.date(iso)).to.equal(new Date(iso).toLocaleString('en-US'));
    expect(i18n.date(iso)).to.match(/^4\/2[12]\/2026, \d{1,2}:\d{2}:34 [AP]M$/);
    expect(i18n.fill(i18n.t.replies, 1234)).to.equal('Replies (1,234)');
    expect(new I18n('de-DE', de).fill(de.replies, 1234)).to.equal('Antworten (1.234)');
    expect(i18n.fill(i18n.t.replyTo, 'Ada')).to.equal('Reply to Ada');
  });

  it('falls back to English for missing strings and invalid languages', () => {
    expect(new I18n('de', { sources: 'Quellen' }).t.retry).to.equal('Retry');
    expect(new I18n('not a tag!').t.sources).to.equal('Sources');
  });

  it('has every English string in German', () => {
    expect(Object.keys(de).sort()).to.deep.equal(
      Object.keys({ ...en, ...editMessages, ...formMessages, ...controlsMessages }).sort(),
    );
  });

  it('takes the language from the ancestors and fetches its catalog from the server once', async () => {
    const box = await fixture(html`<div lang="de-AT"><p><span></span></p></div>`);
    const span = box.querySelector('span')!;
    let loaded = 0;
    expect(i18nFor(span, api, () => loaded++).t.sources).to.equal('Sources'); // until it arrives
    i18nFor(span, api, () => loaded++);
    await waitUntil(() => loaded === 2, 'the German catalog did not arrive');
    expect(i18nFor(span, api, () => loaded++).t.sources).to.equal('Quellen');
    expect(loaded).to.equal(2);
  });

  it('stays English for a language the server has no catalog for, and for the document default', async () => {
    const box = await fixture(html`<div lang="eo"><span></span></div>`);
    let loaded = false;
    i18nFor(box.querySelector('span')!, api, () => (loaded = true));
    await waitUntil(() => loaded, 'the answer for Esperanto did not arrive');
    expect(i18nFor(box.querySelector('span')!, api, () => {}).t.sources).to.equal('Sources');
    const span = document.createElement('span');
    document.body.append(span);
    expect(i18nFor(span, api, () => {}).t.sources).to.equal('Sources'); // the test page's <html lang="en">
    span.remove();
  });

  it("chooses the plural form of a counted message by the locale's plural rules", () => {
    const russian = new I18n('ru', ru);
    const replies = [1, 3, 5, 21, 22, 111, 1.5].map((n) => russian.fill(ru.replies, n));
    expect(replies).to.deep.equal([
      '1 ответ',
      '3 ответа',
      '5 ответов',
      '21 ответ',
      '22 ответа',
      '111 ответов',
      '1,5 ответа',
    ]);
    const polish = new I18n('pl', pl);
    expect([1, 2, 5, 22].map((n) => polish.fill(pl.newReplies, n))).to.deep.equal([
      '1 nowa odpowiedź',
      '2 nowe odpowiedzi',
      '5 nowych odpowiedzi',
      '22 nowe odpowiedzi',
    ]);
    const arabic = new I18n('ar', ar);
    const arabicNumber = new Intl.NumberFormat('ar');
    expect([0, 1, 2].map((n) => arabic.fill(ar.replies, n))).to.deep.equal(['لا ردود', 'ردّ واحد', 'ردّان']);
    expect(arabic.fill(ar.replies, 11)).to.equal(`${arabicNumber.format(11)} ردًّا`);
    // A form the message lacks falls back to `other`; a plain string serves every count.
    expect(new I18n('ru').fill({ one: '# штука', other: '# шт.' }, 5)).to.equal('5 шт.');
    expect(new I18n('en').fill('Replies (#)', 1)).to.equal('Replies (1)');
  });

  it('types plural forms as allowed only for the messages filled with a count', () => {
    const fine: Partial<Messages> = { replies: { one: 'One comment', other: '# comments' } };
    // @ts-expect-error: "Sources" has no count to choose a form by.
    const wrong: Partial<Messages> = { sources: { other: 'Sources' } };
    // @ts-expect-error: every plural message has `other`.
    const incomplete: Partial<Messages> = { replies: { one: 'One comment' } };
    expect([fine, wrong, incomplete]).to.have.length(3);
  });

  it('makes its number and date formatters after the task that creates it, each in a task of its own', async () => {
    const made: string[] = [];
    const { NumberFormat, DateTimeFormat } = Intl;
    const counting = <T extends object>(name: string, real: T): T =>
      new Proxy(real, {
        construct(target, args) {
          // Only this test's locale: formatters of other instances are not counted.
          if (args[0] === 'fr-CA') made.push(name);
          return Reflect.construct(target as never, args);
        },
      });
    Intl.NumberFormat = counting('number', NumberFormat);
    Intl.DateTimeFormat = counting('date', DateTimeFormat);
    try {
      const i18n = new I18n('fr-CA');
      expect(made, 'while the element renders').to.deep.equal([]);
      await new Promise((resolve) => setTimeout(resolve));
      expect(made, 'the first task after').to.deep.equal(['number']);
      await waitUntil(() => made.length === 2, 'the date formatter was not made');
      expect(made).to.deep.equal(['number', 'date']);
      // Made once: the reader's numbers and dates use them.
      expect(i18n.num(1234.5)).to.equal(new NumberFormat('fr-CA').format(1234.5));
      i18n.date('2026-04-21T16:20:34Z');
      expect(made).to.have.length(2);
    } finally {
      Intl.NumberFormat = NumberFormat;
      Intl.DateTimeFormat = DateTimeFormat;
    }
  });

  it('knows the languages written right to left, by language or by script', () => {
    const rtl = (tag: string) => new I18n(tag).rtl;
    for (const tag of [
      'ar',
      'ar-EG',
      'he',
      'he-IL',
      'iw',
      'fa',
      'ur',
      'ps',
      'ckb',
      'yi',
      'dv',
      'az-Arab',
      'pa-Arab',
      'en-Arab',
      'en-Arab-GB',
    ])
      expect(rtl(tag), tag).to.be.true;
    for (const tag of [
      'en',
      'en-US',
      'en-GB',
      'en-001',
      'de',
      'zh-Hant',
      'ja',
      'ku',
      'az',
      'sd-Deva',
      'ar-Latn',
      'not a tag!',
    ])
      expect(rtl(tag), tag).to.be.false;
  });

  describe('setMessages()', () => {
    let topic = '';
    before(async () => {
      topic = await createTopic();
      await postReply(topic, 'A reply.', 'Ada');
    });
    const heading = (element: Element) =>
      element.shadowRoot?.querySelector('[part=heading]')?.textContent?.trim() ?? '';

    it("puts a site's strings over English, and the elements on the page render again", async () => {
      const thread = await fixture(html`<reply-thread api=${api} topic=${topic}></reply-thread>`);
      await waitUntil(() => heading(thread) === 'Replies (1)', 'the thread did not render');
      setMessages('en', { replies: { one: 'One comment', other: '# comments' } });
      await waitUntil(() => heading(thread) === 'One comment', 'the thread did not render again');
      // An element rendered later has them at once.
      const card = await fixture(html`<topic-card api=${api} topic=${topic}></topic-card>`);
      await waitUntil(() => card.shadowRoot?.querySelector('[part=replies]'), 'the card did not render');
      expect(card.shadowRoot?.querySelector('[part=replies]')?.textContent?.trim()).to.equal('One comment');
      setMessages('en', { replies: en.replies });
      await waitUntil(() => heading(thread) === 'Replies (1)', 'English did not come back');
    });

    it('wins over a catalog that arrives from the server later, which fills the rest', async () => {
      setMessages('fr-CA', { sources: 'Références' });
      const box = await fixture(html`<div lang="fr"><span></span></div>`);
      const span = box.querySelector('span')!;
      let loaded = false;
      i18nFor(span, api, () => (loaded = true));
      await waitUntil(() => loaded, 'the French catalog did not arrive');
      const { t } = i18nFor(span, api, () => {});
      expect(t.sources).to.equal('Références');
      expect(t.retry).to.equal('Réessayer');
    });

    it('adds a language the server has no catalog for: its strings over English, no error shown', async () => {
      setMessages('eo', { replies: { one: '# respondo', other: '# respondoj' }, reply: 'Respondi' });
      const thread = await fixture(html`<reply-thread lang="eo" api=${api} topic=${topic}></reply-thread>`);
      await waitUntil(() => heading(thread) === '1 respondo', 'the Esperanto strings were not shown');
      const root = thread.shadowRoot!;
      expect(root.querySelector('[part=form-placeholder]')?.textContent?.trim()).to.equal('Respondi');
      expect(root.querySelector('[part=reaction] .sr')?.textContent, 'English for the rest').to.equal('Like');
      expect(root.querySelector('[role=alert]')).to.equal(null);
    });
  });
});
