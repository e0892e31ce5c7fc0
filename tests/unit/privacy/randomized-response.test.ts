import { describe, expect, test } from 'vitest';
import {
  RrPath,
  epsilonFromF,
  epsilonFromPi,
  errorVsEpsilon,
  fFromEpsilon,
  normalQuantile,
  piFromEpsilon,
  rrEpsilon,
  rrEstimate,
  rrEstimateCoin,
  simulateSurvey,
  surveyCounts,
  zForConfidence,
} from '~/engine/privacy';

describe('privacy budget ε', () => {
  test('coin form: f = 0.5 spends ln 3', () => {
    expect(epsilonFromF(0.5)).toBeCloseTo(Math.log(3), 12);
    // f = 0.25: ln(0.875 / 0.125) = ln 7.
    expect(epsilonFromF(0.25)).toBeCloseTo(Math.log(7), 12);
    expect(epsilonFromF(1)).toBe(0);
    expect(epsilonFromF(0)).toBe(Infinity);
  });

  test('π form: π = 0.75 spends ln 3, π = ½ spends nothing', () => {
    expect(epsilonFromPi(0.75)).toBeCloseTo(Math.log(3), 12);
    expect(epsilonFromPi(0.9)).toBeCloseTo(Math.log(9), 12);
    expect(epsilonFromPi(0.5)).toBe(0);
  });

  test('the inverses give back the parameters, and the forms agree at π = 1 − f/2', () => {
    for (const eps of [0.1, 0.5, 1, Math.log(3), 2, 5]) {
      expect(epsilonFromPi(piFromEpsilon(eps))).toBeCloseTo(eps, 10);
      expect(epsilonFromF(fFromEpsilon(eps))).toBeCloseTo(eps, 10);
      expect(piFromEpsilon(eps)).toBeCloseTo(1 - fFromEpsilon(eps) / 2, 12);
    }
    expect(rrEpsilon({ form: 'coin', f: 0.3 })).toBeCloseTo(rrEpsilon({ form: 'pi', pi: 0.85 }), 12);
  });
});

describe('unbiased estimator', () => {
  test('hand-computed: 389 yes of 1000 with f = 0.5', () => {
    const e = rrEstimateCoin(389, 1000, 0.5);
    // φ̂ = (0.389 − 0.25) / 0.5; SE = √(0.389·0.611/1000) / 0.5.
    expect(e.naive).toBeCloseTo(0.389, 12);
    expect(e.estimate).toBeCloseTo(0.278, 12);
    expect(e.stdError).toBeCloseTo(0.03083368288090153, 12);
    expect(e.lower).toBeCloseTo(0.278 - 1.959964 * 0.0308336829, 5);
    expect(e.upper).toBeCloseTo(0.278 + 1.959964 * 0.0308336829, 5);
  });

  test('the coin estimator is the π estimator at π = 1 − f/2', () => {
    expect(rrEstimateCoin(123, 400, 0.4)).toEqual(rrEstimate(123, 400, 0.8));
  });

  test('π form: (λ̂ − (1 − π)) / (2π − 1)', () => {
    expect(rrEstimate(70, 100, 0.9).estimate).toBeCloseTo((0.7 - 0.1) / 0.8, 12);
  });

  test('normal quantiles', () => {
    expect(zForConfidence(0.95)).toBeCloseTo(1.959963984540054, 9);
    expect(zForConfidence(0.99)).toBeCloseTo(2.5758293035489, 9);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326347874040841, 9);
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424308822899, 7);
  });
});

describe('simulated surveys', () => {
  test('exactly round(n·rate) people have the trait', () => {
    const s = simulateSurvey({ n: 333, rate: 0.3, mechanism: { form: 'pi', pi: 0.8 }, seed: 7 });
    expect(s.trueYes).toBe(100);
    expect(s.truth.reduce((a, b) => a + b, 0)).toBe(100);
    expect(s.answer.reduce((a, b) => a + b, 0)).toBe(s.yes);
  });

  test('the (truth, answer) counts add up to the trait and the "yes" answers', () => {
    const s = simulateSurvey({ n: 333, rate: 0.3, mechanism: { form: 'coin', f: 0.5 }, seed: 7 });
    const c = surveyCounts(s);
    expect(c[1][0] + c[1][1]).toBe(s.trueYes);
    expect(c[0][1] + c[1][1]).toBe(s.yes);
    expect(c[0][0] + c[0][1] + c[1][0] + c[1][1]).toBe(s.n);
    expect(surveyCounts({ n: 4, truth: Uint8Array.of(0, 0, 1, 1), answer: Uint8Array.of(0, 1, 1, 1) })).toEqual([
      [1, 1],
      [0, 2],
    ]);
  });

  test('deterministic under a seed, different under another', () => {
    const a = simulateSurvey({ n: 500, rate: 0.4, mechanism: { form: 'coin', f: 0.5 }, seed: 11 });
    const b = simulateSurvey({ n: 500, rate: 0.4, mechanism: { form: 'coin', f: 0.5 }, seed: 11 });
    const c = simulateSurvey({ n: 500, rate: 0.4, mechanism: { form: 'coin', f: 0.5 }, seed: 12 });
    expect(Array.from(a.answer)).toEqual(Array.from(b.answer));
    expect(Array.from(a.path)).toEqual(Array.from(b.path));
    expect(Array.from(a.answer)).not.toEqual(Array.from(c.answer));
  });

  test('changing the coin keeps the population', () => {
    const a = simulateSurvey({ n: 200, rate: 0.25, mechanism: { form: 'coin', f: 0.5 }, seed: 3 });
    const b = simulateSurvey({ n: 200, rate: 0.25, mechanism: { form: 'coin', f: 0.2 }, seed: 3 });
    expect(Array.from(a.truth)).toEqual(Array.from(b.truth));
  });

  test('paths agree with the answers', () => {
    const s = simulateSurvey({ n: 2000, rate: 0.5, mechanism: { form: 'coin', f: 0.6 }, seed: 5 });
    for (let i = 0; i < s.n; i++) {
      if (s.path[i] === RrPath.Truth) expect(s.answer[i]).toBe(s.truth[i]);
      if (s.path[i] === RrPath.CoinYes) expect(s.answer[i]).toBe(1);
      if (s.path[i] === RrPath.CoinNo) expect(s.answer[i]).toBe(0);
    }
    const coin = Array.from(s.path).filter((p) => p !== RrPath.Truth).length / s.n;
    expect(Math.abs(coin - 0.6)).toBeLessThan(4 * Math.sqrt((0.6 * 0.4) / s.n));
    const p = simulateSurvey({ n: 2000, rate: 0.5, mechanism: { form: 'pi', pi: 0.7 }, seed: 5 });
    for (let i = 0; i < p.n; i++) expect(p.answer[i]).toBe(p.path[i] === RrPath.Truth ? p.truth[i] : 1 - p.truth[i]);
  });

  test.each([
    ['pi', { form: 'pi' as const, pi: 0.7 }],
    ['coin', { form: 'coin' as const, f: 0.5 }],
  ])('unbiased over 600 seeds (%s form), while the naive rate is biased', (_, mechanism) => {
    const runs = 600;
    const n = 400;
    const rate = 0.15;
    let sum = 0;
    let naive = 0;
    let sd = 0;
    let covered = 0;
    for (let r = 0; r < runs; r++) {
      const s = simulateSurvey({ n, rate, mechanism, seed: 1000 + r });
      sum += s.estimate.estimate;
      naive += s.estimate.naive;
      sd = s.estimate.stdError;
      if (s.estimate.lower <= s.trueRate && s.trueRate <= s.estimate.upper) covered++;
    }
    const mean = sum / runs;
    // Standard error of the mean of φ̂ over independent runs; 4 of them is a generous bound.
    expect(Math.abs(mean - rate)).toBeLessThan((4 * sd) / Math.sqrt(runs));
    // λ = φπ + (1 − φ)(1 − π) is far from φ at these settings.
    expect(Math.abs(naive / runs - rate)).toBeGreaterThan(0.1);
    // The 95% interval covers the truth about 95% of the time.
    expect(covered / runs).toBeGreaterThan(0.92);
    expect(covered / runs).toBeLessThan(0.98);
  });

  test('error shrinks as ε grows and follows the theoretical standard deviation', () => {
    const pts = errorVsEpsilon({ n: 1000, rate: 0.3, epsilons: [0.25, 0.5, 1, 2, 4], runs: 150, seed: 42 });
    for (let i = 1; i < pts.length; i++) expect(pts[i].rmse).toBeLessThan(pts[i - 1].rmse);
    for (const p of pts) {
      expect(p.estimates).toHaveLength(150);
      // The population is the same in every run (300 of 1000 people), so φ = 0.3 exactly.
      p.errors.forEach((e, r) => expect(e).toBeCloseTo(Math.abs(p.estimates[r] - 0.3), 12));
      expect(p.errors.reduce((a, b) => a + b, 0) / 150).toBeCloseTo(p.meanAbsError, 12);
      expect(p.rmse / p.theoreticalSd).toBeGreaterThan(0.8);
      expect(p.rmse / p.theoreticalSd).toBeLessThan(1.2);
      expect(Math.abs(p.meanEstimate - 0.3)).toBeLessThan((4 * p.theoreticalSd) / Math.sqrt(150));
    }
  });
});
