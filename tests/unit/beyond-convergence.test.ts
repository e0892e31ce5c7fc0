/**
 * What SCAFFOLD and FedAdam are for, measured on digits (real training, fixed seeds):
 *
 * - On strongly skewed clients (Dirichlet α = 0.1, K = 10, E = 5) SCAFFOLD reaches the target in
 *   no more rounds than FedAvg, each at its best learning rate from the same small grid.
 * - FedAdam reaches 85% on IID digits.
 *
 * To stay affordable a run stops as soon as it reaches the target, and is cut at the best round
 * count found so far (SCAFFOLD's, for FedAvg): reaching the target later would change neither
 * the best learning rate nor the verdict.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { run, roundsToTarget, type RunConfig } from '~/engine/index';
import { data, defaultConfig, setup } from './engine-helpers';

beforeAll(setup);

/** Rounds to `target` (interpolated), or null if it is not reached within config.rounds. */
async function roundsTo(config: RunConfig, target: number): Promise<number | null> {
  const accs: number[] = [];
  for await (const e of run(config, { data })) {
    if (e.type === 'run-diverged') return null;
    if (e.type === 'round-metrics') {
      accs.push(e.metrics.testAccuracy);
      if (e.metrics.testAccuracy >= target) break;
    }
  }
  return roundsToTarget(accs, target);
}

/** The grid, the usual best first so that the cut applies early. */
const GRID = [0.3, 0.1, 1];
const TARGET = 0.85;
const MAX_ROUNDS = 20;

describe('SCAFFOLD against FedAvg on skewed digits', () => {
  it(`reaches ${100 * TARGET}% in no more rounds, each at its best learning rate`, async () => {
    const skewed = (algorithm: 'fedavg' | 'scaffold', lr: number, rounds: number) =>
      defaultConfig({
        algorithm,
        dataset: { name: 'digits', noise: 0, size: 0 },
        model: { hidden: [32] },
        partition: { kind: 'dirichlet', alpha: 0.1 },
        clients: 10,
        fraction: 1,
        localEpochs: 5,
        batchSize: 50,
        lr,
        rounds,
        seed: 1,
      });
    const best = async (algorithm: 'fedavg' | 'scaffold', cap: number) => {
      const found: Array<{ lr: number; rounds: number | null }> = [];
      for (const lr of GRID) {
        const rounds = await roundsTo(skewed(algorithm, lr, cap), TARGET);
        found.push({ lr, rounds });
        if (rounds !== null) cap = Math.min(cap, Math.ceil(rounds));
      }
      const reached = found.filter((f) => f.rounds !== null).sort((a, b) => a.rounds! - b.rounds!);
      return { best: reached[0] ?? null, found };
    };
    const scaffold = await best('scaffold', MAX_ROUNDS);
    expect(scaffold.best, JSON.stringify(scaffold.found)).not.toBeNull();
    const fedavg = await best('fedavg', Math.ceil(scaffold.best!.rounds!));
    const fedavgRounds = fedavg.best?.rounds ?? Infinity;
    const show = (f: { lr: number; rounds: number | null }[]) => f.map((x) => `η=${x.lr}: ${x.rounds === null ? '—' : x.rounds.toFixed(2)}`).join(', ');
    console.log(`SCAFFOLD vs FedAvg, rounds to ${100 * TARGET}% (cut at the best so far): SCAFFOLD ${show(scaffold.found)}; FedAvg ${show(fedavg.found)}`);
    expect(scaffold.best!.rounds!, JSON.stringify({ scaffold: scaffold.found, fedavg: fedavg.found })).toBeLessThanOrEqual(fedavgRounds);
  });
});

describe('FedAdam', () => {
  it('reaches 85% on IID digits', async () => {
    const config = defaultConfig({
      algorithm: 'fedadam',
      dataset: { name: 'digits', noise: 0, size: 0 },
      model: { hidden: [32] },
      partition: { kind: 'iid' },
      clients: 10,
      fraction: 1,
      localEpochs: 1,
      batchSize: 20,
      lr: 0.1,
      serverLr: 0.1,
      rounds: 15,
      seed: 1,
    });
    const rounds = await roundsTo(config, 0.85);
    console.log(`FedAdam (η_g = 0.1, η = 0.1) on IID digits: 85% after ${rounds?.toFixed(2)} rounds`);
    expect(rounds).not.toBeNull();
  });
});
