#!/usr/bin/env node
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createApp } from './app.js';
import { loadConfig, USAGE, UsageError } from './config.js';
import { listen } from './listen.js';
import { seedDemo } from './seed.js';
import { PostgresBus } from './bus/postgres-bus.js';
import type { Bus } from './bus/bus.js';
import { PostgresStore } from './store/postgres.js';
import { SqliteStore } from './store/sqlite.js';
import type { Store } from './store/store.js';

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  let options;
  try {
    options = loadConfig(process.env, argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`colloquy-server: ${error.message}\n`);
    if (error.exitCode === 2) process.stderr.write(`\n${USAGE}`);
    process.exit(error.exitCode);
  }

  let store: Store;
  // Undefined: the app's in-process bus, enough for one server on its own SQLite file.
  let bus: Bus | undefined;
  if (options.databaseUrl !== null) {
    // Several servers may share the database: LISTEN/NOTIFY tells each about the others' writes.
    store = await PostgresStore.open(options.databaseUrl, options.dbSchema !== null ? { schema: options.dbSchema } : {});
    try {
      bus = await PostgresBus.connect(options.databaseUrl);
    } catch (error) {
      await store.close();
      throw error;
    }
    // Never the URL itself: it may carry a password.
    console.log(`Using PostgreSQL${options.dbSchema !== null ? ` (schema ${options.dbSchema})` : ''}.`);
  } else {
    const dbFile = resolve(options.dbFile);
    mkdirSync(dirname(dbFile), { recursive: true });
    store = SqliteStore.open(dbFile);
  }
  if (options.seed && (await seedDemo(store))) console.log('Seeded the demo topic "rsp-update".');

  const app = createApp({ store, config: options.app, ...(bus ? { bus } : {}) });
  const server = await listen(app, { port: options.port, ...(options.hostname ? { hostname: options.hostname } : {}) });
  // Tests and scripts/demo.js read this line to learn the port; keep its prefix.
  console.log(`Colloquy API on ${server.url}`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close().catch((error: unknown) => console.error(error));
    await bus?.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? `colloquy-server: ${error.message}` : error);
  process.exit(1);
});
