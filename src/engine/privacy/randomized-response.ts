/**
 * Randomized response (Warner 1965), in the two forms the book uses:
 *
 * - π form: each person answers truthfully with probability π > ½ and lies otherwise.
 *   ε = ln(π / (1 − π)); with λ̂ the observed "yes" rate, φ̂ = (λ̂ − (1 − π)) / (2π − 1).
 * - coin form (RAPPOR's permanent step with parameter f): with probability 1 − f answer
 *   truthfully, otherwise answer "yes" or "no" by a fair coin (f/2 each).
 *   ε = ln((1 − f/2) / (f/2)); φ̂ = (λ̂ − f/2) / (1 − f).
 *
 * The two are the same mechanism with π = 1 − f/2 (the truthful answer comes out with
 * probability 1 − f + f/2); they differ in how the page draws the coins. Both estimators are
 * unbiased: E[λ̂] = φπ + (1 − φ)(1 − π), solved for φ.
 *
 * Every draw comes from named streams of the seeded generator, so a seed fixes the population,
 * every coin and every answer.
 */
import { Rng } from '../rng';
import { zForConfidence } from './stats';

/** Which way the mechanism is described. */
export type RrForm = 'pi' | 'coin';

/** The mechanism's parameters. */
export interface RrMechanism {
  form: RrForm;
  /** π form: probability of answering truthfully, in (½, 1]. */
  pi?: number;
  /** coin form: probability of answering by the fair coin instead of the truth, in [0, 1). */
  f?: number;
}

/** π, the probability that the reported answer equals the truth. */
export function truthProbability(m: RrMechanism): number {
  if (m.form === 'pi') return m.pi ?? Number.NaN;
  return 1 - (m.f ?? Number.NaN) / 2;
}

/** ε = ln(π / (1 − π)) for the π form. π = 1 gives ∞ (no privacy), π = ½ gives 0. */
export function epsilonFromPi(pi: number): number {
  return Math.log(pi / (1 - pi));
}

/** ε = ln((1 − f/2) / (f/2)) for the coin form. f = 0.5 gives ln 3. */
export function epsilonFromF(f: number): number {
  return Math.log((1 - f / 2) / (f / 2));
}

/** π = e^ε / (1 + e^ε): the truth probability that spends exactly ε. */
export function piFromEpsilon(epsilon: number): number {
  return 1 / (1 + Math.exp(-epsilon));
}

/** f = 2 / (1 + e^ε): the coin probability that spends exactly ε. */
export function fFromEpsilon(epsilon: number): number {
  return 2 / (1 + Math.exp(epsilon));
}

/** ε of a mechanism in either form. */
export function rrEpsilon(m: RrMechanism): number {
  return m.form === 'pi' ? epsilonFromPi(m.pi ?? Number.NaN) : epsilonFromF(m.f ?? Number.NaN);
}

/** An estimate of the true "yes" rate with its confidence interval. */
export interface RrEstimate {
  /** λ̂: the share of "yes" answers (the naive estimate). */
  naive: number;
  /** φ̂: the unbiased estimate. It can fall outside [0, 1] in a small sample; it is not clipped. */
  estimate: number;
  /** Estimated standard error of φ̂: √(λ̂(1 − λ̂)/n) / (2π − 1). */
  stdError: number;
  /** Normal-approximation confidence interval φ̂ ± z·stdError (not clipped to [0, 1]). */
  lower: number;
  upper: number;
  /** The confidence level of [lower, upper], e.g. 0.95. */
  level: number;
}

/**
 * The unbiased estimator and its confidence interval from the count of "yes" answers.
 * Var(φ̂) = λ(1 − λ) / (n(2π − 1)²), which equals Warner's φ(1 − φ)/n + π(1 − π)/(n(2π − 1)²);
 * the interval plugs in λ̂.
 */
export function rrEstimate(yes: number, n: number, pi: number, level = 0.95): RrEstimate {
  const naive = n > 0 ? yes / n : Number.NaN;
  const scale = 2 * pi - 1;
  const estimate = (naive - (1 - pi)) / scale;
  const stdError = n > 0 ? Math.sqrt((naive * (1 - naive)) / n) / Math.abs(scale) : Number.NaN;
  const z = zForConfidence(level);
  return { naive, estimate, stdError, lower: estimate - z * stdError, upper: estimate + z * stdError, level };
}

/** The coin form's estimator φ̂ = (λ̂ − f/2) / (1 − f), identical to rrEstimate with π = 1 − f/2. */
export function rrEstimateCoin(yes: number, n: number, f: number, level = 0.95): RrEstimate {
  return rrEstimate(yes, n, 1 - f / 2, level);
}

/**
 * What happened to one person, as stored in RrSurvey.path. (A plain object rather than an enum:
 * the page bundles modules one by one, where const enums do not survive.)
 */
export const RrPath = {
  /** π form: told the truth. Coin form: the first coin said "answer truthfully". */
  Truth: 0,
  /** π form: lied. */
  Lie: 1,
  /** Coin form: the first coin said "use the second coin", which came up "yes". */
  CoinYes: 2,
  /** Coin form: the first coin said "use the second coin", which came up "no". */
  CoinNo: 3,
} as const;
export type RrPath = (typeof RrPath)[keyof typeof RrPath];

/** A simulated survey. */
export interface RrSurvey {
  /** Number of people. */
  n: number;
  /** truth[i] = 1 when person i has the sensitive trait. Exactly round(n·rate) people do. */
  truth: Uint8Array;
  /** answer[i] = 1 when person i answered "yes". */
  answer: Uint8Array;
  /** How person i's answer came about (an RrPath). */
  path: Uint8Array;
  /** Number of people with the trait, and its share (the quantity being estimated). */
  trueYes: number;
  trueRate: number;
  /** Number of "yes" answers. */
  yes: number;
  /** π of the mechanism used and its ε. */
  pi: number;
  epsilon: number;
  /** The estimator applied to this survey. */
  estimate: RrEstimate;
}

/** Settings of one simulated survey. */
export interface RrSurveyOptions {
  /** Population size (≥ 1). */
  n: number;
  /** True share of people with the trait, in [0, 1]. */
  rate: number;
  mechanism: RrMechanism;
  seed: number;
  /** Confidence level of the interval (default 0.95). */
  level?: number;
}

/**
 * Simulates one survey. Who has the trait comes from the 'rr/population' stream and the coins
 * from 'rr/coins', so changing π or f redraws the coins over the same population.
 */
export function simulateSurvey(opts: RrSurveyOptions): RrSurvey {
  const n = Math.max(1, Math.floor(opts.n));
  const rate = Math.min(1, Math.max(0, opts.rate));
  const trueYes = Math.round(n * rate);
  const root = new Rng(opts.seed, 'rr');
  const order = root.stream('rr/population').permutation(n);
  const truth = new Uint8Array(n);
  for (let i = 0; i < trueYes; i++) truth[order[i]] = 1;

  const coins = root.stream('rr/coins');
  const answer = new Uint8Array(n);
  const path = new Uint8Array(n);
  const pi = truthProbability(opts.mechanism);
  const f = opts.mechanism.form === 'coin' ? (opts.mechanism.f ?? 0) : 0;
  let yes = 0;
  for (let i = 0; i < n; i++) {
    const t = truth[i];
    let a: number;
    if (opts.mechanism.form === 'pi') {
      const honest = coins.next() < pi;
      a = honest ? t : 1 - t;
      path[i] = honest ? RrPath.Truth : RrPath.Lie;
    } else if (coins.next() < f) {
      a = coins.next() < 0.5 ? 1 : 0;
      path[i] = a ? RrPath.CoinYes : RrPath.CoinNo;
    } else {
      a = t;
      path[i] = RrPath.Truth;
    }
    answer[i] = a;
    yes += a;
  }
  return {
    n,
    truth,
    answer,
    path,
    trueYes,
    trueRate: trueYes / n,
    yes,
    pi,
    epsilon: rrEpsilon(opts.mechanism),
    estimate: rrEstimate(yes, n, pi, opts.level ?? 0.95),
  };
}

/** A survey's people counted by (truth, answer): `counts[t][a]`, e.g. counts[0][1] said "yes" but are not. */
export function surveyCounts(s: Pick<RrSurvey, 'n' | 'truth' | 'answer'>): [[number, number], [number, number]] {
  const c: [[number, number], [number, number]] = [
    [0, 0],
    [0, 0],
  ];
  for (let i = 0; i < s.n; i++) c[s.truth[i]][s.answer[i]]++;
  return c;
}

/** Estimation error at one ε over many surveys. */
export interface RrErrorPoint {
  epsilon: number;
  pi: number;
  /** Mean of |φ̂ − φ| over the runs. */
  meanAbsError: number;
  /** √(mean (φ̂ − φ)²) over the runs. */
  rmse: number;
  /** Mean of φ̂ over the runs (close to φ: the estimator is unbiased). */
  meanEstimate: number;
  /**
   * The standard deviation of φ̂ around this population's true share: √(π(1 − π)/n) / |2π − 1|.
   * Only the coins vary between runs (the population is fixed), so Warner's extra term
   * φ(1 − φ)/n for sampling the respondents from a larger population is absent; the interval of
   * rrEstimate keeps it, and is therefore conservative here.
   */
  theoreticalSd: number;
  /** Share of runs whose confidence interval contained φ. */
  coverage: number;
  /** φ̂ of every run, for a strip plot. */
  estimates: number[];
  /** |φ̂ − φ| of every run. */
  errors: number[];
}

/**
 * Error of the unbiased estimate against ε: `runs` surveys of the same population at each ε
 * (π form, π = e^ε/(1 + e^ε)). Run r at every ε uses the seed `seed + r`, so the population of
 * run r is the same along the curve and only the noise level changes.
 */
export function errorVsEpsilon(opts: { n: number; rate: number; epsilons: number[]; runs: number; seed: number; level?: number }): RrErrorPoint[] {
  const runs = Math.max(1, Math.floor(opts.runs));
  return opts.epsilons.map((epsilon) => {
    const pi = piFromEpsilon(epsilon);
    const estimates: number[] = [];
    const errors: number[] = [];
    let abs = 0;
    let sq = 0;
    let sum = 0;
    let covered = 0;
    let phi = 0;
    let n = 0;
    for (let r = 0; r < runs; r++) {
      const s = simulateSurvey({ n: opts.n, rate: opts.rate, mechanism: { form: 'pi', pi }, seed: (opts.seed + r) >>> 0, level: opts.level });
      phi = s.trueRate;
      n = s.n;
      const e = s.estimate.estimate - phi;
      estimates.push(s.estimate.estimate);
      errors.push(Math.abs(e));
      abs += Math.abs(e);
      sq += e * e;
      sum += s.estimate.estimate;
      if (s.estimate.lower <= phi && phi <= s.estimate.upper) covered++;
    }
    return {
      epsilon,
      pi,
      meanAbsError: abs / runs,
      rmse: Math.sqrt(sq / runs),
      meanEstimate: sum / runs,
      theoreticalSd: Math.sqrt((pi * (1 - pi)) / n) / Math.abs(2 * pi - 1),
      coverage: covered / runs,
      estimates,
      errors,
    };
  });
}
