// Preloaded into the import bench's SQLite runs (`node --import bench/sql-time.js`, which worker
// threads inherit): times every statement better-sqlite3 runs on the thread that runs it, by the
// kind of statement (its verb and first table: `insert into replies`, `COMMIT`), and when the
// thread ends writes the totals to BENCH_SQL_OUT/<pid>-<thread id>.json. The time is the
// thread's wall time inside the statement's call (binding its values, SQLite's own work and the
// rows returned), read with process.hrtime around it; what the wrapper itself costs (a call
// and the first clock reading) is counted in it too.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

const out = process.env.BENCH_SQL_OUT;
// better-sqlite3 as the server resolves it, so that the statements patched are the ones it makes.
const root = process.env.BENCH_SQL_ROOT;

/** The kind of a statement: its verb and the first table it names. */
function statementKind(sql) {
  const text = sql.replace(/\s+/g, ' ').trim();
  const verb = /^(\w+)/.exec(text)?.[1]?.toLowerCase() ?? '?';
  const table = /\b(?:into|from|update)\s+"?([\w.]+)"?/i.exec(text)?.[1];
  if (verb === 'insert') return `insert into ${table}`;
  if (verb === 'select') return `select from ${table}`;
  if (verb === 'update') return `update ${table}`;
  return text.toUpperCase();
}

if (out && root) {
  const Database = createRequire(join(root, 'packages/server/package.json'))('better-sqlite3');
  const probe = new Database(':memory:');
  const Statement = Object.getPrototypeOf(probe.prepare('SELECT 1'));
  probe.close();
  /** Kind → [statements run, nanoseconds]. */
  const totals = new Map();
  /** A statement's SQL → its kind, worked out once (a statement of many rows is long). */
  const kinds = new Map();
  for (const method of ['run', 'get', 'all']) {
    const original = Statement[method];
    Statement[method] = function timed(...args) {
      const started = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        const took = process.hrtime.bigint() - started;
        let kind = kinds.get(this.source);
        if (kind === undefined) kinds.set(this.source, (kind = statementKind(this.source)));
        const total = totals.get(kind) ?? [0, 0n];
        total[0]++;
        total[1] += took;
        totals.set(kind, total);
      }
    };
  }
  process.on('exit', () => {
    if (totals.size === 0) return;
    const rows = Object.fromEntries(
      [...totals].map(([kind, [count, ns]]) => [kind, { count, ms: Number(ns) / 1e6 }]),
    );
    writeFileSync(join(out, `${process.pid}-${threadId}.json`), JSON.stringify(rows));
  });
}
