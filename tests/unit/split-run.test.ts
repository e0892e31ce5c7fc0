/**
 * The split family's event stream (per batch, hand-offs, metrics), determinism, vertical split
 * learning, validation of the split fields, and that every run frees its tensors however it ends
 * (finished, diverged, cancelled, abandoned). Real wasm training.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, layerCount, loadDataset, partition, run, validateConfig, Rng, type EngineEvent, type RunConfig } from '~/engine/index';
import { datasetShape } from '~/engine/data/index';
import { mlpParameters, mlpSplitParams, verticalBlocks } from '~/engine/split/cut';
import { collect, collectAborted, computed, data, defaultConfig, maxAbsDiff, ofType, setup, tf } from './engine-helpers';

beforeAll(setup);

const digits = (over: Parameters<typeof defaultConfig>[0] = {}) =>
  defaultConfig({ dataset: { name: 'digits', noise: 0, size: 300 }, model: { kind: 'mlp', hidden: [32, 16] }, clients: 3, batchSize: 10, lr: 0.1, epochs: 1, ...over });
const circles = (over: Parameters<typeof defaultConfig>[0] = {}) =>
  defaultConfig({ dataset: { name: 'circles', noise: 0.1, size: 200 }, model: { hidden: [8, 8], activation: 'tanh' }, clients: 2, lr: 0.3, epochs: 3, ...over });

describe('event stream', () => {
  it('vanilla round-robin: per batch A up, labels up, G down; per turn client-trained and a hand-off', async () => {
    const events = await collect(digits({ algorithm: 'split', epochs: 2, batchSize: 16, lr: 0.3 }));
    const start = events[0];
    if (start.type !== 'run-started') throw new Error('no run-started');
    expect(start.cutWidth).toBe(32);
    expect(start.clientParameters).toBe(64 * 32 + 32);
    expect(start.layers).toEqual([
      { kind: 'dense', outShape: [32], parameters: 64 * 32 + 32 },
      { kind: 'dense', outShape: [16], parameters: 32 * 16 + 16 },
      { kind: 'dense', outShape: [10], parameters: 16 * 10 + 10 },
    ]);
    const sizes = start.data.histograms.map((h) => h.reduce((a, b) => a + b, 0));
    const batches = sizes.reduce((s, n) => s + Math.ceil(n / 16), 0);
    const smashed = ofType(events, 'smashed-sent');
    const grads = ofType(events, 'gradient-returned');
    expect(smashed).toHaveLength(2 * batches);
    expect(grads).toHaveLength(2 * batches);
    expect(ofType(events, 'message-sent').filter((e) => e.kind === 'labels')).toHaveLength(2 * batches);
    for (const e of smashed) {
      expect(e.shape[1]).toBe(32);
      expect(e.bytes).toBe(e.shape[0] * 32 * 4);
      expect([e.from, e.to]).toEqual([e.client, 'server']);
      expect(e.sample).toHaveLength(32);
      expect(e.sampleShape).toEqual([32]);
    }
    expect(grads.every((e) => e.from === 'server' && e.to === e.client)).toBe(true);
    // The turn order: client 0's batches, a hand-off 0 → 1, client 1's, 1 → 2, client 2's, 2 → 0.
    const order = events.filter((e) => e.type === 'smashed-sent' || e.type === 'client-handoff').slice(0, batches + 3);
    const handoffs = order.filter((e): e is Extract<EngineEvent, { type: 'client-handoff' }> => e.type === 'client-handoff');
    expect(handoffs.map((e) => [e.from, e.to, e.via, e.bytes])).toEqual([0, 1, 2].map((k) => [k, (k + 1) % 3, 'p2p', (64 * 32 + 32) * 4]));
    expect(ofType(events, 'client-trained').map((e) => e.client)).toEqual([0, 1, 2, 0, 1, 2]);
    const metrics = ofType(events, 'round-metrics').map((e) => e.metrics);
    expect(metrics.map((m) => m.round)).toEqual([1, 2]);
    expect(metrics[1].testAccuracy).toBeGreaterThan(0.5);
    expect(metrics[1].trainAccuracy).toBeGreaterThan(0.5);
    expect(events.at(-1)).toEqual({ type: 'run-finished', rounds: 2 });
  });

  it('the smashed-data sample is the first example’s real activations (CNN: channel 0 as an image)', async () => {
    const cfg = digits({ algorithm: 'split', model: { kind: 'cnn' }, cut: 1, shuffle: false });
    const first = ofType(await collect(cfg), 'smashed-sent')[0];
    expect(first.shape).toEqual([10, 8, 8, 16]);
    expect(first.sampleShape).toEqual([8, 8]);
    // Recompute: the initial weights (stream 'init') on client 0's first example, channel 0.
    const ds = await loadDataset(cfg.dataset, cfg.seed, data);
    const part = partition(cfg.partition, ds.train.labels, ds.numClasses, cfg.clients, new Rng(cfg.seed, 'partition'));
    const model = buildModel(cfg.model, ds.inputShape, ds.numClasses);
    const params = model.importParams(model.initParams(new Rng(cfg.seed, 'init')));
    const a = tf.tidy(() => {
      const x = tf.tensor2d(ds.train.features([part.clients[0][0]]), [1, 64]);
      return tf.reshape(tf.slice(model.forward(x, model.paramsOf(params, 0, 1), 0, 1), [0, 0, 0, 0], [1, 8, 8, 1]), [-1]);
    });
    expect(maxAbsDiff(first.sample, a.dataSync())).toBeLessThan(1e-6);
    expect(Math.max(...first.sample)).toBeGreaterThan(0);
    tf.dispose([a, ...params]);
  });

  it('U-shaped: four messages per batch, two of them server → client, no labels', async () => {
    const events = await collect(digits({ algorithm: 'split', variant: 'ushaped', clients: 1, batchSize: 'all' }));
    const kinds = events
      .filter((e) => e.type === 'smashed-sent' || e.type === 'gradient-returned' || e.type === 'message-sent')
      .map((e) => [e.type, 'from' in e ? e.from : null, 'to' in e ? e.to : null, 'shape' in e ? e.shape[1] : null]);
    expect(kinds).toEqual([
      ['smashed-sent', 0, 'server', 32],
      ['smashed-sent', 'server', 0, 16],
      ['gradient-returned', 0, 'server', 16],
      ['gradient-returned', 'server', 0, 32],
    ]);
    expect(ofType(events, 'client-handoff')).toHaveLength(0); // one client: nobody to hand to
  });

  it('hand-off through the server goes up and down (two copies on the wire)', async () => {
    const events = await collect(digits({ algorithm: 'split', handoff: 'server' }));
    const h = ofType(events, 'client-handoff');
    expect(h.map((e) => e.via)).toEqual(['server', 'server', 'server']);
    expect(h[0].bytes).toBe(2 * (64 * 32 + 32) * 4);
    const m = ofType(events, 'round-metrics')[0].metrics;
    expect(m.bytesByKind.handoff).toBe(3 * h[0].bytes);
  });

  it('SplitFed: weights down and up per client, models-averaged with FedAvg coefficients, V2 in a random order', async () => {
    for (const algorithm of ['splitfed1', 'splitfed2'] as const) {
      const events = await collect(digits({ algorithm, rounds: 3, localEpochs: 1, partition: { kind: 'dirichlet', alpha: 1 } }), { emitWeights: true });
      const avg = ofType(events, 'models-averaged');
      expect(avg).toHaveLength(3);
      for (const a of avg) {
        expect(a.coefficients.reduce((s, c) => s + c, 0)).toBeCloseTo(1, 6);
        expect(a.before).toBeInstanceOf(Float32Array);
        expect(a.after).toHaveLength(a.before!.length);
      }
      const weights = ofType(events, 'message-sent').filter((e) => e.kind === 'weights-down' || e.kind === 'weights-up');
      expect(weights).toHaveLength(3 * 3 * 2);
      const orders = ofType(events, 'round-started').map((e) => e.selected.join(''));
      if (algorithm === 'splitfed1') expect(orders).toEqual(['012', '012', '012']);
      else expect(orders.some((o) => o !== '012')).toBe(true);
      expect(ofType(events, 'round-metrics').at(-1)!.metrics.testAccuracy).toBeGreaterThan(0.3);
    }
  });
});

describe('determinism', () => {
  it.each([
    ['split', { algorithm: 'split' as const, shuffle: true }],
    ['split, U-shaped, via the server', { algorithm: 'split' as const, variant: 'ushaped' as const, handoff: 'server' as const }],
    ['vertical', { algorithm: 'split' as const, variant: 'vertical' as const }],
    ['splitfed1', { algorithm: 'splitfed1' as const, rounds: 2, fraction: 0.5 }],
    ['splitfed2', { algorithm: 'splitfed2' as const, rounds: 2 }],
  ])('%s: same config and seed, same events; another seed, others', async (_, over) => {
    const cfg = circles(over);
    const opts = { boundaryGrid: 6, clientBoundaries: true, emitWeights: true };
    const a = await computed(cfg, opts);
    expect(await computed(cfg, opts)).toEqual(a);
    expect(await computed({ ...cfg, seed: 7 }, opts)).not.toEqual(a);
    expect(ofType(a, 'boundary').length).toBeGreaterThan(0);
  });
});

describe('vertical split learning', () => {
  it('learns digits from three bands of rows that no client sees together', async () => {
    const events = await collect(digits({ algorithm: 'split', variant: 'vertical', epochs: 10, lr: 0.2 }));
    const start = events[0];
    if (start.type !== 'run-started') throw new Error('no run-started');
    // Rows 0–1, 2–4, 5–7 of the 8×8 image: 16, 24 and 24 inputs, each into 32 units.
    expect(start.parameters).toBe((16 + 24 + 24) * 32 + 3 * 32 + (96 * 16 + 16) + (16 * 10 + 10));
    expect(ofType(events, 'round-metrics').at(-1)!.metrics.testAccuracy).toBeGreaterThan(0.8);
  });

  it('on 2D data two clients hold one coordinate each, and the boundary is drawn', async () => {
    const events = await collect(circles({ algorithm: 'split', variant: 'vertical', epochs: 30, batchSize: 10, lr: 0.5 }), { boundaryGrid: 10 });
    expect(ofType(events, 'boundary')).toHaveLength(30);
    expect(ofType(events, 'round-metrics').at(-1)!.metrics.testAccuracy).toBeGreaterThan(0.8);
  });
});

describe('validation of the split fields', () => {
  const problems = (over: Parameters<typeof defaultConfig>[0]) => validateConfig(digits(over));
  it('accepts the defaults and every valid cut', () => {
    expect(problems({ algorithm: 'split' })).toEqual([]);
    for (let cut = 1; cut <= 6; cut++) expect(problems({ algorithm: 'splitfed1', model: { kind: 'cnn' }, cut })).toEqual([]);
  });
  it('explains a cut that leaves the server nothing, in Korean and English', () => {
    const [p] = problems({ algorithm: 'split', cut: 3 });
    expect(p.field).toBe('cut');
    expect(p.ko).toMatch(/1 이상 2 이하/);
    expect(p.en).toMatch(/from 1 to 2/);
    expect(problems({ algorithm: 'split', variant: 'ushaped', cut: 2 })[0].ko).toMatch(/U자형/);
    expect(problems({ algorithm: 'split', model: { hidden: [] } })[0].ko).toMatch(/나눌 수 없습니다/);
    expect(problems({ algorithm: 'split', cut: 0 })[0].field).toBe('cut');
    expect(problems({ algorithm: 'fedavg', cut: 99 })).toEqual([]); // irrelevant outside the split family
  });
  it('rejects vertical SplitFed, more vertical clients than rows, unknown variants and routes', () => {
    expect(problems({ algorithm: 'splitfed2', variant: 'vertical' })[0].field).toBe('variant');
    expect(problems({ algorithm: 'split', variant: 'vertical', clients: 9 })[0].ko).toMatch(/이미지 행 수\(8\)/);
    expect(validateConfig(circles({ algorithm: 'split', variant: 'vertical', clients: 3 }))[0].en).toMatch(/2 features/);
    expect(problems({ variant: 'diagonal' as never })[0].field).toBe('variant');
    expect(problems({ handoff: 'pigeon' as never })[0].field).toBe('handoff');
  });
  it('layerCount matches the models the engine builds', () => {
    for (const model of [{ kind: 'mlp' as const, hidden: [] }, { kind: 'mlp' as const, hidden: [4, 5, 6] }, { kind: '2nn' as const, hidden: [] }, { kind: 'cnn' as const, hidden: [] }]) {
      for (const shape of [[8, 8, 1], [28, 28, 1]]) {
        expect(layerCount(model)).toBe(buildModel({ ...model, activation: 'relu' }, shape, 10).layers.length);
      }
    }
  });
});

describe('parameter counts a page draws without running the engine', () => {
  it('datasetShape is the shape the engine loads; mlpSplitParams adds up to the parameters it reports', async () => {
    expect(datasetShape('digits')).toEqual({ inputShape: [8, 8, 1], classes: 10 });
    expect(datasetShape('spiral').inputShape).toEqual([2]);
    for (const variant of ['vanilla', 'vertical'] as const) {
      for (const cut of [1, 2]) {
        const config = digits({ algorithm: 'split', variant, cut, clients: 3, epochs: 1 });
        const [start] = await collect(config);
        if (start.type !== 'run-started') throw new Error('no run-started');
        const { inputShape, classes } = datasetShape('digits');
        const widths = [64, ...config.model.hidden, classes];
        const bands = variant === 'vertical' ? verticalBlocks(inputShape, 3).map((b) => b.end - b.start) : undefined;
        expect(mlpSplitParams(widths, cut, bands).reduce((a, b) => a + b, 0)).toBe(start.parameters);
        if (!bands) expect(mlpParameters(widths)).toBe(start.parameters);
      }
    }
  });
});

describe('runs end cleanly and free every tensor', () => {
  const count = () => tf.memory().numTensors;

  it('finished: split (CNN, U-shaped), vertical, SplitFed V1 and V2, with a server view', async () => {
    const before = count();
    const runs: RunConfig[] = [
      digits({ algorithm: 'split', model: { kind: 'cnn' }, variant: 'ushaped', cut: 3 }),
      digits({ algorithm: 'split', variant: 'vertical' }),
      digits({ algorithm: 'splitfed1', rounds: 2, fraction: 0.6 }),
      digits({ algorithm: 'splitfed2', rounds: 2, partition: { kind: 'dirichlet', alpha: 0.05 } }),
    ];
    for (const cfg of runs) {
      const events = await collect(cfg, { emitWeights: true, finalWeights: true });
      expect(events.at(-1)!.type).toBe('run-finished');
      expect(count()).toBe(before);
    }
    const sv = await collect(digits({ algorithm: 'split' }), { serverView: { examples: [0, 1], fitExamples: 200, testExamples: 100 } });
    expect(ofType(sv, 'server-view')).toHaveLength(1);
    expect(count()).toBe(before);
  });

  it('diverged: a NaN stops split, vertical and SplitFed runs with the Korean message', async () => {
    const before = count();
    const cfg = defaultConfig({ dataset: { name: 'blobs', noise: 0.1, size: 200 }, model: { hidden: [16, 16], activation: 'linear' }, lr: 10, batchSize: 1, epochs: 5, rounds: 5, clients: 2 });
    for (const over of [{ algorithm: 'split' as const }, { algorithm: 'split' as const, variant: 'vertical' as const }, { algorithm: 'splitfed1' as const }, { algorithm: 'splitfed2' as const }]) {
      const events = await collect({ ...cfg, ...over }, { emitWeights: true, boundaryGrid: 5 });
      const end = events.at(-1)!;
      expect(end.type, JSON.stringify(over)).toBe('run-diverged');
      if (end.type === 'run-diverged') expect(end.message).toMatch(/NaN/);
      expect(count()).toBe(before);
    }
  });

  it('cancelled: an abort from a timer stops a long split run within a batch group', async () => {
    const before = count();
    for (const algorithm of ['split', 'splitfed1', 'splitfed2'] as const) {
      const cfg = digits({ algorithm, epochs: 1000, rounds: 1000, localEpochs: 50, batchSize: 1 });
      const { events, abortedAt, latency } = await collectAborted(cfg, 200);
      expect(abortedAt).toBeGreaterThan(0);
      expect(latency).toBeLessThan(250);
      expect(events.at(-1)!.type).toBe('run-cancelled');
      expect(ofType(events, 'run-finished')).toHaveLength(0);
      expect(count()).toBe(before);
    }
  });

  it('abandoned: a consumer that stops in the middle of a batch sequence', async () => {
    const before = count();
    for (const over of [{ algorithm: 'split' as const }, { algorithm: 'split' as const, variant: 'vertical' as const }, { algorithm: 'splitfed1' as const }, { algorithm: 'splitfed2' as const }]) {
      let seen = 0;
      for await (const e of run(digits({ ...over, rounds: 3 }), { data })) {
        if (e.type === 'smashed-sent' && ++seen === 17) break;
      }
      expect(count()).toBe(before);
    }
  });
});
