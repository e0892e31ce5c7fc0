/**
 * Small numerical helpers for the privacy estimators: the normal quantile for confidence
 * intervals and a dense least-squares solver for RAPPOR's decoding. Plain numbers only, so the
 * privacy widgets can run them in the page without tfjs.
 */

/**
 * Φ⁻¹(p), the standard normal quantile (Acklam's rational approximation refined by one Halley
 * step; absolute error below 1e-12 on (0, 1)). `normalQuantile(0.975)` ≈ 1.959964.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return Number.NaN;
  }
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  let x: number;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - lo) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // One Halley step against the complementary error function brings it to full precision.
  const e = 0.5 * erfc(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** The two-sided z for a confidence level, e.g. 0.95 → 1.959964. */
export function zForConfidence(level: number): number {
  return normalQuantile(0.5 + level / 2);
}

/**
 * erfc(x) to near double precision: the Maclaurin series of erf for |x| < 2, the continued
 * fraction (evaluated by Lentz's method) beyond. The common 1.2e-7 approximations are not precise
 * enough for the Halley refinement in normalQuantile.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  let r: number;
  if (z < 2) {
    // erfc = 1 − erf, erf from its Maclaurin series (converges fast for small z).
    let term = z;
    let sum = z;
    const z2 = z * z;
    for (let n = 1; n < 40; n++) {
      term *= -z2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    r = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    r = Math.exp(-z * z) / (erfcFraction(z) * Math.sqrt(Math.PI));
  }
  return x >= 0 ? r : 2 - r;
}

/** The outcome of an ordinary least-squares fit. */
export interface LeastSquares {
  /** β minimising ‖y − Xβ‖². */
  beta: number[];
  /** Standard error of each coefficient, σ̂·√((XᵀX)⁻¹)_jj with σ̂² = RSS/(rows − cols). */
  stdError: number[];
  /** Residual sum of squares. */
  rss: number;
  /** True when XᵀX was (numerically) singular and a tiny ridge had to be added. */
  ridged: boolean;
}

/**
 * Ordinary least squares through the normal equations with a Cholesky factorisation. X is given
 * by rows (rows × cols). When two columns are identical (two candidates that hash to the same
 * bits in every cohort) XᵀX is singular; a ridge of 1e-9·trace/cols is then added so that the
 * fit still returns numbers, and `ridged` says so.
 */
export function leastSquares(X: ArrayLike<number>[], y: ArrayLike<number>): LeastSquares {
  const rows = X.length;
  const cols = rows > 0 ? X[0].length : 0;
  const A = new Float64Array(cols * cols);
  const b = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const x = X[r];
    const yr = y[r];
    for (let i = 0; i < cols; i++) {
      const xi = x[i];
      if (xi === 0) continue;
      b[i] += xi * yr;
      for (let j = 0; j <= i; j++) A[i * cols + j] += xi * x[j];
    }
  }
  for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) A[j * cols + i] = A[i * cols + j];

  let trace = 0;
  for (let i = 0; i < cols; i++) trace += A[i * cols + i];
  let ridged = false;
  let L = cholesky(A, cols);
  if (!L) {
    ridged = true;
    const lambda = (1e-9 * trace) / Math.max(cols, 1) || 1e-12;
    const B = A.slice();
    for (let i = 0; i < cols; i++) B[i * cols + i] += lambda;
    L = cholesky(B, cols);
    if (!L) throw new Error('leastSquares: normal equations could not be factorised');
  }
  const beta = Array.from(choleskySolve(L, cols, b));

  let rss = 0;
  for (let r = 0; r < rows; r++) {
    let fit = 0;
    for (let i = 0; i < cols; i++) fit += X[r][i] * beta[i];
    rss += (y[r] - fit) ** 2;
  }
  const dof = rows - cols;
  const sigma2 = dof > 0 ? rss / dof : Number.NaN;
  const stdError = new Array<number>(cols);
  const e = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    e.fill(0);
    e[j] = 1;
    const col = choleskySolve(L, cols, e);
    stdError[j] = Math.sqrt(Math.max(0, sigma2 * col[j]));
  }
  return { beta, stdError, rss, ridged };
}

/** Lower-triangular L with A = LLᵀ, or null when A is not (numerically) positive definite. */
function cholesky(A: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, A[i * n + i]);
  const tol = 1e-12 * Math.max(maxDiag, 1e-300);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > tol)) return null;
        L[i * n + i] = Math.sqrt(s);
      } else {
        L[i * n + j] = s / L[j * n + j];
      }
    }
  }
  return L;
}

function choleskySolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * z[k];
    z[i] = s / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/**
 * ln erfc(x) without underflow: erfc(30) ≈ 2.6e−393 is 0 in double precision, but its logarithm
 * (≈ −903.4) is an ordinary number, and the privacy accountant adds such logarithms. For x ≥ 2
 * the same continued fraction as `erfc` is evaluated and −x² − ln(f√π) returned directly;
 * below 2 the plain logarithm of erfc is exact enough (erfc(x) ≥ 0.0046 there, or near 2 for x < 0).
 */
export function logErfc(x: number): number {
  if (x < 2) return Math.log(erfc(x));
  return -x * x - Math.log(erfcFraction(x) * Math.sqrt(Math.PI));
}

/**
 * The continued fraction f(z) with erfc(z) = e^(−z²) / (f(z)·√π), evaluated by Lentz's method:
 * converges in a few dozen steps for z ≥ 2, where the series would lose digits to cancellation.
 */
function erfcFraction(z: number): number {
  const tiny = 1e-300;
  let f = z;
  let C = z;
  let D = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    D = z + an * D;
    D = Math.abs(D) < tiny ? tiny : D;
    C = z + an / C;
    C = Math.abs(C) < tiny ? tiny : C;
    D = 1 / D;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return f;
}
