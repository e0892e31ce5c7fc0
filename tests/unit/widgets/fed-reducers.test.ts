/**
 * The federated widgets' reducers (engine/rounds.ts, client-drift/state.ts, dp-fedavg/state.ts) fed
 * with the events of real engine runs: what they gather must be what the engine said, a state once
 * made must never change, and the figures they derive must mean what the widgets print.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { collect, defaultConfig, ofType, setup } from '../engine-helpers';
import type { EngineEvent, RunConfig } from '~/engine/types';
import { clientsPerRound } from '~/engine/selection';
import { argmaxGrid, byClient, clientSpread, cumulativeBytes, disagreement, initRounds, onlyClass, reduceRounds, type RoundsState } from '~/engine/rounds';
import { initDrift, meanDisagreement, reduceDrift, type DriftState } from '~/widgets/client-drift/state';
import { initDp, reduceDp, type DpState } from '~/widgets/dp-fedavg/state';

beforeAll(setup);

const small = (over: Parameters<typeof defaultConfig>[0] = {}) =>
  defaultConfig({ algorithm: 'fedavg', dataset: { name: 'moons', noise: 0.15, size: 200 }, clients: 5, fraction: 0.6, rounds: 3, localEpochs: 1, batchSize: 10, lr: 0.3, seed: 4, ...over });

/** Reduces events one by one, checking that no earlier state is changed by a later event. */
function replay<S>(init: S, events: EngineEvent[], reduce: (s: S, e: EngineEvent) => S): S[] {
  const states = [init];
  const snapshots = [JSON.stringify(init, mapsToo)];
  for (const e of events) {
    states.push(reduce(states[states.length - 1], e));
    snapshots.push(JSON.stringify(states[states.length - 1], mapsToo));
  }
  states.forEach((s, i) => expect(JSON.stringify(s, mapsToo), `state ${i} changed later`).toBe(snapshots[i]));
  return states;
}

function mapsToo(_key: string, v: unknown) {
  if (v instanceof Map) return [...v.entries()];
  if (v instanceof Float32Array) return Array.from(v.slice(0, 4));
  return v;
}

describe('federated rounds reducer', () => {
  test('gathers every round as the engine reported it, and never changes a past state', async () => {
    const config = small();
    const events = await collect(config, { boundaryGrid: 8, clientBoundaries: true });
    const states = replay<RoundsState>(initRounds(), events, reduceRounds);
    const s = states[states.length - 1];
    const metrics = ofType(events, 'round-metrics');
    expect(s.rounds.map((r) => r.round)).toEqual([1, 2, 3]);
    expect(s.parameters).toBe(ofType(events, 'run-started')[0].parameters);
    const m = clientsPerRound(config.fraction, config.clients);
    for (const [i, r] of s.rounds.entries()) {
      expect(r.metrics).toEqual(metrics[i].metrics);
      expect(r.selected).toHaveLength(m);
      expect([...r.clients.keys()].sort()).toEqual([...r.selected]);
      expect(r.coefficients.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(r.global?.grid).toBe(8);
      for (const c of r.clients.values()) expect(c.boundary?.probs.length).toBe(8 * 8 * 2);
      const trained = ofType(events, 'client-trained').filter((t) => t.round === r.round);
      const accs = trained.filter((t) => t.n > 0).map((t) => t.accuracy);
      expect(clientSpread(r)).toEqual([Math.min(...accs), Math.max(...accs)]);
      expect(r.modelBytes).toBe(4 * s.parameters);
    }
    const bytes = metrics.map((e) => e.metrics.bytesUp + e.metrics.bytesDown);
    expect(cumulativeBytes(s.rounds)).toEqual(bytes.map((_, i) => bytes.slice(0, i + 1).reduce((a, b) => a + b, 0)));
    // A new run-started starts over.
    expect(reduceRounds(s, events[0]).rounds).toEqual([]);
  });

  test('a diverged run keeps its complete rounds and says where it stopped', () => {
    const started = { ...initRounds(), building: { round: 2, selected: [0], dropped: [], clients: new Map(), coefficients: [], global: null, metrics: null, modelBytes: 0 } };
    const s = reduceRounds(started, { type: 'run-diverged', round: 2, message: '발산', messageEn: 'diverged' });
    expect(s.diverged).toBe(2);
    expect(s.building).toBeNull();
    // An event the reducer does not use leaves the very same state.
    expect(reduceRounds(s, { type: 'run-cancelled' } as EngineEvent)).toBe(s);
  });
});

describe('client-drift reducer', () => {
  test('pairs a round only when both runs have it, whatever the order of their events', async () => {
    const iid = await collect(small({ fraction: 1, rounds: 2 }), { boundaryGrid: 8, clientBoundaries: true });
    const skew = await collect(small({ fraction: 1, rounds: 2, partition: { kind: 'dirichlet', alpha: 0.1, shardsPerClient: 2 } }), { boundaryGrid: 8, clientBoundaries: true });
    // All of one side first, then the other: no pair until the second side's first round.
    let s: DriftState = initDrift();
    for (const e of iid) s = reduceDrift(s, e, 'iid');
    expect(s.pairs).toHaveLength(0);
    expect(s.iid.rounds).toHaveLength(2);
    for (const e of skew) s = reduceDrift(s, e, 'skew');
    // Interleaved: the same pairs.
    let t: DriftState = initDrift();
    for (let i = 0; i < Math.max(iid.length, skew.length); i++) {
      if (skew[i]) t = reduceDrift(t, skew[i], 'skew');
      if (iid[i]) t = reduceDrift(t, iid[i], 'iid');
    }
    expect(t.pairs.map((p) => [p.round, meanDisagreement(p.iid), meanDisagreement(p.skew)])).toEqual(s.pairs.map((p) => [p.round, meanDisagreement(p.iid), meanDisagreement(p.skew)]));
    expect(s.pairs.map((p) => p.round)).toEqual([1, 2]);
    for (const p of s.pairs) {
      for (const side of [p.iid, p.skew]) {
        expect(side.disagreement.size).toBe(5);
        for (const d of side.disagreement.values()) (expect(d).toBeGreaterThanOrEqual(0), expect(d).toBeLessThanOrEqual(1));
      }
    }
    // Under strong label skew some client's model draws another boundary than the global one.
    expect(Math.max(...s.pairs.map((p) => meanDisagreement(p.skew)))).toBeGreaterThan(0);
  });

  test('disagreement counts the cells where the predicted classes differ', () => {
    const grid = (classes: number[]) => ({ grid: 2, classes: 2, probs: Float32Array.from(classes.flatMap((c) => (c ? [0.2, 0.8] : [0.9, 0.1]))) });
    expect([...argmaxGrid(grid([0, 1, 1, 0]).probs, 2)]).toEqual([0, 1, 1, 0]);
    const r = {
      round: 1,
      selected: [0, 1],
      dropped: [],
      coefficients: [0.5, 0.5],
      metrics: null,
      modelBytes: 0,
      global: grid([0, 1, 1, 0]),
      clients: new Map([
        [0, { n: 1, loss: 0, accuracy: 1, boundary: grid([0, 1, 1, 0]) }],
        [1, { n: 1, loss: 0, accuracy: 1, boundary: grid([1, 1, 1, 1]) }],
      ]),
    };
    expect([...disagreement(r)]).toEqual([
      [0, 0],
      [1, 0.5],
    ]);
  });

  test('onlyClass names the class a model predicts everywhere (none when it has a boundary); byClient orders clients by number', () => {
    const grid = (classes: number[]) => ({ grid: 2, classes: 2, probs: Float32Array.from(classes.flatMap((c) => (c ? [0.2, 0.8] : [0.9, 0.1]))) });
    expect([onlyClass(grid([1, 1, 1, 1])), onlyClass(grid([0, 0, 0, 0])), onlyClass(grid([0, 1, 1, 0]))]).toEqual([1, 0, null]);
    expect(byClient({ clients: new Map([[2, 'c'], [0, 'a'], [1, 'b']]) })).toEqual([[0, 'a'], [1, 'b'], [2, 'c']]);
  });
});

describe('DP-FedAvg reducer', () => {
  const dp = (noise: number, clip: number) =>
    defaultConfig({
      algorithm: 'dpfedavg',
      dataset: { name: 'moons', noise: 0.1, size: 120 },
      clip,
      noise,
      clients: 4,
      fraction: 1,
      rounds: 2,
      localEpochs: 1,
      batchSize: 10,
      lr: 0.3,
      weighting: 'uniform',
      seed: 3,
    });

  test('without noise the server step is the mean clipped update (to 1e-5); with noise it is not', async () => {
    const quiet = replay<DpState>(initDp(), await collect(dp(0, 0.05), { emitWeights: true }), reduceDp).at(-1)!;
    expect(quiet.rows.map((r) => r.round)).toEqual([1, 2]);
    expect(quiet.clips).toHaveLength(2);
    for (const c of quiet.clips) {
      expect(c.participants).toBe(4);
      expect(c.noiseNorm).toBeLessThan(1e-5);
      expect(Math.abs(c.appliedNorm - c.meanNorm)).toBeLessThan(1e-5);
      // S = 0.05 is below every update's length here: all are clipped, and the mean is at most S.
      expect(c.clipped).toBe(4);
      expect(c.meanNorm).toBeLessThanOrEqual(0.05 * (1 + 1e-4));
    }
    expect(quiet.arrows).toHaveLength(4);
    for (const a of quiet.arrows) expect(a.clipped).toBeCloseTo(Math.min(a.norm, 0.05), 6);
    const noisy = (await collect(dp(1, 0.05), { emitWeights: true })).reduce(reduceDp, initDp());
    expect(Math.min(...noisy.clips.map((c) => c.noiseNorm))).toBeGreaterThan(1e-3);
  });
});

describe('federated playground: the server rule the diagram writes', () => {
  test('each algorithm gets its own update, with the chosen weights; FedAvg and FedProx average', async () => {
    const { serverRule } = await import('~/widgets/fed-playground/config');
    const rule = (algorithm: RunConfig['algorithm'], weighting: RunConfig['weighting'] = 'samples', round = 12) => serverRule({ algorithm, weighting }, round);
    expect(rule('fedavg')).toBe('Σ (n_k / m_t) · w_k');
    expect(rule('fedavg', 'uniform')).toBe('Σ (1 / m) · w_k');
    expect(rule('fedprox')).toBe(rule('fedavg'));
    expect(rule('fedsgd', 'samples', 12)).toBe('w₁₁ − η Σ (n_k / m_t) g_k');
    expect(rule('scaffold', 'uniform', 3)).toBe('w₂ + η_g Σ (1 / m) Δ_k');
    expect(rule('fedavgm')).toBe('w₁₁ + η_g · v');
    for (const a of ['fedadam', 'fedyogi', 'fedadagrad'] as const) expect(rule(a)).toBe('w₁₁ + η · m / (√v + τ)');
    // Not the same text for all: the server optimizers differ from the average.
    expect(new Set(['fedavg', 'fedsgd', 'scaffold', 'fedavgm', 'fedadam'].map((a) => rule(a as RunConfig['algorithm']))).size).toBe(5);
  });
});
