/**
 * DP-FedAvg as McMahan et al. 2018 (arXiv:1710.06963, Algorithm 1) define it: Poisson client
 * sampling with rate q, weights w_k = min(n_k/ŵ, 1) (or 1), the fixed-denominator estimator
 * Σ w_k·clip(Δ_k, S)/(qW), noise σ = zS/(qW) from public quantities only, and the ε spent so far
 * in every round's metrics.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { Rng, validateConfig, type RunConfig } from '~/engine/index';
import { dpClientWeights, dpNoiseStd, poissonSample } from '~/engine/algorithms/dp-fedavg';
import { privacySpent } from '~/engine/privacy/accountant';
import { collect, defaultConfig, finalWeights, maxAbsDiff, ofType, setup } from '../engine-helpers';

beforeAll(setup);

const digits = (over: Parameters<typeof defaultConfig>[0] = {}) =>
  defaultConfig({ algorithm: 'dpfedavg', dataset: { name: 'digits', noise: 0, size: 300 }, model: { hidden: [16] }, lr: 0.1, ...over });

function norm(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

describe('the formulas', () => {
  test('weights: capped at 1, uniform without a cap', () => {
    expect(dpClientWeights([0, 5, 10, 40], 10)).toEqual([0, 0.5, 1, 1]);
    expect(dpClientWeights([0, 5, 10, 40], 0)).toEqual([1, 1, 1, 1]);
    expect(dpNoiseStd(1, 0.5, 0.1, 20)).toBeCloseTo(0.25, 12);
  });

  test('Poisson sampling: each client with probability q, independently', () => {
    const rng = new Rng(7, 'sampling');
    const K = 20;
    const q = 0.3;
    const counts = new Array<number>(K).fill(0);
    let empty = 0;
    const sizes: number[] = [];
    const R = 5000;
    for (let r = 0; r < R; r++) {
      const s = poissonSample(rng, K, q);
      sizes.push(s.length);
      if (s.length === 0) empty++;
      for (const k of s) counts[k]++;
    }
    const mean = sizes.reduce((a, b) => a + b, 0) / R;
    // E = qK = 6, sd of the mean = √(Kq(1−q)/R) ≈ 0.029: 5 sd.
    expect(Math.abs(mean - q * K)).toBeLessThan(0.15);
    // The round size varies (fixed-m sampling would give sd 0): Var = Kq(1−q) = 4.2.
    const variance = sizes.reduce((a, b) => a + (b - mean) ** 2, 0) / R;
    expect(variance).toBeGreaterThan(3.5);
    expect(variance).toBeLessThan(5);
    for (const c of counts) expect(Math.abs(c / R - q)).toBeLessThan(0.04);
    // Empty rounds happen at the rate (1 − q)^K.
    expect(empty / R).toBeLessThan(0.01);
    let none = 0;
    for (let r = 0; r < 2000; r++) if (poissonSample(rng, 3, 0.2).length === 0) none++;
    expect(Math.abs(none / 2000 - 0.8 ** 3)).toBeLessThan(0.04);
  });
});

describe('equivalence: q = 1, uniform weights, no clipping, z = 0 is FedAvg with uniform weighting', () => {
  test('to 1e-5, on unequal clients', async () => {
    const shared = { clients: 6, fraction: 1, localEpochs: 2, batchSize: 8, rounds: 4, partition: { kind: 'dirichlet' as const, alpha: 0.3, shardsPerClient: 2 } };
    const fedavg = await finalWeights(digits({ algorithm: 'fedavg', weighting: 'uniform', ...shared }));
    const dp = await finalWeights(digits({ sampleRate: 1, weightCap: 0, clip: 0, noise: 0, ...shared }));
    expect(maxAbsDiff(dp, fedavg)).toBeLessThanOrEqual(1e-5);
    // Not trivially true: FedAvg's sample weighting differs on these unequal clients, and so
    // does DP-FedAvg with capped weights.
    const bySamples = await finalWeights(digits({ algorithm: 'fedavg', weighting: 'samples', ...shared }));
    expect(maxAbsDiff(bySamples, fedavg)).toBeGreaterThan(1e-3);
    const capped = await finalWeights(digits({ sampleRate: 1, weightCap: 60, clip: 0, noise: 0, ...shared }));
    expect(maxAbsDiff(capped, fedavg)).toBeGreaterThan(1e-3);
  });
});

describe('the fixed-denominator estimator', () => {
  test('the server moves by Σ_{k∈S_t} w_k·clip(Δ_k, S)/(qW), the sampled clients vary', async () => {
    const q = 0.5;
    const S = 0.2;
    const K = 6;
    const cfg = digits({ clients: K, sampleRate: q, clip: S, noise: 0, rounds: 5, localEpochs: 1, batchSize: 10, seed: 4 });
    const events = await collect(cfg, { emitWeights: true });
    const trained = ofType(events, 'client-trained');
    const sizesSeen = new Set<number>();
    for (const avg of ofType(events, 'models-averaged')) {
      sizesSeen.add(avg.clients.length);
      expect(avg.noiseStd).toBe(0);
      for (const c of avg.coefficients) expect(c).toBeCloseTo(1 / (q * K), 12);
      // Expected move, computed here from the clients' trained models.
      const expected = new Float64Array(avg.before!.length);
      for (const t of trained.filter((e) => e.round === avg.round)) {
        const n = norm(t.weights!, avg.before!);
        const f = Math.min(1, S / n) / (q * K);
        for (let i = 0; i < expected.length; i++) expected[i] += (t.weights![i] - avg.before![i]) * f;
      }
      let worst = 0;
      for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(avg.after![i] - avg.before![i] - expected[i]));
      expect(worst).toBeLessThan(1e-5);
    }
    expect(sizesSeen.size).toBeGreaterThan(1);
  });

  test('a round with nobody sampled moves the model by noise alone', async () => {
    const cfg = digits({ clients: 3, sampleRate: 0.1, clip: 0.5, noise: 2, rounds: 8, localEpochs: 1, seed: 2 });
    const events = await collect(cfg, { emitWeights: true });
    const averaged = ofType(events, 'models-averaged');
    const empty = averaged.filter((a) => a.clients.length === 0);
    expect(empty.length).toBeGreaterThan(0);
    const sigma = (2 * 0.5) / (0.1 * 3);
    for (const a of empty) {
      expect(a.noiseStd).toBeCloseTo(sigma, 12);
      // The move is pure N(0, σ²) per parameter: its RMS is σ (thousands of parameters).
      const rms = norm(a.after!, a.before!) / Math.sqrt(a.before!.length);
      expect(Math.abs(rms / sigma - 1)).toBeLessThan(0.05);
    }
    expect(events.at(-1)!.type).toBe('run-finished');
    for (const m of ofType(events, 'round-metrics')) expect(Number.isFinite(m.metrics.testLoss)).toBe(true);
    // Without noise an empty round leaves the model as it was.
    const quiet = await collect({ ...cfg, noise: 0 }, { emitWeights: true });
    for (const a of ofType(quiet, 'models-averaged').filter((x) => x.clients.length === 0)) expect(maxAbsDiff(a.after!, a.before!)).toBe(0);
  });
});

describe('the noise depends on no client’s data', () => {
  // Two federations of the same size whose clients hold different data in different amounts.
  const a = digits({ clients: 8, sampleRate: 0.5, clip: 0.3, noise: 1, rounds: 4, partition: { kind: 'iid', alpha: 0.5, shardsPerClient: 2 } });
  const b: RunConfig = { ...a, dataset: { name: 'digits', noise: 0, size: 500 }, partition: { kind: 'quantity', alpha: 0.5, shardsPerClient: 2 } };

  test('σ = zS/(qW) in every round, the same for both, and the same clients sampled', async () => {
    for (const cap of [0, 10]) {
      const ea = await collect({ ...a, weightCap: cap }, { emitWeights: true });
      const eb = await collect({ ...b, weightCap: cap }, { emitWeights: true });
      const sizesA = ofType(ea, 'client-trained').map((t) => t.n);
      const sizesB = ofType(eb, 'client-trained').map((t) => t.n);
      expect(sizesA).not.toEqual(sizesB);
      // With ŵ = 10 every client here holds ≥ 10 examples, so W = K as with uniform weights.
      const sigma = (1 * 0.3) / (0.5 * 8);
      const avgA = ofType(ea, 'models-averaged');
      const avgB = ofType(eb, 'models-averaged');
      expect(avgA.map((x) => x.noiseStd)).toEqual(avgA.map(() => sigma));
      expect(avgB.map((x) => x.noiseStd)).toEqual(avgA.map((x) => x.noiseStd));
      // Sampling draws from its own stream: the same clients are picked whatever they hold.
      expect(avgB.map((x) => x.clients)).toEqual(avgA.map((x) => x.clients));
    }
  });

  test('not trivially true: the earlier fixed-m calibration with sample weighting does depend on the data', async () => {
    const fixed = { dpSampling: 'fixed' as const, fraction: 0.5, weighting: 'samples' as const };
    const sa = ofType(await collect({ ...a, ...fixed }), 'models-averaged').map((x) => x.noiseStd);
    const sb = ofType(await collect({ ...b, ...fixed }), 'models-averaged').map((x) => x.noiseStd);
    expect(sa).not.toEqual(sb);
  });
});

describe('ε in every round', () => {
  test('equals the accountant at (q, z, t, δ) and grows', async () => {
    const cfg = digits({ clients: 5, sampleRate: 0.4, clip: 0.5, noise: 1.5, delta: 1e-4, rounds: 4, localEpochs: 1 });
    const metrics = ofType(await collect(cfg), 'round-metrics').map((e) => e.metrics);
    expect(metrics).toHaveLength(4);
    metrics.forEach((m, i) => {
      const expected = privacySpent({ sampleRate: 0.4, noiseMultiplier: 1.5, steps: i + 1, delta: 1e-4 }).epsilon;
      expect(m.epsilon).toBeCloseTo(expected, 10);
      if (i > 0) expect(m.epsilon!).toBeGreaterThan(metrics[i - 1].epsilon!);
    });
  });

  test('null without a guarantee (z = 0, S = 0 or fixed sampling); absent for other algorithms', async () => {
    const base = digits({ clients: 4, rounds: 1, localEpochs: 1 });
    const eps = async (over: Partial<RunConfig>) => ofType(await collect({ ...base, ...over }), 'round-metrics')[0].metrics.epsilon;
    expect(await eps({ clip: 1, noise: 0 })).toBeNull();
    expect(await eps({ clip: 0, noise: 0 })).toBeNull();
    expect(await eps({ clip: 1, noise: 1, dpSampling: 'fixed' })).toBeNull();
    expect(await eps({ clip: 1, noise: 1, sampleRate: 0.5 })).toBeGreaterThan(0);
    expect(await eps({ algorithm: 'fedavg' })).toBeUndefined();
  });
});

describe('configuration', () => {
  test('q, ŵ, δ and the sampling mode are validated in Korean and English', () => {
    const problems = (over: Partial<RunConfig>) => validateConfig({ ...digits(), ...over });
    expect(problems({})).toEqual([]);
    for (const [over, field] of [
      [{ sampleRate: 0 }, 'sampleRate'],
      [{ sampleRate: 1.5 }, 'sampleRate'],
      [{ weightCap: -1 }, 'weightCap'],
      [{ delta: 0 }, 'delta'],
      [{ delta: 1 }, 'delta'],
      [{ dpSampling: 'some' as never }, 'dpSampling'],
    ] as const) {
      const p = problems(over);
      expect(p.map((x) => x.field)).toEqual([field]);
      expect(p[0].ko).toMatch(/[가-힣]/);
      expect(p[0].en).toMatch(/[a-z]/);
    }
    // Other algorithms do not need the DP fields.
    expect(validateConfig({ ...defaultConfig({ algorithm: 'fedavg' }), sampleRate: 0 })).toEqual([]);
  });
});
