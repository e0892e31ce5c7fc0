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
