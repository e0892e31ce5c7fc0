/**
 * The two runs the personalization figure compares: the same federated training on digits with
 * an IID split and with a Dirichlet(α) label skew, each followed by every client fine-tuning the
 * global model on its own examples. Imports only the engine's config module (no tfjs).
 */
import { defaultConfig } from '~/engine/config';
import type { RunConfig } from '~/engine/types';
import type { PersValues } from './params';

export type Side = 'iid' | 'skew';
export const SIDES: readonly Side[] = ['iid', 'skew'];

export function toRunConfig(v: PersValues, side: Side): RunConfig {
  return defaultConfig({
    algorithm: 'fedavg',
    dataset: { name: 'digits', noise: 0, size: 0 },
    // The chapter's digits model: one hidden layer of 32 (2,410 parameters).
    model: { kind: 'mlp', hidden: [32], activation: 'relu' },
    partition: side === 'iid' ? { kind: 'iid', alpha: v.alpha, shardsPerClient: 2 } : { kind: 'dirichlet', alpha: v.alpha, shardsPerClient: 2 },
    clients: v.clients,
    fraction: 1,
    localEpochs: v.epochs,
    batchSize: 10,
    lr: v.lr,
    rounds: v.rounds,
    personalizeEpochs: v.personalize,
    weighting: 'samples',
    seed: v.seed,
    shuffle: true,
  });
}
