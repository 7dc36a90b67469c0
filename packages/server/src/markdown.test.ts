import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { docLinks, safeHref } from '@colloquy/api';
import type { Block, Doc, Inline } from '@colloquy/api';
import MarkdownIt from 'markdown-it';
import { readFileSync } from 'node:fs';
import { docText } from '@colloquy/api';
import { renderMarkdown, renderPlain } from './markdown.js';
import { capLineMarkers, MAX_MARKERS_PER_LINE, parse } from './markdown/parser.js';
import { MAX_BLOCK_DEPTH, MAX_INLINE_DEPTH, toDoc } from './markdown/to-doc.js';

const md = (s: string) => renderMarkdown(s).body;
const p = (...c: Inline[]): Block => ({ t: 'p', c });
const text = (v: string): Inline => ({ t: 'text', v });

describe('renderMarkdown', () => {
  it('splits paragraphs on blank lines; a newline is a soft break, two spaces or a backslash before it a hard one', () => {
    assert.deepEqual(md('one\ntwo\n\nthree  \nfour\\\nfive'), [
      p(text('one\ntwo')),
      p(text('three'), { t: 'br' }, text('four'), { t: 'br' }, text('five')),
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
          {
            t: 'em',
            c: [
              { t: 'text', v: 'a ' },
              { t: 'strong', c: [{ t: 'text', v: 'b' }] },
              { t: 'text', v: ' c' },
            ],
          },
          { t: 'text', v: ' snake_case_name' },
        ],
      },
    ]);
  });

  it('keeps unmatched delimiters as text', () => {
    assert.deepEqual(md('2 * 3 = 6 and **open'), [{ t: 'p', c: [{ t: 'text', v: '2 * 3 = 6 and **open' }] }]);
  });

  it('renders fenced code blocks verbatim, with the language of the info string', () => {
    assert.deepEqual(md('```js\nconst a = *b*;\n<b>x</b>\n```\nafter'), [
      { t: 'pre', v: 'const a = *b*;\n<b>x</b>\n', lang: 'js' },
      { t: 'p', c: [{ t: 'text', v: 'after' }] },
    ]);
    assert.deepEqual(md('~~~ c++ startline=3\nx\n~~~'), [{ t: 'pre', v: 'x\n', lang: 'c++' }]);
    assert.deepEqual(md('```\nplain\n```'), [{ t: 'pre', v: 'plain\n' }]);
  });

  it('keeps leading white space: four spaces make a code block', () => {
    assert.deepEqual(md('    indented *code*\n\ntext'), [
      { t: 'pre', v: 'indented *code*\n' },
      p(text('text')),
    ]);
    assert.deepEqual(md('  two spaces are a paragraph'), [p(text('two spaces are a paragraph'))]);
  });

  it('renders links, bare URLs and citations', () => {
    assert.deepEqual(md('See [the *news*](https://example.com/a?b=1) and https://x.org/p(1). Also [2].'), [
      {
        t: 'p',
        c: [
          { t: 'text', v: 'See ' },
          {
            t: 'link',
            href: 'https://example.com/a?b=1',
            c: [
              { t: 'text', v: 'the ' },
              { t: 'em', c: [{ t: 'text', v: 'news' }] },
            ],
          },
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
      {
        t: 'ul',
        items: [
          [{ t: 'p', c: [{ t: 'text', v: 'a' }] }],
          [{ t: 'p', c: [{ t: 'strong', c: [{ t: 'text', v: 'b' }] }] }],
        ],
        tight: true,
      },
      {
        t: 'ol',
        start: 3,
        items: [[{ t: 'p', c: [{ t: 'text', v: 'x' }] }], [{ t: 'p', c: [{ t: 'text', v: 'y' }] }]],
        tight: true,
      },
    ]);
  });

  it('tells tight lists from loose ones, as CommonMark does', () => {
    assert.equal((md('- a\n- b')[0] as { tight: boolean }).tight, true);
    assert.equal((md('- a\n\n- b')[0] as { tight: boolean }).tight, false);
    assert.equal((md('- a\n\n  more\n- b')[0] as { tight: boolean }).tight, false);
    // A blank line inside a nested list loosens only that list.
    const outer = md('- a\n  - b\n\n  - c\n- d')[0] as Extract<Block, { t: 'ul' }>;
    assert.equal(outer.tight, true);
    assert.equal((outer.items[0]![1] as { tight: boolean }).tight, false);
  });

  it('nests an indented list inside an item, also with two spaces', () => {
    assert.deepEqual(md('* a\n  - b'), [
      {
        t: 'ul',
        items: [
          [
            { t: 'p', c: [{ t: 'text', v: 'a' }] },
            { t: 'ul', items: [[{ t: 'p', c: [{ t: 'text', v: 'b' }] }]], tight: true },
          ],
        ],
        tight: true,
      },
    ]);
  });

  it('does not start a list in the middle of a paragraph with a number other than 1', () => {
    assert.deepEqual(md('Version\n2. was better'), [p(text('Version\n2. was better'))]);
  });

  it('renders GFM tables with their column alignment, the rows padded to the header', () => {
    assert.deepEqual(
      md('| a | *b* | c | d |\n| :- | :-: | -: | - |\n| 1 | 2 |\n| [3] | x \\| y | z | w | extra |'),
      [
        {
          t: 'table',
          align: ['left', 'center', 'right', null],
          head: [[text('a')], [{ t: 'em', c: [text('b')] }], [text('c')], [text('d')]],
          rows: [
            [[text('1')], [text('2')], [], []],
            [[{ t: 'cite', n: 3 }], [text('x | y')], [text('z')], [text('w')]],
          ],
        },
      ],
    );
  });

  it('renders strikethrough, task list items and headings as bold paragraphs', () => {
    assert.deepEqual(md('~~gone~~ **x**'), [
      p({ t: 'del', c: [text('gone')] }, text(' '), { t: 'strong', c: [text('x')] }),
    ]);
    assert.deepEqual(md('- [ ] open\n- [x] done\n- [X] also\n- [ ]\n- [y] not a task'), [
      {
        t: 'ul',
        items: [
          [p({ t: 'task', checked: false }, text(' open'))],
          [p({ t: 'task', checked: true }, text(' done'))],
          [p({ t: 'task', checked: true }, text(' also'))],
          [p({ t: 'task', checked: false })],
          [p(text('[y] not a task'))],
        ],
        tight: true,
      },
    ]);
    // Only at the start of an item's first paragraph.
    assert.deepEqual(md('[x] not in a list'), [p(text('[x] not in a list'))]);
    assert.deepEqual(md('# Title *x*\n\nSub\n---'), [
      { t: 'h', level: 1, c: [text('Title '), { t: 'em', c: [text('x')] }] },
      { t: 'h', level: 2, c: [text('Sub')] },
    ]);
  });

  it('renders thematic breaks', () => {
    assert.deepEqual(md('a\n\n***\n\n- - -'), [p(text('a')), { t: 'hr' }, { t: 'hr' }]);
  });

  it('links URLs with a scheme, www. addresses and emails, but not bare domains', () => {
    assert.deepEqual(md('https://a.example/x, www.b.example/y. c@d.example example.com'), [
      p(
        { t: 'link', href: 'https://a.example/x', c: [text('https://a.example/x')] },
        text(', '),
        { t: 'link', href: 'http://www.b.example/y', c: [text('www.b.example/y')] },
        text('. '),
        { t: 'link', href: 'mailto:c@d.example', c: [text('c@d.example')] },
        text(' example.com'),
      ),
    ]);
    assert.deepEqual(md('<https://e.example/?q=1> <f@g.example>'), [
      p({ t: 'link', href: 'https://e.example/?q=1', c: [text('https://e.example/?q=1')] }, text(' '), {
        t: 'link',
        href: 'mailto:f@g.example',
        c: [text('f@g.example')],
      }),
    ]);
  });

  it('turns images into links to the picture, or into their description', () => {
    assert.deepEqual(
      md('![a *cat*](https://img.example/cat.png) ![](https://img.example/x.png) ![local](/cat.png)'),
      [
        p(
          { t: 'link', href: 'https://img.example/cat.png', c: [text('a cat')] },
          text(' '),
          { t: 'link', href: 'https://img.example/x.png', c: [text('https://img.example/x.png')] },
          text(' local'),
        ),
      ],
    );
    // Inside a link, the picture is its description: a link holds no link.
    assert.deepEqual(md('[![badge](https://img.example/b.svg)](https://ci.example/)'), [
      p({ t: 'link', href: 'https://ci.example/', c: [text('badge')] }),
    ]);
  });

  it('keeps relative link targets as text', () => {
    assert.deepEqual(md('[a](/x) [b](page.html) [c](#top) [d]()'), [p(text('a b c d'))]);
  });

  it('cites by number, except where CommonMark makes a link', () => {
    assert.deepEqual(md('[1] [2](https://two.example) [3]\n\n[3]: https://three.example'), [
      p(
        { t: 'cite', n: 1 },
        text(' '),
        { t: 'link', href: 'https://two.example/', c: [text('2')] },
        text(' '),
        { t: 'link', href: 'https://three.example/', c: [text('3')] },
      ),
    ]);
    assert.deepEqual(md('[1][2] [see [4]](https://four.example) `[5]` [1234567]'), [
      p(
        { t: 'cite', n: 1 },
        { t: 'cite', n: 2 },
        text(' '),
        { t: 'link', href: 'https://four.example/', c: [text('see [4]')] },
        text(' '),
        { t: 'code', v: '[5]' },
        text(' [1234567]'),
      ),
    ]);
  });

  it('renders quotes that contain other blocks', () => {
    assert.deepEqual(md('> said\n> - one\n>\n> > deeper'), [
      {
        t: 'quote',
        c: [
          { t: 'p', c: [{ t: 'text', v: 'said' }] },
          { t: 'ul', items: [[{ t: 'p', c: [{ t: 'text', v: 'one' }] }]], tight: true },
          { t: 'quote', c: [{ t: 'p', c: [{ t: 'text', v: 'deeper' }] }] },
        ],
      },
    ]);
  });

  it('produces a plain-text rendering', () => {
    const { text } = renderMarkdown('Hello *world* [1]\nline\n\n- a\n- b\n\n> q');
    assert.equal(text, 'Hello world [1]\nline\n\n- a\n- b\n\n> q');
  });

  it('produces plain text of every node type', () => {
    const source =
      '# Head\n\n1. one\n   - [x] nested\n2. two\n\n| a | b |\n| - | - |\n| ~~c~~ | `d` |\n\n```\ncode\n```\n\n***\n\n> a  \n> b';
    assert.equal(
      renderMarkdown(source).text,
      'Head\n\n1. one\n  - [x] nested\n2. two\n\na | b\nc | d\n\ncode\n\n---\n\n> a\n> b',
    );
  });

  it('honours backslash escapes', () => {
    assert.deepEqual(md('\\*not em\\* \\[1\\]'), [{ t: 'p', c: [{ t: 'text', v: '*not em* [1]' }] }]);
  });
});

describe('renderMarkdown with hostile input', () => {
  const hostileLinks = [
    '[x](javascript:alert(1))',
    '[x]( JaVaScRiPt:alert(1))',
    '[x](java\u0000script:alert(1))',
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

  // CommonMark: a link destination holds no white space or control character, so these are no
  // links at all and show as written.
  for (const input of ['[x](java\tscript:alert(1))', '[x](\u0001javascript:alert(1))']) {
    it(`keeps ${JSON.stringify(input)} as text`, () => {
      assert.deepEqual(md(input), [{ t: 'p', c: [{ t: 'text', v: input }] }]);
    });
  }

  it('never produces a link with a scheme other than http, https or mailto', () => {
    const doc = JSON.stringify(
      md('javascript:alert(1) JAVASCRIPT:x [a](jav&#x09;ascript:y) <a href="javascript:z">z</a>'),
    );
    for (const href of doc.matchAll(/"href":"([^"]*)"/g)) assert.match(href[1]!, /^(https?|mailto):/);
    assert.ok(!doc.includes('"t":"link"'));
  });

  it('keeps HTML as text, and decodes character references to the characters they name', () => {
    assert.deepEqual(md('<script>alert(1)</script> <b>bold</b> &lt;i&gt; &amp; &copy;'), [
      { t: 'p', c: [{ t: 'text', v: '<script>alert(1)</script> <b>bold</b> <i> & ©' }] },
    ]);
    assert.deepEqual(md('<div>\n*block*\n</div>'), [
      p(text('<div>\n'), { t: 'em', c: [text('block')] }, text('\n</div>')),
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
    // CommonMark: the inner link wins and the outer brackets are text; GFM links the bare URL.
    assert.deepEqual(md('[a [b](https://inner.example)](https://outer.example)'), [
      p(
        text('[a '),
        { t: 'link', href: 'https://inner.example/', c: [text('b')] },
        text(']('),
        { t: 'link', href: 'https://outer.example/', c: [text('https://outer.example')] },
        text(')'),
      ),
    ]);
    assert.ok(
      !JSON.stringify(md('[x <https://a.example> y](https://b.example)')).match(/"t":"link"[^\]]*"t":"link"/),
    );
  });

  it('keeps nesting to a bounded depth, and the text of what is deeper', () => {
    const depthOf = (doc: Doc) => {
      let deepest = 0;
      const stack: Array<[Block, number]> = doc.map((b) => [b, 1]);
      while (stack.length) {
        const [block, depth] = stack.pop()!;
        deepest = Math.max(deepest, depth);
        if (block.t === 'quote') stack.push(...block.c.map((b): [Block, number] => [b, depth + 1]));
        if (block.t === 'ul' || block.t === 'ol')
          for (const item of block.items) stack.push(...item.map((b): [Block, number] => [b, depth + 1]));
      }
      return deepest;
    };
    const quotes = renderMarkdown(`${'> '.repeat(20)}deep`);
    assert.equal(depthOf(quotes.body), MAX_BLOCK_DEPTH + 1);
    assert.ok(quotes.text.endsWith('deep'));
    const lists = renderMarkdown(`${'- '.repeat(20)}deep`);
    assert.equal(depthOf(lists.body), MAX_BLOCK_DEPTH + 1);
    assert.ok(lists.text.endsWith('deep'));

    // Each level is `*a ` … ` a*` or `_a ` … ` a_`; the innermost kept one holds all the rest.
    const emphasis = md(`${'*a _a '.repeat(10)}x${' a_ a*'.repeat(10)}`);
    let inline: Inline = (emphasis[0] as { c: Inline[] }).c[0]!;
    let depth = 1;
    while (inline.t === 'em')
      [inline, depth] = [inline.c.find((n) => n.t === 'em') ?? inline.c[0]!, depth + 1];
    assert.equal(depth, MAX_INLINE_DEPTH + 1);
    const rest = 20 - MAX_INLINE_DEPTH + 1;
    assert.deepEqual(inline, text(`${'a '.repeat(rest)}x${' a'.repeat(rest)}`));
  });

  it('reads container markers beyond the per-line cap as text', () => {
    const line = `${'> '.repeat(MAX_MARKERS_PER_LINE + 3)}x`;
    const capped = capLineMarkers(line);
    assert.equal(capped, `${'> '.repeat(MAX_MARKERS_PER_LINE)}\\> > > x`);
    assert.equal(
      capLineMarkers('1. '.repeat(40)),
      `${'1. '.repeat(MAX_MARKERS_PER_LINE)}1\\. ${'1. '.repeat(7)}`,
    );
    // A thematic break of many dashes stays one, and ordinary text is left alone.
    assert.equal(capLineMarkers('- '.repeat(40)), '- '.repeat(40));
    assert.equal(capLineMarkers('plain text '.repeat(10)), 'plain text '.repeat(10));
    assert.ok(renderMarkdown(`${'>'.repeat(5000)} x`).text.endsWith('x'));
  });

  it('maps only the token types it knows; any other leaves its text', () => {
    const tokens = parse('a *b*\n\n- c');
    // What a plugin or a newer parser might emit: unknown blocks and inlines, raw HTML.
    const markdownIt = new MarkdownIt();
    const Token = new markdownIt.core.State('', markdownIt, {}).Token;
    const inline = tokens.find((t) => t.type === 'inline')!;
    const html = new Token('html_inline', '', 0);
    html.content = '<img src=x onerror=alert(1)>';
    const open = new Token('footnote_open', 'sup', 1);
    const close = new Token('footnote_close', 'sup', -1);
    inline.children!.push(html, open, Object.assign(new Token('text', '', 0), { content: 'inner' }), close);
    const block = Object.assign(new Token('html_block', '', 0), { content: '<script>x</script>' });
    tokens.splice(0, 0, block);
    assert.deepEqual(toDoc(tokens), [
      p(text('<script>x</script>')),
      p(text('a '), { t: 'em', c: [text('b')] }, text('<img src=x onerror=alert(1)>inner')),
      { t: 'ul', items: [[p(text('c'))]], tight: true },
    ]);
  });

  it('counts links wherever they are', () => {
    const source =
      '[a](https://a.example) > https://b.example\n\n> www.c.example\n\n- d@e.example\n\n| x |\n| - |\n| https://f.example |\n\n# https://g.example';
    assert.equal(docLinks(md(source)).length, 6);
  });

  it('survives deeply nested quotes, lists and emphasis without a stack overflow', () => {
    const nestedImages = `${'!['.repeat(1500)}x${'](https://a.example/)'.repeat(1500)}`;
    for (const input of [
      `${'>'.repeat(5000)} x`,
      `${'- '.repeat(3000)}x`,
      `${'*_'.repeat(2500)}x${'_*'.repeat(2500)}`,
      '['.repeat(5000),
      nestedImages,
    ]) {
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
    for (const target of [
      '&#106;avascript:alert(1)',
      'javascript&colon;alert(1)',
      '%6Aavascript:alert(1)',
      'java&#x0A;script:alert(1)',
    ]) {
      const doc = md(`[click](${target})`);
      assert.ok(!JSON.stringify(doc).includes('"t":"link"'), target);
      assert.deepEqual(doc, [{ t: 'p', c: [{ t: 'text', v: 'click' }] }]);
    }
  });
});

describe('renderPlain (the path for plain paragraphs)', () => {
  const full = (source: string) => {
    const body = toDoc(parse(source));
    return { body, text: docText(body) };
  };

  it('gives what markdown-it gives, for every text it takes, random or from the fixtures', () => {
    // Characters CommonMark, GFM and the autolink literals give meaning to, beside plain ones.
    const alphabet = [
      ...'abcXYZ019 .,;:?!\'"()-&#*_~`[]<>|\\/@=+%$\n\t',
      'www.',
      'example.org',
      'http://x.y',
      'a@b.co',
      '&amp;',
      '&#33;',
      '1. ',
      '- ',
      '> ',
      '# ',
      '    ',
      '\n\n',
      '\u00a0',
      '\u3002',
      'é',
      'e\u0301',
      'Ж',
      '李',
      '٣',
      '\u2028',
      '\u0000',
      '\r',
    ];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const fixtures = readFileSync(new URL('./import/fixtures/disqus.xml', import.meta.url), 'utf8');
    const samples = [
      'Plain words, a comma; a question? Yes! "Quoted" and it\'s (fine) - really.',
      'Two paragraphs.\n\nThe second & more.',
      ...fixtures.split(/<\/?message>/).filter((_, k) => k % 2 === 1),
    ];
    for (let k = 0; k < 20_000; k++) {
      let text = '';
      const length = 1 + Math.floor(random() * 12);
      // Half the characters from the first twenty (mostly plain ones), so that many texts are plain.
      for (let n = 0; n < length; n++)
        text += alphabet[Math.floor(random() * (random() < 0.5 ? 20 : alphabet.length))];
      samples.push(random() < 0.5 ? `Word ${text}` : text);
    }
    let taken = 0;
    for (const source of samples) {
      const plain = renderPlain(source);
      if (plain === null) continue;
      taken++;
      assert.deepEqual(plain, full(source), JSON.stringify(source));
      assert.deepEqual(renderMarkdown(source), plain);
    }
    // The comparison means something only if many texts took the path.
    assert.ok(taken > 1_000, `${taken} texts took the plain path`);
  });

  it('leaves anything with Markdown in it to markdown-it', () => {
    for (const source of [
      'Word *emphasis*',
      'See www.example.org',
      'See example.org',
      'mail a@b.co',
      'Fish &amp; chips',
      '1. one',
      'Word\nnext line',
      'Word  ',
      ' Word',
      'Word\n\n\n\nWord',
      'Cite [1]',
      'Word.\u00a0Word',
    ])
      assert.equal(renderPlain(source), null, source);
  });
});
