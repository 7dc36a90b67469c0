// `npm run bench [-- part…]`: runs the benchmark parts and rewrites bench/RESULTS.md.
// Each part returns Markdown; parts not run this time keep their previous section.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const PARTS = {
  size: () => import('./size.js'),
  'first-render': () => import('./first-render.js'),
  'host-page': () => import('./host-page.js'),
  throughput: () => import('./throughput.js'),
  'data-scale': () => import('./data-scale.js'),
  live: () => import('./live.js'),
  'scale-out': () => import('./scale-out.js'),
  markdown: () => import('./markdown.js'),
  import: () => import('./import.js'),
  'import-rows': () => import('./import-rows.js'),
  moderation: () => import('./moderation.js'),
  pow: () => import('./pow.js'),
  deploy: () => import('./deploy.js'),
  'largest-read': () => import('./largest-read.js'),
  'replay-storm': () => import('./replay-storm.js'),
  ssr: () => import('./ssr.js'),
  lighthouse: () => import('./lighthouse.js'),
};

const RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in PARTS));
if (unknown.length) {
  console.error(`Unknown part: ${unknown.join(', ')}. Parts: ${Object.keys(PARTS).join(', ')}`);
  process.exit(2);
}
const names = requested.length ? requested : Object.keys(PARTS);

function previousSections() {
  const sections = {};
  if (!existsSync(RESULTS)) return sections;
  const text = readFileSync(RESULTS, 'utf8');
  for (const match of text.matchAll(/<!-- part:(\S+) -->\n([\s\S]*?)<!-- \/part -->/g)) {
    sections[match[1]] = match[2];
  }
  return sections;
}

const sections = previousSections();
for (const name of names) {
  console.log(`bench: ${name}`);
  const part = await PARTS[name]();
  sections[name] = `${(await part.run()).trim()}\n`;
}

const machine =
  `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ` +
  `${Math.round(totalmem() / 2 ** 30)} GiB memory, Node.js ${process.version}, ${process.platform}`;
const body = [
  '# Benchmark results',
  '',
  `Last run: ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
  '',
  'Reproduce with `npm run bench` (builds, then runs all parts) or `npm run bench -- <part>`',
  `with a part name (${Object.keys(PARTS)
    .map((n) => `\`${n}\``)
    .join(', ')}). The PostgreSQL`,
  'figures need `COLLOQUY_BENCH_DATABASE_URL` (or `COLLOQUY_TEST_DATABASE_URL`) set to a server',
  '(here `postgres://root@127.0.0.1:5432/test`); without it those parts say they were skipped.',
  '`COLLOQUY_BENCH_BASELINE=<checkout>` (another checkout, built) has `throughput` and `data-scale`',
  'measure its server build in the same run, in turn with this one (see bench/baseline.js).',
  '',
  ...Object.keys(PARTS)
    .filter((name) => sections[name])
    .map((name) => `<!-- part:${name} -->\n${sections[name]}<!-- /part -->\n`),
].join('\n');
writeFileSync(RESULTS, body);
console.log(`bench: wrote ${RESULTS}`);
