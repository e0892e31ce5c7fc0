/**
 * The two runs the widget compares: identical settings and seed, either one with an IID split
 * and one with Dirichlet(α) label skew, or FedAvg against SCAFFOLD (or FedProx) on the same
 * skewed split. The sides keep the names 'iid' (left) and 'skew' (right) in both modes. Imports
 * only the engine's config module (no tfjs).
 */
import type { RunConfig } from '~/engine/types';
import { figureConfig, type Side } from '../fed-figures';
import type { DriftValues } from './params';

export const BOUNDARY_GRID = 32;

export function toRunConfig(v: DriftValues, side: Side): RunConfig {
  return figureConfig(v, {
    // Comparing splits, both sides use FedAvg (FedProx when μ > 0). Comparing algorithms, the left
    // side ('iid' slot) is FedAvg and the right one SCAFFOLD or FedProx(μ).
    algorithm: v.compare === 'split' ? (v.mu > 0 ? 'fedprox' : 'fedavg') : side === 'iid' ? 'fedavg' : v.compare,
    dataset: { name: v.data, noise: 0.15, size: 320 },
    model: { kind: 'mlp', hidden: [8, 8], activation: 'tanh' },
    // Only the left side trains on the IID split, and only when comparing splits.
    partition: { kind: v.compare === 'split' && side === 'iid' ? 'iid' : 'dirichlet', alpha: v.alpha, shardsPerClient: 2 },
    mu: v.mu,
  });
}

/** What a side is called: by its split, or by its algorithm when the two sides compare algorithms. */
export function sideName(v: DriftValues, side: Side): string {
  if (v.compare === 'split') return side === 'iid' ? 'IID' : '레이블 불균형';
  if (side === 'iid') return 'FedAvg';
  return v.compare === 'scaffold' ? 'SCAFFOLD' : `FedProx μ = ${v.mu}`;
}

/** The heading over a side's picture. */
export function sideTitle(v: DriftValues, side: Side): string {
  if (v.compare === 'split') return side === 'iid' ? 'IID 분할' : `레이블 불균형: 디리클레 α = ${v.alpha}`;
  return `${sideName(v, side)} · 디리클레 α = ${v.alpha}`;
}
