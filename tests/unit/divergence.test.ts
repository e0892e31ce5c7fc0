/**
 * One divergence rule for the pages and the command line: a training loss past
 * DEFAULT_DIVERGE_FACTOR times the loss of guessing, ln(classes), stops the run. The example that
 * set the factor: `--algorithm centralized --dataset moons --lr 10` must stop as diverged, as the
 * page does, although its dead ReLU network never takes the loss past ten times ln 2.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { collect, defaultConfig, ofType, setup } from './engine-helpers';
import { DEFAULT_DIVERGE_FACTOR, lossDiverged } from '~/engine/divergence';
import { Rng } from '~/engine/rng';
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

/** The CLI example's network: moons, an MLP [8, 8] with ReLU, B = 10, as `simulate` defaults. */
const moons = (lr: number, seed: number) => defaultConfig({ algorithm: 'centralized', dataset: { name: 'moons', noise: 0.1, size: 400 }, lr, seed, epochs: 20 });

describe('divergence rule', () => {
  test('property: it fires exactly when a finite loss exceeds factor × ln(max(2, classes))', () => {
    const rng = new Rng(7, 'divergence-property');
    let fired = 0;
    for (let i = 0; i < 2000; i++) {
      const classes = 1 + Math.floor(rng.next() * 12);
      const factor = 1 + rng.next() * 12;
      const bound = factor * Math.log(Math.max(2, classes));
      // Losses on both sides of the bound, some very close to it.
      const loss = bound * (i % 3 === 0 ? 1 + (rng.next() - 0.5) * 1e-6 : rng.next() * 2);
      const e = lossDiverged(loss, classes, factor, i);
      expect(e !== null).toBe(loss > bound);
      if (e) {
        fired++;
        expect(e).toMatchObject({ type: 'run-diverged', round: i });
      }
    }
    // Not trivially true: both answers occur.
    expect(fired).toBeGreaterThan(500);
    expect(fired).toBeLessThan(1500);
    // NaN and ∞ are the engine's own check, with its own message.
    expect(lossDiverged(Number.NaN, 2, 5, 1)).toBeNull();
    expect(lossDiverged(Number.POSITIVE_INFINITY, 2, 5, 1)).toBeNull();
  });

  test('the dead ReLU network at η = 10 stays under ten times ln 2 but passes five; η = 1 recovers below it', async () => {
    const chance = Math.log(2);
    for (const seed of [1, 2, 3]) {
      const losses = ofType(await collect(moons(10, seed)), 'round-metrics').map((e) => e.metrics.trainLoss);
      const worst = Math.max(...losses);
      // What made ten the wrong factor: the loss swings but never reaches 10 · ln 2 at seed 1.
      if (seed === 1) expect(worst).toBeLessThan(10 * chance);
      expect(worst, `seed ${seed}`).toBeGreaterThan(DEFAULT_DIVERGE_FACTOR * chance);
    }
    // A learning rate that trains (with a spike on the way at seed 2) is never stopped.
    const calm = await collect(moons(1, 2), { divergeFactor: DEFAULT_DIVERGE_FACTOR });
    expect(calm.at(-1)!.type).toBe('run-finished');
    expect(ofType(calm, 'round-metrics').at(-1)!.metrics.testAccuracy).toBeGreaterThan(0.95);
  }, 60_000);

  test('the engine stops a run whose loss has blown up, only when asked to', async () => {
    const asked = await collect(moons(10, 1), { divergeFactor: DEFAULT_DIVERGE_FACTOR });
    expect(asked.at(-1)!.type).toBe('run-diverged');
    const plain = await collect(moons(10, 1));
    expect(plain.at(-1)!.type).toBe('run-finished');
  });

  test('the command line says "diverged" for the example, as the page does', async () => {
    const { code, stdout } = await simulate(['--algorithm', 'centralized', '--dataset', 'moons', '--lr', '10', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.status).toBe('diverged');
    expect(report.rounds.length).toBeLessThan(20);
    expect(report.rounds.at(-1)!.trainLoss).toBeGreaterThan(DEFAULT_DIVERGE_FACTOR * Math.log(2));
  }, 120_000);
});
