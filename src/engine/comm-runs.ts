/**
 * The short runs that hold the communication formulas (./comm.ts) against real training: one
 * epoch (or one round with every client) of a small MLP on the digits, per method and client
 * count. Plain data and the engine's config module (no tfjs), so a page can plan them.
 */
import { defaultConfig } from './config';
import type { RunConfig } from './types';

/** Client counts of the measured runs. */
export const MEASURED_K = [1, 2, 4, 8, 16, 32, 64] as const;

/** The methods that train (SL with hand-off is the SL run's bytes with the hand-offs counted). */
export type MeasuredMethod = 'fl' | 'sl' | 'splitfed';

/** Every measured run: each method at each client count, in order. */
export const MEASURE_JOBS: readonly { method: MeasuredMethod; K: number }[] = MEASURED_K.flatMap((K) =>
  (['fl', 'sl', 'splitfed'] as const).map((method) => ({ method, K })),
);

/** The run of one measured point: a method, a client count and the model's hidden width (its cut width). */
export function measureConfig(method: MeasuredMethod, K: number, width: number): RunConfig {
  return defaultConfig({
    algorithm: method === 'fl' ? 'fedavg' : method === 'sl' ? 'split' : 'splitfed1',
    dataset: { name: 'digits', noise: 0, size: 0 },
    model: { kind: 'mlp', hidden: [width, 16], activation: 'relu' },
    clients: K,
    localEpochs: 1,
    rounds: 1,
    epochs: 1,
    batchSize: 64,
  });
}
