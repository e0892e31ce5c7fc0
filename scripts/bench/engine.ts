/**
 * Engine benchmarks (Node, wasm backend):
 *
 * - fedavg-vs-naive: our FedAvg against a naive one on the same configuration (digits, 10 IID
 *   clients, C = 1, E = 2, B = 10, η = 0.1, 5 rounds, the same MLP). The naive one is what a
 *   tutorial would write: a tfjs-layers model, per client setWeights → fit → getWeights, and the
 *   weighted average in JavaScript, then evaluate. Timed alternately in this process; the ratio is
 *   the median naive time over the median engine time.
 * - samples per second of our FedAvg on that configuration and of the 2NN on MNIST.
 * - 2nn-flops-b10 / -b100: the 2NN's training FLOP/s (B = 10 and 100, MNIST) as a fraction of
 *   the backend's own throughput on the same matrix products with fixed operands.
 */
import * as tfl from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import type { BenchResult, BenchSuite } from '../bench';
import { initNodeBackend, nodeDataSource } from '../../src/engine/node';
import { buildModel, defaultConfig, loadDigits, loadMnist, partition, run, Rng, training, type RunConfig } from '../../src/engine/index';
import { matMul } from '../../src/engine/kernels';

const TRIALS = 5;
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
  for await (const e of run(FEDAVG, { data: nodeDataSource() })) if (e.type === 'round-metrics') acc = e.metrics.testAccuracy;
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

/** Seconds per call of the same products as one dense SGD step, operands fixed (the backend's best case). */
async function matMulOnlySeconds(widths: number[], batch: number, reps: number): Promise<number> {
  const products: Array<[tf.Tensor2D, tf.Tensor2D]> = [];
  const t = (r: number, c: number) => tf.randomUniform([r, c]) as tf.Tensor2D;
  for (let i = 0; i + 1 < widths.length; i++) {
    const [a, b] = [widths[i], widths[i + 1]];
    products.push([t(batch, a), t(a, b)]); // forward
    products.push([t(a, batch), t(batch, b)]); // dW
    if (i > 0) products.push([t(batch, b), t(b, a)]); // dx
  }
  const once = () => tf.tidy(() => products.forEach(([a, b]) => matMul(a, b)));
  for (let i = 0; i < 20; i++) once();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) once();
  const s = (performance.now() - t0) / 1000 / reps;
  tf.dispose(products.flat());
  return s;
}

/** Seconds per SGD step of our training loop on the 2NN over MNIST (plus FLOPs of the final evaluation). */
async function twoNNSeconds(batch: number, examples: number): Promise<{ perStep: number; steps: number; samplesPerSecond: number }> {
  const ds = await loadMnist(nodeDataSource());
  const model = buildModel({ kind: '2nn', hidden: [], activation: 'relu' }, ds.inputShape, 10);
  const idx = Int32Array.from({ length: examples }, (_, i) => i);
  const data = new training.ExampleSet(ds.train.features(idx), Int32Array.from(idx, (i) => ds.train.labels[i]), 784, 10);
  const params = model.importParams(model.initParams(new Rng(1, 'init')));
  const shuffle = new Rng(1, 'shuffle/0');
  const tick = async () => {};
  // warm-up
  tf.dispose((await training.localTrain(model, params, data, { epochs: 1, batch, lr: 0.05, shuffle, tick })).params);
  const t0 = performance.now();
  const res = await training.localTrain(model, params, data, { epochs: 2, batch, lr: 0.05, shuffle, tick });
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose([...res.params, ...params]);
  data.dispose();
  // The final evaluation (one forward pass over the examples) is part of the timed call.
  const forwardShare = (2 * 198_800) / (2 * denseStepMacs([784, 200, 200, 10]));
  const equivalentSteps = res.steps + (examples / batch) * forwardShare;
  return { perStep: seconds / equivalentSteps, steps: res.steps, samplesPerSecond: (2 * examples) / seconds };
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
      target: '≥ 3',
      ok: ratio >= 3,
      detail:
        `digits, MLP 64-64, K=10 C=1 E=2 B=10 R=5; median of ${TRIALS} alternating trials: engine ${median(ours.map((t) => t.ms)).toFixed(0)} ms ` +
        `(test acc ${ours[0].accuracy.toFixed(3)}), naive tfjs-layers fit/getWeights/setWeights ${median(theirs.map((t) => t.ms)).toFixed(0)} ms ` +
        `(test acc ${theirs[0].accuracy.toFixed(3)}); CPU-time ratio ${cpuRatio.toFixed(2)}`,
    });

    const samples = FEDAVG.rounds * FEDAVG.localEpochs * 1437;
    const sps = samples / (median(ours.map((t) => t.ms)) / 1000);
    results.push({
      name: 'fedavg-samples-per-second',
      ratio: sps,
      detail: `training examples per second of the engine's FedAvg above (${samples} example-passes per run, evaluation included in the time)`,
    });

    // 2NN on MNIST: achieved FLOP/s against the backend's matMul throughput at the same sizes
    const widths = [784, 200, 200, 10];
    const flopsPerSample = 2 * denseStepMacs(widths);
    for (const batch of [10, 100]) {
      const train = await twoNNSeconds(batch, 6000);
      const mm = await matMulOnlySeconds(widths, batch, batch === 10 ? 400 : 100);
      const achieved = (flopsPerSample * batch) / train.perStep;
      const peak = (flopsPerSample * batch) / mm;
      results.push({
        name: `2nn-mnist-flops-b${batch}`,
        ratio: achieved / peak,
        detail:
          `2NN (199,210 parameters) SGD on 6000 MNIST examples, B=${batch}: ${(achieved / 1e9).toFixed(2)} GFLOP/s achieved ` +
          `(${train.samplesPerSecond.toFixed(0)} samples/s, ${(flopsPerSample / 1e6).toFixed(3)} MFLOP per sample) vs ${(peak / 1e9).toFixed(2)} GFLOP/s ` +
          `for the same ${3 * (widths.length - 1) - 1} matrix products per step (forward, dW, dx) with fixed operands`,
      });
      log(`  2NN B=${batch}: ${(achieved / 1e9).toFixed(2)} of ${(peak / 1e9).toFixed(2)} GFLOP/s`);
    }
    return results;
  },
};

export default suite;
