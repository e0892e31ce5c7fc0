/**
 * From the playground's settings to the engine's RunConfig. Imports only the engine's config
 * module (plain data, no tfjs), so it runs on the page.
 */
import { defaultConfig } from '~/engine/config';
import type { RunConfig } from '~/engine/types';
import type { FedValues } from './params';
import { subscript } from '../renderers/format';

/** Training points of the 2D sets: about 50 per client at the default K = 8. */
export const POINTS = 400;

/**
 * Resolution of the boundary heatmaps, the global model's and (with clientBoundaries) each
 * client's: the engine uses one grid for both. 32² points per model and round cost little.
 */
export const BOUNDARY_GRID = 32;

export const isImages = (data: FedValues['data']) => data === 'digits';

export function toRunConfig(v: FedValues): RunConfig {
  const images = isImages(v.data);
  return defaultConfig({
    algorithm: v.algo,
    dataset: images ? { name: 'digits', noise: 0, size: 0 } : { name: v.data, noise: 0.15, size: POINTS },
    // Digits: one hidden layer of 32 (2,410 parameters) trains to ~90% in a few rounds.
    model: images ? { kind: 'mlp', hidden: [32], activation: 'relu' } : { kind: 'mlp', hidden: [8, 8], activation: 'tanh' },
    partition: { kind: v.partition, alpha: v.alpha, shardsPerClient: v.shards },
    clients: v.clients,
    fraction: v.fraction,
    localEpochs: v.epochs,
    batchSize: v.batch === 'all' ? 'all' : Number(v.batch),
    lr: v.lr,
    rounds: v.rounds,
    weighting: v.weighting,
    mu: v.mu,
    // SCAFFOLD and FedAvgM step with η_g; the adaptive optimizers with their own, much smaller η.
    serverLr: v.algo === 'fedadam' || v.algo === 'fedyogi' || v.algo === 'fedadagrad' ? v.alr : v.slr,
    serverMomentum: v.momentum,
    dropout: v.dropout,
    // FedSGD runs no local epochs, so it has no stragglers.
    stragglers: v.algo === 'fedsgd' ? 0 : v.stragglers,
    seed: v.seed,
    shuffle: true,
  });
}

/**
 * The server's update for round `round`, as the diagram writes it after `w_round =`: the weighted
 * average for FedAvg and FedProx, a gradient step for FedSGD, the averaged change scaled by η_g for
 * SCAFFOLD, and the server optimizer's step for the others.
 */
export function serverRule(cfg: Pick<RunConfig, 'algorithm' | 'weighting'>, round: number): string {
  const prev = `w${subscript(round - 1)}`;
  const p = cfg.weighting === 'uniform' ? '(1 / m)' : '(n_k / m_t)';
  switch (cfg.algorithm) {
    case 'fedsgd':
      return `${prev} − η Σ ${p} g_k`;
    case 'scaffold':
      return `${prev} + η_g Σ ${p} Δ_k`;
    case 'fedavgm':
      return `${prev} + η_g · v`;
    case 'fedadam':
    case 'fedyogi':
    case 'fedadagrad':
      return `${prev} + η · m / (√v + τ)`;
    default:
      return `Σ ${p} · w_k`;
  }
}
