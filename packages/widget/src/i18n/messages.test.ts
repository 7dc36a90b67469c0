import { expect, fixture, html } from '@open-wc/testing';
import { I18n, i18nFor } from './messages.js';

describe('i18n', () => {
  it('formats dates like the seed page in en-US, and counts with plurals', () => {
    const i18n = new I18n('en-US');
    const iso = '2026-04-21T16:20:34Z';
    // The seed page shows "4/21/2026, 4:20:34 PM": toLocaleString() in the reader's zone.
    expect(i18n.date(iso)).to.equal(new Date(iso).toLocaleString('en-US'));
    expect(i18n.date(iso)).to.match(/^4\/2[12]\/2026, \d{1,2}:\d{2}:34 [AP]M$/);
    expect(i18n.fill(i18n.t.replyCount, 1)).to.equal('1 reply');
    expect(i18n.fill(i18n.t.replyCount, 1234)).to.equal('1,234 replies');
    expect(new I18n('de-DE').fill(new I18n('de').t.replyCount, 1234)).to.equal('1.234 Antworten');
  });

  it('falls back to English for unknown or invalid languages', () => {
    expect(new I18n('fr').t.sources).to.equal('Sources');
    expect(new I18n('not a tag!').t.sources).to.equal('Sources');
  });

  it('takes the language from the element, its ancestors, or the document', async () => {
    const box = await fixture(html`<div lang="de-AT"><p><span></span></p></div>`);
    expect(i18nFor(box.querySelector('span')!).t.sources).to.equal('Quellen');
    const span = document.createElement('span');
    document.body.append(span);
    expect(i18nFor(span).t.sources).to.equal('Sources'); // the test page's <html lang="en">
    span.remove();
  });
});
