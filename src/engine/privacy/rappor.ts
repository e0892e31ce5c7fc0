/**
 * RAPPOR — Erlingsson, Pihur & Korolova 2014, "RAPPOR: Randomized Aggregatable
 * Privacy-Preserving Ordinal Response" (arXiv:1407.6981).
 *
 * Client side, for a value v in cohort c:
 *   1. Bloom filter: B = k bits, bit hash_i(c, v) set for i = 1…h.
 *   2. Permanent randomized response, memoised per value so that repeated reports of the same
 *      value never average the noise away: B′_i = 1 w.p. f/2, 0 w.p. f/2, B_i w.p. 1 − f.
 *   3. Instantaneous randomized response, fresh for every report:
 *      S_i = 1 w.p. q if B′_i = 1, w.p. p if B′_i = 0.
 * Privacy: ε∞ = 2h·ln((1 − f/2)/(f/2)) bounds what any number of reports of one value reveal;
 * ε₁ = h·ln(q*(1 − p*)/(p*(1 − q*))) bounds one report, where q* = P(S_i = 1 | B_i = 1) =
 * ½f(p + q) + (1 − f)q and p* = P(S_i = 1 | B_i = 0) = ½f(p + q) + (1 − f)p.
 *
 * Server side: with N reports in a cohort and c of them having bit i set, E[c] = t·q* + (N − t)p*
 * where t is the number of true Bloom filters with bit i set, so t̂ = (c − p*·N)/((1 − f)(q − p))
 * (q* − p* = (1 − f)(q − p)). Frequencies of a list of candidate values then come from a linear
 * regression of the t̂ of every (cohort, bit) on the candidates' Bloom patterns; the paper selects
 * candidates with the Lasso first and then fits ordinary least squares on them; we fit least
 * squares on the whole (short) candidate list and test each coefficient with the paper's
 * Bonferroni-corrected threshold. Basic RAPPOR (one bit per category, h = 1, one cohort) needs no
 * regression: t̂_i is the estimated count of category i.
 */
import { Rng } from '../rng';
import type { ConfigProblem } from '../types';
import { erfc, leastSquares, zForConfidence } from './stats';

/** RAPPOR's parameters (the paper's names). */
export interface RapporParams {
  /** k: Bloom filter size in bits. */
  k: number;
  /** h: hash functions per cohort. */
  h: number;
  /** m: number of cohorts (each uses its own hash functions). */
  cohorts: number;
  /** p: P(S_i = 1 | B′_i = 0). */
  p: number;
  /** q: P(S_i = 1 | B′_i = 1). */
  q: number;
  /** f: share of bits the permanent step replaces by a fair coin. */
  f: number;
}

/** The paper's reference configuration: ε∞ = 4 ln 3 ≈ 4.394, ε₁ ≈ 1.0743. */
export const RAPPOR_DEFAULTS: Readonly<RapporParams> = { k: 16, h: 2, cohorts: 64, p: 0.5, q: 0.75, f: 0.5 };

/**
 * How values become bits: a Bloom filter (any string), or basic RAPPOR for a known, short list of
 * categories (bit i ⇔ category i; then k must equal the number of categories, h = 1, m = 1).
 */
export type RapporEncoding = { kind: 'bloom' } | { kind: 'basic'; categories: readonly string[] };

/** A page's RAPPOR settings: the encoding, the Bloom filter's k, h and m (cohorts), and the coins. */
export interface RapporSettings extends Pick<RapporParams, 'k' | 'h' | 'f' | 'p' | 'q'> {
  encoding: 'bloom' | 'basic';
  m: number;
}

/** The parameters and encoding `settings` describe; basic RAPPOR fixes k (one bit per category), h = 1 and m = 1. */
export function rapporSetup(settings: RapporSettings, categories: readonly string[]): { params: RapporParams; encoding: RapporEncoding } {
  const { f, p, q } = settings;
  if (settings.encoding === 'basic') return { params: { k: categories.length, h: 1, cohorts: 1, f, p, q }, encoding: { kind: 'basic', categories } };
  return { params: { k: settings.k, h: settings.h, cohorts: settings.m, f, p, q }, encoding: { kind: 'bloom' } };
}

/** Problems with a parameter set (empty when usable). Never throws. */
export function validateRappor(params: RapporParams, encoding: RapporEncoding = { kind: 'bloom' }): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const { k, h, cohorts, p, q, f } = params;
  const int = (x: number) => Number.isInteger(x);
  if (!int(k) || k < 1 || k > 4096) out.push({ field: 'k', ko: '블룸 필터 크기 k는 1 이상 4096 이하의 정수여야 합니다.', en: 'k must be an integer in 1…4096.' });
  if (!int(h) || h < 1 || h > Math.max(1, k)) out.push({ field: 'h', ko: '해시 함수 개수 h는 1 이상 k 이하의 정수여야 합니다.', en: 'h must be an integer in 1…k.' });
  if (!int(cohorts) || cohorts < 1 || cohorts > 1024) out.push({ field: 'cohorts', ko: '코호트 수 m은 1 이상 1024 이하의 정수여야 합니다.', en: 'cohorts must be an integer in 1…1024.' });
  if (!(f >= 0 && f < 1)) out.push({ field: 'f', ko: 'f는 0 이상 1 미만이어야 합니다(f = 1이면 보고에 정보가 남지 않습니다).', en: 'f must be in [0, 1).' });
  if (!(p >= 0 && p <= 1)) out.push({ field: 'p', ko: 'p는 0과 1 사이여야 합니다.', en: 'p must be in [0, 1].' });
  if (!(q >= 0 && q <= 1)) out.push({ field: 'q', ko: 'q는 0과 1 사이여야 합니다.', en: 'q must be in [0, 1].' });
  if (!(q > p)) out.push({ field: 'q', ko: 'q는 p보다 커야 합니다(그래야 1인 비트가 더 자주 1로 보고됩니다).', en: 'q must be greater than p.' });
  if (encoding.kind === 'basic') {
    if (k !== encoding.categories.length) out.push({ field: 'k', ko: '기본 RAPPOR에서는 k가 범주 수와 같아야 합니다.', en: 'basic RAPPOR needs k = number of categories.' });
    if (h !== 1) out.push({ field: 'h', ko: '기본 RAPPOR에서는 h = 1입니다.', en: 'basic RAPPOR needs h = 1.' });
    if (cohorts !== 1) out.push({ field: 'cohorts', ko: '기본 RAPPOR에서는 코호트가 하나입니다.', en: 'basic RAPPOR needs one cohort.' });
  }
  return out;
}

/** q* = P(S_i = 1 | B_i = 1) = ½f(p + q) + (1 − f)q. */
export function qStar({ f, p, q }: Pick<RapporParams, 'f' | 'p' | 'q'>): number {
  return 0.5 * f * (p + q) + (1 - f) * q;
}

/** p* = P(S_i = 1 | B_i = 0) = ½f(p + q) + (1 − f)p. */
export function pStar({ f, p, q }: Pick<RapporParams, 'f' | 'p' | 'q'>): number {
  return 0.5 * f * (p + q) + (1 - f) * p;
}

/** ε∞ = 2h·ln((1 − f/2)/(f/2)): the bound over any number of reports (f = 0 gives ∞). */
export function epsilonInfinity({ h, f }: Pick<RapporParams, 'h' | 'f'>): number {
  return 2 * h * Math.log((1 - f / 2) / (f / 2));
}

/** ε₁ = h·ln(q*(1 − p*)/(p*(1 − q*))): the bound for a single report. */
export function epsilonOne(params: Pick<RapporParams, 'h' | 'f' | 'p' | 'q'>): number {
  const qs = qStar(params);
  const ps = pStar(params);
  return params.h * Math.log((qs * (1 - ps)) / (ps * (1 - qs)));
}

const encoder = new TextEncoder();

/**
 * FNV-1a, 32-bit, over bytes. Chosen because it is short, specified (Fowler–Noll–Vo, offset
 * basis 2166136261, prime 16777619) and identical in every JavaScript engine with Math.imul.
 */
export function fnv1a32(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i];
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * MurmurHash3's 32-bit finaliser: FNV's low bits mix poorly, and the bit index is taken modulo a
 * small k, so every input bit is spread over the low bits first.
 */
export function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * The h Bloom bit positions of a value in a cohort: hash_i(c, v) = fmix32(FNV-1a(UTF-8 of
 * "c:i:v")) mod k for i = 0…h−1. Deterministic and public, as the server must recompute it for
 * every candidate. (The paper's implementation uses MD5 of the cohort and value; any fixed hash
 * does the job.) Two of the h positions may coincide, as in any Bloom filter.
 */
export function bloomBits(value: string, cohort: number, k: number, h: number): number[] {
  const bits: number[] = [];
  for (let i = 0; i < h; i++) bits.push(fmix32(fnv1a32(encoder.encode(`${cohort}:${i}:${value}`))) % k);
  return bits;
}

/** The k-bit filter B of a value in a cohort (basic encoding: the one-hot category bit). */
export function encodeValue(value: string, cohort: number, params: Pick<RapporParams, 'k' | 'h'>, encoding: RapporEncoding = { kind: 'bloom' }): Uint8Array {
  const B = new Uint8Array(params.k);
  if (encoding.kind === 'basic') {
    const i = encoding.categories.indexOf(value);
    if (i >= 0 && i < params.k) B[i] = 1;
    return B;
  }
  for (const b of bloomBits(value, cohort, params.k, params.h)) B[b] = 1;
  return B;
}

/** What the permanent step did to bit i (RapporReport.prrPath). */
export const PrrPath = {
  /** Kept B_i (probability 1 − f). */
  Kept: 0,
  /** Replaced by 1 (probability f/2). */
  One: 1,
  /** Replaced by 0 (probability f/2). */
  Zero: 2,
} as const;
export type PrrPath = (typeof PrrPath)[keyof typeof PrrPath];

/** One report, with every intermediate step (the "life of a report"). */
export interface RapporReport {
  value: string;
  cohort: number;
  /** B: the Bloom filter (or one-hot bits). */
  bloom: Uint8Array;
  /** B′: after the permanent randomized response. */
  prr: Uint8Array;
  /** How each bit of B′ came about (PrrPath). */
  prrPath: Uint8Array;
  /** S: the bits actually sent. */
  irr: Uint8Array;
  /** The uniform draw that decided each bit of S (S_i = 1 iff u_i < q or p). */
  irrDraw: Float64Array;
  /** True when B′ came from the memo (this client had reported this value before). */
  memoised: boolean;
  /** 1-based count of reports this client has sent. */
  index: number;
}

/** The permanent step for one filter: B′ and how each bit came about. */
export function permanentResponse(bloom: Uint8Array, f: number, rng: Rng): { prr: Uint8Array; path: Uint8Array } {
  const prr = new Uint8Array(bloom.length);
  const path = new Uint8Array(bloom.length);
  for (let i = 0; i < bloom.length; i++) {
    const u = rng.next();
    if (u < f / 2) {
      prr[i] = 1;
      path[i] = PrrPath.One;
    } else if (u < f) {
      prr[i] = 0;
      path[i] = PrrPath.Zero;
    } else {
      prr[i] = bloom[i];
      path[i] = PrrPath.Kept;
    }
  }
  return { prr, path };
}

/** The instantaneous step: S from B′ with fresh draws. */
export function instantaneousResponse(prr: Uint8Array, p: number, q: number, rng: Rng): { irr: Uint8Array; draw: Float64Array } {
  const irr = new Uint8Array(prr.length);
  const draw = new Float64Array(prr.length);
  for (let i = 0; i < prr.length; i++) {
    const u = rng.next();
    draw[i] = u;
    irr[i] = u < (prr[i] ? q : p) ? 1 : 0;
  }
  return { irr, draw };
}

/**
 * One reporting client. The permanent response of value v is drawn from its own stream
 * (`rappor/prr/<client>/<v>`), so it is the same whenever and however often v is reported; the
 * instantaneous draws come from `rappor/irr/<client>`, fresh for every report.
 */
export class RapporClient {
  private readonly memo = new Map<string, { prr: Uint8Array; path: Uint8Array }>();
  private readonly irrRng: Rng;
  private sent = 0;

  constructor(
    readonly params: RapporParams,
    /** The client's cohort, 0…m−1 (fixed for the client's lifetime). */
    readonly cohort: number,
    readonly seed: number,
    /** Distinguishes clients sharing a seed. */
    readonly clientId = 0,
    readonly encoding: RapporEncoding = { kind: 'bloom' },
  ) {
    this.irrRng = new Rng(seed, `rappor/irr/${clientId}`);
  }

  /** Encodes, randomizes and returns one report of `value` with every intermediate step. */
  report(value: string): RapporReport {
    const bloom = encodeValue(value, this.cohort, this.params, this.encoding);
    let memo = this.memo.get(value);
    const memoised = memo !== undefined;
    if (!memo) {
      memo = permanentResponse(bloom, this.params.f, new Rng(this.seed, `rappor/prr/${this.clientId}/${value}`));
      this.memo.set(value, memo);
    }
    const { irr, draw } = instantaneousResponse(memo.prr, this.params.p, this.params.q, this.irrRng);
    this.sent++;
    return { value, cohort: this.cohort, bloom, prr: memo.prr.slice(), prrPath: memo.path.slice(), irr, irrDraw: draw, memoised, index: this.sent };
  }
}

/**
 * One person's first `count` reports of `value`: their cohort (drawn from `rappor/person/<id>` when
 * there are several) and their client's reports, so that a seed and an id always give the same person.
 */
export function personReports(
  params: RapporParams,
  encoding: RapporEncoding,
  seed: number,
  id: number,
  value: string,
  count: number,
): { cohort: number; reports: RapporReport[] } {
  const cohort = params.cohorts > 1 ? new Rng(seed, `rappor/person/${id}`).int(params.cohorts) : 0;
  const client = new RapporClient(params, cohort, seed, id, encoding);
  return { cohort, reports: Array.from({ length: count }, () => client.report(value)) };
}

/** What the server collects: per cohort, the number of reports and the count of each bit. */
export interface RapporAggregate {
  params: RapporParams;
  /** N_j: reports in cohort j. */
  reports: Int32Array;
  /** c_ji at [j·k + i]: reports in cohort j with bit i set. */
  bitCounts: Int32Array;
  /** The truth the simulation used: trueCounts[v] clients held candidate v. */
  trueCounts: number[];
  /** The candidate values, in the order of trueCounts. */
  values: string[];
}

/** Settings of a simulated population. */
export interface PopulationOptions {
  params: RapporParams;
  encoding?: RapporEncoding;
  /** The candidate values. */
  values: string[];
  /** trueCounts[v] clients hold values[v]. */
  trueCounts: number[];
  seed: number;
}

/**
 * A population in which trueCounts[v] clients hold values[v], each sending one report, simulated
 * a slice at a time so that a page can stay responsive (`advance`). Cohorts are assigned
 * uniformly at random ('rappor/cohorts'); the permanent and instantaneous draws come from
 * 'rappor/prr' and 'rappor/irr' in client order, so the result does not depend on the slicing.
 * (With one report per client the memo of RapporClient would never be hit, so it is skipped here
 * for speed.) Clients are processed in a shuffled order so that cohorts and values are not
 * correlated with position.
 */
export class PopulationSimulation {
  /** Number of clients (= reports). */
  readonly total: number;
  /** Clients simulated so far. */
  done = 0;
  private readonly who: Int32Array;
  private readonly cohortRng: Rng;
  private readonly prrRng: Rng;
  private readonly irrRng: Rng;
  private readonly encoding: RapporEncoding;
  /** Bloom filters depend only on (value, cohort): each is computed once. */
  private readonly filters = new Map<number, Uint8Array>();
  private readonly reports: Int32Array;
  private readonly bitCounts: Int32Array;

  constructor(private readonly opts: PopulationOptions) {
    const { params, trueCounts, seed } = opts;
    this.encoding = opts.encoding ?? { kind: 'bloom' };
    const root = new Rng(seed, 'rappor');
    this.cohortRng = root.stream('rappor/cohorts');
    this.prrRng = root.stream('rappor/prr');
    this.irrRng = root.stream('rappor/irr');
    this.total = trueCounts.reduce((a, b) => a + Math.max(0, Math.floor(b)), 0);
    this.who = new Int32Array(this.total);
    let at = 0;
    trueCounts.forEach((c, v) => {
      for (let i = 0; i < Math.max(0, Math.floor(c)); i++) this.who[at++] = v;
    });
    root.stream('rappor/order').shuffle(this.who);
    this.reports = new Int32Array(params.cohorts);
    this.bitCounts = new Int32Array(params.cohorts * params.k);
  }

  private filterOf(v: number, j: number): Uint8Array {
    const key = v * this.opts.params.cohorts + j;
    let B = this.filters.get(key);
    if (!B) {
      B = encodeValue(this.opts.values[v], j, this.opts.params, this.encoding);
      this.filters.set(key, B);
    }
    return B;
  }

  /** Simulates up to `count` more clients; true when every client has reported. */
  advance(count: number): boolean {
    const { k, cohorts, f, p, q } = this.opts.params;
    const end = Math.min(this.total, this.done + Math.max(0, count));
    for (let n = this.done; n < end; n++) {
      const j = cohorts > 1 ? this.cohortRng.int(cohorts) : 0;
      const B = this.filterOf(this.who[n], j);
      this.reports[j]++;
      const base = j * k;
      for (let i = 0; i < k; i++) {
        const u = this.prrRng.next();
        const b = u < f / 2 ? 1 : u < f ? 0 : B[i];
        if (this.irrRng.next() < (b ? q : p)) this.bitCounts[base + i]++;
      }
    }
    this.done = end;
    return this.done >= this.total;
  }

  /** What the server has collected so far. */
  aggregate(): RapporAggregate {
    return {
      params: this.opts.params,
      reports: this.reports.slice(),
      bitCounts: this.bitCounts.slice(),
      trueCounts: this.opts.trueCounts.map((c) => Math.max(0, Math.floor(c))),
      values: [...this.opts.values],
    };
  }
}

/** The whole population at once (see PopulationSimulation). */
export function simulatePopulation(opts: PopulationOptions): RapporAggregate {
  const sim = new PopulationSimulation(opts);
  sim.advance(Infinity);
  return sim.aggregate();
}

/** t̂_ji = (c_ji − p*·N_j)/((1 − f)(q − p)) for every cohort j and bit i, laid out like bitCounts. */
export function estimateBitCounts(params: RapporParams, reports: ArrayLike<number>, bitCounts: ArrayLike<number>): Float64Array {
  const { k, cohorts, f, p, q } = params;
  const ps = pStar(params);
  const scale = (1 - f) * (q - p);
  const t = new Float64Array(cohorts * k);
  for (let j = 0; j < cohorts; j++) for (let i = 0; i < k; i++) t[j * k + i] = (bitCounts[j * k + i] - ps * reports[j]) / scale;
  return t;
}

/** The decoded frequency of one candidate. */
export interface RapporEstimate {
  value: string;
  /** Estimated number of clients holding the value (can be negative for absent values). */
  count: number;
  /** Standard error of `count`. */
  stdError: number;
  /** count / total reports. */
  share: number;
  /** Passes the paper's test: one-sided p-value below 0.05 / (number of candidates). */
  detected: boolean;
}

/** Decoded frequencies with the quantities behind them. */
export interface RapporDecoding {
  estimates: RapporEstimate[];
  /** t̂ per (cohort, bit). */
  bitEstimates: Float64Array;
  /** Total number of reports. */
  total: number;
  /** True when two candidates could not be told apart (identical Bloom patterns everywhere). */
  ambiguous: boolean;
}

/**
 * Estimates how many clients hold each candidate value.
 *
 * Bloom encoding: least squares of the t̂ of all k·m (cohort, bit) pairs on the candidates' Bloom
 * patterns, X[(j,i), v] = B_i(v, j). The coefficient β_v estimates the reports of v per cohort;
 * with cohorts assigned uniformly the total is m·β_v. Basic encoding: count_i = t̂_i directly,
 * with Var(c_i) = t·q*(1 − q*) + (N − t)·p*(1 − p*) for its standard error.
 */
export function decodeFrequencies(aggregate: Pick<RapporAggregate, 'params' | 'reports' | 'bitCounts'>, candidates: string[], encoding: RapporEncoding = { kind: 'bloom' }, alpha = 0.05): RapporDecoding {
  const { params, reports, bitCounts } = aggregate;
  const { k, cohorts } = params;
  const t = estimateBitCounts(params, reports, bitCounts);
  let total = 0;
  for (let j = 0; j < cohorts; j++) total += reports[j];
  const M = candidates.length;
  const pValueOk = (z: number) => 0.5 * erfc(z / Math.SQRT2) < alpha / Math.max(M, 1);

  if (encoding.kind === 'basic') {
    const qs = qStar(params);
    const ps = pStar(params);
    const scale = (1 - params.f) * (params.q - params.p);
    const estimates = candidates.map((value) => {
      const i = encoding.categories.indexOf(value);
      const count = i >= 0 ? t[i] : 0;
      const tc = Math.min(total, Math.max(0, count));
      const se = Math.sqrt(tc * qs * (1 - qs) + (total - tc) * ps * (1 - ps)) / scale;
      return { value, count, stdError: se, share: total ? count / total : 0, detected: se > 0 ? pValueOk(count / se) : count > 0 };
    });
    return { estimates, bitEstimates: t, total, ambiguous: false };
  }

  const X: Float64Array[] = [];
  const patterns = candidates.map((v) => Array.from({ length: cohorts }, (_, j) => encodeValue(v, j, params)));
  for (let j = 0; j < cohorts; j++) {
    for (let i = 0; i < k; i++) {
      const row = new Float64Array(M);
      for (let v = 0; v < M; v++) row[v] = patterns[v][j][i];
      X.push(row);
    }
  }
  const fit = leastSquares(X, t);
  const estimates = candidates.map((value, v) => {
    const count = cohorts * fit.beta[v];
    const se = cohorts * fit.stdError[v];
    return { value, count, stdError: se, share: total ? count / total : 0, detected: se > 0 ? pValueOk(count / se) : count > 0 };
  });
  return { estimates, bitEstimates: t, total, ambiguous: fit.ridged };
}

/** One candidate's decoded count next to its true count, with a confidence interval. */
export interface ScoredEstimate {
  value: string;
  truth: number;
  estimate: number;
  /** The estimate's standard error (RapporEstimate.stdError). */
  stdError: number;
  lower: number;
  upper: number;
  detected: boolean;
}

/** A decoding held against the truth (what a simulation knows and a real server does not). */
export interface DecodingScore {
  rows: ScoredEstimate[];
  /** Values someone holds that the test detected. */
  found: number;
  /** Values nobody holds that the test detected anyway. */
  falsePositives: number;
  /** Mean |estimate − truth| over the candidates. */
  meanAbsError: number;
}

/** Scores `decoding` against `trueCounts` (by candidate), with intervals at confidence `level`. */
export function scoreDecoding(decoding: Pick<RapporDecoding, 'estimates'>, trueCounts: readonly number[], level = 0.95): DecodingScore {
  const z = zForConfidence(level);
  const rows = decoding.estimates.map((e, i) => ({
    value: e.value,
    truth: trueCounts[i],
    estimate: e.count,
    stdError: e.stdError,
    lower: e.count - z * e.stdError,
    upper: e.count + z * e.stdError,
    detected: e.detected,
  }));
  return {
    rows,
    found: rows.filter((r) => r.truth > 0 && r.detected).length,
    falsePositives: rows.filter((r) => r.truth === 0 && r.detected).length,
    meanAbsError: rows.reduce((a, r) => a + Math.abs(r.estimate - r.truth), 0) / Math.max(1, rows.length),
  };
}

/** A simulated population's aggregate decoded over its own candidates, and scored against the truth it was simulated from. */
export function decodeSimulated(aggregate: RapporAggregate, encoding?: RapporEncoding): { decoding: RapporDecoding; score: DecodingScore } {
  const decoding = decodeFrequencies(aggregate, aggregate.values, encoding);
  return { decoding, score: scoreDecoding(decoding, aggregate.trueCounts) };
}

/**
 * Counts that fall off like a Zipf law, count_r ∝ 1/r^s, summing to `total`: a realistic shape
 * for "which home page do people use" (a few very common values, a long tail).
 */
export function zipfCounts(total: number, values: number, s = 1): number[] {
  const w = Array.from({ length: values }, (_, r) => 1 / Math.pow(r + 1, s));
  const sum = w.reduce((a, b) => a + b, 0);
  const raw = w.map((x) => (x / sum) * total);
  const out = raw.map(Math.floor);
  // Largest remainders get the leftover units, so the counts sum to total exactly.
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let r = 0; left > 0; r = (r + 1) % values, left--) out[order[r][1]]++;
  return out;
}
