import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { autop } from '@wordpress/autop';
import { type BodySource, htmlTreeToMarkdown, unwrapDisqusLink } from './body.js';
import { readers } from './index.js';
import { prepareBody } from './prepare.js';
import type { ImportFormat } from './records.js';
import { parse } from '../markdown/parser.js';
import { toDoc } from '../markdown/to-doc.js';
import { simpleHtmlToBody, simpleHtmlToMarkdown } from './simple-html.js';
import { drain, fixture } from './testing.js';

type Simple = ReturnType<typeof simpleHtmlToBody>;

/** A body's Markdown both ways: by the simple reader (null: not in its subset) and the trees. */
function bothWays(source: BodySource): { simple: Simple; full: string } | null {
  switch (source.kind) {
    case 'disqus':
      return {
        simple: simpleHtmlToBody(source.text, unwrapDisqusLink),
        full: htmlTreeToMarkdown(source.text, unwrapDisqusLink),
      };
    case 'html':
      return { simple: simpleHtmlToBody(source.text), full: htmlTreeToMarkdown(source.text) };
    case 'wordpress': {
      const html = autop(source.text);
      return { simple: simpleHtmlToBody(html), full: htmlTreeToMarkdown(html) };
    }
    case 'markdown':
      return null;
  }
}

/** Bodies whose tree the simple reader built, over all it read. */
const built = { trees: 0, read: 0 };

/** Checks every body; returns how many the simple reader answered, of how many HTML bodies. */
function compare(sources: readonly BodySource[]): { simple: number; html: number } {
  let simple = 0;
  let html = 0;
  for (const source of sources) {
    const result = bothWays(source);
    if (result === null) continue;
    html++;
    if (result.simple === null) continue;
    simple++;
    const markdown = result.simple.markdown;
    assert.equal(markdown, result.full, `for ${JSON.stringify(source.text)}`);
    built.read++;
    if (result.simple.body !== null) {
      built.trees++;
      // The tree built with the Markdown is markdown-it's for it, to the order of the keys.
      assert.equal(
        JSON.stringify(result.simple.body),
        JSON.stringify(toDoc(parse(markdown))),
        `tree for ${JSON.stringify(source.text)}`,
      );
    }
    // The same source renders to the same tree; checked whole, as the import prepares it: the
    // source (the tree built by the simple reader) against its Markdown (rendered).
    assert.deepEqual(prepareBody(source), prepareBody(result.full));
  }
  return { simple, html };
}

async function bodiesOf(format: ImportFormat, file: string): Promise<BodySource[]> {
  const { comments } = await drain(readers[format](file, { baseUrl: 'https://blog.example.org' }));
  return comments.flatMap((comment) => (comment.body.source === undefined ? [] : [comment.body.source]));
}

/** mulberry32, so the corpus is the same at every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fragments made to land on each rule's edge: text with Markdown's punctuation, line starts,
 * references, white space of every kind, links of every sort, marks with edges of spaces and
 * punctuation, neighbouring marks, blocks well and badly formed.
 */
function edgeCorpus(count: number): BodySource[] {
  const random = seeded(14);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const words = ['word', 'Ünïcode', '王', 'x', 'W', 'www', '42', 'p', 's', 'a1', 'Wa'];
  const bits = [
    ...[' ', '  ', '\t', '\n', '&nbsp;', '&#160;', '\u00a0', '\u2003', '\u200b'],
    ...['.', ',', '!', '?', ';', ':', '(', ')', '"', "'", '-', '+', '=', '*', '_', '#', '[', ']'],
    ...['<', '>', '|', '~', '@', '\\', '`', '&', '&amp;', '&lt;', '&gt;', '&quot;', '&#233;', '&#x41;'],
    ...['&eacute;', '&amp', '&#0;', '&#128;', '&#x1F600;', '&ampx;', '1.', '2)', '10.', 'www.a', 'http://'],
    ...['https:/', 'a@b.c', '//', '\r', '\r\n', '3.5'],
  ];
  /** How often a piece of text is one of the bits rather than a word: low in half the corpus. */
  let odd = 0.45;
  const text = (n: number) =>
    Array.from({ length: n }, () => (random() < odd ? pick(bits) : pick(words))).join(
      random() < 0.7 ? ' ' : '',
    );
  /** Whether the part being made is mostly of what the simple reader reads: half the corpus. */
  let clean = false;
  const choose = <T>(good: readonly T[], bad: readonly T[]): T =>
    random() < (clean ? 0.97 : 0.6) ? pick(good) : pick(bad);
  const goodHrefs = [
    'https://example.org/',
    'https://disq.us/url?url=https%3A%2F%2Fexample.org%2Fa%3AeVRrBOE8tNtAXNrOz8_hQ9S3dYQ&amp;cuid=1',
  ];
  const hrefs = [
    'https://example.org/a?b=1&amp;c=2',
    'https://example.org/(x)',
    'http://example.org/path_with*stars!',
    'https://disq.us/url?url=https%3A%2F%2Fexample.org%2Fa%3AeVRrBOE8tNtAXNrOz8_hQ9S3dYQ&amp;cuid=1',
    'https://disq.us/url?url=javascript%3Aalert(1)&amp;cuid=1',
    'javascript:alert(1)',
    'mailto:a@example.org',
    '/relative',
    '',
    'https://example.org/ space',
    'https://exa mple.org/',
    'HTTPS://EXAMPLE.ORG/',
    'https://example.org/é',
  ];
  const inline = (): string => {
    const roll = random();
    if (roll < (clean ? 0.5 : 0.35)) return text(1 + Math.floor(random() * 4));
    if (roll < 0.45) return choose(['<br>'], ['<br/>', '</br>', '<BR>']);
    if (roll < 0.7) {
      const tag = choose(['b', 'i', 'em', 'strong', 'code'], ['B', 'span', 'del', 'sup']);
      const inner = random() < (clean ? 0.02 : 0.15) ? inline() : text(1 + Math.floor(random() * 3));
      return `<${tag}${choose([''], [' class="x"'])}>${inner}</${tag}>`;
    }
    if (roll < (clean ? 0.995 : 0.95)) {
      const href = choose(goodHrefs, hrefs);
      const label = choose([text(1 + Math.floor(random() * 3))], [href, '']);
      const extra = choose(
        ['', ' rel="nofollow noopener"', ' title="t"', ' target="_blank"'],
        [' id="x"', ' href="dup"'],
      );
      return `<a href="${href}"${extra}>${label}</a>`;
    }
    return pick([
      '<img src="https://example.org/i.png" alt="i">',
      '<!-- c -->',
      '<![CDATA[x]]>',
      '</b>',
      '<span>',
    ]);
  };
  const run = () => Array.from({ length: 1 + Math.floor(random() * 5) }, inline).join('');
  const block = (): string => {
    const roll = random();
    if (roll < 0.5) return choose([`<p>${run()}</p>`], [`<p>${run()}`]);
    if (roll < 0.6)
      return `<blockquote>${random() < 0.5 ? run() : `<p>${run()}</p><p>${run()}</p>`}</blockquote>`;
    if (roll < 0.75) {
      const tag = random() < 0.7 ? 'ul' : 'ol';
      const items = Array.from({ length: 1 + Math.floor(random() * 3) }, () => `<li>${run()}</li>`).join('');
      return `<${tag}>${items}</${tag}>`;
    }
    if (roll < 0.85) {
      const body = Array.from({ length: 1 + Math.floor(random() * 3) }, () => text(3)).join('\n');
      return `<pre>${random() < 0.1 ? '\n' : ''}<code>${body}${random() < 0.3 ? '\n\n' : ''}</code></pre>`;
    }
    if (roll < 0.9) return clean ? `<p>${run()}</p>` : run();
    return pick([' ', '\n', '<hr>', '<h2>t</h2>', '<div>d</div>', '<P>up</P>', '</p>']);
  };
  return Array.from({ length: count }, (_, k) => {
    clean = k % 2 === 1;
    odd = clean ? 0.04 : 0.45;
    const html = Array.from({ length: 1 + Math.floor(random() * 4) }, block).join(random() < 0.8 ? '' : '\n');
    return { kind: pick(['disqus', 'html', 'html'] as const), text: html };
  });
}

describe('simple comment HTML', () => {
  test('gives exactly the Markdown and tree of the full pipeline for every fixture', async () => {
    const sources = [
      ...(await bodiesOf('disqus', fixture('disqus.xml'))),
      ...(await bodiesOf('wordpress', fixture('wordpress.xml'))),
      ...(await bodiesOf('remark42', fixture('remark42.jsonl'))),
      ...(await bodiesOf('giscus', fixture('giscus.json'))),
    ];
    const { simple, html } = compare(sources);
    assert.ok(html > 10, `${html} HTML bodies in the fixtures`);
    assert.ok(simple > 0, 'some fixture bodies are simple');
  });

  const dir = mkdtempSync(join(tmpdir(), 'colloquy-simple-html-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('gives exactly the full pipeline’s Markdown for generated Disqus exports, and reads most of them', async () => {
    const generator = fileURLToPath(new URL('../../../../bench/generate-disqus.js', import.meta.url));
    let simple = 0;
    let html = 0;
    for (const seed of [1, 2, 3]) {
      const file = join(dir, `disqus-${seed}.xml`);
      execFileSync(
        process.execPath,
        [generator, '--comments', '1500', '--out', file, '--seed', String(seed)],
        {
          stdio: 'ignore',
        },
      );
      const counts = compare(await bodiesOf('disqus', file));
      simple += counts.simple;
      html += counts.html;
    }
    assert.equal(html, 4500, 'every generated comment has an HTML body');
    assert.ok(simple > html / 2, `${simple} of ${html} generated bodies read by the simple reader`);
  });

  test('gives exactly the full pipeline’s Markdown on fragments made to break its rules', () => {
    const { simple, html } = compare(edgeCorpus(6000));
    // Both sides of the rules are exercised: some fragments read, most refused.
    assert.ok(simple > 300 && simple < html, `${simple} of ${html} fragments read`);
  });

  test('builds the tree for most of what it reads, and not where markdown-it might differ', () => {
    // Over the tests above (the fixtures, generated exports, edge cases): trees were compared.
    assert.ok(built.trees > built.read / 2, `${built.trees} trees of ${built.read} bodies read`);
    // Text that linkify-it may read as a link, in the subset otherwise, on random fragments.
    const random = seeded(7);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const bits = ['word', 'Ünïcode', 'x', 'example.org', 'a.b', 'a.bc/d', '//x.org', 'ftp://x.org', 'x.y.z'];
    const bits2 = [
      '1.2.3.4',
      'b.co',
      'localhost',
      'e.g.',
      'x:y',
      '.',
      ',',
      '!',
      '(',
      ')',
      '"',
      "'",
      '-',
      '&amp;',
    ];
    const text = () =>
      Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(random() < 0.5 ? bits : bits2)).join(
        random() < 0.8 ? ' ' : '',
      );
    const inline = () =>
      pick([
        () => text(),
        () => ` <b>${pick(bits)}</b> `,
        () => ` <a href="https://example.org/">${pick(bits)}</a> `,
        () => '<br>',
      ])();
    const fragments: BodySource[] = Array.from({ length: 3000 }, () => ({
      kind: 'html',
      text: Array.from(
        { length: 1 + Math.floor(random() * 3) },
        () => `<p>${Array.from({ length: 1 + Math.floor(random() * 4) }, inline).join('')}</p>`,
      ).join(''),
    }));
    const before = { ...built };
    compare(fragments);
    const read = built.read - before.read;
    const trees = built.trees - before.trees;
    assert.ok(trees > 0 && trees < read, `${trees} trees of ${read} fragments read`);
    const linked = simpleHtmlToBody('<p>See example.org/x or //example.org today</p>');
    assert.equal(linked?.markdown, 'See example.org/x or //example.org today');
    assert.equal(linked?.body, null);
    assert.deepEqual(
      simpleHtmlToBody('<p>A <b>bold</b> word<br>and <a href="https://example.org/a">a link</a></p>')?.body,
      [
        {
          t: 'p',
          c: [
            { t: 'text', v: 'A ' },
            { t: 'strong', c: [{ t: 'text', v: 'bold' }] },
            { t: 'text', v: ' word' },
            { t: 'br' },
            { t: 'text', v: 'and ' },
            { t: 'link', href: 'https://example.org/a', c: [{ t: 'text', v: 'a link' }] },
          ],
        },
      ],
    );
  });

  test('refuses what it does not read rather than guessing', () => {
    for (const html of [
      '<p>unclosed',
      '<p>a</p>stray text',
      '<p>a <span>b</span></p>',
      '<p class="x">a</p>',
      '<p>*not emphasis*</p>',
      '<p>- not a list</p>',
      '<p><b> spaced</b></p>',
      '<p><b>x</b><i>y</i></p>',
      '<p>a<!-- c --></p>',
      '<ul><li>a</li></ul><ul><li>b</li></ul>',
      '<p><a href="javascript:alert(1)">x</a></p>',
      '<p><a href="https://example.org/">https://example.org/</a></p>',
      '<p>a</b></p>',
    ]) {
      assert.equal(simpleHtmlToMarkdown(html), null, html);
    }
  });

  test('reads the common shapes', () => {
    assert.equal(
      simpleHtmlToMarkdown(
        '<p>Fish &amp; chips, <b>bold</b> and <i>it</i> with <code>a()</code>.<br>Next <a href="https://example.org/x">link</a></p><blockquote>Quoted.</blockquote><ol><li>one</li><li>two</li></ol><pre><code>if (a &gt; b) {\n  go();\n}\n</code></pre>',
      ),
      'Fish & chips, **bold** and *it* with `a()`.\\\nNext [link](https://example.org/x)\n\n> Quoted.\n\n1. one\n2. two\n\n```\nif (a > b) {\n  go();\n}\n```',
    );
  });
});
