import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SqliteStore } from '../store/sqlite.js';

/** A day: how often `serve --backup-dir` copies the database. */
export const BACKUP_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** Backup files by their time, `colloquy-2026-12-01T03-00-00Z.db`: sorted by name, oldest first. */
const BACKUP_FILE = /^colloquy-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.db$/;

export const backupFileName = (at: Date): string =>
  `colloquy-${at.toISOString().slice(0, 19).replaceAll(':', '-')}Z.db`;

export interface BackupOptions {
  dir: string;
  /** How many backup files to keep, the newest; older ones are removed after each backup. */
  keep: number;
  /** The clock that names the files. */
  now?: () => Date;
}

/**
 * One backup: the SQLite database copied with its online backup API into a new file of `dir`
 * (written under a temporary name, then renamed, so that a file with a backup's name is always
 * whole), then the backups beyond the newest `keep` removed. Returns the new file.
 */
export async function backUp(store: SqliteStore, options: BackupOptions): Promise<string> {
  const at = (options.now ?? (() => new Date()))();
  await mkdir(options.dir, { recursive: true });
  const file = join(options.dir, backupFileName(at));
  const partial = `${file}.partial`;
  try {
    await store.backup(partial);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  const backups = (await readdir(options.dir)).filter((name) => BACKUP_FILE.test(name)).sort();
  for (const old of backups.slice(0, Math.max(0, backups.length - options.keep))) {
    await rm(join(options.dir, old), { force: true });
  }
  return file;
}

/**
 * Backs the database up at once and then every `intervalMs` (a day), until stopped. A failed
 * backup is logged and tried again at the next time; it never stops the server.
 */
export function scheduleBackups(
  store: SqliteStore,
  options: BackupOptions & { intervalMs?: number; onBackup?: (file: string) => void },
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = running
      .then(() => backUp(store, options))
      .then(
        (file) => options.onBackup?.(file),
        (error: unknown) =>
          console.error(
            'colloquy: the database backup failed:',
            error instanceof Error ? error.message : error,
          ),
      );
  };
  run();
  const timer = setInterval(run, options.intervalMs ?? BACKUP_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
