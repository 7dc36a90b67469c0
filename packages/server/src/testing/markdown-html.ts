// HTML of a document tree, as the elements render it, and the CommonMark spec harness's HTML
// normalization, for comparing the tree with the spec's examples.
import type { Block, Doc, Inline } from '@colloquy/api';

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function inline(node: Inline): string {
  switch (node.t) {
    case 'text':
      return escapeHtml(node.v);
    case 'em':
      return `<em>${node.c.map(inline).join('')}</em>`;
    case 'strong':
      return `<strong>${node.c.map(inline).join('')}</strong>`;
    case 'del':
      return `<del>${node.c.map(inline).join('')}</del>`;
    case 'code':
      return `<code>${escapeHtml(node.v)}</code>`;
    case 'link':
      return `<a href="${escapeHtml(node.href)}">${node.c.map(inline).join('')}</a>`;
    case 'br':
      return '<br />\n';
    case 'cite':
      return `<a class="cite" href="#colloquy-source-${node.n}">[${node.n}]</a>`;
    case 'task':
      return `<input ${node.checked ? 'checked="" ' : ''}disabled="" type="checkbox" />`;
  }
}

function block(node: Block, tight = false): string {
  switch (node.t) {
    case 'p':
      return tight ? node.c.map(inline).join('') : `<p>${node.c.map(inline).join('')}</p>\n`;
    case 'h':
      // As the elements show it: a bold paragraph, also in a tight list.
      return `<p><strong>${node.c.map(inline).join('')}</strong></p>\n`;
    case 'pre':
      return `<pre><code${node.lang ? ` class="language-${escapeHtml(node.lang)}"` : ''}>${escapeHtml(node.v)}</code></pre>\n`;
    case 'ul':
    case 'ol': {
      const items = node.items
        .map((item) => `<li>${item.map((b) => block(b, node.tight === true)).join('')}</li>\n`)
        .join('');
      return node.t === 'ul'
        ? `<ul>\n${items}</ul>\n`
        : `<ol${node.start === 1 ? '' : ` start="${node.start}"`}>\n${items}</ol>\n`;
    }
    case 'hr':
      return '<hr />\n';
    case 'quote':
      return `<blockquote>\n${doc(node.c)}</blockquote>\n`;
    case 'table': {
      const cells = (row: Inline[][], tag: string) =>
        `<tr>\n${row.map((c, k) => `<${tag}${node.align[k] ? ` align="${node.align[k]}"` : ''}>${c.map(inline).join('')}</${tag}>\n`).join('')}</tr>\n`;
      const body = node.rows.length
        ? `<tbody>\n${node.rows.map((r) => cells(r, 'td')).join('')}</tbody>\n`
        : '';
      return `<table>\n<thead>\n${cells(node.head, 'th')}</thead>\n${body}</table>\n`;
    }
  }
}

/** HTML of a tree, with the elements' markup (a tight list's paragraphs without `<p>`). */
export const doc = (tree: Doc): string => tree.map((b) => block(b)).join('');

const BLOCK_TAGS = new Set(
  (
    'article header aside hgroup blockquote hr iframe body li map button object canvas ol caption ' +
    'output col p colgroup pre dd progress section dl table td dt tbody embed textarea fieldset tfoot ' +
    'figcaption th figure thead footer tr form ul h1 h2 h3 h4 h5 h6 video script style'
  ).split(' '),
);

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

const charOut = (c: string | null, fallback: string) =>
  c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : (c ?? fallback);

function decodeAttribute(value: string): string {
  return value.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[a-zA-Z][a-zA-Z0-9]*);?/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    }
    return NAMED[ref] ?? whole;
  });
}

const escapeAttribute = (v: string) =>
  v
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#x27;');

/**
 * The normalization of the CommonMark spec's test harness (`test/normalize.py`, a Python
 * HTMLParser), so that two renderings count as equal when the spec's own tests would count
 * them so: whitespace collapsed outside `<pre>` and dropped around block tags, attributes
 * sorted, character references decoded (only `<`, `>`, `&`, `"` re-escaped), no space after
 * `<br>`.
 */
export function normalizeHtml(html: string): string {
  let output = '';
  let last = 'starttag';
  let lastTag = '';
  let inPre = false;

  const data = (text: string) => {
    const afterTag = last === 'endtag' || last === 'starttag';
    const afterBlockTag = afterTag && BLOCK_TAGS.has(lastTag);
    if (afterTag && lastTag === 'br') text = text.replace(/^\n+/, '');
    if (!inPre) text = text.replace(/\s+/g, ' ');
    if (afterBlockTag && !inPre) {
      if (last === 'starttag') text = text.replace(/^\s+/, '');
      else if (last === 'endtag') text = text.trim();
    }
    output += text;
    last = 'data';
  };
  const startTag = (tag: string, attrs: Array<[string, string | null]>) => {
    if (tag === 'pre') inPre = true;
    if (BLOCK_TAGS.has(tag)) output = output.trimEnd();
    output += `<${tag}`;
    attrs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : (a[1] ?? '') < (b[1] ?? '') ? -1 : 1));
    for (const [name, value] of attrs)
      output += value === null ? ` ${name}` : ` ${name}="${escapeAttribute(value)}"`;
    output += '>';
    lastTag = tag;
    last = 'starttag';
  };
  const endTag = (tag: string) => {
    if (tag === 'pre') inPre = false;
    else if (BLOCK_TAGS.has(tag)) output = output.trimEnd();
    output += `</${tag}>`;
    lastTag = tag;
    last = 'endtag';
  };

  for (const chunk of html.match(/<!\[CDATA\[[\s\S]*?\]\]>|<[^>]*>|[^<]+/g) ?? []) {
    if (chunk.startsWith('<![CDATA')) output += chunk;
    else if (/^<\/[a-zA-Z]/.test(chunk)) endTag(/^<\/([a-zA-Z][^\s>/]*)/.exec(chunk)![1]!.toLowerCase());
    else if (chunk.startsWith('<!--')) {
      output += chunk;
      last = 'comment';
    } else if (/^<[!?]/.test(chunk)) {
      output += chunk;
      last = 'decl';
    } else if (/^<[a-zA-Z]/.test(chunk)) {
      const tag = /^<([a-zA-Z][^\s>/]*)/.exec(chunk)![1]!.toLowerCase();
      const attrs: Array<[string, string | null]> = [];
      const body = chunk.slice(tag.length + 1).replace(/\/?>$/, '');
      for (const m of body.matchAll(/([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
        const value = m[2] ?? m[3] ?? m[4];
        attrs.push([m[1]!.toLowerCase(), value === undefined ? null : decodeAttribute(value)]);
      }
      startTag(tag, attrs);
      if (chunk.endsWith('/>')) last = 'endtag';
    } else {
      // Text, with its character references handled one by one as the harness does.
      let rest = chunk;
      for (;;) {
        const m = /&(?:#([xX][0-9a-fA-F]+|\d+)|([a-zA-Z][-.a-zA-Z0-9]*));?/.exec(rest);
        if (!m) break;
        if (m.index > 0) data(rest.slice(0, m.index));
        if (m[1] !== undefined) {
          const code = m[1][0] === 'x' || m[1][0] === 'X' ? parseInt(m[1].slice(1), 16) : parseInt(m[1], 10);
          output += charOut(code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null, m[0]);
        } else output += charOut(NAMED[m[2]!] ?? null, m[0]);
        last = 'ref';
        rest = rest.slice(m.index + m[0].length);
      }
      if (rest) data(rest);
    }
  }
  return output;
}
