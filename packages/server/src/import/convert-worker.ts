/** A worker thread of an import: prepares the bodies it is sent (see convert-pool.ts). */
import { parentPort } from 'node:worker_threads';
import type { BodySource } from './body.js';
import { prepareBody } from './prepare.js';

parentPort?.on('message', (message: { id: number; sources: Array<string | BodySource> }) => {
  try {
    parentPort?.postMessage({ id: message.id, results: message.sources.map(prepareBody) });
  } catch (error) {
    parentPort?.postMessage({
      id: message.id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});
