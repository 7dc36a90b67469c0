// The CPU time each thread of a running process uses, from Linux's /proc: each thread's user and
// system time (fields 14 and 15 of /proc/PID/task/TID/stat, in clock ticks) and its name
// (/proc/PID/task/TID/comm), read every `interval` ms while the process runs, keeping the last
// values seen for each thread, so that a thread that exits before the process still counts (less
// what it used after the last reading). Threads are grouped by name; bench/thread-names.js gives
// a Node.js process's threads names that say what they are.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** User + system ticks of one thread; null once it is gone. */
function threadTicks(pid, tid) {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // The name, in parentheses, may hold spaces and parentheses: fields are counted after the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Field 3 (the state) is fields[0], so fields 14 and 15 are fields[11] and fields[12].
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

function threadName(pid, tid) {
  try {
    return readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/** The first child of process `pid` (the command /usr/bin/time runs); null while it has none. */
export function childOf(pid) {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return children === '' ? null : Number(children.split(' ')[0]);
  } catch {
    return null;
  }
}

/**
 * Samples the threads of the process `findPid()` names (null while it is not started) until
 * stop(), which returns seconds of CPU by thread name, and how many threads had each name.
 */
export function sampleThreads(findPid, interval = 250) {
  /** tid → last name and ticks seen. */
  const seen = new Map();
  let pid = null;
  const sample = () => {
    pid ??= findPid();
    if (pid === null) return;
    let tids;
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      return;
    }
    for (const tid of tids) {
      const ticks = threadTicks(pid, tid);
      const name = threadName(pid, tid);
      if (ticks === null || name === null) continue;
      seen.set(tid, { name, ticks });
    }
  };
  const timer = setInterval(sample, interval);
  sample();
  return {
    stop() {
      clearInterval(timer);
      const byName = new Map();
      for (const { name, ticks } of seen.values()) {
        const entry = byName.get(name) ?? { seconds: 0, threads: 0 };
        entry.seconds += ticks / TICKS_PER_SECOND;
        entry.threads++;
        byName.set(name, entry);
      }
      return byName;
    },
  };
}
