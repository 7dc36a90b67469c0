import Database from 'better-sqlite3';
import {
  SelectQueryNode,
  sql,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type SqlBool,
  type UnknownRow,
} from 'kysely';
import {
  FILLED_TABLES,
  type RowWithoutSource,
  selectWithoutSource,
  setSource,
  SOURCE_FILL_BATCH,
  sourceOfStored,
} from './fill-sources.js';
import { pendingMigrations, SQLITE_MIGRATIONS, SQLITE_MIGRATIONS_TABLE } from './migrations.js';
import { compilerFor, SqlStore, type Executor, type SqlConnection, type SqlDialect } from './sql-store.js';

export { SQLITE_MIGRATIONS as MIGRATIONS } from './migrations.js';
export { EVENT_RETENTION_MS } from './sql-store.js';

const SQLITE: SqlDialect = {
  // The list is bound as JSON text (see bind()).
  anyOf: (column, values) => sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${values}))`,
  matchesText: (words) =>
    sql<SqlBool>`replies.rowid in (select rowid from replies_fts where replies_fts match ${ftsQuery(words)})`,
  // A write transaction holds the database's write lock from BEGIN IMMEDIATE to COMMIT: writes
  // never overlap, in this process or any other, so there is nothing more to serialize.
  lock: async () => {},
};

/**
 * The user's words as an FTS5 query that only ever means "all of these words": each word is
 * quoted as a string (its quotes doubled), so FTS5's operators and column filters in the text
 * are just text. At most 16 words; FTS5 then tokenizes each as it tokenized the replies.
 */
export function ftsQuery(words: string): string {
  return words
    .split(/\s+/)
    .filter((word) => word !== '')
    .slice(0, 16)
    .map((word) => `"${word.replaceAll('"', '""')}"`)
    .join(' ');
}

/** Pages of write-ahead log between checkpoints for bulk writes: 64 MB of 4 KB pages. */
export const BULK_CHECKPOINT_PAGES = 16_384;

export class SqliteStore extends SqlStore {
  readonly #connection: SqliteConnection;
  readonly sharedByServers = false;

  private constructor(connection: SqliteConnection) {
    const compiler = compilerFor(
      {
        createAdapter: () => new SqliteAdapter(),
        createIntrospector: (db) => new SqliteIntrospector(db),
        createQueryCompiler: () => new SqliteQueryCompiler(),
      },
      [new WithoutRowLocks()],
    );
    super(compiler, connection, SQLITE);
    this.#connection = connection;
  }

  /**
   * Opens (creating if needed) the database file and brings its schema up to date.
   * `bulkWrites`, for a command that writes much at once (an import): the write-ahead log is
   * copied back into the database every 64 MB instead of SQLite's 4 MB, so that a page written
   * by many transactions in a row (an index's, the search index's) is copied, and the file
   * synced, once for them all rather than after each. The log is folded in when the store closes.
   */
  static open(file: string, options: { bulkWrites?: boolean } = {}): SqliteStore {
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL'); // durable enough with WAL, much faster
      if (options.bulkWrites) db.pragma(`wal_autocheckpoint = ${BULK_CHECKPOINT_PAGES}`);
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000'); // another process (a second server, a backup) may hold the lock
      migrate(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteStore(new SqliteConnection(db));
  }

  /** A consistent copy of the whole database in `file`, taken online (see backups.ts). */
  async backup(file: string): Promise<void> {
    await this.#connection.backup(file);
  }

  /**
   * Deletes events created before `before`, keeping each topic's newest; returns how many.
   * At once, so it cannot wait for a transaction this store has open: it refuses to run inside one.
   */
  pruneEvents(before: Date): number {
    const [raise, prune] = this.pruneStatements(before);
    // Raised first: should the delete not follow, a resuming client reloads needlessly, nothing worse.
    this.#connection.runNow(raise);
    return Number(this.#connection.runNow(prune).numAffectedRows);
  }
}

function migrate(db: Database.Database): void {
  db.exec(SQLITE_MIGRATIONS_TABLE);
  const applied =
    (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
  for (const [version, script] of pendingMigrations(SQLITE_MIGRATIONS, applied)) {
    db.transaction(() => {
      db.exec(script);
      record.run(version, new Date().toISOString());
    }).immediate();
  }
  fillSources(db);
}

/** Rows from before sources were kept get one from their tree (see fill-sources.ts). */
function fillSources(db: Database.Database): void {
  for (const table of FILLED_TABLES) {
    const next = db.prepare<[], RowWithoutSource>(selectWithoutSource(table));
    const set = db.prepare(setSource(table, ['?', '?']));
    for (let rows = next.all(); rows.length > 0; rows = rows.length < SOURCE_FILL_BATCH ? [] : next.all()) {
      db.transaction(() => {
        for (const row of rows) set.run(sourceOfStored(row.body), row.id);
      }).immediate();
    }
  }
}

/**
 * The one better-sqlite3 connection, lent to one statement or one transaction at a time: a
 * statement waits while a transaction is open, so that nothing runs inside a transaction but
 * its own work. better-sqlite3 answers synchronously, so on a free connection a statement runs
 * at once. (Kysely's SqliteDriver does the same through Kysely's executor, which measured
 * 1.5 µs more a statement and 4.5 µs more a transaction, against 0.9 µs for the version
 * lookup a cached topic read is answered after.)
 *
 * Each SQL text is prepared once (the store's statements are a fixed set, see prepare()), and
 * values are bound as SQLite takes them: booleans as 0/1, lists as JSON text.
 */
class SqliteConnection implements SqlConnection {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();
  /** Settles when the open transaction ends; null while none is open. */
  #open: Promise<void> | null = null;
  /** The open transaction's own executor, which does not wait for it. */
  readonly #inside: Executor = {
    executeQuery: (query) => this.#runNow(query),
    takeFirst: (query) => this.#firstNow(query),
  };

  constructor(db: Database.Database) {
    this.#db = db;
  }

  executeQuery<Row>(query: CompiledQuery<Row>): Promise<QueryResult<Row>> {
    return this.#open ? this.#open.then(() => this.executeQuery(query)) : this.#runNow(query);
  }

  takeFirst<Row>(query: CompiledQuery<Row>): Promise<Row | undefined> {
    return this.#open ? this.#open.then(() => this.takeFirst(query)) : this.#firstNow(query);
  }

  /** Runs a statement now, outside any transaction; throws while one is open. */
  runNow<Row>(query: CompiledQuery<Row>): QueryResult<Row> {
    if (this.#open)
      throw new Error('A transaction of this store is open; run this once its writes are done.');
    return this.#run(query);
  }

  async transaction<T>(access: 'read only' | 'read write', work: (trx: Executor) => Promise<T>): Promise<T> {
    while (this.#open) await this.#open;
    let done = () => {};
    this.#open = new Promise((resolve) => (done = resolve));
    try {
      // A deferred transaction takes the write lock at its first write, and if another process
      // holds it then, SQLite fails at once (SQLITE_BUSY) instead of waiting busy_timeout. So a
      // write begins IMMEDIATE, taking the lock (or waiting for it) at BEGIN; a read stays
      // deferred, a snapshot that takes no lock.
      this.#exec(access === 'read only' ? 'BEGIN' : 'BEGIN IMMEDIATE');
      const result = await work(this.#inside);
      this.#exec('COMMIT');
      return result;
    } catch (error) {
      if (this.#db.inTransaction) this.#exec('ROLLBACK');
      throw error;
    } finally {
      this.#open = null;
      done();
    }
  }

  /**
   * A copy of the database in `file`, made with SQLite's online backup API while the
   * connection goes on answering (better-sqlite3 copies a few pages at a time between
   * statements).
   */
  backup(file: string): Promise<unknown> {
    return this.#db.backup(file);
  }

  async close(): Promise<void> {
    while (this.#open) await this.#open;
    if (this.#db.open) this.#db.close();
  }

  #runNow<Row>(query: CompiledQuery<Row>): Promise<QueryResult<Row>> {
    try {
      return Promise.resolve(this.#run(query));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #firstNow<Row>(query: CompiledQuery<Row>): Promise<Row | undefined> {
    try {
      return Promise.resolve(this.#first(query));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #run<Row>(query: CompiledQuery<Row>): QueryResult<Row> {
    const statement = this.#prepared(query.sql);
    if (statement.reader) return { rows: statement.all(bind(query.parameters)) as Row[] };
    return { rows: [], numAffectedRows: BigInt(statement.run(bind(query.parameters)).changes) };
  }

  #first<Row>(query: CompiledQuery<Row>): Row | undefined {
    const statement = this.#prepared(query.sql);
    if (statement.reader) return statement.get(bind(query.parameters)) as Row | undefined;
    statement.run(bind(query.parameters));
    return undefined;
  }

  /** Statements without values (BEGIN, COMMIT, ROLLBACK). */
  #exec(text: string): void {
    this.#prepared(text).run();
  }

  #prepared(text: string): Database.Statement {
    let statement = this.#statements.get(text);
    if (!statement) {
      statement = this.#db.prepare(text);
      this.#statements.set(text, statement);
    }
    return statement;
  }
}

/** Values as SQLite binds them: booleans as 0/1, lists as JSON text (see SQLITE.anyOf). */
const bind = (values: readonly unknown[]) =>
  values.map((value) =>
    typeof value === 'boolean' ? Number(value) : Array.isArray(value) ? JSON.stringify(value) : value,
  );

/**
 * SQLite has no row locks and needs none (a write transaction holds the whole database), so
 * the FOR UPDATE, FOR SHARE and SKIP LOCKED that PostgreSQL needs are left out of the store's
 * statements.
 */
class WithoutRowLocks implements KyselyPlugin {
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (!SelectQueryNode.is(node) || !node.endModifiers) return node;
    const endModifiers = node.endModifiers.filter(
      (m) => m.modifier !== 'ForUpdate' && m.modifier !== 'ForShare' && m.modifier !== 'SkipLocked',
    );
    return { ...node, endModifiers };
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }
}
