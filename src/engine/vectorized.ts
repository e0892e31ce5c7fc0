/**
 * The selected clients of a round trained together as one tensor program.
 *
 * Clients of a federated round all start from w_t and never talk to each other while they train,
 * so their local SGD can run side by side: the weights of c clients are stacked along a client
 * axis and every step of every client is one pass of kernels over that axis, instead of c passes
 * of small kernels. With small models the cost of a step is almost all per-kernel overhead
 * (≈ 10–40 µs a kernel on wasm), so c clients cost little more than one.
 *
 * What each client computes is exactly what `localTrain` (train.ts) computes for it alone:
 * - its own batch order, drawn from its own shuffle stream, one permutation per epoch;
 * - step t of client i uses its batch t (epochs follow each other); a client whose steps are
 *   used up (fewer examples, fewer epochs) is masked: its rows carry zero loss weight and its
 *   FedProx term is switched off, so its weights stop moving bit for bit;
 * - a smaller last batch is padded with zero rows of zero loss weight, and every real row is
 *   weighted η/b with b that client's own batch size, as in the sequential loss;
 * - FedProx's μ(w − w_t) per client; DP clipping and everything after training happens per
 *   client in the caller, from the per-client weights this module hands back.
 * The results equal the sequential loop up to float rounding (the grouped kernels sum in another
 * order); tests/unit/vectorized.test.ts checks 1e-5 on final weights.
 *
 * How a stacked dense layer runs. The obvious kernel, BatchMatMul over [c, b, k]·[c, k, n], is a
 * naive loop on the wasm backend of tfjs 4.22: measured 7× slower than c separate XNNPACK
 * products for 784×200 at c = 10, b = 10, and no faster even for 64×64. The kernel that does
 * pay is the depthwise convolution with a channel multiplier, which is a grouped matrix product:
 * with the clients as channels and the contracted axis as the width of a 1×w "image",
 *   y[b, c, j]  = Σ_kk x[b, kk, c] · W[kk, c, j]    input [b, 1, k, c], filter [1, k, c, n]
 *   dW[kk,c,j]  = Σ_b  x[b, kk, c] · dz[b, c, j]    input [k, 1, b, c], filter [1, b, c, n]
 *   dx[b, c,kk] = Σ_j  dz[b, c, j] · W[kk, c, j]    input [b, 1, n, c], filter [1, n, c, k]
 * (valid padding, output [·, 1, 1, c·n]). Measured on wasm at c = 10, b = 10: 64×64 forward
 * 0.17 ms against 0.36 ms for ten products, dW 0.22 against 0.47 ms; 200×10 0.07 against
 * 0.23 ms; but 200×200 0.78 against 0.48 ms and 784×200 3.9 against 2.2 ms, because XNNPACK's
 * GEMM beats its grouped convolution once a product has real work in it. So a layer with at most
 * GROUPED_MAX_WEIGHTS weights runs grouped (weights stored [k, c, n], biases flat [c·n]); a larger
 * one runs client by client with the sequential engine's own layer code (weights per client), and
 * only the rest of the step is shared. Activations between layers are [b, c, width]. A run uses
 * groups only for models whose layers are all small (the widgets' MLPs, digits' 64-64): with a
 * large layer the group measured slower than the sequential loop (see vectorizedRound), so the
 * 2NN and the CNNs train one client after another.
 *
 * Convolutions. tfjs's conv2d has no groups argument; the same depthwise trick is a grouped
 * convolution only where each client's layer has one input channel (the CNN's first layer: the
 * clients' images as channels, filter [5, 5, c, 32]). Measured on wasm at c = 10 (same outputs to
 * the bit): one depthwise convolution 13.9 ms against 12.4 ms for ten conv2d at b = 10, 183
 * against 129 ms at b = 50, so it does not pay. The second layer (32 → 64 channels) has no grouped
 * kernel at all: emulated as a depthwise convolution with multiplier 64 summed over the input
 * channels, its products alone would take 153 MB at b = 10 (766 MB at b = 50). The CNNs stay
 * sequential.
 *
 * Memory: a group holds its clients' weights several times over (stacked weights, gradients, the
 * new weights, the per-client copies handed back) plus activations. `groupSize` caps c so that
 * this stays under GROUP_BUDGET_BYTES; more clients are trained in several groups.
 */
import * as tf from '@tensorflow/tfjs-core';
import { activationGrad, afterFused, fusedPart, layerBackward, layerForward, type Layer, type Model, type Saved } from './model';
import type { RunContext } from './context';
import type { Rng } from './rng';
import { batchSizes, evaluate, type ExampleSet, type LocalResult, type Params } from './train';

/** One client's local training: its examples, its number of epochs and its shuffle stream. */
export interface ClientJob {
  data: ExampleSet;
  epochs: number;
  /** null: the examples in order every epoch. */
  shuffle: Rng | null;
}

export interface GroupOptions {
  /** Batch size, or 'all' for one batch per epoch. */
  batch: number | 'all';
  lr: number;
  /** FedProx: adds μ(w − anchor) to every gradient. */
  prox?: { mu: number; anchor: Params };
  /** Yields to the event loop and throws when cancelled; called after every step. */
  tick: () => Promise<void>;
}

/**
 * Bytes of tensors one group of clients may hold at once. A browser tab running the widgets must
 * stay well under ~200 MB in all; the datasets, the test set and the global model take the rest.
 */
export const GROUP_BUDGET_BYTES = 48 * 1024 * 1024;

/**
 * Dense layers with at most this many weights (k·n) run as one grouped product: between the
 * measured win at 64×64 (4,096) and loss at 200×200 (40,000), see above.
 */
export const GROUPED_MAX_WEIGHTS = 16384;

const F32 = 4;

/** Whether the backend has the kernels a grouped layer needs (else: the sequential loop). */
export function groupedKernelsAvailable(backend: string = tf.getBackend()): boolean {
  return [tf.DepthwiseConv2dNative, tf.FusedDepthwiseConv2D, tf.Transpose, tf.Pack].every((k) => tf.getKernel(k, backend) !== undefined);
}

/** Whether a model can be trained here: dense layers only (MLPs and the 2NN; CNNs stay sequential). */
export function modelVectorizable(model: Model): boolean {
  return model.layers.every((l) => l.spec.kind === 'dense');
}

function isGrouped(layer: Layer): boolean {
  return layer.paramShapes[0][0] * layer.paramShapes[0][1] <= GROUPED_MAX_WEIGHTS;
}

/**
 * Bytes a group holds per client, for batches of `rows` rows: seven copies of the weights and
 * four of the activations of every layer. Fitted to tf.profile's peak over one round (data
 * tensors subtracted): digits' MLP 64-64 with 100 clients 28 MB (this formula: 28.5), the 2NN
 * with groups of 11–12 about 5 MB a client (this formula: 5.8).
 */
export function bytesPerClient(model: Model, rows: number): number {
  const width = model.cutWidths.reduce((a, b) => a + b, 0);
  return F32 * (7 * model.paramCount + 4 * rows * width);
}

/** Clients per group: as many as fit the budget, at least 1, at most m. */
export function groupSize(model: Model, rows: number, m: number, budget = GROUP_BUDGET_BYTES): number {
  return Math.max(1, Math.min(m, Math.floor(budget / bytesPerClient(model, rows))));
}

/** Splits n items into ceil(n / size) consecutive groups of nearly equal size. */
export function balancedGroups(n: number, size: number): number[] {
  if (n === 0) return [];
  const groups = Math.ceil(n / size);
  const base = Math.floor(n / groups);
  return Array.from({ length: groups }, (_, g) => base + (g < n % groups ? 1 : 0));
}

/**
 * The round's local training, group by group on demand: `take(i)` returns client i's result,
 * training the group that contains i first if it has not run yet. Clients are grouped in order,
 * so a caller that takes them in order holds at most one group's results at a time.
 */
export class ClientGroups {
  private readonly groupOf: number[];
  private readonly groups: number[][] = [];
  private readonly results = new Map<number, LocalResult>();
  private readonly done = new Set<number>();

  constructor(
    private readonly model: Model,
    /** w_t; must stay alive until every group has trained. */
    private readonly start: Params,
    private readonly jobs: Array<ClientJob | null>,
    private readonly opts: GroupOptions,
    budget = GROUP_BUDGET_BYTES,
  ) {
    const index = jobs.flatMap((j, i) => (j ? [i] : []));
    const rows = Math.max(1, ...index.map((i) => maxBatch(jobs[i]!.data.n, opts.batch)));
    let at = 0;
    for (const size of balancedGroups(index.length, groupSize(model, rows, index.length, budget))) {
      this.groups.push(index.slice(at, at + size));
      at += size;
    }
    this.groupOf = jobs.map(() => -1);
    this.groups.forEach((g, id) => g.forEach((i) => (this.groupOf[i] = id)));
  }

  /** Sizes of the groups the clients were split into. */
  get groupSizes(): number[] {
    return this.groups.map((g) => g.length);
  }

  /** Client i's trained weights (the caller owns them), its loss and accuracy, and its steps. */
  async take(i: number): Promise<LocalResult> {
    if (!this.results.has(i)) {
      const g = this.groupOf[i];
      if (g < 0 || this.done.has(g)) throw new Error(`ClientGroups: no result for client index ${i}`);
      this.done.add(g);
      const t0 = performance.now();
      const out = await trainGroup(this.model, this.start, this.groups[g].map((j) => this.jobs[j]!), this.opts);
      // The group trained its clients at once; each is charged its share of steps.
      const ms = performance.now() - t0;
      const steps = out.reduce((s, r) => s + r.steps, 0);
      this.groups[g].forEach((j, t) => this.results.set(j, { ...out[t], ms: steps > 0 ? (ms * out[t].steps) / steps : ms / out.length }));
    }
    const r = this.results.get(i)!;
    this.results.delete(i);
    return r;
  }

  /** Frees results nobody took (a run stopped in the middle of a round). */
  dispose(): void {
    for (const r of this.results.values()) tf.dispose(r.params);
    this.results.clear();
  }
}

function maxBatch(n: number, batch: number | 'all'): number {
  return batch === 'all' ? n : Math.min(batch, n);
}

/** A layer's weights for the whole group: stacked (grouped layers) or one pair per client. */
type LayerState = { grouped: true; W: tf.Tensor3D; b: tf.Tensor1D } | { grouped: false; W: tf.Tensor[]; b: tf.Tensor[] };

/** Activations of the group: stacked [rows, c, width], or one [rows, width] tensor per client. */
type Act = { stacked: tf.Tensor3D } | { list: tf.Tensor[] };

const stacked = (a: Act): tf.Tensor3D => ('stacked' in a ? a.stacked : (tf.stack(a.list, 1) as tf.Tensor3D));
const listOf = (a: Act): tf.Tensor[] => ('list' in a ? a.list : splitClients(a.stacked));

/**
 * [rows, c, w] → c tensors [rows, w]. Not tf.unstack: on the wasm backend every slice reads the
 * whole input back first (Slice calls readSync, a copy), so unstacking c clients costs c times
 * the tensor: 0.4 s for the 100 kernels of a 64×64 layer. One transpose and one read-back instead.
 */
function splitClients(t: tf.Tensor3D): tf.Tensor2D[] {
  const [rows, c, w] = t.shape;
  const v = tf.transpose(t, [1, 0, 2]).dataSync() as Float32Array;
  return Array.from({ length: c }, (_, i) => tf.tensor2d(v.subarray(i * rows * w, (i + 1) * rows * w), [rows, w]));
}

function depthwise(x: tf.Tensor4D, filter: tf.Tensor4D): tf.Tensor4D {
  const attrs = { strides: [1, 1], pad: 'valid', dilations: [1, 1], dimRoundingMode: undefined };
  return tf.engine().runKernel(tf.DepthwiseConv2dNative, { x, filter }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

function fusedDepthwise(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D, activation: 'relu' | 'linear'): tf.Tensor4D {
  const attrs = { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined, activation };
  return tf.engine().runKernel(tf.FusedDepthwiseConv2D, { x, filter, bias }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/** [k, n] row-major → [k, c, n] with the same [n] row repeated for every c. */
function repeatMiddle(src: Float32Array, k: number, c: number, n: number): Float32Array {
  const out = new Float32Array(k * c * n);
  for (let r = 0; r < k; r++) {
    const row = src.subarray(r * n, r * n + n);
    for (let i = 0; i < c; i++) out.set(row, (r * c + i) * n);
  }
  return out;
}

/** Per-client progress through its own batches. */
interface Schedule {
  job: ClientJob;
  sizes: number[];
  /** Steps in all: epochs × batches per epoch. */
  total: number;
  order: Int32Array | null;
  from: number;
}

/**
 * Trains one group of clients from `start` (not disposed) and returns, per client, its new
 * weights (owned by the caller), its loss and accuracy on its own examples and its step count.
 */
export async function trainGroup(model: Model, start: Params, jobs: ClientJob[], opts: GroupOptions): Promise<LocalResult[]> {
  const c = jobs.length;
  const layers = model.layers;
  const L = layers.length;
  const k0 = model.cutWidths[0];
  const classes = model.cutWidths[L];
  const sched: Schedule[] = jobs.map((job) => {
    const sizes = batchSizes(job.data.n, opts.batch);
    return { job, sizes, total: job.data.n > 0 ? sizes.length * job.epochs : 0, order: null, from: 0 };
  });
  const T = Math.max(0, ...sched.map((s) => s.total));
  const rows = Math.max(1, ...jobs.map((j) => maxBatch(j.data.n, opts.batch)));

  // Constants of the whole group, freed at the end.
  const keep: tf.Tensor[] = [];
  const lrMu = opts.prox ? tf.scalar(opts.lr * opts.prox.mu) : null;
  if (lrMu) keep.push(lrMu);
  const anchors = opts.prox
    ? tf.tidy(() =>
        layers.map((l, li) => {
          const [W, b] = model.paramsOf(opts.prox!.anchor, li, li + 1);
          const [k, n] = l.paramShapes[0];
          // Reshapes and clones share the data: freeing them later leaves the anchor intact.
          return isGrouped(l) ? { W: tf.reshape(W, [k, 1, n]), b: tf.reshape(b, [1, n]) } : { W: tf.clone(W), b: tf.clone(b) };
        }),
      )
    : null;
  if (anchors) for (const a of anchors) keep.push(a.W, a.b);

  let state: LayerState[] = tf.tidy(() =>
    layers.map((l, li): LayerState => {
      const [W, b] = model.paramsOf(start, li, li + 1);
      const [k, n] = l.paramShapes[0];
      // Grouped: weights [k, c, n], biases flat [c·n] (the wasm kernel checks the bias's stored rank).
      // Copied on the host: the wasm Tile kernel took 2 ms for a 64×64 kernel and ten clients.
      if (isGrouped(l)) return { grouped: true, W: tf.tensor3d(repeatMiddle(W.dataSync() as Float32Array, k, c, n), [k, c, n]), b: tf.tensor1d(repeatMiddle(b.dataSync() as Float32Array, 1, c, n)) };
      // tf.clone shares the data: no copy until a step replaces the tensor.
      return { grouped: false, W: jobs.map(() => tf.clone(W)), b: jobs.map(() => tf.clone(b)) };
    }),
  );
  const flat = (s: LayerState[]) => s.flatMap((l) => (l.grouped ? [l.W, l.b] : [...l.W, ...l.b]));

  try {
    const X0 = new Float32Array(rows * c * k0);
    const Y = new Float32Array(rows * c * classes);
    const S = new Float32Array(rows * c);
    for (let t = 0; t < T; t++) {
      // Host side: every active client's batch t, row r of client i at [r, i, :].
      X0.fill(0);
      Y.fill(0);
      S.fill(0);
      const active = sched.map((s) => t < s.total);
      sched.forEach((s, i) => {
        if (!active[i]) return;
        const j = t % s.sizes.length;
        if (j === 0) {
          s.order = s.job.shuffle ? s.job.shuffle.permutation(s.job.data.n) : null;
          s.from = 0;
        }
        const size = s.sizes[j];
        const { features, labelArray } = s.job.data;
        const scale = opts.lr / size;
        for (let r = 0; r < size; r++) {
          const e = s.order ? s.order[s.from + r] : s.from + r;
          X0.set(features.subarray(e * k0, e * k0 + k0), (r * c + i) * k0);
          Y[(r * c + i) * classes + labelArray[e]] = 1;
          S[r * c + i] = scale;
        }
        s.from += size;
      });
      const allActive = active.every((a) => a);
      const prev = state;
      state = tf.tidy(() => step(model, prev, X0, Y, S, rows, c, active, allActive, lrMu, anchors));
      const alive = new Set(flat(state));
      tf.dispose(flat(prev).filter((x) => !alive.has(x)));
      await opts.tick();
    }

    // Per-client weights in the model's order (grouped layers taken apart on the host: see
    // splitClients), then each client's metrics on its own examples, as localTrain computes them.
    const perClient: Params[] = jobs.map(() => []);
    for (const l of state) {
      if (!l.grouped) {
        for (let i = 0; i < c; i++) perClient[i].push(l.W[i], l.b[i]);
        continue;
      }
      const [k, , n] = l.W.shape;
      const W = l.W.dataSync() as Float32Array;
      const b = l.b.dataSync() as Float32Array;
      for (let i = 0; i < c; i++) {
        const w = new Float32Array(k * n);
        for (let r = 0; r < k; r++) w.set(W.subarray((r * c + i) * n, (r * c + i + 1) * n), r * n);
        perClient[i].push(tf.tensor2d(w, [k, n]), tf.tensor1d(b.slice(i * n, (i + 1) * n)));
      }
    }
    // Split layers' tensors now belong to perClient; only the stacked ones are freed.
    tf.dispose(state.flatMap((l) => (l.grouped ? [l.W, l.b] : [])));
    state = [];
    const results: LocalResult[] = [];
    try {
      for (let i = 0; i < c; i++) {
        const { loss, accuracy } = await evaluate(model, perClient[i], jobs[i].data);
        results.push({ params: perClient[i], loss, accuracy, steps: sched[i].total });
      }
    } catch (err) {
      tf.dispose(perClient);
      throw err;
    }
    return results;
  } finally {
    tf.dispose(flat(state));
    tf.dispose(keep);
  }
}

/**
 * One SGD step of the whole group (call inside tf.tidy): forward, the loss gradient per row,
 * backward, and the update. Returns the new state; unchanged tensors (inactive clients of split
 * layers) are returned as they were.
 */
function step(
  model: Model,
  state: LayerState[],
  X0: Float32Array,
  Y: Float32Array,
  S: Float32Array,
  rows: number,
  c: number,
  active: boolean[],
  allActive: boolean,
  lrMu: tf.Scalar | null,
  anchors: Array<{ W: tf.Tensor; b: tf.Tensor }> | null,
): LayerState[] {
  const layers = model.layers;
  const L = layers.length;
  const k0 = model.cutWidths[0];
  const classes = model.cutWidths[L];

  // The input as the first layer wants it: stacked, or one tensor per client cut on the host.
  let act: Act = state[0].grouped
    ? { stacked: tf.tensor3d(X0, [rows, c, k0]) }
    : {
        list: active.map((_, i) => {
          const x = new Float32Array(rows * k0);
          for (let r = 0; r < rows; r++) x.set(X0.subarray((r * c + i) * k0, (r * c + i + 1) * k0), r * k0);
          return tf.tensor2d(x, [rows, k0]);
        }),
      };
  const saved: Array<{ xt: tf.Tensor3D; y: tf.Tensor3D } | Array<Saved | null>> = [];
  for (let li = 0; li < L; li++) {
    const layer = layers[li];
    const spec = layer.spec as Extract<Layer['spec'], { kind: 'dense' }>;
    const [k, n] = layer.paramShapes[0];
    const st = state[li];
    if (st.grouped) {
      const xt = tf.transpose(stacked(act), [0, 2, 1]) as tf.Tensor3D; // [rows, k, c]
      const z = fusedDepthwise(tf.reshape(xt, [rows, 1, k, c]), tf.reshape(st.W, [1, k, c, n]), st.b, fusedPart(spec.activation));
      const y = afterFused(tf.reshape(z, [rows, c, n]), spec.activation) as tf.Tensor3D;
      saved.push({ xt, y });
      act = { stacked: y };
    } else {
      const xs = listOf(act);
      const ys: tf.Tensor[] = [];
      const sv: Array<Saved | null> = [];
      for (let i = 0; i < c; i++) {
        if (!active[i]) {
          ys.push(tf.zeros([rows, n]));
          sv.push(null);
          continue;
        }
        const r = layerForward(layer, xs[i], [st.W[i], st.b[i]]);
        ys.push(r.y);
        sv.push({ x: r.x, y: r.y, inputShape: xs[i].shape });
      }
      saved.push(sv);
      act = { list: ys };
    }
  }

  // ∂(η/b · Σ loss)/∂logits per row: (softmax − y)·η/b, zero on padding and inactive clients.
  const logits = stacked(act);
  let dy: Act = { stacked: tf.mul(tf.sub(tf.softmax(logits), tf.tensor3d(Y, [rows, c, classes])), tf.tensor3d(S, [rows, c, 1])) as tf.Tensor3D };

  const mask = lrMu && !allActive ? tf.tensor1d(active.map((a) => (a ? 1 : 0))) : null;
  const next: LayerState[] = new Array(L);
  for (let li = L - 1; li >= 0; li--) {
    const layer = layers[li];
    const spec = layer.spec as Extract<Layer['spec'], { kind: 'dense' }>;
    const [k, n] = layer.paramShapes[0];
    const st = state[li];
    const wantDx = li > 0;
    const sv = saved[li];
    if (st.grouped && !Array.isArray(sv)) {
      const dz = activationGrad(stacked(dy), sv.y, spec.activation) as tf.Tensor3D; // [rows, c, n]
      const dW = tf.reshape(depthwise(tf.reshape(tf.transpose(sv.xt, [1, 0, 2]), [k, 1, rows, c]), tf.reshape(dz, [1, rows, c, n])), [k, c, n]);
      const db = tf.reshape(tf.sum(dz, 0), [c * n]);
      if (wantDx) {
        const dzt = tf.reshape(tf.transpose(dz, [0, 2, 1]), [rows, 1, n, c]) as tf.Tensor4D;
        const Wt = tf.reshape(tf.transpose(st.W, [2, 1, 0]), [1, n, c, k]) as tf.Tensor4D;
        dy = { stacked: tf.reshape(depthwise(dzt, Wt), [rows, c, k]) as tf.Tensor3D };
      }
      // w ← w − (η∇ + η·μ(w − w_t)), the proximal term only for clients still training.
      let gW: tf.Tensor = dW;
      let gb: tf.Tensor = db;
      if (lrMu && anchors) {
        let pW = tf.mul(tf.sub(st.W, anchors[li].W), lrMu);
        let pb = tf.mul(tf.sub(tf.reshape(st.b, [c, n]), anchors[li].b), lrMu);
        if (mask) {
          pW = tf.mul(pW, tf.reshape(mask, [1, c, 1]));
          pb = tf.mul(pb, tf.reshape(mask, [c, 1]));
        }
        gW = tf.add(dW, pW);
        gb = tf.add(db, tf.reshape(pb, [c * n]));
      }
      next[li] = { grouped: true, W: tf.sub(st.W, gW) as tf.Tensor3D, b: tf.sub(st.b, gb) as tf.Tensor1D };
    } else if (!st.grouped && Array.isArray(sv)) {
      const dys = listOf(dy);
      const dxs: tf.Tensor[] = [];
      const W: tf.Tensor[] = [];
      const b: tf.Tensor[] = [];
      for (let i = 0; i < c; i++) {
        if (!active[i] || !sv[i]) {
          if (wantDx) dxs.push(tf.zeros([rows, k]));
          W.push(st.W[i]);
          b.push(st.b[i]);
          continue;
        }
        const r = layerBackward(layer, sv[i]!, dys[i], [st.W[i], st.b[i]], wantDx);
        if (wantDx) dxs.push(r.dx!);
        const upd = (w: tf.Tensor, g: tf.Tensor, a: tf.Tensor | undefined) => tf.sub(w, lrMu && a ? tf.add(g, tf.mul(tf.sub(w, a), lrMu)) : g);
        W.push(upd(st.W[i], r.grads[0], anchors?.[li].W));
        b.push(upd(st.b[i], r.grads[1], anchors?.[li].b));
      }
      if (wantDx) dy = { list: dxs };
      next[li] = { grouped: false, W, b };
    } else {
      throw new Error('vectorized: layer state and trace disagree');
    }
  }
  return next;
}

/**
 * Algorithms whose clients run plain local SGD (FedProx: with its proximal term; the server
 * optimizers differ from FedAvg only on the server). SCAFFOLD corrects every local step with its
 * control variates and stays in the sequential loop.
 */
const VECTORIZED_ALGORITHMS: ReadonlySet<string> = new Set(['fedavg', 'fedprox', 'dpfedavg', 'fedavgm', 'fedadam', 'fedyogi', 'fedadagrad']);

/**
 * The round's clients as groups trained together, or null where the run uses the sequential
 * loop: RunOptions.sequential, another algorithm, a model with convolutions or with a dense layer
 * too large to group, a backend without the grouped kernels, or fewer than two clients to train.
 *
 * Why a large layer sends the whole model back to the sequential loop: its products run client
 * by client either way, and the group then keeps every client's large weights in turn instead of
 * one client's for all its steps. Measured on wasm with the 2NN (MNIST, 10 clients of 600, B = 10,
 * one epoch): 1.33 s of CPU time for the group against 1.16 s one after another. `trainGroup`
 * still handles such models (tested), for a backend where that trade comes out the other way.
 */
export function vectorizedRound(ctx: Pick<RunContext, 'config' | 'options' | 'model'>, start: Params, jobs: Array<ClientJob | null>, opts: GroupOptions): ClientGroups | null {
  if (ctx.options.sequential || !VECTORIZED_ALGORITHMS.has(ctx.config.algorithm)) return null;
  if (!modelVectorizable(ctx.model) || !ctx.model.layers.every(isGrouped) || !groupedKernelsAvailable()) return null;
  if (jobs.filter((j) => j).length < 2) return null;
  return new ClientGroups(ctx.model, start, jobs, opts);
}
