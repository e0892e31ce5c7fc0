/**
 * Gradient inversion: the server reconstructs a client's private images from the update the
 * client sent (Zhu et al. 2019, DLG, arXiv:1906.08935; Zhao et al. 2020, iDLG, arXiv:2001.02610;
 * Geiping et al. 2020, arXiv:2003.14053). Configuration, events and metrics are in
 * ./inversion-config.ts (tfjs-free, for pages).
 *
 *   for await (const e of runInversion(defaultInversionConfig({ batch: 2 }), { data })) draw(e);
 *
 * What happens:
 * 1. The victim. b training images go to a client that holds the model θ₀ (an MLP, initialised
 *    from the seed). The client computes its update with the engine's own training code (the
 *    hand-written backward pass of model.ts): E steps of gradient descent on its batch, Δ = θ_E − θ₀
 *    (E = 1 is FedSGD: Δ = −η∇L). Defences act on Δ before it leaves the client: clipping to norm S
 *    plus Gaussian noise of standard deviation z·S per coordinate; then top-k sparsification (only
 *    the largest fraction f of coordinates is sent; the others count as 0). With secure
 *    aggregation the server sees only Σ_k Δ_k over K clients with b images each.
 * 2. Labels. With 'infer' they are read off the last layer's bias update before the search: for
 *    one image the true class is the only one whose bias gradient (p_c − y_c) is negative (iDLG);
 *    for n images Σ_i (p_ic − y_ic) = Σ_i p_ic − n_c, so n_c ≈ n/C − (that sum), rounded to n images
 *    in all (the softmax of an untrained network is close to uniform). With 'optimize' the labels
 *    are soft and searched for with the images (DLG).
 * 3. The search. Dummy images start as uniform noise. Each attack step runs the client's update on
 *    the dummies — the same E steps, written with differentiable tfjs ops — and measures its
 *    mismatch with the received update; the tape then differentiates that through the gradient
 *    computation (a second-order gradient) back to the pixels.
 *
 * Why cosine distance + total variation with Adam (Geiping et al.), not DLG's L2 with L-BFGS:
 * cosine ignores the update's scale, which the defences and FedAvg change (clipping rescales,
 * E local steps multiply by about η·E, a sum of K clients by about K), so the same objective serves
 * every setting; Adam with a step decay is what that paper uses and needs no line search, so one
 * step costs one forward and one backward pass and the reader can watch every one. L2 on
 * unclipped FedSGD gradients works as well (DLG's own setting) but fails as soon as the update is
 * rescaled. Pixels are kept in [0, 1] by projection after each step (the paper's box constraint).
 *
 * Second-order gradients: the training engine never uses the tape, but this attack needs it, so
 * the same gradient registrations run() checks for must be in place (initNodeBackend in Node,
 * '~/engine/gradients' in a worker). Every kernel used here (matMul, softmax, sigmoid/tanh, abs,
 * sum, …) and its gradient exist on both the wasm and the cpu backend of tfjs 4.22.
 *
 * The analytic recovery (spec: attacks): for a first dense layer z = W·x + b, ∂L/∂W_i = (∂L/∂z_i)·x
 * and ∂L/∂b_i = ∂L/∂z_i, so x = (∂L/∂W_i)/(∂L/∂b_i) for one image. The same holds for Δ = −η∇L. It
 * is computed from what the server received, whatever the setting, so a page can show it exact for
 * one image and a blend for several.
 */
import * as tf from '@tensorflow/tfjs-core';
import { buildModel } from '../model';
import { Rng } from '../rng';
import { makeTicker, Cancelled } from '../tick';
import { ConfigError } from '../config';
import { batchGradients } from '../train';
import { loadDigits, loadMnist, urlDataSource, type Dataset } from '../data/index';
import type { Activation, DataSource } from '../types';
import { DEFENCE_STRENGTHS, inversionEpsilon, matchImages, mean, sweepPoint, validateInversion, type InversionConfig, type InversionEvent, type InversionSweepConfig } from './inversion-config';

export * from './inversion-config';

export interface InversionOptions {
  signal?: AbortSignal;
  /** Where digits and MNIST come from (Node: nodeDataSource()); or a URL prefix for fetch. */
  data?: DataSource;
  dataUrl?: string;
  /** Emit an inversion-step event every this many attack steps (default: about 30 per run). */
  every?: number;
}

/** Stops the attack: its objective or its images stopped being finite. */
class AttackDiverged extends Error {}
/** Stops the attack before it starts: the client's own update is not finite (its training diverged). */
class UpdateNotFinite extends Error {}

/**
 * The b images of the attacked client, then (K − 1)·b of the other clients under secure
 * aggregation, all distinct. The attacked client's images depend on the seed and b only, so a
 * sweep over a defence's strength attacks the same images at every point.
 */
export function pickImages(n: number, b: number, K: number, seed: number): number[] {
  const targets = new Rng(seed, 'inversion/targets').sample(n, b);
  const taken = new Set(targets);
  const others = new Rng(seed, 'inversion/others');
  const out = [...targets];
  while (out.length < K * b) {
    const i = others.int(n);
    if (!taken.has(i)) {
      taken.add(i);
      out.push(i);
    }
  }
  return out;
}

type Act = Extract<Activation, 'sigmoid' | 'tanh' | 'relu'>;

function activate(z: tf.Tensor, act: Act): tf.Tensor {
  if (act === 'sigmoid') return tf.sigmoid(z);
  if (act === 'tanh') return tf.tanh(z);
  return tf.relu(z);
}

/** dL/dz from dL/dh and h = act(z), written with ops that are themselves differentiable. */
function activationBack(dh: tf.Tensor, h: tf.Tensor, act: Act): tf.Tensor {
  if (act === 'sigmoid') return tf.mul(dh, tf.mul(h, tf.sub(1, h)));
  if (act === 'tanh') return tf.mul(dh, tf.sub(1, tf.square(h)));
  return tf.mul(dh, tf.step(h));
}

/**
 * ∇θ of the mean softmax cross-entropy of an MLP on (x, y), in the model's flat parameter order
 * (W₀, b₀, W₁, b₁, …; W as [in, out]), computed with public tfjs ops so that the tape can
 * differentiate it again with respect to x (and y). It equals the engine's hand-written backward
 * pass (tested to 1e-5). `y` may be soft (rows summing to 1).
 */
export function mlpGradient(x: tf.Tensor2D, y: tf.Tensor2D, params: tf.Tensor[], act: Act): tf.Tensor[] {
  const layers = params.length / 2;
  const hs: tf.Tensor2D[] = [x];
  let h: tf.Tensor2D = x;
  for (let l = 0; l < layers; l++) {
    const z = tf.add(tf.matMul(h, params[2 * l] as tf.Tensor2D), params[2 * l + 1]) as tf.Tensor2D;
    h = (l < layers - 1 ? activate(z, act) : z) as tf.Tensor2D;
    hs.push(h);
  }
  let dz = tf.div(tf.sub(tf.softmax(h), y), x.shape[0]) as tf.Tensor2D;
  const grads: tf.Tensor[] = new Array(params.length);
  for (let l = layers - 1; l >= 0; l--) {
    grads[2 * l] = tf.matMul(hs[l], dz, true, false);
    grads[2 * l + 1] = tf.sum(dz, 0);
    if (l > 0) dz = activationBack(tf.matMul(dz, params[2 * l] as tf.Tensor2D, false, true), hs[l], act) as tf.Tensor2D;
  }
  return grads;
}

/** Δ = θ_E − θ₀ after E full-batch gradient steps of size η, differentiable (attacker side). */
function simulatedUpdate(x: tf.Tensor2D, y: tf.Tensor2D, theta0: tf.Tensor[], act: Act, lr: number, steps: number): tf.Tensor[] {
  let theta = theta0;
  for (let s = 0; s < steps; s++) {
    const g = mlpGradient(x, y, theta, act);
    theta = theta.map((t, i) => tf.sub(t, tf.mul(g[i], lr)));
  }
  return theta.map((t, i) => tf.sub(t, theta0[i]));
}

/** Keeps the fraction f of largest-magnitude coordinates of the whole update (ties kept). */
function topK(update: tf.Tensor[], f: number): tf.Tensor[] {
  const n = update.reduce((s, t) => s + t.size, 0);
  const keep = Math.max(1, Math.round(f * n));
  if (keep >= n) return update.map((t) => t.clone());
  return tf.tidy(() => {
    const flat = tf.concat(update.map((t) => tf.reshape(tf.abs(t), [-1])));
    const { values } = tf.topk(flat, keep, true);
    const threshold = tf.min(values);
    return update.map((t) => tf.mul(t, tf.cast(tf.greaterEqual(tf.abs(t), threshold), 'float32')));
  });
}

/** Clip to norm S (S > 0), then add N(0, (z·S)²) to every coordinate from the seeded stream. */
function clipAndNoise(update: tf.Tensor[], clip: number, noise: number, rng: Rng): tf.Tensor[] {
  if (clip <= 0) return update.map((t) => t.clone());
  return tf.tidy(() => {
    const norm = Math.sqrt(update.reduce((s, t) => s + (tf.sum(tf.square(t)).dataSync()[0] as number), 0));
    const factor = norm > clip ? clip / norm : 1;
    const sigma = noise * clip;
    return update.map((t) => {
      const scaled = tf.mul(t, factor);
      if (sigma === 0) return scaled;
      const z = new Float32Array(t.size);
      for (let i = 0; i < z.length; i++) z[i] = sigma * rng.normal();
      return tf.add(scaled, tf.tensor(z, t.shape));
    });
  });
}

/**
 * Image counts per class from the last layer's bias update, for n images (iDLG for n = 1): the
 * bias gradient summed over the images is Σ_i p_ic − n_c; with p ≈ 1/C, n_c ≈ n/C − that sum.
 * Rounded by largest remainders to n in all; labels listed class by class.
 */
export function inferLabels(biasGradientSum: ArrayLike<number>, n: number): number[] {
  const C = biasGradientSum.length;
  const est = Array.from(biasGradientSum, (g) => Math.max(0, n / C - g));
  const total = est.reduce((a, b) => a + b, 0) || 1;
  const scaled = est.map((e) => (e * n) / total);
  const counts = scaled.map(Math.floor);
  let left = n - counts.reduce((a, b) => a + b, 0);
  const order = scaled.map((s, c) => ({ c, r: s - Math.floor(s) })).sort((a, b) => b.r - a.r);
  for (let i = 0; left > 0; i = (i + 1) % C, left--) counts[order[i].c]++;
  return counts.flatMap((k, c) => new Array<number>(k).fill(c));
}

/**
 * x = (∂L/∂W_i)/(∂L/∂b_i) through the first dense layer (kernel [in, out]: row i of the spec's W is
 * column i here), for the unit i with the largest |∂L/∂b_i|. Works on an update Δ = −η∇L too.
 */
export function analyticRecovery(kernel: Float32Array, bias: Float32Array, inputs: number): { image: Float32Array; row: number } {
  const units = bias.length;
  let row = -1;
  let best = 0;
  for (let i = 0; i < units; i++) {
    if (Math.abs(bias[i]) > best) {
      best = Math.abs(bias[i]);
      row = i;
    }
  }
  const image = new Float32Array(inputs);
  if (row < 0) return { image, row };
  for (let j = 0; j < inputs; j++) image[j] = kernel[j * units + row] / bias[row];
  return { image, row };
}

const clamp01 = (a: Float32Array) => a.map((v) => (v < 0 ? 0 : v > 1 ? 1 : Number.isFinite(v) ? v : 0));

/** Geiping et al.'s schedule: the step size falls by 10× at 3/8, 5/8 and 7/8 of the steps. */
function stepSize(lr: number, step: number, total: number): number {
  const f = step / total;
  return lr * (f >= 7 / 8 ? 1e-3 : f >= 5 / 8 ? 1e-2 : f >= 3 / 8 ? 1e-1 : 1);
}

async function loadImages(config: InversionConfig, options: InversionOptions): Promise<Dataset> {
  const source = options.data ?? (options.dataUrl ? urlDataSource(options.dataUrl) : undefined);
  if (!source) throw new Error(`dataset '${config.dataset}' needs a data source (options.data or options.dataUrl)`);
  return config.dataset === 'digits' ? loadDigits(source) : loadMnist(source);
}

/**
 * Runs one attack and streams what happens. Ends with exactly one of inversion-finished,
 * inversion-diverged or inversion-cancelled (options.signal). Throws ConfigError for an invalid
 * config. Every tensor it creates is disposed when the stream ends, however it ends.
 */
export async function* runInversion(config: InversionConfig, options: InversionOptions = {}): AsyncGenerator<InversionEvent, void, undefined> {
  const problems = validateInversion(config);
  if (problems.length) throw new ConfigError(problems);
  if (!tf.getGradient('BatchMatMul') || !tf.getGradient('Softmax')) {
    throw new Error("tfjs gradients are not registered: import '~/engine/gradients' (browser) or call initNodeBackend() (Node) first");
  }
  const cfg: InversionConfig = { ...config, hidden: [...config.hidden] };
  const tick = makeTicker(options.signal);
  const held: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => (held.push(t), t);
  let step = 0;
  /** Attack steps completed (what a cancelled or diverged event reports). */
  let completed = 0;
  try {
    const data = await loadImages(cfg, options);
    if (options.signal?.aborted) throw new Cancelled();
    const [h, w] = data.inputShape;
    const px = data.inputSize;
    const C = data.numClasses;
    const { batch: b, secureAgg: K, localSteps: E, lr } = cfg;
    const rng = new Rng(cfg.seed, 'inversion');
    const picked = pickImages(data.train.n, b, K, cfg.seed);
    const features = data.train.features(picked);
    const labels = Array.from(picked, (i) => data.train.labels[i]);
    const model = buildModel({ kind: 'mlp', hidden: cfg.hidden, activation: cfg.activation }, data.inputShape, C);
    const theta0 = model.importParams(model.initParams(new Rng(cfg.seed, 'init'))).map(keep);

    // 1. What the server receives: Σ over K clients of each one's defended update.
    const noiseRng = rng.stream('inversion/noise');
    let updateNorm = 0;
    let received: tf.Tensor[] = theta0.map((t) => keep(tf.zerosLike(t)));
    for (let k = 0; k < K; k++) {
      const delta = tf.tidy(() => {
        const x = tf.tensor2d(features.subarray(k * b * px, (k + 1) * b * px), [b, px]);
        const y = tf.cast(tf.oneHot(tf.tensor1d(labels.slice(k * b, (k + 1) * b), 'int32'), C), 'float32');
        const scale = tf.scalar(lr / b);
        let theta = theta0;
        for (let s = 0; s < E; s++) {
          const { grads } = batchGradients(model, theta, x, y, scale);
          theta = theta.map((t, i) => tf.sub(t, grads[i]));
        }
        return theta.map((t, i) => tf.sub(t, theta0[i]));
      });
      if (k === 0) updateNorm = tf.tidy(() => Math.sqrt(tf.addN(delta.map((d) => tf.sum(tf.square(d)))).dataSync()[0]));
      const dp = clipAndNoise(delta, cfg.clip, cfg.noise, noiseRng);
      tf.dispose(delta);
      const sent = topK(dp, cfg.topk);
      tf.dispose(dp);
      const sum = received.map((r, i) => keep(tf.add(r, sent[i])));
      tf.dispose(sent);
      tf.dispose(received);
      received = sum;
      await tick();
    }
    const finite = tf.tidy(() => tf.addN(received.map((r) => tf.sum(tf.cast(tf.isFinite(r), 'float32')))).dataSync()[0]);
    const updateSize = received.reduce((s, t) => s + t.size, 0);
    if (finite < updateSize) throw new UpdateNotFinite();
    const mask = cfg.topk < 1 ? received.map((r) => keep(tf.tidy(() => tf.cast(tf.notEqual(r, 0), 'float32')))) : null;
    const sentCoordinates = mask ? Math.round(tf.tidy(() => tf.addN(mask.map((m) => tf.sum(m))).dataSync()[0])) : updateSize;
    const receivedNorm = keep(tf.tidy(() => tf.sqrt(tf.addN(received.map((r) => tf.sum(tf.square(r)))))));

    // 2. Labels, and the analytic first-layer recovery, from the received update.
    const n = K * b;
    const lastBias = (await received[received.length - 1].data()) as Float32Array;
    // Σ_i ∇b = −(received bias update)/(η·E) summed over clients times b (each client averages over b).
    const biasGradSum = Array.from(lastBias, (v) => (-v / (lr * E)) * b);
    const inferred = cfg.labels === 'infer' ? inferLabels(biasGradSum, n) : undefined;
    const targets = features.slice(0, b * px);
    const targetLabels = labels.slice(0, b);
    const an = analyticRecovery((await received[0].data()) as Float32Array, (await received[1].data()) as Float32Array, px);
    const anMatch = matchImages(targets, clamp01(an.image), px);
    yield {
      type: 'inversion-started',
      config: { ...cfg, hidden: [...cfg.hidden] },
      shape: [h, w],
      numClasses: C,
      parameters: model.paramCount,
      originals: targets,
      originalLabels: targetLabels,
      dummies: n,
      ...(inferred ? { inferredLabels: inferred } : {}),
      analytic: { image: an.image, psnr: Math.max(...anMatch.psnr), row: an.row },
      updateSize,
      sentCoordinates,
      updateNorm,
      ...(inversionEpsilon(cfg) !== undefined ? { epsilon: inversionEpsilon(cfg) } : {}),
    };

    // 3. The search.
    const init = new Rng(cfg.seed, 'inversion/dummy');
    const x0 = new Float32Array(n * px);
    for (let i = 0; i < x0.length; i++) x0[i] = init.next();
    let x: tf.Tensor = tf.tensor2d(x0, [n, px]);
    let ly: tf.Tensor | null = null;
    if (cfg.labels === 'optimize') {
      const l0 = new Float32Array(n * C);
      for (let i = 0; i < l0.length; i++) l0[i] = init.normal();
      ly = tf.tensor2d(l0, [n, C]);
    }
    const yFixed = inferred ? keep(tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(inferred, 'int32'), C), 'float32'))) : null;
    let mx = tf.zerosLike(x);
    let vx = tf.zerosLike(x);
    let ml: tf.Tensor | null = ly ? tf.zerosLike(ly) : null;
    let vl: tf.Tensor | null = ly ? tf.zerosLike(ly) : null;
    const live = (): tf.Tensor[] => [x, ly, mx, vx, ml, vl].filter((t): t is tf.Tensor => t !== null);
    try {
      const objective = (xs: tf.Tensor2D, lys: tf.Tensor2D | null): tf.Scalar => {
        const ys = lys ? tf.softmax(lys) : yFixed!;
        let sim: tf.Tensor[] | null = null;
        // One gradient step is linear in the per-client means: Σ_k Δ_k = K·(−η·∇ of the mean over
        // all K·b dummies), so E = 1 needs one pass over all of them instead of K.
        const merged = E === 1 && K > 1;
        if (merged) sim = simulatedUpdate(xs, ys as tf.Tensor2D, theta0, cfg.activation, lr * K, 1);
        for (let k = 0; k < K && !merged; k++) {
          const xk = K === 1 ? xs : tf.slice(xs, [k * b, 0], [b, px]);
          const yk = K === 1 ? ys : tf.slice(ys, [k * b, 0], [b, C]);
          const d = simulatedUpdate(xk, yk as tf.Tensor2D, theta0, cfg.activation, lr, E);
          sim = sim ? sim.map((s, i) => tf.add(s, d[i])) : d;
        }
        const masked = mask ? sim!.map((s, i) => tf.mul(s, mask[i])) : sim!;
        const dot = tf.addN(masked.map((s, i) => tf.sum(tf.mul(s, received[i]))));
        const norm = tf.sqrt(tf.addN(masked.map((s) => tf.sum(tf.square(s)))));
        let loss: tf.Tensor = tf.sub(1, tf.div(dot, tf.mul(tf.add(norm, 1e-12), receivedNorm)));
        if (cfg.tv > 0) {
          const img = tf.reshape(xs, [n, h, w]);
          const dv = tf.abs(tf.sub(tf.slice(img, [0, 1, 0], [n, h - 1, w]), tf.slice(img, [0, 0, 0], [n, h - 1, w])));
          const dh = tf.abs(tf.sub(tf.slice(img, [0, 0, 1], [n, h, w - 1]), tf.slice(img, [0, 0, 0], [n, h, w - 1])));
          loss = tf.add(loss, tf.mul(cfg.tv, tf.add(tf.mean(dv), tf.mean(dh))));
        }
        return loss as tf.Scalar;
      };
      const every = Math.max(1, Math.floor(options.every ?? Math.max(1, Math.round(cfg.attackSteps / 30))));
      const [b1, b2, eps] = [0.9, 0.999, 1e-8];
      let last: Extract<InversionEvent, { type: 'inversion-step' }> | null = null;
      const snapshot = async (loss: number): Promise<Extract<InversionEvent, { type: 'inversion-step' }>> => {
        const images = (await x.data()) as Float32Array;
        let lab = inferred!;
        if (ly) {
          const am = tf.argMax(ly, 1);
          lab = Array.from((await am.data()) as Int32Array);
          am.dispose();
        }
        const m = matchImages(targets, images, px);
        const correct = m.match.filter((r, o) => lab[r] === targetLabels[o]).length;
        return { type: 'inversion-step', step, loss, images: images.slice(), labels: [...lab], psnr: m.psnr, meanPsnr: mean(m.psnr), labelAccuracy: correct / b, match: m.match };
      };
      for (step = 1; step <= cfg.attackSteps; step++) {
        await tick();
        const lrNow = stepSize(cfg.attackLr, step - 1, cfg.attackSteps);
        const t = step;
        const next = tf.tidy(() => {
          const f = ly ? (a: tf.Tensor, c: tf.Tensor) => objective(a as tf.Tensor2D, c as tf.Tensor2D) : (a: tf.Tensor) => objective(a as tf.Tensor2D, null);
          const { value, grads } = tf.valueAndGrads(f)(ly ? [x, ly] : [x]);
          const adam = (p: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor) => {
            const m2 = tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1));
            const v2 = tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2));
            const stepT = tf.div(tf.mul(m2, lrNow / (1 - b1 ** t)), tf.add(tf.sqrt(tf.div(v2, 1 - b2 ** t)), eps));
            return [tf.sub(p, stepT), m2, v2];
          };
          const [xn, mxn, vxn] = adam(x, grads[0], mx, vx);
          const out: tf.Tensor[] = [value, tf.clipByValue(xn, 0, 1), mxn, vxn];
          if (ly) out.push(...adam(ly, grads[1], ml!, vl!));
          return out;
        });
        tf.dispose(live());
        const [value] = next;
        [, x, mx, vx] = next;
        if (ly) [, , , , ly, ml, vl] = next;
        const loss = (await value.data())[0];
        value.dispose();
        if (!Number.isFinite(loss)) throw new AttackDiverged();
        completed = step;
        if (step % every === 0 || step === cfg.attackSteps) {
          last = await snapshot(loss);
          yield last;
        }
      }
      step = cfg.attackSteps;
      const fin = last!;
      yield { type: 'inversion-finished', steps: step, psnr: fin.psnr, meanPsnr: fin.meanPsnr, labelAccuracy: fin.labelAccuracy, images: fin.images, labels: fin.labels, match: fin.match };
    } finally {
      tf.dispose(live());
    }
  } catch (e) {
    if (e instanceof Cancelled) {
      yield { type: 'inversion-cancelled', step: completed };
    } else if (e instanceof UpdateNotFinite) {
      yield {
        type: 'inversion-diverged',
        step: 0,
        message: '클라이언트가 보낸 업데이트에 유한하지 않은 값(NaN 또는 ∞)이 있어 공격을 시작하지 않았습니다. 클라이언트의 학습이 발산한 것입니다. 클라이언트 학습률이나 로컬 스텝을 줄여 보세요.',
        messageEn: "the client's update is not finite (its local training diverged); lower the client learning rate or the local steps.",
      };
    } else if (e instanceof AttackDiverged) {
      yield {
        type: 'inversion-diverged',
        step: completed + 1,
        message: `공격 스텝 ${completed + 1}에서 목적 함수가 유한한 값이 아니게 되어 공격을 멈췄습니다. 공격 학습률을 낮춰 보세요.`,
        messageEn: `the attack objective stopped being finite at step ${completed + 1}; lower the attack learning rate.`,
      };
    } else {
      throw e;
    }
  } finally {
    tf.dispose(held);
  }
}

/**
 * The same attack at each strength of one defence, one after another (the chart of PSNR against
 * the defence's strength). Emits one inversion-sweep-point per finished attack, then
 * inversion-sweep-finished; or inversion-cancelled / inversion-diverged from the attack that was
 * running. Frees every tensor however it ends.
 */
export async function* runInversionSweep(sweep: InversionSweepConfig, options: InversionOptions = {}): AsyncGenerator<InversionEvent, void, undefined> {
  const values = sweep.values ?? [...DEFENCE_STRENGTHS[sweep.defence]];
  const configs = values.map((v) => sweepPoint(sweep.base, sweep.defence, v));
  const problems = configs.flatMap(validateInversion);
  if (problems.length) throw new ConfigError(problems);
  for (let i = 0; i < configs.length; i++) {
    for await (const e of runInversion(configs[i], { ...options, every: Number.MAX_SAFE_INTEGER })) {
      if (e.type === 'inversion-finished') {
        yield { type: 'inversion-sweep-point', defence: sweep.defence, value: values[i], index: i, of: values.length, psnr: e.psnr, meanPsnr: e.meanPsnr, labelAccuracy: e.labelAccuracy };
      } else if (e.type === 'inversion-cancelled' || e.type === 'inversion-diverged') {
        yield e;
        return;
      }
    }
  }
  yield { type: 'inversion-sweep-finished', defence: sweep.defence, points: values.length };
}
