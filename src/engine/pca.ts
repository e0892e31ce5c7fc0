/**
 * Principal component analysis of a set of vectors: the weight-averaging figure draws a run's
 * weight vectors on a plane with it. Plain arithmetic, no tfjs, so it runs on the page.
 *
 * This is presentation math, not learning: the engine trains and averages; the page only needs
 * two directions along which the weight vectors it was sent differ most. Because the projection
 * is linear (p(w) = Vᵀ(w − μ)), the projection of a weighted mean is the same weighted mean of
 * the projections — so the new global model is drawn exactly where the clients' points average
 * out, and the picture shows the arithmetic faithfully.
 *
 * The vectors are small (a few dozen parameters, a few hundred vectors), so the covariance
 * matrix is formed directly and its top eigenvectors found by power iteration with deflation.
 */

export interface Projection {
  /** Mean of the fitted vectors (μ). */
  mean: Float64Array;
  /** Unit principal directions, strongest first. */
  axes: Float64Array[];
  /** Share of the total variance along each axis (0…1). */
  explained: number[];
}

/** Dot product of equal-length arrays. */
function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Fits `k` principal directions to `vectors` (all of length D). `previous` keeps the picture from
 * flipping between refits: each new axis takes the sign that agrees with the old one.
 */
export function fitPca(vectors: readonly ArrayLike<number>[], k = 2, previous?: Projection | null): Projection {
  const n = vectors.length;
  const D = n > 0 ? vectors[0].length : 0;
  const mean = new Float64Array(D);
  for (const v of vectors) for (let j = 0; j < D; j++) mean[j] += v[j] / n;
  // Covariance (up to the 1/n factor, which changes no direction).
  const C = new Float64Array(D * D);
  const x = new Float64Array(D);
  for (const v of vectors) {
    for (let j = 0; j < D; j++) x[j] = v[j] - mean[j];
    for (let a = 0; a < D; a++) {
      const xa = x[a];
      if (xa === 0) continue;
      const row = a * D;
      for (let b = a; b < D; b++) C[row + b] += xa * x[b];
    }
  }
  for (let a = 0; a < D; a++) for (let b = 0; b < a; b++) C[a * D + b] = C[b * D + a];
  let total = 0;
  for (let a = 0; a < D; a++) total += C[a * D + a];

  const axes: Float64Array[] = [];
  const explained: number[] = [];
  const y = new Float64Array(D);
  for (let c = 0; c < Math.min(k, D); c++) {
    // A deterministic start that is not orthogonal to the answer in practice.
    let v = new Float64Array(D);
    for (let j = 0; j < D; j++) v[j] = 1 + ((j * 7919) % 13) / 13;
    const n0 = Math.sqrt(dot(v, v));
    for (let j = 0; j < D; j++) v[j] /= n0;
    let lambda = 0;
    for (let it = 0; it < 300; it++) {
      for (let a = 0; a < D; a++) {
        let s = 0;
        const row = a * D;
        for (let b = 0; b < D; b++) s += C[row + b] * v[b];
        y[a] = s;
      }
      // Stay orthogonal to the axes already found (deflation by projection).
      for (const ax of axes) {
        const p = dot(y, ax);
        for (let j = 0; j < D; j++) y[j] -= p * ax[j];
      }
      const norm = Math.sqrt(dot(y, y));
      if (!(norm > 1e-300)) break;
      const next = new Float64Array(D);
      for (let j = 0; j < D; j++) next[j] = y[j] / norm;
      const change = 1 - Math.abs(dot(next, v));
      v = next;
      lambda = norm;
      if (change < 1e-12) break;
    }
    if (!(lambda > 0)) {
      // No variance left (e.g. a single vector): any unit direction orthogonal to the others.
      v = new Float64Array(D);
      v[c % Math.max(1, D)] = 1;
    }
    const old = previous?.axes[c];
    if (old && old.length === D && dot(old, v) < 0) for (let j = 0; j < D; j++) v[j] = -v[j];
    axes.push(v);
    explained.push(total > 0 ? lambda / total : 0);
  }
  return { mean, axes, explained };
}

/** The 2D position of a weight vector. */
export function project(p: Projection, w: ArrayLike<number>): [number, number] {
  const out: [number, number] = [0, 0];
  for (let c = 0; c < 2 && c < p.axes.length; c++) {
    const ax = p.axes[c];
    let s = 0;
    for (let j = 0; j < ax.length; j++) s += (w[j] - p.mean[j]) * ax[j];
    out[c] = s;
  }
  return out;
}
