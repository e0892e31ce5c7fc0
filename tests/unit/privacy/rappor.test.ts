import { describe, expect, test } from 'vitest';
import {
  PrrPath,
  RAPPOR_DEFAULTS,
  RapporClient,
  bloomBits,
  decodeFrequencies,
  decodeSimulated,
  encodeValue,
  epsilonInfinity,
  epsilonOne,
  estimateBitCounts,
  fmix32,
  fnv1a32,
  instantaneousResponse,
  pStar,
  permanentResponse,
  personReports,
  qStar,
  rapporSetup,
  scoreDecoding,
  simulatePopulation,
  validateRappor,
  zipfCounts,
  type RapporParams,
} from '~/engine/privacy';
import { Rng } from '~/engine/rng';

describe('privacy budget', () => {
  test('reference defaults: ε∞ = 4 ln 3 ≈ 4.394', () => {
    expect(epsilonInfinity(RAPPOR_DEFAULTS)).toBeCloseTo(4 * Math.log(3), 12);
    expect(epsilonInfinity(RAPPOR_DEFAULTS)).toBeCloseTo(4.394, 3);
  });

  test('q* and p* by hand, and ε₁ ≈ 1.0743 (the paper’s value for these settings)', () => {
    // q* = ½·0.5·1.25 + 0.5·0.75 = 0.6875; p* = 0.3125 + 0.5·0.5 = 0.5625.
    expect(qStar(RAPPOR_DEFAULTS)).toBeCloseTo(0.6875, 12);
    expect(pStar(RAPPOR_DEFAULTS)).toBeCloseTo(0.5625, 12);
    expect(epsilonOne(RAPPOR_DEFAULTS)).toBeCloseTo(2 * Math.log((0.6875 * 0.4375) / (0.5625 * 0.3125)), 12);
    expect(epsilonOne(RAPPOR_DEFAULTS)).toBeCloseTo(1.0743, 4);
  });

  test('ε∞ scales with h; f = 0.5 and h = 1 gives 2 ln 3', () => {
    expect(epsilonInfinity({ h: 1, f: 0.5 })).toBeCloseTo(2 * Math.log(3), 12);
    expect(epsilonInfinity({ h: 4, f: 0.25 })).toBeCloseTo(8 * Math.log(7), 12);
  });

  test('with f = 0 and p = 0, q = 1 nothing is hidden', () => {
    expect(epsilonInfinity({ h: 1, f: 0 })).toBe(Infinity);
    expect(epsilonOne({ h: 1, f: 0, p: 0, q: 1 })).toBe(Infinity);
  });
});

describe('hashing', () => {
  test('FNV-1a test vectors and the murmur finaliser', () => {
    expect(fnv1a32(new Uint8Array())).toBe(0x811c9dc5);
    expect(fnv1a32(new TextEncoder().encode('a'))).toBe(0xe40c292c);
    expect(fnv1a32(new TextEncoder().encode('foobar'))).toBe(0xbf9cf968);
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
  });

  test('bits are deterministic, in range and depend on the cohort', () => {
    const a = bloomBits('google.com', 3, 16, 2);
    expect(bloomBits('google.com', 3, 16, 2)).toEqual(a);
    expect(a).toHaveLength(2);
    for (const b of a) expect(b >= 0 && b < 16).toBe(true);
    const perCohort = new Set(Array.from({ length: 64 }, (_, c) => bloomBits('google.com', c, 16, 2).join(',')));
    expect(perCohort.size).toBeGreaterThan(30);
  });

  test('bit positions are spread evenly over k', () => {
    const hist = new Array(16).fill(0);
    for (let v = 0; v < 4000; v++) for (const b of bloomBits(`value-${v}`, v % 64, 16, 1)) hist[b]++;
    for (const c of hist) expect(Math.abs(c - 250)).toBeLessThan(4 * Math.sqrt(250));
  });

  test('basic encoding is one-hot', () => {
    const cats = ['a', 'b', 'c'];
    expect(Array.from(encodeValue('b', 0, { k: 3, h: 1 }, { kind: 'basic', categories: cats }))).toEqual([0, 1, 0]);
  });
});

describe('client', () => {
  test('the permanent response is memoised per value, the instantaneous one is fresh', () => {
    const c = new RapporClient(RAPPOR_DEFAULTS, 5, 99, 1);
    const r1 = c.report('naver.com');
    const r2 = c.report('naver.com');
    const r3 = c.report('daum.net');
    expect(r1.memoised).toBe(false);
    expect(r2.memoised).toBe(true);
    expect(Array.from(r2.prr)).toEqual(Array.from(r1.prr));
    expect(Array.from(r3.prr)).not.toEqual(Array.from(r1.prr));
    expect(r2.index).toBe(2);
    // Sixteen fresh bits agreeing by chance twice in a row is unlikely; the seed makes it certain.
    expect(Array.from(r2.irr)).not.toEqual(Array.from(r1.irr));
  });

  test('the memo does not depend on the order of reports', () => {
    const a = new RapporClient(RAPPOR_DEFAULTS, 0, 7, 2);
    const b = new RapporClient(RAPPOR_DEFAULTS, 0, 7, 2);
    a.report('x');
    const fromA = a.report('y').prr;
    const fromB = b.report('y').prr;
    expect(Array.from(fromA)).toEqual(Array.from(fromB));
  });

  test('every step of a report is consistent with the previous one', () => {
    const c = new RapporClient({ ...RAPPOR_DEFAULTS, k: 32 }, 1, 3, 0);
    for (const v of ['a', 'b', 'c', 'a']) {
      const r = c.report(v);
      expect(Array.from(r.bloom)).toEqual(Array.from(encodeValue(v, 1, { k: 32, h: 2 })));
      for (let i = 0; i < 32; i++) {
        if (r.prrPath[i] === PrrPath.Kept) expect(r.prr[i]).toBe(r.bloom[i]);
        if (r.prrPath[i] === PrrPath.One) expect(r.prr[i]).toBe(1);
        if (r.prrPath[i] === PrrPath.Zero) expect(r.prr[i]).toBe(0);
        expect(r.irr[i]).toBe(r.irrDraw[i] < (r.prr[i] ? 0.75 : 0.5) ? 1 : 0);
      }
    }
  });

  test('the two steps have the probabilities the paper states', () => {
    const rng = new Rng(1, 'test');
    const n = 40000;
    const ones = new Uint8Array(n).fill(1);
    const zeros = new Uint8Array(n);
    const mean = (a: Uint8Array) => a.reduce((s, x) => s + x, 0) / a.length;
    const f = 0.5;
    // P(B′ = 1 | B = 1) = 1 − f/2; P(B′ = 1 | B = 0) = f/2.
    const tol = (p: number) => 4 * Math.sqrt((p * (1 - p)) / n);
    expect(Math.abs(mean(permanentResponse(ones, f, rng).prr) - 0.75)).toBeLessThan(tol(0.75));
    expect(Math.abs(mean(permanentResponse(zeros, f, rng).prr) - 0.25)).toBeLessThan(tol(0.25));
    expect(Math.abs(mean(instantaneousResponse(ones, 0.5, 0.75, rng).irr) - 0.75)).toBeLessThan(tol(0.75));
    expect(Math.abs(mean(instantaneousResponse(zeros, 0.5, 0.75, rng).irr) - 0.5)).toBeLessThan(tol(0.5));
    // Both steps together: q* and p*.
    const both = (B: Uint8Array) => mean(instantaneousResponse(permanentResponse(B, f, rng).prr, 0.5, 0.75, rng).irr);
    expect(Math.abs(both(ones) - 0.6875)).toBeLessThan(tol(0.6875));
    expect(Math.abs(both(zeros) - 0.5625)).toBeLessThan(tol(0.5625));
  });
});

describe('one person', () => {
  test('a seed and an id give the same person: a cohort in range and reports of one permanent response', () => {
    const params: RapporParams = { ...RAPPOR_DEFAULTS, cohorts: 8 };
    const a = personReports(params, { kind: 'bloom' }, 11, 3, 'x.example', 4);
    expect(a.cohort).toBeGreaterThanOrEqual(0);
    expect(a.cohort).toBeLessThan(8);
    expect(a.reports).toHaveLength(4);
    expect(a.reports.map((r) => r.index)).toEqual([1, 2, 3, 4]);
    for (const r of a.reports) {
      expect(r.cohort).toBe(a.cohort);
      expect(Array.from(r.prr)).toEqual(Array.from(a.reports[0].prr));
    }
    // The same person again: the same cohort and bits; their first reports do not depend on how many follow.
    const again = personReports(params, { kind: 'bloom' }, 11, 3, 'x.example', 2);
    expect(again.cohort).toBe(a.cohort);
    expect(again.reports.map((r) => Array.from(r.irr))).toEqual(a.reports.slice(0, 2).map((r) => Array.from(r.irr)));
    // One cohort: everybody is in cohort 0.
    expect(personReports({ ...params, cohorts: 1 }, { kind: 'bloom' }, 11, 3, 'x.example', 1).cohort).toBe(0);
  });
});

describe('decoding', () => {
  test('t̂ by hand', () => {
    const params: RapporParams = { ...RAPPOR_DEFAULTS, k: 2, cohorts: 1 };
    // c = 600 of N = 1000: (600 − 0.5625·1000)/(0.5·0.25) = 300.
    const t = estimateBitCounts(params, [1000], [600, 5625 / 10]);
    expect(t[0]).toBeCloseTo(300, 9);
    expect(t[1]).toBeCloseTo(0, 9);
  });

  test('per-bit estimates are unbiased over 300 seeds', () => {
    const params: RapporParams = { k: 8, h: 1, cohorts: 1, p: 0.5, q: 0.75, f: 0.5 };
    // 500 reports, bit i truly set in t_i = 60·i of them.
    const N = 500;
    const truth = Array.from({ length: 8 }, (_, i) => Math.min(N, 60 * i));
    const runs = 300;
    const sums = new Float64Array(8);
    for (let r = 0; r < runs; r++) {
      const rng = new Rng(2000 + r, 'bits');
      const counts = new Int32Array(8);
      for (let n = 0; n < N; n++) {
        const B = new Uint8Array(8);
        for (let i = 0; i < 8; i++) B[i] = n < truth[i] ? 1 : 0;
        const S = instantaneousResponse(permanentResponse(B, params.f, rng).prr, params.p, params.q, rng).irr;
        for (let i = 0; i < 8; i++) counts[i] += S[i];
      }
      const t = estimateBitCounts(params, [N], counts);
      for (let i = 0; i < 8; i++) sums[i] += t[i];
    }
    const qs = qStar(params);
    const ps = pStar(params);
    for (let i = 0; i < 8; i++) {
      const sd = Math.sqrt(truth[i] * qs * (1 - qs) + (N - truth[i]) * ps * (1 - ps)) / ((1 - params.f) * (params.q - params.p));
      expect(Math.abs(sums[i] / runs - truth[i])).toBeLessThan((4 * sd) / Math.sqrt(runs));
    }
  });

  test('a Zipf population is decoded within its standard errors; absent values stay undetected', () => {
    const values = Array.from({ length: 20 }, (_, i) => `site-${i}.example`);
    const trueCounts = [...zipfCounts(200000, 8, 1), ...new Array(12).fill(0)];
    const agg = simulatePopulation({ params: RAPPOR_DEFAULTS, values, trueCounts, seed: 17 });
    expect(agg.reports.reduce((a, b) => a + b, 0)).toBe(200000);
    const dec = decodeFrequencies(agg, values);
    expect(dec.total).toBe(200000);
    let within = 0;
    for (let v = 0; v < values.length; v++) {
      const e = dec.estimates[v];
      if (Math.abs(e.count - trueCounts[v]) < 3 * e.stdError) within++;
      if (trueCounts[v] === 0) expect(e.detected).toBe(false);
    }
    expect(within).toBeGreaterThanOrEqual(19);
    // The most common values are clearly found.
    for (let v = 0; v < 4; v++) expect(dec.estimates[v].detected).toBe(true);
  });

  test('decoded counts are unbiased across seeds', () => {
    const values = ['a', 'b', 'c', 'd', 'e', 'f'];
    const trueCounts = [6000, 3000, 1000, 0, 0, 0];
    const params: RapporParams = { ...RAPPOR_DEFAULTS, cohorts: 8 };
    const runs = 40;
    const sums = new Float64Array(values.length);
    let se = new Float64Array(values.length);
    for (let r = 0; r < runs; r++) {
      const dec = decodeFrequencies(simulatePopulation({ params, values, trueCounts, seed: 500 + r }), values);
      dec.estimates.forEach((e, v) => (sums[v] += e.count));
      se = Float64Array.from(dec.estimates, (e) => e.stdError);
    }
    for (let v = 0; v < values.length; v++) expect(Math.abs(sums[v] / runs - trueCounts[v])).toBeLessThan((4 * se[v]) / Math.sqrt(runs));
  });

  test('basic RAPPOR decodes directly, one bit per category', () => {
    const categories = ['봄', '여름', '가을', '겨울'];
    const encoding = { kind: 'basic' as const, categories };
    const params: RapporParams = { k: 4, h: 1, cohorts: 1, p: 0.5, q: 0.75, f: 0.5 };
    expect(validateRappor(params, encoding)).toEqual([]);
    const trueCounts = [4000, 3000, 2000, 1000];
    const agg = simulatePopulation({ params, encoding, values: categories, trueCounts, seed: 8 });
    const dec = decodeFrequencies(agg, categories, encoding);
    dec.estimates.forEach((e, i) => {
      expect(e.count).toBeCloseTo(dec.bitEstimates[i], 9);
      expect(Math.abs(e.count - trueCounts[i])).toBeLessThan(4 * e.stdError);
    });
  });

  test('a simulated population decoded over its own candidates and scored against its own truth', () => {
    const values = ['a', 'b', 'c', 'd'];
    const trueCounts = [3000, 1000, 0, 0];
    const agg = simulatePopulation({ params: { ...RAPPOR_DEFAULTS, cohorts: 8 }, values, trueCounts, seed: 21 });
    const { decoding, score } = decodeSimulated(agg);
    expect(decoding).toEqual(decodeFrequencies(agg, values));
    expect(score).toEqual(scoreDecoding(decoding, trueCounts));
    expect(score.rows.map((r) => r.truth)).toEqual(trueCounts);
  });

  test('simulation is deterministic under a seed', () => {
    const values = ['x', 'y'];
    const a = simulatePopulation({ params: RAPPOR_DEFAULTS, values, trueCounts: [300, 100], seed: 4 });
    const b = simulatePopulation({ params: RAPPOR_DEFAULTS, values, trueCounts: [300, 100], seed: 4 });
    const c = simulatePopulation({ params: RAPPOR_DEFAULTS, values, trueCounts: [300, 100], seed: 5 });
    expect(Array.from(a.bitCounts)).toEqual(Array.from(b.bitCounts));
    expect(Array.from(a.bitCounts)).not.toEqual(Array.from(c.bitCounts));
  });
});

describe('validation and helpers', () => {
  test('rejects what the formulas cannot use', () => {
    expect(validateRappor(RAPPOR_DEFAULTS)).toEqual([]);
    expect(validateRappor({ ...RAPPOR_DEFAULTS, q: 0.4 }).map((p) => p.field)).toContain('q');
    expect(validateRappor({ ...RAPPOR_DEFAULTS, f: 1 }).map((p) => p.field)).toContain('f');
    expect(validateRappor({ ...RAPPOR_DEFAULTS, h: 0 }).map((p) => p.field)).toContain('h');
    expect(validateRappor({ ...RAPPOR_DEFAULTS, k: 2.5 }).map((p) => p.field)).toContain('k');
    expect(validateRappor(RAPPOR_DEFAULTS, { kind: 'basic', categories: ['a', 'b'] }).length).toBeGreaterThan(0);
    for (const p of validateRappor({ ...RAPPOR_DEFAULTS, f: 2, q: 0.1 })) expect(p.ko).toMatch(/[가-힣]/);
  });

  test('settings to parameters: basic RAPPOR fixes k, h and m, the Bloom filter takes them', () => {
    const settings = { encoding: 'bloom' as const, k: 32, h: 3, m: 8, f: 0.25, p: 0.5, q: 0.75 };
    expect(rapporSetup(settings, ['a', 'b', 'c'])).toEqual({ params: { k: 32, h: 3, cohorts: 8, f: 0.25, p: 0.5, q: 0.75 }, encoding: { kind: 'bloom' } });
    const basic = rapporSetup({ ...settings, encoding: 'basic' }, ['a', 'b', 'c']);
    expect(basic).toEqual({ params: { k: 3, h: 1, cohorts: 1, f: 0.25, p: 0.5, q: 0.75 }, encoding: { kind: 'basic', categories: ['a', 'b', 'c'] } });
    expect(validateRappor(basic.params, basic.encoding)).toEqual([]);
  });

  test('a decoding scored against the truth: 95% intervals, found, false positives, mean error', () => {
    const estimates = [
      { value: 'a', count: 520, stdError: 10, share: 0.52, detected: true },
      { value: 'b', count: 10, stdError: 10, share: 0.01, detected: false },
      { value: 'c', count: 40, stdError: 10, share: 0.04, detected: true },
    ];
    const s = scoreDecoding({ estimates }, [500, 30, 0]);
    expect(s.rows[0]).toMatchObject({ value: 'a', truth: 500, estimate: 520, stdError: 10, detected: true });
    expect(s.rows[0].lower).toBeCloseTo(520 - 19.59964, 4);
    expect(s.rows[0].upper).toBeCloseTo(520 + 19.59964, 4);
    expect(s.found).toBe(1);
    expect(s.falsePositives).toBe(1);
    expect(s.meanAbsError).toBeCloseTo((20 + 20 + 40) / 3, 12);
    expect(scoreDecoding({ estimates }, [500, 30, 0], 0.9).rows[0].upper).toBeCloseTo(520 + 16.44854, 4);
  });

  test('Zipf counts sum to the total and fall off', () => {
    const c = zipfCounts(1001, 7, 1);
    expect(c.reduce((a, b) => a + b, 0)).toBe(1001);
    for (let i = 1; i < c.length; i++) expect(c[i]).toBeLessThanOrEqual(c[i - 1]);
  });
});

describe('sliced simulation', () => {
  test('simulating in slices gives exactly the same aggregate', async () => {
    const { PopulationSimulation } = await import('~/engine/privacy');
    const opts = { params: RAPPOR_DEFAULTS, values: ['a', 'b', 'c'], trueCounts: [500, 300, 200], seed: 12 };
    const sim = new PopulationSimulation(opts);
    let steps = 0;
    while (!sim.advance(77)) steps++;
    expect(steps).toBe(12);
    const whole = simulatePopulation(opts);
    expect(Array.from(sim.aggregate().bitCounts)).toEqual(Array.from(whole.bitCounts));
    expect(Array.from(sim.aggregate().reports)).toEqual(Array.from(whole.reports));
  });
});
