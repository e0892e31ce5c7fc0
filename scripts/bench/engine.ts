/**
 * Engine benchmarks (Node, wasm backend):
 *
 * - fedavg-vs-naive: our FedAvg against a naive one on the same configuration (digits, 10 IID
 *   clients, C = 1, E = 2, B = 10, η = 0.1, 5 rounds, the same MLP). The naive one is what a
 *   tutorial would write: a tfjs-layers model, per client setWeights → fit → getWeights, and the
 *   weighted average in JavaScript, then evaluate. Timed alternately in this process; the ratio is
 *   the median naive time over the median engine time.
 *   The engine trains a round's clients together (src/engine/vectorized.ts); `-- --sequential`
 *   times it with the one-client-after-another loop instead.
 * - fedavg-samples-per-second: training examples per second of our FedAvg on that configuration.
 * - vectorized-vs-sequential-*: the engine's two ways of running one round's local training
 *   (clients together in groups, or one after another), on digits (MLP 64-64) and on MNIST (the
 *   2NN), with K = 10 and K = 100 clients: the CPU-time ratio, median of three alternating
 *   trials, and each way's peak tensor memory (tf.profile).
 * - 2nn-mnist-flops-b10 / -b100: the 2NN's training FLOP/s (MNIST, B = 10 and 100) as a fraction
 *   of the backend's own throughput on the same matrix products with fixed operands (samples per
 *   second in the detail), both timed alternately in CPU time.
 */
import * as tfl from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import os from 'node:os';
import type { BenchResult, BenchSuite } from '../bench';
import { initNodeBackend, nodeDataSource } from '../../src/engine/node';
import { buildModel, defaultConfig, loadDigits, loadMnist, partition, run, Rng, training, type RunConfig } from '../../src/engine/index';
import { matMul } from '../../src/engine/kernels';
import { ClientGroups } from '../../src/engine/vectorized';

const TRIALS = 5;
/** `npm run bench -- --sequential`: the engine's FedAvg trains its clients one after another. */
const SEQUENTIAL = process.argv.includes('--sequential');
const load = () => `load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const FEDAVG: RunConfig = defaultConfig({
  algorithm: 'fedavg',
  dataset: { name: 'digits', noise: 0, size: 0 },
  model: { kind: 'mlp', hidden: [64, 64], activation: 'relu' },
  partition: { kind: 'iid' },
  clients: 10,
  fraction: 1,
  localEpochs: 2,
  batchSize: 10,
  lr: 0.1,
  rounds: 5,
  seed: 1,
});

interface Timed {
  ms: number;
  cpuMs: number;
  accuracy: number;
}

async function timed(f: () => Promise<number>): Promise<Timed> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const accuracy = await f();
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, accuracy };
}

async function oursFedAvg(): Promise<number> {
  let acc = 0;
  for await (const e of run(FEDAVG, { data: nodeDataSource(), sequential: SEQUENTIAL })) if (e.type === 'round-metrics') acc = e.metrics.testAccuracy;
  return acc;
}

/** The naive baseline, on the same data, partition and model shape. */
async function makeNaive(): Promise<() => Promise<number>> {
  const ds = await loadDigits(nodeDataSource());
  const part = partition(FEDAVG.partition, ds.train.labels, 10, FEDAVG.clients, new Rng(FEDAVG.seed, 'partition'));
  const onehot = (labels: Int32Array) => tfl.tidy(() => tfl.oneHot(tfl.tensor1d(labels, 'int32'), 10).toFloat());
  const clients = part.clients.map((idx) => ({
    n: idx.length,
    x: tfl.tensor2d(ds.train.features(idx), [idx.length, 64]),
    y: onehot(Int32Array.from(idx, (i) => ds.train.labels[i])),
  }));
  const testX = tfl.tensor2d(ds.test.features(), [ds.test.n, 64]);
  const testY = onehot(ds.test.labels);
  const total = clients.reduce((s, c) => s + c.n, 0);
  return async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [64], units: 64, activation: 'relu' }),
        tfl.layers.dense({ units: 64, activation: 'relu' }),
        tfl.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tfl.train.sgd(FEDAVG.lr), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const shapes = model.getWeights().map((w) => w.shape);
    let global = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
    const load = (ws: Float32Array[]) => {
      const ts = ws.map((w, i) => tfl.tensor(w, shapes[i]));
      model.setWeights(ts);
      tfl.dispose(ts);
    };
    let accuracy = 0;
    for (let r = 0; r < FEDAVG.rounds; r++) {
      const sum = global.map((g) => new Float32Array(g.length));
      for (const c of clients) {
        load(global);
        await model.fit(c.x, c.y, { epochs: FEDAVG.localEpochs, batchSize: FEDAVG.batchSize as number, shuffle: true, verbose: 0 });
        const coef = c.n / total;
        model.getWeights().forEach((t, i) => {
          const d = t.dataSync();
          for (let j = 0; j < d.length; j++) sum[i][j] += coef * d[j];
        });
      }
      global = sum;
      load(global);
      const ev = model.evaluate(testX, testY) as tfl.Scalar[];
      accuracy = ev[1].dataSync()[0];
      tfl.dispose(ev);
    }
    model.dispose();
    return accuracy;
  };
}

/** MACs per example of one SGD step of a dense stack (forward, dW everywhere, dx above layer 0). */
function denseStepMacs(widths: number[]): number {
  let macs = 0;
  for (let i = 0; i + 1 < widths.length; i++) {
    const m = widths[i] * widths[i + 1];
    macs += 2 * m + (i > 0 ? m : 0);
  }
  return macs;
}

/** Wall and CPU seconds of f(). */
async function clock(f: () => Promise<void> | void): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await f();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

/**
 * The same products as `steps` dense SGD steps with fixed operands (the backend's best case:
 * nothing repacked, nothing else computed). Returns a function that runs them.
 */
function matMulOnly(widths: number[], batch: number, steps: number): { run: () => void; dispose: () => void } {
  const products: Array<[tf.Tensor2D, tf.Tensor2D]> = [];
  const t = (r: number, c: number) => tf.randomUniform([r, c]) as tf.Tensor2D;
  for (let i = 0; i + 1 < widths.length; i++) {
    const [a, b] = [widths[i], widths[i + 1]];
    products.push([t(batch, a), t(a, b)]); // forward
    products.push([t(a, batch), t(batch, b)]); // dW
    if (i > 0) products.push([t(batch, b), t(b, a)]); // dx
  }
  const once = () => tf.tidy(() => products.forEach(([a, b]) => matMul(a, b)));
  for (let i = 0; i < 10; i++) once();
  return {
    run: () => {
      for (let i = 0; i < steps; i++) once();
    },
    dispose: () => tf.dispose(products.flat()),
  };
}

/**
 * One epoch of our training loop with the 2NN over `examples` MNIST images (its final evaluation
 * included, counted as forward passes). Returns a function that runs it and the step count.
 */
async function twoNN(batch: number, examples: number): Promise<{ run: () => Promise<void>; steps: number; dispose: () => void }> {
  const ds = await loadMnist(nodeDataSource());
  const model = buildModel({ kind: '2nn', hidden: [], activation: 'relu' }, ds.inputShape, 10);
  const idx = Int32Array.from({ length: examples }, (_, i) => i);
  const data = new training.ExampleSet(ds.train.features(idx), Int32Array.from(idx, (i) => ds.train.labels[i]), 784, 10);
  const params = model.importParams(model.initParams(new Rng(1, 'init')));
  const shuffle = new Rng(1, 'shuffle/0');
  const tick = async () => {};
  const run = async () => {
    const res = await training.localTrain(model, params, data, { epochs: 1, batch, lr: 0.05, shuffle, tick });
    tf.dispose(res.params);
  };
  await run(); // warm-up
  return {
    run,
    steps: Math.ceil(examples / batch),
    dispose: () => {
      tf.dispose(params);
      data.dispose();
    },
  };
}

/** The vectorized-vs-sequential settings: one round's local training of K clients, all selected. */
const VECTORIZED = [10, 100].flatMap((K) => [
  { name: `vectorized-vs-sequential-digits-k${K}`, dataset: 'digits' as const, examples: 0, model: { kind: 'mlp' as const, hidden: [64, 64], activation: 'relu' as const }, K, epochs: 2, batch: 10, lr: 0.1 },
  { name: `vectorized-vs-sequential-mnist-2nn-k${K}`, dataset: 'mnist' as const, examples: 6000, model: { kind: '2nn' as const, hidden: [], activation: 'relu' as const }, K, epochs: 1, batch: 10, lr: 0.05 },
]);

/**
 * The engine's two ways of running a round's local training, called directly (run() picks one by
 * itself: it keeps the 2NN sequential, see src/engine/vectorized.ts): K IID clients from w_0,
 * E epochs at B with their own shuffles, each client's evaluation on its own examples included.
 */
async function vectorizedVsSequential(v: (typeof VECTORIZED)[number], log: (line: string) => void): Promise<BenchResult> {
  const ds = v.dataset === 'mnist' ? await loadMnist(nodeDataSource()) : await loadDigits(nodeDataSource());
  const n = v.examples || ds.train.n;
  const labels = ds.train.labels.subarray(0, n);
  const part = partition({ kind: 'iid', alpha: 1, shardsPerClient: 2 }, labels, ds.numClasses, v.K, new Rng(1, 'partition'));
  const sets = part.clients.map((idx) => new training.ExampleSet(ds.train.features(idx), Int32Array.from(idx, (i) => labels[i]), ds.inputSize, ds.numClasses));
  const model = buildModel(v.model, ds.inputShape, ds.numClasses);
  const start = model.importParams(model.initParams(new Rng(1, 'init')));
  const tick = async () => {};
  const opts = { batch: v.batch, lr: v.lr, tick };
  let groups: number[] = [];
  const together = async () => {
    const g = new ClientGroups(model, start, sets.map((data, k) => ({ data, epochs: v.epochs, shuffle: new Rng(1, `shuffle/${k}`) })), opts);
    groups = g.groupSizes;
    for (let k = 0; k < v.K; k++) tf.dispose((await g.take(k)).params);
  };
  const oneByOne = async () => {
    for (let k = 0; k < v.K; k++) tf.dispose((await training.localTrain(model, start, sets[k], { ...opts, epochs: v.epochs, shuffle: new Rng(1, `shuffle/${k}`) })).params);
  };
  await together(); // warm-up: tensors of the sets made, kernels set up
  await oneByOne();
  const vec: Array<{ wall: number; cpu: number }> = [];
  const seq: Array<{ wall: number; cpu: number }> = [];
  for (let i = 0; i < 3; i++) {
    vec.push(await clock(together));
    seq.push(await clock(oneByOne));
  }
  const peak = async (f: () => Promise<void>) => (await tf.profile(f)).peakBytes;
  const [pv, ps] = [await peak(together), await peak(oneByOne)];
  tf.dispose(start);
  sets.forEach((s) => s.dispose());
  const med = (xs: Array<{ wall: number; cpu: number }>, k: 'wall' | 'cpu') => median(xs.map((x) => x[k]));
  const ratio = med(seq, 'cpu') / med(vec, 'cpu');
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
  const ms = (x: number) => `${(1000 * x).toFixed(0)} ms`;
  log(`  ${v.name}: together ${ms(med(vec, 'cpu'))}, one by one ${ms(med(seq, 'cpu'))} CPU (${ratio.toFixed(2)}×); peak ${mb(pv)} vs ${mb(ps)}`);
  return {
    name: v.name,
    ratio,
    detail:
      `${v.dataset} (${n} training examples), ${v.model.kind === '2nn' ? '2NN' : `MLP ${v.model.hidden.join('-')}`}, one round of local training of K=${v.K} clients (E=${v.epochs} B=${v.batch}, ` +
      `their own evaluation included), median of 3 alternating trials in CPU time: together ${ms(med(vec, 'cpu'))} in groups of [${groups.join(', ')}], one after another ${ms(med(seq, 'cpu'))} ` +
      `(wall-clock ratio ${(med(seq, 'wall') / med(vec, 'wall')).toFixed(2)}); peak tensor memory ${mb(pv)} together, ${mb(ps)} one by one (data tensors included); ` +
      `${v.model.kind === '2nn' ? 'run() trains the 2NN one client after another; ' : ''}${load()}`,
  };
}

const suite: BenchSuite = {
  title: 'learning engine (wasm)',
  async run(log) {
    await initNodeBackend('wasm');
    const results: BenchResult[] = [];

    // fedavg-vs-naive, alternately timed
    const naive = await makeNaive();
    await oursFedAvg();
    await naive();
    const ours: Timed[] = [];
    const theirs: Timed[] = [];
    for (let i = 0; i < TRIALS; i++) {
      ours.push(await timed(oursFedAvg));
      theirs.push(await timed(naive));
      log(`  trial ${i + 1}: engine ${ours[i].ms.toFixed(0)} ms, naive ${theirs[i].ms.toFixed(0)} ms`);
    }
    const ratio = median(theirs.map((t) => t.ms)) / median(ours.map((t) => t.ms));
    const cpuRatio = median(theirs.map((t) => t.cpuMs)) / median(ours.map((t) => t.cpuMs));
    results.push({
      name: 'fedavg-vs-naive',
      ratio,
      target: '≥ 5',
      ok: ratio >= 5,
      detail:
        `digits, MLP 64-64, K=10 C=1 E=2 B=10 R=5; median of ${TRIALS} alternating trials: engine ${median(ours.map((t) => t.ms)).toFixed(0)} ms ` +
        `(test acc ${ours[0].accuracy.toFixed(3)}), naive tfjs-layers fit/getWeights/setWeights ${median(theirs.map((t) => t.ms)).toFixed(0)} ms ` +
        `(test acc ${theirs[0].accuracy.toFixed(3)}); CPU-time ratio ${cpuRatio.toFixed(2)}; clients ${SEQUENTIAL ? 'one after another (--sequential)' : 'trained together'}; ${load()}`,
    });

    const samples = FEDAVG.rounds * FEDAVG.localEpochs * 1437;
    const sps = samples / (median(ours.map((t) => t.ms)) / 1000);
    results.push({
      name: 'fedavg-samples-per-second',
      ratio: sps,
      detail: `training examples per second of the engine's FedAvg above (${samples} example-passes per run, evaluation included in the time)`,
    });

    for (const v of VECTORIZED) results.push(await vectorizedVsSequential(v, log));

    // 2NN on MNIST: achieved FLOP/s against the backend's matMul throughput at the same sizes,
    // timed alternately (three times each), CPU time (both are single-threaded; CPU time is what
    // another process on the machine disturbs least) with the wall-clock figure alongside.
    const widths = [784, 200, 200, 10];
    const flopsPerSample = 2 * denseStepMacs(widths);
    const examples = 6000;
    for (const batch of [10, 100]) {
      const train = await twoNN(batch, examples);
      const mm = matMulOnly(widths, batch, train.steps);
      const tr: Array<{ wall: number; cpu: number }> = [];
      const pk: Array<{ wall: number; cpu: number }> = [];
      for (let i = 0; i < 3; i++) {
        tr.push(await clock(train.run));
        pk.push(await clock(mm.run));
      }
      train.dispose();
      mm.dispose();
      // training, plus the final evaluation (one forward pass, 2 FLOPs per multiply-add)
      const flops = flopsPerSample * examples + 2 * 198_800 * examples;
      const peakFlops = flopsPerSample * batch * train.steps;
      const achieved = { cpu: flops / median(tr.map((t) => t.cpu)), wall: flops / median(tr.map((t) => t.wall)) };
      const peak = { cpu: peakFlops / median(pk.map((t) => t.cpu)), wall: peakFlops / median(pk.map((t) => t.wall)) };
      results.push({
        name: `2nn-mnist-flops-b${batch}`,
        ratio: achieved.cpu / peak.cpu,
        detail:
          `2NN (199,210 parameters), one epoch of SGD on ${examples} MNIST examples at B=${batch}: ${(achieved.cpu / 1e9).toFixed(2)} GFLOP/s ` +
          `(${((examples / median(tr.map((t) => t.cpu))) | 0)} samples/s of CPU time; ${(flopsPerSample / 1e6).toFixed(3)} MFLOP per sample; final evaluation counted) ` +
          `vs ${(peak.cpu / 1e9).toFixed(2)} GFLOP/s for the same ${3 * (widths.length - 1) - 1} products per step with fixed operands; ` +
          `wall-clock fraction ${(achieved.wall / peak.wall).toFixed(2)}`,
      });
      log(`  2NN B=${batch}: ${(achieved.cpu / 1e9).toFixed(2)} of ${(peak.cpu / 1e9).toFixed(2)} GFLOP/s (CPU time)`);
    }
    return results;
  },
};

export default suite;
