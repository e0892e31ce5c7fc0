/**
 * From the playground's settings to the engine's RunConfig. Imports only the engine's config
 * module (plain data, no tfjs), so it runs on the page.
 */
import { defaultConfig } from '~/engine/config';
import type { RunConfig } from '~/engine/types';
import type { FedValues } from './params';

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
