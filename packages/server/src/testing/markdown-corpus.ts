// Inputs for the Markdown renderer's cost: a realistic reply and pathological bodies, each at
// the 10,000-character body limit. The server tests render each under a generous ceiling;
// `bench/markdown.js` times them.

/** The longest reply body the API accepts. */
export const BODY_LIMIT = 10_000;

/** `unit` repeated to exactly `length` characters. */
const fill = (unit: string, length = BODY_LIMIT) =>
  unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
/** `head`, then `unit` repeated up to the body limit. */
const then = (head: string, unit: string) => head + fill(unit, BODY_LIMIT - head.length);
/** Lines made by `line(k)` for k = 0, 1, 2, … up to the body limit. */
const lines = (line: (k: number) => string) => {
  let out = '';
  for (let k = 0; out.length < BODY_LIMIT; k++) out += `${line(k)}\n`;
  return out.slice(0, BODY_LIMIT);
};

function mixedBackticks(): string {
  let out = '';
  for (let k = 1; out.length < BODY_LIMIT; k = (k % 40) + 1) out += `${'`'.repeat(k)}a`;
  return out.slice(0, BODY_LIMIT);
}

/**
 * Known ways to make Markdown parsers slow or deep, and a few more: long runs of openers that
 * never close, nesting as deep as the limit allows, and the shapes each construct scans for.
 */
export const PATHOLOGICAL: Record<string, string> = {
  'brackets `[`': fill('['),
  'brackets `[a`': fill('[a'),
  'link openers `[a](`': fill('[a]('),
  'unclosed links `[a](b `': fill('[a](b '),
  'nested brackets `[[…]]`': fill('[', BODY_LIMIT / 2) + fill(']', BODY_LIMIT / 2),
  'links in link labels': fill('[[a](https://a.example)', BODY_LIMIT / 2) + fill(']', BODY_LIMIT / 2),
  'images `![`': fill('!['),
  'image openers `![a](`': fill('![a]('),
  'nested images': (() => {
    const depth = Math.floor(BODY_LIMIT / 17);
    return `${fill('![', 2 * depth)}a${fill('](https://a.b/)', BODY_LIMIT - 2 * depth - 1)}`;
  })(),
  'reference uses `[a][`': then('[a]: https://a.example\n', '[a]['),
  'reference definitions': fill('[a]: <b> "c"\n'),
  '`*a`': fill('*a'),
  '`_`': fill('_'),
  '`*`': fill('*'),
  '`*_` then `_*`': fill('*_', BODY_LIMIT / 2) + fill('_*', BODY_LIMIT / 2),
  'emphasis openers of every kind': fill('*a _a **a __a ***a '),
  'emphasis openers then a backtick run': fill('*a _a **a __a ', BODY_LIMIT / 2) + fill('`', BODY_LIMIT / 2),
  'unicode punctuation `*“a`': fill('*“a'),
  'strikethrough `~~a`': fill('~~a'),
  'tildes `~`': fill('~'),
  'backtick run': fill('`'),
  'backticks of mixed lengths': mixedBackticks(),
  'backtick openers `` `a ``': fill('`a'),
  '9,990 spaces then `"`': `${fill(' ', 9_990)}"${fill('a', 9)}`,
  'link title: 9,990 spaces then `"`': `[a](b${fill(' ', 9_990)}"${fill('a', 4)}`,
  'link title `"(`': then('[a](b "', '('),
  'URL then `)`': then('https://example.com/', ')'),
  '`www.` then `)`': then('www.example.com/', ')'),
  'URL then `(`': then('https://example.com/', '('),
  'URL then `&x;`': then('https://example.com/', '&x;'),
  'URLs `http://`': fill('http://'),
  '`www.` runs': fill('www.'),
  'emails `a@`': fill('a@'),
  'email domain `a.`': then('a@', 'a.'),
  'angle brackets `<`': fill('<'),
  'autolink openers `<a`': fill('<a'),
  'HTML openers `<a href="`': fill('<a href="'),
  'character references `&#`': fill('&#'),
  'character references `&amp`': fill('&amp'),
  backslashes: fill('\\'),
  'escaped brackets `\\[`': fill('\\['),
  'citations `[1]`': fill('[1]'),
  'quotes `>`': fill('>'),
  'quotes `> `': fill('> '),
  'quote lines `>`': fill('>\n'),
  'lines of 30 quotes': lines(() => `${'> '.repeat(30)}x`),
  'list markers `- `': fill('- '),
  'ordered markers `1. `': fill('1. '),
  'quotes and lists `> - `': fill('> - '),
  'list nested by indentation': lines((k) => `${' '.repeat(2 * k)}- x`),
  'quote nested by indentation': lines((k) => `${' '.repeat(k)}> x`),
  'long flat list': fill('- a\n'),
  'task items `- [ ] `': fill('- [ ] '),
  'table of many columns': (() => {
    const columns = Math.floor((BODY_LIMIT - 3) / 4);
    return `|${fill('a|', 2 * columns)}\n|${fill('-|', 2 * columns)}\n`;
  })(),
  'table of many rows': then('|a|b|\n|-|-|\n', '|x|y|\n'),
  'table of pipes': then('a|b\n-|-\n', '|'),
  'table rows of escaped pipes': then('|a|b|\n|-|-|\n', '|\\|\\|\\|\n'),
  'headings `# `': fill('# '),
  'setext underlines': fill('a\n=\n'),
  'thematic breaks': fill('***\n'),
  'fences ```': fill('```\n'),
  'tilde fences `~~~`': fill('~~~\n'),
  'blank lines': fill('\n'),
  'hard breaks': fill('a  \n'),
  tabs: fill('\t'),
  'NUL characters': fill('\u0000'),
};

function realisticChunk(k: number): string {
  return [
    `Thanks for the write-up, this is **really** helpful. I read the announcement [1] twice and I think the *capability thresholds* part is the key change; see also [the summary](https://example.org/summary/${k}) and www.example.com/notes-${k}. The \`ASL-3\` standard applies "when a model could meaningfully assist" — which is a judgement call.`,
    `A few points:\n\n- the thresholds are **two**, not three\n- reviews happen *before* deployment\n  - and after major updates\n- [x] read the policy\n- [ ] read the appendix`,
    `> Internal oversight and the collection of external expert information should assist in evaluating methodologies.\n>\n> I am not sure this is enough ~~yet~~.`,
    '```python\ndef risk(model):\n    return model.capabilities > THRESHOLD  # [2]\n```',
    '| threshold | measure |\n| :--- | ---: |\n| autonomy | ASL-3 |\n| CBRN | ASL-3 |',
    `1. first, the policy\n2. then the _evidence_\n3. finally https://www.anthropic.com/news/rsp-${k}.`,
  ].join('\n\n');
}

/** A long reply as people write them: paragraphs, links, lists, a quote, code, a table. */
export const REALISTIC = (() => {
  let out = '';
  for (let k = 0; out.length < BODY_LIMIT; k++) out += `${realisticChunk(k)}\n\n`;
  return out.slice(0, BODY_LIMIT);
})();
