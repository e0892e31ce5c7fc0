/**
 * DP-FedAvg reports each client's update length before and after clipping (for the chapter 6
 * widget). The numbers must be the real ‖w_k − w_t‖ and min(‖Δ_k‖, S), and clipping must then
 * bound what the server adds: ‖Σ c_k Δ̄_k‖ ≤ S when there is no noise.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { collect, defaultConfig, ofType, setup } from '../engine-helpers';

beforeAll(setup);

function norm(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

describe('DP-FedAvg update norms', () => {
  test.each([0.05, 0.5, 0])('clip S = %s', async (clip) => {
    const config = defaultConfig({ algorithm: 'dpfedavg', clip, noise: 0, clients: 4, fraction: 1, rounds: 2, localEpochs: 2, lr: 0.3, weighting: 'uniform', seed: 3 });
    const events = await collect(config, { emitWeights: true });
    const trained = ofType(events, 'client-trained');
    const averaged = ofType(events, 'models-averaged');
    expect(trained).toHaveLength(8);
    for (const avg of averaged) {
      const mine = trained.filter((t) => t.round === avg.round);
      for (const t of mine) {
        // weights = the client's trained model; before = w_t.
        const expected = norm(t.weights!, avg.before!);
        expect(t.updateNorm!).toBeCloseTo(expected, 4);
        expect(t.clippedNorm!).toBeCloseTo(clip > 0 ? Math.min(expected, clip) : expected, 4);
      }
      // Without noise the server moves by the mean of clipped updates: at most S.
      if (clip > 0) expect(norm(avg.after!, avg.before!)).toBeLessThanOrEqual(clip * (1 + 1e-4));
    }
    if (clip === 0.05) expect(trained.every((t) => t.updateNorm! > 0.05)).toBe(true);
  });

  test('other algorithms do not report norms', async () => {
    const events = await collect(defaultConfig({ algorithm: 'fedavg', rounds: 1, seed: 1 }));
    expect(ofType(events, 'client-trained').every((t) => t.updateNorm === undefined)).toBe(true);
  });
});
