/**
 * Where an import prepares its bodies. Converting HTML to Markdown, checking and rendering it
 * is about half of an import's work (a Disqus import's profile: htmlparser2 or, for the rest,
 * parse5 and the hast and mdast utilities, then markdown-it; reading the XML and writing the
 * store the other half), and each body is independent of the others, so a large import
 * spreads them over worker threads, one per core but one, while the main thread reads the file
 * and writes the store. A small import (one batch) converts on the main thread and starts no
 * worker.
 */
import { availableParallelism } from 'node:os';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { BodySource } from './body.js';
import { prepareBody, type PreparedBody } from './prepare.js';

export interface BodyConverter {
  /** The bodies prepared, in the order given. */
  prepare(sources: ReadonlyArray<string | BodySource>): Promise<PreparedBody[]>;
  close(): Promise<void>;
}

/**
 * One worker per core but the one the main thread reads and writes on, at most 4: each worker
 * is a JavaScript heap of its own (about 50 MB of peak RSS each in the import bench), and on two
 * cores one worker keeps the import under the 300 MB it is held to.
 */
export const defaultWorkers = (): number => Math.max(1, Math.min(4, availableParallelism() - 1));

/** Prepares on the calling thread. */
export const inlineConverter: BodyConverter = {
  prepare: async (sources) => sources.map(prepareBody),
  close: async () => {},
};

/**
 * The most a worker's JavaScript heap may hold, in MB. A worker holds one batch's bodies and
 * what converting one of them takes, a few MB, but V8 lets a heap grow to about four times what
 * it holds before collecting it when no limit is given, and to about 1.3 times under a limit this
 * small: in the import bench this keeps about 40 MB of peak RSS off each worker. A body that
 * needs more than this (megabytes of HTML) stops the worker; the converter then prepares the
 * rest on the calling thread, whose heap has no such limit (see workerConverter).
 */
export const WORKER_HEAP_MB = 256;

/**
 * A worker thread running `module` (a path beside `base`, without its extension): the build's
 * module, or, when running from the TypeScript source (tests, tsx), the source through tsx,
 * which a worker thread does not inherit.
 */
export function moduleWorker(base: string, module: string, options: WorkerOptions = {}): Worker {
  if (!base.endsWith('.ts')) return new Worker(new URL(`${module}.js`, base), options);
  const source = new URL(`${module}.ts`, base).href;
  return new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`,
    { ...options, eval: true },
  );
}

function startWorker(heapMb: number): Worker {
  return moduleWorker(import.meta.url, './convert-worker', {
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
  });
}

interface Reply {
  id: number;
  results?: PreparedBody[];
  error?: string;
}

/**
 * `count` worker threads; each call splits its bodies among them in contiguous runs. Should a
 * worker stop (its heap full), the bodies it had and every later call are prepared on the
 * calling thread: the same function, so the same results, only not in parallel.
 */
export function workerConverter(count: number, heapMb = WORKER_HEAP_MB): BodyConverter {
  const workers = Array.from({ length: count }, () => startWorker(heapMb));
  const waiting = new Map<number, { resolve: (r: PreparedBody[]) => void; reject: (e: Error) => void }>();
  let next = 0;
  let failure: Error | null = null;
  for (const worker of workers) {
    worker.on('message', (reply: Reply) => {
      const entry = waiting.get(reply.id);
      if (entry === undefined) return;
      waiting.delete(reply.id);
      if (reply.results) entry.resolve(reply.results);
      else entry.reject(new Error(`Converting comment bodies failed: ${reply.error ?? 'unknown error'}`));
    });
    worker.on('error', (error) => {
      failure = error;
      for (const entry of waiting.values()) entry.reject(error);
      waiting.clear();
    });
  }
  const send = (worker: Worker, sources: ReadonlyArray<string | BodySource>) =>
    new Promise<PreparedBody[]>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = next++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, sources });
    });
  return {
    async prepare(sources) {
      if (failure) return inlineConverter.prepare(sources);
      const size = Math.ceil(sources.length / workers.length);
      const parts = await Promise.all(
        workers.flatMap((worker, k) => {
          const part = sources.slice(k * size, (k + 1) * size);
          return part.length === 0
            ? []
            : [
                send(worker, part).catch((error: unknown) =>
                  failure ? part.map(prepareBody) : Promise.reject(error),
                ),
              ];
        }),
      );
      return parts.flat();
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
