/**
 * From the widget's settings to the engine's RunConfig. Imports only the engine's config module
 * (plain data, no tfjs), so it runs on the page.
 */
import { defaultConfig } from '~/engine/config';
import { dpNoiseStd } from '~/engine/algorithms/dp-fedavg';
import type { RunConfig } from '~/engine/types';
import { DELTA, POINTS_PER_CLIENT, type DpValues } from './params';

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
    // The paper's DP-FedAvg: each client joins with probability q, every weight w_k = 1 (W = K),
    // the fixed denominator qK and σ = z·S/(qK).
    dpSampling: 'poisson',
    sampleRate: v.fraction,
    weightCap: 0,
    delta: DELTA,
    weighting: 'uniform',
    clip: v.clip,
    noise: v.noise,
    seed: v.seed,
    shuffle: true,
  });
}

/** σ = z·S/(qW) with W = K: the standard deviation of the noise added to each parameter. */
export function sigmaOf(v: DpValues): number {
  return dpNoiseStd(v.noise, v.clip, v.fraction, v.clients);
}

/** Three significant digits, as the page writes σ and qK (the clients expected per round; Poisson sampling varies the actual number). */
export const three = (x: number) => Number(x.toPrecision(3));

/**
 * The line under the noise slider, σ with its figures: main.ts writes it at every change, and
 * DpFedAvg.astro for the default settings, so that the line has its two lines of text before the
 * widget mounts (the formula alone was one line, and the settings column grew by 38 px at mount).
 */
export function sigmaText(v: DpValues): string {
  return `라운드마다 평균 qK = ${three(v.fraction * v.clients)}명 참여, 노이즈 표준편차 σ = z·S/(qK) = ${three(sigmaOf(v))}`;
}
