// Import: a generated Disqus export (bench/generate-disqus.js, written once per size into
// bench/data/) imported by the real command (`colloquy-server import`, the build in
// packages/server/dist) into a fresh SQLite file and, when COLLOQUY_BENCH_DATABASE_URL (or
// COLLOQUY_TEST_DATABASE_URL) is set, into a fresh PostgreSQL schema, dropped afterwards.
// Each run: comments per second (the file's comments over the command's wall time, start-up
// included) and peak RSS (the process's maximum resident set, from /usr/bin/time; worker
// threads share the process, so their memory is in it), plus the CPU time it used and the
// machine's load, which says how much of the two cores the run had.
//
//   npm run bench -- import
//   BENCH_IMPORT_COMMENTS=100000 BENCH_IMPORT_RUNS=5 BENCH_IMPORT_WORKERS=1 npm run bench -- import
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const COMMENTS = Number(process.env.BENCH_IMPORT_COMMENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 3);
/** Unset: the command's default. */
const WORKERS = process.env.BENCH_IMPORT_WORKERS;
const TARGET_RATE = 20_000;
const TARGET_RSS_MB = 300;
const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'packages/server/dist/cli.js');
const FILE = join(REPO, `bench/data/disqus-${COMMENTS}.xml`);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (n) => Math.round(n).toLocaleString('en-US');

function ensureFile() {
  if (existsSync(FILE)) return;
  console.log(`bench import: writing ${fmt(COMMENTS)} comments to ${FILE}`);
  execFileSync(
    process.execPath,
    [join(REPO, 'bench/generate-disqus.js'), '--comments', String(COMMENTS), '--out', FILE],
    {
      stdio: 'inherit',
    },
  );
}

const workerArgs = WORKERS === undefined ? [] : ['--workers', WORKERS];

/** One import by the real command; resolves with its figures, rejects when it fails. */
function importOnce(args, env) {
  return new Promise((resolve, reject) => {
    const load = loadavg()[0];
    const started = performance.now();
    const child = spawn(
      '/usr/bin/time',
      [
        '-f',
        'bench-time %M %U %S',
        process.execPath,
        CLI,
        'import',
        '--from',
        'disqus',
        FILE,
        ...workerArgs,
        ...args,
      ],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.once('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const time = /bench-time (\d+) ([\d.]+) ([\d.]+)/.exec(stderr);
      if (code !== 0 || !time) return reject(new Error(`import failed (${code}):\n${stderr}\n${stdout}`));
      const imported = /Replies: ([\d,]+) imported/.exec(stdout);
      resolve({
        seconds,
        rate: COMMENTS / seconds,
        rssMb: Number(time[1]) / 1024,
        cpuSeconds: Number(time[2]) + Number(time[3]),
        imported: imported ? Number(imported[1].replaceAll(',', '')) : 0,
        load: (load + loadavg()[0]) / 2,
      });
    });
  });
}

async function runStore(name, prepare) {
  const runs = [];
  for (let k = 0; k < RUNS; k++) {
    const { args, env, cleanup } = await prepare();
    try {
      const run = await importOnce(args, env);
      console.log(
        `bench import: ${name} run ${k + 1}/${RUNS}: ${fmt(run.rate)} comments/s, ${fmt(run.rssMb)} MB peak RSS, ` +
          `${run.cpuSeconds.toFixed(1)} s CPU, load ${run.load.toFixed(1)}`,
      );
      runs.push(run);
    } finally {
      await cleanup();
    }
  }
  return runs;
}

function row(name, runs) {
  const rates = runs.map((r) => r.rate);
  const rss = runs.map((r) => r.rssMb);
  const cpuRates = runs.map((r) => COMMENTS / r.cpuSeconds);
  return `| ${name} | ${fmt(median(rates))} | ${fmt(Math.min(...rates))} | ${fmt(median(rss))} | ${fmt(Math.max(...rss))} | ${fmt(median(cpuRates))} | ${runs.map((r) => r.load.toFixed(1)).join(', ')} |`;
}

export async function run() {
  ensureFile();
  const sqliteRuns = await runStore('SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'colloquy-bench-import-'));
    return {
      args: ['--db', join(dir, 'import.db')],
      env: { DATABASE_URL: '' },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  });
  const url = process.env.COLLOQUY_BENCH_DATABASE_URL || process.env.COLLOQUY_TEST_DATABASE_URL;
  const pgRuns = url
    ? await runStore('PostgreSQL', async () => {
        const schema = `bench_import_${randomBytes(5).toString('hex')}`;
        return {
          args: ['--database-url', url, '--db-schema', schema],
          env: {},
          cleanup: async () => {
            const client = new pg.Client({ connectionString: url });
            await client.connect();
            await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
            await client.end();
          },
        };
      })
    : null;
  const imported = sqliteRuns[0]?.imported ?? 0;
  const sqliteRate = median(sqliteRuns.map((r) => r.rate));
  const worstRss = Math.max(...[...sqliteRuns, ...(pgRuns ?? [])].map((r) => r.rssMb));
  return `## Import (Disqus export)

\`npm run bench -- import\`: ${fmt(COMMENTS)} generated comments (${fmt(imported)} imported; spam and deleted
ones are imported hidden or blanked, nothing is skipped) imported by \`colloquy-server import --from disqus\`
into a fresh database, ${RUNS} runs per store, with the default batch size (1,000) and ${WORKERS === undefined ? 'the default workers (one per core but one)' : `--workers ${WORKERS}`}.
Comments per second count the whole command, start-up included; "per CPU-second" divides by the
user + system time of the process (all its threads), which says what a run costs when the cores are shared.
Load is the machine's one-minute load average during the run (2 cores: above 2, other work had a share of them).

| Store | comments/s (median) | comments/s (worst) | peak RSS MB (median) | peak RSS MB (worst) | comments per CPU-second (median) | load |
|---|---:|---:|---:|---:|---:|---|
${row('SQLite', sqliteRuns)}
${pgRuns ? row('PostgreSQL', pgRuns) : '| PostgreSQL | skipped: set `COLLOQUY_BENCH_DATABASE_URL` (or `COLLOQUY_TEST_DATABASE_URL`) | | | | | |'}

Targets: ≥ ${fmt(TARGET_RATE)} comments/s into SQLite (${sqliteRate >= TARGET_RATE ? 'met' : `not met: ${fmt(sqliteRate)}`}); peak RSS under ${TARGET_RSS_MB} MB (${worstRss < TARGET_RSS_MB ? 'met' : `not met: ${fmt(worstRss)} MB`}).
`;
}
