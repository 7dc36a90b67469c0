/**
 * `colloquy-server import` on a thread of its own, whose JavaScript heap has a limit.
 *
 * An import reads, holds and lets go of a batch after another, and V8 lets a heap without a
 * limit grow to about four times what it holds before collecting it: in the import bench the
 * main thread held about 30 MB and grew to 165 MB. Under a limit V8 collects sooner (about 1.6
 * times what it holds under this one), which keeps the command's peak RSS under 300 MB at the
 * cost of more frequent collections. The limit is far above what an import holds (one to three
 * batches), so it bounds only the garbage. The thread's output is written by the calling thread
 * as it comes, the progress bar included; a usage error comes back as one.
 */
import { Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { moduleWorker } from '../import/convert-pool.js';
import { importCommand, type ImportOptions, type Output } from './import.js';
import { UsageError } from './settings.js';

/**
 * The import thread's heap: its old generation's limit, and its young generation's, in MB. A
 * young generation smaller than V8's 48 MB default held about 25 MB less peak RSS in the import
 * bench, for a few per cent more time collecting.
 */
export const IMPORT_HEAP_MB = 1024;
export const IMPORT_YOUNG_HEAP_MB = 16;

type Message =
  | { kind: 'write'; stream: 'stdout' | 'stderr'; text: string }
  | { kind: 'done' }
  | { kind: 'usage'; message: string; exitCode: number }
  | { kind: 'error'; message: string; stack?: string };

interface ThreadData {
  options: ImportOptions;
  stderr: { isTTY: boolean; columns?: number };
}

export function importInThread(options: ImportOptions, output: Output): Promise<void> {
  const stderr = output.stderr as Output['stderr'] & { columns?: number };
  const data: ThreadData = {
    options,
    stderr: {
      isTTY: stderr.isTTY === true,
      ...(stderr.columns === undefined ? {} : { columns: stderr.columns }),
    },
  };
  const worker = moduleWorker(import.meta.url, './import-thread', {
    workerData: data,
    resourceLimits: {
      maxOldGenerationSizeMb: IMPORT_HEAP_MB,
      maxYoungGenerationSizeMb: IMPORT_YOUNG_HEAP_MB,
    },
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.on('message', (message: Message) => {
      if (message.kind === 'write') output[message.stream].write(message.text);
      else {
        settled = true;
        if (message.kind === 'done') resolve();
        else if (message.kind === 'usage') reject(new UsageError(message.message, message.exitCode));
        else reject(Object.assign(new Error(message.message), message.stack ? { stack: message.stack } : {}));
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`The import stopped (its thread exited with code ${code}).`));
    });
  });
}

/** The thread: runs the command with streams that hand what it writes to the calling thread. */
async function runThread(port: NonNullable<typeof parentPort>, data: ThreadData): Promise<void> {
  const post = (message: Message) => port.postMessage(message);
  const stream = (name: 'stdout' | 'stderr') =>
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        post({ kind: 'write', stream: name, text: String(chunk) });
        callback();
      },
    });
  try {
    await importCommand(data.options, {
      stdout: stream('stdout'),
      stderr: Object.assign(stream('stderr'), data.stderr),
    });
    post({ kind: 'done' });
  } catch (error) {
    if (error instanceof UsageError)
      post({ kind: 'usage', message: error.message, exitCode: error.exitCode });
    else if (error instanceof Error)
      post({ kind: 'error', message: error.message, ...(error.stack ? { stack: error.stack } : {}) });
    else post({ kind: 'error', message: String(error) });
  } finally {
    port.close();
  }
}

if (parentPort !== null && (workerData as { options?: unknown } | null)?.options !== undefined)
  void runThread(parentPort, workerData as ThreadData);
