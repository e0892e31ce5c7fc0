/**
 * What every command in scripts/ does with its command line: a bad flag prints one line and the
 * command exits with 2; --help prints the help and exits with 0.
 */

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
