/**
 * The engine's numbered properties (each stated in its describe block), the shape of the event
 * stream, determinism, and that every run frees its tensors however it ends.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, run, type EngineEvent, type RunConfig } from '~/engine/index';
import { aggregationCoefficients, clientsPerRound } from '~/engine/algorithms/federated';
import { weightedSum } from '~/engine/train';
import { collect, collectAborted, computed, data, defaultConfig, finalWeights, maxAbsDiff, ofType, setup, tf } from './engine-helpers';

beforeAll(setup);

const circles = (over: Parameters<typeof defaultConfig>[0] = {}) =>
  defaultConfig({ dataset: { name: 'circles', noise: 0.1, size: 200 }, model: { hidden: [6, 6], activation: 'tanh' }, lr: 0.2, ...over });
const digits = (over: Parameters<typeof defaultConfig>[0] = {}) =>
  defaultConfig({ dataset: { name: 'digits', noise: 0, size: 300 }, model: { hidden: [16] }, lr: 0.1, ...over });

describe('property 1: FedAvg with one client is centralized SGD', () => {
  it.each([
    ['circles, B = 10', circles, 10, true],
    ['digits, B = 16, no shuffle', digits, 16, false],
    ['digits, B = all', digits, 'all', true],
  ] as const)('%s', async (_, make, batchSize, shuffle) => {
    const E = 2;
    const R = 3;
    const fed = await finalWeights(make({ algorithm: 'fedavg', clients: 1, fraction: 1, localEpochs: E, batchSize, rounds: R, shuffle }));
    const central = await finalWeights(make({ algorithm: 'centralized', clients: 1, epochs: E * R, batchSize, shuffle }));
    expect(maxAbsDiff(fed, central)).toBeLessThanOrEqual(1e-5);
    // and it is not trivially true: a different batch size gives different weights
    const other = await finalWeights(make({ algorithm: 'centralized', clients: 1, epochs: E * R, batchSize: 7, shuffle }));
    expect(maxAbsDiff(other, central)).toBeGreaterThan(1e-3);
  });
});

describe('property 2: FedSGD is FedAvg with E = 1, B = all', () => {
  it.each([
    ['IID, all clients', { partition: { kind: 'iid' as const }, clients: 4, fraction: 1 }],
    ['Dirichlet (unequal n_k), half the clients', { partition: { kind: 'dirichlet' as const, alpha: 0.3 }, clients: 6, fraction: 0.5 }],
  ])('%s', async (_, over) => {
    const fedsgd = await finalWeights(digits({ algorithm: 'fedsgd', rounds: 5, lr: 0.5, localEpochs: 3, batchSize: 4, ...over }));
    const fedavg = await finalWeights(digits({ algorithm: 'fedavg', rounds: 5, lr: 0.5, localEpochs: 1, batchSize: 'all', ...over }));
    expect(maxAbsDiff(fedsgd, fedavg)).toBeLessThanOrEqual(1e-5);
    const fedavgE2 = await finalWeights(digits({ algorithm: 'fedavg', rounds: 5, lr: 0.5, localEpochs: 2, batchSize: 'all', ...over }));
    expect(maxAbsDiff(fedsgd, fedavgE2)).toBeGreaterThan(1e-3);
  });
});

describe('property 3: FedProx(μ = 0) and DP-FedAvg without clipping or noise are FedAvg', () => {
  const base = { clients: 5, fraction: 0.6, localEpochs: 2, batchSize: 8, rounds: 4, partition: { kind: 'shards' as const, shardsPerClient: 2 } };
  it('FedProx with μ = 0', async () => {
    const fedavg = await finalWeights(digits({ algorithm: 'fedavg', ...base }));
    expect(maxAbsDiff(await finalWeights(digits({ algorithm: 'fedprox', mu: 0, ...base })), fedavg)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(await finalWeights(digits({ algorithm: 'fedprox', mu: 1, ...base })), fedavg)).toBeGreaterThan(1e-3);
  });
  it('DP-FedAvg (fixed m, the earlier sampling) with S = 0 and z = 0', async () => {
    const fedavg = await finalWeights(digits({ algorithm: 'fedavg', ...base }));
    expect(maxAbsDiff(await finalWeights(digits({ algorithm: 'dpfedavg', dpSampling: 'fixed', clip: 0, noise: 0, ...base })), fedavg)).toBeLessThanOrEqual(1e-5);
    // clipping alone changes the result; noise changes it again, reproducibly
    const clipped = await finalWeights(digits({ algorithm: 'dpfedavg', dpSampling: 'fixed', clip: 0.05, noise: 0, ...base }));
    expect(maxAbsDiff(clipped, fedavg)).toBeGreaterThan(1e-3);
    const noisy = await finalWeights(digits({ algorithm: 'dpfedavg', dpSampling: 'fixed', clip: 0.05, noise: 1, ...base }));
    expect(maxAbsDiff(noisy, clipped)).toBeGreaterThan(1e-3);
    expect(await finalWeights(digits({ algorithm: 'dpfedavg', dpSampling: 'fixed', clip: 0.05, noise: 1, ...base }))).toEqual(noisy);
  });
});

describe('property 4: same config and seed, same events', () => {
  it.each(['centralized', 'fedavg', 'fedprox', 'dpfedavg', 'fedsgd'] as const)('%s on 2D data, with boundaries and weights', async (algorithm) => {
    const cfg = circles({ algorithm, rounds: 3, epochs: 3, clients: 4, fraction: 0.5, clip: 1, noise: algorithm === 'dpfedavg' ? 0.5 : 0 });
    const opts = { boundaryGrid: 8, clientBoundaries: true, emitWeights: true };
    // The compute times the engine measures (`ms`) differ from run to run; the rest may not.
    const a = await computed(cfg, opts);
    const b = await computed(cfg, opts);
    expect(b).toEqual(a);
    const c = await computed({ ...cfg, seed: 2 }, opts);
    expect(c).not.toEqual(a);
  });
});

describe('property 5: weighted averaging is Σ n_k w_k / Σ n_k', () => {
  it('on hand values', () => {
    const n = [1, 3, 6];
    const ws = [
      [[1, 2, 3], [10]],
      [[4, 5, 6], [20]],
      [[-7, 8.5, 0.25], [-30]],
    ].map((w) => w.map((v) => tf.tensor1d(v)));
    const c = aggregationCoefficients(n, 'samples');
    expect(c).toEqual([0.1, 0.3, 0.6]);
    const avg = weightedSum(ws, c).map((t) => Array.from(t.dataSync()));
    const expected = [0, 1].map((j) =>
      ws[0][j].dataSync().map((_, i) => (n[0] * ws[0][j].dataSync()[i] + n[1] * ws[1][j].dataSync()[i] + n[2] * ws[2][j].dataSync()[i]) / 10),
    );
    expect(maxAbsDiff(avg[0], expected[0])).toBeLessThan(1e-6);
    expect(avg[0]).toEqual([expect.closeTo(-2.9, 6), expect.closeTo(6.8, 6), expect.closeTo(2.25, 6)]);
    expect(avg[1][0]).toBeCloseTo(-11, 5);
    expect(aggregationCoefficients(n, 'uniform')).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(aggregationCoefficients([0, 0], 'samples')).toEqual([0.5, 0.5]);
    tf.dispose(ws);
  });

  it('in a real run: the averaged model is the n_k-weighted mean of the client models', async () => {
    const events = await collect(digits({ algorithm: 'fedavg', clients: 5, fraction: 0.6, rounds: 2, partition: { kind: 'quantity', alpha: 0.5 } }), { emitWeights: true });
    for (const avg of ofType(events, 'models-averaged')) {
      const trained = ofType(events, 'client-trained').filter((e) => e.round === avg.round);
      expect(trained.map((e) => e.client)).toEqual(avg.clients);
      const total = trained.reduce((s, e) => s + e.n, 0);
      expect(avg.coefficients).toEqual(trained.map((e) => e.n / total));
      const expected = avg.after!.map((_, i) => trained.reduce((s, e) => s + e.n * e.weights![i], 0) / total);
      expect(maxAbsDiff(avg.after!, expected)).toBeLessThan(1e-6);
    }
  });
});

describe('the event stream', () => {
  it('federated: selection, messages, bytes, boundaries, metrics', async () => {
    const cfg = circles({ algorithm: 'fedavg', clients: 5, fraction: 0.5, rounds: 3 });
    const events = await collect(cfg, { boundaryGrid: 10, clientBoundaries: true });
    const start = events[0];
    if (start.type !== 'run-started') throw new Error('first event must be run-started');
    expect(start.parameters).toBe(2 * 6 + 6 + 6 * 6 + 6 + 6 * 2 + 2);
    expect(start.data.histograms).toHaveLength(5);
    expect(start.data.histograms.flat().reduce((a, b) => a + b, 0)).toBe(200);
    expect(start.data.points!.xy).toHaveLength(400);
    expect(start.data.testPoints!.labels).toHaveLength(200);
    const owners = start.data.points!.client;
    start.data.histograms.forEach((h, k) => {
      const held = Array.from(owners).filter((o) => o === k).length;
      expect(held).toBe(h.reduce((a, b) => a + b, 0));
    });
    expect(start.data.extent).toEqual([-1.6, 1.6]);
    const rounds = ofType(events, 'round-started');
    expect(rounds.map((r) => r.round)).toEqual([1, 2, 3]);
    const m = clientsPerRound(0.5, 5);
    expect(m).toBe(2);
    for (const r of rounds) expect(r.selected).toHaveLength(m);
    expect(new Set(rounds.map((r) => r.selected.join())).size).toBeGreaterThan(1);
    const bytes = start.parameters * 4;
    for (const metrics of ofType(events, 'round-metrics').map((e) => e.metrics)) {
      const msgs = ofType(events, 'message-sent').filter((e) => e.round === metrics.round);
      expect(msgs.filter((e) => e.kind === 'weights-down').map((e) => e.bytes)).toEqual([bytes, bytes]);
      expect(metrics.bytesUp).toBe(2 * bytes);
      expect(metrics.bytesDown).toBe(2 * bytes);
      expect(metrics.bytesByKind).toEqual({ 'weights-down': 2 * bytes, 'weights-up': 2 * bytes });
      expect(metrics.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(metrics.testAccuracy).toBeLessThanOrEqual(1);
    }
    const boundaries = ofType(events, 'boundary');
    expect(boundaries.filter((b) => b.owner === 'global')).toHaveLength(3);
    expect(boundaries.filter((b) => b.owner !== 'global')).toHaveLength(3 * m);
    for (const b of boundaries) {
      expect(b.probs).toHaveLength(10 * 10 * 2);
      for (let i = 0; i < 100; i++) expect(b.probs[2 * i] + b.probs[2 * i + 1]).toBeCloseTo(1, 5);
    }
    const end = events[events.length - 1];
    expect(end).toEqual({ type: 'run-finished', rounds: 3 });
    // learning happened
    const acc = ofType(events, 'round-metrics').map((e) => e.metrics.testAccuracy);
    expect(acc[2]).toBeGreaterThan(0.6);
  });

  it('clamps an absurd boundary resolution', async () => {
    const events = await collect(circles({ rounds: 1 }), { boundaryGrid: 1e9 });
    const b = ofType(events, 'boundary')[0];
    expect(b.grid).toBe(200);
    expect(b.probs).toHaveLength(200 * 200 * 2);
  });

  it('centralized: raw data goes up once, one entry per epoch, the boundary separates the circles', async () => {
    const cfg = circles({ algorithm: 'centralized', clients: 3, epochs: 25, batchSize: 10, lr: 0.3 });
    const events = await collect(cfg, { boundaryGrid: 16 });
    const raw = ofType(events, 'message-sent');
    expect(raw.every((e) => e.kind === 'raw-data' && e.round === 1 && e.to === 'server')).toBe(true);
    expect(raw.reduce((s, e) => s + e.bytes, 0)).toBe(200 * 3 * 4);
    const metrics = ofType(events, 'round-metrics').map((e) => e.metrics);
    expect(metrics.map((m) => m.round)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(metrics[24].testAccuracy).toBeGreaterThan(0.9);
    const last = ofType(events, 'boundary').at(-1)!;
    const p1 = (row: number, col: number) => last.probs[(row * 16 + col) * 2 + 1];
    expect(p1(8, 8)).toBeGreaterThan(0.5); // the centre is the inner disc (class 1)
    expect(p1(0, 0)).toBeLessThan(0.5); // a corner is outside
  });
});

describe('runs end cleanly and free every tensor', () => {
  const baseline = () => tf.memory().numTensors;

  it('after a finished run, with images and a CNN', async () => {
    const before = baseline();
    const events = await collect(digits({ algorithm: 'fedavg', model: { kind: 'cnn' }, clients: 3, rounds: 1, localEpochs: 1 }));
    expect(events.at(-1)!.type).toBe('run-finished');
    expect(baseline()).toBe(before);
  });

  it('after a diverged run', async () => {
    const before = baseline();
    const cfg = defaultConfig({ dataset: { name: 'blobs', noise: 0.1, size: 200 }, model: { hidden: [16, 16], activation: 'linear' }, lr: 10, batchSize: 1, rounds: 5 });
    for (const algorithm of ['fedavg', 'centralized', 'dpfedavg'] as const) {
      const events = await collect({ ...cfg, algorithm }, { emitWeights: true, boundaryGrid: 5 });
      const end = events.at(-1)!;
      expect(end.type).toBe('run-diverged');
      if (end.type === 'run-diverged') {
        expect(end.message).toMatch(/NaN/);
        expect(end.messageEn).toMatch(/smaller learning rate/);
      }
      expect(baseline()).toBe(before);
    }
  });

  it('after a cancelled run: an abort fired by a timer stops training within a batch group', async () => {
    const before = baseline();
    const cfg = digits({ algorithm: 'fedavg', clients: 4, rounds: 1000, localEpochs: 50, batchSize: 1 });
    const { events, abortedAt, latency } = await collectAborted(cfg, 300);
    expect(abortedAt).toBeGreaterThan(0);
    expect(latency).toBeLessThan(250);
    expect(events.at(-1)).toEqual({ type: 'run-cancelled', round: 1 });
    expect(ofType(events, 'round-metrics')).toHaveLength(0);
    expect(baseline()).toBe(before);
  });

  it('after an abort between rounds, an abort before the start, and a consumer that stops early', async () => {
    const before = baseline();
    const controller = new AbortController();
    const events: EngineEvent[] = [];
    for await (const e of run(circles({ rounds: 10 }), { signal: controller.signal })) {
      events.push(e);
      if (e.type === 'round-metrics' && e.metrics.round === 2) controller.abort();
    }
    expect(events.at(-1)).toEqual({ type: 'run-cancelled', round: 2 });
    expect(baseline()).toBe(before);

    const early = await collect(circles(), { signal: AbortSignal.abort() });
    expect(early).toEqual([{ type: 'run-cancelled', round: 0 }]);

    let seen = 0;
    for await (const e of run(circles({ rounds: 10 }), { emitWeights: true })) {
      if (e.type === 'client-trained' && ++seen === 3) break;
    }
    expect(baseline()).toBe(before);
  });
});

describe('clients without data', () => {
  it.each(['fedavg', 'fedsgd', 'dpfedavg', 'fedprox'] as const)('%s refuses, in Korean and English, a partition that leaves clients with nothing', async (algorithm) => {
    // Dirichlet(0.01) over 10 clients with 20 two-class examples sends each class to about one
    // client: no redraw gives everyone an example, so the run stops before training with a
    // problem on partition.alpha (shown by the widgets in Korean, by the CLI in one line).
    const cfg: RunConfig = circles({
      algorithm,
      dataset: { name: 'circles', noise: 0, size: 20 },
      clients: 10,
      partition: { kind: 'dirichlet', alpha: 0.01 },
      rounds: 2,
      clip: 1,
    });
    const err = await collect(cfg).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    const [problem] = (err as ConfigError).problems;
    expect(problem.field).toBe('partition.alpha');
    expect(problem.ko).toContain('예제를 하나도 받지 못하는 클라이언트');
    // Two clients and α = 1 make the same run go through: the refusal is the partition's.
    const fine = await collect({ ...cfg, clients: 2, partition: { ...cfg.partition, alpha: 1 } });
    expect(fine.at(-1)!.type).toBe('run-finished');
  });
});
