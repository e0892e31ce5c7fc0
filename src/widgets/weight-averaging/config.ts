/**
 * From the widget's settings to the engine's RunConfig. Imports only the engine's config module
 * (plain data, no tfjs), so it runs on the page.
 */
import type { RunConfig } from '~/engine/types';
import { figureConfig } from '../fed-figures';
import type { AvgValues } from './params';

/** A deliberately small model (32 parameters on two classes), so a few of them can be read. */
export const HIDDEN = [6];

export function toRunConfig(v: AvgValues): RunConfig {
  return figureConfig(v, {
    algorithm: 'fedavg',
    dataset: { name: v.data, noise: 0.15, size: 300 },
    model: { kind: 'mlp', hidden: HIDDEN, activation: 'tanh' },
    partition: { kind: v.partition, alpha: v.alpha, shardsPerClient: 2 },
    weighting: v.weighted ? 'samples' : 'uniform',
  });
}

/**
 * Names of a few parameters of the MLP input (2) → hidden → output, by their index in the flat
 * vector (layer by layer; kernel [in, out] row-major, then bias; see src/engine/model.ts): the
 * first input weight, the first hidden bias after the 2 × HIDDEN input weights, and the first
 * output weight after the HIDDEN biases.
 */
export const SHOWN = [
  { index: 0, name: 'W¹₁₁', what: '입력 x₁ → 은닉 뉴런 1의 가중치' },
  { index: 2 * HIDDEN[0], name: 'b¹₁', what: '은닉 뉴런 1의 편향' },
  { index: 3 * HIDDEN[0], name: 'W²₁₁', what: '은닉 뉴런 1 → 출력 1의 가중치' },
];
