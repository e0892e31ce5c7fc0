/**
 * From the widget's settings to the engine's RunConfig. Imports only the engine's config module
 * (plain data, no tfjs), so it can run on the page.
 */
import { defaultConfig } from '~/engine/config';
import type { RunConfig } from '~/engine/types';
import type { CentralValues } from './params';

/** Training points per run: enough for a clear picture, few enough for fast epochs on cpu. */
export const DATASET_SIZE = 300;

/** Resolution of the decision-boundary heatmap sent by the engine with each epoch. */
export const BOUNDARY_GRID = 40;

export function toRunConfig(v: CentralValues): RunConfig {
  return defaultConfig({
    algorithm: 'centralized',
    dataset: { name: v.data, noise: v.noise, size: DATASET_SIZE },
    model: { kind: 'mlp', hidden: Array.from({ length: v.layers }, () => v.units), activation: v.act },
    clients: v.clients,
    epochs: v.epochs,
    batchSize: v.batch === 'all' ? 'all' : Number(v.batch),
    lr: v.lr,
    seed: v.seed,
  });
}
