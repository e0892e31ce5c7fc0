/**
 * Models as an ordered list of layers over explicit parameter tensors (no tfjs-layers).
 *
 * A layer knows its per-example input and output shapes and the shapes of its parameters; it
 * applies itself to a batch given its own parameter tensors. A model is the list, so any range of
 * layers can run on its own:
 *
 *   model.forward(x, params)                                   // the whole model → logits
 *   model.forward(x, model.paramsOf(params, 0, cut), 0, cut)   // the client part
 *
 * Parameter order (the flat vector the widgets draw and average, and `exportParams` returns):
 * layer by layer from the input; inside a layer the kernel, then the bias; each tensor row-major in
 * its shape. Dense kernel [in, out]; conv2d kernel [kh, kw, inChannels, outChannels] (tfjs HWIO).
 * Layers without parameters (maxpool, flatten) contribute nothing.
 *
 * Training does not use tfjs' gradient tape: every layer has a hand-written backward pass
 * (`forwardTrace` keeps the activations, `backward` walks back). That is a third of the kernel
 * launches of tape-based tf.grads for a small MLP, and the wasm backend of tfjs 4.22 lacks the
 * kernel the tape needs for convolution filters (see conv2dFilterGrad).
 *
 * Note for split learning: a cut c ∈ 1…L−1 puts layers [0, c) on the client and
 * [c, L) on the server; `cutWidths[c]` is the number of floats per example crossing it.
 *   client: { out: A, trace: tc } = forwardTrace(x, θC, 0, c)           // smashed data A
 *   server: { out: logits, trace: ts } = forwardTrace(A, θS, c, L)
 *           { dx: G, grads: gS } = backward(ts, ∂L/∂logits, θS, true)   // G = ∂L/∂A goes back
 *   client: { grads: gC } = backward(tc, G, θC)
 * The gradients are exactly those of backward over [0, L), so sequential split learning
 * reproduces centralized SGD up to float rounding (tests/unit/split-properties.test.ts checks it).
 */
import * as tf from '@tensorflow/tfjs-core';
import { util } from '@tensorflow/tfjs-core';
import { conv2dSame, matMul } from './kernels';
import type { Activation, ModelConfig } from './types';
import type { Rng } from './rng';

export type LayerSpec =
  | { kind: 'dense'; units: number; activation: Activation }
  /** Stride 1, 'same' padding, square kernel. */
  | { kind: 'conv2d'; filters: number; kernel: number; activation: Activation }
  /** Square window, stride = size, 'same' padding. */
  | { kind: 'maxpool'; size: number }
  | { kind: 'flatten' };

export interface Layer {
  readonly spec: LayerSpec;
  /** Per-example input shape (no batch dimension). */
  readonly inShape: number[];
  /** Per-example output shape. */
  readonly outShape: number[];
  /** Shapes of this layer's parameter tensors in flat order (kernel, bias), [] if none. */
  readonly paramShapes: number[][];
  /** Number of scalar parameters of this layer. */
  readonly paramCount: number;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function layerFromSpec(spec: LayerSpec, inShape: number[]): Layer {
  switch (spec.kind) {
    case 'dense': {
      const fanIn = size(inShape);
      const paramShapes = [[fanIn, spec.units], [spec.units]];
      return { spec, inShape, outShape: [spec.units], paramShapes, paramCount: fanIn * spec.units + spec.units };
    }
    case 'conv2d': {
      if (inShape.length !== 3) throw new Error(`conv2d needs an image input, got [${inShape}]`);
      const [h, w, c] = inShape;
      const paramShapes = [[spec.kernel, spec.kernel, c, spec.filters], [spec.filters]];
      return { spec, inShape, outShape: [h, w, spec.filters], paramShapes, paramCount: spec.kernel * spec.kernel * c * spec.filters + spec.filters };
    }
    case 'maxpool': {
      if (inShape.length !== 3) throw new Error(`maxpool needs an image input, got [${inShape}]`);
      const [h, w, c] = inShape;
      return { spec, inShape, outShape: [Math.ceil(h / spec.size), Math.ceil(w / spec.size), c], paramShapes: [], paramCount: 0 };
    }
    case 'flatten':
      return { spec, inShape, outShape: [size(inShape)], paramShapes: [], paramCount: 0 };
  }
}

/** What a layer keeps from its forward pass for the backward pass. */
export interface Saved {
  /** The input as the layer used it (2D for dense, 4D for conv/pool). */
  x: tf.Tensor;
  /** The layer's output (after the activation). */
  y: tf.Tensor;
  /** The input's shape as it arrived (to reshape dx back). */
  inputShape: number[];
}

/**
 * The forward pass of layers [from, to): the tensors the backward pass needs. Create and use it
 * inside tf.tidy (the tensors are ordinary intermediates).
 */
export interface Trace {
  from: number;
  to: number;
  saved: Saved[];
}

/** ReLU runs inside the fused kernel; tanh and sigmoid as a second op. */
export function fusedPart(act: Activation): 'relu' | 'linear' {
  return act === 'relu' ? 'relu' : 'linear';
}

export function afterFused(y: tf.Tensor, act: Activation): tf.Tensor {
  if (act === 'tanh') return tf.tanh(y);
  if (act === 'sigmoid') return tf.sigmoid(y);
  return y;
}

/** dL/dz from dL/dy and the activation's output y = act(z). */
export function activationGrad(dy: tf.Tensor, y: tf.Tensor, act: Activation): tf.Tensor {
  switch (act) {
    case 'relu':
      return tf.mul(dy, tf.step(y)); // y > 0 exactly where z > 0
    case 'tanh':
      return tf.mul(dy, tf.sub(1, tf.square(y)));
    case 'sigmoid':
      return tf.mul(dy, tf.mul(y, tf.sub(1, y)));
    case 'linear':
      return dy;
  }
}

function toImage(x: tf.Tensor, [h, w, c]: number[]): tf.Tensor4D {
  return x.rank === 4 ? (x as tf.Tensor4D) : tf.reshape(x, [x.shape[0], h, w, c]);
}

function toMatrix(x: tf.Tensor): tf.Tensor2D {
  return x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [x.shape[0], -1]);
}

/**
 * x·W + b (then ReLU if asked). The wasm backend's XNNPACK path repacks its second operand each
 * time that operand is a new tensor, which in training the kernel always is: for a small batch and
 * a large kernel the packing costs more than the product. Then it is cheaper to transpose the
 * kernel (a plain copy) and compute (Wᵀ·xᵀ)ᵀ, which packs only the small xᵀ. Measured on wasm:
 * 784×200 at B = 10 about 1.5× faster; no gain at B ≥ 64 or for kernels under ~16k weights.
 */
function denseForward(x: tf.Tensor2D, W: tf.Tensor2D, b: tf.Tensor1D, act: 'relu' | 'linear'): tf.Tensor2D {
  const [k, n] = W.shape;
  if (x.shape[0] <= 32 && k * n >= 16384) {
    const yT = matMul(tf.transpose(W) as tf.Tensor2D, tf.transpose(x) as tf.Tensor2D);
    const z = tf.add(tf.transpose(yT), b) as tf.Tensor2D;
    return act === 'relu' ? tf.relu(z) : z;
  }
  return matMul(x, W, false, false, b, act);
}

/** Applies one layer to a batch (prepared input, output). `x` may be flat where an image is expected. */
export function layerForward(layer: Layer, x: tf.Tensor, params: tf.Tensor[]): { x: tf.Tensor; y: tf.Tensor } {
  const { spec } = layer;
  switch (spec.kind) {
    case 'dense': {
      const x2 = toMatrix(x);
      return { x: x2, y: afterFused(denseForward(x2, params[0] as tf.Tensor2D, params[1] as tf.Tensor1D, fusedPart(spec.activation)), spec.activation) };
    }
    case 'conv2d': {
      const x4 = toImage(x, layer.inShape);
      const z = conv2dSame(x4, params[0] as tf.Tensor4D, params[1] as tf.Tensor1D, fusedPart(spec.activation));
      return { x: x4, y: afterFused(z, spec.activation) };
    }
    case 'maxpool': {
      const x4 = toImage(x, layer.inShape);
      return { x: x4, y: tf.maxPool(x4, spec.size, spec.size, 'same') };
    }
    case 'flatten':
      return { x, y: tf.reshape(x, [x.shape[0], layer.outShape[0]]) };
  }
}

/**
 * ∂L/∂W of a stride-1 'same' convolution. The cpu backend has the kernel; the wasm backend of
 * tfjs 4.22 does not (Conv2DBackpropFilter is missing there), so it is computed as a convolution
 * of the padded input with dy, batch and channels swapped: dW[i,j,c,f] = Σ_b,h,w x[b,h+i,w+j,c]·dy[b,h,w,f].
 */
function conv2dFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number]): tf.Tensor4D {
  if (tf.getKernel(tf.Conv2DBackpropFilter, tf.getBackend())) {
    return tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
  }
  const [kh, kw] = filterShape;
  // 'same' padding of tfjs: total pad k − 1, the smaller half before.
  const padH = [Math.floor((kh - 1) / 2), Math.ceil((kh - 1) / 2)] as [number, number];
  const padW = [Math.floor((kw - 1) / 2), Math.ceil((kw - 1) / 2)] as [number, number];
  const xp = tf.pad(x, [[0, 0], padH, padW, [0, 0]]);
  // Input [C, H', W', B] (channels as batch), filter [H, W, B, F] (dy as the kernel).
  const xt = tf.transpose(xp, [3, 1, 2, 0]);
  const dyt = tf.transpose(dy, [1, 2, 0, 3]);
  const g = tf.conv2d(xt, dyt, 1, 'valid'); // [C, kh, kw, F]
  return tf.transpose(g, [1, 2, 0, 3]);
}

/**
 * ∂L/∂x of a stride-1 'same' convolution. For an odd kernel the padding is symmetric, and the
 * input gradient is the 'same' convolution of dy with the kernel turned by 180° and its channel
 * axes swapped. That runs on the backend's fast convolution; the wasm backend's
 * Conv2DBackpropInput kernel (what tf.conv2dTranspose calls) is a plain loop, about 10× slower on
 * the paper's CNN. Even kernels keep the general route.
 */
function conv2dInputGrad(dy: tf.Tensor4D, W: tf.Tensor4D, xShape: [number, number, number, number]): tf.Tensor4D {
  const [kh, kw] = W.shape;
  if (kh % 2 === 1 && kw % 2 === 1) {
    const flipped = tf.transpose(tf.reverse(W, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    return tf.conv2d(dy, flipped, 1, 'same');
  }
  return tf.conv2dTranspose(dy, W, xShape, 1, 'same');
}

/** Backward through one layer: parameter gradients and, if asked, ∂L/∂input. */
export function layerBackward(layer: Layer, saved: Saved, dy: tf.Tensor, params: tf.Tensor[], wantDx: boolean): { dx: tf.Tensor | null; grads: tf.Tensor[] } {
  const { spec } = layer;
  const back = (dx: tf.Tensor | null) => (dx && !util.arraysEqual(dx.shape, saved.inputShape) ? tf.reshape(dx, saved.inputShape) : dx);
  switch (spec.kind) {
    case 'dense': {
      const dz = activationGrad(toMatrix(dy), saved.y, spec.activation) as tf.Tensor2D;
      // Explicit transposes: the wasm backend sends any transposed product to a naive loop
      // (4–10× slower than a transpose plus its XNNPACK path at these sizes). dx is computed as
      // (W·dzᵀ)ᵀ so that the small dzᵀ, not the kernel, is the operand XNNPACK repacks.
      const dW = matMul(tf.transpose(saved.x) as tf.Tensor2D, dz);
      const db = tf.sum(dz, 0);
      const dx = wantDx ? tf.transpose(matMul(params[0] as tf.Tensor2D, tf.transpose(dz) as tf.Tensor2D)) : null;
      return { dx: back(dx), grads: [dW, db] };
    }
    case 'conv2d': {
      const dz = activationGrad(toImage(dy, layer.outShape), saved.y, spec.activation) as tf.Tensor4D;
      const W = params[0] as tf.Tensor4D;
      const dW = conv2dFilterGrad(saved.x as tf.Tensor4D, dz, W.shape);
      const db = tf.sum(dz, [0, 1, 2]);
      const dx = wantDx ? conv2dInputGrad(dz, W, saved.x.shape as [number, number, number, number]) : null;
      return { dx: back(dx), grads: [dW, db] };
    }
    case 'maxpool': {
      if (!wantDx) return { dx: null, grads: [] };
      const attrs = { filterSize: [spec.size, spec.size], strides: [spec.size, spec.size], pad: 'same', dimRoundingMode: undefined };
      const dx = tf.engine().runKernel(tf.MaxPoolGrad, { dy: toImage(dy, layer.outShape), input: saved.x, output: saved.y }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
      return { dx: back(dx), grads: [] };
    }
    case 'flatten':
      return { dx: wantDx ? back(dy) : null, grads: [] };
  }
}

export class Model {
  readonly layers: Layer[];
  /** Number of parameter tensors of each layer (0, 1 or 2). */
  readonly tensorCounts: number[];
  /** Scalar parameters per layer. */
  readonly layerParamCounts: number[];
  /** All parameter tensor shapes in flat order. */
  readonly paramShapes: number[][];
  /** Total number of scalar parameters N. */
  readonly paramCount: number;
  /**
   * cutWidths[c] = floats per example entering layer c, for c = 0 … L: cutWidths[0] is the input
   * width and cutWidths[L] the number of classes (logits). A cut c runs [0, c) on the client.
   */
  readonly cutWidths: number[];

  constructor(
    readonly inputShape: number[],
    specs: LayerSpec[],
  ) {
    let shape = inputShape;
    this.layers = specs.map((s) => {
      const l = layerFromSpec(s, shape);
      shape = l.outShape;
      return l;
    });
    this.tensorCounts = this.layers.map((l) => l.paramShapes.length);
    this.layerParamCounts = this.layers.map((l) => l.paramCount);
    this.paramShapes = this.layers.flatMap((l) => l.paramShapes);
    this.paramCount = this.layerParamCounts.reduce((a, b) => a + b, 0);
    this.cutWidths = [size(inputShape), ...this.layers.map((l) => size(l.outShape))];
  }

  /** Index range [start, end) of the parameter tensors of layers [from, to). */
  tensorRange(from: number, to: number): [number, number] {
    const start = this.tensorCounts.slice(0, from).reduce((a, b) => a + b, 0);
    const end = start + this.tensorCounts.slice(from, to).reduce((a, b) => a + b, 0);
    return [start, end];
  }

  /** Offset range [start, end) in the flat parameter vector of layers [from, to). */
  flatRange(from: number, to: number): [number, number] {
    const start = this.layerParamCounts.slice(0, from).reduce((a, b) => a + b, 0);
    const end = start + this.layerParamCounts.slice(from, to).reduce((a, b) => a + b, 0);
    return [start, end];
  }

  /** The parameter tensors of layers [from, to) out of the full list. */
  paramsOf<T>(all: T[], from: number, to: number): T[] {
    const [s, e] = this.tensorRange(from, to);
    return all.slice(s, e);
  }

  /**
   * Runs layers [from, to) on a batch. `params` are the tensors of exactly those layers, in flat
   * order. The output of the last layer is the logits (no softmax).
   */
  forward(x: tf.Tensor, params: tf.Tensor[], from = 0, to = this.layers.length): tf.Tensor {
    return this.forwardTrace(x, params, from, to).out;
  }

  /**
   * Like forward, and keeps what backward needs. Call both inside one tf.tidy.
   */
  forwardTrace(x: tf.Tensor, params: tf.Tensor[], from = 0, to = this.layers.length): { out: tf.Tensor; trace: Trace } {
    this.checkParams(params, from, to);
    const saved: Saved[] = [];
    let h = x;
    let p = 0;
    for (let i = from; i < to; i++) {
      const n = this.tensorCounts[i];
      const r = layerForward(this.layers[i], h, params.slice(p, p + n));
      saved.push({ x: r.x, y: r.y, inputShape: h.shape });
      h = r.y;
      p += n;
    }
    return { out: h, trace: { from, to, saved } };
  }

  /**
   * Backpropagation through the traced layers: given dOut = ∂L/∂(output of layer to−1), returns
   * ∂L/∂θ for the parameters of layers [from, to) in flat order and, with `inputGrad`, ∂L/∂(input
   * of layer from) — the gradient a split-learning server returns to the client.
   */
  backward(trace: Trace, dOut: tf.Tensor, params: tf.Tensor[], inputGrad = false): { dx: tf.Tensor | null; grads: tf.Tensor[] } {
    const { from, to, saved } = trace;
    this.checkParams(params, from, to);
    const grads: tf.Tensor[][] = [];
    let dy: tf.Tensor | null = dOut;
    let p = params.length;
    for (let i = to - 1; i >= from; i--) {
      const n = this.tensorCounts[i];
      p -= n;
      const wantDx = i > from || inputGrad;
      const r = layerBackward(this.layers[i], saved[i - from], dy!, params.slice(p, p + n), wantDx);
      grads.unshift(r.grads);
      dy = r.dx;
    }
    return { dx: inputGrad ? dy : null, grads: grads.flat() };
  }

  private checkParams(params: tf.Tensor[], from: number, to: number): void {
    const [s, e] = this.tensorRange(from, to);
    if (params.length !== e - s) throw new Error(`layers [${from}, ${to}) need ${e - s} parameter tensors, got ${params.length}`);
  }

  /**
   * Initial parameters as one flat vector: Glorot-uniform kernels (Keras' default:
   * limit √(6 / (fanIn + fanOut)), conv fans include the kernel area), zero biases.
   */
  initParams(rng: Rng): Float32Array {
    const out = new Float32Array(this.paramCount);
    let at = 0;
    for (const l of this.layers) {
      if (l.paramShapes.length === 0) continue;
      const k = l.paramShapes[0];
      const receptive = k.length === 4 ? k[0] * k[1] : 1;
      const fanIn = k[k.length - 2] * receptive;
      const fanOut = k[k.length - 1] * receptive;
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      const nk = size(k);
      for (let i = 0; i < nk; i++) out[at + i] = rng.uniform(-limit, limit);
      at += nk + size(l.paramShapes[1]); // biases stay 0
    }
    return out;
  }

  /** Splits a flat vector into parameter tensors (caller owns and disposes them). */
  importParams(flat: Float32Array): tf.Tensor[] {
    if (flat.length !== this.paramCount) throw new Error(`importParams: ${flat.length} values for ${this.paramCount} parameters`);
    let at = 0;
    return this.paramShapes.map((shape) => {
      const n = size(shape);
      const t = tf.tensor(flat.subarray(at, at + n), shape, 'float32');
      at += n;
      return t;
    });
  }

  /** Concatenates parameter tensors (all of them, or those of a layer range) into one vector. */
  exportParams(params: tf.Tensor[]): Float32Array {
    const n = params.reduce((s, p) => s + p.size, 0);
    const out = new Float32Array(n);
    let at = 0;
    for (const p of params) {
      out.set(p.dataSync() as Float32Array, at);
      at += p.size;
    }
    return out;
  }

  /** A human-readable line per layer, e.g. 'dense 784→200 relu (157000)'. */
  describe(): string[] {
    return this.layers.map((l) => {
      const s = l.spec;
      const io = `[${l.inShape}]→[${l.outShape}]`;
      switch (s.kind) {
        case 'dense':
          return `dense ${io} ${s.activation} (${l.paramCount})`;
        case 'conv2d':
          return `conv${s.kernel}×${s.kernel}×${s.filters} ${io} ${s.activation} (${l.paramCount})`;
        case 'maxpool':
          return `maxpool${s.size} ${io}`;
        case 'flatten':
          return `flatten ${io}`;
      }
    });
  }
}

/**
 * The CNN's layers: conv k×k×f1, 2×2 max-pool, conv k×k×f2, 2×2 max-pool, flatten, a dense ReLU
 * layer of `units`, then the output layer. ReLU after each convolution.
 */
function cnnLayers(kernel: number, f1: number, f2: number, units: number, out: LayerSpec): LayerSpec[] {
  return [
    { kind: 'conv2d', filters: f1, kernel, activation: 'relu' },
    { kind: 'maxpool', size: 2 },
    { kind: 'conv2d', filters: f2, kernel, activation: 'relu' },
    { kind: 'maxpool', size: 2 },
    { kind: 'flatten' },
    { kind: 'dense', units, activation: 'relu' },
    out,
  ];
}

/** The layer list a ModelConfig describes, for a given input and number of classes. */
export function modelSpecs(cfg: ModelConfig, inputShape: number[], numClasses: number): LayerSpec[] {
  const out: LayerSpec = { kind: 'dense', units: numClasses, activation: 'linear' };
  switch (cfg.kind) {
    case 'mlp':
      return [...cfg.hidden.map((units): LayerSpec => ({ kind: 'dense', units, activation: cfg.activation })), out];
    case '2nn':
      // McMahan et al. 2017: two hidden layers of 200 ReLU units (199,210 parameters on MNIST).
      return [
        { kind: 'dense', units: 200, activation: 'relu' },
        { kind: 'dense', units: 200, activation: 'relu' },
        out,
      ];
    case 'cnn':
      if (inputShape.length !== 3) throw new Error('cnn needs image input');
      if (inputShape[0] >= 28) {
        // The paper's CNN: 5×5×32, pool, 5×5×64, pool, 512 ReLU, softmax (1,663,370 parameters on
        // MNIST with 'same' padding; ReLU after the convolutions is our
        // assumption: the paper does not say).
        return cnnLayers(5, 32, 64, 512, out);
      }
      // A small CNN of the same shape for 8×8 digits (13,706 parameters).
      return cnnLayers(3, 16, 32, 64, out);
  }
}

export function buildModel(cfg: ModelConfig, inputShape: number[], numClasses: number): Model {
  // An MLP sees images as flat vectors, so its input shape is the flat width.
  const shape = cfg.kind === 'cnn' ? inputShape : [size(inputShape)];
  return new Model(shape, modelSpecs(cfg, inputShape, numClasses));
}
