/**
 * Robust aggregation and poisoning: each rule against values worked out by hand, the attack
 * helpers, the configuration checks (secure aggregation against rules that need each update), and
 * real FedAvg runs on digits with 30% malicious clients.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { aggregate, centeredClipping, coordinateMedian, krum, krumF, krumScores, normClipping, trimCount, trimmedMean, weightedMean, AGGREGATORS } from '~/engine/aggregators';
import { backdoorTestExamples, defaultPoison, flipLabel, maliciousClients, poisonedExamples, stampTrigger, triggerPixels } from '~/engine/attacks/poisoning';
import { defaultAggregation } from '~/engine/attacks/config';
import { validateConfig, type AggregatorRule, type PoisonKind, type RunConfig } from '~/engine/index';
import { collect, defaultConfig, maxAbsDiff, ofType, setup, tf } from './engine-helpers';

const U = [
  [1, 0],
  [2, 1],
  [4, -1],
  [0, 2],
  [10, 10],
].map((u) => Float32Array.from(u));
const uniform = U.map(() => 1 / U.length);
const close = (a: ArrayLike<number>, b: number[]) => expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);

describe('aggregators against hand-computed values', () => {
  it('mean, median, trimmed mean', () => {
    close(weightedMean(U, uniform), [17 / 5, 12 / 5]);
    close(weightedMean(U, [0.5, 0.5, 0, 0, 0]), [1.5, 0.5]);
    // coordinate 0 sorted: 0 1 2 4 10; coordinate 1: −1 0 1 2 10
    close(coordinateMedian(U), [2, 1]);
    close(coordinateMedian(U.slice(0, 4)), [1.5, 0.5]); // even n: mean of the two middle values
    expect(trimCount(5, 0.2)).toBe(1);
    close(trimmedMean(U, 0.2), [(1 + 2 + 4) / 3, (0 + 1 + 2) / 3]);
    close(trimmedMean(U, 0), [17 / 5, 12 / 5]);
    // β so large that nothing would remain: one value (the median) is kept
    expect(trimCount(5, 0.49)).toBe(2);
    close(trimmedMean(U, 0.49), [2, 1]);
  });

  it('Krum and Multi-Krum', () => {
    // n = 5, β = 0.2: f = 1, each score sums the n − f − 2 = 2 nearest squared distances.
    // d01 = 2, d02 = 10, d03 = 5, d04 = 181, d12 = 8, d13 = 5, d14 = 145, d23 = 25, d24 = 157, d34 = 164
    expect(krumF(5, 0.2)).toBe(1);
    expect(krumF(5, 0.45)).toBe(1); // n > 2f + 2 caps f
    expect(krumScores(U, 1)).toEqual([7, 7, 18, 10, 302]);
    const k = krum(U, 0.2, 1);
    expect(k.chosen).toEqual([0]); // tie 7 = 7 broken by index
    close(k.value, [1, 0]);
    const mk = krum(U, 0.2, 3);
    expect(mk.chosen).toEqual([0, 1, 3]);
    close(mk.value, [1, 1]);
  });

  it('norm clipping and centered clipping', () => {
    const s5 = Math.sqrt(5);
    const s17 = Math.sqrt(17);
    const s200 = Math.sqrt(200);
    // M = 2: u0 (norm 1) and u3 (norm 2) unchanged, the others scaled by 2/‖u‖
    const clipped = [
      [1, 0],
      [4 / s5, 2 / s5],
      [8 / s17, -2 / s17],
      [0, 2],
      [20 / s200, 20 / s200],
    ];
    const c = normClipping(U, uniform, 2);
    close(c.value, [clipped.reduce((s, u) => s + u[0], 0) / 5, clipped.reduce((s, u) => s + u[1], 0) / 5]);
    expect(c.radius).toBe(2);
    // radius 0: the median norm, √5
    expect(normClipping(U, uniform, 0).radius).toBeCloseTo(s5, 6);
    // centered clipping from v = 0, τ = 1, L = 1: the mean of each update clipped to norm 1
    const cc = [
      [1, 0],
      [2 / s5, 1 / s5],
      [4 / s17, -1 / s17],
      [0, 1],
      [10 / s200, 10 / s200],
    ];
    const one = centeredClipping(U, null, 1, 1).value;
    close(one, [cc.reduce((s, u) => s + u[0], 0) / 5, cc.reduce((s, u) => s + u[1], 0) / 5]);
    // two iterations = one iteration started from the first one's result
    close(centeredClipping(U, null, 1, 2).value, Array.from(centeredClipping(U, one, 1, 1).value));
    // a huge radius is the plain mean
    close(centeredClipping(U, Float32Array.from([5, 5]), 1e9, 1).value, [17 / 5, 12 / 5]);
  });

  it('one absurd update moves the mean without bound, the robust rules barely', () => {
    const bad = [...U.slice(0, 4), Float32Array.from([1e6, -1e6])];
    const w = bad.map(() => 0.2);
    expect(Math.abs(aggregate('mean', bad, w).value[0])).toBeGreaterThan(1e5);
    for (const rule of ['median', 'trimmed', 'krum', 'clip', 'centered'] as const) {
      const v = aggregate(rule, bad, w, { trim: 0.2, krumM: 1, clipNorm: 0, iterations: 1 }).value;
      expect(Math.max(Math.abs(v[0]), Math.abs(v[1])), rule).toBeLessThan(5);
    }
  });
});

describe('poisoning helpers', () => {
  it('malicious clients: ⌊f·K⌋ of them, fixed by the seed', () => {
    expect(maliciousClients(1, 10, 0.3)).toHaveLength(3);
    expect(maliciousClients(1, 10, 0.3)).toEqual(maliciousClients(1, 10, 0.3));
    expect(maliciousClients(1, 10, 0)).toEqual([]);
    const seeds = new Set([1, 2, 3, 4, 5].map((s) => maliciousClients(s, 10, 0.3).join()));
    expect(seeds.size).toBeGreaterThan(1);
  });

  it('label flipping, the trigger and the backdoor sets', () => {
    expect(flipLabel(0, 10)).toBe(9);
    expect(flipLabel(3, 10)).toBe(6);
    expect(triggerPixels(8, 8)).toEqual([
      [6, 6],
      [6, 4],
      [5, 5],
      [4, 6],
      [4, 4],
    ]);
    const img = new Float32Array(64);
    stampTrigger(img, [8, 8, 1]);
    expect(img.reduce((a, b) => a + b, 0)).toBe(5);
    expect(img[6 * 8 + 6]).toBe(1);
    // three 8×8 images with labels 0, 1, 2; target 1
    const feats = new Float32Array(3 * 64).fill(0.25);
    const labels = Int32Array.from([0, 1, 2]);
    const flipped = poisonedExamples('labelflip', feats, labels, [8, 8, 1], 10, 1)!;
    expect(Array.from(flipped.labels)).toEqual([9, 8, 7]);
    const bd = poisonedExamples('backdoor', feats, labels, [8, 8, 1], 10, 1)!;
    expect(Array.from(bd.labels)).toEqual([0, 1, 2, 1, 1]); // copies of the two non-target examples
    expect(bd.features[3 * 64 + 6 * 8 + 6]).toBe(1);
    expect(bd.features[6 * 8 + 6]).toBe(0.25); // the originals are clean
    expect(poisonedExamples('signflip', feats, labels, [8, 8, 1], 10, 1)).toBeNull();
    const test = backdoorTestExamples(feats, labels, [8, 8, 1], 1);
    expect(Array.from(test.labels)).toEqual([1, 1]);
  });
});

describe('configuration', () => {
  const base = (over: Partial<RunConfig> = {}): RunConfig => ({ ...defaultConfig({ dataset: { name: 'digits' }, clients: 10 }), ...over });
  const fields = (c: RunConfig) => validateConfig(c).map((p) => p.field);

  it('accepts every rule and attack on digits', () => {
    for (const rule of AGGREGATORS) {
      for (const kind of ['labelflip', 'signflip', 'scale', 'backdoor'] as PoisonKind[]) {
        expect(validateConfig(base({ aggregation: defaultAggregation(rule), poison: defaultPoison(kind) }))).toEqual([]);
      }
    }
  });

  it('secure aggregation with a rule that needs each update is an explained error', () => {
    const problems = validateConfig(base({ aggregation: { ...defaultAggregation('median'), secure: true } }));
    expect(problems.map((p) => p.field)).toEqual(['aggregation.secure']);
    expect(problems[0].ko).toContain('합만');
    expect(problems[0].en).toContain('only the sum');
    // the mean runs on a sum
    expect(validateConfig(base({ aggregation: { ...defaultAggregation('mean'), secure: true }, poison: defaultPoison('scale') }))).toEqual([]);
  });

  it('rejects bad values and unsupported combinations', () => {
    expect(fields(base({ poison: { ...defaultPoison('signflip'), fraction: 1.5 } }))).toEqual(['poison.fraction']);
    expect(fields(base({ poison: { ...defaultPoison('signflip'), scale: Number.NaN } }))).toEqual(['poison.scale']);
    expect(fields(base({ poison: { ...defaultPoison('backdoor'), target: 10 } }))).toEqual(['poison.target']);
    expect(fields(base({ poison: { ...defaultPoison('nonsense' as PoisonKind) } }))).toEqual(['poison.kind']);
    expect(fields(base({ aggregation: { ...defaultAggregation('krum'), krumM: 0 } }))).toEqual(['aggregation.krumM']);
    expect(fields(base({ aggregation: { ...defaultAggregation('trimmed'), trim: 0.5 } }))).toEqual(['aggregation.trim']);
    expect(fields(base({ aggregation: { ...defaultAggregation('clip'), clipNorm: -1 } }))).toEqual(['aggregation.clipNorm']);
    expect(fields(base({ aggregation: defaultAggregation('nope' as AggregatorRule) }))).toEqual(['aggregation.rule']);
    expect(fields({ ...defaultConfig(), poison: defaultPoison('backdoor') })).toEqual(['poison.kind']); // circles: no pixels
    expect(fields(base({ algorithm: 'dpfedavg', aggregation: defaultAggregation('median') }))).toEqual(['algorithm']);
  });
});

describe('federated runs on digits with 30% malicious clients', () => {
  beforeAll(setup);
  const digits = (rule: AggregatorRule, poison?: PoisonKind, over: Partial<RunConfig> = {}): RunConfig => ({
    ...defaultConfig({ dataset: { name: 'digits' }, model: { hidden: [32] }, clients: 10, rounds: 8, localEpochs: 1, batchSize: 10, lr: 0.1, seed: 1 }),
    aggregation: defaultAggregation(rule),
    ...(poison ? { poison: defaultPoison(poison, 0.3) } : {}),
    ...over,
  });
  const finalAccuracy = async (c: RunConfig) => {
    const m = ofType(await collect(c), 'round-metrics');
    return m[m.length - 1].metrics;
  };

  it('sign flipping ruins the mean; median, trimmed mean and Krum keep their accuracy', async () => {
    const acc: Record<string, number> = {};
    for (const rule of ['mean', 'median', 'trimmed', 'krum'] as const) acc[rule] = (await finalAccuracy(digits(rule, 'signflip'))).testAccuracy;
    expect(acc.mean).toBeLessThan(0.3);
    for (const rule of ['median', 'trimmed', 'krum']) expect(acc[rule], rule).toBeGreaterThan(acc.mean + 0.4);
  });

  it('without attackers every rule stays near the mean', async () => {
    const acc: Record<string, number> = {};
    for (const rule of AGGREGATORS) acc[rule] = (await finalAccuracy(digits(rule))).testAccuracy;
    expect(acc.mean).toBeGreaterThan(0.8);
    for (const rule of AGGREGATORS) expect(Math.abs(acc[rule] - acc.mean), rule).toBeLessThan(0.06);
  });

  it('a backdoor succeeds against the mean and keeps the main task; the median stops it', async () => {
    const mean = await finalAccuracy(digits('mean', 'backdoor'));
    const median = await finalAccuracy(digits('median', 'backdoor'));
    expect(mean.backdoorSuccess).toBeGreaterThan(0.6);
    expect(mean.testAccuracy).toBeGreaterThan(0.75);
    expect(median.backdoorSuccess).toBeLessThan(0.2);
    // without an attack nothing is reported
    const clean = ofType(await collect(digits('mean')), 'round-metrics');
    expect(clean[clean.length - 1].metrics.backdoorSuccess).toBeUndefined();
  });

  it('events: malicious clients marked, every rule’s candidate aggregate, the mean path equals FedAvg', async () => {
    // 'scale' with s = 1 sends honest updates but goes through the robust server.
    const honestScale = digits('mean', undefined, { rounds: 3, poison: { ...defaultPoison('scale', 0.3), scale: 1 } });
    const before = tf.memory().numTensors;
    const events = await collect(honestScale, { emitWeights: true });
    expect(tf.memory().numTensors).toBe(before);
    const plain = await collect(digits('mean', undefined, { rounds: 3, aggregation: undefined }), { finalWeights: true });
    const a = events[events.length - 1];
    const b = plain[plain.length - 1];
    if (a.type !== 'run-finished' || b.type !== 'run-finished') throw new Error('runs did not finish');
    expect(maxAbsDiff(a.weights!, b.weights!)).toBeLessThan(1e-5);

    const started = ofType(events, 'round-started');
    expect(started[0].malicious).toEqual(maliciousClients(1, 10, 0.3));
    const trained = ofType(events, 'client-trained').filter((e) => e.round === 1);
    expect(trained.filter((e) => e.malicious).map((e) => e.client)).toEqual(started[0].malicious);
    const avg = ofType(events, 'models-averaged')[0];
    expect(avg.rule).toBe('mean');
    expect(avg.candidates!.map((c) => c.rule)).toEqual([...AGGREGATORS]);
    expect(maxAbsDiff(avg.candidates![0].after, avg.after!)).toBe(0);
    // the rules really differ on the same updates
    expect(maxAbsDiff(avg.candidates![1].after, avg.after!)).toBeGreaterThan(1e-4);
  });

  it('sign flippers send −s·Δ: the map sees the flipped update', async () => {
    const events = await collect(digits('krum', 'signflip', { rounds: 1 }), { emitWeights: true });
    const avg = ofType(events, 'models-averaged')[0];
    const trained = ofType(events, 'client-trained');
    const honest = trained.filter((e) => !e.malicious);
    const bad = trained.filter((e) => e.malicious);
    const dist = (w: Float32Array) => Math.hypot(...Array.from(w, (x, j) => x - avg.before![j]));
    // −4Δ lands about four times as far from w_t as an honest update
    const ratio = Math.min(...bad.map((e) => dist(e.weights!))) / Math.max(...honest.map((e) => dist(e.weights!)));
    expect(ratio).toBeGreaterThan(2);
    expect(avg.chosen!.every((k) => !bad.some((e) => e.client === k))).toBe(true);
  });
});
