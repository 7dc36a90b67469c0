#!/usr/bin/env node
import { exportCommand, exportOptions, USAGE as EXPORT_USAGE } from './cli/export.js';
import { importOptions, USAGE as IMPORT_USAGE } from './cli/import.js';
import { importInThread } from './cli/import-thread.js';
import { rerenderCommand, rerenderOptions, USAGE as RERENDER_USAGE } from './cli/rerender.js';
import { serve, serveOptions, USAGE as SERVE_USAGE } from './cli/serve.js';
import { UsageError } from './cli/settings.js';

/** A command of the CLI: its usage, and what it does with the environment and its arguments. */
interface Command {
  usage: string;
  run(env: NodeJS.ProcessEnv, args: string[]): Promise<void>;
}

const COMMANDS: Record<string, Command> = {
  serve: { usage: SERVE_USAGE, run: (env, args) => serve(serveOptions(env, args)) },
  import: {
    usage: IMPORT_USAGE,
    run: async (env, args) => {
      await importInThread(importOptions(env, args), { stdout: process.stdout, stderr: process.stderr });
    },
  },
  export: {
    usage: EXPORT_USAGE,
    run: async (env, args) => {
      await exportCommand(exportOptions(env, args), { stdout: process.stdout, stderr: process.stderr });
    },
  },
  rerender: {
    usage: RERENDER_USAGE,
    run: async (env, args) => {
      await rerenderCommand(rerenderOptions(env, args), { stdout: process.stdout, stderr: process.stderr });
    },
  },
};

async function main(argv: string[]): Promise<void> {
  // The command comes first; without one (no arguments, or an option first), it is serve.
  const first = argv[0];
  const named = first !== undefined && !first.startsWith('-');
  const name = named ? first : 'serve';
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  const usage = command?.usage ?? SERVE_USAGE;
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage);
    return;
  }
  try {
    if (!command) throw new UsageError(`Unknown command "${name}".`);
    await command.run(process.env, named ? argv.slice(1) : argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`colloquy-server: ${error.message}\n`);
    if (error.exitCode === 2) process.stderr.write(`\n${usage}`);
    process.exit(error.exitCode);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? `colloquy-server: ${error.message}` : error);
  process.exit(1);
});
