/**
 * Clients trained together (src/engine/vectorized.ts) give what the sequential loop gives: the
 * same final weights to 1e-5 and the same events in the same order with the same contents, for
 * FedAvg, FedProx, DP-FedAvg (z = 0), unequal client sizes and epochs, B = ∞, the 2NN (mixed
 * grouped and per-client layers) and a small budget that splits the clients into several groups. Each comparison also checks that the vectorised
 * path really ran and that the comparison can fail.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, RunConfig } from '~/engine/index';
import { buildModel, loadDigits, loadMnist, partition, Rng, training } from '~/engine/index';
import { ClientGroups, balancedGroups, groupSize, trainGroup, vectorizedRound, type ClientJob } from '~/engine/vectorized';
import { collect, data, defaultConfig, maxAbsDiff, ofType, setup, tf, untimed } from './engine-helpers';

beforeAll(setup);

/** Largest difference between two events' numbers and arrays; Infinity if their shapes differ. */
function eventDiff(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b) ? 0 : Math.abs(a - b);
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) return maxAbsDiff(a as Float32Array, b as Float32Array);
  if (Array.isArray(a) && Array.isArray(b)) return a.length !== b.length ? Infinity : Math.max(0, ...a.map((x, i) => eventDiff(x, b[i])));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    if (ka.join() !== kb.join()) return Infinity;
    return Math.max(0, ...ka.map((k) => eventDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])));
  }
  return a === b ? 0 : Infinity;
}

async function both(config: RunConfig, options = {}): Promise<{ seq: EngineEvent[]; vec: EngineEvent[] }> {
  const opts = { emitWeights: true, ...options };
  return { seq: await collect(config, { ...opts, sequential: true }), vec: await collect(config, opts) };
}

function expectSameRun(seq: EngineEvent[], vec: EngineEvent[]): void {
  expect(vec.map((e) => e.type)).toEqual(seq.map((e) => e.type));
  const worst = Math.max(...seq.map((e, i) => eventDiff(untimed(e), untimed(vec[i]))));
  expect(worst).toBeLessThanOrEqual(1e-5);
  const a = ofType(seq, 'run-finished')[0].weights!;
  const b = ofType(vec, 'run-finished')[0].weights!;
  expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(1e-5);
}

const digits = (over: Parameters<typeof defaultConfig>[0] = {}) =>
  defaultConfig({ dataset: { name: 'digits', noise: 0, size: 500 }, model: { hidden: [16, 12] }, lr: 0.1, rounds: 3, clients: 8, fraction: 0.5, ...over });

describe('vectorised local training equals the sequential loop (events and final weights, 1e-5)', () => {
  it.each([
    ['FedAvg, IID, B = 10', digits({ algorithm: 'fedavg', batchSize: 10 })],
    ['FedAvg, unequal client sizes (quantity skew), B = 7', digits({ algorithm: 'fedavg', partition: { kind: 'quantity', alpha: 0.5 }, batchSize: 7, localEpochs: 2 })],
    ['FedAvg, B = ∞, Dirichlet (unequal sizes), no shuffle', digits({ algorithm: 'fedavg', partition: { kind: 'dirichlet', alpha: 0.3 }, batchSize: 'all', localEpochs: 3, lr: 0.5, shuffle: false })],
    ['FedProx μ = 0.5, tanh, unequal sizes', digits({ algorithm: 'fedprox', mu: 0.5, model: { hidden: [10], activation: 'tanh' }, partition: { kind: 'quantity', alpha: 0.5 }, batchSize: 8, localEpochs: 2 })],
    ['DP-FedAvg z = 0, clipped (S = 0.3), B = ∞, unequal sizes', digits({ algorithm: 'dpfedavg', clip: 0.3, noise: 0, partition: { kind: 'quantity', alpha: 1 }, batchSize: 'all', localEpochs: 2, lr: 0.3, weighting: 'uniform' })],
    ['FedAvg with dropouts and stragglers (fewer local epochs, masked in the group)', digits({ algorithm: 'fedavg', batchSize: 10, localEpochs: 3, dropout: 0.3, stragglers: 0.5, fraction: 1 })],
    ['FedAvgM (server momentum; clients as FedAvg)', digits({ algorithm: 'fedavgm', batchSize: 10, serverLr: 1, serverMomentum: 0.9 })],
    ['DP-FedAvg z = 0, B = 10, sigmoid', digits({ algorithm: 'dpfedavg', clip: 1, noise: 0, model: { hidden: [8], activation: 'sigmoid' }, batchSize: 10 })],
  ])('%s', async (_, config) => {
    const { seq, vec } = await both(config);
    expectSameRun(seq, vec);
    // The vectorised path did run for this configuration (it returns null where it would not).
    const model = buildModel(config.model, [64], 10);
    const job: ClientJob = { data: new training.ExampleSet(new Float32Array(64), new Int32Array(1), 64, 10), epochs: 1, shuffle: null };
    expect(vectorizedRound({ config, options: {}, model }, [], [job, job], { batch: 10, lr: 0.1, tick: async () => {} })).not.toBeNull();
  });

  it('circles with per-client boundaries (the federated playground)', async () => {
    const circles = defaultConfig({ algorithm: 'fedprox', dataset: { name: 'circles', noise: 0.1, size: 200 }, model: { hidden: [6, 6], activation: 'tanh' }, clients: 5, fraction: 1, rounds: 3, lr: 0.3 });
    const r2 = await both(circles, { boundaryGrid: 12, clientBoundaries: true });
    expect(ofType(r2.vec, 'boundary').length).toBeGreaterThan(3);
    expectSameRun(r2.seq, r2.vec);
  });

  it('is not trivially true: a different seed for the shuffles changes the final weights', async () => {
    const a = ofType(await collect(digits({ algorithm: 'fedavg', batchSize: 10 }), { finalWeights: true }), 'run-finished')[0].weights!;
    const b = ofType(await collect(digits({ algorithm: 'fedavg', batchSize: 10, seed: 2 }), { finalWeights: true }), 'run-finished')[0].weights!;
    expect(maxAbsDiff(a, b)).toBeGreaterThan(1e-3);
  });

  it('leaves no tensors behind, whether a run finishes or is cancelled mid-round', async () => {
    const config = digits({ algorithm: 'fedprox', batchSize: 10, rounds: 2 });
    await collect(config); // warm-up: caches made on first use are not leaks
    const before = tf.memory().numTensors;
    await collect(config);
    expect(tf.memory().numTensors).toBe(before);
    const ctl = new AbortController();
    const events: EngineEvent[] = [];
    for await (const e of (await import('~/engine/index')).run(config, { data, signal: ctl.signal })) {
      events.push(e);
      if (e.type === 'client-trained') ctl.abort();
    }
    expect(events[events.length - 1].type).toBe('run-cancelled');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('groups of clients', () => {
  it('masks clients that run out of steps: unequal sizes and epochs, each equal to localTrain alone', async () => {
    const ds = await loadDigits(data);
    const part = partition({ kind: 'quantity', alpha: 0.5, shardsPerClient: 2 }, ds.train.labels, 10, 5, new Rng(3, 'partition'));
    const sets = part.clients.map((idx) => new training.ExampleSet(ds.train.features(idx), Int32Array.from(idx, (i) => ds.train.labels[i]), 64, 10));
    const sizes = sets.map((s) => s.n);
    expect(Math.max(...sizes)).toBeGreaterThan(2 * Math.min(...sizes));
    const model = buildModel({ kind: 'mlp', hidden: [20], activation: 'relu' }, [64], 10);
    const start = model.importParams(model.initParams(new Rng(3, 'init')));
    const epochs = [1, 3, 2, 1, 2];
    const tick = async () => {};
    const opts = { batch: 12, lr: 0.1, prox: { mu: 0.2, anchor: start }, tick };
    const together = await trainGroup(model, start, sets.map((d, k) => ({ data: d, epochs: epochs[k], shuffle: new Rng(3, `shuffle/${k}`) })), opts);
    for (let k = 0; k < sets.length; k++) {
      const alone = await training.localTrain(model, start, sets[k], { ...opts, epochs: epochs[k], shuffle: new Rng(3, `shuffle/${k}`) });
      expect(together[k].steps).toBe(alone.steps);
      expect(maxAbsDiff(model.exportParams(together[k].params), model.exportParams(alone.params))).toBeLessThanOrEqual(1e-5);
      expect(Math.abs(together[k].loss - alone.loss)).toBeLessThanOrEqual(1e-5);
      expect(together[k].accuracy).toBeCloseTo(alone.accuracy, 6);
      tf.dispose(alone.params);
    }
    // Not trivially true: client 1 trained three epochs, client 0 one, and they differ from w_t.
    expect(maxAbsDiff(model.exportParams(together[1].params), model.exportParams(start))).toBeGreaterThan(1e-3);
    tf.dispose(together.flatMap((r) => r.params));
    tf.dispose(start);
    sets.forEach((s) => s.dispose());
  });

  it('the 2NN: its large layers run client by client inside the group, equal to localTrain; run() keeps it sequential', async () => {
    const ds = await loadMnist(data);
    const model = buildModel({ kind: '2nn', hidden: [], activation: 'relu' }, ds.inputShape, 10);
    const rows = [37, 90, 61];
    let at = 0;
    const sets = rows.map((n) => {
      const idx = Int32Array.from({ length: n }, (_, i) => at + i);
      at += n;
      return new training.ExampleSet(ds.train.features(idx), Int32Array.from(idx, (i) => ds.train.labels[i]), 784, 10);
    });
    const start = model.importParams(model.initParams(new Rng(5, 'init')));
    const opts = { batch: 10, lr: 0.05, prox: { mu: 0.1, anchor: start }, tick: async () => {} };
    const together = await trainGroup(model, start, sets.map((d, k) => ({ data: d, epochs: 1, shuffle: new Rng(5, `shuffle/${k}`) })), opts);
    for (let k = 0; k < sets.length; k++) {
      const alone = await training.localTrain(model, start, sets[k], { ...opts, epochs: 1, shuffle: new Rng(5, `shuffle/${k}`) });
      expect(maxAbsDiff(model.exportParams(together[k].params), model.exportParams(alone.params))).toBeLessThanOrEqual(1e-5);
      expect(Math.abs(together[k].loss - alone.loss)).toBeLessThanOrEqual(1e-5);
      tf.dispose(alone.params);
    }
    expect(maxAbsDiff(model.exportParams(together[1].params), model.exportParams(start))).toBeGreaterThan(1e-3);
    tf.dispose(together.flatMap((r) => r.params));
    const config = defaultConfig({ algorithm: 'fedavg', dataset: { name: 'mnist' }, model: { kind: '2nn' } });
    const job: ClientJob = { data: sets[0], epochs: 1, shuffle: null };
    expect(vectorizedRound({ config, options: {}, model }, start, [job, job], opts)).toBeNull();
    tf.dispose(start);
    sets.forEach((s) => s.dispose());
  });

  it('a small budget splits the clients into balanced groups with the same results', async () => {
    expect(balancedGroups(10, 4)).toEqual([4, 3, 3]);
    expect(balancedGroups(7, 7)).toEqual([7]);
    expect(balancedGroups(0, 3)).toEqual([]);
    const model = buildModel({ kind: '2nn', hidden: [], activation: 'relu' }, [784], 10);
    // The 2NN at B = 10 needs about 6 MB a client: 48 MB holds 8 of them, 1 MB still one.
    expect(groupSize(model, 10, 100)).toBe(8);
    expect(groupSize(model, 10, 5)).toBe(5);
    expect(groupSize(model, 10, 100, 1e6)).toBe(1);

    const ds = await loadDigits(data);
    const part = partition({ kind: 'iid', alpha: 1, shardsPerClient: 2 }, ds.train.labels, 10, 5, new Rng(4, 'partition'));
    const sets = part.clients.map((idx) => new training.ExampleSet(ds.train.features(idx), Int32Array.from(idx, (i) => ds.train.labels[i]), 64, 10));
    const small = buildModel({ kind: 'mlp', hidden: [16], activation: 'relu' }, [64], 10);
    const start = small.importParams(small.initParams(new Rng(4, 'init')));
    const jobs = (seed: number) => sets.map((d, k) => ({ data: d, epochs: 1, shuffle: new Rng(seed, `shuffle/${k}`) }));
    const opts = { batch: 10, lr: 0.1, tick: async () => {} };
    const one = new ClientGroups(small, start, jobs(4), opts);
    const split = new ClientGroups(small, start, [...jobs(4), null], opts, 2.5 * 4 * (7 * small.paramCount + 4 * 10 * (64 + 16 + 10)));
    expect(one.groupSizes).toEqual([5]);
    expect(split.groupSizes).toEqual([2, 2, 1]);
    for (let i = 0; i < 5; i++) {
      const a = await one.take(i);
      const b = await split.take(i);
      expect(maxAbsDiff(small.exportParams(a.params), small.exportParams(b.params))).toBeLessThanOrEqual(1e-6);
      tf.dispose([...a.params, ...b.params]);
    }
    await expect(split.take(5)).rejects.toThrow();
    one.dispose();
    split.dispose();
    tf.dispose(start);
    sets.forEach((s) => s.dispose());
  });
});
