/**
 * From the widget's settings to the engine's RunConfig and the model it trains (the page keeps
 * the cut inside that model's range). Pure: no tfjs, so it runs on the page.
 */
import { defaultConfig } from '~/engine/config';
import type { ModelConfig, RunConfig } from '~/engine/types';
import type { ServerViewValues } from './params';

export function modelOf(v: ServerViewValues): ModelConfig {
  return { kind: v.model, hidden: Array.from({ length: v.layers }, () => v.units), activation: v.act };
}

/**
 * The run whose final model the view inspects: split learning with one client on the digits,
 * so the model is trained exactly as the playground above trains it (with one client there is
 * no hand-off). The server view covers every cut, whatever `cut` the run itself used.
 */
export function toRunConfig(v: ServerViewValues): RunConfig {
  return defaultConfig({
    algorithm: 'split',
    dataset: { name: 'digits', noise: 0, size: 0 },
    model: modelOf(v),
    clients: 1,
    epochs: v.epochs,
    batchSize: 32,
    lr: v.model === 'cnn' ? 0.05 : 0.1,
    seed: v.seed,
  });
}

/** The leakage table's caption and columns (the page writes it empty for the default model). */
export const LEAKAGE_CAPTION = '분할 지점별 선형 디코더의 복원 오차';
export const LEAKAGE_COLUMNS = ['분할 지점', '너비 q', '상대 복원 오차', '값 하나당 제곱 오차'];
