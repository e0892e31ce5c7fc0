/**
 * `npm run bench [-- --json] [-- --only name,name]`: every suite in scripts/bench/*.ts, one process.
 *
 * These machines are noisy, so a suite reports ratios measured inside the same run (ours against a
 * baseline, timed alternately) or distributions, never absolute times compared with a threshold.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

export interface BenchResult {
  /** Stable identifier, e.g. `fedavg-vs-naive`. */
  name: string;
  /** The headline number: a ratio (or a figure whose unit the detail states). */
  ratio: number;
  /** What was measured and how, in one line a reader can check. */
  detail: string;
  /** The target, when the issue sets one, as text (e.g. `≥ 3`). */
  target?: string;
  /** Whether the target was met; absent when there is no target. */
  ok?: boolean;
}

export interface BenchSuite {
  /** Shown in the table header. */
  title: string;
  run(log: (line: string) => void): Promise<BenchResult[]>;
}

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = onlyArg ? onlyArg.slice('--only='.length).split(',') : null;
const log = (line: string) => process.stderr.write(line + '\n');

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();
const results: BenchResult[] = [];
for (const file of files) {
  const suiteName = file.replace(/\.ts$/, '');
  if (only && !only.includes(suiteName)) continue;
  const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { default: BenchSuite };
  log(`# ${mod.default.title}`);
  results.push(...(await mod.default.run(log)));
}

if (json) {
  process.stdout.write(JSON.stringify({ results }, null, 2) + '\n');
} else {
  const rows = results.map((r) => [r.name, r.ratio.toFixed(3), r.target ?? '', r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED', r.detail]);
  const head = ['name', 'ratio', 'target', '', 'detail'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  console.log(fmt(head));
  for (const r of rows) console.log(fmt(r));
}
