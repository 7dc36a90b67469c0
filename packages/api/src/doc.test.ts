import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { docCitations, docLinks, docText, walkDoc, type Block, type Doc, type DocNode } from './doc.js';

const p = (...c: Extract<Block, { t: 'p' }>['c']): Block => ({ t: 'p', c });
const text = (v: string) => ({ t: 'text', v }) as const;

describe('walkDoc', () => {
  it('enters and leaves every node in document order, with its index among its siblings', () => {
    const doc: Doc = [
      p(text('a'), { t: 'em', c: [text('b')] }),
      { t: 'ol', start: 3, items: [[p(text('c'))], []] },
    ];
    const seen: string[] = [];
    const name = (node: DocNode) => (node.t === 'text' ? node.v : node.t === 'li' ? `li${node.n}` : node.t);
    walkDoc(doc, {
      enter: (node, index) => void seen.push(`+${name(node)}@${index}`),
      leave: (node) => void seen.push(`-${name(node)}`),
    });
    assert.deepEqual(seen, [
      '+p@0', '+a@0', '-a', '+em@1', '+b@0', '-b', '-em', '-p',
      '+ol@1', '+li3@0', '+p@0', '+c@0', '-c', '-p', '-li3', '+li4@1', '-li4', '-ol',
    ]);
  });

  it('skips the children of a node whose enter returns false, and still leaves it', () => {
    const seen: string[] = [];
    walkDoc([{ t: 'quote', c: [p(text('inside'))] }, p(text('after'))], {
      enter: (node) => {
        seen.push(node.t);
        return node.t !== 'quote';
      },
      leave: (node) => void seen.push(`/${node.t}`),
    });
    assert.deepEqual(seen, ['quote', '/quote', 'p', 'text', '/text', '/p']);
  });

  it('walks a tree nested far deeper than the call stack allows recursion', () => {
    let doc: Doc = [p(text('core'), { t: 'link', href: 'https://deep.example/', c: [text('deep')] })];
    for (let k = 0; k < 100_000; k++) doc = [{ t: 'quote', c: doc }];
    assert.deepEqual(docLinks(doc), ['https://deep.example/']);
    assert.equal(docText(doc), `${'> '.repeat(100_000)}coredeep`);
  });
});

describe('docText', () => {
  it('separates blocks with a blank line and keeps line breaks, code, citations and link text', () => {
    const doc: Doc = [
      p(text('One '), { t: 'strong', c: [text('two')] }, { t: 'br' }, { t: 'code', v: 'x()' }, text(' '), { t: 'cite', n: 2 }),
      { t: 'pre', v: 'line 1\nline 2' },
      p({ t: 'link', href: 'https://example.org/', c: [text('a '), { t: 'em', c: [text('link')] }] }),
    ];
    assert.equal(docText(doc), 'One two\nx() [2]\n\nline 1\nline 2\n\na link');
  });

  it('marks list entries, numbering ordered lists from their start', () => {
    const doc: Doc = [
      { t: 'ul', items: [[p(text('a'))], [p(text('b')), p(text('b2'))], []] },
      { t: 'ol', start: 9, items: [[p(text('nine'))], [{ t: 'ul', items: [[p(text('nested'))]] }]] },
    ];
    assert.equal(docText(doc), '- a\n- b\n\nb2\n- \n\n9. nine\n10. - nested');
  });

  it('prefixes every line of a quote, blank and nested ones included', () => {
    const doc: Doc = [
      { t: 'quote', c: [p(text('a'), { t: 'br' }, text('b')), { t: 'quote', c: [{ t: 'pre', v: 'c\nd' }] }] },
      { t: 'ul', items: [[{ t: 'quote', c: [p(text('e')), p(text('f'))] }]] },
      { t: 'quote', c: [] },
    ];
    assert.equal(docText(doc), '> a\n> b\n> \n> > c\n> > d\n\n- > e\n> \n> f\n\n> ');
  });

  it('is empty for an empty body', () => {
    assert.equal(docText([]), '');
  });
});

describe('docLinks and docCitations', () => {
  it('list link targets and cited source numbers in document order, at any depth', () => {
    const doc: Doc = [
      p({ t: 'cite', n: 3 }, { t: 'link', href: 'https://a.example/', c: [{ t: 'strong', c: [{ t: 'cite', n: 1 }] }] }),
      { t: 'ul', items: [[{ t: 'quote', c: [p({ t: 'link', href: 'mailto:b@example.org', c: [text('b')] }, { t: 'cite', n: 3 })] }]] },
      { t: 'pre', v: '[4] https://not-a-link.example/' },
    ];
    assert.deepEqual(docLinks(doc), ['https://a.example/', 'mailto:b@example.org']);
    assert.deepEqual(docCitations(doc), [3, 1, 3]);
  });
});
