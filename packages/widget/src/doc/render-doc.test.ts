import { expect, fixture, html } from '@open-wc/testing';
import { render } from 'lit';
import type { Doc } from '@colloquy/api';
import { renderDoc } from './render-doc.js';

async function rendered(doc: Doc) {
  const box = await fixture<HTMLDivElement>(html`<div></div>`);
  render(renderDoc(doc), box);
  return box;
}

describe('renderDoc', () => {
  it('renders every node type with elements made by templates', async () => {
    const box = await rendered([
      { t: 'p', c: [{ t: 'text', v: 'a ' }, { t: 'em', c: [{ t: 'text', v: 'b' }] }, { t: 'strong', c: [{ t: 'text', v: 'c' }] }, { t: 'code', v: 'd' }, { t: 'br' }, { t: 'cite', n: 2 }] },
      { t: 'pre', v: 'x < y' },
      { t: 'ul', items: [[{ t: 'p', c: [{ t: 'text', v: 'one' }] }]] },
      { t: 'ol', start: 3, items: [[{ t: 'p', c: [{ t: 'text', v: 'three' }] }]] },
      { t: 'quote', c: [{ t: 'p', c: [{ t: 'text', v: 'quoted' }] }] },
    ]);
    expect(box.querySelector('p em')!.textContent).to.equal('b');
    expect(box.querySelector('p strong')!.textContent).to.equal('c');
    expect(box.querySelector('p code')!.textContent).to.equal('d');
    expect(box.querySelector('p br')).to.exist;
    expect(box.querySelector('a')!.getAttribute('href')).to.equal('#colloquy-source-2');
    expect(box.querySelector('pre code')!.textContent).to.equal('x < y');
    expect(box.querySelector('ul li')!.textContent).to.equal('one');
    expect(box.querySelector('ol')!.getAttribute('start')).to.equal('3');
    expect(box.querySelector('blockquote p')!.textContent).to.equal('quoted');
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
    expect(links.every((a) => a.rel === 'nofollow ugc noopener noreferrer' && a.target === '_blank')).to.be.true;
  });

  it('keeps markup-looking text as text', async () => {
    const box = await rendered([{ t: 'p', c: [{ t: 'text', v: '<img src=x onerror=alert(1)>' }] }]);
    expect(box.querySelector('img')).to.equal(null);
    expect(box.textContent).to.equal('<img src=x onerror=alert(1)>');
  });
});
