/**
 * One DP-FedAvg round taken apart for the chapter 6 picture (engine/privacy/dp-round.ts): the
 * projection is orthonormal and fixed, and a round's step splits into the mean of the clipped
 * updates and the noise, checked on vectors small enough to work out by hand.
 */
import { describe, expect, test } from 'vitest';
import { projection, splitDpRound, wasClipped } from '~/engine/privacy/dp-round';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, i) => s + x * b[i], 0);

describe('DP-FedAvg round split', () => {
  test('the projection: two orthonormal directions, the same for the same length', () => {
    const [a, b] = projection(7);
    expect(dot(a, a)).toBeCloseTo(1, 12);
    expect(dot(b, b)).toBeCloseTo(1, 12);
    expect(dot(a, b)).toBeCloseTo(0, 12);
    expect(projection(7)[0]).toBe(a);
    expect(Array.from(projection(8)[0]).slice(0, 7)).not.toEqual(Array.from(a));
  });

  test('by hand: the step is the mean clipped update plus the noise', () => {
    const before = Float32Array.of(0, 0, 0);
    // Client 0: ‖Δ‖ = 5 clipped to S = 1 (scale 0.2); client 1: ‖Δ‖ = 0.5, not clipped.
    const trained = [
      { client: 0, weights: Float32Array.of(3, 4, 0), updateNorm: 5, clippedNorm: 1 },
      { client: 1, weights: Float32Array.of(0, 0, 0.5), updateNorm: 0.5, clippedNorm: 0.5 },
      // Client 2 reported no update: left out.
      { client: 2 },
    ];
    // Mean of clipped updates: 0.5·0.2·(3, 4, 0) + 0.5·(0, 0, 0.5) = (0.3, 0.4, 0.25); noise (0, 0, 1).
    const after = Float32Array.of(0.3, 0.4, 1.25);
    const { arrows, server, clip } = splitDpRound({ round: 3, clients: [0, 1, 2], coefficients: [0.5, 0.5, 0], before, after }, trained);
    expect(arrows.map((a) => [a.client, a.norm, a.clipped])).toEqual([
      [0, 5, 1],
      [1, 0.5, 0.5],
    ]);
    const [r1, r2] = projection(3);
    expect(arrows[0].angle).toBeCloseTo(Math.atan2(dot([3, 4, 0], r2), dot([3, 4, 0], r1)), 6);
    expect(server.mean).toBeCloseTo(Math.sqrt(0.3125), 6);
    expect(server.noise).toBeCloseTo(1, 6);
    expect(server.applied).toBeCloseTo(Math.sqrt(1.8125), 6);
    expect(clip).toMatchObject({ round: 3, participants: 2, clipped: 1, meanUpdateNorm: 2.75 });
    expect([clip.meanNorm, clip.noiseNorm, clip.appliedNorm]).toEqual([server.mean, server.noise, server.applied]);
    expect(arrows.map(wasClipped)).toEqual([true, false]);
  });
});
