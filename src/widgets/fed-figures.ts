/**
 * What the chapter's small federated figures (weight averaging, client drift, personalization)
 * share beyond the kit: their two sides and their engine configuration. In it every client takes
 * part in every round, trains in local batches of 10 on shuffled data, and the server weights by
 * data size; the reader sets K, E, η, the rounds and the seed. Each figure adds its data, model,
 * split and algorithm. Imports only the engine's config module (plain data, no tfjs), so it runs
 * on the page.
 */
import { defaultConfig } from '~/engine/config';
import type { RunConfig } from '~/engine/types';

/**
 * The two figures that train two runs side by side (client drift, personalization) name them
 * 'iid' (left) and 'skew' (right).
 */
export type Side = 'iid' | 'skew';
export const SIDES: readonly Side[] = ['iid', 'skew'];

/** One value per side. */
export const bySide = <T>(f: (side: Side) => T): Record<Side, T> => ({ iid: f('iid'), skew: f('skew') });

/** The settings every such figure has. */
export interface FigureValues {
  clients: number;
  epochs: number;
  lr: number;
  rounds: number;
  seed: number;
}

/** The figure's run: the shared part from `v`, then what the figure sets itself (`own` wins). */
export function figureConfig(v: FigureValues, own: Parameters<typeof defaultConfig>[0]): RunConfig {
  return defaultConfig({
    clients: v.clients,
    // Every client every round, so each round's picture has all of them.
    fraction: 1,
    localEpochs: v.epochs,
    batchSize: 10,
    lr: v.lr,
    rounds: v.rounds,
    weighting: 'samples',
    seed: v.seed,
    shuffle: true,
    ...own,
  });
}
