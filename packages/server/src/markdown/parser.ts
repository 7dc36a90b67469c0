import MarkdownIt from 'markdown-it';
import type { StateInline, Token } from 'markdown-it';

/**
 * The Markdown parser: markdown-it with CommonMark's rules, GFM tables, strikethrough and
 * autolink literals, raw HTML off (it stays text), and Colloquy's `[n]` citations. It only
 * parses; `to-doc.ts` decides what of its output reaches a tree.
 *
 * Every limit that bounds its cost lives here: nesting is capped by markdown-it's own
 * `maxNesting` and, for the markers a single line can stack up, before the parser sees the
 * line; image labels, the one construct markdown-it parses recursively with a fresh nesting
 * count, are capped too; and a `[` with no `]` after it is not scanned as a link label.
 */

/**
 * Deepest token nesting markdown-it builds; it stops descending there, and drops a block's
 * content deeper than that. Each quote costs one level, each list two (list and item), a
 * paragraph one. The trees keep fewer levels still (`to-doc.ts`); this bounds the parser's
 * recursion, at a depth no writer reaches by hand.
 */
export const MAX_NESTING = 100;

/**
 * Most container markers (`>`, `-`, `+`, `*`, `1.`, `1)`) that may open blocks on one line;
 * further ones are escaped and read as text. Well below {@link MAX_NESTING}, so a hostile line
 * of thousands of `>` keeps its text instead of reaching the parser's cut-off.
 */
export const MAX_MARKERS_PER_LINE = 32;

/** Deepest nesting of images inside image descriptions (`![![![x](a)](b)](c)`). */
const MAX_IMAGE_DEPTH = 4;

const md = new MarkdownIt('default', {
  html: false,
  linkify: true,
  typographer: false,
  maxNesting: MAX_NESTING,
});

// GFM's autolink literals: URLs with a scheme and emails, as linkify-it finds them, and `www.`
// addresses, for which linkify-it has a schema of its own here: its fuzzy links would also
// take bare domains (`example.com`), which GFM leaves as text, and cost a scan of every text.
md.linkify.add('www.', {
  validate(text, pos, self) {
    // GFM: at the start, after white space, or after `*`, `_`, `~` or `(` only. This also
    // keeps `www.www.www.…` from being tried at every `www.`.
    const before = pos > 4 ? (text[pos - 5] ?? '') : '';
    if (before && !/[\s*_~(]/.test(before)) return 0;
    const re = (wwwTail ??= new RegExp(self.re.get_url_host_port().source + self.re.get_path().source, 'iy'));
    re.lastIndex = pos;
    return re.exec(text)?.[0].length ?? 0;
  },
  normalize(match) {
    match.url = `http://${match.url}`;
  },
});
let wwwTail: RegExp | undefined;

// The URL policy is `safeHref` from @colloquy/api, applied once when the tree is built: the
// parser passes every destination on as written (escapes and entities decoded, as CommonMark
// says), neither refusing nor re-encoding it on its own terms.
md.validateLink = () => true;
md.normalizeLink = (url) => url;
md.normalizeLinkText = (text) => text;

md.inline.ruler.after('link', 'cite', citation);
guardLabels('link');
guardLabels('image');

/**
 * `[n]` for a positive n of up to six digits, not followed by `(`: a citation of the topic's
 * source n. It runs after the link rule, so `[1](url)`, and `[1]` with a `[1]: url` definition,
 * stay links as CommonMark says. Inside a link's text it is text (a link holds no link); and
 * while markdown-it only scans for the end of a link label (`silent`), it is text too, so the
 * label `[see [1]]` stays balanced.
 */
function citation(state: StateInline, silent: boolean): boolean {
  if (silent || state.linkLevel > 0 || state.src.charCodeAt(state.pos) !== 0x5b /* [ */) return false;
  const match = /^\[([1-9]\d{0,5})\]/.exec(state.src.slice(state.pos, state.pos + 9));
  if (!match || state.src.charCodeAt(state.pos + match[0].length) === 0x28 /* ( */) return false;
  const token = state.push('cite', '', 0);
  token.meta = { n: Number(match[1]) };
  state.pos += match[0].length;
  return true;
}

/**
 * Wraps the link or image rule: a `[` with no `]` anywhere after it cannot open a label, so it
 * is not scanned for one (without this, 10,000 `[` cost 10,000 scans to the end); and images
 * nest at most {@link MAX_IMAGE_DEPTH} deep, since each description is parsed by a new inline
 * state whose nesting count starts again at zero.
 */
function guardLabels(name: 'link' | 'image'): void {
  const rule = md.inline.ruler.__rules__.find((r) => r.name === name)?.fn;
  if (!rule) throw new Error(`markdown-it has no inline rule named ${name}.`);
  const lastClose = new WeakMap<StateInline, number>();
  md.inline.ruler.at(name, (state: StateInline, silent: boolean) => {
    let last = lastClose.get(state);
    if (last === undefined) lastClose.set(state, (last = state.src.lastIndexOf(']')));
    if (state.pos > last) return false;
    if (name === 'link') return rule(state, silent);
    const env = state.env as { imageDepth?: number };
    const depth = env.imageDepth ?? 0;
    if (depth >= MAX_IMAGE_DEPTH) return false;
    env.imageDepth = depth + 1;
    try {
      return rule(state, silent);
    } finally {
      env.imageDepth = depth;
    }
  });
}

/** A line's container markers: up to three spaces, then `>` or a list marker and its space. */
const MARKER = /[ \t]{0,3}(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]*/y;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/**
 * Escapes the container markers of a line beyond {@link MAX_MARKERS_PER_LINE}, so they read as
 * text. Only lines of hostile depth change; a thematic break of many spaced dashes stays one.
 */
export function capLineMarkers(source: string): string {
  // Cheap test first: a line can only reach the cap with that many marker characters.
  if (source.length < MAX_MARKERS_PER_LINE * 2) return source;
  const lines = source.split('\n');
  let changed = false;
  for (const [i, line] of lines.entries()) {
    if (line.length < MAX_MARKERS_PER_LINE || THEMATIC_BREAK.test(line)) continue;
    MARKER.lastIndex = 0;
    let count = 0;
    let end = 0;
    while (MARKER.test(line)) {
      if (++count > MAX_MARKERS_PER_LINE) {
        // Escape the marker character itself: `\>`, `\-`, or the `.`/`)` of `1.`.
        let at = end;
        while (line[at] === ' ' || line[at] === '\t') at++;
        while (/[0-9]/.test(line[at] ?? '')) at++;
        lines[i] = `${line.slice(0, at)}\\${line.slice(at)}`;
        changed = true;
        break;
      }
      end = MARKER.lastIndex;
    }
  }
  return changed ? lines.join('\n') : source;
}

/** Backslash escapes and character references decoded, as CommonMark reads a fence's info string. */
export const unescapeAll: (text: string) => string = md.utils.unescapeAll;

/**
 * What any link linkify-it finds holds: a scheme's `:`, the `//` of a scheme-relative link, an
 * email's `@`, or a dot before a domain's next label (fuzzy links and `www.` have a dot before a
 * letter or digit; other full stops are taken too). Text without any of these is not scanned.
 */
const MAYBE_LINK = /[:/@]|[.\u3002\uff0e\uff61](?=[\p{L}\p{N}\p{M}_-])/u;

/**
 * Whether markdown-it could make a link of some of this text, were it a text of an inline run
 * outside a link: linkify-it's own test (as markdown-it's linkify rule asks it), or a `://`,
 * where markdown-it's inline rule for links with a scheme looks.
 */
export const linkifies = (text: string): boolean =>
  MAYBE_LINK.test(text) && (text.includes('://') || md.linkify.test(text));

/** The token stream of `source`; raw HTML and anything else not mapped stays text later. */
export function parse(source: string): Token[] {
  return md.parse(capLineMarkers(source), {});
}
