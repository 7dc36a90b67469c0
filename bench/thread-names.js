// Preloaded into the import bench's command (`node --import bench/thread-names.js`, which worker
// threads inherit): names the process's threads by their part, so that the CPU each thread used
// (bench/thread-cpu.js, from /proc) can be told apart. Node.js names all of them "node".
//
// The threads a Node.js 20 process starts before any script runs come in a fixed order (checked
// with gdb's backtraces): V8's platform (one delayed-task thread, then the --v8-pool-size
// workers, 4 by default: garbage collection helpers, concurrent compilation), then the
// inspector's signal thread, then libuv's thread pool (file reads, among others), which is started
// here first if it is not yet, so that no later thread inherits a name given here. A worker thread
// starts with the name of the thread that made it, so each JavaScript thread renames itself: the
// import's thread (its data carries the command's options) and the body workers.
import { readdirSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isMainThread, workerData } from 'node:worker_threads';

const V8_PLATFORM_THREADS = 1 + 4;

/** `tid`: a thread of this process; none: the calling thread. */
const name = (text, tid) => {
  try {
    // A thread's name is at most 15 bytes; the kernel cuts a longer one.
    writeFileSync(
      tid === undefined ? '/proc/thread-self/comm' : `/proc/${process.pid}/task/${tid}/comm`,
      text,
    );
  } catch {
    // The thread exited meanwhile; nothing to name.
  }
};

if (isMainThread) {
  await stat('/');
  const others = readdirSync(`/proc/${process.pid}/task`)
    .map(Number)
    .filter((tid) => tid !== process.pid)
    .sort((a, b) => a - b);
  for (const [index, tid] of others.entries()) {
    const part =
      index < V8_PLATFORM_THREADS
        ? 'v8-platform'
        : index === V8_PLATFORM_THREADS
          ? 'inspector'
          : 'libuv-pool';
    name(part, tid);
  }
  name('main');
} else {
  name(workerData?.options === undefined ? 'body-worker' : 'import');
}
