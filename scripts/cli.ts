/**
 * What every command in scripts/ does with its command line: a bad flag prints one line and the
 * command exits with 2; --help prints the help and exits with 0; an error exits with 1.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A bad command line; the message is one line, printed after the command's name. */
export class UsageError extends Error {}

/**
 * The options `parse` makes of argv, or the exit code when there is nothing to run: 2 after a
 * UsageError (printed as `command: message`), 0 after printing the help.
 */
export function commandLine<T extends { help: boolean }>(command: string, argv: string[], parse: (argv: string[]) => T, help: () => string): T | number {
  let opts: T;
  try {
    opts = parse(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${command}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (opts.help) {
    process.stdout.write(help());
    return 0;
  }
  return opts;
}

/**
 * Runs `main` with the command line when the file at `moduleUrl` is the one Node was started with
 * (not when a test imports it); its result is the exit code, an error exits with 1 and one line.
 */
export function runIfMain(moduleUrl: string, command: string, main: (argv: string[]) => Promise<number>): void {
  if (!process.argv[1] || path.resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${command}: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

/**
 * What a flag takes: one of `values`, a number, comma-separated positive integers (`example`
 * shows one), a batch size (a positive integer or 'all'), or nothing (a switch).
 */
export type FlagType =
  | { kind: 'choice'; values: () => readonly string[] }
  | { kind: 'number' }
  | { kind: 'list'; example: string }
  | { kind: 'batch' }
  | { kind: 'bool' };

/** One flag of a command: what it takes, its help line, and the config field it sets (dotted). */
export interface Flag {
  type: FlagType;
  help: string;
  /** For mapping a validation problem of that field back to the flag. */
  field?: string;
}

export const num = { kind: 'number' } as const;
export const bool = { kind: 'bool' } as const;
export const batch = { kind: 'batch' } as const;
export const list = (example: string) => ({ kind: 'list', example }) as const;
/** The values may be a function, for lists that are only complete once their modules have loaded. */
export const choice = (values: readonly string[] | (() => readonly string[])) =>
  ({ kind: 'choice', values: typeof values === 'function' ? values : () => values }) as const;

/** How a command's flags are named in its messages. */
export interface FlagWords {
  /** Where the help is, e.g. `--help` or `--accountant --help`. */
  help: string;
  /** The message for a flag the command does not know; `valid` lists its flags. */
  unknown(name: string, valid: string): string;
  /** Whether a missing value names what the flag takes: `--lr needs a value (a number)`. */
  sayValues?: boolean;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** What the flag takes, in a few words (`a number`, `mean|median`). */
export function describeValues(type: FlagType): string {
  if (type.kind === 'choice') return type.values().join('|');
  if (type.kind === 'batch') return "an integer or 'all'";
  if (type.kind === 'list') return `e.g. ${type.example}`;
  return 'a number';
}

/** `value` read as the flag's type; throws UsageError with one line. */
function flagValue(name: string, type: Exclude<FlagType, { kind: 'bool' }>, value: string): unknown {
  if (type.kind === 'choice') {
    if (!type.values().includes(value)) throw new UsageError(`--${name} must be one of ${type.values().join('|')} (got '${value}')`);
    return value;
  }
  if (type.kind === 'number') {
    if (!NUMBER.test(value)) throw new UsageError(`--${name} needs a number (got '${value}')`);
    return Number(value);
  }
  if (type.kind === 'batch') {
    if (value === 'all') return 'all';
    if (/^\d+$/.test(value)) return Number(value);
    throw new UsageError(`--${name} must be a positive integer or 'all' (got '${value}')`);
  }
  const parts = value.trim() === '' ? [] : value.split(',');
  if (parts.some((p) => !/^\d+$/.test(p.trim()))) throw new UsageError(`--${name} must be comma-separated positive integers, e.g. ${type.example} (got '${value}')`);
  return parts.map((p) => Number(p.trim()));
}

/**
 * The flags of argv in order, each with its value read by its type (`true` for a switch), as
 * `--name value` or `--name=value`; throws UsageError with one line for anything else.
 */
export function readFlags(argv: string[], flags: Record<string, Flag>, words: FlagWords): Array<{ name: string; value: unknown }> {
  const given: Array<{ name: string; value: unknown }> = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}' (flags start with --; see ${words.help})`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const def = flags[name];
    if (!def) throw new UsageError(words.unknown(name, Object.keys(flags).map((f) => '--' + f).join(' ')));
    if (def.type.kind === 'bool') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      given.push({ name, value: true });
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value${words.sayValues ? ` (${describeValues(def.type)})` : ''}`);
      value = argv[++i];
    }
    given.push({ name, value: flagValue(name, def.type, value) });
  }
  return given;
}

/** The help's list of flags: each flag with what it takes, and its help line below. */
export function flagHelp(flags: Record<string, Flag>): string {
  return Object.entries(flags)
    .map(([name, d]) => `  --${name}${d.type.kind === 'bool' ? '' : ` <${describeValues(d.type)}>`}\n      ${d.help}`)
    .join('\n');
}

/** Config field → the flag that sets it, for naming the flag in a validation problem. */
export function flagsByField(flags: Record<string, Flag>): Map<string, string> {
  return new Map(Object.entries(flags).flatMap(([name, d]) => (d.field ? [[d.field, name]] : [])));
}
