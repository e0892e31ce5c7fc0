/**
 * Tensor-level training primitives shared by every algorithm: the loss, one pass of local SGD
 * (optionally with FedProx's proximal term), a full-batch gradient, evaluation and weighted sums.
 *
 * Parameters are plain arrays of tensors in the model's flat order. A function that returns new
 * parameters never disposes the ones it was given; the caller owns both.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from './model';
import type { Rng } from './rng';

export type Params = tf.Tensor[];

/** One client's (or the server's) training examples as tensors. */
export interface TensorData {
  n: number;
  /** [n, inputSize] float features. */
  x: tf.Tensor2D;
  /** [n, classes] one-hot labels (the loss). */
  y: tf.Tensor2D;
  /** [n] int32 labels (the accuracy). */
  labels: tf.Tensor1D;
}

export function makeTensorData(features: Float32Array, labels: Int32Array, inputSize: number, numClasses: number): TensorData {
  const n = labels.length;
  return tf.tidy(() => {
    const lab = tf.tensor1d(labels, 'int32');
    return {
      n,
      x: tf.tensor2d(features, [n, inputSize]),
      y: tf.oneHot(lab, numClasses).toFloat() as tf.Tensor2D,
      labels: lab,
    };
  });
}

export function disposeData(d: TensorData | null | undefined): void {
  if (!d) return;
  tf.dispose([d.x, d.y, d.labels]);
}

/**
 * Mean softmax cross-entropy of logits against one-hot labels, with the analytic gradient
 * (softmax − y)/b: one kernel backwards instead of differentiating log-sum-exp op by op.
 */
export const softmaxCrossEntropy = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [logits, onehot, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  const lse = tf.logSumExp(logits, 1);
  const picked = tf.sum(tf.mul(logits, onehot), 1);
  const value = tf.mean(tf.sub(lse, picked));
  save([logits, onehot]);
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [l, y] = saved;
      const scale = tf.div(dy, l.shape[0]);
      return [tf.mul(tf.sub(tf.softmax(l), y), scale), tf.zerosLike(y)];
    },
  };
}) as (logits: tf.Tensor, onehot: tf.Tensor) => tf.Scalar;

/** Number of rows whose arg-max logit is the label (int32 scalar). */
function correctCount(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'int32'));
}

export interface LocalResult {
  params: Params;
  /** Mean loss over the examples of the last epoch (each batch's loss at the weights it saw). */
  loss: number;
  accuracy: number;
  /** SGD steps taken. */
  steps: number;
}

export interface LocalOptions {
  epochs: number;
  /** Batch size, or 'all' for one batch per epoch. */
  batch: number | 'all';
  lr: number;
  /** The client's shuffle stream; null keeps the examples in order every epoch. */
  shuffle: Rng | null;
  /** FedProx: adds μ(w − anchor) to every gradient. Applied even when μ = 0. */
  prox?: { mu: number; anchor: Params };
  /** Yields to the event loop and throws when cancelled; called after every step. */
  tick: () => Promise<void>;
}

/** Batch sizes of one epoch over n examples: B, B, …, the remainder (like Keras). */
export function batchSizes(n: number, batch: number | 'all'): number[] {
  if (batch === 'all' || batch >= n) return [n];
  const out = new Array<number>(Math.floor(n / batch)).fill(batch);
  if (n % batch) out.push(n % batch);
  return out;
}

/**
 * E epochs of mini-batch SGD from `start` (not disposed). The examples are reshuffled each epoch
 * from the given stream. Loss and accuracy are read back once, at the end.
 */
export async function localTrain(model: Model, start: Params, data: TensorData, opts: LocalOptions): Promise<LocalResult> {
  const lr = tf.scalar(opts.lr);
  const mu = opts.prox ? tf.scalar(opts.prox.mu) : null;
  const anchor = opts.prox?.anchor;
  const sizes = batchSizes(data.n, opts.batch);
  let cur: Params = start;
  const own = (p: Params) => p !== start;
  let lossParts: tf.Tensor[] = [];
  let correctParts: tf.Tensor[] = [];
  let steps = 0;
  try {
    for (let e = 0; e < opts.epochs; e++) {
      const last = e === opts.epochs - 1;
      const [xs, ys, ls] = tf.tidy(() => {
        let x: tf.Tensor = data.x;
        let y: tf.Tensor = data.y;
        let l: tf.Tensor = data.labels;
        if (opts.shuffle) {
          const perm = tf.tensor1d(opts.shuffle.permutation(data.n), 'int32');
          x = tf.gather(x, perm);
          y = tf.gather(y, perm);
          l = tf.gather(l, perm);
        }
        if (sizes.length === 1) return [[x.clone()], [y.clone()], [l.clone()]];
        return [tf.split(x, sizes), tf.split(y, sizes), tf.split(l, sizes)];
      });
      try {
        for (let b = 0; b < sizes.length; b++) {
          let correct: tf.Scalar | null = null;
          const out = tf.tidy(() => {
            const f = (...ps: tf.Tensor[]) => {
              const logits = model.forward(xs[b], ps);
              if (last) correct = tf.keep(correctCount(logits, ls[b]));
              return softmaxCrossEntropy(logits, ys[b]);
            };
            const { value, grads } = tf.valueAndGrads(f)(cur);
            const next = cur.map((p, i) => {
              let g = grads[i];
              if (mu && anchor) g = tf.add(g, tf.mul(tf.sub(p, anchor[i]), mu));
              return tf.sub(p, tf.mul(g, lr));
            });
            // In the last epoch the batch's summed loss rides along at the end of the list.
            return last ? [...next, tf.mul(value, sizes[b])] : next;
          });
          if (last) lossParts.push(out.pop()!);
          if (own(cur)) tf.dispose(cur);
          cur = out;
          if (correct) correctParts.push(correct);
          steps++;
          await opts.tick();
        }
      } finally {
        tf.dispose([...xs, ...ys, ...ls]);
      }
    }
    const [lossSum, correctSum] = tf.tidy(() => [tf.addN(lossParts), tf.addN(correctParts)]);
    const lossV = (await lossSum.data())[0];
    const correctV = (await correctSum.data())[0];
    tf.dispose([lossSum, correctSum]);
    return { params: cur, loss: lossV / data.n, accuracy: correctV / data.n, steps };
  } catch (err) {
    if (own(cur)) tf.dispose(cur);
    throw err;
  } finally {
    tf.dispose([lr, ...(mu ? [mu] : []), ...lossParts, ...correctParts]);
    lossParts = [];
    correctParts = [];
  }
}

/** ∇F(w) over all of `data` as one batch (FedSGD), with the loss and accuracy at w. */
export async function fullGradient(model: Model, params: Params, data: TensorData): Promise<{ grads: Params; loss: number; accuracy: number }> {
  let correct: tf.Scalar | null = null;
  const { value, grads } = tf.tidy(() => {
    const f = (...ps: tf.Tensor[]) => {
      const logits = model.forward(data.x, ps);
      correct = tf.keep(correctCount(logits, data.labels));
      return softmaxCrossEntropy(logits, data.y);
    };
    return tf.valueAndGrads(f)(params);
  });
  const loss = (await value.data())[0];
  const c = (await correct!.data())[0];
  tf.dispose([value, correct!]);
  return { grads, loss, accuracy: c / data.n };
}

/** Rows per evaluation chunk: bounds the activation memory on large test sets. */
const EVAL_CHUNK = 2000;

/** Mean loss and accuracy of the model on `data`; one read-back. */
export async function evaluate(model: Model, params: Params, data: TensorData): Promise<{ loss: number; accuracy: number }> {
  const sums = tf.tidy(() => {
    let loss: tf.Tensor = tf.scalar(0);
    let correct: tf.Tensor = tf.scalar(0, 'int32');
    for (let at = 0; at < data.n; at += EVAL_CHUNK) {
      const m = Math.min(EVAL_CHUNK, data.n - at);
      const x = data.n <= EVAL_CHUNK ? data.x : tf.slice(data.x, [at, 0], [m, -1]);
      const y = data.n <= EVAL_CHUNK ? data.y : tf.slice(data.y, [at, 0], [m, -1]);
      const l = data.n <= EVAL_CHUNK ? data.labels : tf.slice(data.labels, [at], [m]);
      const logits = model.forward(x, params);
      loss = tf.add(loss, tf.mul(softmaxCrossEntropy(logits, y), m));
      correct = tf.add(correct, correctCount(logits, l));
    }
    return tf.stack([loss, tf.cast(correct, 'float32')]);
  });
  const [lossSum, correct] = await sums.data();
  sums.dispose();
  return { loss: lossSum / data.n, accuracy: correct / data.n };
}

/** Softmax probabilities for a batch of inputs (the boundary grid), read back flat. */
export async function predictProbs(model: Model, params: Params, x: tf.Tensor2D): Promise<Float32Array> {
  const p = tf.tidy(() => tf.softmax(model.forward(x, params)));
  const out = (await p.data()) as Float32Array;
  p.dispose();
  return out;
}

/** acc + c·w per tensor (acc null: c·w). Disposes the old accumulator. */
export function accumulate(acc: Params | null, w: Params, c: number): Params {
  const next = tf.tidy(() => w.map((t, i) => (acc ? tf.add(acc[i], tf.mul(t, c)) : tf.mul(t, c))));
  if (acc) tf.dispose(acc);
  return next;
}

/** Σ_k c_k w_k over whole parameter lists (the FedAvg aggregation). */
export function weightedSum(ws: Params[], coefficients: number[]): Params {
  let acc: Params | null = null;
  ws.forEach((w, k) => (acc = accumulate(acc, w, coefficients[k])));
  if (!acc) throw new Error('weightedSum of nothing');
  return acc;
}

/** Whether every parameter is finite (one read-back). */
export async function allFinite(params: Params): Promise<boolean> {
  const s = tf.tidy(() => tf.addN(params.map((p) => tf.sum(p))));
  const v = (await s.data())[0];
  s.dispose();
  return Number.isFinite(v);
}
