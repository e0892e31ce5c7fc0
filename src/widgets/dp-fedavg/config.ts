/**
 * From the widget's settings to the engine's RunConfig. Imports only the engine's config module
 * (plain data, no tfjs), so it runs on the page.
 */
import { defaultConfig } from '~/engine/config';
import type { RunConfig } from '~/engine/types';
import { POINTS_PER_CLIENT, type DpValues } from './params';

export function toRunConfig(v: DpValues): RunConfig {
  return defaultConfig({
    algorithm: 'dpfedavg',
    dataset: { name: v.data, noise: 0.1, size: Math.min(5000, POINTS_PER_CLIENT * v.clients) },
    model: { kind: 'mlp', hidden: [8, 8], activation: 'tanh' },
    partition: { kind: v.partition, alpha: 0.5, shardsPerClient: 2 },
    clients: v.clients,
    fraction: v.fraction,
    localEpochs: v.epochs,
    batchSize: 10,
    lr: v.lr,
    rounds: v.rounds,
    // Exactly m clients a round (the engine's earlier sampling). Uniform weights make its
    // σ = z·S·max c_k equal to the paper's z·S/(qW) with W = K.
    dpSampling: 'fixed',
    weighting: 'uniform',
    clip: v.clip,
    noise: v.noise,
    seed: v.seed,
    shuffle: true,
  });
}

/** Clients per round, m = max(⌊C·K⌋, 1), as the engine computes it. */
export function perRound(v: DpValues): number {
  return Math.max(Math.floor(v.fraction * v.clients + 1e-9), 1);
}

/** σ = z·S/m: the standard deviation of the noise added to each parameter of the average. */
export function sigmaOf(v: DpValues): number {
  return (v.noise * v.clip) / perRound(v);
}

/** Everything but z: runs that differ only in z belong on one accuracy-against-noise curve. */
export function curveKey(v: DpValues): string {
  return JSON.stringify([v.data, v.partition, v.clients, v.fraction, v.epochs, v.lr, v.rounds, v.clip, v.seed]);
}
