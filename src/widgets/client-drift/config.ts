/**
 * The two runs the widget compares: identical settings and seed, one with an IID split and one
 * with Dirichlet(α) label skew. Imports only the engine's config module (no tfjs).
 */
import { defaultConfig } from '~/engine/config';
import type { RunConfig } from '~/engine/types';
import type { DriftValues } from './params';

export const BOUNDARY_GRID = 32;

export type Side = 'iid' | 'skew';

export function toRunConfig(v: DriftValues, side: Side): RunConfig {
  return defaultConfig({
    algorithm: v.mu > 0 ? 'fedprox' : 'fedavg',
    dataset: { name: v.data, noise: 0.15, size: 320 },
    model: { kind: 'mlp', hidden: [8, 8], activation: 'tanh' },
    partition: side === 'iid' ? { kind: 'iid', alpha: v.alpha, shardsPerClient: 2 } : { kind: 'dirichlet', alpha: v.alpha, shardsPerClient: 2 },
    clients: v.clients,
    fraction: 1,
    localEpochs: v.epochs,
    batchSize: 10,
    lr: v.lr,
    rounds: v.rounds,
    mu: v.mu,
    weighting: 'samples',
    seed: v.seed,
    shuffle: true,
  });
}
