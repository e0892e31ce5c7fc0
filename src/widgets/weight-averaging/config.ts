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

/** The arithmetic panel's last line after the server's average (weighted by n_k, or equal). */
export const averagedNote = (weighted: boolean, clients: number): string =>
  weighted
    ? '서버가 계산한 값입니다. 데이터가 많은 클라이언트(n_k가 큰 쪽)의 값이 더 크게 반영됩니다. 가중치의 합은 1이므로 새 값은 로컬 값들 사이에 놓입니다.'
    : `모든 클라이언트에 같은 가중치 1/${clients}을 주었습니다(산술 평균). 데이터가 적은 클라이언트도 같은 무게로 반영됩니다.`;

/** The same line before the average, when the clients have trained. */
export const LOCAL_NOTE = '각 클라이언트가 같은 출발점에서 자기 데이터로 학습한 결과입니다. 다음 단계에서 서버가 가중 평균을 냅니다.';
