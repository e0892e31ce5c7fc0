/**
 * Split-learning benchmarks (Node, wasm backend), each a ratio of two runs of the engine on the
 * same data and model, timed alternately in this process (median of TRIALS):
 *
 * - split-vs-centralized: round-robin split learning (vanilla, 4 clients, cut after the first
 *   hidden layer, every per-batch event consumed) against centralized SGD, digits with an MLP
 *   64-64, B = 10, 5 epochs. Target ≤ 1.5. The same with the 2NN on 6,000 MNIST images
 *   (larger products, so the protocol's fixed costs weigh less) is reported beside it.
 * - splitfed1-vs-fedavg: SplitFed V1 against FedAvg, digits, MLP 64-64, K = 10, C = 1, E = 2,
 *   B = 10, 5 rounds (the engine suite's FedAvg configuration). No target: SplitFed does FedAvg's
 *   arithmetic plus the wire copies and per-batch events, so the ratio is that overhead.
 *
 * What the split run does beyond the centralized one, per batch: two read-backs of the activations
 * and the gradient at the cut (the bytes on the wire) and two uploads of them, η applied on each
 * side, and the smashed-sent / gradient-returned / labels events; per client turn an evaluation on
 * the client's examples (client-trained).
 */
import type { BenchResult, BenchSuite } from '../bench';
import { initNodeBackend, nodeDataSource } from '../../src/engine/node';
import { defaultConfig, run, type RunConfig } from '../../src/engine/index';

const TRIALS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const data = nodeDataSource();

const DIGITS: RunConfig = defaultConfig({
  dataset: { name: 'digits', noise: 0, size: 0 },
  model: { kind: 'mlp', hidden: [64, 64], activation: 'relu' },
  partition: { kind: 'iid' },
  clients: 4,
  batchSize: 10,
  lr: 0.1,
  epochs: 5,
  cut: 1,
  seed: 1,
});

const MNIST_2NN: RunConfig = defaultConfig({
  dataset: { name: 'mnist', noise: 0, size: 6000 },
  model: { kind: '2nn', hidden: [], activation: 'relu' },
  partition: { kind: 'iid' },
  clients: 4,
  batchSize: 10,
  lr: 0.05,
  epochs: 1,
  cut: 1,
  seed: 1,
});

const FED: RunConfig = defaultConfig({ ...DIGITS, clients: 10, fraction: 1, localEpochs: 2, rounds: 5 });

interface Timed {
  ms: number;
  cpuMs: number;
  accuracy: number;
  events: number;
}

/** One run, every event consumed (as a page does), timed. */
async function timedRun(config: RunConfig): Promise<Timed> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let accuracy = 0;
  let events = 0;
  for await (const e of run(config, { data })) {
    events++;
    if (e.type === 'round-metrics') accuracy = e.metrics.testAccuracy;
    if (e.type === 'run-diverged') throw new Error(`${config.algorithm} diverged`);
  }
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, accuracy, events };
}

/** Alternately timed runs of `a` and `b`; returns the medians and their ratio a/b. */
async function compare(a: RunConfig, b: RunConfig, log: (line: string) => void): Promise<{ ratio: number; cpuRatio: number; a: Timed; b: Timed; aMs: number; bMs: number }> {
  await timedRun(a); // warm-up (data loading, kernels)
  await timedRun(b);
  const ta: Timed[] = [];
  const tb: Timed[] = [];
  for (let i = 0; i < TRIALS; i++) {
    ta.push(await timedRun(a));
    tb.push(await timedRun(b));
    log(`  trial ${i + 1}: ${a.algorithm} ${ta[i].ms.toFixed(0)} ms, ${b.algorithm} ${tb[i].ms.toFixed(0)} ms`);
  }
  const aMs = median(ta.map((t) => t.ms));
  const bMs = median(tb.map((t) => t.ms));
  return { ratio: aMs / bMs, cpuRatio: median(ta.map((t) => t.cpuMs)) / median(tb.map((t) => t.cpuMs)), a: ta[0], b: tb[0], aMs, bMs };
}

const suite: BenchSuite = {
  title: 'split learning (wasm)',
  async run(log) {
    await initNodeBackend('wasm');
    const results: BenchResult[] = [];

    log(' split-vs-centralized (digits, MLP 64-64)');
    const d = await compare({ ...DIGITS, algorithm: 'split' }, { ...DIGITS, algorithm: 'centralized' }, log);
    results.push({
      name: 'split-vs-centralized',
      ratio: d.ratio,
      target: '≤ 1.5',
      ok: d.ratio <= 1.5,
      detail:
        `digits, MLP 64-64, B=10, 5 epochs; split: K=4 round-robin, cut 1 (q=64), p2p hand-off, ${d.a.events} events consumed; ` +
        `median of ${TRIALS} alternating trials: split ${d.aMs.toFixed(0)} ms (test acc ${d.a.accuracy.toFixed(3)}), centralized ${d.bMs.toFixed(0)} ms ` +
        `(test acc ${d.b.accuracy.toFixed(3)}); CPU-time ratio ${d.cpuRatio.toFixed(2)}`,
    });

    log(' split-vs-centralized-2nn (MNIST 6000, 2NN)');
    const m = await compare({ ...MNIST_2NN, algorithm: 'split' }, { ...MNIST_2NN, algorithm: 'centralized' }, log);
    results.push({
      name: 'split-vs-centralized-2nn',
      ratio: m.ratio,
      target: '≤ 1.5',
      ok: m.ratio <= 1.5,
      detail:
        `MNIST (first 6000), 2NN 784-200-200-10, B=10, 1 epoch; split: K=4, cut 1 (q=200); median of ${TRIALS} alternating trials: ` +
        `split ${m.aMs.toFixed(0)} ms (test acc ${m.a.accuracy.toFixed(3)}), centralized ${m.bMs.toFixed(0)} ms (test acc ${m.b.accuracy.toFixed(3)}); ` +
        `CPU-time ratio ${m.cpuRatio.toFixed(2)}`,
    });

    log(' splitfed1-vs-fedavg (digits, MLP 64-64, K=10)');
    const f = await compare({ ...FED, algorithm: 'splitfed1' }, { ...FED, algorithm: 'fedavg' }, log);
    results.push({
      name: 'splitfed1-vs-fedavg',
      ratio: f.ratio,
      detail:
        `digits, MLP 64-64, K=10 C=1 E=2 B=10 R=5, SplitFed V1 cut 1; median of ${TRIALS} alternating trials: splitfed1 ${f.aMs.toFixed(0)} ms ` +
        `(test acc ${f.a.accuracy.toFixed(3)}, ${f.a.events} events), fedavg ${f.bMs.toFixed(0)} ms (test acc ${f.b.accuracy.toFixed(3)}); ` +
        `CPU-time ratio ${f.cpuRatio.toFixed(2)}`,
    });
    return results;
  },
};

export default suite;
