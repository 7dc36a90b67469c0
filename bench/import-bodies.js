// The body side of an import alone: CPU time a Disqus comment body costs to prepare for the
// store (HTML to Markdown, the reply rules, the document tree, its JSON), on one thread, over
// the bodies of a generated export (bench/generate-disqus.js). Not a part of `npm run bench`:
// it measures one stage, for comparing builds of it, in turn in one run.
//
//   node bench/import-bodies.js [--comments 100000] [--runs 5] [checkout…]
//
// Each checkout (default: this one) must be built (packages/server/dist). Prints, per run and
// checkout, µs of CPU (user + system of this process) a body, and the median and worst.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const { values, positionals } = parseArgs({
  options: { comments: { type: 'string', default: '100000' }, runs: { type: 'string', default: '5' } },
  allowPositionals: true,
});
const COMMENTS = Number(values.comments);
const RUNS = Number(values.runs);
const checkouts = positionals.length > 0 ? positionals.map((p) => resolve(p)) : [REPO];

const file = join(REPO, `bench/data/disqus-${COMMENTS}.xml`);
if (!existsSync(file)) {
  execFileSync(
    process.execPath,
    [join(REPO, 'bench/generate-disqus.js'), '--comments', String(COMMENTS), '--out', file],
    {
      stdio: 'inherit',
    },
  );
}
// The generator writes each message as one CDATA section.
const sources = [
  ...readFileSync(file, 'utf8').matchAll(/<message><!\[CDATA\[([\s\S]*?)\]\]><\/message>/g),
].map((match) => ({ kind: 'disqus', text: match[1] }));

const builds = [];
for (const checkout of checkouts) {
  const url = pathToFileURL(join(checkout, 'packages/server/dist/import/prepare.js')).href;
  const { prepareBody } = await import(url);
  // Warm up: the first bodies pay for compiling the code.
  for (const source of sources.slice(0, 5000)) prepareBody(source);
  builds.push({ checkout, prepareBody, runs: [] });
}

const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

for (let run = 1; run <= RUNS; run++) {
  for (const build of builds) {
    const started = process.cpuUsage();
    for (const source of sources) build.prepareBody(source);
    const used = process.cpuUsage(started);
    const us = (used.user + used.system) / sources.length;
    build.runs.push(us);
    console.log(
      `import-bodies: run ${run}/${RUNS} ${build.checkout}: ${us.toFixed(1)} µs CPU a body, load ${loadavg()[0].toFixed(1)}`,
    );
  }
}
for (const build of builds) {
  console.log(
    `import-bodies: ${build.checkout}: ${sources.length} bodies, median ${median(build.runs).toFixed(1)} µs, ` +
      `worst ${Math.max(...build.runs).toFixed(1)} µs CPU a body over ${RUNS} runs`,
  );
}
