/**
 * One divergence rule for the pages and the command line: a training loss past ten times the
 * loss of guessing stops the run. Before, only the page applied it, so the command line called
 * `--algorithm centralized --dataset moons --lr 10` "finished" with a loss five times that of
 * guessing while the page said "diverged".
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { collect, defaultConfig, setup } from './engine-helpers';
import { DEFAULT_DIVERGE_FACTOR, lossDiverged } from '~/engine/divergence';
import type { JsonReport } from '../../scripts/simulate';

beforeAll(setup);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsx = path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/cli.mjs');

function simulate(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [tsx, 'scripts/simulate.ts', ...args], { cwd: root, maxBuffer: 64 << 20 }, (err, stdout) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout });
    });
  });
}

describe('divergence rule', () => {
  test('the bound is factor × ln(classes); NaN is left to the engine', () => {
    expect(lossDiverged(10 * Math.log(2) - 1e-9, 2, 10, 1)).toBeNull();
    expect(lossDiverged(10 * Math.log(2) + 1e-6, 2, 10, 4)).toMatchObject({ type: 'run-diverged', round: 4 });
    expect(lossDiverged(23, 10, 10, 1)).toBeNull(); // 10·ln 10 ≈ 23.03
    expect(lossDiverged(23.1, 10, 10, 1)).not.toBeNull();
    expect(lossDiverged(Number.NaN, 2, 10, 1)).toBeNull();
    expect(lossDiverged(Number.POSITIVE_INFINITY, 2, 10, 1)).toBeNull();
  });

  test('the engine stops a run whose loss has blown up, only when asked to', async () => {
    // Ten classes: the loss of guessing is ln 10, and a learning rate of 10 blows the loss up.
    const config = defaultConfig({ algorithm: 'centralized', dataset: { name: 'digits', noise: 0, size: 0 }, model: { kind: 'mlp', hidden: [32], activation: 'relu' }, lr: 10, epochs: 5 });
    const asked = await collect(config, { divergeFactor: 2 });
    expect(asked.at(-1)!.type).toBe('run-diverged');
    const plain = await collect(config);
    expect(plain.at(-1)!.type).not.toBe('run-diverged');
  });

  test('the command line applies the same rule as the page to the example', async () => {
    // --algorithm centralized --dataset moons --lr 10: the page's rule (ten times ln 2 ≈ 6.93)
    // and the command line now give the same verdict from the same losses.
    const { code, stdout } = await simulate(['--algorithm', 'centralized', '--dataset', 'moons', '--lr', '10', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as JsonReport;
    const worst = Math.max(...report.rounds.map((r) => r.trainLoss));
    expect(report.status).toBe(worst > DEFAULT_DIVERGE_FACTOR * Math.log(2) ? 'diverged' : 'finished');
  }, 120_000);
});
