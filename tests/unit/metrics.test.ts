/**
 * Rounds to target as the paper counts them (McMahan et al. 2017): best-so-far curve, first crossing, linear
 * interpolation between the two rounds around it (from `start` before round 1).
 */
import { describe, expect, test } from 'vitest';
import { monotone, orderAgreement, ranksOf, roundsToTarget, speedup } from '~/engine/metrics';

describe('monotone', () => {
  test('is the running maximum', () => {
    expect(monotone([0.2, 0.5, 0.4, 0.6, 0.1])).toEqual([0.2, 0.5, 0.5, 0.6, 0.6]);
  });
  test('a NaN neither improves nor poisons the curve', () => {
    expect(monotone([0.3, NaN, 0.2, 0.4])).toEqual([0.3, 0.3, 0.3, 0.4]);
    expect(monotone([NaN, 0.1])).toEqual([-Infinity, 0.1]);
  });
});

describe('roundsToTarget', () => {
  test('interpolates linearly between the round before and the crossing round', () => {
    // 0.80 after round 3, 0.90 after round 4: 0.85 is reached half-way through round 4.
    expect(roundsToTarget([0.5, 0.7, 0.8, 0.9], 0.85)).toBeCloseTo(3.5, 12);
    expect(roundsToTarget([0.5, 0.7, 0.8, 0.9], 0.82)).toBeCloseTo(3.2, 12);
  });

  test('uses the best-so-far curve, so a dip does not delay or hide a crossing', () => {
    expect(roundsToTarget([0.5, 0.88, 0.6, 0.95], 0.9)).toBeCloseTo(3 + (0.9 - 0.88) / (0.95 - 0.88), 12);
    // Interpolation starts from the best so far before the crossing (0.8), not the raw 0.5.
    expect(roundsToTarget([0.8, 0.5, 1.0], 0.9)).toBeCloseTo(2.5, 12);
  });

  test('a curve that only touches the target counts, at that round', () => {
    expect(roundsToTarget([0.5, 0.9], 0.9)).toBe(2);
    expect(roundsToTarget([0.9, 0.9], 0.9, 0.9)).toBe(1);
  });

  test('null when the target is never reached', () => {
    expect(roundsToTarget([0.1, 0.5, 0.89], 0.9)).toBeNull();
    expect(roundsToTarget([], 0.5)).toBeNull();
  });

  test('round 1 interpolates from the accuracy before training (`start`, default 0)', () => {
    expect(roundsToTarget([0.95, 0.97], 0.9)).toBeCloseTo(0.9 / 0.95, 12);
    expect(roundsToTarget([0.95, 0.97], 0.9, 0.1)).toBeCloseTo(0.8 / 0.85, 12);
  });

  test('non-finite accuracies are skipped, never interpolated from', () => {
    expect(roundsToTarget([NaN, NaN], 0.1)).toBeNull();
    expect(roundsToTarget([NaN, 0.9], 0.45)).toBeCloseTo(1.5, 12);
    expect(roundsToTarget([0.6, NaN, 0.95], 0.9)).toBeCloseTo(2 + (0.9 - 0.6) / (0.95 - 0.6), 12);
  });

  test('the paper table is consistent with its speed-ups', () => {
    // 2NN, IID: FedSGD 1474 rounds, FedAvg E = 1, B = 10 87 rounds → 16.9×.
    expect(speedup(1474, 87)!.toFixed(1)).toBe('16.9');
    expect(speedup(626, 18)!.toFixed(1)).toBe('34.8');
  });
});

describe('speedup', () => {
  test('null when either side is unknown', () => {
    expect(speedup(null, 3)).toBeNull();
    expect(speedup(10, null)).toBeNull();
    expect(speedup(10, 0)).toBeNull();
  });
});

describe('ranksOf and orderAgreement', () => {
  test('ranks ascending values and leaves unknown ones out', () => {
    expect(ranksOf([30, null, 10, 20])).toEqual([3, null, 1, 2]);
    expect(ranksOf([null, null])).toEqual([null, null]);
  });
  test('counts the pairs in the reference order; a setting never reached is the slowest, two never reached are no pair', () => {
    // Reference: 0 slowest, then 1, then 2. Measured: 2 < 1 as in the reference, 0 never reached.
    expect(orderAgreement([null, 20, 10], [600, 65, 34])).toEqual({ agree: 3, pairs: 3 });
    expect(orderAgreement([10, 20, null], [600, 65, 34])).toEqual({ agree: 0, pairs: 3 });
    expect(orderAgreement([null, null, 10], [600, 65, 34])).toEqual({ agree: 2, pairs: 2 });
  });
});
