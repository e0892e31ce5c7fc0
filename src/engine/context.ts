/**
 * What every algorithm gets: the loaded data, the partition, the model, the random streams, the
 * tensors it may use, and helpers that build events and keep the byte counts per round.
 * `createContext` does all loading; `dispose` frees every tensor the context created.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DataSummary, EngineEvent, MessageKind, Party, RoundMetrics, RunConfig, RunOptions } from './types';
import { loadDataset, urlDataSource, type Dataset } from './data/index';
import { checkTabular, partitionByClient, tabularDataset } from './data/tabular';
import { buildModel, type Model } from './model';
import { partition, type Partition } from './partition';
import { Rng } from './rng';
import { makeTicker } from './tick';
import { evaluate, ExampleSet, predictProbs, type Params } from './train';

/** Thrown inside a run when a loss or the weights stop being finite. */
export class Diverged extends Error {
  constructor(
    readonly round: number,
    readonly messageKo: string,
  ) {
    super(`loss became NaN or Infinity in round ${round}; training stopped (try a smaller learning rate)`);
    this.name = 'Diverged';
  }
}

export interface RunContext {
  readonly config: RunConfig;
  readonly options: RunOptions;
  readonly dataset: Dataset;
  readonly partition: Partition;
  readonly model: Model;
  /** Independent named streams (see rng.ts). */
  readonly rng: {
    init: Rng;
    sampling: Rng;
    dpNoise: Rng;
    /** Client k's shuffle stream, created once and kept for the whole run. */
    shuffle(k: number): Rng;
  };
  /** Current round (or epoch); what run-cancelled reports. */
  round: number;
  /** Yields to the event loop every few ms and throws Cancelled once the signal fires. */
  tick(force?: boolean): Promise<void>;
  /** Client k's training examples (host copy; tensors made on demand and freed by dispose). */
  clientData(k: number): ExampleSet;
  /** All clients' examples concatenated in client order (centralized training). */
  allData(): ExampleSet;
  /** The test set. */
  testData(): ExampleSet;
  /** Number of examples client k holds. */
  clientSize(k: number): number;
  /** Records a message in the round's byte counts and returns its event. */
  message(kind: MessageKind, from: Party, to: Party, bytes: number): EngineEvent;
  /** Builds the round-metrics event (test metrics computed here) and resets the byte counts. */
  roundMetrics(params: Params, trainLoss: number, trainAccuracy: number): Promise<EngineEvent>;
  /**
   * A boundary event when boundaries were asked for and the data is 2D, else null. `forward`
   * gives the logits when the network is not the run's model (vertical split learning).
   */
  boundary(params: Params, owner: 'global' | number, forward?: (x: tf.Tensor) => tf.Tensor): Promise<EngineEvent | null>;
  /** Throws Diverged unless x is finite. */
  assertFinite(x: number): void;
  /** The summary sent with run-started. */
  dataSummary(): DataSummary;
  dispose(): void;
}

/** Largest boundary grid side (RunOptions.boundaryGrid is clamped to it). */
export const MAX_BOUNDARY_GRID = 200;

export async function createContext(config: RunConfig, options: RunOptions): Promise<RunContext> {
  const source = options.data ?? (options.dataUrl ? urlDataSource(options.dataUrl) : undefined);
  const table = options.tabular;
  if (table) checkTabular(table, config.clients);
  const dataset = table ? tabularDataset(table) : await loadDataset(config.dataset, config.seed, source);
  const part = table?.clientOf
    ? partitionByClient(table.clientOf, dataset.train.labels, dataset.numClasses, config.clients)
    : partition(config.partition, dataset.train.labels, dataset.numClasses, config.clients, new Rng(config.seed, 'partition'));
  const model = buildModel(config.model, dataset.inputShape, dataset.numClasses);

  const shuffles = new Map<number, Rng>();
  const sets = new Map<string, ExampleSet>();
  let grid: tf.Tensor2D | null = null;
  let bytes: Partial<Record<MessageKind, number>> = {};
  let up = 0;
  let down = 0;
  const ticker = makeTicker(options.signal);

  const tensorData = (key: string, indices: Int32Array | null, split = dataset.train): ExampleSet => {
    let d = sets.get(key);
    if (!d) {
      const labels = indices ? Int32Array.from(indices, (i) => split.labels[i]) : split.labels;
      d = new ExampleSet(split.features(indices ?? undefined), labels, dataset.inputSize, dataset.numClasses);
      sets.set(key, d);
    }
    return d;
  };

  const ctx: RunContext = {
    config,
    options,
    dataset,
    partition: part,
    model,
    rng: {
      init: new Rng(config.seed, 'init'),
      sampling: new Rng(config.seed, 'sampling'),
      dpNoise: new Rng(config.seed, 'dp-noise'),
      shuffle(k) {
        let r = shuffles.get(k);
        if (!r) shuffles.set(k, (r = new Rng(config.seed, `shuffle/${k}`)));
        return r;
      },
    },
    round: 0,
    tick: ticker,
    clientData: (k) => tensorData(`client/${k}`, part.clients[k]),
    allData() {
      const total = part.clients.reduce((s, c) => s + c.length, 0);
      const all = new Int32Array(total);
      let at = 0;
      for (const c of part.clients) {
        all.set(c, at);
        at += c.length;
      }
      return tensorData('all', all);
    },
    testData: () => tensorData('test', null, dataset.test),
    clientSize: (k) => part.clients[k].length,
    message(kind, from, to, n) {
      bytes[kind] = (bytes[kind] ?? 0) + n;
      if (to === 'server') up += n;
      else down += n;
      return { type: 'message-sent', round: ctx.round, kind, from, to, bytes: n };
    },
    async roundMetrics(params, trainLoss, trainAccuracy) {
      const test = await evaluate(model, params, ctx.testData());
      ctx.assertFinite(test.loss);
      const metrics: RoundMetrics = {
        round: ctx.round,
        testAccuracy: test.accuracy,
        testLoss: test.loss,
        trainLoss,
        trainAccuracy,
        bytesUp: up,
        bytesDown: down,
        bytesByKind: bytes,
      };
      bytes = {};
      up = 0;
      down = 0;
      return { type: 'round-metrics', metrics };
    },
    async boundary(params, owner, forward = (x) => model.forward(x, params)) {
      // Clamped: a mistyped resolution must not ask for a billion-cell grid.
      const g = Math.min(MAX_BOUNDARY_GRID, Math.floor(options.boundaryGrid ?? 0));
      if (!(g > 0) || !dataset.extent) return null;
      if (owner !== 'global' && !options.clientBoundaries) return null;
      grid ??= boundaryGrid(g, dataset.extent);
      const probs = await predictProbs(forward, grid);
      return { type: 'boundary', round: ctx.round, owner, grid: g, classes: dataset.numClasses, probs };
    },
    assertFinite(x) {
      if (!Number.isFinite(x)) {
        throw new Diverged(ctx.round, `${ctx.round}라운드에서 손실이 NaN 또는 무한대가 되어 학습을 멈췄습니다. 학습률을 낮춰 보세요.`);
      }
    },
    dataSummary() {
      const summary: DataSummary = {
        inputShape: dataset.inputShape,
        numClasses: dataset.numClasses,
        trainSize: dataset.train.n,
        testSize: dataset.test.n,
        histograms: part.histograms,
      };
      if (dataset.points && dataset.extent) {
        const owner = new Int32Array(dataset.train.n).fill(-1);
        part.clients.forEach((idx, k) => idx.forEach((i) => (owner[i] = k)));
        summary.points = { xy: dataset.points.train.xy.slice(), labels: dataset.points.train.labels.slice(), client: owner };
        summary.testPoints = { xy: dataset.points.test.xy.slice(), labels: dataset.points.test.labels.slice() };
        summary.extent = [...dataset.extent];
      }
      return summary;
    },
    dispose() {
      for (const d of sets.values()) d.dispose();
      sets.clear();
      grid?.dispose();
      grid = null;
    },
  };
  return ctx;
}

/** Cell centres of a g×g lattice over [lo, hi]², row 0 at the top (see the boundary event). */
function boundaryGrid(g: number, [lo, hi]: [number, number]): tf.Tensor2D {
  const xy = new Float32Array(g * g * 2);
  const step = (hi - lo) / g;
  for (let r = 0; r < g; r++) {
    for (let c = 0; c < g; c++) {
      xy[2 * (r * g + c)] = lo + (c + 0.5) * step;
      xy[2 * (r * g + c) + 1] = hi - (r + 0.5) * step;
    }
  }
  return tf.tensor2d(xy, [g * g, 2]);
}
