/**
 * The two runs the widget compares: identical settings and seed, either one with an IID split
 * and one with Dirichlet(α) label skew, or FedAvg against SCAFFOLD (or FedProx) on the same
 * skewed split. The sides keep the names 'iid' (left) and 'skew' (right) in both modes. Imports
 * only the engine's config module (no tfjs).
 */
import type { RunConfig } from '~/engine/types';
import { figureConfig, type Side } from '../kit/figure-config';
import type { DriftValues } from './params';

export const BOUNDARY_GRID = 32;

/**
 * The algorithm of a side. Comparing splits, both use FedAvg (FedProx when μ > 0). Comparing
 * algorithms, the left side ('iid' slot) is FedAvg and the right one SCAFFOLD or FedProx(μ).
 */
export function algorithmOf(v: DriftValues, side: Side): RunConfig['algorithm'] {
  if (v.compare === 'split') return v.mu > 0 ? 'fedprox' : 'fedavg';
  return side === 'iid' ? 'fedavg' : v.compare;
}

/** Whether a side trains on the IID split (only the left side, and only when comparing splits). */
export const isIid = (v: DriftValues, side: Side) => v.compare === 'split' && side === 'iid';

export function toRunConfig(v: DriftValues, side: Side): RunConfig {
  return figureConfig(v, {
    algorithm: algorithmOf(v, side),
    dataset: { name: v.data, noise: 0.15, size: 320 },
    model: { kind: 'mlp', hidden: [8, 8], activation: 'tanh' },
    partition: { kind: isIid(v, side) ? 'iid' : 'dirichlet', alpha: v.alpha, shardsPerClient: 2 },
    mu: v.mu,
  });
}
