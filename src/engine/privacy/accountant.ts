/**
 * The privacy accountant: how much privacy a run of the Poisson-subsampled Gaussian mechanism
 * spends, as (ε, δ). This is the mechanism of DP-SGD (one example joins a batch with probability
 * q) and of DP-FedAvg (one client joins a round with probability q): each step adds Gaussian noise
 * of standard deviation z times the sensitivity to a sum of clipped contributions.
 *
 * Method: Rényi differential privacy (Mironov 2017, arXiv:1702.07476), computed for the
 * subsampled Gaussian as in Mironov, Talwar and Zhang 2019 (arXiv:1908.10530), which is what
 * TensorFlow Privacy's rdp_accountant and Opacus's RDP accountant implement. At order α:
 *
 *   integer α:    A_α = Σ_{i=0..α} C(α, i) q^i (1 − q)^{α−i} exp((i² − i) / (2z²))
 *   fractional α: the same expectation split at z₀ = z² ln(1/q − 1) + ½ into two series with
 *                 erfc factors (Section 3.3 of the 2019 paper), summed until terms fall below e⁻³⁰
 *   RDP(α) = ln(A_α) / (α − 1)             (q = 1: the plain Gaussian, RDP(α) = α / (2z²))
 *
 * T steps compose by addition (T·RDP(α)), and an RDP curve gives (ε, δ)-DP at every order; the
 * accountant takes the best order of a grid. Two conversions are offered:
 *
 *   classic   ε = T·RDP(α) + ln(1/δ) / (α − 1)                        (Mironov 2017, Prop. 3)
 *   improved  ε = T·RDP(α) − (ln δ + ln α) / (α − 1) + ln((α − 1)/α)  (Balle et al. 2020,
 *             arXiv:1905.09982, Theorem 21)
 *
 * The default is the improved one: it is a valid bound too, always at least as small (the
 * difference is ln(α)/(α − 1) − ln((α − 1)/α) > 0 for α > 1), and it is what Opacus and today's
 * TensorFlow Privacy report. The classic one is kept because the published reference numbers
 * were computed with it: Abadi et al. 2016's ε ≈ 1.26 and the figures in TensorFlow Privacy's and
 * Opacus's tutorials (the unit tests reproduce them to their printed digits).
 *
 * Everything runs in log space (A_α overflows a double for large α or small z). Plain numbers
 * only, no tfjs: the engine, the CLI and the page's ε calculator all import this module.
 */
import { logErfc } from './stats';

/** How the RDP curve becomes an (ε, δ) guarantee (see the module comment). */
export type Conversion = 'classic' | 'improved';

/**
 * The order grid of TensorFlow Privacy's tutorials and of Opacus (DEFAULT_ALPHAS):
 * 1.1, 1.2, …, 10.9 and 12, 13, …, 63. The reference tests use it to reproduce their numbers.
 */
export const TFP_ORDERS: readonly number[] = Object.freeze([
  ...Array.from({ length: 99 }, (_, x) => Math.round((1 + (x + 1) / 10) * 10) / 10),
  ...Array.from({ length: 52 }, (_, i) => 12 + i),
]);

/**
 * The accountant's own grid: TensorFlow Privacy's, extended with larger orders (64 … 256). More
 * orders can only lower the minimum, and large orders win when few steps are composed with much
 * noise (a short run with z = 4, say), where a grid that stops at 63 would overstate ε.
 */
export const DEFAULT_ORDERS: readonly number[] = Object.freeze([...TFP_ORDERS, 64, 72, 80, 96, 112, 128, 160, 192, 224, 256]);

/** ln(e^a + e^b) without overflow. */
function logAdd(a: number, b: number): number {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (lo === -Infinity) return hi;
  return Math.log1p(Math.exp(lo - hi)) + hi;
}

/** ln(e^a − e^b) for a ≥ b. */
function logSub(a: number, b: number): number {
  if (b === -Infinity) return a;
  if (a <= b) return -Infinity; // the difference vanished (it cannot be negative in exact arithmetic)
  const d = a - b;
  // For a large gap expm1 overflows while the answer is a to double precision.
  return d > 700 ? a : Math.log(Math.expm1(d)) + b;
}

/** ln A_α for an integer α ≥ 2 (the binomial sum, term by term in log space). */
function logAInt(q: number, z: number, alpha: number): number {
  const lq = Math.log(q);
  const l1q = Math.log1p(-q);
  let logA = -Infinity;
  let logBinom = 0; // ln C(α, 0)
  for (let i = 0; i <= alpha; i++) {
    if (i > 0) logBinom += Math.log(alpha - i + 1) - Math.log(i);
    logA = logAdd(logA, logBinom + i * lq + (alpha - i) * l1q + (i * i - i) / (2 * z * z));
  }
  return logA;
}

/** ln A_α for a fractional α > 1 (Mironov, Talwar, Zhang 2019, Section 3.3). */
function logAFrac(q: number, z: number, alpha: number): number {
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  const z0 = z * z * Math.log(1 / q - 1) + 0.5;
  const lq = Math.log(q);
  const l1q = Math.log1p(-q);
  let logAbsBinom = 0; // ln |C(α, i)|
  let sign = 1; // sign of C(α, i)
  for (let i = 0; i < 100000; i++) {
    if (i > 0) {
      const factor = (alpha - i + 1) / i;
      if (factor === 0) break; // cannot happen for fractional α, kept as a guard
      if (factor < 0) sign = -sign;
      logAbsBinom += Math.log(Math.abs(factor));
    }
    const j = alpha - i;
    const logT0 = logAbsBinom + i * lq + j * l1q;
    const logT1 = logAbsBinom + j * lq + i * l1q;
    const logE0 = Math.log(0.5) + logErfc((i - z0) / (Math.SQRT2 * z));
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / (Math.SQRT2 * z));
    const logS0 = logT0 + (i * i - i) / (2 * z * z) + logE0;
    const logS1 = logT1 + (j * j - j) / (2 * z * z) + logE1;
    if (sign > 0) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
    }
    if (Math.max(logS0, logS1) < -30) break;
  }
  return logAdd(logA0, logA1);
}

/**
 * RDP at order α (> 1) of one step of the Poisson-subsampled Gaussian mechanism with sampling
 * rate q ∈ [0, 1] and noise multiplier z ≥ 0 (noise std / sensitivity). Infinity when z = 0
 * (no noise, no privacy); 0 when q = 0 (nobody's data is used).
 */
export function rdpSubsampledGaussian(q: number, z: number, alpha: number): number {
  if (!(alpha > 1)) throw new RangeError(`RDP order must be > 1, got ${alpha}`);
  if (!(q >= 0 && q <= 1)) throw new RangeError(`sampling rate must be in [0, 1], got ${q}`);
  if (!(z >= 0)) throw new RangeError(`noise multiplier must be ≥ 0, got ${z}`);
  if (q === 0) return 0;
  if (z === 0) return Infinity;
  if (q === 1) return alpha / (2 * z * z);
  if (alpha === Infinity) return Infinity;
  const logA = Number.isInteger(alpha) ? logAInt(q, z, alpha) : logAFrac(q, z, alpha);
  return logA / (alpha - 1);
}

/** ε at order α from a composed RDP value (see the module comment for the two conversions). */
export function epsilonAtOrder(rdp: number, alpha: number, delta: number, conversion: Conversion = 'improved'): number {
  const eps =
    conversion === 'classic'
      ? rdp + Math.log(1 / delta) / (alpha - 1)
      : rdp - (Math.log(delta) + Math.log(alpha)) / (alpha - 1) + Math.log((alpha - 1) / alpha);
  return Math.max(eps, 0);
}

/** ε and the order that gives it. */
export interface PrivacySpent {
  /** The smallest ε over the order grid (Infinity without noise). */
  epsilon: number;
  /** The RDP order α at which it is reached (NaN when ε is infinite). */
  order: number;
}

/** The best (ε, order) over a grid, given the composed RDP at each order. */
export function rdpToEpsilon(orders: readonly number[], rdp: readonly number[], delta: number, conversion: Conversion = 'improved'): PrivacySpent {
  if (orders.length !== rdp.length) throw new RangeError('orders and rdp differ in length');
  if (!(delta > 0 && delta < 1)) throw new RangeError(`δ must be in (0, 1), got ${delta}`);
  let best: PrivacySpent = { epsilon: Infinity, order: Number.NaN };
  for (let i = 0; i < orders.length; i++) {
    const e = epsilonAtOrder(rdp[i], orders[i], delta, conversion);
    if (e < best.epsilon) best = { epsilon: e, order: orders[i] };
  }
  return best;
}

export interface AccountantOptions {
  /** RDP orders to minimise over (default DEFAULT_ORDERS). */
  orders?: readonly number[];
  /** (ε, δ) conversion (default 'improved'). */
  conversion?: Conversion;
}

/**
 * A running account of one mechanism repeated step after step: the per-step RDP curve is
 * computed once (the costly part, ~1 ms for the default grid), after which ε after any number of
 * steps is a minimum over the grid. DP-FedAvg asks for it every round.
 */
export class PrivacyAccountant {
  readonly orders: readonly number[];
  readonly conversion: Conversion;
  /** RDP of one step at each order. */
  readonly perStep: readonly number[];

  constructor(
    readonly sampleRate: number,
    readonly noiseMultiplier: number,
    options: AccountantOptions = {},
  ) {
    this.orders = options.orders ?? DEFAULT_ORDERS;
    this.conversion = options.conversion ?? 'improved';
    this.perStep = this.orders.map((a) => rdpSubsampledGaussian(sampleRate, noiseMultiplier, a));
  }

  /** (ε, order) after `steps` steps at this δ. */
  spent(steps: number, delta: number): PrivacySpent {
    if (!(steps >= 0)) throw new RangeError(`steps must be ≥ 0, got ${steps}`);
    // Nothing released yet: nothing spent (the conversions would give a small positive number).
    if (steps === 0) return { epsilon: 0, order: Number.NaN };
    return rdpToEpsilon(
      this.orders,
      this.perStep.map((r) => steps * r),
      delta,
      this.conversion,
    );
  }
}

/** What `privacySpent` needs: the mechanism, how often it ran, and δ. */
export interface AccountantQuery extends AccountantOptions {
  /** q ∈ (0, 1]: the probability that one participant (example or client) joins a step. */
  sampleRate: number;
  /** z > 0: noise standard deviation divided by the sensitivity (the clip norm's share). */
  noiseMultiplier: number;
  /** T ≥ 1: steps (DP-SGD batches, DP-FedAvg rounds). */
  steps: number;
  /** δ ∈ (0, 1). */
  delta: number;
}

/** ε spent by T steps of the Poisson-subsampled Gaussian mechanism, and its order. */
export function privacySpent(query: AccountantQuery): PrivacySpent {
  return new PrivacyAccountant(query.sampleRate, query.noiseMultiplier, query).spent(query.steps, query.delta);
}

/** One thing wrong with an accountant query, in Korean and English. */
export interface AccountantProblem {
  field: 'sampleRate' | 'noiseMultiplier' | 'steps' | 'delta';
  ko: string;
  en: string;
}

/**
 * Every problem with a query (empty = fine): q outside (0, 1], z ≤ 0, T not an integer ≥ 1, δ
 * outside (0, 1). The CLI prints the English, the calculator the Korean.
 */
export function validateAccountantQuery(q: Partial<Pick<AccountantQuery, 'sampleRate' | 'noiseMultiplier' | 'steps' | 'delta'>>): AccountantProblem[] {
  const out: AccountantProblem[] = [];
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (!(finite(q.sampleRate) && q.sampleRate > 0 && q.sampleRate <= 1)) {
    out.push({ field: 'sampleRate', ko: '참여 확률 q는 0보다 크고 1 이하여야 합니다.', en: 'the sample rate q must be in (0, 1].' });
  }
  if (!(finite(q.noiseMultiplier) && q.noiseMultiplier > 0)) {
    out.push({ field: 'noiseMultiplier', ko: '노이즈 배수 z는 0보다 커야 합니다 (z = 0이면 보장이 없습니다).', en: 'the noise multiplier z must be > 0 (z = 0 gives no guarantee).' });
  }
  if (!(finite(q.steps) && Number.isInteger(q.steps) && q.steps >= 1)) {
    out.push({ field: 'steps', ko: '단계(라운드) 수 T는 1 이상의 정수여야 합니다.', en: 'the number of steps T must be an integer ≥ 1.' });
  }
  if (!(finite(q.delta) && q.delta > 0 && q.delta < 1)) {
    out.push({ field: 'delta', ko: 'δ는 0보다 크고 1보다 작아야 합니다.', en: 'δ must be in (0, 1).' });
  }
  return out;
}
