import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, Model } from '~/engine/model';
import { Rng } from '~/engine/rng';
import { lossSum, lossGrad, batchGradients } from '~/engine/train';
import { maxAbsDiff, setup, tf } from './engine-helpers';

beforeAll(setup);

const mnist2nn = () => buildModel({ kind: '2nn', hidden: [], activation: 'relu' }, [28, 28, 1], 10);
const mnistCnn = () => buildModel({ kind: 'cnn', hidden: [], activation: 'relu' }, [28, 28, 1], 10);
const digitsCnn = () => buildModel({ kind: 'cnn', hidden: [], activation: 'relu' }, [8, 8, 1], 10);

/**
 * The same network from plain public tfjs ops, which the gradient tape can differentiate (the
 * engine calls fused kernels directly and differentiates by hand).
 */
function referenceForward(m: Model, x: tf.Tensor, params: tf.Tensor[]): tf.Tensor {
  let h = x;
  let p = 0;
  const act = (t: tf.Tensor, a: string) => (a === 'relu' ? tf.relu(t) : a === 'tanh' ? tf.tanh(t) : a === 'sigmoid' ? tf.sigmoid(t) : t);
  for (const l of m.layers) {
    const s = l.spec;
    if (s.kind === 'dense') {
      h = act(tf.add(tf.matMul(tf.reshape(h, [h.shape[0], -1]), params[p]), params[p + 1]), s.activation);
      p += 2;
    } else if (s.kind === 'conv2d') {
      const [ih, iw, ic] = l.inShape;
      const x4 = tf.reshape(h, [h.shape[0], ih, iw, ic]) as tf.Tensor4D;
      h = act(tf.add(tf.conv2d(x4, params[p] as tf.Tensor4D, 1, 'same'), params[p + 1]), s.activation);
      p += 2;
    } else if (s.kind === 'maxpool') {
      const [ih, iw, ic] = l.inShape;
      h = tf.maxPool(tf.reshape(h, [h.shape[0], ih, iw, ic]) as tf.Tensor4D, s.size, s.size, 'same');
    } else {
      h = tf.reshape(h, [h.shape[0], -1]);
    }
  }
  return h;
}

function randomInputs(rng: Rng, n: number, d: number) {
  return tf.tensor2d(Float32Array.from({ length: n * d }, () => rng.next()), [n, d]);
}

function oneHot(rng: Rng, n: number, classes: number) {
  return tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from({ length: n }, () => rng.int(classes)), 'int32'), classes).toFloat());
}

describe('models', () => {
  it("have the paper's parameter counts and the widths at every cut", () => {
    expect(mnist2nn().paramCount).toBe(199_210);
    expect(mnist2nn().cutWidths).toEqual([784, 200, 200, 10]);
    expect(mnist2nn().layerParamCounts).toEqual([157_000, 40_200, 2_010]);
    const cnn = mnistCnn();
    expect(cnn.paramCount).toBe(1_663_370);
    expect(cnn.cutWidths).toEqual([784, 28 * 28 * 32, 14 * 14 * 32, 14 * 14 * 64, 7 * 7 * 64, 3136, 512, 10]);
    expect(digitsCnn().paramCount).toBe(13_706);
    const mlp = buildModel({ kind: 'mlp', hidden: [8, 8], activation: 'tanh' }, [2], 2);
    expect(mlp.layerParamCounts).toEqual([24, 72, 18]);
    expect(mlp.describe()[0]).toBe('dense [2]→[8] tanh (24)');
    expect(buildModel({ kind: 'mlp', hidden: [], activation: 'relu' }, [8, 8, 1], 10).paramCount).toBe(650);
  });

  it('export and import one flat vector in the documented order', () => {
    const m = buildModel({ kind: 'mlp', hidden: [3], activation: 'relu' }, [2], 2);
    const flat = Float32Array.from({ length: m.paramCount }, (_, i) => i);
    const ps = m.importParams(flat);
    expect(ps.map((p) => p.shape)).toEqual([[2, 3], [3], [3, 2], [2]]);
    // layer 0 kernel row-major, then its bias, then layer 1
    expect(Array.from(ps[0].dataSync())).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(ps[1].dataSync())).toEqual([6, 7, 8]);
    expect(m.exportParams(ps)).toEqual(flat);
    expect(m.flatRange(1, 2)).toEqual([9, 17]);
    expect(m.tensorRange(1, 2)).toEqual([2, 4]);
    expect(() => m.importParams(new Float32Array(3))).toThrow();
    tf.dispose(ps);
  });

  it('initialises Glorot-uniform kernels and zero biases, deterministically', () => {
    const m = mnist2nn();
    const a = m.initParams(new Rng(1, 'init'));
    expect(m.initParams(new Rng(1, 'init'))).toEqual(a);
    expect(m.initParams(new Rng(2, 'init'))).not.toEqual(a);
    const limit = Math.sqrt(6 / (784 + 200));
    const k0 = a.subarray(0, 157_000 - 200);
    const top = k0.reduce((mx, v) => Math.max(mx, Math.abs(v)), 0);
    expect(top).toBeLessThanOrEqual(limit);
    expect(top).toBeGreaterThan(0.99 * limit);
    expect(Array.from(a.subarray(156_800, 157_000)).every((b) => b === 0)).toBe(true);
  });

  it('runs any layer range, and the ranges compose to the whole model', () => {
    const m = digitsCnn();
    const rng = new Rng(3, 'x');
    const params = m.importParams(m.initParams(rng));
    const x = randomInputs(rng, 5, 64);
    const full = tf.tidy(() => m.forward(x, params).dataSync());
    for (let cut = 1; cut < m.layers.length; cut++) {
      const out = tf.tidy(() => {
        const a = m.forward(x, m.paramsOf(params, 0, cut), 0, cut);
        expect(a.size / 5).toBe(m.cutWidths[cut]);
        return m.forward(a, m.paramsOf(params, cut, m.layers.length), cut, m.layers.length).dataSync();
      });
      expect(out).toEqual(full);
    }
    expect(() => m.forward(x, params.slice(1))).toThrow(/parameter tensors/);
    tf.dispose([x, ...params]);
  });

  it.each(['relu', 'tanh', 'sigmoid', 'linear'] as const)('backpropagates an MLP (%s) exactly like the gradient tape', (activation) => {
    const m = buildModel({ kind: 'mlp', hidden: [7, 5], activation }, [8, 8, 1], 10);
    const rng = new Rng(4, activation);
    const params = m.importParams(m.initParams(rng));
    const x = randomInputs(rng, 6, 64);
    const y = oneHot(rng, 6, 10);
    const ours = tf.tidy(() => batchGradients(m, params, x, y, tf.scalar(1 / 6)).grads.map((g) => g.dataSync()));
    const tape = tf.tidy(() => tf.grads((...ps: tf.Tensor[]) => tf.div(lossSum(referenceForward(m, x, ps), y), 6))(params).map((g) => g.dataSync()));
    expect(tf.tidy(() => maxAbsDiff(m.forward(x, params).dataSync(), referenceForward(m, x, params).dataSync()))).toBeLessThan(1e-6);
    ours.forEach((g, i) => expect(maxAbsDiff(g, tape[i])).toBeLessThan(1e-6));
    tf.dispose([x, y, ...params]);
  });

  it.each([6, 40])('backpropagates a 784→200→10 MLP with batch %i (small batches take the transposed product) like the tape', (b) => {
    const m = buildModel({ kind: 'mlp', hidden: [200], activation: 'relu' }, [28, 28, 1], 10);
    const rng = new Rng(7, `big/${b}`);
    const params = m.importParams(m.initParams(rng));
    const x = randomInputs(rng, b, 784);
    const y = oneHot(rng, b, 10);
    const out = tf.tidy(() => maxAbsDiff(m.forward(x, params).dataSync(), referenceForward(m, x, params).dataSync()));
    expect(out).toBeLessThan(1e-5);
    const ours = tf.tidy(() => batchGradients(m, params, x, y, tf.scalar(1 / b)).grads.map((g) => g.dataSync()));
    const tape = tf.tidy(() => tf.grads((...ps: tf.Tensor[]) => tf.div(lossSum(referenceForward(m, x, ps), y), b))(params).map((g) => g.dataSync()));
    ours.forEach((g, i) => expect(maxAbsDiff(g, tape[i])).toBeLessThan(1e-6));
    tf.dispose([x, y, ...params]);
  });

  it('backpropagates the CNN like the cpu backend’s gradient tape, also at every cut', async () => {
    // The wasm backend cannot run the tape through a convolution (no Conv2DBackpropFilter
    // kernel), so the reference is the cpu backend on the same numbers.
    const m = digitsCnn();
    const rng = new Rng(5, 'cnn');
    const flat = m.initParams(rng);
    const xs = Float32Array.from({ length: 4 * 64 }, () => rng.next());
    const ys = Int32Array.from({ length: 4 }, () => rng.int(10));
    const L = m.layers.length;
    const compute = (useTape: boolean) =>
      tf.tidy(() => {
        const params = m.importParams(flat);
        const x = tf.tensor2d(xs, [4, 64]);
        const y = tf.oneHot(tf.tensor1d(ys, 'int32'), 10).toFloat();
        if (useTape) return tf.grads((...ps: tf.Tensor[]) => tf.div(lossSum(referenceForward(m, x, ps), y), 4))(params).map((g) => g.dataSync());
        const grads = batchGradients(m, params, x, y, tf.scalar(1 / 4)).grads.map((g) => g.dataSync());
        // Split-learning view: gradient at each cut from the server part, then the client part.
        const cuts = Array.from({ length: L - 1 }, (_, i) => i + 1).map((cut) => {
          const pc = m.paramsOf(params, 0, cut);
          const pS = m.paramsOf(params, cut, L);
          const c = m.forwardTrace(x, pc, 0, cut);
          const s = m.forwardTrace(c.out, pS, cut, L);
          const server = m.backward(s.trace, lossGrad(s.out, y, tf.scalar(1 / 4)), pS, true);
          const client = m.backward(c.trace, server.dx!, pc);
          return [...client.grads, ...server.grads].map((g) => g.dataSync());
        });
        return { grads, cuts };
      });
    const ours = compute(false) as { grads: Float32Array[]; cuts: Float32Array[][] };
    for (const split of ours.cuts) split.forEach((g, i) => expect(maxAbsDiff(g, ours.grads[i])).toBeLessThan(1e-6));
    await tf.setBackend('cpu');
    try {
      const tape = compute(true) as Float32Array[];
      ours.grads.forEach((g, i) => expect(maxAbsDiff(g, tape[i])).toBeLessThan(2e-5));
    } finally {
      await tf.setBackend('wasm');
    }
  });

  it.each([3, 4, 5])('backpropagates %i×%i convolutions (odd and even kernels) like the cpu tape', async (k) => {
    const m = new Model([9, 9, 2], [
      { kind: 'conv2d', filters: 3, kernel: k, activation: 'relu' },
      { kind: 'maxpool', size: 2 },
      { kind: 'conv2d', filters: 4, kernel: k, activation: 'tanh' },
      { kind: 'flatten' },
      { kind: 'dense', units: 5, activation: 'linear' },
    ]);
    const rng = new Rng(8, `conv/${k}`);
    const flat = m.initParams(rng);
    const xs = Float32Array.from({ length: 3 * 162 }, () => rng.next());
    const ys = Int32Array.from({ length: 3 }, () => rng.int(5));
    const grads = (tape: boolean) =>
      tf.tidy(() => {
        const params = m.importParams(flat);
        const x = tf.tensor2d(xs, [3, 162]);
        const y = tf.oneHot(tf.tensor1d(ys, 'int32'), 5).toFloat();
        if (tape) return tf.grads((...ps: tf.Tensor[]) => tf.div(lossSum(referenceForward(m, x, ps), y), 3))(params).map((g) => g.dataSync());
        const { out, trace } = m.forwardTrace(x, params);
        const r = m.backward(trace, lossGrad(out, y, tf.scalar(1 / 3)), params, true);
        return [...r.grads, r.dx!].map((g) => g.dataSync());
      });
    const ours = grads(false);
    const dx = ours.pop()!;
    expect(dx).toHaveLength(3 * 162);
    await tf.setBackend('cpu');
    try {
      const tape = grads(true);
      ours.forEach((g, i) => expect(maxAbsDiff(g, tape[i])).toBeLessThan(2e-5));
      const tapeDx = tf.tidy(() => {
        const params = m.importParams(flat);
        const y = tf.oneHot(tf.tensor1d(ys, 'int32'), 5).toFloat();
        return tf.grad((x: tf.Tensor) => tf.div(lossSum(referenceForward(m, x, params), y), 3))(tf.tensor2d(xs, [3, 162])).dataSync();
      });
      expect(maxAbsDiff(dx, tapeDx)).toBeLessThan(2e-5);
    } finally {
      await tf.setBackend('wasm');
    }
  });

  it('trains the paper CNN shape on 28×28 input without a missing kernel', () => {
    const m: Model = mnistCnn();
    const rng = new Rng(6, 'big');
    const params = m.importParams(m.initParams(rng));
    const x = randomInputs(rng, 2, 784);
    const y = oneHot(rng, 2, 10);
    const shapes = tf.tidy(() => batchGradients(m, params, x, y, tf.scalar(0.5)).grads.map((g) => g.shape));
    expect(shapes).toEqual(m.paramShapes);
    tf.dispose([x, y, ...params]);
  });
});
