/**
 * In-memory tabular data: a table the reader brought (a CSV parsed on the page) becomes a
 * Dataset the algorithms train on, without any file or network. tfjs-free, so the page can
 * prepare the table (standardise, split, assign clients) with the same code the tests check.
 *
 * A run receives it through `RunOptions.tabular` (the worker protocol carries it as is: typed
 * arrays are structured-cloneable). With it, the run trains on the table and `config.dataset` is
 * not loaded; the config's dataset size should then be the table's training rows, so that the
 * config's cross-field checks (clients ≤ examples) see the real size.
 */
import type { Dataset, Split } from './index';
import type { Partition } from '../partition';
import { Rng } from '../rng';

/** A prepared table: standardised features, labels 0…C−1, and optionally each row's client. */
export interface TabularData {
  /** Short description for run summaries, e.g. 'iris.csv (120/30)'. */
  origin: string;
  /** Features per example. */
  numFeatures: number;
  numClasses: number;
  train: { x: Float32Array; y: Int32Array };
  test: { x: Float32Array; y: Int32Array };
  /**
   * Client of each training row (0…K−1), when the reader partitions by a column of the table
   * (e.g. a hospital column as the silo). Absent: the config's partition (IID, Dirichlet) applies.
   */
  clientOf?: Int32Array;
}

/** Mean and standard deviation of each column of a row-major n×d matrix (sd 1 for a constant column). */
export function columnStats(x: Float32Array, n: number, d: number): { mean: Float64Array; sd: Float64Array } {
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= Math.max(1, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sd[j] += (x[i * d + j] - mean[j]) ** 2;
  // A constant column carries no information; dividing by 1 keeps it at 0 instead of NaN.
  for (let j = 0; j < d; j++) sd[j] = n > 1 && sd[j] > 0 ? Math.sqrt(sd[j] / n) : 1;
  return { mean, sd };
}

/** (x − mean) / sd with statistics of the training rows only, so the test rows stay unseen. */
export function standardise(x: Float32Array, d: number, stats: { mean: Float64Array; sd: Float64Array }): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const j = i % d;
    out[i] = (x[i] - stats.mean[j]) / stats.sd[j];
  }
  return out;
}

/**
 * A stratified train/test split: within each class, a seeded shuffle and the first
 * round(testFraction · n_c) rows to the test set (at least one when the class has two or more
 * rows), so that a small class is represented on both sides.
 */
export function stratifiedSplit(labels: Int32Array, numClasses: number, testFraction: number, seed: number): { train: Int32Array; test: Int32Array } {
  const rng = new Rng(seed, 'tabular-split');
  const train: number[] = [];
  const test: number[] = [];
  for (let c = 0; c < numClasses; c++) {
    const rows: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === c) rows.push(i);
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    let t = Math.round(testFraction * rows.length);
    if (rows.length >= 2) t = Math.min(rows.length - 1, Math.max(1, t));
    else t = 0;
    test.push(...rows.slice(0, t));
    train.push(...rows.slice(t));
  }
  return { train: Int32Array.from(train.sort((a, b) => a - b)), test: Int32Array.from(test.sort((a, b) => a - b)) };
}

/** Rows of a row-major matrix. */
export function takeRows(x: Float32Array, d: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) out.set(x.subarray(rows[r] * d, rows[r] * d + d), r * d);
  return out;
}

function split(x: Float32Array, y: Int32Array, d: number): Split {
  return {
    n: y.length,
    labels: y,
    features(indices) {
      return indices ? takeRows(x, d, indices) : x.slice();
    },
  };
}

/** The Dataset the algorithms train on. */
export function tabularDataset(t: TabularData): Dataset {
  return {
    name: 'tabular',
    inputShape: [t.numFeatures],
    inputSize: t.numFeatures,
    numClasses: t.numClasses,
    train: split(t.train.x, t.train.y, t.numFeatures),
    test: split(t.test.x, t.test.y, t.numFeatures),
    origin: t.origin,
  };
}

/** The partition a `clientOf` column gives: client k holds its rows in table order. */
export function partitionByClient(clientOf: Int32Array, labels: Int32Array, numClasses: number, k: number): Partition {
  const lists: number[][] = Array.from({ length: k }, () => []);
  const histograms = Array.from({ length: k }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < clientOf.length; i++) {
    const c = clientOf[i];
    if (c < 0 || c >= k) throw new Error(`tabular clientOf[${i}] = ${c} is outside 0…${k - 1}`);
    lists[c].push(i);
    histograms[c][labels[i]]++;
  }
  return { clients: lists.map((l) => Int32Array.from(l)), histograms };
}

/** Checks a TabularData received from outside (the worker gets it from a page); throws in English. */
export function checkTabular(t: TabularData, clients: number): void {
  const d = t.numFeatures;
  const ok =
    Number.isInteger(d) && d >= 1 &&
    Number.isInteger(t.numClasses) && t.numClasses >= 2 &&
    t.train.x.length === t.train.y.length * d && t.test.x.length === t.test.y.length * d &&
    t.train.y.length >= 1 && t.test.y.length >= 1;
  if (!ok) throw new Error('tabular data: shapes do not match (features × rows, at least one row per split)');
  for (const y of [t.train.y, t.test.y]) for (const v of y) if (v < 0 || v >= t.numClasses) throw new Error(`tabular data: label ${v} outside 0…${t.numClasses - 1}`);
  for (const x of [t.train.x, t.test.x]) for (const v of x) if (!Number.isFinite(v)) throw new Error('tabular data: a feature is not a finite number');
  if (t.clientOf && t.clientOf.length !== t.train.y.length) throw new Error('tabular data: clientOf must have one entry per training row');
  if (t.clientOf) for (const c of t.clientOf) if (c < 0 || c >= clients) throw new Error(`tabular data: clientOf ${c} outside 0…${clients - 1}`);
}
