/**
 * How a server can combine the clients' updates Δ_1 … Δ_n (flat Float32Arrays, the model's
 * parameter order) into one, when some of the clients may be lying. tfjs-free: the same code runs
 * in the engine, in the CLI and in a page.
 *
 * - mean      Σ c_i Δ_i with FedAvg's coefficients c_i (n_i / Σ n): what FedAvg does. One client
 *             sending a huge update moves the result as far as it likes.
 * - median    coordinate-wise median (Yin et al. 2018, arXiv:1803.01498).
 * - trimmed   coordinate-wise β-trimmed mean: per coordinate drop the ⌊βn⌋ largest and ⌊βn⌋
 *             smallest values, average the rest (Yin et al. 2018).
 * - krum      Krum / Multi-Krum (Blanchard et al. 2017): score(i) = Σ of squared distances from
 *             Δ_i to its n − f − 2 nearest other updates; Krum picks the lowest score, Multi-Krum
 *             averages the m lowest.
 * - clip      norm clipping (Sun et al. 2019, arXiv:1911.07963): each Δ_i clipped to norm M, then
 *             the weighted mean.
 * - centered  centered clipping (Karimireddy, He, Jaggi 2021, arXiv:2012.10333): from v (the last
 *             round's aggregate), L times v ← v + (1/n) Σ (Δ_i − v)·min(1, τ/‖Δ_i − v‖).
 *
 * Choices of ours, where the papers leave a parameter to the experimenter:
 * - Krum's f (how many Byzantine clients it is built to tolerate) is the same assumption as the
 *   trimmed mean's β: f = ⌊βn⌋, lowered to the largest f Krum allows, n > 2f + 2.
 * - The clipping radius (M for clip, τ for centered) may be 0, meaning "the median of this round's
 *   update norms" (for centered: of ‖Δ_i − v‖). The papers fix the radius by hand; a radius that
 *   follows the data keeps one default meaningful for every model and learning rate.
 * - Median, trimmed mean, Krum and centered clipping weigh every client equally, as in their papers.
 */
import type { AggregatorRule } from './types';

export const AGGREGATORS: readonly AggregatorRule[] = ['mean', 'median', 'trimmed', 'krum', 'clip', 'centered'];

/** The rules that need each client's update; secure aggregation shows the server only the sum. */
export function needsIndividualUpdates(rule: AggregatorRule): boolean {
  return rule !== 'mean';
}

export interface AggregatorOptions {
  /** β of the trimmed mean, and Krum's assumed share of attackers (f = ⌊βn⌋). 0 ≤ β < 0.5. */
  trim: number;
  /** Multi-Krum: how many lowest-score updates are averaged (1 = Krum). */
  krumM: number;
  /** Clipping radius M (clip) or τ (centered); 0 = the median norm of the round. */
  clipNorm: number;
  /** Centered clipping iterations L. */
  iterations: number;
}

export const DEFAULT_AGGREGATOR_OPTIONS: AggregatorOptions = { trim: 0.3, krumM: 1, clipNorm: 0, iterations: 1 };

export interface Aggregate {
  /** The aggregated update. */
  value: Float32Array;
  /** Krum / Multi-Krum: the indices (into the updates) it averaged, lowest score first. */
  chosen?: number[];
  /** Krum: every update's score. */
  scores?: number[];
  /** clip / centered: the radius used. */
  radius?: number;
}

/** Global L2 norm. */
export function norm(v: Float32Array): number {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += v[j] * v[j];
  return Math.sqrt(s);
}

function check(updates: Float32Array[]): number {
  if (updates.length === 0) throw new Error('aggregate: no updates');
  const d = updates[0].length;
  for (const u of updates) if (u.length !== d) throw new Error('aggregate: updates of different lengths');
  return d;
}

/** Σ c_i Δ_i (sums in float64 per coordinate). */
export function weightedMean(updates: Float32Array[], coefficients: number[]): Float32Array {
  const d = check(updates);
  const acc = new Float64Array(d);
  updates.forEach((u, i) => {
    const c = coefficients[i];
    for (let j = 0; j < d; j++) acc[j] += c * u[j];
  });
  return Float32Array.from(acc);
}

/** Median of a scratch array (sorted in place); even length: the mean of the two middle values. */
function medianOf(a: Float64Array): number {
  a.sort();
  const h = a.length >> 1;
  return a.length % 2 ? a[h] : (a[h - 1] + a[h]) / 2;
}

export function coordinateMedian(updates: Float32Array[]): Float32Array {
  const d = check(updates);
  const n = updates.length;
  const col = new Float64Array(n);
  const out = new Float32Array(d);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) col[i] = updates[i][j];
    out[j] = medianOf(col);
  }
  return out;
}

/** Values dropped from each end per coordinate: ⌊βn⌋, at most (n − 1)/2 so one value remains. */
export function trimCount(n: number, beta: number): number {
  return Math.min(Math.floor(beta * n + 1e-9), Math.floor((n - 1) / 2));
}

export function trimmedMean(updates: Float32Array[], beta: number): Float32Array {
  const d = check(updates);
  const n = updates.length;
  const b = trimCount(n, beta);
  const col = new Float64Array(n);
  const out = new Float32Array(d);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) col[i] = updates[i][j];
    col.sort();
    let s = 0;
    for (let i = b; i < n - b; i++) s += col[i];
    out[j] = s / (n - 2 * b);
  }
  return out;
}

/** Krum's f for n updates: ⌊βn⌋, lowered until n > 2f + 2 (never below 0). */
export function krumF(n: number, beta: number): number {
  return Math.max(0, Math.min(Math.floor(beta * n + 1e-9), Math.floor((n - 3) / 2)));
}

/**
 * Krum scores: for each i, the sum of squared distances to its n − f − 2 nearest other updates
 * (at least 1 neighbour when n ≥ 2; with one update the score is 0).
 */
export function krumScores(updates: Float32Array[], f: number): number[] {
  const d = check(updates);
  const n = updates.length;
  const dist = Array.from({ length: n }, () => new Float64Array(n));
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const ua = updates[a];
      const ub = updates[b];
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = ua[j] - ub[j];
        s += t * t;
      }
      dist[a][b] = dist[b][a] = s;
    }
  }
  const k = Math.max(Math.min(n - f - 2, n - 1), n > 1 ? 1 : 0);
  return dist.map((row, i) => {
    const others = Array.from(row).filter((_, j) => j !== i).sort((x, y) => x - y);
    let s = 0;
    for (let t = 0; t < k; t++) s += others[t];
    return s;
  });
}

export function krum(updates: Float32Array[], beta: number, m: number): Aggregate {
  const n = updates.length;
  const scores = krumScores(updates, krumF(n, beta));
  // Ties broken by index, so the result does not depend on the sort's stability.
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b] || a - b);
  const chosen = order.slice(0, Math.max(1, Math.min(Math.floor(m), n)));
  const value = weightedMean(
    chosen.map((i) => updates[i]),
    chosen.map(() => 1 / chosen.length),
  );
  return { value, chosen, scores };
}

function medianNumber(xs: number[]): number {
  return medianOf(Float64Array.from(xs));
}

/** Δ · min(1, M/‖Δ‖). */
export function clipTo(v: Float32Array, radius: number): Float32Array {
  const n = norm(v);
  const f = n > radius && n > 0 ? radius / n : 1;
  return f === 1 ? v.slice() : v.map((x) => x * f);
}

export function normClipping(updates: Float32Array[], coefficients: number[], clipNorm: number): Aggregate {
  check(updates);
  const radius = clipNorm > 0 ? clipNorm : medianNumber(updates.map(norm));
  return {
    value: weightedMean(
      updates.map((u) => clipTo(u, radius)),
      coefficients,
    ),
    radius,
  };
}

export function centeredClipping(updates: Float32Array[], start: Float32Array | null, tau: number, iterations: number): Aggregate {
  const d = check(updates);
  const n = updates.length;
  const v = new Float64Array(d);
  if (start) for (let j = 0; j < d; j++) v[j] = start[j];
  let radius = tau;
  for (let l = 0; l < Math.max(1, Math.floor(iterations)); l++) {
    const dists = updates.map((u) => {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = u[j] - v[j];
        s += t * t;
      }
      return Math.sqrt(s);
    });
    radius = tau > 0 ? tau : medianNumber(dists);
    const step = new Float64Array(d);
    updates.forEach((u, i) => {
      const f = dists[i] > radius && dists[i] > 0 ? radius / dists[i] : 1;
      for (let j = 0; j < d; j++) step[j] += (u[j] - v[j]) * f;
    });
    for (let j = 0; j < d; j++) v[j] += step[j] / n;
  }
  return { value: Float32Array.from(v), radius };
}

/**
 * One rule over one round's updates. `coefficients`: FedAvg's weights (mean, clip); `previous`:
 * the last round's aggregate (centered clipping starts there; null = zero).
 */
export function aggregate(
  rule: AggregatorRule,
  updates: Float32Array[],
  coefficients: number[],
  options: AggregatorOptions = DEFAULT_AGGREGATOR_OPTIONS,
  previous: Float32Array | null = null,
): Aggregate {
  switch (rule) {
    case 'mean':
      return { value: weightedMean(updates, coefficients) };
    case 'median':
      return { value: coordinateMedian(updates) };
    case 'trimmed':
      return { value: trimmedMean(updates, options.trim) };
    case 'krum':
      return krum(updates, options.trim, options.krumM);
    case 'clip':
      return normClipping(updates, coefficients, options.clipNorm);
    case 'centered':
      return centeredClipping(updates, previous, options.clipNorm, options.iterations);
  }
}
