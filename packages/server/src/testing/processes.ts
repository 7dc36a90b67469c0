import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Resolves once the process has exited. */
  exited: Promise<void>;
  /** Everything it printed so far. */
  output: () => string;
}

/**
 * Starts the real CLI (`args`, `serve` by default) in its own process, on any free port and
 * with no DATABASE_URL unless `env` says otherwise; resolves once it listens.
 */
export function startServer(env: Record<string, string>, args: string[] = ['serve']): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, PORT: '0', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Colloquy API on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, url: match[1]!, exited, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) =>
      reject(new Error(`exited (${code ?? signal}) before listening:\n${output}`)),
    );
  });
}
