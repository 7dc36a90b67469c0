// A rollup plugin for the script-tag bundle: minifies the static text of Lit's css`` and
// html`` templates, which terser leaves alone. Every reader downloads these bytes.
//   css``:  comments dropped; whitespace collapsed, and removed around { } : ; , > / and after
//   @media; quotes dropped around attribute selector values that are identifiers
//   ([part=title]); the zero of 0.5 dropped.
//   html``: runs of whitespace collapsed to one space, which is how the browser renders them;
//   a space between two tags stays, since between inline elements it is visible, but a space
//   next to the tag of a block element goes, since a line starts or ends there and CSS drops it
//   anyway, and so does a space just inside a <button>'s tags, for the same reason. Inside
//   tags, the space before `>` goes, and so does the `/` of a `/>` that follows a space or a
//   quote; quotes are dropped around static attribute values made of letters, digits and
//   hyphens (part=title). A template with a <pre>, or a <textarea> with text of its own, is
//   left as it is: whitespace is content there.
// Interpolations ${…} are kept as they are, except that templates nested in them (a
// conditional branch, a map over items, a table's rows) are minified the same way. The result
// is checked to differ from the input only where these rules allow.

function minifyCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};:,>/]) ?/g, '$1')
    .replace(/@media \(/g, '@media(')
    .replace(/;}/g, '}')
    .replace(/(=)'(-?[a-zA-Z_][\w-]*)'\]/g, '$1$2]')
    .replace(/([\s:,(])0\.(\d)/g, '$1.$2')
    .trim();
}

/** Elements that start and end lines (not <pre>, whose white space is its content). */
const BLOCK =
  'address|article|aside|blockquote|div|dl|dd|dt|fieldset|footer|form|h[1-6]|header|hr|li|main|nav|ol|p|section|table|tbody|td|tfoot|th|thead|tr|ul';
const SPACE_BEFORE_BLOCK = new RegExp(` (?=</?(?:${BLOCK})[\\s/>\\0])`, 'g');
const SPACE_AFTER_BLOCK = new RegExp(`(</?(?:${BLOCK})(?:[\\s/\\0][^<>]*)?>) `, 'g');
/** A button lays out its content in a box of its own: a space just inside its tags starts or ends a line. */
const SPACE_INSIDE = /(<button(?:[\s\0][^<>]*)?>) | (?=<\/button>)/g;
/** A tag (from `<` and a letter or `/` to its `>`, quoted values minded), or text. */
const TAG_OR_TEXT = /<[a-zA-Z/](?:[^>"']|"[^"]*"|'[^']*')*>?|<|[^<]+/g;

function minifyTag(tag) {
  return tag
    .replace(/\s+/g, ' ')
    .replace(/([ "'])\/>$/, (_, before) => (before === ' ' ? '>' : `${before}>`))
    .replace(/ >$/, '>')
    .replace(/( [\w.:?@-]+)="([\w-]+)"(?=[ >])/g, '$1=$2');
}

/**
 * Minifies a template's static parts, given joined by NUL where the interpolations go, so a
 * tag or a run of text split by an interpolation is seen whole.
 */
function minifyHtml(text) {
  return text
    .replace(TAG_OR_TEXT, (part) =>
      part.length > 1 && part[0] === '<' ? minifyTag(part) : part.replace(/\s+/g, ' '),
    )
    .replace(SPACE_BEFORE_BLOCK, '')
    .replace(SPACE_AFTER_BLOCK, '$1')
    .replace(SPACE_INSIDE, '$1');
}

/** A <pre>, or a <textarea> with text of its own: whitespace is content there. */
const KEEPS_WHITESPACE = /<pre\b|<textarea\b[^>]*>[^<]/i;

const TAG = /\b(css|html) ?$/;

/**
 * The code without what the minifier may change: whitespace, comments, quotes, a block's last
 * `;`, 0 before a dot, the `/` of `/>`.
 */
const essence = (code) =>
  code
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/([^\w.])0\.(?=\d)/g, '$1.')
    .replace(/[\s'"]+/g, '')
    .replace(/;}/g, '}')
    .replace(/\/>/g, '>');

/**
 * Scans JavaScript from `start` to the end of the code or to the `}` that closes an
 * interpolation (when `inside`), copying it to `out` with every css``/html`` template's
 * static parts minified. Strings, comments and other template literals are copied whole.
 * Returns the index after the closing `}`, or -1 when the code cannot be followed (a regular
 * expression with a quote or brace in it, say), in which case the caller keeps the original.
 */
function scan(code, start, out, inside) {
  let depth = 0;
  for (let i = start; i < code.length; ) {
    const c = code[i];
    if (c === '"' || c === "'") {
      const end = skipString(code, i);
      if (end < 0) return -1;
      out.push(code.slice(i, end));
      i = end;
    } else if (c === '/' && (code[i + 1] === '/' || code[i + 1] === '*')) {
      const end = code[i + 1] === '/' ? code.indexOf('\n', i) : code.indexOf('*/', i + 2) + 2;
      const stop = end <= 0 || end < i ? code.length : end;
      out.push(code.slice(i, stop));
      i = stop;
    } else if (c === '`') {
      const tag = TAG.exec(out.slice(-7).join(''));
      i = template(code, i, out, tag?.[1]);
      if (i < 0) return -1;
    } else if (c === '{') {
      depth++;
      out.push(c);
      i++;
    } else if (c === '}') {
      if (inside && depth === 0) return i + 1;
      depth--;
      out.push(c);
      i++;
    } else {
      out.push(c);
      i++;
    }
  }
  return inside ? -1 : code.length;
}

function skipString(code, i) {
  const quote = code[i];
  for (let j = i + 1; j < code.length; j++) {
    if (code[j] === '\\') j++;
    else if (code[j] === quote) return j + 1;
    else if (code[j] === '\n') return -1;
  }
  return -1;
}

/** Copies the template literal at `start` to `out`, minifying its static parts if `tag` is css or html. */
function template(code, start, out, tag) {
  const statics = [];
  const interpolations = [];
  let text = '';
  let i = start + 1;
  for (;;) {
    if (i >= code.length) return -1;
    const c = code[i];
    if (c === '\\') {
      text += code.slice(i, i + 2);
      i += 2;
    } else if (c === '`') {
      statics.push(text);
      i++;
      break;
    } else if (c === '$' && code[i + 1] === '{') {
      statics.push(text);
      text = '';
      const inner = [];
      i = scan(code, i + 2, inner, true);
      if (i < 0) return -1;
      interpolations.push(inner.join(''));
    } else {
      text += c;
      i++;
    }
  }
  let parts = statics;
  if (tag === 'css') parts = statics.map(minifyCss);
  else if (tag === 'html' && !statics.some((part) => part.includes('\0'))) {
    const joined = statics.join('\0');
    if (!KEEPS_WHITESPACE.test(joined)) parts = minifyHtml(joined).split('\0');
    if (parts.length !== statics.length) return -1;
  }
  out.push('`');
  parts.forEach((part, n) => {
    out.push(part);
    if (n < interpolations.length) out.push('${', interpolations[n], '}');
  });
  out.push('`');
  return i;
}

export function minifyTemplates() {
  return {
    name: 'minify-templates',
    transform(code, id) {
      if (!id.includes('/packages/widget/dist/') || !/\b(css|html) ?`/.test(code)) return null;
      const out = [];
      if (scan(code, 0, out, false) < 0) this.error(`minify-templates could not follow ${id}`);
      const result = out.join('');
      if (essence(result) !== essence(code))
        this.error(`minify-templates changed more than whitespace in ${id}`);
      return result === code ? null : { code: result, map: null };
    },
  };
}
