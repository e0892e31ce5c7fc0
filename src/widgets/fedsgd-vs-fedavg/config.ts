/**
 * The grid of runs: FedSGD and five FedAvg settings (E, B) — the CNN rows of McMahan et al.
 * (2017), Table 2 — each at its best learning rate from a small multiplicative grid, on the 8×8
 * digits with 20 clients and C = 0.1 (two clients per round, as the paper's C = 0.1). Sized so
 * that the whole grid runs in a phone's browser in about a minute: runs stop as soon as their
 * best-so-far accuracy reaches the target, and a learning rate is abandoned once it has taken
 * as many rounds as the best one found for the same setting (it cannot beat it any more).
 */
import { defaultConfig } from '~/engine/config';
import type { RunConfig } from '~/engine/types';
import type { VersusValues } from './params';
import { pct } from '../renderers/format';

/**
 * McMahan et al. 2017, Table 2 (CNN, C = 0.1), in the table's order: each setting's key, row label,
 * algorithm, E and B, and the paper's rounds to 99% on IID and on pathological non-IID data.
 */
export const SETTINGS = [
  { key: 'fedsgd', label: 'FedSGD', algorithm: 'fedsgd', E: 1, B: 'all', paper: { iid: 626, shards: 483 } },
  { key: 'e5-binf', label: 'E=5, B=∞', algorithm: 'fedavg', E: 5, B: 'all', paper: { iid: 179, shards: 1000 } },
  { key: 'e1-b50', label: 'E=1, B=50', algorithm: 'fedavg', E: 1, B: 50, paper: { iid: 65, shards: 600 } },
  { key: 'e1-b10', label: 'E=1, B=10', algorithm: 'fedavg', E: 1, B: 10, paper: { iid: 34, shards: 350 } },
  { key: 'e5-b10', label: 'E=5, B=10', algorithm: 'fedavg', E: 5, B: 10, paper: { iid: 20, shards: 229 } },
  { key: 'e20-b10', label: 'E=20, B=10', algorithm: 'fedavg', E: 20, B: 10, paper: { iid: 18, shards: 173 } },
] as const;

export type Setting = (typeof SETTINGS)[number];

/** Learning rates tried per setting, middle first (the paper tuned η on a multiplicative grid). */
export const LEARNING_RATES = [0.3, 1, 0.1] as const;

/** At most this many rounds per run. */
export const MAX_ROUNDS = 150;

export const CLIENTS = 20;
export const FRACTION = 0.1;
export const HIDDEN = [32];

export function toRunConfig(v: VersusValues, s: Setting, lr: number, rounds: number): RunConfig {
  return defaultConfig({
    algorithm: s.algorithm,
    dataset: { name: 'digits', noise: 0, size: 0 },
    model: { kind: 'mlp', hidden: HIDDEN, activation: 'relu' },
    partition: { kind: v.partition, alpha: 0.5, shardsPerClient: 2 },
    clients: CLIENTS,
    fraction: FRACTION,
    localEpochs: s.E,
    batchSize: s.B,
    lr,
    rounds,
    seed: v.seed,
  });
}

/** The two pictures' titles: this browser's target, and the paper's split. */
export function titles(v: Pick<VersusValues, 'target' | 'partition'>): { here: string; paper: string } {
  return {
    here: `이 브라우저에서 (digits, 목표 ${pct(Number(v.target), 0)})`,
    paper: `논문 표 2 (MNIST, CNN, 목표 99%, ${v.partition === 'iid' ? 'IID' : '극단적 Non-IID'})`,
  };
}
