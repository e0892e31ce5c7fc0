/**
 * What the server sees, and how much of the input a cut layer gives away.
 *
 * For a trained model, `computeServerView` returns, for a few held-out examples, what crosses the
 * wire under each paradigm: the raw input (centralized), the weight update of one SGD step on
 * that example (FL), and the smashed data at every cut (SL). It also measures leakage per cut: a
 * least-squares linear decoder from the smashed data back to the input, fitted on the server's
 * side on training examples and scored on test examples it never saw.
 *
 * The decoder is the weakest sensible attacker (chapter 4 says so): a low error shows
 * that the smashed data carries the input almost linearly; a high error shows only that this
 * attacker fails, not that stronger ones (non-linear decoders, a malicious server) would.
 *
 * Fitting: activations A and inputs X are centred with the fitting set's means, then
 * W = (AᵀA + λI)⁻¹ AᵀX, solved in float64 by Cholesky. The small ridge λ keeps the system solvable
 * when units are dead or the cut is wider than the fitting set; it is picked from a grid by the
 * error on the last fifth of the fitting set (the server's own data), then the decoder is refitted
 * on all of it. Cuts wider than MAX_DECODER_FEATURES use a seeded random subset of their units.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CutLeakage, ServerView, ServerViewExample, ServerViewOptions } from '../types';
import type { RunContext } from '../context';
import type { Model } from '../model';
import { Rng } from '../rng';
import { batchGradients, type Params, type TensorData } from '../train';

/** Units of a cut the decoder uses at most (a q × q system is solved in float64). */
export const MAX_DECODER_FEATURES = 512;
/** Ridge strengths tried, relative to the mean activation energy trace(AᵀA)/q. */
export const RIDGE_GRID = [1e-6, 1e-4, 1e-2, 1];
/** Defaults of ServerViewOptions. */
export const DEFAULT_FIT_EXAMPLES = 5000;
export const DEFAULT_TEST_EXAMPLES = 2000;

/** Rows per forward chunk. */
const CHUNK = 500;

/**
 * In-place Cholesky factorisation of a symmetric positive definite n×n matrix (row-major, lower
 * triangle used and overwritten). Returns false when a pivot is not positive.
 */
export function cholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      const ri = i * n;
      const rj = j * n;
      for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
      a[ri + j] = s / ljj;
    }
  }
  return true;
}

/** Solves L Lᵀ W = B for W (n×m, row-major) given the factor from cholesky(); B is overwritten. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array, m: number): Float64Array {
  // Forward: L Y = B.
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      const lik = l[i * n + k];
      if (lik === 0) continue;
      for (let c = 0; c < m; c++) b[i * m + c] -= lik * b[k * m + c];
    }
    const lii = l[i * n + i];
    for (let c = 0; c < m; c++) b[i * m + c] /= lii;
  }
  // Backward: Lᵀ W = Y.
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const lki = l[k * n + i];
      if (lki === 0) continue;
      for (let c = 0; c < m; c++) b[i * m + c] -= lki * b[k * m + c];
    }
    const lii = l[i * n + i];
    for (let c = 0; c < m; c++) b[i * m + c] /= lii;
  }
  return b;
}

/** (G + λI)⁻¹ B, or null when the system is not positive definite. */
function ridgeSolve(gram: Float64Array, q: number, rhs: Float64Array, d: number, lambda: number): Float64Array | null {
  const a = Float64Array.from(gram);
  for (let i = 0; i < q; i++) a[i * q + i] += lambda;
  if (!cholesky(a, q)) return null;
  return choleskySolve(a, q, Float64Array.from(rhs), d);
}

/** A fitted decoder of one cut. */
interface Decoder {
  cut: number;
  width: number;
  /** Units used (null: all). */
  features: Int32Array | null;
  meanA: tf.Tensor;
  meanX: tf.Tensor;
  /** [q', d]; null when the cut carries nothing (all activations constant): predicts the mean. */
  w: tf.Tensor | null;
  ridge: number;
}

/** Activations of layers [0, cut) for all rows of x, flattened to [n, q] (feature subset applied). */
function activations(model: Model, params: Params, x: tf.Tensor2D, cut: number, features: tf.Tensor1D | null): tf.Tensor2D {
  return tf.tidy(() => {
    const front = model.paramsOf(params, 0, cut);
    const parts: tf.Tensor2D[] = [];
    for (let at = 0; at < x.shape[0]; at += CHUNK) {
      const m = Math.min(CHUNK, x.shape[0] - at);
      let a = tf.reshape(model.forward(tf.slice(x, [at, 0], [m, -1]), front, 0, cut), [m, -1]) as tf.Tensor2D;
      if (features) a = tf.gather(a, features, 1);
      parts.push(a);
    }
    return parts.length === 1 ? parts[0] : (tf.concat(parts, 0) as tf.Tensor2D);
  });
}

/** aᵀb. An explicit transpose: the wasm backend's transposeA path is several times slower. */
const gramOf = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.matMul(tf.transpose(a), b);

/** Fits the decoder of one cut on the rows of `fit` (its last fifth chooses the ridge). */
async function fitDecoder(model: Model, params: Params, fit: tf.Tensor2D, cut: number, seed: number): Promise<Decoder> {
  const width = model.cutWidths[cut];
  const features = width > MAX_DECODER_FEATURES ? Int32Array.from(new Rng(seed, `leakage/features/${cut}`).sample(width, MAX_DECODER_FEATURES)) : null;
  const q = features ? features.length : width;
  const d = fit.shape[1];
  const n = fit.shape[0];
  const nTrain = Math.max(1, Math.floor(n * 0.8));
  const featT = features ? tf.tensor1d(features, 'int32') : null;
  const A = activations(model, params, fit, cut, featT);
  featT?.dispose();
  const [meanA, meanX] = tf.tidy(() => [tf.mean(A, 0), tf.mean(fit, 0)]);
  // Centred parts: training rows and validation rows.
  const [gTr, bTr, gVa, bVa, acVa, xcVa] = tf.tidy(() => {
    const ac = tf.sub(A, meanA) as tf.Tensor2D;
    const xc = tf.sub(fit, meanX) as tf.Tensor2D;
    const acTr = tf.slice(ac, [0, 0], [nTrain, -1]);
    const xcTr = tf.slice(xc, [0, 0], [nTrain, -1]);
    const nVa = n - nTrain;
    const acV = nVa > 0 ? tf.slice(ac, [nTrain, 0], [nVa, -1]) : tf.zeros([0, q]);
    const xcV = nVa > 0 ? tf.slice(xc, [nTrain, 0], [nVa, -1]) : tf.zeros([0, d]);
    return [gramOf(acTr, acTr), gramOf(acTr, xcTr), gramOf(acV as tf.Tensor2D, acV as tf.Tensor2D), gramOf(acV as tf.Tensor2D, xcV as tf.Tensor2D), acV, xcV];
  });
  A.dispose();
  try {
    const read = async (t: tf.Tensor) => Float64Array.from((await t.data()) as Float32Array);
    const [Gtr, Btr, Gva, Bva] = await Promise.all([read(gTr), read(bTr), read(gVa), read(bVa)]);
    const Gall = Gtr.map((v, i) => v + Gva[i]);
    const Ball = Btr.map((v, i) => v + Bva[i]);
    let trace = 0;
    for (let i = 0; i < q; i++) trace += Gall[i * q + i];
    const scale = trace / q;
    if (!(scale > 0)) return { cut, width, features, meanA, meanX, w: null, ridge: 0 };

    // Pick λ by the validation error (skipping λ where the factorisation fails).
    let best = { err: Infinity, rel: RIDGE_GRID[RIDGE_GRID.length - 1] };
    if (acVa.shape[0] > 0) {
      for (const rel of RIDGE_GRID) {
        const w = ridgeSolve(Gtr, q, Btr, d, rel * scale);
        if (!w) continue;
        const e = tf.tidy(() => tf.sum(tf.square(tf.sub(tf.matMul(acVa as tf.Tensor2D, tf.tensor2d(Float32Array.from(w), [q, d])), xcVa))));
        const err = (await e.data())[0];
        e.dispose();
        if (err < best.err) best = { err, rel };
      }
    }
    let chosen = best.rel;
    let w = ridgeSolve(Gall, q, Ball, d, chosen * scale);
    // Float32 Gram matrices can be slightly indefinite: fall back to stronger ridges.
    for (let i = RIDGE_GRID.indexOf(chosen) + 1; !w && i < RIDGE_GRID.length; i++) {
      chosen = RIDGE_GRID[i];
      w = ridgeSolve(Gall, q, Ball, d, chosen * scale);
    }
    if (!w) return { cut, width, features, meanA, meanX, w: null, ridge: 0 };
    return { cut, width, features, meanA, meanX, w: tf.tensor2d(Float32Array.from(w), [q, d]), ridge: chosen };
  } finally {
    tf.dispose([gTr, bTr, gVa, bVa, acVa, xcVa]);
  }
}

/** Decoder output for the rows of x (the activations are computed here): [n, d]. */
function reconstruct(model: Model, params: Params, dec: Decoder, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    if (!dec.w) return tf.add(tf.zerosLike(x), dec.meanX) as tf.Tensor2D;
    const feat = dec.features ? tf.tensor1d(dec.features, 'int32') : null;
    const a = activations(model, params, x, dec.cut, feat);
    return tf.add(tf.matMul(tf.sub(a, dec.meanA) as tf.Tensor2D, dec.w), dec.meanX) as tf.Tensor2D;
  });
}

function disposeDecoder(d: Decoder): void {
  tf.dispose([d.meanA, d.meanX, ...(d.w ? [d.w] : [])]);
}

/** The first `max` rows of a data set's inputs (a view, not a copy, when all rows are used). */
function headRows(data: TensorData, max: number): tf.Tensor2D {
  return data.n <= max ? data.x : (tf.slice(data.x, [0, 0], [max, -1]) as tf.Tensor2D);
}

/** Test indices of the first example of each class, in class order. */
function firstOfEachClass(labels: Int32Array, classes: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < classes; c++) {
    const i = labels.indexOf(c);
    if (i >= 0) out.push(i);
  }
  return out;
}

/**
 * What the server sees, from final parameters `params` of ctx.model (see the file comment).
 * Cancellable between cuts through ctx.tick.
 */
export async function computeServerView(ctx: RunContext, params: Params, opts: ServerViewOptions = {}): Promise<ServerView> {
  const { model, dataset, config } = ctx;
  const L = model.layers.length;
  const cuts = (opts.cuts ?? Array.from({ length: L - 1 }, (_, i) => i + 1)).filter((c) => Number.isInteger(c) && c >= 1 && c < L);
  const fitN = Math.max(2, Math.floor(opts.fitExamples ?? DEFAULT_FIT_EXAMPLES));
  const testN = Math.max(1, Math.floor(opts.testExamples ?? DEFAULT_TEST_EXAMPLES));
  const train = ctx.allData();
  const test = ctx.testData();
  const labels = dataset.test.labels;
  const picked = (opts.examples ?? firstOfEachClass(labels, dataset.numClasses)).filter((i) => Number.isInteger(i) && i >= 0 && i < test.n);

  const fitX = headRows(train, fitN);
  const testX = headRows(test, testN);
  const pickIdx = tf.tensor1d(Int32Array.from(picked), 'int32');
  const pickX = tf.gather(test.x, pickIdx) as tf.Tensor2D;
  const pickY = tf.gather(test.y, pickIdx) as tf.Tensor2D;
  pickIdx.dispose();
  const ownedRows = [fitX !== train.x ? fitX : null, testX !== test.x ? testX : null].filter((t): t is tf.Tensor2D => t !== null);
  const d = dataset.inputSize;
  try {
    const inputs = picked.length ? ((await pickX.data()) as Float32Array) : new Float32Array(0);
    const examples: ServerViewExample[] = picked.map((index, r) => ({
      index,
      label: labels[index],
      input: inputs.slice(r * d, (r + 1) * d),
      update: new Float32Array(0),
      cuts: [],
    }));

    // FL: one SGD step on the example alone, Δw = −η∇ℓ (batchGradients returns η∇ with scale η/1).
    for (let r = 0; r < picked.length; r++) {
      const g = tf.tidy(() => {
        const x = tf.slice(pickX, [r, 0], [1, -1]);
        const y = tf.slice(pickY, [r, 0], [1, -1]);
        const { grads } = batchGradients(model, params, x, y, tf.scalar(config.lr));
        return tf.neg(tf.concat(grads.map((t) => tf.reshape(t, [-1]))));
      });
      examples[r].update = (await g.data()) as Float32Array;
      g.dispose();
    }

    // SL: per cut, the decoder's fit and error, then each example's smashed data and reconstruction.
    const leakage: CutLeakage[] = [];
    for (const cut of cuts) {
      const dec = await fitDecoder(model, params, fitX, cut, config.seed);
      try {
        const [errs, picks] = tf.tidy(() => {
          const meanInput = dec.meanX;
          const rec = reconstruct(model, params, dec, testX);
          const num = tf.sum(tf.square(tf.sub(rec, testX)));
          const den = tf.sum(tf.square(tf.sub(testX, meanInput)));
          if (picked.length === 0) return [tf.stack([num, den]), []];
          const pr = reconstruct(model, params, dec, pickX);
          const perNum = tf.sum(tf.square(tf.sub(pr, pickX)), 1);
          const perDen = tf.sum(tf.square(tf.sub(pickX, meanInput)), 1);
          const smashed = tf.reshape(model.forward(pickX, model.paramsOf(params, 0, cut), 0, cut), [picked.length, -1]);
          return [tf.stack([num, den]), [pr, tf.div(perNum, tf.maximum(perDen, 1e-12)), smashed]];
        });
        const [num, den] = await errs.data();
        const [pr, perErr, smashed] = await Promise.all(picks.map((t) => t.data() as Promise<Float32Array>));
        tf.dispose([errs, ...picks]);
        const q = model.cutWidths[cut];
        leakage.push({
          cut,
          width: q,
          reconstructionError: den > 0 ? num / den : 0,
          mse: num / (testX.shape[0] * d),
          ridge: dec.ridge,
          featuresUsed: dec.features ? dec.features.length : q,
        });
        examples.forEach((ex, r) =>
          ex.cuts.push({
            cut,
            shape: model.layers[cut - 1].outShape.slice(),
            smashed: smashed.slice(r * q, (r + 1) * q),
            reconstruction: pr.slice(r * d, (r + 1) * d),
            error: perErr[r],
          }),
        );
      } finally {
        disposeDecoder(dec);
      }
      await ctx.tick();
    }

    let at = 0;
    const descriptions = model.describe();
    const layers = model.layers.map((l, i) => {
      const start = at;
      at += l.paramCount;
      return { description: descriptions[i], shapes: l.paramShapes.map((s) => s.slice()), start, end: at };
    });
    return { inputShape: dataset.inputShape.slice(), layers, leakage, examples };
  } finally {
    tf.dispose([pickX, pickY, ...ownedRows]);
  }
}
