import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  docCitations,
  docLinks,
  docText,
  walkDoc,
  type Block,
  type Doc,
  type DocNode,
  type Inline,
} from './doc.js';

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
      '+p@0',
      '+a@0',
      '-a',
      '+em@1',
      '+b@0',
      '-b',
      '-em',
      '-p',
      '+ol@1',
      '+li3@0',
      '+p@0',
      '+c@0',
      '-c',
      '-p',
      '-li3',
      '+li4@1',
      '-li4',
      '-ol',
    ]);
  });

  it('presents a table as its rows, header first, and each row as its cells', () => {
    const doc: Doc = [
      {
        t: 'table',
        align: ['left', null],
        head: [[text('h1')], [{ t: 'del', c: [text('h2')] }]],
        rows: [[[text('a')], []]],
      },
    ];
    const seen: string[] = [];
    const name = (node: DocNode) =>
      node.t === 'text' ? node.v : node.t === 'tr' ? `tr${node.head ? 'h' : ''}` : node.t;
    walkDoc(doc, { enter: (node, index) => void seen.push(`${name(node)}@${index}`) });
    assert.deepEqual(seen, [
      'table@0',
      'trh@0',
      'td@0',
      'h1@0',
      'td@1',
      'del@0',
      'h2@0',
      'tr@1',
      'td@0',
      'a@0',
      'td@1',
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
      p(text('One '), { t: 'strong', c: [text('two')] }, { t: 'br' }, { t: 'code', v: 'x()' }, text(' '), {
        t: 'cite',
        n: 2,
      }),
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

  it('writes headings as paragraphs, a thematic break as ---, tables one row a line, task boxes and struck text', () => {
    const doc: Doc = [
      { t: 'h', level: 2, c: [text('Title')] },
      { t: 'hr' },
      {
        t: 'table',
        align: [null, 'right'],
        head: [[text('a')], [text('b')]],
        rows: [
          [[{ t: 'del', c: [text('c')] }], [{ t: 'code', v: 'd' }]],
          [[], [{ t: 'cite', n: 1 }]],
        ],
      },
      {
        t: 'ul',
        items: [
          [p({ t: 'task', checked: true }, text(' done'))],
          [p({ t: 'task', checked: false }, text(' open'))],
        ],
        tight: true,
      },
      { t: 'pre', v: 'x = 1\n', lang: 'python' },
    ];
    assert.equal(docText(doc), 'Title\n\n---\n\na | b\nc | d\n | [1]\n\n- [x] done\n- [ ] open\n\nx = 1');
  });

  it("writes a tight list's entries line by line, their later lines indented under the marker", () => {
    const doc: Doc = [
      {
        t: 'ol',
        start: 1,
        tight: true,
        items: [
          [p(text('one\nsoft')), { t: 'ul', tight: true, items: [[p(text('nested'))], [p(text('again'))]] }],
          [p(text('two')), { t: 'quote', c: [p(text('q'), { t: 'br' }, text('r'))] }],
        ],
      },
      { t: 'ul', tight: false, items: [[p(text('loose')), p(text('apart'))]] },
    ];
    assert.equal(
      docText(doc),
      '1. one\n  soft\n  - nested\n  - again\n2. two\n  > q\n  > r\n\n- loose\n\napart',
    );
  });

  it('is empty for an empty body', () => {
    assert.equal(docText([]), '');
  });
});

describe('docLinks and docCitations', () => {
  it('list link targets and cited source numbers in document order, at any depth', () => {
    const doc: Doc = [
      p(
        { t: 'cite', n: 3 },
        { t: 'link', href: 'https://a.example/', c: [{ t: 'strong', c: [{ t: 'cite', n: 1 }] }] },
      ),
      {
        t: 'ul',
        items: [
          [
            {
              t: 'quote',
              c: [p({ t: 'link', href: 'mailto:b@example.org', c: [text('b')] }, { t: 'cite', n: 3 })],
            },
          ],
        ],
      },
      { t: 'pre', v: '[4] https://not-a-link.example/' },
    ];
    assert.deepEqual(docLinks(doc), ['https://a.example/', 'mailto:b@example.org']);
    assert.deepEqual(docCitations(doc), [3, 1, 3]);
  });

  it('find them in headings, table cells (header and body), struck text and tight lists too', () => {
    const link = (href: string): Inline => ({ t: 'link', href, c: [text(href)] });
    const doc: Doc = [
      { t: 'h', level: 1, c: [link('https://h.example/'), { t: 'cite', n: 1 }] },
      {
        t: 'table',
        align: [null],
        head: [[link('https://head.example/')]],
        rows: [[[{ t: 'del', c: [link('https://del.example/'), { t: 'cite', n: 2 }] }]]],
      },
      { t: 'ul', tight: true, items: [[p({ t: 'task', checked: false }, link('https://task.example/'))]] },
    ];
    assert.deepEqual(docLinks(doc), [
      'https://h.example/',
      'https://head.example/',
      'https://del.example/',
      'https://task.example/',
    ]);
    assert.deepEqual(docCitations(doc), [1, 2]);
  });
});
