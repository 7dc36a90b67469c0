import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Bus } from '../bus/bus.js';
import { PostgresBus } from '../bus/postgres-bus.js';
import { PostgresStore } from '../store/postgres.js';
import { SqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/store.js';
import { UsageError, type Setting } from './settings.js';

/** Which database a command works on: a SQLite file, or PostgreSQL when a URL is given. */
export interface DatabaseOptions {
  dbFile: string;
  /** `postgres://…`: use PostgreSQL (PostgresStore and PostgresBus) instead of the SQLite file. */
  databaseUrl: string | null;
  /** PostgreSQL schema for the tables (created when missing); null: the connection's default. */
  dbSchema: string | null;
}

/** The settings every command that opens the database takes, the same way. */
export const DATABASE_SETTINGS = {
  dbFile: {
    flag: 'db',
    env: 'COLLOQUY_DB',
    value: 'FILE',
    help: 'SQLite database file, its folder created when missing',
    shownDefault: './data/colloquy.db',
    parse: (text: string) => text,
    fallback: () => './data/colloquy.db',
  } satisfies Setting<string>,
  databaseUrl: {
    flag: 'database-url',
    env: 'DATABASE_URL',
    value: 'URL',
    help: 'postgres://… : use PostgreSQL instead of SQLite, and LISTEN/NOTIFY so several servers on one database share live updates',
    shownDefault: 'unset: SQLite',
    parse: (text: string): string | null => {
      if (!/^postgres(ql)?:\/\//.test(text))
        throw new UsageError('DATABASE_URL (--database-url) must be a postgres:// or postgresql:// URL.');
      return text;
    },
    fallback: () => null,
  } satisfies Setting<string | null>,
  dbSchema: {
    flag: 'db-schema',
    env: 'COLLOQUY_DB_SCHEMA',
    value: 'NAME',
    help: 'PostgreSQL schema for the tables, created when missing',
    shownDefault: "the connection's search_path, usually public",
    parse: (text: string): string | null => {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(text)) {
        throw new UsageError(
          `The database schema (COLLOQUY_DB_SCHEMA) must be lowercase letters, digits and underscores, got "${text}".`,
        );
      }
      return text;
    },
    fallback: () => null,
  } satisfies Setting<string | null>,
};

/**
 * Opens the store the options name: PostgreSQL when a URL is given, else the SQLite file.
 * `once` runs before the store is returned, on PostgreSQL under the migration lock, so that of
 * servers starting together on one database each runs it after the one before has finished
 * (how the demo topic is seeded once, not by every server). A SQLite file has one server.
 */
export async function openStore(
  options: DatabaseOptions,
  once?: (store: Store) => Promise<void>,
  tuning: { bulkWrites?: boolean } = {},
): Promise<Store> {
  if (options.databaseUrl !== null) {
    return PostgresStore.open(options.databaseUrl, {
      ...(options.dbSchema !== null ? { schema: options.dbSchema } : {}),
      ...(once ? { underMigrationLock: once } : {}),
    });
  }
  const dbFile = resolve(options.dbFile);
  mkdirSync(dirname(dbFile), { recursive: true });
  const store = SqliteStore.open(dbFile, tuning);
  try {
    await once?.(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/**
 * The bus that tells the other servers on the same database about this one's writes:
 * LISTEN/NOTIFY on PostgreSQL. Undefined for SQLite, where the app's in-process bus serves the
 * one server on its file.
 */
export async function openBus(options: DatabaseOptions): Promise<Bus | undefined> {
  return options.databaseUrl === null ? undefined : PostgresBus.connect(options.databaseUrl);
}

/** How the log names the database; never the URL itself, which may carry a password. */
export function databaseName(options: DatabaseOptions): string {
  if (options.databaseUrl === null) return `SQLite (${resolve(options.dbFile)})`;
  return `PostgreSQL${options.dbSchema !== null ? ` (schema ${options.dbSchema})` : ''}`;
}
