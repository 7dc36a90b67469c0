// Import rows: what SQLite alone spends on the replies of an import, and which part of the
// schema it spends it on. The generated Disqus export (bench/generate-disqus.js, the file the
// import part uses at BENCH_ROWS_COMMENTS comments) is imported once by the real command into a
// scratch file; its replies, every column as the import stored them, are then inserted again
// in the import's shape (50 rows a statement, 1,000 a transaction, parents before their replies,
// the import's pragmas), into
// fresh copies of a database the server migrated, once per variant of the schema: as it is,
// and with one of its costs taken away at a time. Nothing of JavaScript but binding the values
// is in the times, so they say what the statements would cost an import that spent nothing
// else. The variants take turns within each round, in an order that rotates by round.
//
//   npm run bench -- import-rows
//   BENCH_ROWS_COMMENTS=100000 BENCH_ROWS_ROUNDS=5 npm run bench -- import-rows
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { ROWS_PER_STATEMENT } from '../packages/server/dist/store/sql-imports.js';
import {
  BULK_CHECKPOINT_PAGES as CHECKPOINT_PAGES,
  SqliteStore,
} from '../packages/server/dist/store/sqlite.js';
import { disqusFile, fmt, median } from './import.js';

const COMMENTS = Number(process.env.BENCH_ROWS_COMMENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROWS_ROUNDS ?? 5);
/** The import's default batch: its rows are one transaction. */
const ROWS_PER_TRANSACTION = 1_000;
/** The rate the import aims at, and so what all its work for one comment may take. */
const TARGET_RATE = 20_000;
const REPO = fileURLToPath(new URL('..', import.meta.url));

const us = (n) => n.toFixed(1);

/** Each variant: what it changes in a fresh copy of the migrated database, and in the rows. */
const VARIANTS = [
  { name: 'as the import writes them', change: () => {} },
  { name: 'without foreign-key checks', change: (db) => db.pragma('foreign_keys = OFF') },
  { name: "without the search index's trigger", change: (db) => db.exec('DROP TRIGGER replies_fts_insert') },
  { name: 'without the secondary indexes of `replies`', change: (db) => dropIndexes(db) },
  {
    name: 'with `body` and `source` empty (the text kept)',
    change: () => {},
    rows: (row) => ({ ...row, body: '', source: '' }),
  },
  {
    name: 'the row alone: no foreign-key checks, search index or secondary indexes',
    change: (db) => {
      db.pragma('foreign_keys = OFF');
      db.exec('DROP TRIGGER replies_fts_insert');
      dropIndexes(db);
    },
  },
];

/** Drops the indexes of `replies` that its own definition did not make (its key, its uniques). */
function dropIndexes(db) {
  for (const name of db.prepare(SECONDARY_INDEXES).pluck().all()) db.exec(`DROP INDEX "${name}"`);
}
const SECONDARY_INDEXES =
  "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'replies' AND sql IS NOT NULL";

/** Opens `file` as the import's store opens it (journal, sync, checkpoints, foreign keys). */
function openAsImport(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
  db.pragma('foreign_keys = ON');
  return db;
}

/** Inserts `rows` into `table` of `db`, 50 rows a statement, 1,000 a transaction. */
function insertAll(db, table, columns, rows) {
  const statements = new Map();
  const statement = (count) => {
    let prepared = statements.get(count);
    if (!prepared) {
      const one = `(${columns.map(() => '?').join(', ')})`;
      prepared = db.prepare(
        `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${Array(count).fill(one).join(', ')}`,
      );
      statements.set(count, prepared);
    }
    return prepared;
  };
  for (let start = 0; start < rows.length; start += ROWS_PER_TRANSACTION) {
    db.exec('BEGIN IMMEDIATE');
    const end = Math.min(start + ROWS_PER_TRANSACTION, rows.length);
    for (let at = start; at < end; at += ROWS_PER_STATEMENT) {
      const slice = rows.slice(at, Math.min(at + ROWS_PER_STATEMENT, end));
      statement(slice.length).run(slice.flatMap((row) => columns.map((c) => row[c])));
    }
    db.exec('COMMIT');
  }
}

/** One variant's run into a fresh copy of `template`: wall and CPU time of the replies' inserts. */
function runVariant(variant, template, dir, topics, replies) {
  const file = join(dir, 'target.db');
  copyFileSync(template, file);
  const db = openAsImport(file);
  try {
    variant.change(db);
    insertAll(db, 'topics', Object.keys(topics[0]), topics);
    const rows = variant.rows ? replies.map(variant.rows) : replies;
    const columns = Object.keys(rows[0]);
    const cpu = process.cpuUsage();
    const started = performance.now();
    insertAll(db, 'replies', columns, rows);
    const wall = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    return { wallUs: (wall * 1000) / rows.length, cpuUs: (user + system) / rows.length };
  } finally {
    db.close();
    rmSync(file, { force: true });
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
  }
}

export async function run() {
  const file = disqusFile(COMMENTS);
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-bench-import-rows-'));
  try {
    const source = join(dir, 'source.db');
    console.log('bench import-rows: importing the file once with the real command');
    execFileSync(
      process.execPath,
      [join(REPO, 'packages/server/dist/cli.js'), 'import', '--from', 'disqus', file, '--db', source],
      { env: { ...process.env, DATABASE_URL: '' }, stdio: 'ignore' },
    );
    const template = join(dir, 'template.db');
    await SqliteStore.open(template).close();
    const read = new Database(source, { readonly: true });
    const topics = read.prepare('SELECT * FROM topics ORDER BY rowid').all();
    // In the order the import inserted them: a parent before its replies.
    const replies = read.prepare('SELECT * FROM replies ORDER BY rowid').all();
    const sizes = read
      .prepare(
        'SELECT avg(length(CAST(body AS BLOB))) AS body, avg(length(CAST(text AS BLOB))) AS text, avg(length(CAST(source AS BLOB))) AS source FROM replies',
      )
      .get();
    const indexes = read.prepare(SECONDARY_INDEXES).pluck().all().length;
    read.close();

    const loadStart = loadavg();
    const times = VARIANTS.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < VARIANTS.length; k++) {
        const index = (round + k) % VARIANTS.length;
        const result = runVariant(VARIANTS[index], template, dir, topics, replies);
        times[index].push(result);
        console.log(
          `bench import-rows: round ${round + 1}/${ROUNDS}, ${VARIANTS[index].name}: ${us(result.wallUs)} µs a row, ${us(result.cpuUs)} µs of CPU`,
        );
      }
    }
    const loadEnd = loadavg();
    const base = median(times[0].map((t) => t.wallUs));
    const rows = VARIANTS.map((variant, index) => {
      const wall = times[index].map((t) => t.wallUs);
      const cpu = times[index].map((t) => t.cpuUs);
      const mid = median(wall);
      return `| ${variant.name} | ${us(mid)} | ${us(Math.max(...wall))} | ${us(median(cpu))} | ${us(Math.max(...cpu))} | ${(mid / base).toFixed(2)}× |`;
    });
    const floor = median(times[VARIANTS.length - 1].map((t) => t.wallUs));
    const budget = 1e6 / TARGET_RATE;
    return `## Import rows: SQLite alone

\`npm run bench -- import-rows\`: the ${fmt(replies.length)} replies of the ${fmt(COMMENTS)}-comment generated
Disqus file (imported once by the real command), inserted again into fresh copies of a database
the server migrated, every column as the import stored them and in the import's shape (${ROWS_PER_STATEMENT} rows a statement, ${fmt(ROWS_PER_TRANSACTION)} a transaction, its
pragmas: WAL, \`synchronous = NORMAL\`, a checkpoint every ${fmt(CHECKPOINT_PAGES)} pages, foreign keys on),
${ROUNDS} rounds, the variants taking turns in an order that rotates by round. Times are of the
replies' inserts and commits only (the topics are inserted first, untimed; the import's
bookkeeping rows, counts and reading are not here), wall and CPU time (user + system) a row,
median and worst round. \`replies\` has ${indexes} secondary indexes; a reply's row holds its document tree
(\`body\`, ${fmt(sizes.body)} bytes on average), its text (\`text\`, ${fmt(sizes.text)} bytes, also in the search index)
and its Markdown (\`source\`, ${fmt(sizes.source)} bytes). Load average (1, 5, 15 min) at the start:
${loadStart.map((l) => l.toFixed(2)).join(', ')}; at the end: ${loadEnd.map((l) => l.toFixed(2)).join(', ')}.

| variant | µs a row (median) | (worst) | µs of CPU a row (median) | (worst) | median against the first |
| --- | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}

The import's aim of ${fmt(TARGET_RATE)} comments/s leaves ${us(budget)} µs for all of a comment's work; the
row alone, without foreign keys, the search index or the secondary indexes, takes ${us(floor)} µs of it here.
`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
