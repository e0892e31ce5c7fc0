/**
 * Gradient inversion (src/engine/attacks/inversion.ts) on the real wasm backend: the attack
 * recovers one digit from its gradient, the analytic first-layer recovery is exact, each defence
 * at its strong setting lowers what the attack gets (and its weak setting does not, so the check
 * is not trivially true), and every way a run can end frees its tensors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  analyticRecovery,
  defaultInversionConfig,
  inferLabels,
  matchImages,
  mlpGradient,
  pickImages,
  psnr,
  runInversion,
  runInversionSweep,
  validateInversion,
  PSNR_CAP,
  type InversionConfig,
  type InversionEvent,
} from '~/engine/attacks/inversion';
import { buildModel } from '~/engine/model';
import { Rng } from '~/engine/rng';
import { batchGradients } from '~/engine/train';
import { encodeImageSet } from '~/engine/data/format';
import type { DataSource } from '~/engine/types';
import { nodeDataSource } from '~/engine/node';
import { data, maxAbsDiff, setup, tf } from './engine-helpers';

const mnistSubset = nodeDataSource({ mnistFull: false });

beforeAll(setup);

async function attack(over: Partial<InversionConfig>, options: { signal?: AbortSignal; data?: DataSource; every?: number } = {}): Promise<InversionEvent[]> {
  const out: InversionEvent[] = [];
  for await (const e of runInversion(defaultInversionConfig(over), { data, ...options })) out.push(e);
  return out;
}
const only = <T extends InversionEvent['type']>(es: InversionEvent[], t: T) => es.filter((e): e is Extract<InversionEvent, { type: T }> => e.type === t);

describe('the gradient the attacker differentiates', () => {
  it.each(['sigmoid', 'tanh', 'relu'] as const)('equals the engine’s hand-written backward pass (%s, two hidden layers) to 1e-5', (act) => {
    const model = buildModel({ kind: 'mlp', hidden: [12, 8], activation: act }, [8, 8, 1], 10);
    const rng = new Rng(3, 'test');
    tf.tidy(() => {
      const params = model.importParams(model.initParams(rng));
      const xs = new Float32Array(3 * 64).map(() => rng.next());
      const x = tf.tensor2d(xs, [3, 64]);
      const y = tf.oneHot(tf.tensor1d([2, 7, 2], 'int32'), 10).toFloat() as tf.Tensor2D;
      const engine = batchGradients(model, params, x, y, tf.scalar(1 / 3)).grads;
      const ours = mlpGradient(x, y, params, act);
      for (let i = 0; i < engine.length; i++) {
        expect(maxAbsDiff(ours[i].dataSync(), engine[i].dataSync())).toBeLessThanOrEqual(1e-5);
      }
      // not trivially true: a different label changes the gradient
      const other = mlpGradient(x, tf.oneHot(tf.tensor1d([2, 7, 3], 'int32'), 10).toFloat() as tf.Tensor2D, params, act);
      expect(maxAbsDiff(other[other.length - 1].dataSync(), engine[engine.length - 1].dataSync())).toBeGreaterThan(1e-2);
    });
  });
});

describe('analytic recovery through the first dense layer', () => {
  it.each(['digits', 'mnist'] as const)('is exact to 1e-4 for one %s image, and only a blend for two', async (dataset) => {
    const source = dataset === 'mnist' ? mnistSubset : data;
    const one = only(await attack({ dataset, batch: 1, attackSteps: 1 }, { data: source }), 'inversion-started')[0];
    expect(one.analytic.row).toBeGreaterThanOrEqual(0);
    expect(maxAbsDiff(one.analytic.image, one.originals)).toBeLessThanOrEqual(1e-4);
    const two = only(await attack({ dataset, batch: 2, attackSteps: 1 }, { data: source }), 'inversion-started')[0];
    const px = one.shape[0] * one.shape[1];
    const errs = [0, 1].map((o) => maxAbsDiff(two.analytic.image, two.originals.subarray(o * px, (o + 1) * px)));
    expect(Math.min(...errs)).toBeGreaterThan(0.05);
  });

  it('is the ratio of a kernel column to its bias entry', () => {
    // 2 inputs, 3 units: column 1 has the largest |bias|.
    const kernel = new Float32Array([0.2, -0.9, 0.1, 0.4, -1.8, 0.3]);
    const bias = new Float32Array([0.5, -3, 1]);
    const { image, row } = analyticRecovery(kernel, bias, 2);
    expect(row).toBe(1);
    expect(Array.from(image)).toEqual([Math.fround(-0.9) / Math.fround(-3), Math.fround(-1.8) / Math.fround(-3)].map(Math.fround));
  });
});

describe('the attack', () => {
  it('recovers one digit from its gradient (b = 1, no defence): PSNR ≥ 20 dB, the right label, and it sharpens', async () => {
    const es = await attack({ batch: 1, attackSteps: 200, seed: 1 }, { every: 1 });
    const steps = only(es, 'inversion-step');
    const end = only(es, 'inversion-finished')[0];
    expect(end.meanPsnr).toBeGreaterThanOrEqual(20);
    expect(end.labelAccuracy).toBe(1);
    // not trivially true: the search starts from noise far from the image
    expect(steps[0].meanPsnr).toBeLessThan(12);
    expect(end.meanPsnr).toBeGreaterThan(steps[0].meanPsnr + 8);
    expect(es[es.length - 1].type).toBe('inversion-finished');
  });

  it('inverts a FedAvg update after E = 3 local steps, and with labels searched for (DLG)', async () => {
    const fedavg = only(await attack({ batch: 1, localSteps: 3, attackSteps: 200, seed: 2 }), 'inversion-finished')[0];
    expect(fedavg.meanPsnr).toBeGreaterThanOrEqual(20);
    const dlg = only(await attack({ batch: 1, labels: 'optimize', attackSteps: 200, seed: 2 }), 'inversion-finished')[0];
    expect(dlg.meanPsnr).toBeGreaterThanOrEqual(20);
    expect(dlg.labelAccuracy).toBe(1);
  });

  it('is deterministic for a seed', async () => {
    const a = only(await attack({ batch: 2, attackSteps: 20, seed: 5 }), 'inversion-finished')[0];
    const b = only(await attack({ batch: 2, attackSteps: 20, seed: 5 }), 'inversion-finished')[0];
    expect(Array.from(a.images)).toEqual(Array.from(b.images));
  });
});

describe('each defence at its strong setting lowers PSNR; its weak setting does not', () => {
  const base = defaultInversionConfig({ batch: 1, attackSteps: 150, seed: 1, clip: 1 });
  it.each([
    ['DP noise z (clip S = 1)', 'noise', 0.001, 0.1],
    ['secure aggregation K', 'secureAgg', 2, 16],
    ['top-k fraction', 'topk', 0.3, 0.01],
  ] as const)('%s', async (_, defence, weak, strong) => {
    const points: Extract<InversionEvent, { type: 'inversion-sweep-point' }>[] = [];
    for await (const e of runInversionSweep({ attack: 'inversion-sweep', base, defence, values: [weak, strong] }, { data })) {
      if (e.type === 'inversion-sweep-point') points.push(e);
    }
    expect(points.map((p) => p.value)).toEqual([weak, strong]);
    expect(points[0].meanPsnr).toBeGreaterThanOrEqual(20);
    expect(points[1].meanPsnr).toBeLessThan(15);
  });
});

describe('labels from the last layer (iDLG and its count form)', () => {
  it('one image: the class with the negative bias gradient', () => {
    expect(inferLabels([0.1, 0.1, -0.9, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], 1)).toEqual([2]);
  });
  it('several images: counts from Σ p − n', () => {
    // 4 images, classes 1, 1, 3, 5 with p uniform: Σp = 0.4 per class.
    const g = Array.from({ length: 10 }, (_, c) => 0.4 - (c === 1 ? 2 : c === 3 || c === 5 ? 1 : 0));
    expect(inferLabels(g, 4)).toEqual([1, 1, 3, 5]);
  });
  it('are right for one image over many seeds, on the real update', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const s = only(await attack({ batch: 1, attackSteps: 1, seed }), 'inversion-started')[0];
      expect(s.inferredLabels).toEqual(s.originalLabels);
    }
  });
});

describe('metrics and validation', () => {
  it('PSNR is 10·log10(1/MSE), capped', () => {
    expect(psnr([0, 0], [0.1, 0.1])).toBeCloseTo(20, 10);
    expect(psnr([0.5], [0.5])).toBe(PSNR_CAP);
  });
  it('matches each original to a distinct reconstruction', () => {
    const o = new Float32Array([0, 0, 1, 1]);
    const r = new Float32Array([1, 0.9, 0, 0.1, 0.5, 0.5]);
    expect(matchImages(o, r, 2).match).toEqual([1, 0]);
  });
  it('the attacked client’s images do not depend on K', () => {
    expect(pickImages(1000, 3, 1, 7)).toEqual(pickImages(1000, 3, 8, 7).slice(0, 3));
    expect(new Set(pickImages(20, 4, 5, 7)).size).toBe(20);
  });
  it('lists every problem', () => {
    const bad = validateInversion({ ...defaultInversionConfig(), batch: 0, topk: 2, noise: 1, hidden: [], dataset: 'cifar' as never });
    expect(bad.map((p) => p.field).sort()).toEqual(['batch', 'dataset', 'hidden.length', 'noise', 'topk']);
    expect(validateInversion(defaultInversionConfig())).toEqual([]);
  });
});

describe('every run frees its tensors', () => {
  it('cancelled mid-attack', async () => {
    const before = tf.memory().numTensors;
    const ctl = new AbortController();
    const es: InversionEvent[] = [];
    for await (const e of runInversion(defaultInversionConfig({ batch: 2, secureAgg: 2, labels: 'optimize', attackSteps: 1000 }), { data, signal: ctl.signal, every: 5 })) {
      es.push(e);
      if (only(es, 'inversion-step').length === 3) ctl.abort();
    }
    expect(es[es.length - 1]).toEqual({ type: 'inversion-cancelled', step: 15 });
    expect(tf.memory().numTensors).toBe(before);
  });
  it('a consumer that stops early', async () => {
    const before = tf.memory().numTensors;
    for await (const e of runInversion(defaultInversionConfig({ topk: 0.1 }), { data, every: 2 })) if (e.type === 'inversion-step') break;
    expect(tf.memory().numTensors).toBe(before);
  });
  it('a client update that is not finite stops cleanly, and the next run works', async () => {
    // A corrupt data file whose pixel scale is 1/0: the client's update is NaN.
    const broken = encodeImageSet({ height: 8, width: 8, channels: 1, numClasses: 10, maxValue: 0, trainCount: 4, testCount: 1, labels: new Uint8Array([1, 2, 3, 4, 5]), pixels: new Uint8Array(5 * 64).fill(3) });
    const source: DataSource = { read: async () => broken };
    const before = tf.memory().numTensors;
    const es = await attack({ attackSteps: 5 }, { data: source });
    expect(es.map((e) => e.type)).toEqual(['inversion-diverged']);
    expect(tf.memory().numTensors).toBe(before);
    const next = await attack({ attackSteps: 5 });
    expect(next[next.length - 1].type).toBe('inversion-finished');
  });
});
