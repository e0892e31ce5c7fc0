/**
 * The communication formulas of Singh et al. 2019, and property 3: the bytes the engine counts
 * message by message equal them, for FL, vanilla SL, SL with hand-off (both routes), U-shaped SL,
 * vertical SL and SplitFed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FLOAT_BYTES,
  crossoverClients,
  flFloats,
  flRoundBytes,
  labelFloats,
  slFloats,
  slHandoffFloats,
  splitEpochBytes,
  splitFedFloats,
  splitFedRoundBytes,
  totalBytes,
  ushapedExtraFloats,
  type EngineEvent,
  type MessageKind,
  type RoundMetrics,
} from '~/engine/index';
import { addBytes, clientGrid, commVarsOf, methodBytes, splitEpochBytesOf, methodEpochBytes, sameBytes } from '~/engine/comm';
import { MEASURE_JOBS, formulaBytes, matchingCount, measureConfig, reduceMeasure } from '~/engine/comm-runs';
import { collect, defaultConfig, ofType, setup } from './engine-helpers';

describe('communication formulas (Singh et al. 2019)', () => {
  // Chapter 5's worked example: MNIST, p = 60,000, K = 100, the 2NN cut after its first hidden layer.
  const p = 60_000;
  const N = 199_210;
  const q = 200;
  const clientParams = 784 * 200 + 200;
  const etaC = clientParams / N;

  it('reproduces the worked example: SL 39.70 M floats, FL 39.84 M, crossover near K = 99', () => {
    expect(etaC).toBeCloseTo(0.788, 3);
    expect(slHandoffFloats({ p, q, K: 100, N, etaC }).total).toBeCloseTo(39_700_000, 3);
    expect(flFloats({ K: 100, N }).total).toBe(39_842_000);
    expect(crossoverClients({ p, q, N, etaC })).toBeCloseTo(99.4, 1);
    // the chapter's table over K
    expect(flFloats({ K: 10, N }).total).toBe(3_984_200);
    expect(slHandoffFloats({ p, q, K: 10, N, etaC }).total).toBeCloseTo(25_570_000, 3);
    expect(slHandoffFloats({ p, q, K: 1000, N, etaC }).total).toBeCloseTo(181_000_000, 2);
    expect(slFloats({ p, q, K: 1000 }).total).toBe(24_000_000);
  });

  it('per client and total agree; SL sends less exactly above the crossover', () => {
    for (const K of [5, 50, 500]) {
      const sl = slHandoffFloats({ p, q, K, N, etaC });
      expect(sl.perClient * K).toBeCloseTo(sl.total, 6);
      expect(flFloats({ K, N }).perClient * K).toBe(flFloats({ K, N }).total);
      expect(slFloats({ p, q, K }).perClient * K).toBeCloseTo(slFloats({ p, q, K }).total, 6);
    }
    const k = crossoverClients({ p, q, N, etaC });
    const diff = (K: number) => slHandoffFloats({ p, q, K, N, etaC }).total - flFloats({ K, N }).total;
    expect(diff(Math.floor(k))).toBeGreaterThan(0);
    expect(diff(Math.ceil(k))).toBeLessThan(0);
    expect(Math.abs(diff(k))).toBeLessThan(1e-3 * flFloats({ K: k, N }).total);
  });

  it('by-kind tables add up to the table rows plus labels, second cut and routes', () => {
    const sizes = [100, 200, 300];
    const P = 600;
    const vanilla = splitEpochBytes({ clientSizes: sizes, variant: 'vanilla', q: 32, clientParams: 2080, handoff: 'p2p' });
    expect(totalBytes(vanilla)).toBe(FLOAT_BYTES * (slHandoffFloats({ p: P, q: 32, K: 3, N: 2080, etaC: 1 }).total + labelFloats(P)));
    const viaServer = splitEpochBytes({ clientSizes: sizes, variant: 'vanilla', q: 32, clientParams: 2080, handoff: 'server' });
    expect(viaServer.handoff).toBe(2 * vanilla.handoff!);
    const u = splitEpochBytes({ clientSizes: sizes, variant: 'ushaped', q: 32, q2: 16, clientParams: 2250, handoff: null });
    expect(totalBytes(u)).toBe(FLOAT_BYTES * (slFloats({ p: P, q: 32, K: 3 }).total + ushapedExtraFloats(P, 16)));
    expect(u.labels).toBeUndefined();
    const one = splitEpochBytes({ clientSizes: [600], variant: 'vanilla', q: 32, clientParams: 2080, handoff: 'p2p' });
    expect(one.handoff).toBeUndefined(); // nobody to hand to
    const sf = splitFedRoundBytes({ clientSizes: sizes, variant: 'vanilla', q: 32, clientParams: 2080, epochs: 2 });
    expect(totalBytes(sf)).toBe(FLOAT_BYTES * (splitFedFloats({ p: P, q: 32, m: 3, clientParams: 2080, epochs: 2 }).total + labelFloats(2 * P)));
    expect(totalBytes(flRoundBytes({ m: 3, N: 100 }))).toBe(FLOAT_BYTES * flFloats({ K: 3, N: 100 }).total);
  });
});

describe('property 3: measured bytes equal the formulas', () => {
  beforeAll(setup);

  const digits = (over: Parameters<typeof defaultConfig>[0] = {}) =>
    defaultConfig({ dataset: { name: 'digits', noise: 0, size: 300 }, model: { kind: 'mlp', hidden: [32, 16] }, lr: 0.1, ...over });

  /** Sizes, model figures and per-round metrics of a run, and a check that events and metrics agree. */
  function summary(events: EngineEvent[]) {
    const start = events[0];
    if (start.type !== 'run-started') throw new Error('no run-started');
    const rounds = ofType(events, 'round-metrics').map((e) => e.metrics);
    // Every byte is announced once by a per-message event, and round totals match the kinds.
    const fromEvents: Partial<Record<MessageKind, number>> = {};
    const add = (k: MessageKind, b: number) => (fromEvents[k] = (fromEvents[k] ?? 0) + b);
    for (const e of events) {
      if (e.type === 'message-sent') add(e.kind, e.bytes);
      else if (e.type === 'smashed-sent') add('smashed', e.bytes);
      else if (e.type === 'gradient-returned') add('gradient', e.bytes);
      else if (e.type === 'client-handoff') add('handoff', e.bytes);
    }
    const fromMetrics: Partial<Record<MessageKind, number>> = {};
    for (const m of rounds) {
      expect(m.bytesUp + m.bytesDown).toBe(totalBytes(m.bytesByKind));
      for (const [k, b] of Object.entries(m.bytesByKind)) fromMetrics[k as MessageKind] = (fromMetrics[k as MessageKind] ?? 0) + b!;
    }
    expect(fromMetrics).toEqual(fromEvents);
    return { start, rounds, sizes: start.data.histograms.map((h) => h.reduce((a, b) => a + b, 0)) };
  }
  const perRound = (rounds: RoundMetrics[]) => rounds.map((m) => m.bytesByKind);

  it('FL: 2·K·N·4 bytes per round with all clients', async () => {
    const { start, rounds } = summary(await collect(digits({ algorithm: 'fedavg', clients: 5, fraction: 1, rounds: 2, localEpochs: 1 })));
    for (const m of rounds) {
      expect(m.bytesByKind).toEqual(flRoundBytes({ m: 5, N: start.parameters }));
      expect(m.bytesUp + m.bytesDown).toBe(FLOAT_BYTES * flFloats({ K: 5, N: start.parameters }).total);
    }
  });

  it('vanilla SL with one client: 2pq·4 per epoch plus the labels', async () => {
    const { start, rounds, sizes } = summary(await collect(digits({ algorithm: 'split', clients: 1, cut: 2, epochs: 2 })));
    const p = sizes[0];
    expect(start.cutWidth).toBe(16);
    for (const m of rounds) {
      expect(m.bytesByKind).toEqual({ smashed: 4 * p * 16, gradient: 4 * p * 16, labels: 4 * p });
      expect(m.bytesUp + m.bytesDown).toBe(FLOAT_BYTES * (slFloats({ p, q: 16, K: 1 }).total + labelFloats(p)));
    }
  });

  it.each(['p2p', 'server'] as const)('SL with hand-off (%s), unequal clients: 2pq + η_c·N·K, plus labels', async (handoff) => {
    const K = 4;
    const cfg = digits({ algorithm: 'split', clients: K, cut: 1, epochs: 2, handoff, partition: { kind: 'dirichlet', alpha: 0.5 } });
    const { start, rounds, sizes } = summary(await collect(cfg));
    const p = sizes.reduce((a, b) => a + b, 0);
    const q = start.cutWidth!;
    const Nc = start.clientParameters!;
    expect([q, Nc]).toEqual([32, 64 * 32 + 32]);
    expect(new Set(sizes).size).toBeGreaterThan(1);
    for (const bytes of perRound(rounds)) {
      expect(bytes).toEqual(splitEpochBytes({ clientSizes: sizes, variant: 'vanilla', q, clientParams: Nc, handoff }));
      expect(splitEpochBytesOf(start)).toEqual(bytes);
      const copies = handoff === 'server' ? 2 : 1;
      const formula = slHandoffFloats({ p, q, K, N: start.parameters, etaC: Nc / start.parameters }).total;
      expect(totalBytes(bytes)).toBeCloseTo(FLOAT_BYTES * (formula + (copies - 1) * Nc * K + labelFloats(p)), 6);
    }
  });

  it('U-shaped SL: no labels, 2pq + 2pq₂, the head handed on with the front', async () => {
    const cfg = digits({ algorithm: 'split', variant: 'ushaped', clients: 3, cut: 1, epochs: 1 });
    const { start, rounds, sizes } = summary(await collect(cfg));
    const p = sizes.reduce((a, b) => a + b, 0);
    expect([start.cutWidth, start.headCutWidth, start.clientParameters]).toEqual([32, 16, 64 * 32 + 32 + 16 * 10 + 10]);
    const [bytes] = perRound(rounds);
    expect(bytes.labels).toBeUndefined();
    expect(bytes).toEqual(splitEpochBytes({ clientSizes: sizes, variant: 'ushaped', q: 32, q2: 16, clientParams: start.clientParameters!, handoff: 'p2p' }));
    expect(splitEpochBytesOf(start)).toEqual(bytes);
    expect(bytes.smashed! + bytes.gradient!).toBe(FLOAT_BYTES * (slFloats({ p, q: 32, K: 3 }).total + ushapedExtraFloats(p, 16)));
  });

  it('vertical SL: every client sends its band’s activations for every example, client 0 the labels', async () => {
    const cfg = digits({ algorithm: 'split', variant: 'vertical', clients: 3, cut: 1, epochs: 1 });
    const events = await collect(cfg);
    const { start, rounds } = summary(events);
    const p = start.data.trainSize;
    expect(start.cutWidth).toBe(3 * 32);
    expect(perRound(rounds)[0]).toEqual(splitEpochBytes({ clientSizes: [p, p, p], variant: 'vertical', q: [32, 32, 32], clientParams: 0, handoff: null }));
    expect(splitEpochBytesOf(start)).toEqual(perRound(rounds)[0]);
    expect(new Set(ofType(events, 'smashed-sent').map((e) => e.client))).toEqual(new Set([0, 1, 2]));
    expect(new Set(ofType(events, 'message-sent').map((e) => e.from))).toEqual(new Set([0]));
  });

  it.each(['splitfed1', 'splitfed2'] as const)('%s: 2pq·E per round plus the client part down and up per client', async (algorithm) => {
    const cfg = digits({ algorithm, clients: 4, fraction: 0.5, rounds: 3, localEpochs: 2, cut: 2 });
    const events = await collect(cfg);
    const { start, rounds, sizes } = summary(events);
    const picked = ofType(events, 'round-started').map((e) => e.selected);
    rounds.forEach((m, r) => {
      const clientSizes = picked[r].map((k) => sizes[k]);
      expect(clientSizes).toHaveLength(2);
      expect(m.bytesByKind).toEqual(splitFedRoundBytes({ clientSizes, variant: 'vanilla', q: 16, clientParams: start.clientParameters!, epochs: 2 }));
      const p = clientSizes.reduce((a, b) => a + b, 0);
      expect(m.bytesUp + m.bytesDown).toBe(FLOAT_BYTES * (splitFedFloats({ p, q: 16, m: 2, clientParams: start.clientParameters!, epochs: 2 }).total + labelFloats(2 * p)));
    });
  });
});

describe('the comparison pages: bytes per method, and the short runs that measure them', () => {
  beforeAll(setup);

  it('methodEpochBytes is the table in bytes, SplitFed with every client taking part', () => {
    const v = { N: 199_210, p: 60_000, q: 200, etaC: 0.788 };
    const b = methodEpochBytes(v, 100);
    expect(b.fl).toBe(FLOAT_BYTES * flFloats({ K: 100, N: v.N }).total);
    expect(b.sl).toBe(FLOAT_BYTES * slFloats({ p: v.p, q: v.q, K: 100 }).total);
    expect(b.slHandoff).toBeCloseTo(FLOAT_BYTES * slHandoffFloats({ K: 100, ...v }).total, 3);
    expect(b.splitfed).toBeCloseTo(FLOAT_BYTES * splitFedFloats({ p: v.p, q: v.q, m: 100, clientParams: v.etaC * v.N }).total, 3);
    // Past the crossover SL with hand-off sends less than FL; below it, more.
    const k = crossoverClients(v);
    expect(methodEpochBytes(v, Math.ceil(k)).slHandoff).toBeLessThan(methodEpochBytes(v, Math.ceil(k)).fl);
    expect(methodEpochBytes(v, Math.floor(k)).slHandoff).toBeGreaterThan(methodEpochBytes(v, Math.floor(k)).fl);
  });

  it('methodBytes adds the kinds a formula counts; sameBytes allows float rounding only', () => {
    const b = { smashed: 10, gradient: 10, handoff: 5, labels: 3, 'weights-down': 7, 'weights-up': 7 };
    expect([methodBytes(b, 'fl'), methodBytes(b, 'sl'), methodBytes(b, 'slHandoff'), methodBytes(b, 'splitfed')]).toEqual([14, 20, 25, 34]);
    expect(addBytes(b, { smashed: 1, 'raw-data': 2 })).toEqual({ ...b, smashed: 11, 'raw-data': 2 });
    expect(b.smashed).toBe(10);
    expect(sameBytes(1e9 + 1, 1e9)).toBe(true);
    expect(sameBytes(1e9 + 10_000, 1e9)).toBe(false);
  });

  it('clientGrid runs from 1 to max, 20 points per decade', () => {
    const g = clientGrid(10_000);
    expect(g).toHaveLength(81);
    expect([g[0], g[20], g.at(-1)]).toEqual([1, 10, 10_000]);
    expect(clientGrid(64).at(-1)).toBe(64);
  });

  it('the measured runs with 4 clients count exactly the formulas of the split run’s own N, p, q, η_c', async () => {
    const runs = MEASURE_JOBS.filter((j) => j.K === 4);
    expect(runs.map((j) => j.method)).toEqual(['fl', 'sl', 'splitfed']);
    const events = await Promise.all(runs.map((j) => collect(measureConfig(j.method, j.K, 8))));
    const start = events[1][0];
    if (start.type !== 'run-started') throw new Error('no run-started');
    const vars = commVarsOf(start)!;
    expect(commVarsOf(events[0][0] as typeof start)).toBeNull();
    expect(vars.q).toBe(8);
    const formula = methodEpochBytes(vars, 4);
    const counted = (i: number) => ofType(events[i], 'round-metrics')[0].metrics.bytesByKind;
    expect(methodBytes(counted(0), 'fl')).toBe(formula.fl);
    expect(methodBytes(counted(1), 'sl')).toBe(formula.sl);
    expect(sameBytes(methodBytes(counted(1), 'slHandoff'), formula.slHandoff)).toBe(true);
    expect(sameBytes(methodBytes(counted(2), 'splitfed'), formula.splitfed)).toBe(true);
    // The page's reading of the same events: four points (SL twice), each equal to its formula.
    const s = events.flat().reduce(reduceMeasure, { job: MEASURE_JOBS.indexOf(runs[0]), measured: [], measuredVars: null });
    expect(s.job).toBe(MEASURE_JOBS.indexOf(runs[2]) + 1);
    expect(s.measuredVars).toEqual(vars);
    expect(s.measured.map((x) => x.method)).toEqual(['fl', 'sl', 'slHandoff', 'splitfed']);
    expect(s.measured.map((x) => formulaBytes(vars, x))).toEqual([formula.fl, formula.sl, formula.slHandoff, formula.splitfed]);
    expect(matchingCount(vars, s.measured)).toBe(4);
    expect(matchingCount(vars, [{ K: 4, method: 'fl', bytes: formula.fl + 4 }])).toBe(0);
  });
});
