import { safeHref } from '@colloquy/api';
import type { Block, Doc, Inline } from '@colloquy/api';

/**
 * A deliberately small Markdown subset, parsed into the wire `Doc` tree. HTML is never
 * interpreted (a `<b>` stays text) and links are kept only for http(s) and mailto, because the
 * tree is rendered on strangers' pages. Nesting is capped so hostile input cannot blow the stack.
 */
const MAX_BLOCK_DEPTH = 8;
const MAX_INLINE_DEPTH = 8;

export interface Rendered {
  body: Doc;
  text: string;
}

export function renderMarkdown(source: string): Rendered {
  const body = parseBlocks(normalize(source).split('\n'), 0);
  return { body, text: docText(body) };
}

function normalize(source: string): string {
  // NUL is replaced as CommonMark does; tabs become spaces so indentation is one concept.
  return source.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD').replace(/\t/g, '    ');
}

const FENCE = /^ {0,3}```/;
const QUOTE = /^ {0,3}> ?/;
const BULLET = /^ {0,3}[-*] +(?=\S)/;
const ORDERED = /^ {0,3}(\d{1,9})\. +(?=\S)/;
const isBlank = (line: string) => line.trim() === '';

function startsBlock(line: string, depth: number): boolean {
  if (FENCE.test(line)) return true;
  if (depth >= MAX_BLOCK_DEPTH) return false;
  return QUOTE.test(line) || BULLET.test(line) || ORDERED.test(line);
}

function parseBlocks(lines: string[], depth: number): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    if (FENCE.test(line)) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !/^ {0,3}```\s*$/.test(lines[i]!)) code.push(lines[i++]!);
      i++; // the closing fence, or past the end when it is missing
      blocks.push({ t: 'pre', v: code.join('\n') });
      continue;
    }
    if (depth < MAX_BLOCK_DEPTH && QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) inner.push(lines[i++]!.replace(QUOTE, ''));
      blocks.push({ t: 'quote', c: parseBlocks(inner, depth + 1) });
      continue;
    }
    const ordered = ORDERED.exec(line);
    if (depth < MAX_BLOCK_DEPTH && (ordered || BULLET.test(line))) {
      const marker = ordered ? ORDERED : BULLET;
      const items: Block[][] = [];
      while (i < lines.length && marker.test(lines[i]!)) {
        const first = lines[i]!;
        const content = [first.replace(marker, '')];
        i++;
        // An item continues on indented lines, also after a blank line; anything else ends it.
        while (i < lines.length) {
          const next = lines[i]!;
          if (isBlank(next)) {
            if (i + 1 < lines.length && /^ {2,}\S/.test(lines[i + 1]!)) {
              content.push('');
              i++;
              continue;
            }
            break;
          }
          if (/^ {2,}\S/.test(next)) content.push(next.replace(/^ {2,4}/, ''));
          else if (!startsBlock(next, depth) && !isBlank(content[content.length - 1]!)) content.push(next);
          else break;
          i++;
        }
        items.push(parseBlocks(content, depth + 1));
        if (i < lines.length && isBlank(lines[i]!) && i + 1 < lines.length && marker.test(lines[i + 1]!)) i++;
      }
      blocks.push(
        ordered ? { t: 'ol', start: Number(ordered[1]), items } : { t: 'ul', items },
      );
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && !isBlank(lines[i]!) && (para.length === 0 || !startsBlock(lines[i]!, depth))) {
      para.push(lines[i++]!.trim());
    }
    blocks.push({ t: 'p', c: parseInlines(para.join('\n'), 0, true) });
  }
  return blocks;
}

const PUNCTUATION = /[!-/:-@[-`{-~]/;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const BARE_URL = /^https?:\/\/[^\s<>]+/i;

function parseInlines(src: string, depth: number, allowLinks: boolean): Inline[] {
  // Both make hostile input (thousands of unclosed `[` or `*`) linear instead of quadratic.
  const brackets = allowLinks ? matchPairs(src) : new Map<number, number>();
  const noCloserFrom = new Map<string, number>();
  const closer = (from: number, ch: string, strong: boolean) => {
    const key = strong ? ch + ch : ch;
    if (from >= (noCloserFrom.get(key) ?? Infinity)) return -1;
    const end = findCloser(src, from, ch, strong);
    if (end === -1) noCloserFrom.set(key, Math.min(from, noCloserFrom.get(key) ?? Infinity));
    return end;
  };
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ t: 'text', v: text });
    text = '';
  };
  const push = (node: Inline) => {
    flush();
    out.push(node);
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    const prev = i > 0 ? src[i - 1]! : '';
    if (ch === '\\' && i + 1 < src.length && PUNCTUATION.test(src[i + 1]!)) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    if (ch === '\n') {
      push({ t: 'br' });
      i++;
      continue;
    }
    if (ch === '`') {
      let run = 1;
      while (src[i + run] === '`') run++;
      const fence = '`'.repeat(run);
      const end = src.indexOf(fence, i + run);
      if (end !== -1) {
        let code = src.slice(i + run, end).replace(/\n/g, ' ');
        if (code.length > 1 && code.startsWith(' ') && code.endsWith(' ')) code = code.slice(1, -1);
        push({ t: 'code', v: code });
        i = end + run;
      } else {
        text += fence;
        i += run;
      }
      continue;
    }
    if ((ch === '*' || ch === '_') && depth < MAX_INLINE_DEPTH) {
      const strong = src[i + 1] === ch;
      const delim = strong ? ch + ch : ch;
      // `_` inside a word (snake_case) is not emphasis.
      const opens = !(ch === '_' && WORD_CHAR.test(prev)) && /\S/.test(src[i + delim.length] ?? ' ');
      const end = opens ? closer(i + delim.length, ch, strong) : -1;
      if (end !== -1) {
        const inner = parseInlines(src.slice(i + delim.length, end), depth + 1, allowLinks);
        push(strong ? { t: 'strong', c: inner } : { t: 'em', c: inner });
        i = end + delim.length;
        continue;
      }
      text += delim;
      i += delim.length;
      continue;
    }
    if (ch === '[') {
      const cite = /^\[([1-9]\d{0,5})\](?!\()/.exec(src.slice(i, i + 9));
      if (cite) {
        push({ t: 'cite', n: Number(cite[1]) });
        i += cite[0].length;
        continue;
      }
      const link = allowLinks ? matchLink(src, i, brackets) : null;
      if (link) {
        const label = parseInlines(link.label, depth + 1, false);
        const href = safeHref(link.target);
        if (href) push({ t: 'link', href, c: label });
        else for (const node of label) node.t === 'text' ? (text += node.v) : push(node);
        i = link.end;
        continue;
      }
    }
    if (allowLinks && (ch === 'h' || ch === 'H') && !WORD_CHAR.test(prev)) {
      const url = BARE_URL.exec(src.slice(i, i + 2100));
      if (url) {
        const raw = trimUrlEnd(url[0]);
        const href = safeHref(raw);
        if (href) {
          push({ t: 'link', href, c: [{ t: 'text', v: raw }] });
          i += raw.length;
          continue;
        }
      }
    }
    text += ch;
    i++;
  }
  flush();
  return out;
}

/** The index of the delimiter closing emphasis opened before `from`, or -1. */
function findCloser(src: string, from: number, ch: string, strong: boolean): number {
  for (let j = from + 1; j < src.length; j++) {
    if (src[j] === '\\') {
      j++;
      continue;
    }
    if (src[j] === '`') {
      // Delimiters inside a code span do not count.
      let run = 1;
      while (src[j + run] === '`') run++;
      const end = src.indexOf('`'.repeat(run), j + run);
      if (end !== -1) j = end + run - 1;
      continue;
    }
    if (src[j] !== ch) continue;
    if (!strong && src[j + 1] === ch) {
      // A `**` inside `*…*` belongs to a nested strong, skip the pair.
      j++;
      continue;
    }
    if (/\s/.test(src[j - 1]!)) continue;
    if (strong) {
      if (src[j + 1] === ch) return j;
      continue;
    }
    if (ch === '_' && WORD_CHAR.test(src[j + 1] ?? '')) continue;
    return j;
  }
  return -1;
}

/**
 * For every `[` and `(` its matching `]` or `)`, found with one stack pass (backslash escapes
 * skipped), so link parsing never rescans the rest of the text.
 */
function matchPairs(src: string): Map<number, number> {
  const pairs = new Map<number, number>();
  const open: Record<string, number[]> = { '[': [], '(': [] };
  for (let j = 0; j < src.length; j++) {
    const ch = src[j]!;
    if (ch === '\\') j++;
    else if (ch === '[' || ch === '(') open[ch]!.push(j);
    else if (ch === ']' || ch === ')') {
      const start = open[ch === ']' ? '[' : '(']!.pop();
      if (start !== undefined) pairs.set(start, j);
    }
  }
  return pairs;
}

/** `[label](target)` starting at `start`, with balanced brackets and parentheses. */
function matchLink(
  src: string,
  start: number,
  pairs: Map<number, number>,
): { label: string; target: string; end: number } | null {
  const labelEnd = pairs.get(start);
  if (labelEnd === undefined || src[labelEnd + 1] !== '(') return null;
  const targetEnd = pairs.get(labelEnd + 1);
  if (targetEnd === undefined) return null;
  let target = src.slice(labelEnd + 2, targetEnd);
  if (target.includes('\n')) return null; // a link target is one line
  // An optional title, `[x](url "title")`, is dropped: the tree has no place for it.
  target = target.trim().replace(/\s+"[^"]*"$/, '');
  return { label: src.slice(start + 1, labelEnd), target, end: targetEnd + 1 };
}

/** Trailing punctuation ends a sentence rather than a bare URL; so does an unbalanced `)`. */
function trimUrlEnd(url: string): string {
  let end = url.length;
  for (;;) {
    const last = url[end - 1]!;
    if (/[.,:;!?'"*_]/.test(last)) end--;
    else if (last === ')' && count(url.slice(0, end), '(') < count(url.slice(0, end), ')')) end--;
    else break;
  }
  return url.slice(0, end);
}

const count = (s: string, ch: string) => s.split(ch).length - 1;

export function docText(doc: Doc): string {
  return doc.map(blockText).join('\n\n');
}

function blockText(block: Block): string {
  switch (block.t) {
    case 'p':
      return inlineText(block.c);
    case 'pre':
      return block.v;
    case 'ul':
      return block.items.map((item) => `- ${docText(item)}`).join('\n');
    case 'ol':
      return block.items.map((item, k) => `${block.start + k}. ${docText(item)}`).join('\n');
    case 'quote':
      return docText(block.c)
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
  }
}

function inlineText(nodes: Inline[]): string {
  return nodes
    .map((node) => {
      switch (node.t) {
        case 'text':
        case 'code':
          return node.v;
        case 'em':
        case 'strong':
        case 'link':
          return inlineText(node.c);
        case 'br':
          return '\n';
        case 'cite':
          return `[${node.n}]`;
      }
    })
    .join('');
}
