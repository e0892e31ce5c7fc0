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

/** A batch built from host memory: the caller disposes it (or builds it inside tf.tidy). */
export interface Batch {
  n: number;
  x: tf.Tensor2D;
  y: tf.Tensor2D;
  labels: tf.Tensor1D;
}

/**
 * Examples kept in JavaScript memory, with tensors made on demand.
 *
 * Why not keep everything as tensors and cut batches with tf.gather / tf.split: on the wasm backend
 * of tfjs 4.22 those kernels copy element by element (≈25 and ≈100 ns per float: 0.2 ms and 0.8 ms
 * for one 10×784 batch), while copying the rows in JavaScript and uploading them is a memcpy.
 * `x`, `y` and `labels` (the whole set) are created on first use and kept until dispose().
 */
export class ExampleSet implements TensorData {
  private tx: tf.Tensor2D | null = null;
  private ty: tf.Tensor2D | null = null;
  private tl: tf.Tensor1D | null = null;
  private chunkCache: Batch[] | null = null;

  constructor(
    /** Row-major features, n × inputSize. */
    readonly features: Float32Array,
    /** Class labels 0 … numClasses − 1. */
    readonly labelArray: Int32Array,
    readonly inputSize: number,
    readonly numClasses: number,
  ) {
    if (features.length !== labelArray.length * inputSize) throw new Error('ExampleSet: features and labels disagree');
  }

  get n(): number {
    return this.labelArray.length;
  }
  // tf.keep: the first use may happen inside someone's tf.tidy, which must not free the cache.
  get x(): tf.Tensor2D {
    return (this.tx ??= tf.keep(tf.tensor2d(this.features, [this.n, this.inputSize])));
  }
  get y(): tf.Tensor2D {
    return (this.ty ??= tf.keep(tf.tensor2d(this.oneHot(this.labelArray), [this.n, this.numClasses])));
  }
  get labels(): tf.Tensor1D {
    return (this.tl ??= tf.keep(tf.tensor1d(this.labelArray, 'int32')));
  }

  private oneHot(labels: ArrayLike<number>): Float32Array {
    const out = new Float32Array(labels.length * this.numClasses);
    for (let r = 0; r < labels.length; r++) out[r * this.numClasses + labels[r]] = 1;
    return out;
  }

  /** Examples order[from], …, order[to − 1] as new tensors (order null: from … to − 1). */
  batch(order: ArrayLike<number> | null, from: number, to: number): Batch {
    const b = to - from;
    const d = this.inputSize;
    const xs = new Float32Array(b * d);
    const ls = new Int32Array(b);
    for (let r = 0; r < b; r++) {
      const i = order ? order[from + r] : from + r;
      xs.set(this.features.subarray(i * d, i * d + d), r * d);
      ls[r] = this.labelArray[i];
    }
    return { n: b, x: tf.tensor2d(xs, [b, d]), y: tf.tensor2d(this.oneHot(ls), [b, this.numClasses]), labels: tf.tensor1d(ls, 'int32') };
  }

  /** The set in consecutive chunks of at most `size` rows, made once and kept (evaluation). */
  chunks(size: number): Batch[] {
    if (this.n <= size) return [{ n: this.n, x: this.x, y: this.y, labels: this.labels }];
    return (this.chunkCache ??= Array.from({ length: Math.ceil(this.n / size) }, (_, c) => {
      const b = this.batch(null, c * size, Math.min(this.n, (c + 1) * size));
      return { n: b.n, x: tf.keep(b.x), y: tf.keep(b.y), labels: tf.keep(b.labels) };
    }));
  }

  /** Frees every tensor made so far; the set can still make new ones. */
  dispose(): void {
    for (const t of [this.tx, this.ty, this.tl]) t?.dispose();
    if (this.chunkCache) tf.dispose(this.chunkCache.flatMap((c) => [c.x, c.y, c.labels]));
    this.tx = this.ty = this.tl = null;
    this.chunkCache = null;
  }
}

/** Σ over the batch of the softmax cross-entropy (stable: log-sum-exp minus the true logit). */
export function lossSum(logits: tf.Tensor, onehot: tf.Tensor): tf.Scalar {
  return tf.sum(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, onehot), 1)));
}

/**
 * scale · ∂(mean cross-entropy)/∂logits = (softmax(logits) − y) · scale/b, where `scaleOverB` is
 * the scalar tensor scale/b. Training passes scale = η, so the gradients come out already
 * multiplied by the learning rate and a step is one subtraction per tensor.
 */
export function lossGrad(logits: tf.Tensor, onehot: tf.Tensor, scaleOverB: tf.Scalar): tf.Tensor {
  return tf.mul(tf.sub(tf.softmax(logits), onehot), scaleOverB);
}

/** Number of rows whose arg-max logit is the label (int32 scalar). */
export function correctCount(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'int32'));
}

/**
 * scale · ∇ of the mean loss over a batch, by the model's own backward pass (no gradient tape).
 * `scaleOverB` is the scalar scale / batch size.
 */
export function batchGradients(model: Model, params: Params, x: tf.Tensor, y: tf.Tensor, scaleOverB: tf.Scalar): { logits: tf.Tensor; grads: Params } {
  const { out, trace } = model.forwardTrace(x, params);
  const { grads } = model.backward(trace, lossGrad(out, y, scaleOverB), params);
  return { logits: out, grads };
}

export interface LocalResult {
  params: Params;
  /** Mean loss of the returned parameters on the client's own examples. */
  loss: number;
  /** Accuracy of the returned parameters on the client's own examples. */
  accuracy: number;
  /** SGD steps taken. */
  steps: number;
  /** Trained in a stacked group (ClientGroups): this client's share of the group's compute ms. */
  ms?: number;
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
  /**
   * SCAFFOLD: a constant added to every gradient, c − c_i (the server's control variate minus the
   * client's), so each step is w ← w − η(∇ − c_i + c).
   */
  correction?: Params;
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
 * from the given stream, and each batch is copied out of host memory. Afterwards the new parameters are evaluated on the same examples (one
 * forward pass, one read-back): that is the loss and accuracy reported.
 */
export async function localTrain(model: Model, start: Params, data: ExampleSet, opts: LocalOptions): Promise<LocalResult> {
  const sizes = batchSizes(data.n, opts.batch);
  // η/b for each distinct batch size (at most two), and η·μ for the proximal term.
  const scales = new Map<number, tf.Scalar>(Array.from(new Set(sizes), (b) => [b, tf.scalar(opts.lr / b)]));
  const lrMu = opts.prox ? tf.scalar(opts.lr * opts.prox.mu) : null;
  const anchor = opts.prox?.anchor;
  // η(c − c_i) once per call: the correction is constant over the client's local steps.
  const lrCorrection = opts.correction ? tf.tidy(() => opts.correction!.map((c) => tf.mul(c, opts.lr))) : null;
  let cur: Params = start;
  const own = (p: Params) => p !== start;
  let steps = 0;
  try {
    for (let e = 0; e < opts.epochs; e++) {
      const order = opts.shuffle ? opts.shuffle.permutation(data.n) : null;
      let from = 0;
      for (const size of sizes) {
        const at = from;
        const next = tf.tidy(() => {
          const batch = data.batch(order, at, at + size);
          const { grads } = batchGradients(model, cur, batch.x, batch.y, scales.get(size)!);
          return cur.map((w, i) => {
            // grads[i] is already η·∇ (lossGrad scaled by η/b), so the SGD step w ← w − η∇ is
            // one subtraction. FedProx adds η·μ(w − w_t), its proximal term.
            let step = lrMu && anchor ? tf.add(grads[i], tf.mul(tf.sub(w, anchor[i]), lrMu)) : grads[i];
            if (lrCorrection) step = tf.add(step, lrCorrection[i]);
            return tf.sub(w, step);
          });
        });
        if (own(cur)) tf.dispose(cur);
        cur = next;
        from += size;
        steps++;
        await opts.tick();
      }
    }
    const { loss, accuracy } = await evaluate(model, cur, data);
    return { params: cur, loss, accuracy, steps };
  } catch (err) {
    if (own(cur)) tf.dispose(cur);
    throw err;
  } finally {
    tf.dispose([...scales.values(), ...(lrMu ? [lrMu] : []), ...(lrCorrection ?? [])]);
  }
}

/** ∇F(w) over all of `data` as one batch (FedSGD), with the loss and accuracy at w. */
export async function fullGradient(model: Model, params: Params, data: TensorData): Promise<{ grads: Params; loss: number; accuracy: number }> {
  const out = tf.tidy(() => {
    const { logits, grads } = batchGradients(model, params, data.x, data.y, tf.scalar(1 / data.n));
    return [...grads, lossSum(logits, data.y), tf.cast(correctCount(logits, data.labels), 'float32')];
  });
  const correct = out.pop()!;
  const loss = out.pop()!;
  const l = (await loss.data())[0];
  const c = (await correct.data())[0];
  tf.dispose([loss, correct]);
  return { grads: out, loss: l / data.n, accuracy: c / data.n };
}

/** Rows per evaluation chunk: bounds the activation memory on large test sets. */
const EVAL_CHUNK = 2000;

/** Mean loss and accuracy of the model on `data`; one read-back. */
export function evaluate(model: Model, params: Params, data: TensorData): Promise<{ loss: number; accuracy: number }> {
  return evaluateWith((x) => model.forward(x, params), data);
}

/**
 * Mean loss and accuracy of a network given as `forward(x) → logits`, for networks that are not
 * one Model (vertical split learning); one read-back.
 */
export async function evaluateWith(forward: (x: tf.Tensor) => tf.Tensor, data: TensorData): Promise<{ loss: number; accuracy: number }> {
  // An ExampleSet keeps its chunks; other data is sliced (slow on wasm, see ExampleSet).
  const chunks: Batch[] | null = data instanceof ExampleSet ? data.chunks(EVAL_CHUNK) : null;
  const sums = tf.tidy(() => {
    let loss: tf.Tensor = tf.scalar(0);
    let correct: tf.Tensor = tf.scalar(0, 'int32');
    for (let at = 0, c = 0; at < data.n; at += EVAL_CHUNK, c++) {
      const m = Math.min(EVAL_CHUNK, data.n - at);
      const whole = data.n <= EVAL_CHUNK;
      const x = chunks ? chunks[c].x : whole ? data.x : tf.slice(data.x, [at, 0], [m, -1]);
      const y = chunks ? chunks[c].y : whole ? data.y : tf.slice(data.y, [at, 0], [m, -1]);
      const l = chunks ? chunks[c].labels : whole ? data.labels : tf.slice(data.labels, [at], [m]);
      const logits = forward(x);
      loss = tf.add(loss, lossSum(logits, y));
      correct = tf.add(correct, correctCount(logits, l));
    }
    return tf.stack([loss, tf.cast(correct, 'float32')]);
  });
  const [totalLoss, correct] = await sums.data();
  sums.dispose();
  return { loss: totalLoss / data.n, accuracy: correct / data.n };
}

/** Softmax probabilities for a batch of inputs (the boundary grid), read back flat. */
export async function predictProbs(forward: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor2D): Promise<Float32Array> {
  const p = tf.tidy(() => tf.softmax(forward(x)));
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
