// Import: a generated Disqus export (bench/generate-disqus.js, written once per size into
// bench/data/) imported by the real command (`colloquy-server import`, the build in
// packages/server/dist) into a fresh SQLite file and, when COLLOQUY_BENCH_DATABASE_URL (or
// COLLOQUY_TEST_DATABASE_URL) is set, into a fresh PostgreSQL schema, dropped afterwards.
// Each run: comments per second (the file's comments over the command's wall time, start-up
// included) and peak RSS (the process's maximum resident set, from /usr/bin/time; worker
// threads share the process, so their memory is in it), plus the CPU time it used and the
// machine's load, which says how much of the two cores the run had. Where the CPU time goes is
// read from /proc as the command runs, thread by thread (bench/thread-cpu.js; the command is
// started with bench/thread-names.js preloaded, which names its threads by their part), and in
// the SQLite runs the time of each kind of statement (bench/sql-time.js, also preloaded).
// With COLLOQUY_BENCH_BASELINE (another checkout, built; see bench/baseline.js) the SQLite runs
// alternate between that checkout's command and this one's, each run of one followed by one of
// the other, so that both meet the same moments of a shared machine.
//
//   npm run bench -- import
//   BENCH_IMPORT_COMMENTS=100000 BENCH_IMPORT_RUNS=5 BENCH_IMPORT_WORKERS=1 npm run bench -- import
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { baselineRoot, checkoutName } from './baseline.js';
import { childOf, sampleThreads } from './thread-cpu.js';

const COMMENTS = Number(process.env.BENCH_IMPORT_COMMENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 3);
/** Unset: the command's default. */
const WORKERS = process.env.BENCH_IMPORT_WORKERS;
const TARGET_RATE = 20_000;
const TARGET_RSS_MB = 300;
const REPO = fileURLToPath(new URL('..', import.meta.url));
const cliOf = (root) => join(root, 'packages/server/dist/cli.js');
const THREAD_NAMES = join(REPO, 'bench/thread-names.js');
const SQL_TIME = join(REPO, 'bench/sql-time.js');

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
export const fmt = (n) => Math.round(n).toLocaleString('en-US');

/** The generated Disqus export of `comments` comments in bench/data/, written the first time it is asked for. */
export function disqusFile(comments) {
  const file = join(REPO, `bench/data/disqus-${comments}.xml`);
  if (existsSync(file)) return file;
  console.log(`bench: writing ${fmt(comments)} comments to ${file}`);
  execFileSync(
    process.execPath,
    [join(REPO, 'bench/generate-disqus.js'), '--comments', String(comments), '--out', file],
    {
      stdio: 'inherit',
    },
  );
  return file;
}

const workerArgs = WORKERS === undefined ? [] : ['--workers', WORKERS];

/**
 * One import by the real command of the checkout at `root`; resolves with its figures (the
 * threads' CPU seconds by name among them), rejects when it fails.
 */
function importOnce(args, env, root = REPO) {
  return new Promise((resolve, reject) => {
    const load = loadavg()[0];
    const started = performance.now();
    const child = spawn(
      '/usr/bin/time',
      [
        '-f',
        'bench-time %M %U %S',
        process.execPath,
        '--import',
        THREAD_NAMES,
        ...(env.BENCH_SQL_OUT ? ['--import', SQL_TIME] : []),
        cliOf(root),
        'import',
        '--from',
        'disqus',
        disqusFile(COMMENTS),
        ...workerArgs,
        ...args,
      ],
      { env: { ...process.env, BENCH_SQL_ROOT: root, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const sampler = sampleThreads(() => childOf(child.pid));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.once('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const threads = sampler.stop();
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
        threads,
        sql: env.BENCH_SQL_OUT ? statementTimes(env.BENCH_SQL_OUT) : null,
      });
    });
  });
}

/** The statements' times the command's threads wrote (bench/sql-time.js): kind → { count, ms }. */
function statementTimes(dir) {
  const kinds = new Map();
  for (const file of readdirSync(dir)) {
    for (const [kind, { count, ms }] of Object.entries(JSON.parse(readFileSync(join(dir, file), 'utf8')))) {
      const total = kinds.get(kind) ?? { count: 0, ms: 0 };
      total.count += count;
      total.ms += ms;
      kinds.set(kind, total);
    }
  }
  return kinds;
}

/**
 * RUNS imports into fresh databases of one store, by each checkout of `roots` in turn (a run of
 * the first, then of the second, and so on); resolves with each checkout's runs.
 */
async function runStore(name, prepare, roots = [REPO]) {
  const runs = roots.map(() => []);
  for (let k = 0; k < RUNS; k++) {
    for (const [index, root] of roots.entries()) {
      const { args, env, cleanup } = await prepare();
      try {
        const run = await importOnce(args, env, root);
        const which = roots.length > 1 ? ` (${checkoutName(root)})` : '';
        console.log(
          `bench import: ${name}${which} run ${k + 1}/${RUNS}: ${fmt(run.rate)} comments/s, ${fmt(run.rssMb)} MB peak RSS, ` +
            `${run.cpuSeconds.toFixed(1)} s CPU, load ${run.load.toFixed(1)}; ` +
            [...run.threads].map(([thread, { seconds }]) => `${thread} ${seconds.toFixed(1)} s`).join(', '),
        );
        runs[index].push(run);
      } finally {
        await cleanup();
      }
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

/** The order threads are listed in: the import's own first, then the runtime's. */
const THREAD_ORDER = ['main', 'import', 'body-worker', 'v8-platform', 'libuv-pool', 'inspector'];
const THREAD_ROLES = {
  main: 'starts the import thread, writes what it prints',
  import: 'reads the XML, checks comments, writes the store',
  'body-worker': 'prepares bodies (HTML to Markdown, the tree)',
  'v8-platform': "V8's helpers for all heaps: garbage collection, compiling",
  'libuv-pool': 'file reads',
  inspector: 'waits for a debugger signal',
};

/**
 * CPU by thread, in µs a comment: the median over the runs, and the worst (most) run. "Not seen"
 * is what the process used (from /usr/bin/time) beyond the threads' last readings.
 */
function threadTable(runs) {
  const names = [...new Set(runs.flatMap((r) => [...r.threads.keys()]))].sort(
    (a, b) =>
      (THREAD_ORDER.indexOf(a) + 1 || THREAD_ORDER.length + 1) -
      (THREAD_ORDER.indexOf(b) + 1 || THREAD_ORDER.length + 1),
  );
  const perComment = (seconds) => (seconds * 1e6) / COMMENTS;
  const line = (label, role, threads, values) =>
    `| ${label} | ${role} | ${threads} | ${fmt(median(values))} | ${fmt(Math.max(...values))} | ${Math.round((median(values) / median(runs.map((r) => perComment(r.cpuSeconds)))) * 100)} % |`;
  const rows = names.map((name) =>
    line(
      name,
      THREAD_ROLES[name] ?? '',
      Math.max(...runs.map((r) => r.threads.get(name)?.threads ?? 0)),
      runs.map((r) => perComment(r.threads.get(name)?.seconds ?? 0)),
    ),
  );
  const seen = (r) => [...r.threads.values()].reduce((sum, t) => sum + t.seconds, 0);
  rows.push(
    line(
      'not seen',
      'used after the last reading (every 250 ms)',
      '',
      runs.map((r) => perComment(Math.max(0, r.cpuSeconds - seen(r)))),
    ),
  );
  rows.push(
    line(
      'all',
      'the process (/usr/bin/time)',
      '',
      runs.map((r) => perComment(r.cpuSeconds)),
    ),
  );
  return `| Thread | what it does | threads | µs of CPU a comment (median) | (worst) | share |
|---|---|---:|---:|---:|---:|
${rows.join('\n')}`;
}

/**
 * The SQLite statements' time by kind, in µs a comment (median over the runs, and the worst),
 * with their share of the import thread's CPU time (the thread that runs them all).
 */
function statementTable(runs) {
  const perComment = (ms) => (ms * 1000) / COMMENTS;
  const kinds = [...new Set(runs.flatMap((r) => [...r.sql.keys()]))];
  const of = (kind) => runs.map((r) => perComment(r.sql.get(kind)?.ms ?? 0));
  const importCpu = median(runs.map((r) => ((r.threads.get('import')?.seconds ?? 0) * 1e6) / COMMENTS));
  const all = runs.map((r) => perComment([...r.sql.values()].reduce((sum, { ms }) => sum + ms, 0)));
  const share = (value) => (importCpu > 0 ? `${Math.round((value / importCpu) * 100)} %` : '–');
  const fmt1 = (n) => n.toFixed(1);
  const rows = kinds
    .map((kind) => ({ kind, values: of(kind), count: median(runs.map((r) => r.sql.get(kind)?.count ?? 0)) }))
    .filter(({ values }) => median(values) >= 0.05)
    .sort((a, b) => median(b.values) - median(a.values))
    .map(
      ({ kind, values, count }) =>
        `| \`${kind}\` | ${fmt(count)} | ${fmt1(median(values))} | ${fmt1(Math.max(...values))} | ${share(median(values))} |`,
    );
  rows.push(
    `| all statements | | ${fmt1(median(all))} | ${fmt1(Math.max(...all))} | ${share(median(all))} |`,
  );
  return `| Statement | statements run (median) | µs a comment (median) | (worst) | of the import thread's CPU |
|---|---:|---:|---:|---:|
${rows.join('\n')}`;
}

export async function run() {
  // Written before the first run's clock starts.
  disqusFile(COMMENTS);
  const baseline = baselineRoot();
  const [sqliteRuns, baselineRuns] = await runStore(
    'SQLite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'colloquy-bench-import-'));
      const sql = join(dir, 'statements');
      mkdirSync(sql);
      return {
        args: ['--db', join(dir, 'import.db')],
        env: { DATABASE_URL: '', BENCH_SQL_OUT: sql },
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
    baseline === null ? [REPO] : [REPO, baseline],
  );
  const url = process.env.COLLOQUY_BENCH_DATABASE_URL || process.env.COLLOQUY_TEST_DATABASE_URL;
  const [pgRuns] = url
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
    : [null];
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

Where the CPU goes, thread by thread (SQLite runs; /proc/PID/task/TID/stat read every 250 ms, the
threads named by bench/thread-names.js):

${threadTable(sqliteRuns)}

Where the import thread's time in SQLite goes, statement by statement (bench/sql-time.js, preloaded into the
SQLite runs: the wall time of each better-sqlite3 call on the thread that makes it, so a wait for the disk counts
in it as well as the CPU; \`COMMIT\` writes the batch's pages into the write-ahead log and, every 64 MB of it, copies
the log into the database):

${statementTable(sqliteRuns)}
${
  baselineRuns
    ? `
Against ${checkoutName(baseline)} (COLLOQUY_BENCH_BASELINE), its runs alternating with these:

| Store | comments/s (median) | comments/s (worst) | peak RSS MB (median) | peak RSS MB (worst) | comments per CPU-second (median) | load |
|---|---:|---:|---:|---:|---:|---|
${row(`SQLite, ${checkoutName(baseline)}`, baselineRuns)}
${row(`SQLite, ${checkoutName()}`, sqliteRuns)}

Its runs, thread by thread:

${threadTable(baselineRuns)}
`
    : ''
}`;
}
