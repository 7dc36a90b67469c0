import { createRequire } from 'node:module';

export interface AppConfig {
  /** Host page origins that may call the API from a browser (CORS) and write. */
  allowedOrigins: string[];
  /** Bearer token for admin calls; null refuses them all. */
  adminToken: string | null;
  /** The embed bundle served at /widget.js. */
  widgetBundlePath: string;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Top-level threads per page of replies, when the client does not ask. */
  pageSize: number;
}

/** Where npm puts the widget's script-tag bundle; rollup writes it, so it may not exist yet. */
export function defaultWidgetBundlePath(): string {
  const require = createRequire(import.meta.url);
  try {
    return require.resolve('@colloquy/widget/colloquy.js');
  } catch {
    // resolve() fails when the file is missing; point at where it will be once built.
    return require.resolve('@colloquy/widget/package.json').replace(/package\.json$/, 'dist/colloquy.js');
  }
}

export function defaultConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    allowedOrigins: demoOrigins(8080),
    adminToken: null,
    widgetBundlePath: overrides.widgetBundlePath ?? defaultWidgetBundlePath(),
    maxBodyBytes: 64 * 1024,
    pageSize: 20,
    ...overrides,
  };
}

const demoOrigins = (port: number) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`];

/** What the CLI needs: the app's config plus where to listen and which database to open. */
export interface ServerOptions {
  port: number;
  /** Undefined: Node's default, all interfaces. */
  hostname: string | undefined;
  dbFile: string;
  seed: boolean;
  app: AppConfig;
}

/** A mistake in the command line or environment; the CLI prints it with the usage and exits. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: colloquy-server serve [options]

Options (each also read from the environment variable in brackets):
  --port N                  port to listen on, 0 for any free port [PORT] (default 8787)
  --host H                  interface to listen on [HOST] (default: all)
  --db FILE                 SQLite database file [COLLOQUY_DB] (default ./data/colloquy.db)
  --allowed-origins a,b     host page origins that may embed and write [COLLOQUY_ALLOWED_ORIGINS]
                            (default http://localhost:$DEMO_PORT,http://127.0.0.1:$DEMO_PORT, DEMO_PORT 8080)
  --admin-token T           bearer token for admin calls [COLLOQUY_ADMIN_TOKEN] (default: admin calls refused)
  --seed                    insert the demo topic when the database has none [COLLOQUY_SEED=1]
  -h, --help                show this help
`;

const VALUE_FLAGS = ['--port', '--host', '--db', '--allowed-origins', '--admin-token'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

/**
 * Flags win over environment variables, which win over defaults. `argv` is what follows the
 * program name, starting with the command (`serve`, which may be omitted).
 */
export function loadConfig(env: Record<string, string | undefined>, argv: readonly string[]): ServerOptions {
  if (env['DATABASE_URL']) {
    throw new UsageError(
      'DATABASE_URL is set, but the PostgreSQL store is not available in this version of colloquy-server. ' +
        'Unset DATABASE_URL to use SQLite (COLLOQUY_DB).',
      1,
    );
  }
  const args = [...argv];
  if (args[0] === 'serve') args.shift();
  else if (args[0] !== undefined && !args[0].startsWith('-')) throw new UsageError(`Unknown command "${args[0]}".`);

  const flags: Partial<Record<ValueFlag, string>> = {};
  let seed = env['COLLOQUY_SEED'] === '1' || env['COLLOQUY_SEED'] === 'true';
  while (args.length > 0) {
    const arg = args.shift()!;
    if (arg === '--seed') {
      seed = true;
      continue;
    }
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (!(VALUE_FLAGS as readonly string[]).includes(name)) throw new UsageError(`Unknown option "${arg}".`);
    const value = inline ?? args.shift();
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new UsageError(`Option ${name} needs a value.`);
    }
    flags[name as ValueFlag] = value;
  }

  const portText = flags['--port'] ?? env['PORT'] ?? '8787';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`Port must be 0–65535, got "${portText}".`);

  const demoPortText = env['DEMO_PORT'] ?? '8080';
  const demoPort = Number(demoPortText);
  if (!/^\d+$/.test(demoPortText) || demoPort > 65535) throw new UsageError(`DEMO_PORT must be a port, got "${demoPortText}".`);

  const originsText = flags['--allowed-origins'] ?? env['COLLOQUY_ALLOWED_ORIGINS'];
  const allowedOrigins = originsText === undefined ? demoOrigins(demoPort) : parseOrigins(originsText);

  const adminToken = flags['--admin-token'] ?? env['COLLOQUY_ADMIN_TOKEN'] ?? '';
  return {
    port,
    hostname: flags['--host'] ?? (env['HOST'] || undefined),
    dbFile: flags['--db'] ?? (env['COLLOQUY_DB'] || './data/colloquy.db'),
    seed,
    app: defaultConfig({ allowedOrigins, adminToken: adminToken === '' ? null : adminToken }),
  };
}

/** Origins are compared with the browser's `Origin` header, so they are normalized the same way. */
function parseOrigins(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      let url: URL;
      try {
        url = new URL(s);
      } catch {
        throw new UsageError(`"${s}" in the allowed origins is not an origin like https://example.org.`);
      }
      if (url.origin === 'null') throw new UsageError(`"${s}" in the allowed origins is not an http(s) origin.`);
      return url.origin;
    });
}
