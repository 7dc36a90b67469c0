import { parseArgs } from 'node:util';

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

export type Env = Record<string, string | undefined>;

/**
 * One setting of a command: where it is read from (a flag, else an environment variable, else
 * its default), how its text becomes a value, and how the usage describes it. A command's
 * settings are one table, from which both its parser and its usage text are made.
 */
export interface Setting<T> {
  /** The flag without its dashes (`port` for `--port`); null when only the environment sets it. */
  flag: string | null;
  /** The environment variable read when the flag is not given. */
  env?: string;
  /** What the usage shows after the flag (`N`, `FILE`); absent for a switch, which takes no value. */
  value?: string;
  /** What the setting does, for the usage. */
  help: string;
  /** The default as the usage words it; absent: none is shown. */
  shownDefault?: string;
  /**
   * Whether an empty environment variable is read as a value; by default it counts as unset,
   * as `VAR=` usually means in a shell or a container's environment.
   */
  emptyEnvIsValue?: boolean;
  /** Reads the text of the flag or variable (of the variable only, for a switch); throws UsageError. */
  parse(text: string): T;
  /** The value when neither flag nor variable is given; sees the settings read before it. */
  fallback(earlier: Readonly<Record<string, unknown>>): T;
}

export type Settings = Record<string, Setting<unknown>>;
export type Values<S extends Settings> = { [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

/**
 * Reads `settings` in their order: flags win over environment variables, which win over
 * defaults. `args` are the command's arguments (after the command's name). The flags are
 * tokenized by `node:util` parseArgs and checked here, so a mistake gets a message that says
 * what to do.
 */
export function readSettings<S extends Settings>(settings: S, env: Env, args: readonly string[]): Values<S> {
  const byFlag = new Map<string, Setting<unknown>>();
  for (const setting of Object.values(settings)) if (setting.flag !== null) byFlag.set(setting.flag, setting);
  const options = Object.fromEntries(
    [...byFlag].map(([flag, setting]) => [
      flag,
      { type: setting.value === undefined ? ('boolean' as const) : ('string' as const) },
    ]),
  );
  const { tokens } = parseArgs({
    args: [...args],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });

  const given = new Map<string, string | true>();
  for (const token of tokens) {
    if (token.kind === 'positional') throw new UsageError(`Unknown option "${token.value}".`);
    if (token.kind === 'option-terminator') throw new UsageError('Unknown option "--".');
    const setting = byFlag.get(token.name);
    const written = token.inlineValue ? `${token.rawName}=${token.value}` : token.rawName;
    if (setting === undefined || (setting.value === undefined && token.value !== undefined)) {
      throw new UsageError(`Unknown option "${written}".`);
    }
    if (setting.value === undefined) {
      given.set(token.name, true);
      continue;
    }
    // A flag followed by another flag has no value, even though parseArgs took the next one as it.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
      throw new UsageError(`Option --${token.name} needs a value.`);
    }
    given.set(token.name, token.value);
  }

  const values: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(settings)) {
    const flagged = setting.flag === null ? undefined : given.get(setting.flag);
    if (flagged === true) {
      values[key] = true;
      continue;
    }
    const fromEnv = setting.env === undefined ? undefined : env[setting.env];
    const text = flagged ?? (fromEnv === '' && !setting.emptyEnvIsValue ? undefined : fromEnv);
    values[key] = text === undefined ? setting.fallback(values) : setting.parse(text);
  }
  return values as Values<S>;
}

const FLAG_COLUMN = 28;
const WIDTH = 104;

/** The options part of a usage text: one entry per flag, then the variables without a flag. */
export function describeSettings(settings: Settings): string {
  const lines: string[] = [];
  const entry = (label: string, text: string) => {
    let line = `  ${label}`;
    line = line.length < FLAG_COLUMN ? line.padEnd(FLAG_COLUMN) : `${line} `;
    let empty = true; // nothing written after the label on this line yet
    for (const word of text.split(' ')) {
      if (!empty && line.length + 1 + word.length > WIDTH) {
        lines.push(line);
        line = ' '.repeat(FLAG_COLUMN);
        empty = true;
      }
      line += empty ? word : ` ${word}`;
      empty = false;
    }
    lines.push(line);
  };
  const described = (setting: Setting<unknown>, withVariable = true) => {
    const variable =
      setting.env === undefined || !withVariable
        ? ''
        : setting.value === undefined
          ? ` [${setting.env}=1]`
          : ` [${setting.env}]`;
    const shown = setting.shownDefault === undefined ? '' : ` (default: ${setting.shownDefault})`;
    return `${setting.help}${variable}${shown}`;
  };
  const all = Object.values(settings);
  for (const setting of all) {
    if (setting.flag !== null)
      entry(`--${setting.flag}${setting.value === undefined ? '' : ` ${setting.value}`}`, described(setting));
  }
  entry('-h, --help', 'show this help');
  const envOnly = all.filter((setting) => setting.flag === null && setting.env !== undefined);
  if (envOnly.length > 0) {
    lines.push('', 'Read from the environment only:');
    for (const setting of envOnly) entry(setting.env ?? '', described(setting, false));
  }
  return `${lines.join('\n')}\n`;
}
