/** Shared by the command-line tests: the real command as a process, and one-line usage errors. */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { UsageError } from '../../scripts/cli';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsx = path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/cli.mjs');

/** `npm run simulate -- args` as a real process (through tsx, as npm runs it); a string is split at spaces. */
export function simulate(args: string[] | string): Promise<{ code: number; stdout: string; stderr: string }> {
  const argv = typeof args === 'string' ? args.split(' ') : args;
  return new Promise((resolve) => {
    execFile(process.execPath, [tsx, 'scripts/simulate.ts', ...argv], { cwd: root, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The one-line message `parse` throws for a bad command line, or null when it parses. */
export function usageOf(parse: () => unknown): string | null {
  try {
    parse();
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  return null;
}

/** Expects `parse` to reject its command line with one line that matches `pattern`. */
export function expectUsageLine(parse: () => unknown, pattern: RegExp): void {
  const message = usageOf(parse);
  expect(message).toMatch(pattern);
  expect(message).not.toContain('\n');
}
