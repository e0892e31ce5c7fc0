/**
 * A checked table (./table.ts) → the engine's TabularData: stratified train/test split,
 * features standardised with the training rows' statistics, and, when the reader partitions by a
 * column, each training row's client. Pure; the numbers come from src/engine/data/tabular.ts.
 */
import { columnStats, standardise, stratifiedSplit, takeRows, type TabularData } from '~/engine/data/tabular';
import type { CleanTable } from './table';

export interface PrepareOptions {
  /** Share of each class held out for testing, e.g. 0.2. */
  testFraction: number;
  seed: number;
  clients: number;
  /** Use the table's group column as the clients (clients = number of groups). */
  byGroup: boolean;
  /** File name, for run summaries. */
  name: string;
}

export function prepareTabular(t: CleanTable, o: PrepareOptions): TabularData {
  const d = t.featureNames.length;
  const { train, test } = stratifiedSplit(t.y, t.classNames.length, o.testFraction, o.seed);
  const rawTrain = takeRows(t.x, d, train);
  const stats = columnStats(rawTrain, train.length, d);
  const out: TabularData = {
    origin: `${o.name} (${train.length}/${test.length})`,
    numFeatures: d,
    numClasses: t.classNames.length,
    train: { x: standardise(rawTrain, d, stats), y: Int32Array.from(train, (i) => t.y[i]) },
    test: { x: standardise(takeRows(t.x, d, test), d, stats), y: Int32Array.from(test, (i) => t.y[i]) },
  };
  if (o.byGroup && t.groups) out.clientOf = Int32Array.from(train, (i) => t.groups![i]);
  return out;
}
