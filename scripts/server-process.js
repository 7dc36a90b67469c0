// Runs the real `colloquy-server` bin as a child process and waits until it listens.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const SERVER_BIN = fileURLToPath(new URL('../packages/server/dist/cli.js', import.meta.url));
const READY = /Colloquy API on (\S+)/;

/**
 * @param {{ env?: Record<string, string | undefined>, args?: string[], stdio?: 'pipe' | 'inherit' }} [options]
 * @returns {Promise<{ url: string, port: number, child: import('node:child_process').ChildProcess, stop(signal?: NodeJS.Signals): Promise<number | null> }>}
 */
export function startServerProcess({ env = {}, args = [] } = {}) {
  const child = spawn(process.execPath, [SERVER_BIN, 'serve', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (signal = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const match = READY.exec(output);
      if (match) {
        child.stdout.off('data', onData);
        child.stdout.resume();
        const url = new URL(match[1]);
        resolve({ url: url.origin, port: Number(url.port), child, stop });
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.once('exit', (code) =>
      reject(new Error(`colloquy-server exited with ${code} before listening:\n${output}`)),
    );
  });
}
