import { join } from 'node:path';
import { createApp, defaultConfig, SqliteStore, type Store } from '../index.js';
import { ADMIN_TOKEN, ORIGIN, tempDir } from './helpers.js';

/** Counts the store's calls by method, so a test can tell a 304 read no replies. */
export function counting(store: Store): { store: Store; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const proxy = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function' || typeof name !== 'string') return value;
      return (...args: unknown[]) => {
        calls.set(name, (calls.get(name) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, calls };
}

/** Two server instances on one database file, as behind a load balancer. */
export async function twoInstances(overrides: Parameters<typeof defaultConfig>[0] = {}) {
  const { dir, cleanup } = await tempDir();
  const file = join(dir, 'shared.db');
  const config = defaultConfig({
    allowedOrigins: [ORIGIN],
    adminToken: ADMIN_TOKEN,
    widgetBundlePath: join(dir, 'missing.js'),
    replyRateLimit: 0,
    topicRateLimit: 0,
    writeRateLimit: 0,
    ...overrides,
  });
  const storeA = SqliteStore.open(file);
  const storeB = SqliteStore.open(file);
  const countedB = counting(storeB);
  return {
    a: createApp({ store: storeA, config }),
    b: createApp({ store: countedB.store, config }),
    callsB: countedB.calls,
    /** Instance A's store, for reading what a test cannot ask over HTTP. */
    store: storeA as Store,
    close: async () => {
      await storeA.close();
      await storeB.close();
      await cleanup();
    },
  };
}
