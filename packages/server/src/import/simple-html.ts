/**
 * The common comment HTML to Markdown without building syntax trees: paragraphs, line breaks,
 * links, emphasis, inline code, quotes, lists and code blocks holding plain text, read by
 * htmlparser2's tokenizer. The full pipeline (body.ts: parse5, the hast and mdast utilities)
 * costs about a quarter of a millisecond a comment, most of an import's time; this reads the
 * same bodies in a few microseconds.
 *
 * It answers only where its Markdown is exactly the full pipeline's (body.test.ts compares the
 * two over the fixtures, generated bodies and the edge cases of each rule below), and null for
 * anything else, which then takes the full pipeline: markup that is not well formed (an
 * implied end tag, stray text beside blocks), any other element or attribute, text holding a
 * character that Markdown would escape or that whitespace rules treat specially, whitespace or
 * punctuation at the edges of emphasis, and so on. The result is Markdown source like the full
 * pipeline's: it is validated and rendered to the document tree afterwards like any reply.
 */
import { type Block as DocBlock, type Doc, type Inline as DocInline, safeHref } from '@colloquy/api';
import { Parser } from 'htmlparser2';
import { linkifies } from '../markdown/parser.js';

/** Inline content: text, or a mark whose content is one text. */
type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'break' }
  | { kind: 'mark'; tag: 'strong' | 'emphasis' | 'code'; text: string }
  | { kind: 'link'; href: string; text: string };

type Block =
  | { kind: 'paragraph'; inline: Inline[] }
  | { kind: 'quote'; paragraphs: Inline[][] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  | { kind: 'code'; text: string };

const marks: Record<string, 'strong' | 'emphasis' | 'code'> = {
  b: 'strong',
  strong: 'strong',
  i: 'emphasis',
  em: 'emphasis',
  code: 'code',
};

/**
 * Characters of text that Markdown may escape, or that the full pipeline's whitespace and
 * character rules treat specially: ASCII punctuation of Markdown's syntax, controls, and every
 * kind of white space but the plain space (tabs and new lines are collapsed before this check).
 */
const unsafeText =
  /[\\`*_[\]<>#~|@\u0000-\u001f\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\ufffd]/;
/** `&` before a letter or `#` reads as a character reference; `www.x` and `http:/` as links. */
const unsafeSequence = /&[#A-Za-z]|[Ww]\.[-.\w]|[ps]:\//;
/** What a line may not begin with: a list item, a setext underline, an ordered list. */
const unsafeLineStart = /^(?:[-+=]|\d+[.)])/;
/** Code: anything but backticks, controls and white space other than the space. */
const unsafeCode =
  /[`\u0000-\u001f\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\ufffd]/;
/** Character references the way both parsers read them alike: terminated, from a short list. */
const reference = /&(?:(?:amp|lt|gt|quot|apos);|#[0-9]{1,6};|#[xX][0-9a-fA-F]{1,5};)/g;
/** A link target the full pipeline writes as it is: http(s), nothing Markdown would escape. */
const plainHref = /^https?:\/\/[A-Za-z0-9.-]+(?::\d+)?(?:\/[A-Za-z0-9._~!$'*+,;=:@%/?#-]*)?$/;
const letterOrDigit = /^[\p{L}\p{N}]$/u;

/** Text between tags, its HTML whitespace collapsed to single spaces (most text has none to). */
const collapse = (text: string) => (/[\t\n\f\r]| {2}/.test(text) ? text.replace(/[ \t\n\f\r]+/g, ' ') : text);

class Unsupported extends Error {}
const unsupported = (): never => {
  throw new Unsupported();
};

/** The blocks of an HTML fragment, or throws Unsupported for anything outside the subset. */
function readBlocks(html: string, rewriteHref: (href: string) => string): Block[] {
  // Only references both parsers decode the same, and no carriage return (parse5 folds it).
  if (/[\r\0]|<\/br/i.test(html) || html.replace(reference, '').includes('&')) unsupported();
  const blocks: Block[] = [];
  /** Open elements, outermost first. */
  const open: string[] = [];
  /** The inline run being read (a paragraph, a quote's paragraph, a list item); null outside. */
  let inline: Inline[] | null = null;
  let quote: Inline[][] | null = null;
  let list: Inline[][] | null = null;
  /** The open mark or link, whose content is one text. */
  let span: { tag: string; text: string; href: string } | null = null;
  let code: { text: string } | null = null;

  /** Attributes of the tag being read, to refuse one given twice (the parsers keep different ones). */
  const seen = new Set<string>();
  /** End tags read as written, to refuse any that the parser dropped (a stray end tag). */
  let ends = 0;
  /** Inline content may start here without a paragraph: a quote of bare text, as one paragraph. */
  const startInline = (parent: string | undefined) => {
    if (inline === null && parent === 'blockquote' && quote !== null && quote.length === 0) inline = [];
    return inline ?? unsupported();
  };

  const parser = new Parser(
    {
      onattribute(name) {
        if (seen.has(name)) unsupported();
        seen.add(name);
      },
      onopentag(name, attributes) {
        seen.clear();
        const parent = open.at(-1);
        const names = Object.keys(attributes);
        if (name !== 'a' && names.length > 0) unsupported();
        if (span !== null || code !== null) unsupported();
        if (parent === 'pre') {
          if (name !== 'code') unsupported();
          span = { tag: 'pre', text: '', href: '' };
        } else if (name === 'br') {
          startInline(parent).push({ kind: 'break' });
        } else if (name in marks || name === 'a') {
          startInline(parent);
          let href = '';
          if (name === 'a') {
            if (names.some((key) => key !== 'href' && key !== 'rel' && key !== 'title' && key !== 'target'))
              unsupported();
            href = rewriteHref(attributes.href ?? '');
            if (!plainHref.test(href)) unsupported();
          }
          span = { tag: name, text: '', href };
        } else if (name === 'p') {
          if (parent === undefined) inline = [];
          else if (parent === 'blockquote' && inline === null) inline = [];
          else unsupported();
        } else if (name === 'blockquote' || name === 'ul' || name === 'ol') {
          if (parent !== undefined) unsupported();
          if (name === 'blockquote') quote = [];
          else list = [];
        } else if (name === 'li') {
          if (parent !== 'ul' && parent !== 'ol') unsupported();
          inline = [];
        } else if (name === 'pre') {
          if (parent !== undefined) unsupported();
        } else unsupported();
        open.push(name);
      },
      ontext(text) {
        const parent = open.at(-1);
        if (span !== null) span.text += text;
        else if (parent === 'pre') unsupported();
        else if (inline !== null) inline.push({ kind: 'text', text });
        else if (text.trim() === '') return;
        else startInline(parent).push({ kind: 'text', text });
      },
      onclosetag(name, implied) {
        if (open.pop() !== name || (implied && name !== 'br')) unsupported();
        if (name === 'br') return;
        ends++;
        if (span !== null) {
          if (span.tag === 'pre') code = { text: span.text };
          else
            inline?.push(
              span.tag === 'a'
                ? { kind: 'link', href: span.href, text: span.text }
                : { kind: 'mark', tag: marks[span.tag] ?? unsupported(), text: span.text },
            );
          span = null;
        } else if (name === 'p' || name === 'li') {
          if (inline === null) return unsupported();
          if (name === 'li') list?.push(inline);
          else if (quote !== null) quote.push(inline);
          else blocks.push({ kind: 'paragraph', inline });
          inline = null;
        } else if (name === 'blockquote') {
          if (inline !== null && quote !== null) {
            quote.push(inline);
            inline = null;
          }
          if (quote === null || quote.length === 0) return unsupported();
          blocks.push({ kind: 'quote', paragraphs: quote });
          quote = null;
        } else if (name === 'ul' || name === 'ol') {
          if (list === null || list.length === 0) return unsupported();
          blocks.push({ kind: 'list', ordered: name === 'ol', items: list });
          list = null;
        } else if (name === 'pre') {
          if (code === null) return unsupported();
          blocks.push({ kind: 'code', text: code.text });
          code = null;
        }
      },
      oncomment: unsupported,
      oncdatastart: unsupported,
      onprocessinginstruction: unsupported,
    },
    { decodeEntities: true, recognizeSelfClosing: false },
  );
  parser.write(html);
  parser.end();
  if (open.length > 0 || inline !== null || ends !== html.split('</').length - 1) unsupported();
  return blocks;
}

/** A run of inline content: its Markdown lines, and its nodes in the document tree. */
interface RunOut {
  lines: string[];
  nodes: DocInline[];
}

/**
 * A run of inline content as Markdown lines (split at its line breaks) and as the tree's
 * inline nodes, or Unsupported: the whitespace collapsed across the run and trimmed at its
 * ends, each rule of the subset checked. The line being written is kept as parts joined once
 * and its last two characters apart, since asking a string built by `+=` for its end flattens
 * it each time. `tree.exact` is cleared where the nodes might not be markdown-it's (a text
 * that linkify-it would read as a link, a target the URL policy refuses).
 */
function inlineMarkdown(run: readonly Inline[], tree: { exact: boolean }): RunOut {
  const lines: string[] = [];
  const nodes: DocInline[] = [];
  let parts: string[] = [];
  /** The last two characters of the line so far ('' at its start). */
  let tail = '';
  /** The open text node, to which neighbouring texts are added, as markdown-it merges them. */
  let open: { t: 'text'; v: string } | null = null;
  /** The previous inline item, for the rules between neighbours. */
  let previous: Inline | null = null;
  const add = (markdown: string) => {
    parts.push(markdown);
    tail = markdown.length >= 2 ? markdown.slice(-2) : tail.slice(-1) + markdown;
  };
  const closeText = () => {
    if (open !== null && linkifies(open.v)) tree.exact = false;
    open = null;
  };
  for (const item of run) {
    if (item.kind === 'break') {
      if (tail === '' || tail.endsWith(' ') || previous?.kind === 'break') unsupported();
      lines.push(parts.join(''));
      parts = [];
      tail = '';
      closeText();
      nodes.push({ t: 'br' });
    } else if (item.kind === 'text') {
      let text = collapse(item.text);
      if ((tail === '' || tail.endsWith(' ')) && text.startsWith(' ')) text = text.slice(1);
      if (previous?.kind === 'break' && text.startsWith(' ')) unsupported();
      if (unsafeText.test(text) || unsafeSequence.test(tail + text)) unsupported();
      if (previous?.kind === 'link' && text.startsWith('(')) unsupported();
      if (text === '') {
        previous = item;
        continue;
      }
      add(text);
      if (open === null) {
        open = { t: 'text', v: text };
        nodes.push(open);
      } else open.v += text;
    } else {
      const text = collapse(item.text);
      const first = text[0] ?? '';
      const last = text.at(-1) ?? '';
      if (previous !== null && previous.kind !== 'text' && previous.kind !== 'break') unsupported();
      closeText();
      if (item.kind === 'mark' && item.tag === 'code') {
        if (unsafeCode.test(text) || first === ' ' || last === ' ' || text === '') unsupported();
        add(`\`${text}\``);
        nodes.push({ t: 'code', v: text });
      } else {
        if (!letterOrDigit.test(first) || !letterOrDigit.test(last)) unsupported();
        if (unsafeText.test(text) || unsafeSequence.test(text)) unsupported();
        if (item.kind === 'link') {
          if (tail.endsWith('!') || text === item.href) unsupported();
          add(`[${text}](${item.href})`);
          const href = safeHref(item.href);
          if (href === null) tree.exact = false;
          nodes.push({ t: 'link', href: href ?? '', c: [{ t: 'text', v: text }] });
        } else {
          add(item.tag === 'strong' ? `**${text}**` : `*${text}*`);
          nodes.push({ t: item.tag === 'strong' ? 'strong' : 'em', c: [{ t: 'text', v: text }] });
        }
      }
    }
    previous = item;
  }
  if (previous?.kind === 'break') unsupported();
  let line = parts.join('');
  if (line.endsWith(' ')) {
    line = line.slice(0, -1);
    // The space can only be the end of a text (a mark's content ends in a letter or digit).
    const text = nodes.at(-1);
    if (text?.t === 'text') {
      text.v = text.v.slice(0, -1);
      if (text.v === '') nodes.pop();
    }
  }
  closeText();
  lines.push(line);
  for (const text of lines) if (text === '' || unsafeLineStart.test(text)) unsupported();
  return { lines, nodes };
}

function blockMarkdown(block: Block, tree: { exact: boolean }): { markdown: string; node: DocBlock } {
  switch (block.kind) {
    case 'paragraph': {
      const { lines, nodes } = inlineMarkdown(block.inline, tree);
      return { markdown: lines.join('\\\n'), node: { t: 'p', c: nodes } };
    }
    case 'quote': {
      const runs = block.paragraphs.map((run) => inlineMarkdown(run, tree));
      return {
        markdown: runs.map(({ lines }) => `> ${lines.join('\\\n> ')}`).join('\n>\n'),
        node: { t: 'quote', c: runs.map(({ nodes }) => ({ t: 'p', c: nodes })) },
      };
    }
    case 'list': {
      const runs = block.items.map((run) => inlineMarkdown(run, tree));
      const markdown = runs
        .map(({ lines }, k) => {
          if (lines.length > 1) unsupported();
          return `${block.ordered ? `${k + 1}.` : '-'} ${lines[0] ?? ''}`;
        })
        .join('\n');
      const items = runs.map(({ nodes }): DocBlock[] => [{ t: 'p', c: nodes }]);
      return {
        markdown,
        node: block.ordered ? { t: 'ol', start: 1, items, tight: true } : { t: 'ul', items, tight: true },
      };
    }
    case 'code': {
      const text = block.text.replace(/\n+$/, '');
      if (text === '' || text.startsWith('\n') || /[`\u0000-\u0009\u000b-\u001f\u007f]/.test(text))
        unsupported();
      return { markdown: `\`\`\`\n${text}\n\`\`\``, node: { t: 'pre', v: `${text}\n` } };
    }
  }
}

/**
 * A fragment of simple comment HTML as Markdown, exactly as the full pipeline writes it, and,
 * where it is sure to be the same, the document tree that rendering that Markdown gives
 * (`renderMarkdown`: markdown-it, then the tree with the URL policy), built from the same
 * reading without parsing the Markdown again; null when the fragment is outside the subset
 * this reads. `body` is null where the tree cannot be told without markdown-it. The tree is
 * compared with markdown-it's on the fixtures, generated bodies and edge cases
 * (simple-html.test.ts). `rewriteHref` is applied to each link's target first, as the full
 * pipeline does (Disqus's redirects).
 */
export function simpleHtmlToBody(
  html: string,
  rewriteHref: (href: string) => string = (href) => href,
): { markdown: string; body: Doc | null } | null {
  try {
    const blocks = readBlocks(html, rewriteHref);
    if (blocks.length === 0) return null;
    // Two lists in a row are told apart by another bullet in the full pipeline: not this one's.
    if (blocks.some((block, k) => block.kind === 'list' && blocks[k - 1]?.kind === 'list')) return null;
    const tree = { exact: true };
    const out = blocks.map((block) => blockMarkdown(block, tree));
    return {
      markdown: out.map(({ markdown }) => markdown).join('\n\n'),
      body: tree.exact ? out.map(({ node }) => node) : null,
    };
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
}

/**
 * The Markdown of a fragment of simple comment HTML, exactly as the full pipeline writes it;
 * null when the fragment is outside the subset this reads.
 */
export function simpleHtmlToMarkdown(
  html: string,
  rewriteHref: (href: string) => string = (href) => href,
): string | null {
  return simpleHtmlToBody(html, rewriteHref)?.markdown ?? null;
}
