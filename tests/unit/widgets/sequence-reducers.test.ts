/**
 * The reducers of the widgets that train on the kit: split learning and the server view on real
 * engine runs; the three-way race on real runs and on written-out events; the other widgets that
 * run several trainings one after another (FedSGD against FedAvg, the live reproduction, the
 * communication measurements) on event streams written out here, where the rule under test
 * (target reached, round cap, divergence) can be made to happen exactly.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { collect, defaultConfig, setup } from '../engine-helpers';
import type { EngineEvent, RoundMetrics } from '~/engine/types';
import { defaults } from '~/runtime/url-state';
import { initSplit, reduceSplit } from '~/widgets/split-playground/state';
import { totalBytes } from '~/engine/comm';
import { reduceView, type ViewState } from '~/widgets/server-view/state';
import { initVersus, measured, reduceVersus } from '~/widgets/fedsgd-vs-fedavg/state';
import { ranksOf } from '~/engine/metrics';
import { LEARNING_RATES, MAX_ROUNDS, SETTINGS } from '~/widgets/fedsgd-vs-fedavg/config';
import { params as versusParams } from '~/widgets/fedsgd-vs-fedavg/params';
import { initRace, reduceRace } from '~/widgets/three-way/state';
import { RACE, toRunConfig } from '~/widgets/three-way/config';
import { params as raceParams } from '~/widgets/three-way/params';
import { initRepro, reduceRepro } from '~/widgets/reproduction/state';
import { params as reproParams } from '~/widgets/reproduction/params';
import { MEASURED_K, reduceMeasure, type MeasureState } from '~/engine/comm-runs';

beforeAll(setup);

const metrics = (round: number, testAccuracy: number, bytesByKind: RoundMetrics['bytesByKind'] = {}): EngineEvent => ({
  type: 'round-metrics',
  metrics: { round, testAccuracy, testLoss: 1, trainLoss: 1, bytesUp: 0, bytesDown: 0, bytesByKind },
});
const finished: EngineEvent = { type: 'run-finished' } as EngineEvent;
const diverged: EngineEvent = { type: 'run-diverged', round: 1, message: '발산했습니다.', messageEn: 'diverged' };

describe('split-learning reducer', () => {
  test('bytes by kind add up to what the engine reported per epoch, and the formula is there', async () => {
    const config = defaultConfig({ algorithm: 'split', dataset: { name: 'moons', noise: 0.1, size: 120 }, clients: 2, epochs: 2, batchSize: 20, lr: 0.1, cut: 1, variant: 'vanilla', handoff: 'p2p', seed: 2 });
    const events = await collect(config);
    const s = events.reduce(reduceSplit, initSplit());
    const rows = events.filter((e): e is Extract<EngineEvent, { type: 'round-metrics' }> => e.type === 'round-metrics').map((e) => e.metrics);
    expect(s.rows).toEqual(rows);
    expect(totalBytes(s.totals)).toBe(rows.reduce((a, m) => a + m.bytesUp + m.bytesDown, 0));
    expect(s.epochBytes).toEqual(rows[1].bytesByKind);
    expect(s.formula?.smashed).toBe(rows[0].bytesByKind.smashed);
    expect(s.seen['smashed-sent']).toBe(events.filter((e) => e.type === 'smashed-sent').length);
    expect(s.seen['smashed-sent']).toBeGreaterThan(0);
    expect(s.sample?.values.length).toBeGreaterThan(0);
    // The running epoch's tally starts from nothing at each round-started.
    expect(reduceSplit(s, { type: 'round-started', round: 3, selected: [] }).epochBytes).toEqual({});
  });
});

describe('server-view reducer', () => {
  test('keeps the last accuracy and the view; a new run forgets both', () => {
    let s: ViewState = { parameters: 0, accuracy: null, view: null };
    s = reduceView(s, metrics(1, 0.5));
    s = reduceView(s, metrics(2, 0.75));
    expect(s.accuracy).toBe(0.75);
    const view = { type: 'server-view', inputShape: [8, 8, 1], examples: [], leakage: [] } as unknown as EngineEvent;
    s = reduceView(s, view);
    expect(s.view).toBe(view);
    const started = { type: 'run-started', config: defaultConfig({}), parameters: 9, data: {} } as unknown as EngineEvent;
    expect(reduceView(s, started)).toMatchObject({ accuracy: null, view: null, parameters: 9 });
  });
});

describe('FedSGD-against-FedAvg grid reducer', () => {
  const values = { ...defaults(versusParams), target: '0.9' as never };

  test('a run ends when the target is reached; a slower rate of the same setting gets a lower cap', () => {
    let s = initVersus(values);
    expect(s.job).toMatchObject({ s: 0, lrIndex: 0, cap: MAX_ROUNDS });
    expect(s.job?.config.lr).toBe(LEARNING_RATES[0]);
    s = reduceVersus(s, metrics(1, 0.5));
    s = reduceVersus(s, metrics(2, 0.8));
    expect(s.finished).toHaveLength(0);
    s = reduceVersus(s, metrics(3, 1.0));
    // 0.8 → 1.0 crosses 0.9 half-way through round 3.
    expect(s.finished[0].run.rounds).toBeCloseTo(2.5, 10);
    expect(s.grid[SETTINGS[0].key].best?.lr).toBe(LEARNING_RATES[0]);
    // Next: the same setting at the next rate, capped at the rounds the best one took.
    expect(s.job).toMatchObject({ s: 0, lrIndex: 1, cap: 3 });
    expect(s.started).toBe(2);
    // It uses up its cap without reaching the target: recorded as not reached, on to the third rate.
    for (let r = 1; r <= 3; r++) s = reduceVersus(s, metrics(r, 0.6));
    expect(s.finished[1].run).toMatchObject({ rounds: null, trained: 3, diverged: false });
    expect(s.job).toMatchObject({ s: 0, lrIndex: 2 });
    // A divergence ends the run too; the setting is done after its last rate.
    s = reduceVersus(s, diverged);
    expect(s.finished[2].run.diverged).toBe(true);
    expect(s.grid[SETTINGS[0].key].done).toBe(true);
    expect(s.job?.s).toBe(1);
    expect(measured(s)[0]).toBeCloseTo(2.5, 10);
    expect(ranksOf([3, null, 1, 2])).toEqual([3, null, 1, 2]);
    expect(ranksOf([30, null, 10, 20])).toEqual([3, null, 1, 2]);
  });

  test('every setting at every rate, then no job', () => {
    let s = initVersus(values);
    let guard = 0;
    while (s.job && guard++ < 100) s = reduceVersus(s, finished);
    expect(s.job).toBeNull();
    expect(s.finished).toHaveLength(SETTINGS.length * LEARNING_RATES.length);
  });
});

describe('three-way race reducer', () => {
  test('four runs in order; times are the engine\'s own; parallel saving for FedAvg only', () => {
    let s = initRace();
    const start = (parameters: number) => ({ type: 'run-started', config: defaultConfig({ algorithm: 'fedavg' }), parameters, data: { trainSize: 100, testSize: 10 } }) as unknown as EngineEvent;
    const timed = (e: EngineEvent, ms: number) => ({ ...e, ms }) as EngineEvent;
    // Centralized: one epoch that the engine computed in 50 ms.
    s = reduceRace(s, start(10));
    s = reduceRace(s, timed(metrics(1, 0.5, { 'raw-data': 400 }), 50));
    s = reduceRace(s, finished);
    expect(s.records[0]).toMatchObject({ state: 'done', wall: 50, parallelSaving: 0, bytes: { 'raw-data': 400 } });
    expect(s.current).toBe(1);
    // FedAvg: in parallel a round would wait only for its slowest client.
    s = reduceRace(s, start(10));
    s = reduceRace(s, { type: 'round-started', round: 1, selected: [0, 1] });
    s = reduceRace(s, { type: 'client-trained', round: 1, client: 0, n: 5, loss: 1, accuracy: 0.5, ms: 30 });
    s = reduceRace(s, { type: 'client-trained', round: 1, client: 1, n: 5, loss: 1, accuracy: 0.5, ms: 50 });
    s = reduceRace(s, timed(metrics(1, 0.6, { 'weights-down': 80, 'weights-up': 80 }), 60));
    expect(s.records[1]).toMatchObject({ wall: 60, bytes: { 'weights-down': 80, 'weights-up': 80 } });
    // Clients of 30 and 50 ms: in parallel the round waits 50, a saving of 30.
    expect(s.records[1].parallelSaving).toBe(30);
    s = reduceRace(s, diverged);
    expect(s.records[1]).toMatchObject({ state: 'diverged', message: '발산했습니다.' });
    s = reduceRace(s, finished);
    s = reduceRace(s, finished);
    expect(s.current).toBe(RACE.length);
    // Past the end nothing changes.
    expect(reduceRace(s, metrics(1, 1))).toBe(s);
  });

  test('on the four real runs: wall time and saving come from the engine, however the events arrive', async () => {
    const values = { ...defaults(raceParams), epochs: 2, local: 1 };
    const streams: EngineEvent[][] = [];
    for (const m of RACE) streams.push(await collect(toRunConfig(m, values)));
    // The reducer sees only the events: the same state whether they came one by one or all at once.
    const s = streams.flat().reduce(reduceRace, initRace());
    expect(s.current).toBe(RACE.length);
    RACE.forEach((m, i) => {
      const r = s.records[i];
      const rounds = streams[i].filter((e): e is Extract<EngineEvent, { type: 'round-metrics' }> => e.type === 'round-metrics');
      expect(r.state).toBe('done');
      expect(r.wall).toBeCloseTo(rounds.reduce((a, e) => a + e.ms!, 0), 6);
      expect(r.wall).toBeGreaterThan(0);
      // The saving never exceeds the time spent: it is the clients' time minus the slowest's.
      expect(r.parallelSaving).toBeLessThan(r.wall);
      if (m === 'fl' || m === 'splitfed') expect(r.parallelSaving, m).toBeGreaterThan(0);
      else expect(r.parallelSaving, m).toBe(0);
    });
  }, 120_000);
});

describe('live reproduction reducer', () => {
  test('FedSGD first; each run stops at the target, the cap or a divergence', () => {
    const values = { ...defaults(reproParams), target: 90, e1b10: true, e1b50: false, e5ball: true, e5b10: false };
    let s = initRepro(values, {});
    expect(s.records.map((r) => r.entry.id)).toEqual(['fedsgd', 'e1-b10', 'e5-ball']);
    expect(s.records.map((r) => r.state)).toEqual(['running', 'waiting', 'waiting']);
    s = reduceRepro(s, metrics(1, 0.5));
    s = reduceRepro(s, metrics(2, 0.95));
    // From 0.5 to 0.95 the curve crosses 0.9 at 8/9 of round 2.
    expect(s.records[0]).toMatchObject({ state: 'target' });
    expect(s.records[0].roundsToTarget).toBeCloseTo(1 + 0.4 / 0.45, 10);
    expect(s.records[1].state).toBe('running');
    s = reduceRepro(s, metrics(1, 0.3));
    s = reduceRepro(s, finished);
    expect(s.records[1]).toMatchObject({ state: 'cap', roundsToTarget: null, accuracies: [0.3] });
    s = reduceRepro(s, diverged);
    expect(s.records[2]).toMatchObject({ state: 'diverged', message: '발산했습니다.' });
    expect(s.current).toBe(3);
  });
});

describe('communication measurement reducer', () => {
  test('fl, sl, splitfed at each K; the split run gives the measured model and two figures', () => {
    let s: MeasureState = { job: 0, measured: [], measuredVars: null };
    s = reduceMeasure(s, metrics(1, 0.5, { 'weights-down': 100, 'weights-up': 100, 'raw-data': 7 }));
    expect(s.measured).toEqual([{ K: 1, method: 'fl', bytes: 200 }]);
    s = reduceMeasure(s, finished);
    const started = { type: 'run-started', config: defaultConfig({}), parameters: 1000, clientParameters: 250, cutWidth: 32, data: { trainSize: 1437 } } as unknown as EngineEvent;
    s = reduceMeasure(s, started);
    expect(s.measuredVars).toEqual({ N: 1000, p: 1437, q: 32, etaC: 0.25 });
    s = reduceMeasure(s, metrics(1, 0.5, { smashed: 10, gradient: 10, handoff: 5 }));
    expect(s.measured.slice(1)).toEqual([
      { K: 1, method: 'sl', bytes: 20 },
      { K: 1, method: 'slHandoff', bytes: 25 },
    ]);
    s = reduceMeasure(s, diverged);
    expect(s.job).toBe(2);
    for (let i = 2; i < 3 * MEASURED_K.length; i++) s = reduceMeasure(s, finished);
    expect(s.job).toBe(3 * MEASURED_K.length);
    expect(reduceMeasure(s, finished)).toBe(s);
  });
});
