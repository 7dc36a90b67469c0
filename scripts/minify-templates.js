// A rollup plugin for the script-tag bundle: minifies the static text of Lit's css`` and
// html`` templates, which terser leaves alone. Every reader downloads these bytes.
//   css``:  comments dropped; whitespace collapsed, and removed around { } : ; , > / and before !;
//   quotes dropped around an attribute selector's value that is a plain word ([part=title]),
//   and the zero before a decimal point (.5em)
//   html``: runs of whitespace collapsed to one space, which is how the browser renders them
//   (the templates hold no <pre> or <textarea> text of their own); a space between two tags
//   stays, since between inline elements it is visible; a space next to the tag of a block
//   element goes, since a line starts or ends there and CSS drops it anyway. Inside tags, the
//   `/` of `/>` and the space before `>` go, and quotes around a value of letters, digits and
//   dashes.
// Interpolations ${…} are kept as they are, except that templates nested in them (a list's
// items, a table's rows) are minified too.
const TAG = /\b(css|html) ?`/g;

function minifyCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};:,>/]) ?/g, '$1')
    .replace(/;}/g, '}')
    .replace(/(\[[\w-]+[~|^$*]?=)'([a-zA-Z][\w-]*)'\]/g, '$1$2]')
    .replace(/([\s:(,])0\.(\d)/g, '$1.$2')
    .trim();
}

/** Elements that start and end lines (not <pre>, whose white space is its content). */
const BLOCK = 'address|article|aside|blockquote|div|dl|dd|dt|fieldset|footer|form|h[1-6]|header|hr|li|main|nav|ol|p|section|table|tbody|td|tfoot|th|thead|tr|ul';
const SPACE_BEFORE_BLOCK = new RegExp(` (?=</?(?:${BLOCK})[\\s/>])`, 'g');
const SPACE_AFTER_BLOCK = new RegExp(`(</?(?:${BLOCK})(?:[\\s/][^<>]*)?>) `, 'g');

function minifyHtml(text) {
  return text
    .replace(/\s+/g, ' ')
    .replace(SPACE_BEFORE_BLOCK, '')
    .replace(SPACE_AFTER_BLOCK, '$1')
    .replace(/ ?\/?>/g, (end) => (end.includes('/') || end === ' >' ? '>' : end))
    .replace(/( [\w.:-]+)="([\w-]+)"(?=[ >])/g, '$1=$2');
}

/** The index just past the string literal opened by the quote at `start`. */
function skipString(code, start) {
  const quote = code[start];
  let i = start + 1;
  while (i < code.length && code[i] !== quote) i += code[i] === '\\' ? 2 : 1;
  return i + 1;
}

/**
 * Reads the template literal whose opening backtick is at `start`: its static parts and the
 * source of its interpolations, and the index just past its closing backtick.
 */
function readTemplate(code, start) {
  const statics = [];
  const expressions = [];
  let text = '';
  let i = start + 1;
  while (i < code.length && code[i] !== '`') {
    if (code[i] === '\\') {
      text += code.slice(i, i + 2);
      i += 2;
    } else if (code[i] === '$' && code[i + 1] === '{') {
      statics.push(text);
      text = '';
      const from = i + 2;
      let depth = 0;
      i = from;
      while (i < code.length && !(code[i] === '}' && depth === 0)) {
        const c = code[i];
        if (c === '"' || c === "'") i = skipString(code, i);
        else if (c === '`') i = readTemplate(code, i).end;
        else {
          if (c === '{') depth++;
          else if (c === '}') depth--;
          i++;
        }
      }
      expressions.push(code.slice(from, i));
      i++;
    } else text += code[i++];
  }
  statics.push(text);
  return { statics, expressions, end: i + 1 };
}

/** `code` with the static text of every css`` and html`` template in it minified. */
function minifyIn(code) {
  let out = '';
  let last = 0;
  TAG.lastIndex = 0;
  for (let match; (match = TAG.exec(code)); ) {
    const tick = match.index + match[0].length - 1;
    const { statics, expressions, end } = readTemplate(code, tick);
    const minify = match[1] === 'css' ? minifyCss : minifyHtml;
    let body = minify(statics[0]);
    expressions.forEach((expression, k) => {
      body += '${' + minifyIn(expression) + '}' + minify(statics[k + 1]);
    });
    out += code.slice(last, match.index) + `${match[1]}\`${body}\``;
    last = end;
    TAG.lastIndex = end;
  }
  return out + code.slice(last);
}

export function minifyTemplates() {
  return {
    name: 'minify-templates',
    transform(code, id) {
      if (!id.includes('/packages/widget/dist/')) return null;
      const out = minifyIn(code);
      return out !== code ? { code: out, map: null } : null;
    },
  };
}
