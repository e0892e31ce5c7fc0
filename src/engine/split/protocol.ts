/**
 * One batch of split learning as the parties actually exchange it.
 *
 * Every tensor that crosses between client and server goes through a Wire: its values are read
 * back to a Float32Array (the bytes on the wire, counted and shown) and the receiver continues
 * from a new tensor built from those bytes alone. So the server never holds a reference into the
 * client's computation, and the client finishes backpropagation only from the gradient bytes it
 * received, as the protocol says:
 *
 *   client: A = f_C(X; θ_C)                → wire → server: L = ℓ(f_S(A; θ_S), Y)
 *   client: θ_C ← θ_C − η (∂A/∂θ_C)ᵀ G     ← wire ← server: G = ∂L/∂A, θ_S ← θ_S − η ∂L/∂θ_S
 *
 * Each party runs the model's own layer code on its layer range (Model.forwardTrace/backward,
 * the engine's hand-written backward pass), so the gradients are those of one backward pass over
 * the whole model. What differs from centralized SGD is only where η is applied: the wire carries
 * the true gradient G, and each side multiplies its own gradients by η, while the centralized
 * trainer folds η into ∂L/∂logits. The results agree to float32 rounding (within about 1e-5,
 * tested), not bit for bit.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MessageKind, Party, SplitVariant } from '../types';
import { Model, type LayerSpec } from '../model';
import type { Rng } from '../rng';
import { lossGrad, type Batch, type Params } from '../train';
import { FLOAT_BYTES } from '../comm';
import { headStart, verticalBlocks } from './cut';

/** One message that crossed the wire during a step. */
export interface Transmission {
  kind: MessageKind;
  from: Party;
  to: Party;
  /** Shape including the batch dimension. */
  shape: number[];
  bytes: number;
  /** The values as sent (activations or gradients), row-major; null for labels. */
  values: Float32Array | null;
}

/** Records what crosses and hands the receiver its own copy. */
export class Wire {
  readonly sent: Transmission[] = [];

  /** Sends a float tensor; returns the receiver's tensor, built from the bytes alone. */
  send(t: tf.Tensor, kind: MessageKind, from: Party, to: Party): tf.Tensor {
    const values = t.dataSync() as Float32Array;
    this.sent.push({ kind, from, to, shape: t.shape.slice(), bytes: values.length * FLOAT_BYTES, values });
    return tf.tensor(values, t.shape, 'float32');
  }

  /** Records the labels of a batch (one float32 each); the receiver uses the batch's own copy. */
  sendLabels(count: number, from: Party, to: Party): void {
    this.sent.push({ kind: 'labels', from, to, shape: [count], bytes: count * FLOAT_BYTES, values: null });
  }
}


/** The parameters of a cut model by owner. `head` is empty for vanilla split learning. */
export interface Parts {
  front: Params;
  server: Params;
  head: Params;
}

/** θ − η·g for each tensor. */
function sgd(params: Params, grads: tf.Tensor[], lr: tf.Scalar): Params {
  return params.map((w, i) => tf.sub(w, tf.mul(grads[i], lr)));
}

/**
 * A model cut for vanilla or U-shaped split learning: the client runs layers [0, cut) (the front)
 * and, U-shaped, [head, L) (the head, which computes the loss); the server runs [cut, head).
 */
export class SplitNet {
  readonly layers: number;
  /** First layer of the client's head (= L for vanilla: no head). */
  readonly head: number;
  /** Per-example shape at the cut (what A looks like). */
  readonly cutShape: number[];
  /** Floats per example at the cut (q). */
  readonly q: number;
  /** U-shaped: per-example shape and width at the second cut (server → head); else [] and 0. */
  readonly headShape: number[];
  readonly q2: number;
  /** Parameters the client holds (front + head), η_c·N. */
  readonly clientParams: number;

  constructor(
    readonly model: Model,
    readonly variant: Exclude<SplitVariant, 'vertical'>,
    readonly cut: number,
  ) {
    this.layers = model.layers.length;
    this.head = variant === 'ushaped' ? headStart(this.layers) : this.layers;
    if (!(Number.isInteger(cut) && cut >= 1 && cut < this.head)) throw new Error(`cut ${cut} leaves no layer for the server (${this.layers} layers, ${variant})`);
    this.cutShape = model.layers[cut - 1].outShape;
    this.q = model.cutWidths[cut];
    this.headShape = variant === 'ushaped' ? model.layers[this.head - 1].outShape : [];
    this.q2 = variant === 'ushaped' ? model.cutWidths[this.head] : 0;
    const counts = model.layerParamCounts;
    const sum = (a: number, b: number) => counts.slice(a, b).reduce((s, x) => s + x, 0);
    this.clientParams = sum(0, cut) + sum(this.head, this.layers);
  }

  split(all: Params): Parts {
    const m = this.model;
    return { front: m.paramsOf(all, 0, this.cut), server: m.paramsOf(all, this.cut, this.head), head: m.paramsOf(all, this.head, this.layers) };
  }

  /** All parameters in the model's flat order (front, server, head). */
  join(p: Parts): Params {
    return [...p.front, ...p.server, ...p.head];
  }

  /** The client's share (front, then head), as handed off or averaged. */
  clientPart(p: Parts): Params {
    return [...p.front, ...p.head];
  }

  /** Inverse of clientPart. */
  withClientPart(client: Params, server: Params): Parts {
    const nf = this.model.tensorRange(0, this.cut)[1];
    return { front: client.slice(0, nf), server, head: client.slice(nf) };
  }

  /**
   * One SGD step of client `client` on a batch with the server in the loop. Returns new tensors
   * for all three parts; the old ones are not disposed.
   */
  step(p: Parts, batch: Batch, lr: tf.Scalar, client: number, wire: Wire): Parts {
    const { model, cut, head, layers, variant } = this;
    const flat = tf.tidy(() => {
      const invB = tf.scalar(1 / batch.n);
      // Client: forward to the cut, send A (and, vanilla, the labels).
      const c = model.forwardTrace(batch.x, p.front, 0, cut);
      const aAtServer = wire.send(c.out, 'smashed', client, 'server');
      if (variant === 'vanilla') wire.sendLabels(batch.n, client, 'server');
      // Server: its layers; vanilla ends in the loss here.
      const s = model.forwardTrace(aAtServer, p.server, cut, head);
      let dOut: tf.Tensor;
      let headNext: Params = [];
      if (variant === 'vanilla') {
        dOut = lossGrad(s.out, batch.y, invB);
      } else {
        // U-shaped: the server's output goes to the client's head, which holds the labels.
        const a2AtClient = wire.send(s.out, 'smashed', 'server', client);
        const h = model.forwardTrace(a2AtClient, p.head, head, layers);
        const hb = model.backward(h.trace, lossGrad(h.out, batch.y, invB), p.head, true);
        headNext = sgd(p.head, hb.grads, lr);
        dOut = wire.send(hb.dx!, 'gradient', client, 'server');
      }
      const sb = model.backward(s.trace, dOut, p.server, true);
      const serverNext = sgd(p.server, sb.grads, lr);
      // Client: finish backpropagation from the gradient it received.
      const g = wire.send(sb.dx!, 'gradient', 'server', client);
      const cb = model.backward(c.trace, g, p.front);
      return [...sgd(p.front, cb.grads, lr), ...serverNext, ...headNext];
    });
    return this.split(flat);
  }
}

/**
 * Vertical split learning: client i holds a band of every example's input (split/cut.ts)
 * and its own front: the first `cut` layers of the configured model, sized to its band. The server
 * concatenates the clients' activations along the first non-batch axis (features, or image rows)
 * and runs the remaining layers, sized to the concatenation. The network therefore differs from
 * the config's single model; its parameters are laid out client 0's, …, client K−1's, server's.
 */
export class VerticalNet {
  readonly blocks: Array<{ shape: number[]; start: number; end: number }>;
  readonly fronts: Model[];
  readonly server: Model;
  /** Per-client cut shapes and widths (q_i). */
  readonly cutShapes: number[][];
  readonly widths: number[];
  readonly paramCount: number;
  /** Parameters of each client's front. */
  readonly clientParams: number[];
  private readonly frontTensors: number[];

  /**
   * @param inputShape the dataset's per-example shape (images [h, w, c], flat [d])
   * @param specs the layers of the single model the config describes
   * @param flatInput whether the model takes flat vectors (MLP) rather than images (CNN)
   */
  constructor(
    inputShape: number[],
    specs: LayerSpec[],
    readonly cut: number,
    clients: number,
    flatInput: boolean,
  ) {
    if (!(Number.isInteger(cut) && cut >= 1 && cut < specs.length)) throw new Error(`cut ${cut} leaves no layer for the server (${specs.length} layers)`);
    this.blocks = verticalBlocks(inputShape, clients);
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
    this.fronts = this.blocks.map((b) => new Model(flatInput ? [size(b.shape)] : b.shape, specs.slice(0, cut)));
    this.cutShapes = this.fronts.map((m) => m.layers[cut - 1].outShape);
    this.widths = this.cutShapes.map(size);
    const first = this.cutShapes[0];
    const serverIn = first.length === 1 ? [this.widths.reduce((a, b) => a + b, 0)] : [this.cutShapes.reduce((s, c) => s + c[0], 0), ...first.slice(1)];
    this.server = new Model(serverIn, specs.slice(cut));
    this.clientParams = this.fronts.map((m) => m.paramCount);
    this.frontTensors = this.fronts.map((m) => m.paramShapes.length);
    this.paramCount = this.clientParams.reduce((a, b) => a + b, 0) + this.server.paramCount;
  }

  /** Glorot-initialised parameters, client by client then the server, from one stream. */
  initParams(rng: Rng): Float32Array {
    const out = new Float32Array(this.paramCount);
    let at = 0;
    for (const m of [...this.fronts, this.server]) {
      out.set(m.initParams(rng), at);
      at += m.paramCount;
    }
    return out;
  }

  /** A flat vector (initParams' layout) as tensors in join order. */
  importParams(flat: Float32Array): Params {
    if (flat.length !== this.paramCount) throw new Error(`importParams: ${flat.length} values for ${this.paramCount} parameters`);
    let at = 0;
    return [...this.fronts, this.server].flatMap((m) => {
      const ts = m.importParams(flat.subarray(at, at + m.paramCount));
      at += m.paramCount;
      return ts;
    });
  }

  join(fronts: Params[], server: Params): Params {
    return [...fronts.flat(), ...server];
  }

  /** Inverse of join. */
  unjoin(all: Params): { fronts: Params[]; server: Params } {
    let at = 0;
    const fronts = this.frontTensors.map((n) => {
      const ts = all.slice(at, at + n);
      at += n;
      return ts;
    });
    return { fronts, server: all.slice(at) };
  }

  /** Client i's band of flat inputs [b, d]. */
  band(x: tf.Tensor, i: number): tf.Tensor {
    const { start, end } = this.blocks[i];
    return this.blocks.length === 1 ? x : tf.slice(x, [0, start], [-1, end - start]);
  }

  private concat(acts: tf.Tensor[]): tf.Tensor {
    return acts.length === 1 ? acts[0] : tf.concat(acts, 1);
  }

  /** The whole network on flat inputs (evaluation): logits. */
  forward(x: tf.Tensor, all: Params): tf.Tensor {
    const { fronts, server } = this.unjoin(all);
    return this.server.forward(this.concat(this.fronts.map((m, i) => m.forward(this.band(x, i), fronts[i]))), server);
  }

  /**
   * One SGD step on a batch whose inputs arrive per client (`bands[i]`). Client 0 holds the labels
   * and sends them with its activations (an assumption, see vertical.ts: unverified). Returns new
   * tensors in join order; the old ones are not disposed.
   */
  step(all: Params, bands: tf.Tensor[], batch: Omit<Batch, 'x'>, lr: tf.Scalar, wire: Wire): Params {
    const { fronts, server } = this.unjoin(all);
    const K = this.fronts.length;
    return tf.tidy(() => {
      const traces = this.fronts.map((m, i) => m.forwardTrace(bands[i], fronts[i]));
      const atServer = traces.map((t, i) => {
        const a = wire.send(t.out, 'smashed', i, 'server');
        if (i === 0) wire.sendLabels(batch.n, 0, 'server');
        return a;
      });
      const s = this.server.forwardTrace(this.concat(atServer), server);
      const sb = this.server.backward(s.trace, lossGrad(s.out, batch.y, tf.scalar(1 / batch.n)), server, true);
      const serverNext = sgd(server, sb.grads, lr);
      // The server returns each client its own slice of ∂L/∂[A_1, …, A_K].
      const slices = K === 1 ? [sb.dx!] : tf.split(sb.dx!, this.cutShapes.map((c) => c[0]), 1);
      const frontsNext = this.fronts.map((m, i) => {
        const g = wire.send(slices[i], 'gradient', 'server', i);
        return sgd(fronts[i], m.backward(traces[i].trace, g, fronts[i]).grads, lr);
      });
      return this.join(frontsNext, serverNext);
    });
  }
}
