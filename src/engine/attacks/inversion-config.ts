/**
 * Gradient inversion, the parts a page needs without tfjs: the attack's configuration, its
 * limits and validation, its events, and the image metrics (PSNR, matching reconstructions to
 * originals). The attack itself is in ./inversion.ts.
 *
 * The setting (Zhu et al. 2019, "Deep Leakage from Gradients", arXiv:1906.08935; Zhao et al.
 * 2020, iDLG, arXiv:2001.02610; Geiping et al. 2020, "Inverting Gradients", arXiv:2003.14053):
 * a client computes on a batch of b private images what it sends to the server in one round —
 * the gradient (FedSGD, E = 1) or its update after E local gradient steps (FedAvg) — and an
 * honest-but-curious server, which knows the model it sent, searches for images whose update
 * matches the one it received.
 */
import type { Activation, ConfigProblem } from '../types';
import { privacySpent } from '../privacy/accountant';
import { choiceProblem, inRange, rangeProblem, type FieldNames } from '../problems';

export const INVERSION_DATASETS = ['digits', 'mnist'] as const;
export const INVERSION_ACTIVATIONS = ['sigmoid', 'tanh', 'relu'] as const;
export const INVERSION_LABELS = ['infer', 'optimize'] as const;

export type InversionDataset = (typeof INVERSION_DATASETS)[number];
export type InversionLabels = (typeof INVERSION_LABELS)[number];

export interface InversionConfig {
  /** Marks the config for the worker, which also runs training configs. */
  attack: 'inversion';
  dataset: InversionDataset;
  /** The attacked model: an MLP with these hidden widths (at least one) and activation. */
  hidden: number[];
  activation: Extract<Activation, 'sigmoid' | 'tanh' | 'relu'>;
  /** b: the client's batch (the images the attacker wants). */
  batch: number;
  /**
   * E: local gradient steps on the batch before the client sends. 1 = FedSGD (what is sent is
   * −η times the gradient, the gradient up to a known factor); more = a FedAvg update.
   */
  localSteps: number;
  /** η: the client's learning rate for its local steps (known to the server, as in FedAvg). */
  lr: number;
  /** Optimisation steps of the attacker. */
  attackSteps: number;
  /** Adam step size of the attacker (pixels live in [0, 1]). */
  attackLr: number;
  /** Weight of the total-variation prior (0 = none, as in DLG). */
  tv: number;
  /**
   * 'infer': labels read off the last layer's bias update before the search (iDLG for b = 1,
   * its count form for b > 1); 'optimize': labels searched for together with the images (DLG).
   */
  labels: InversionLabels;
  /** Defence, DP: the client clips its update to norm S (0 = no clipping) … */
  clip: number;
  /** … and adds Gaussian noise N(0, (z·S)²) to every coordinate (z = 0: none; needs S > 0). */
  noise: number;
  /** Defence, secure aggregation: the server sees only the sum of K clients' updates (1 = off). */
  secureAgg: number;
  /** Defence, top-k sparsification: the client sends only this fraction of coordinates, the largest (1 = off). */
  topk: number;
  seed: number;
}

/** Inclusive ranges; `int` marks integers. */
export const INVERSION_LIMITS = {
  hidden: { min: 1, max: 256, int: true },
  'hidden.length': { min: 1, max: 3, int: true },
  batch: { min: 1, max: 8, int: true },
  localSteps: { min: 1, max: 20, int: true },
  lr: { min: 1e-4, max: 10, int: false },
  attackSteps: { min: 1, max: 5000, int: true },
  attackLr: { min: 1e-4, max: 1, int: false },
  tv: { min: 0, max: 10, int: false },
  clip: { min: 0, max: 1e6, int: false },
  noise: { min: 0, max: 100, int: false },
  secureAgg: { min: 1, max: 16, int: true },
  topk: { min: 0.001, max: 1, int: false },
  seed: { min: 0, max: 4294967295, int: true },
} as const;

export function defaultInversionConfig(overrides: Partial<InversionConfig> = {}): InversionConfig {
  return {
    attack: 'inversion',
    dataset: 'digits',
    hidden: [32],
    activation: 'sigmoid',
    batch: 1,
    localSteps: 1,
    lr: 0.1,
    attackSteps: 300,
    attackLr: 0.1,
    tv: 0.001,
    labels: 'infer',
    clip: 0,
    noise: 0,
    secureAgg: 1,
    topk: 1,
    seed: 1,
    ...overrides,
  };
}

const NAMES: FieldNames = {
  dataset: ['데이터셋', 'dataset'],
  hidden: ['은닉층 너비', 'hidden width'],
  'hidden.length': ['은닉층 수', 'number of hidden layers'],
  activation: ['활성화 함수', 'activation'],
  batch: ['배치 크기 b', 'attack batch b'],
  localSteps: ['로컬 스텝 E', 'local steps E'],
  lr: ['클라이언트 학습률', 'client learning rate'],
  attackSteps: ['공격 스텝', 'attack steps'],
  attackLr: ['공격 학습률', 'attack learning rate'],
  tv: ['TV 가중치', 'TV weight'],
  labels: ['레이블 추정 방식', 'label mode'],
  clip: ['클리핑 노름 S', 'clip norm S'],
  noise: ['노이즈 배수 z', 'noise multiplier z'],
  secureAgg: ['보안 집계 K', 'secure aggregation K'],
  topk: ['top-k 비율', 'top-k fraction'],
  seed: ['시드', 'seed'],
};

const outOfRange = (field: keyof typeof INVERSION_LIMITS) => rangeProblem(NAMES, field, INVERSION_LIMITS[field]);

/** Every problem with an attack config (empty = it can run). Never throws. */
export function validateInversion(c: InversionConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  if (!(INVERSION_DATASETS as readonly string[]).includes(c.dataset)) out.push(choiceProblem(NAMES, 'dataset', INVERSION_DATASETS));
  if (!(INVERSION_ACTIVATIONS as readonly string[]).includes(c.activation)) out.push(choiceProblem(NAMES, 'activation', INVERSION_ACTIVATIONS));
  if (!(INVERSION_LABELS as readonly string[]).includes(c.labels)) out.push(choiceProblem(NAMES, 'labels', INVERSION_LABELS));
  if (!Array.isArray(c.hidden) || !inRange(c.hidden.length, INVERSION_LIMITS['hidden.length'])) out.push(outOfRange('hidden.length'));
  else if (!c.hidden.every((h) => inRange(h, INVERSION_LIMITS.hidden))) out.push(outOfRange('hidden'));
  for (const f of ['batch', 'localSteps', 'lr', 'attackSteps', 'attackLr', 'tv', 'clip', 'noise', 'secureAgg', 'topk', 'seed'] as const) {
    if (!inRange(c[f], INVERSION_LIMITS[f])) out.push(outOfRange(f));
  }
  if (inRange(c.noise, INVERSION_LIMITS.noise) && c.noise > 0 && c.clip === 0) {
    out.push({
      field: 'noise',
      ko: '노이즈 배수 z는 클리핑 노름 S와 함께 써야 합니다(노이즈의 표준편차가 z·S이므로 S = 0이면 노이즈도 0입니다).',
      en: 'noise multiplier z needs a clip norm S > 0 (the noise standard deviation is z·S).',
    });
  }
  return out;
}

/** Events of an inversion run; plain data, like the training engine's events. */
export type InversionEvent =
  | {
      type: 'inversion-started';
      config: InversionConfig;
      /** Image height, width (one channel). */
      shape: [number, number];
      numClasses: number;
      /** Parameters of the attacked model. */
      parameters: number;
      /** The client's b private images (b × h·w, row-major, in [0, 1]) and their labels. */
      originals: Float32Array;
      originalLabels: number[];
      /** How many images the attacker reconstructs: b, or K·b under secure aggregation. */
      dummies: number;
      /** 'infer' mode: the labels read off the update (one per dummy). */
      inferredLabels?: number[];
      /**
       * The one-line analytic recovery through the first dense layer, x = (∂L/∂W_i)/(∂L/∂b_i) for the
       * row i with the largest |∂L/∂b_i|, from what the server received: exact for one image
       * without defences, a blend or noise otherwise.
       */
      analytic: { image: Float32Array; psnr: number; row: number };
      /** Floats the client sends (the update's length) and how many survive top-k. */
      updateSize: number;
      sentCoordinates: number;
      /** ‖Δ‖ of the attacked client's update before any defence (to choose a clip norm S). */
      updateNorm: number;
      /** With DP noise: ε of this one update (see inversionEpsilon). */
      epsilon?: number;
    }
  | {
      type: 'inversion-step';
      step: number;
      /** The attacker's objective (1 − cosine similarity + TV term). */
      loss: number;
      /** Current reconstructions (dummies × h·w) and their labels. */
      images: Float32Array;
      labels: number[];
      /** Per original image: PSNR (dB) against its matched reconstruction. */
      psnr: number[];
      meanPsnr: number;
      labelAccuracy: number;
      /** For each original, the index of its matched reconstruction. */
      match: number[];
    }
  | { type: 'inversion-finished'; steps: number; psnr: number[]; meanPsnr: number; labelAccuracy: number; images: Float32Array; labels: number[]; match: number[] }
  | { type: 'inversion-diverged'; step: number; message: string; messageEn: string }
  | { type: 'inversion-cancelled'; step: number }
  /** A sweep (runInversionSweep): one finished attack at one strength of one defence. */
  | { type: 'inversion-sweep-point'; defence: InversionDefence; value: number; index: number; of: number; psnr: number[]; meanPsnr: number; labelAccuracy: number }
  | { type: 'inversion-sweep-finished'; defence: InversionDefence; points: number };

/** The defences a sweep varies, each alone (the others off). */
export const INVERSION_DEFENCES = ['noise', 'secureAgg', 'topk'] as const;
export type InversionDefence = (typeof INVERSION_DEFENCES)[number];

/**
 * Strengths of each defence in a sweep, weakest first: the DP noise multiplier z (with the
 * config's clip norm S), the number K of clients summed by secure aggregation, the fraction of
 * coordinates top-k sends.
 */
export const DEFENCE_STRENGTHS: Record<InversionDefence, readonly number[]> = {
  noise: [0, 0.001, 0.003, 0.01, 0.03, 0.1],
  secureAgg: [1, 2, 4, 8, 16],
  topk: [1, 0.3, 0.1, 0.03, 0.01],
};

/** A sweep: the same attack (same images, same seed) at each strength of one defence. */
export interface InversionSweepConfig {
  attack: 'inversion-sweep';
  base: InversionConfig;
  defence: InversionDefence;
  /** Default: DEFENCE_STRENGTHS[defence]. */
  values?: number[];
}

/** The config of one sweep point: the base with only this defence on, at this strength. */
export function sweepPoint(base: InversionConfig, defence: InversionDefence, value: number): InversionConfig {
  const c: InversionConfig = { ...base, hidden: [...base.hidden], noise: 0, secureAgg: 1, topk: 1, clip: defence === 'noise' ? base.clip : 0 };
  if (defence === 'noise') {
    c.noise = value;
    if (c.clip === 0) c.clip = 1;
  } else if (defence === 'secureAgg') c.secureAgg = value;
  else c.topk = value;
  return c;
}

/** What the server does with its mean squared error 0: PSNR is capped here (dB). */
export const PSNR_CAP = 100;

/** PSNR = 10·log10(1 / MSE) for pixels in [0, 1], capped at PSNR_CAP. */
export function psnr(a: ArrayLike<number>, b: ArrayLike<number>, offA = 0, offB = 0, n = a.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = a[offA + i] - b[offB + i];
    s += d * d;
  }
  const mse = s / n;
  if (!(mse > 0)) return mse === 0 ? PSNR_CAP : Number.NaN;
  return Math.min(PSNR_CAP, 10 * Math.log10(1 / mse));
}

/**
 * Pairs each original with a distinct reconstruction, greedily by highest PSNR first (the order
 * in which an attacker recovers a batch is arbitrary, so PSNR is measured against the best
 * match). Returns, per original, the reconstruction's index and the PSNR.
 */
export function matchImages(originals: Float32Array, recon: Float32Array, pixels: number): { match: number[]; psnr: number[] } {
  const nO = originals.length / pixels;
  const nR = recon.length / pixels;
  const pairs: { o: number; r: number; p: number }[] = [];
  for (let o = 0; o < nO; o++) for (let r = 0; r < nR; r++) pairs.push({ o, r, p: psnr(originals, recon, o * pixels, r * pixels, pixels) });
  pairs.sort((x, y) => y.p - x.p);
  const match = new Array<number>(nO).fill(-1);
  const out = new Array<number>(nO).fill(0);
  const used = new Set<number>();
  for (const { o, r, p } of pairs) {
    if (match[o] >= 0 || used.has(r)) continue;
    match[o] = r;
    out[o] = p;
    used.add(r);
  }
  return { match, psnr: out };
}

/** The mean of a list (0 for none). */
export const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** δ of the ε the attack reports. */
export const INVERSION_DELTA = 1e-5;

/**
 * ε of the one update the client sends under the DP defence, from the privacy accountant: the
 * Gaussian mechanism with noise multiplier z released once (sample rate 1, one step), δ = 1e-5.
 * The update is clipped as a whole, so this is client-level privacy: it covers all b images at
 * once. Undefined without noise (no guarantee at all).
 */
export function inversionEpsilon(c: Pick<InversionConfig, 'clip' | 'noise'>): number | undefined {
  if (!(c.clip > 0 && c.noise > 0)) return undefined;
  return privacySpent({ sampleRate: 1, noiseMultiplier: c.noise, steps: 1, delta: INVERSION_DELTA }).epsilon;
}
