import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { testEnv } from '../test-env.js';
import { de } from './de.js';
import { editMessages } from './edit-messages.js';
import { en, I18n, i18nFor } from './messages.js';

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
    expect(Object.keys(de).sort()).to.deep.equal(Object.keys({ ...en, ...editMessages }).sort());
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
});
