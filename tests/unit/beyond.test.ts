/**
 * Beyond FedAvg: SCAFFOLD, the server optimizers, dropouts and stragglers, personalization. Each
 * equivalence to FedAvg is checked to 1e-5 together with a variation that must differ (so the
 * equality is not trivially true), and each update rule once on hand values.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig as cfgDefaults, validateConfig } from '~/engine/index';
import { Scaffold } from '~/engine/algorithms/scaffold';
import { ServerOptimizer } from '~/engine/server-optimizers';
import { localTestSplits } from '~/engine/personalization';
import { Rng } from '~/engine/rng';
import { initRounds, reduceRounds } from '~/engine/rounds';
import { collect, computed, defaultConfig, finalWeights, maxAbsDiff, ofType, setup, tf } from './engine-helpers';

beforeAll(setup);

const digits = (over: Parameters<typeof defaultConfig>[0] = {}) =>
  defaultConfig({ dataset: { name: 'digits', noise: 0, size: 300 }, model: { hidden: [16] }, lr: 0.1, localEpochs: 2, batchSize: 8, rounds: 3, ...over });
const skewed = { clients: 5, fraction: 0.6, partition: { kind: 'dirichlet' as const, alpha: 0.3 } };

describe('SCAFFOLD', () => {
  it('with one client (η_g = 1) is FedAvg, and with several it is not', async () => {
    const one = { clients: 1, fraction: 1 };
    const fedavg = await finalWeights(digits({ algorithm: 'fedavg', ...one }));
    expect(maxAbsDiff(await finalWeights(digits({ algorithm: 'scaffold', serverLr: 1, ...one })), fedavg)).toBeLessThanOrEqual(1e-5);
    // not trivially true: with several skewed clients the control variates change the steps
    const many = await finalWeights(digits({ algorithm: 'fedavg', ...skewed }));
    expect(maxAbsDiff(await finalWeights(digits({ algorithm: 'scaffold', ...skewed })), many)).toBeGreaterThan(1e-3);
    // nor is the server step ignored
    expect(maxAbsDiff(await finalWeights(digits({ algorithm: 'scaffold', serverLr: 0.5, ...one })), fedavg)).toBeGreaterThan(1e-3);
  });

  it('option II and the server update on hand values', () => {
    const s = new Scaffold([tf.tensor1d([0, 0])], 4);
    const x = [tf.tensor1d([1, 2])];
    const y = [tf.tensor1d([0.5, 3])];
    // c = 0, c_0 = 0: c_0⁺ = (x − y)/(K η) = [0.5, −1]/(5 · 0.1) = [1, −2]
    s.clientUpdate(0, x, y, 5, 0.1);
    expect(Array.from(s.correction(0)[0].dataSync())).toEqual([-1, 2].map((v) => expect.closeTo(v, 6)));
    s.finishRound(); // c = 0 + (1/N)·Δc = [0.25, −0.5]
    expect(Array.from(s.correction(1)[0].dataSync())).toEqual([0.25, -0.5].map((v) => expect.closeTo(v, 6)));
    // client 0 again: c_0⁺ = c_0 − c + (x − y)/(Kη) = [1, −2] − [0.25, −0.5] + [1, −2] = [1.75, −3.5]
    s.clientUpdate(0, x, y, 5, 0.1);
    expect(Array.from(s.correction(0)[0].dataSync())).toEqual([0.25 - 1.75, -0.5 + 3.5].map((v) => expect.closeTo(v, 6)));
    const next = Scaffold.serverStep(x, y, 0.5); // x + 0.5 (y − x)
    expect(Array.from(next[0].dataSync())).toEqual([0.75, 2.5]);
    s.dispose();
    tf.dispose([...x, ...y, ...next]);
  });

  it('sends the control variates both ways: twice FedAvg’s bytes, by kind', async () => {
    const events = await collect(digits({ algorithm: 'scaffold', ...skewed }));
    const N = ofType(events, 'run-started')[0].parameters;
    const m = 3;
    for (const { metrics } of ofType(events, 'round-metrics')) {
      expect(metrics.bytesByKind).toEqual({ 'weights-down': m * N * 4, 'control-variate': 2 * m * N * 4, 'weights-up': m * N * 4 });
      expect(metrics.bytesDown).toBe(2 * m * N * 4);
      expect(metrics.bytesUp).toBe(2 * m * N * 4);
    }
  });
});

describe('server optimizers', () => {
  it('FedAvgM with β = 0 and server lr 1 is FedAvg; with β = 0.9 it is not', async () => {
    const fedavg = await finalWeights(digits({ algorithm: 'fedavg', ...skewed }));
    expect(maxAbsDiff(await finalWeights(digits({ algorithm: 'fedavgm', serverMomentum: 0, serverLr: 1, ...skewed })), fedavg)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(await finalWeights(digits({ algorithm: 'fedavgm', serverMomentum: 0.9, serverLr: 1, ...skewed })), fedavg)).toBeGreaterThan(1e-3);
  });

  it('each update rule on hand values (two rounds)', () => {
    const cfg = { serverLr: 0.1, serverMomentum: 0.5, beta1: 0.9, beta2: 0.99, tau: 0.01 };
    const x0 = [tf.tensor1d([1, -1])];
    const means = [[tf.tensor1d([1.5, -1])], null as null | tf.Tensor[]];
    // Reference in plain numbers, per coordinate.
    const reference = (kind: string) => {
      let x = [1, -1];
      let m = [0, 0];
      let v = [cfg.tau ** 2, cfg.tau ** 2];
      const deltas = [[0.5, 0], [-0.2, 0.3]];
      for (const d of deltas) {
        if (kind === 'fedavgm') {
          m = m.map((mi, i) => cfg.serverMomentum * mi + d[i]);
          x = x.map((xi, i) => xi + cfg.serverLr * m[i]);
          continue;
        }
        m = m.map((mi, i) => cfg.beta1 * mi + (1 - cfg.beta1) * d[i]);
        v = v.map((vi, i) => {
          const d2 = d[i] * d[i];
          if (kind === 'fedadagrad') return vi + d2;
          if (kind === 'fedyogi') return vi - (1 - cfg.beta2) * d2 * Math.sign(vi - d2);
          return cfg.beta2 * vi + (1 - cfg.beta2) * d2;
        });
        x = x.map((xi, i) => xi + (cfg.serverLr * m[i]) / (Math.sqrt(v[i]) + cfg.tau));
      }
      return x;
    };
    for (const kind of ['fedavgm', 'fedadam', 'fedyogi', 'fedadagrad'] as const) {
      const opt = new ServerOptimizer(kind, cfg);
      const x1 = opt.step(x0, means[0]!);
      // the second round's mean is x1 + Δ₂
      const mean2 = [tf.add(x1[0], tf.tensor1d([-0.2, 0.3]))];
      const x2 = opt.step(x1, mean2);
      const expected = reference(kind);
      const got = Array.from(x2[0].dataSync());
      expect(maxAbsDiff(got, expected), kind).toBeLessThan(1e-5);
      opt.dispose();
      tf.dispose([...x1, ...x2, ...mean2]);
    }
    // FedAdam and FedYogi differ once v exceeds Δ² (here in the second round's first coordinate)
    expect(maxAbsDiff(reference('fedadam'), reference('fedyogi'))).toBeGreaterThan(1e-4);
    tf.dispose([...x0, ...means[0]!]);
  });
});

describe('dropouts and stragglers', () => {
  it('--dropout 0 and --stragglers 0 change nothing; dropouts renormalise over those who returned', async () => {
    const opts = { emitWeights: true };
    const base = await computed(digits({ algorithm: 'fedavg', ...skewed }), opts);
    expect(await computed(digits({ algorithm: 'fedavg', dropout: 0, stragglers: 0, ...skewed }), opts)).toEqual(base);
    for (const r of ofType(base, 'round-metrics')) expect(r.metrics.dropped).toEqual([]);

    const events = await collect(digits({ algorithm: 'fedavg', dropout: 0.5, rounds: 5, ...skewed }), opts);
    const N = ofType(events, 'run-started')[0].parameters;
    let droppedTotal = 0;
    for (const avg of ofType(events, 'models-averaged')) {
      const started = ofType(events, 'round-started').find((e) => e.round === avg.round)!;
      const droppedEvents = ofType(events, 'client-dropped').filter((e) => e.round === avg.round).map((e) => e.client);
      expect(avg.dropped).toEqual(droppedEvents);
      expect([...avg.clients, ...avg.dropped!].sort((a, b) => a - b)).toEqual(started.selected);
      const trained = ofType(events, 'client-trained').filter((e) => e.round === avg.round);
      expect(trained.map((e) => e.client)).toEqual(avg.clients);
      if (trained.length) {
        const total = trained.reduce((s, e) => s + e.n, 0);
        expect(avg.coefficients).toEqual(trained.map((e) => e.n / total));
        const expected = avg.after!.map((_, i) => trained.reduce((s, e) => s + e.n * e.weights![i], 0) / total);
        expect(maxAbsDiff(avg.after!, expected)).toBeLessThan(1e-6);
      } else {
        expect(maxAbsDiff(avg.after!, avg.before!)).toBe(0);
      }
      const metrics = ofType(events, 'round-metrics').find((e) => e.metrics.round === avg.round)!.metrics;
      expect(metrics.dropped).toEqual(avg.dropped);
      // bytes: the model went down to every selected client, came back from those who returned
      expect(metrics.bytesDown).toBe(started.selected.length * N * 4);
      expect(metrics.bytesUp).toBe(avg.clients.length * N * 4);
      droppedTotal += avg.dropped!.length;
    }
    expect(droppedTotal).toBeGreaterThan(0);
    expect(droppedTotal).toBeLessThan(15);
  });

  it('stragglers run 1…E epochs; with E = 1 a straggler is like anyone else', async () => {
    const events = await collect(digits({ algorithm: 'fedprox', mu: 0.1, stragglers: 1, localEpochs: 3, rounds: 4, ...skewed }));
    const epochs = ofType(events, 'client-trained').map((e) => e.epochs ?? 3);
    for (const e of epochs) expect([1, 2, 3]).toContain(e);
    expect(new Set(epochs).size).toBeGreaterThan(1);
    const one = { algorithm: 'fedprox' as const, mu: 0.1, localEpochs: 1, ...skewed };
    expect(maxAbsDiff(await finalWeights(digits({ ...one, stragglers: 1 })), await finalWeights(digits(one)))).toBe(0);
    const three = { ...one, localEpochs: 3 };
    expect(maxAbsDiff(await finalWeights(digits({ ...three, stragglers: 1 })), await finalWeights(digits(three)))).toBeGreaterThan(1e-3);
  });
});

describe('the federated widgets’ round reducer', () => {
  it('records who dropped out and the stragglers’ epochs, as the engine reported them', async () => {
    const events = await collect(digits({ algorithm: 'scaffold', dropout: 0.4, stragglers: 1, localEpochs: 3, rounds: 4, ...skewed }));
    let s = initRounds();
    for (const e of events) s = reduceRounds(s, e);
    const averaged = ofType(events, 'models-averaged');
    expect(s.rounds.map((r) => r.dropped)).toEqual(averaged.map((a) => a.dropped));
    expect(s.rounds.some((r) => r.dropped.length > 0)).toBe(true);
    for (const r of s.rounds) {
      expect([...r.clients.keys()].sort()).toEqual(r.selected.filter((k) => !r.dropped.includes(k)).sort());
      for (const [k, c] of r.clients) {
        const t = ofType(events, 'client-trained').find((e) => e.round === r.round && e.client === k)!;
        expect(c.epochs).toBe(t.epochs);
      }
    }
  });
});

describe('personalization', () => {
  it('local test splits follow each client’s label distribution, disjoint', () => {
    const hist = [
      [10, 0, 5],
      [0, 20, 5],
      [10, 0, 0],
    ];
    const labels = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    const splits = localTestSplits(hist, labels, 3, new Rng(1, 'personal-test'));
    const all = splits.flatMap((s) => Array.from(s));
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(labels.length);
    const count = (k: number, c: number) => Array.from(splits[k]).filter((i) => labels[i] === c).length;
    expect([count(0, 0), count(1, 0), count(2, 0)]).toEqual([2, 0, 2]);
    expect([count(0, 1), count(1, 1), count(2, 1)]).toEqual([0, 3, 0]);
    expect([count(0, 2), count(1, 2), count(2, 2)]).toEqual([4, 5, 0]);
  });

  it('fine-tuning on skewed clients raises their own accuracy; the means are over clients', async () => {
    const cfg = digits({ algorithm: 'fedavg', clients: 5, fraction: 1, partition: { kind: 'dirichlet', alpha: 0.1 }, rounds: 3, personalizeEpochs: 3 });
    const events = await collect(cfg);
    const p = ofType(events, 'personalized')[0];
    expect(p.clients).toHaveLength(5);
    expect(ofType(events, 'client-personalized')).toHaveLength(5);
    const tested = p.clients.filter((c) => c.testN > 0);
    expect(p.meanBefore).toBeCloseTo(tested.reduce((s, c) => s + c.before, 0) / tested.length, 10);
    expect(p.meanAfter).toBeCloseTo(tested.reduce((s, c) => s + c.after, 0) / tested.length, 10);
    expect(p.meanAfter).toBeGreaterThan(p.meanBefore + 0.05);
    // the global model the run returns is not a personalized one
    expect(events[events.length - 1].type).toBe('run-finished');
    expect(ofType(events, 'round-metrics')).toHaveLength(3);
  });
});

describe('validation', () => {
  it('explains bad values in Korean and English', () => {
    const bad = validateConfig(cfgDefaults({ dropout: 1, serverMomentum: 1, tau: 0, personalizeEpochs: 1.5, stragglers: -0.1 }));
    expect(bad.map((p) => p.field).sort()).toEqual(['dropout', 'personalizeEpochs', 'serverMomentum', 'stragglers', 'tau']);
    for (const p of bad) {
      expect(p.ko).toMatch(/[가-힣]/);
      expect(p.en.length).toBeGreaterThan(10);
    }
    const central = validateConfig(cfgDefaults({ algorithm: 'centralized', dropout: 0.2 }));
    expect(central.map((p) => p.field)).toEqual(['dropout']);
    expect(validateConfig(cfgDefaults({ algorithm: 'fedsgd', stragglers: 0.5 })).map((p) => p.field)).toEqual(['stragglers']);
    expect(validateConfig(cfgDefaults({ algorithm: 'fedadam', serverLr: 0.03, dropout: 0.3, stragglers: 0.5, personalizeEpochs: 2 }))).toEqual([]);
  });
});
