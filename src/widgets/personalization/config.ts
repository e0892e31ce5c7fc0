/**
 * The two runs the personalization figure compares: the same federated training on digits with
 * an IID split and with a Dirichlet(α) label skew, each followed by every client fine-tuning the
 * global model on its own examples. Imports only the engine's config module (no tfjs).
 */
import type { RunConfig } from '~/engine/types';
import { figureConfig, type Side } from '../fed-figures';
import type { PersValues } from './params';

export function toRunConfig(v: PersValues, side: Side): RunConfig {
  return figureConfig(v, {
    algorithm: 'fedavg',
    dataset: { name: 'digits', noise: 0, size: 0 },
    // The chapter's digits model: one hidden layer of 32 (2,410 parameters).
    model: { kind: 'mlp', hidden: [32], activation: 'relu' },
    partition: { kind: side === 'iid' ? 'iid' : 'dirichlet', alpha: v.alpha, shardsPerClient: 2 },
    personalizeEpochs: v.personalize,
  });
}

/** The heading over a side's chart (and the side's name in its summary). */
export const sideTitle = (side: Side, alpha: number): string => (side === 'iid' ? 'IID 분할' : `레이블 불균형: 디리클레 α = ${alpha}`);
