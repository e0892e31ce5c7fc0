/**
 * What the server sees (RunOptions.serverView) and property 4: on digits, a least-squares linear
 * decoder rebuilds the input worse the deeper the cut. Real training, real decoders.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, ConfigError, run, type EngineEvent, type ServerView } from '~/engine/index';
import { cholesky, choleskySolve } from '~/engine/split/index';
import { lossSum } from '~/engine/train';
import { collect, data, defaultConfig, maxAbsDiff, ofType, setup, tf } from './engine-helpers';

beforeAll(setup);

const digits = (over: Parameters<typeof defaultConfig>[0] = {}) =>
  defaultConfig({ algorithm: 'centralized', dataset: { name: 'digits', noise: 0, size: 0 }, model: { kind: 'mlp', hidden: [32, 16] }, clients: 1, batchSize: 10, lr: 0.1, epochs: 3, ...over });

async function view(cfg: ReturnType<typeof digits>, opts: NonNullable<Parameters<typeof collect>[1]>['serverView'] = {}): Promise<{ view: ServerView; events: EngineEvent[] }> {
  const events = await collect(cfg, { serverView: opts, finalWeights: true });
  const [v] = ofType(events, 'server-view');
  if (!v) throw new Error(`no server-view; run ended with ${events.at(-1)!.type}`);
  return { view: v, events };
}

describe('property 4: leakage decreases as the cut moves deeper (digits)', () => {
  it.each([
    ['MLP 32-16, trained by split learning', digits({ algorithm: 'split', clients: 3 })],
    ['MLP 32-16-8, at its initial weights', digits({ model: { kind: 'mlp', hidden: [32, 16, 8] }, lr: 1e-6, epochs: 1 })],
    ['MLP 48-24-12 tanh, trained', digits({ model: { kind: 'mlp', hidden: [48, 24, 12], activation: 'tanh' } })],
  ])('%s: the reconstruction error grows with every cut', async (_, cfg) => {
    const { view: v } = await view(cfg, { examples: [] });
    const errors = v.leakage.map((l) => l.reconstructionError);
    expect(v.leakage.map((l) => l.cut)).toEqual(errors.map((_, i) => i + 1));
    for (let i = 1; i < errors.length; i++) expect(errors[i], `cut ${i + 1} vs ${i}`).toBeGreaterThan(errors[i - 1]);
    // A real decoder, not a constant: the first cut rebuilds most of the input, none is perfect.
    expect(errors[0]).toBeLessThan(0.5);
    expect(errors[0]).toBeGreaterThan(0.01);
    for (const l of v.leakage) expect(l.mse).toBeGreaterThan(0);
  });

  it('CNN: near-perfect after the first convolution, and never better deeper down', async () => {
    const { view: v } = await view(digits({ model: { kind: 'cnn' }, epochs: 1 }), { examples: [], fitExamples: 1000, testExamples: 300 });
    const e = v.leakage.map((l) => l.reconstructionError);
    expect(e[0]).toBeLessThan(0.05);
    for (let i = 1; i < e.length; i++) expect(e[i]).toBeGreaterThanOrEqual(e[i - 1] - 1e-3);
    expect(e.at(-1)!).toBeGreaterThan(5 * e[0]);
    // flatten changes the shape, not the values: the same decoder error
    expect(Math.abs(e[4] - e[3])).toBeLessThan(1e-4);
  });
});

describe('server view', () => {
  it('raw input, the FL update and the smashed data are what each server receives', async () => {
    const cfg = digits({ epochs: 2 });
    const { view: v, events } = await view(cfg);
    const end = events.at(-1)!;
    if (end.type !== 'run-finished' || !end.weights) throw new Error('no final weights');
    // Default examples: the first test example of each class, in class order.
    expect(v.examples.map((x) => x.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(v.inputShape).toEqual([8, 8, 1]);
    expect(v.layers.map((l) => l.end - l.start)).toEqual([64 * 32 + 32, 32 * 16 + 16, 16 * 10 + 10]);

    const model = buildModel(cfg.model, [8, 8, 1], 10);
    const params = model.importParams(end.weights);
    try {
      for (const ex of v.examples) {
        expect(ex.input).toHaveLength(64);
        // FL: for the first dense layer ΔW[i][j] = x_i · Δb_j, so one example's update hands the
        // server the input itself (wherever a unit is active).
        const W = ex.update.subarray(0, 64 * 32);
        const b = ex.update.subarray(64 * 32, 64 * 32 + 32);
        let worst = 0;
        for (let i = 0; i < 64; i++) for (let j = 0; j < 32; j++) worst = Math.max(worst, Math.abs(W[i * 32 + j] - ex.input[i] * b[j]));
        expect(worst).toBeLessThan(1e-6);
        expect(Math.max(...Array.from(b, Math.abs))).toBeGreaterThan(0);
        // SL: the smashed data is the client part's output for this input.
        for (const c of ex.cuts) {
          const a = tf.tidy(() => model.forward(tf.tensor2d(ex.input, [1, 64]), model.paramsOf(params, 0, c.cut), 0, c.cut).dataSync());
          expect(maxAbsDiff(c.smashed, a)).toBeLessThan(1e-5);
          expect(c.shape).toEqual([c.cut === 1 ? 32 : 16]);
          expect(c.reconstruction).toHaveLength(64);
          expect(c.error).toBeGreaterThan(0);
        }
      }
      // Δw = −η∇ℓ: the loss's slope along Δ is ∇ℓ·Δ = −‖Δ‖²/η (central finite difference).
      const ex = v.examples[0];
      const y = tf.oneHot(tf.tensor1d([ex.label], 'int32'), 10);
      const lossAt = (t: number) =>
        tf.tidy(() => {
          const w = model.importParams(Float32Array.from(end.weights!, (wi, i) => wi + t * ex.update[i]));
          return lossSum(model.forward(tf.tensor2d(ex.input, [1, 64]), w), y).dataSync()[0];
        });
      const eps = 0.05;
      const slope = (lossAt(eps) - lossAt(-eps)) / (2 * eps);
      const norm2 = ex.update.reduce((s, u) => s + u * u, 0);
      expect(slope).toBeCloseTo(-norm2 / cfg.lr, 2);
      expect(norm2).toBeGreaterThan(1e-4);
      y.dispose();
    } finally {
      tf.dispose(params);
    }
  });

  it('honours examples, cuts and the size caps; wide cuts use a feature subset', async () => {
    const { view: v } = await view(digits({ model: { kind: 'cnn' }, epochs: 1 }), { examples: [5, 17], cuts: [1, 6], fitExamples: 600, testExamples: 100 });
    expect(v.examples.map((x) => x.index)).toEqual([5, 17]);
    expect(v.leakage.map((l) => [l.cut, l.width, l.featuresUsed])).toEqual([
      [1, 1024, 512],
      [6, 64, 64],
    ]);
    expect(v.examples[0].cuts[0].shape).toEqual([8, 8, 16]);
    expect(v.examples[0].cuts[0].smashed).toHaveLength(1024);
  });

  it('is refused for vertical split learning, which has no single model', async () => {
    await expect(collect(digits({ algorithm: 'split', variant: 'vertical', clients: 2 }), { serverView: {} })).rejects.toBeInstanceOf(ConfigError);
  });

  it('can be cancelled while the decoders are fitted', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const events: EngineEvent[] = [];
    for await (const e of run(digits({ model: { kind: 'cnn' }, epochs: 1 }), { data, signal: controller.signal, serverView: { examples: [] } })) {
      events.push(e);
      if (e.type === 'round-metrics') setTimeout(() => controller.abort(), 0);
    }
    expect(events.at(-1)!.type).toBe('run-cancelled');
    expect(ofType(events, 'server-view')).toHaveLength(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Cholesky', () => {
  it('solves a symmetric positive definite system and refuses an indefinite one', () => {
    const n = 3;
    const a = Float64Array.from([4, 2, 0.6, 2, 5, 1, 0.6, 1, 3]);
    const x = Float64Array.from([1, -2, 0.5, 3, 0, 1]); // two right-hand sides, row-major [3, 2]
    const b = new Float64Array(6);
    for (let i = 0; i < n; i++) for (let c = 0; c < 2; c++) for (let k = 0; k < n; k++) b[i * 2 + c] += a[i * n + k] * x[k * 2 + c];
    const l = Float64Array.from(a);
    expect(cholesky(l, n)).toBe(true);
    expect(maxAbsDiff(choleskySolve(l, n, b, 2), x)).toBeLessThan(1e-12);
    expect(cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toBe(false);
  });
});
