import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeHref } from '@colloquy/api';
import { renderMarkdown } from './markdown.js';

const md = (s: string) => renderMarkdown(s).body;

describe('renderMarkdown', () => {
  it('splits paragraphs on blank lines and turns single newlines into br', () => {
    assert.deepEqual(md('one\ntwo\n\nthree'), [
      { t: 'p', c: [{ t: 'text', v: 'one' }, { t: 'br' }, { t: 'text', v: 'two' }] },
      { t: 'p', c: [{ t: 'text', v: 'three' }] },
    ]);
  });

  it('renders emphasis, strong and code', () => {
    assert.deepEqual(md('*a* _b_ **c** `d*e*`'), [
      {
        t: 'p',
        c: [
          { t: 'em', c: [{ t: 'text', v: 'a' }] },
          { t: 'text', v: ' ' },
          { t: 'em', c: [{ t: 'text', v: 'b' }] },
          { t: 'text', v: ' ' },
          { t: 'strong', c: [{ t: 'text', v: 'c' }] },
          { t: 'text', v: ' ' },
          { t: 'code', v: 'd*e*' },
        ],
      },
    ]);
  });

  it('nests strong inside emphasis and leaves snake_case alone', () => {
    assert.deepEqual(md('*a **b** c* snake_case_name'), [
      {
        t: 'p',
        c: [
          { t: 'em', c: [{ t: 'text', v: 'a ' }, { t: 'strong', c: [{ t: 'text', v: 'b' }] }, { t: 'text', v: ' c' }] },
          { t: 'text', v: ' snake_case_name' },
        ],
      },
    ]);
  });

  it('keeps unmatched delimiters as text', () => {
    assert.deepEqual(md('2 * 3 = 6 and **open'), [{ t: 'p', c: [{ t: 'text', v: '2 * 3 = 6 and **open' }] }]);
  });

  it('renders fenced code blocks verbatim', () => {
    assert.deepEqual(md('```js\nconst a = *b*;\n<b>x</b>\n```\nafter'), [
      { t: 'pre', v: 'const a = *b*;\n<b>x</b>' },
      { t: 'p', c: [{ t: 'text', v: 'after' }] },
    ]);
  });

  it('renders links, bare URLs and citations', () => {
    assert.deepEqual(md('See [the *news*](https://example.com/a?b=1) and https://x.org/p(1). Also [2].'), [
      {
        t: 'p',
        c: [
          { t: 'text', v: 'See ' },
          { t: 'link', href: 'https://example.com/a?b=1', c: [{ t: 'text', v: 'the ' }, { t: 'em', c: [{ t: 'text', v: 'news' }] }] },
          { t: 'text', v: ' and ' },
          { t: 'link', href: 'https://x.org/p(1)', c: [{ t: 'text', v: 'https://x.org/p(1)' }] },
          { t: 'text', v: '. Also ' },
          { t: 'cite', n: 2 },
          { t: 'text', v: '.' },
        ],
      },
    ]);
  });

  it('does not treat [0] or [x] as citations', () => {
    assert.deepEqual(md('[0] [x] [-1]'), [{ t: 'p', c: [{ t: 'text', v: '[0] [x] [-1]' }] }]);
  });

  it('accepts mailto links', () => {
    assert.deepEqual(md('[mail](mailto:a@example.org)'), [
      { t: 'p', c: [{ t: 'link', href: 'mailto:a@example.org', c: [{ t: 'text', v: 'mail' }] }] },
    ]);
  });

  it('renders bullet and ordered lists', () => {
    assert.deepEqual(md('- a\n- **b**\n\n3. x\n4. y'), [
      { t: 'ul', items: [[{ t: 'p', c: [{ t: 'text', v: 'a' }] }], [{ t: 'p', c: [{ t: 'strong', c: [{ t: 'text', v: 'b' }] }] }]] },
      { t: 'ol', start: 3, items: [[{ t: 'p', c: [{ t: 'text', v: 'x' }] }], [{ t: 'p', c: [{ t: 'text', v: 'y' }] }]] },
    ]);
  });

  it('nests an indented list inside an item', () => {
    assert.deepEqual(md('* a\n  - b'), [
      { t: 'ul', items: [[{ t: 'p', c: [{ t: 'text', v: 'a' }] }, { t: 'ul', items: [[{ t: 'p', c: [{ t: 'text', v: 'b' }] }]] }]] },
    ]);
  });

  it('renders quotes that contain other blocks', () => {
    assert.deepEqual(md('> said\n> - one\n>\n> > deeper'), [
      {
        t: 'quote',
        c: [
          { t: 'p', c: [{ t: 'text', v: 'said' }] },
          { t: 'ul', items: [[{ t: 'p', c: [{ t: 'text', v: 'one' }] }]] },
          { t: 'quote', c: [{ t: 'p', c: [{ t: 'text', v: 'deeper' }] }] },
        ],
      },
    ]);
  });

  it('produces a plain-text rendering', () => {
    const { text } = renderMarkdown('Hello *world* [1]\nline\n\n- a\n- b\n\n> q');
    assert.equal(text, 'Hello world [1]\nline\n\n- a\n- b\n\n> q');
  });

  it('honours backslash escapes', () => {
    assert.deepEqual(md('\\*not em\\* \\[1\\]'), [{ t: 'p', c: [{ t: 'text', v: '*not em* [1]' }] }]);
  });
});

describe('renderMarkdown with hostile input', () => {
  const hostileLinks = [
    '[x](javascript:alert(1))',
    '[x]( JaVaScRiPt:alert(1))',
    '[x](java\tscript:alert(1))',
    '[x](java\u0000script:alert(1))',
    '[x](\u0001javascript:alert(1))',
    '[x](data:text/html;base64,PHNjcmlwdD4=)',
    '[x](vbscript:msgbox(1))',
    '[x](javascript&#58;alert(1))',
    '[x](&#106;avascript:alert(1))',
    '[x](/relative/path)',
    '[x](//evil.example/path)',
    '[x](file:///etc/passwd)',
  ];
  for (const input of hostileLinks) {
    it(`keeps the label as text for ${JSON.stringify(input)}`, () => {
      const doc = md(input);
      assert.deepEqual(doc, [{ t: 'p', c: [{ t: 'text', v: 'x' }] }]);
    });
  }

  it('never produces a link with a scheme other than http, https or mailto', () => {
    const doc = JSON.stringify(md('javascript:alert(1) JAVASCRIPT:x [a](jav&#x09;ascript:y) <a href="javascript:z">z</a>'));
    for (const href of doc.matchAll(/"href":"([^"]*)"/g)) assert.match(href[1]!, /^(https?|mailto):/);
    assert.ok(!doc.includes('"t":"link"'));
  });

  it('keeps HTML as text', () => {
    assert.deepEqual(md('<script>alert(1)</script> <b>bold</b> &lt;i&gt; &amp;'), [
      { t: 'p', c: [{ t: 'text', v: '<script>alert(1)</script> <b>bold</b> &lt;i&gt; &amp;' }] },
    ]);
  });

  it('keeps HTML inside link labels and code as text', () => {
    assert.deepEqual(md('[<img src=x onerror=alert(1)>](https://ok.example) `<script>`'), [
      {
        t: 'p',
        c: [
          { t: 'link', href: 'https://ok.example/', c: [{ t: 'text', v: '<img src=x onerror=alert(1)>' }] },
          { t: 'text', v: ' ' },
          { t: 'code', v: '<script>' },
        ],
      },
    ]);
  });

  it('does not nest a link inside a link label', () => {
    const doc = md('[a [b](https://inner.example)](https://outer.example)');
    const links = JSON.stringify(doc).match(/"t":"link"/g) ?? [];
    assert.equal(links.length, 1);
  });

  it('survives deeply nested quotes, lists and emphasis without a stack overflow', () => {
    for (const input of ['>'.repeat(5000) + ' x', '- '.repeat(3000) + 'x', '*_'.repeat(2500) + 'x' + '_*'.repeat(2500), '['.repeat(5000)]) {
      const { body, text } = renderMarkdown(input);
      assert.ok(Array.isArray(body));
      assert.ok(text.includes('x') || input.startsWith('['));
    }
  });
});

describe('safeHref', () => {
  it('normalizes allowed URLs and refuses others', () => {
    assert.equal(safeHref('  HTTPS://Example.com/a b'), 'https://example.com/ab');
    assert.equal(safeHref('http://x.org'), 'http://x.org/');
    assert.equal(safeHref('mailto:someone@example.org'), 'mailto:someone@example.org');
    assert.equal(safeHref('javascript:alert(1)'), null);
    assert.equal(safeHref('https://'), null);
    assert.equal(safeHref('ftp://x.org'), null);
  });

  it('decides on the scheme only after decoding references, percent-encoding, whitespace and controls', () => {
    const hostile = [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'java\nscript:alert(1)',
      'java\tscript:alert(1)',
      'java\u0000script:alert(1)',
      '\u0001javascript:alert(1)',
      'java\u200bscript:alert(1)',
      '&#106;avascript:alert(1)',
      '&#106avascript:alert(1)',
      '&#x6A;avascript:alert(1)',
      '&#X6a;avascript:alert(1)',
      '&#0000106;avascript:alert(1)',
      'javascript&colon;alert(1)',
      'javascript&#58;alert(1)',
      'javascript&#x3a;alert(1)',
      'jav&#x09;ascript:alert(1)',
      'jav&Tab;ascript:alert(1)',
      '&amp;#106;avascript:alert(1)',
      '%6Aavascript:alert(1)',
      'javascript%3Aalert(1)',
      '%256Aavascript:alert(1)',
      'https%3A//evil.example/',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      '//evil.example/',
      '/relative/path',
      '#fragment',
      'mailto:',
      'mailto:nobody',
      '',
    ];
    for (const target of hostile) assert.equal(safeHref(target), null, JSON.stringify(target));
  });

  it('keeps http, https and mailto whatever their spelling, decoded', () => {
    assert.equal(safeHref('HtTpS://example.org/a?b=1&amp;c=2'), 'https://example.org/a?b=1&c=2');
    assert.equal(safeHref('https&#58;//example.org/'), 'https://example.org/');
    assert.equal(safeHref('&#104;ttps://example.org/'), 'https://example.org/');
    assert.equal(safeHref('https://example.org/%20space'), 'https://example.org/%20space');
    assert.equal(safeHref('MAILTO:someone@example.org'), 'mailto:someone@example.org');
  });

  it('leaves hostile link targets as text in rendered bodies', () => {
    for (const target of ['&#106;avascript:alert(1)', 'javascript&colon;alert(1)', '%6Aavascript:alert(1)', 'java&#x0A;script:alert(1)']) {
      const doc = md(`[click](${target})`);
      assert.ok(!JSON.stringify(doc).includes('"t":"link"'), target);
      assert.deepEqual(doc, [{ t: 'p', c: [{ t: 'text', v: 'click' }] }]);
    }
  });
});
