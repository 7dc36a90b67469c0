// A rollup plugin for the script-tag bundle: minifies the static text of Lit's css`` and
// html`` templates, which terser leaves alone. Every reader downloads these bytes.
//   css``:  comments dropped; whitespace collapsed, and removed around { } : ; , > and before !
//   html``: runs of whitespace collapsed to one space, which is how the browser renders them
//   (the templates hold no <pre> or <textarea> text of their own); a space between two tags
//   stays, since between inline elements it is visible.
// Interpolations ${…} are kept as they are.
const TEMPLATE = /\b(css|html) ?`((?:[^`\\$]|\\.|\$(?!\{)|\$\{(?:[^{}`]|\{[^{}`]*\})*\})*)`/g;
const INTERPOLATION = /(\$\{(?:[^{}`]|\{[^{}`]*\})*\})/;

function minifyCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};:,>]) ?/g, '$1')
    .replace(/;}/g, '}')
    .trim();
}

function minifyHtml(text) {
  return text.replace(/\s+/g, ' ');
}

export function minifyTemplates() {
  return {
    name: 'minify-templates',
    transform(code, id) {
      if (!id.includes('/packages/widget/dist/')) return null;
      let changed = false;
      const out = code.replace(TEMPLATE, (whole, tag, body) => {
        const minify = tag === 'css' ? minifyCss : minifyHtml;
        const parts = body.split(INTERPOLATION);
        const result = parts.map((part, i) => (i % 2 ? part : minify(part))).join('');
        changed ||= result !== body;
        return `${tag}\`${result}\``;
      });
      return changed ? { code: out, map: null } : null;
    },
  };
}
