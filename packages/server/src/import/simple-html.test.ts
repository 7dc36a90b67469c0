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
import { simpleHtmlToMarkdown } from './simple-html.js';
import { drain, fixture } from './testing.js';

/** A body's Markdown both ways: by the simple reader (null: not in its subset) and the trees. */
function bothWays(source: BodySource): { simple: string | null; full: string } | null {
  switch (source.kind) {
    case 'disqus':
      return {
        simple: simpleHtmlToMarkdown(source.text, unwrapDisqusLink),
        full: htmlTreeToMarkdown(source.text, unwrapDisqusLink),
      };
    case 'html':
      return { simple: simpleHtmlToMarkdown(source.text), full: htmlTreeToMarkdown(source.text) };
    case 'wordpress': {
      const html = autop(source.text);
      return { simple: simpleHtmlToMarkdown(html), full: htmlTreeToMarkdown(html) };
    }
    case 'markdown':
      return null;
  }
}

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
    assert.equal(result.simple, result.full, `for ${JSON.stringify(source.text)}`);
    // The same source renders to the same tree; checked whole, as the import prepares it.
    assert.deepEqual(prepareBody(result.simple), prepareBody(result.full));
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
