/**
 * The three runs of the own-data figure, from one set of settings: centralized training, FedAvg
 * and split learning on the same prepared table, with the same model (an MLP with one hidden
 * layer), seed, batch size and learning rate. Centralized and split learning train `rounds`
 * epochs; FedAvg trains `rounds` rounds of E local epochs with every client taking part.
 */
import { defaultConfig } from '~/engine/config';
import type { RunConfig } from '~/engine/types';
import type { TabularData } from '~/engine/data/tabular';
import type { OwnDataValues } from './params';

export type OwnMethod = 'centralized' | 'fedavg' | 'split';
export const METHODS: readonly OwnMethod[] = ['centralized', 'fedavg', 'split'];
export const METHOD_LABEL: Record<OwnMethod, string> = { centralized: '중앙 집중식', fedavg: 'FedAvg', split: '분할 학습' };
export const BATCH = 16;
/** Share of each class held out for testing. */
export const TEST_FRACTION = 0.2;

/** Clients a run uses: the group count when partitioning by a column. */
export function clientsOf(v: OwnDataValues, table: TabularData): number {
  if (table.clientOf) return Math.max(...table.clientOf) + 1;
  return v.clients;
}

export function toRunConfig(method: OwnMethod, v: OwnDataValues, table: TabularData): RunConfig {
  return defaultConfig({
    algorithm: method,
    // Not loaded: RunOptions.tabular carries the data. The size tells the config's cross-field
    // checks how many training rows there are (its limits are 20…5000).
    dataset: { name: 'blobs', noise: 0, size: Math.min(5000, Math.max(20, table.train.y.length)) },
    model: { kind: 'mlp', hidden: [v.units], activation: 'relu' },
    partition: { kind: v.partition === 'dirichlet' ? 'dirichlet' : 'iid', alpha: v.alpha, shardsPerClient: 2 },
    clients: clientsOf(v, table),
    fraction: 1,
    localEpochs: v.local,
    epochs: v.rounds,
    rounds: v.rounds,
    batchSize: BATCH,
    lr: v.lr,
    weighting: 'samples',
    cut: 1,
    variant: 'vanilla',
    handoff: 'p2p',
    shuffle: true,
    seed: v.seed,
  });
}
