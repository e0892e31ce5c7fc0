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
