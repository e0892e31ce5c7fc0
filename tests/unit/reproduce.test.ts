/**
 * `npm run reproduce`: flags, the learning-rate search (grid order, early stops that cannot
 * change the answer, extension beyond a winning edge), speed-ups with bounds, thinning, and one
 * real, tiny end-to-end run through the engine that writes a results file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { configFor, gridOrder, main, parseArgs, parseSetting, runOrder, RUN_OPTIONS, Slots, speedupAgainst, thinCurve, tune, UsageError, type RunCurve } from '../../scripts/reproduce';
import { roundsToTarget } from '~/engine/metrics';
import { CHANCE, paperChecks, paperSpeedup, PAPER_ROWS, type ReproductionReport } from '~/data/reproduction';
import { baseLr, chosenLrs, race, toRunConfig } from '~/widgets/reproduction/config';
import { run, validateConfig } from '~/engine/index';
import { initNodeBackend, nodeDataSource } from '~/engine/node';

describe('flags', () => {
  test('defaults: the paper setup, both partitions, FedSGD among the settings', () => {
    const o = parseArgs([]);
    expect(o.clients).toBe(100);
    expect(o.fraction).toBe(0.1);
    expect(o.partitions).toEqual(['iid', 'shards']);
    expect(o.settings.map((s) => `${s.algorithm}:${s.localEpochs}:${s.batchSize}`)).toContain('fedsgd:1:all');
    expect(o.out.endsWith(path.join('src', 'data', 'reproduction.json'))).toBe(true);
    expect(o.jobs).toBe(Math.min(2, os.availableParallelism()));
    expect(parseArgs(['--jobs', '1']).jobs).toBe(1);
  });

  test('--quick lowers the target and the rounds and does not overwrite the committed results', () => {
    const o = parseArgs(['--quick']);
    const d = parseArgs([]);
    expect(o.quick).toBe(true);
    expect(o.target).toBeLessThan(d.target);
    expect(o.maxRounds).toBeLessThan(d.maxRounds);
    expect(o.gridPoints).toBe(1);
    expect(o.out.startsWith(os.tmpdir())).toBe(true);
    expect(parseArgs(['--quick', '--target', '0.8']).target).toBe(0.8);
  });

  test('settings: fedsgd and ExB, with an optional grid centre', () => {
    expect(parseSetting('fedsgd')).toEqual({ algorithm: 'fedsgd', localEpochs: 1, batchSize: 'all', lr: 0.5 });
    expect(parseSetting('5xall')).toMatchObject({ algorithm: 'fedavg', localEpochs: 5, batchSize: 'all' });
    expect(parseSetting('20x10@0.05')).toEqual({ algorithm: 'fedavg', localEpochs: 20, batchSize: 10, lr: 0.05 });
  });

  test.each([
    [['--settings', '1x10'], /must include fedsgd/],
    [['--settings', 'fedsgd,1x10,1x10'], /twice/],
    [['--settings', 'fedsgd,1xall'], /is FedSGD/],
    [['--settings', 'fedsgd,banana'], /not 'fedsgd' or ExB/],
    [['--target', '1.5'], /--target/],
    [['--max-rounds', '2.5'], /--max-rounds/],
    [['--partitions', 'iid,dirichlet'], /--partitions/],
    [['--grid'], /needs a value/],
    [['--frobnicate'], /unknown flag/],
    [['--clients', '5000'], /--clients/],
    [['--jobs', '0'], /--jobs/],
    [['--jobs', '1.5'], /--jobs/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('the learning-rate search', () => {
  test('grid order: the centre, then neighbours outwards, alternating below and above', () => {
    expect(gridOrder(0.1, 1, 2)).toEqual([0.1]);
    expect(gridOrder(0.1, 3, 2)).toEqual([0.1, 0.05, 0.2]);
    expect(gridOrder(0.5, 5, 2)).toEqual([0.5, 0.25, 1, 0.125, 2]);
    expect(gridOrder(1, 4, 10)).toEqual([1, 0.1, 10, 0.01]);
  });

  /**
   * A scripted trainer: accuracy after round r is 1 − (1 − CHANCE)·exp(−r/τ(η)), stopping at the
   * target as the engine runner does. Records the cap each η was given.
   */
  function scripted(tau: (lr: number) => number, target: number) {
    const calls: Array<{ lr: number; cap: number; rounds: number }> = [];
    const runCurve: RunCurve = async (lr, cap) => {
      const acc: number[] = [];
      for (let r = 1; r <= cap; r++) {
        acc.push(1 - (1 - CHANCE) * Math.exp(-r / tau(lr)));
        if (roundsToTarget(acc, target, CHANCE) !== null) break;
      }
      calls.push({ lr, cap, rounds: acc.length });
      return { accuracies: acc, diverged: false, seconds: 0 };
    };
    return { calls, runCurve };
  }

  test('picks the η with the fewest rounds and stops the others once they cannot win', async () => {
    // τ is smallest at η = 0.2: the best learning rate is the grid's upper neighbour.
    const tau = (lr: number) => ({ 0.05: 40, 0.1: 20, 0.2: 10, 0.4: 30 })[lr] ?? 100;
    const { calls, runCurve } = scripted(tau, 0.9);
    const res = await tune(0.1, { target: 0.9, gridPoints: 3, gridFactor: 2, gridExtensions: 0 }, 500, runCurve);
    expect(res.best.lr).toBe(0.2);
    // The centre ran to its crossing; 0.05 was capped at the centre's rounds and stopped there.
    expect(calls[0]).toMatchObject({ lr: 0.1, cap: 500 });
    const centreRounds = calls[0].rounds;
    expect(calls[1]).toMatchObject({ lr: 0.05, cap: centreRounds, rounds: centreRounds });
    expect(res.candidates.find((c) => c.lr === 0.05)!.stop).toBe('beaten');
    expect(res.candidates.find((c) => c.lr === 0.2)!.stop).toBe('target');
    // The chosen run's accuracies are the ones returned for the curve.
    expect(roundsToTarget(res.accuracies, 0.9, CHANCE)).toBeCloseTo(res.best.roundsToTarget!, 12);
    // Capping never changes the answer: the full grid run without caps picks the same η.
    const free = scripted(tau, 0.9);
    const uncapped = await Promise.all([0.05, 0.1, 0.2].map((lr) => free.runCurve(lr, 500)));
    const rtts = uncapped.map((u) => roundsToTarget(u.accuracies, 0.9, CHANCE)!);
    expect([0.05, 0.1, 0.2][rtts.indexOf(Math.min(...rtts))]).toBe(res.best.lr);
  });

  test('with several runs at once: the same η and curve, the losers stopped once beaten', async () => {
    // Each round takes a turn of the event loop, so runs started together really interleave.
    const calls: Array<{ lr: number; rounds: number }> = [];
    const tau = (lr: number) => ({ 0.05: 40, 0.1: 20, 0.2: 10, 0.4: 30, 0.025: 80 })[lr] ?? 100;
    const runCurve: RunCurve = async (lr, cap, limit = () => cap) => {
      const acc: number[] = [];
      for (let r = 1; r <= cap && r <= limit(); r++) {
        await new Promise((resolve) => setImmediate(resolve));
        acc.push(1 - (1 - CHANCE) * Math.exp(-r / tau(lr)));
        if (roundsToTarget(acc, 0.9, CHANCE) !== null) break;
      }
      calls.push({ lr, rounds: acc.length });
      return { accuracies: acc, diverged: false, seconds: 0 };
    };
    const grid = { target: 0.9, gridPoints: 4, gridFactor: 2, gridExtensions: 1 };
    const one = await tune(0.1, grid, 500, runCurve, undefined, 1);
    const oneRounds = calls.splice(0).reduce((a, c) => a + c.rounds, 0);
    const two = await tune(0.1, grid, 500, runCurve, undefined, 2);
    expect(two.best).toEqual(one.best);
    expect(two.accuracies).toEqual(one.accuracies);
    expect(two.candidates.map((c) => c.lr)).toEqual(one.candidates.map((c) => c.lr));
    // 0.05 started beside the centre and was stopped as soon as the centre had beaten it.
    const slow = two.candidates.find((c) => c.lr === 0.05)!;
    expect(slow.stop).toBe('beaten');
    expect(slow.roundsRun).toBe(Math.ceil(two.candidates.find((c) => c.lr === 0.1)!.roundsToTarget!));
    expect(two.best.lr).toBe(0.2);
    expect(calls.reduce((a, c) => a + c.rounds, 0)).toBeLessThanOrEqual(oneRounds + 2 * Math.ceil(one.best.roundsToTarget!));
  });

  test('looks beyond a winning edge, once per extension', async () => {
    const tau = (lr: number) => 10 / lr; // larger η is always better here
    const { calls, runCurve } = scripted(tau, 0.9);
    const res = await tune(1, { target: 0.9, gridPoints: 3, gridFactor: 2, gridExtensions: 1 }, 1000, runCurve);
    expect(calls.map((c) => c.lr)).toEqual([1, 0.5, 2, 4]);
    expect(res.best.lr).toBe(4);
    expect(res.candidates.map((c) => c.lr)).toEqual([0.5, 1, 2, 4]);
  });

  test('when no η reaches the target, the one with the best accuracy is chosen and rounds are null', async () => {
    const tau = (lr: number) => ({ 0.1: 300, 0.05: 500, 0.2: 200 })[lr]!;
    const { calls, runCurve } = scripted(tau, 0.99);
    const res = await tune(0.1, { target: 0.99, gridPoints: 3, gridFactor: 2, gridExtensions: 0 }, 20, runCurve);
    expect(calls.every((c) => c.cap === 20 && c.rounds === 20)).toBe(true);
    expect(res.best.lr).toBe(0.2);
    expect(res.best.roundsToTarget).toBeNull();
    expect(res.candidates.every((c) => c.stop === 'cap')).toBe(true);
  });

  test('a diverged run is recorded as such and loses to one that learns', async () => {
    const runCurve: RunCurve = async (lr, cap) =>
      lr > 0.1 ? { accuracies: [0.3, 0.1, NaN], diverged: true, seconds: 0 } : { accuracies: Array.from({ length: cap }, (_, i) => 0.5 + i * 0.001), diverged: false, seconds: 0 };
    const res = await tune(0.1, { target: 0.99, gridPoints: 3, gridFactor: 2, gridExtensions: 0 }, 10, runCurve);
    expect(res.candidates.find((c) => c.lr === 0.2)!.stop).toBe('diverged');
    expect(res.best.lr).not.toBe(0.2);
  });
});

describe('the training processes', () => {
  test('a free slot goes to the waiting call with the lowest priority, the earliest among equals', async () => {
    const slots = new Slots(1);
    const served: string[] = [];
    const ask = (name: string, priority: number) =>
      slots.acquire(priority).then((slot) => {
        served.push(name);
        // Hold the slot for a turn of the event loop, as a training would.
        setImmediate(() => slots.release(slot));
      });
    // Asked together, in the opposite order of their priorities: the free slot is not simply
    // given to the first caller.
    await Promise.all([ask('c', 2), ask('a', 0), ask('b1', 1), ask('b2', 1)]);
    expect(served).toEqual(['a', 'b1', 'b2', 'c']);
    // Not trivially ordered: first come, first served would have answered c, a, b1, b2.
    expect(served).not.toEqual(['c', 'a', 'b1', 'b2']);
  });

  test('two slots serve two calls at once', async () => {
    const slots = new Slots(2);
    const [x, y] = await Promise.all([slots.acquire(5), slots.acquire(1)]);
    expect(new Set([x, y])).toEqual(new Set([0, 1]));
    let third = false;
    const later = slots.acquire(0).then((slot) => {
      third = true;
      return slot;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBe(false);
    slots.release(y);
    expect(await later).toBe(y);
  });

  test('run order: the non-IID partition first, FedSGD before FedAvg, more local epochs first', () => {
    const settings = ['fedsgd', '1x10', '5xall'].map(parseSetting);
    const [fedsgd, e1, e5] = settings;
    const partitions = ['iid', 'shards'] as const;
    const rank = (p: 'iid' | 'shards', s: (typeof settings)[number]) => runOrder(partitions, settings, p, s);
    const ranked = partitions.flatMap((p) => settings.map((s) => ({ p, s, r: rank(p, s) }))).sort((a, b) => a.r - b.r);
    expect(ranked.map(({ p, s }) => `${p} ${s.algorithm}${s.localEpochs}`)).toEqual([
      'shards fedsgd1',
      'shards fedavg5',
      'shards fedavg1',
      'iid fedsgd1',
      'iid fedavg5',
      'iid fedavg1',
    ]);
    expect(new Set(ranked.map((x) => x.r)).size).toBe(6);
    expect(rank('shards', e5)).toBeLessThan(rank('iid', fedsgd));
    expect(rank('iid', e5)).toBeLessThan(rank('iid', e1));
  });
});

describe('results', () => {
  test('speed-ups: exact when both reach the target, a bound when one side stopped at its cap', () => {
    expect(speedupAgainst({ roundsToTarget: 100, cap: 250 }, { roundsToTarget: 10, cap: 125 })).toEqual({ speedup: 10, speedupBound: 'exact' });
    expect(speedupAgainst({ roundsToTarget: null, cap: 250 }, { roundsToTarget: 10, cap: 250 })).toEqual({ speedup: 25, speedupBound: 'lower' });
    expect(speedupAgainst({ roundsToTarget: 100, cap: 250 }, { roundsToTarget: null, cap: 125 })).toEqual({ speedup: 0.8, speedupBound: 'upper' });
    expect(speedupAgainst({ roundsToTarget: null, cap: 250 }, { roundsToTarget: null, cap: 250 })).toEqual({ speedup: null, speedupBound: null });
  });

  test('the paper speed-ups computed from its rounds are the ones the paper prints', () => {
    const printed = [null, 16.9, null, 3.5, 9.6, 18.4, 31.3, 34.8];
    const printedShards = [null, 2.7, null, 0.5, 0.8, 1.4, 2.1, 2.8];
    PAPER_ROWS.forEach((row, i) => {
      if (printed[i] !== null) expect(paperSpeedup(row, 'iid').toFixed(1)).toBe(printed[i]!.toFixed(1));
      if (printedShards[i] !== null) expect(paperSpeedup(row, 'shards').toFixed(1)).toBe(printedShards[i]!.toFixed(1));
    });
  });

  test('thinning keeps early rounds, the crossing and the last round, and the best-so-far curve', () => {
    const acc = Array.from({ length: 400 }, (_, i) => 0.5 + 0.4 * (1 - Math.exp(-i / 80)) + (i % 7 === 0 ? -0.05 : 0));
    const c = thinCurve(acc, 333.4);
    expect(c.round.slice(0, 50)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(c.round).toContain(334);
    expect(c.round[c.round.length - 1]).toBe(400);
    expect(c.round.length).toBeLessThanOrEqual(160);
    for (let i = 1; i < c.best.length; i++) expect(c.best[i]).toBeGreaterThanOrEqual(c.best[i - 1]);
    c.round.forEach((r, i) => expect(c.accuracy[i]).toBeCloseTo(acc[r - 1], 4));
  });
});

test('a real, tiny run trains with the engine and writes a complete results file', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'repro-test-'));
  const out = path.join(dir, 'r.json');
  try {
    const code = await main(['--mnist', 'subset', '--clients', '20', '--fraction', '0.1', '--target', '0.7', '--max-rounds', '3', '--grid', '2', '--grid-extensions', '0', '--settings', 'fedsgd,1x50', '--partitions', 'iid', '--jobs', '2', '--out', out]);
    expect(code).toBe(0);
    const r = JSON.parse(readFileSync(out, 'utf8')) as ReproductionReport;
    expect(r.schema).toBe(1);
    expect(r.setup).toMatchObject({ model: '2nn', parameters: 199210, clients: 20, clientsPerRound: 2, trainSize: 10000, testSize: 2000 });
    expect(r.settings.map((s) => s.id)).toEqual(['fedsgd', 'e1-b50']);
    expect(r.results).toHaveLength(2);
    for (const res of r.results) {
      expect(res.candidates).toHaveLength(2);
      expect(res.curve.round.length).toBeGreaterThan(0);
      expect(res.curve.round.length).toBeLessThanOrEqual(3);
      for (const a of res.curve.accuracy) expect(a).toBeGreaterThan(0);
    }
    // FedAvg with 50-example batches takes 10× the steps of FedSGD per round: it gets further.
    const fedavg = r.results.find((x) => x.setting === 'e1-b50')!;
    const fedsgd = r.results.find((x) => x.setting === 'fedsgd')!;
    expect(fedavg.bestAccuracy).toBeGreaterThan(fedsgd.bestAccuracy);
    if (fedsgd.roundsToTarget === null && fedavg.roundsToTarget !== null) expect(fedavg.speedupBound).toBe('lower');
    expect(fedsgd.speedup).toBe(fedsgd.roundsToTarget === null ? null : 1);
    expect(r.command).toContain('npm run reproduce --');
    expect(r.machine.jobs).toBe(2);
    expect(Date.parse(r.generatedAt)).not.toBeNaN();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);

describe('the checks against the paper', () => {
  const result = (partition: 'iid' | 'shards', setting: string, speedup: number | null, speedupBound: 'exact' | 'lower' | 'upper' | null) => ({
    partition,
    setting,
    lr: 0.1,
    roundsToTarget: speedupBound === 'upper' ? null : 10,
    cap: 100,
    bestAccuracy: 0.9,
    speedup,
    speedupBound,
    candidates: [],
    curve: { round: [], accuracy: [], best: [] },
  });
  const reportWith = (results: ReturnType<typeof result>[]) => ({ results }) as unknown as ReproductionReport;
  const verdicts = (r: ReproductionReport) => Object.fromEntries(paperChecks(r).map((c) => [c.id, c.holds]));

  test('a run shaped like the paper reproduces every finding', () => {
    const v = verdicts(
      reportWith([
        result('iid', 'e1-b10', 16.9, 'exact'),
        result('shards', 'e1-b10', 2.7, 'exact'),
        result('iid', 'e5-ball', 3.5, 'exact'),
        result('shards', 'e5-ball', 0.8, 'upper'),
      ]),
    );
    expect(v).toEqual({
      'iid-ordering': null, // no FedSGD result in this report
      'iid-e1b10-faster': true,
      'iid-order-of-magnitude': true,
      'noniid-smaller-gain': true,
      'noniid-e1b10-still-faster': true,
      'iid-e5ball-faster': true,
      'noniid-e5ball-slower': true,
    });
  });

  test('the IID ordering needs all three settings and follows their rounds', () => {
    const r = (setting: string, rounds: number | null) => ({ ...result('iid', setting, 1, 'exact'), roundsToTarget: rounds });
    const v = (a: number | null, b: number | null, c: number | null) => verdicts(reportWith([r('e1-b10', a), r('e5-ball', b), r('fedsgd', c)]))['iid-ordering'];
    expect(v(4.5, 14.3, 64.4)).toBe(true);
    expect(v(4.5, 14.3, null)).toBe(true);
    expect(v(14.3, 4.5, 64.4)).toBe(false);
    expect(v(4.5, 70, 64.4)).toBe(false);
    expect(v(4.5, null, 64.4)).toBeNull();
  });

  test('findings that do not hold are reported as such, and bounds that cannot decide as unknown', () => {
    const v = verdicts(
      reportWith([
        result('iid', 'e1-b10', 4, 'exact'), // faster, but not tenfold
        result('shards', 'e1-b10', 5, 'exact'), // a larger gain than on IID
        result('shards', 'e5-ball', 1.3, 'exact'), // faster than FedSGD
        result('iid', 'e5-ball', 0.9, 'lower'), // "at least 0.9×": cannot tell
      ]),
    );
    expect(v['iid-e1b10-faster']).toBe(true);
    expect(v['iid-order-of-magnitude']).toBe(false);
    expect(v['noniid-smaller-gain']).toBe(false);
    expect(v['noniid-e5ball-slower']).toBe(false);
    expect(v['iid-e5ball-faster']).toBeNull();
    // A bound on one side: "at least 12×" on IID against exactly 2× on non-IID is certainly smaller.
    const w = verdicts(reportWith([result('iid', 'e1-b10', 12, 'lower'), result('shards', 'e1-b10', 2, 'exact')]));
    expect(w['noniid-smaller-gain']).toBe(true);
    expect(w['iid-order-of-magnitude']).toBe(true);
    // Settings that were not run cannot be judged.
    expect(w['iid-e5ball-faster']).toBeNull();
    expect(paperChecks(reportWith([])).find((c) => c.id === 'iid-e5ball-faster')!.ours).toBe('실행하지 않음');
  });
});

describe('the live widget’s runs', () => {
  const values = { partition: 'shards', clients: 50, target: 90, rounds: 100, e1b10: true, e1b50: false, e5ball: true, e5b10: false, lrScale: 2, seed: 3, curve: 'best' } as const;

  test('FedSGD first, then the ticked FedAvg settings, with the full-size run’s η times the multiplier', () => {
    const chosen = chosenLrs(reportWith2([{ partition: 'shards', setting: 'e1-b10', lr: 0.05 }]));
    const entries = race(values, chosen);
    expect(entries.map((e) => e.id)).toEqual(['fedsgd', 'e1-b10', 'e5-ball']);
    expect(entries.map((e) => e.lr)).toEqual([1, 0.1, 1]);
    const cfg = toRunConfig(entries[1], values);
    expect(cfg).toMatchObject({ algorithm: 'fedavg', localEpochs: 1, batchSize: 10, lr: 0.1, clients: 50, fraction: 0.1, rounds: 100, seed: 3 });
    expect(cfg.partition).toMatchObject({ kind: 'shards', shardsPerClient: 2 });
    expect(cfg.dataset.name).toBe('mnist');
    expect(cfg.model.kind).toBe('2nn');
    expect(validateConfig(cfg)).toEqual([]);
  });

  test('an unusable η from the page falls back to the grid centre', () => {
    expect(baseLr({ iid: { fedsgd: -1 } }, 'iid', 'fedsgd', 1, 'all')).toBe(0.5);
    expect(baseLr({}, 'iid', 'fedavg', 1, 50)).toBe(0.2);
  });

  function reportWith2(rs: Array<{ partition: string; setting: string; lr: number }>) {
    return { results: rs } as unknown as ReproductionReport;
  }
});

describe('the divergence rule in the reproduction', () => {
  test('a learning rate that blows the loss up stops as diverged after its first round, not at its cap', async () => {
    await initNodeBackend('wasm');
    const data = nodeDataSource();
    // Digits stand in for MNIST (same 2NN, same rule); η = 5 blows the loss past 5 ln 10 at once.
    const config = { ...configFor({ seed: 1, clients: 20, fraction: 0.1, shardsPerClient: 2 }, parseSetting('5xall'), 'shards', 5, 30), dataset: { name: 'digits' as const, size: 0, noise: 0 } };
    expect(validateConfig(config).map((p) => p.en)).toEqual([]);
    const seen = { rounds: 0, diverged: false };
    for await (const e of run(config, { ...RUN_OPTIONS, data })) {
      if (e.type === 'round-metrics') seen.rounds++;
      if (e.type === 'run-diverged') seen.diverged = true;
    }
    expect(seen).toEqual({ rounds: 1, diverged: true });
    // Without the rule the same run trains on (the loss stays finite): the rule is what stops it.
    let rounds = 0;
    for await (const e of run({ ...config, rounds: 3 }, { data })) if (e.type === 'round-metrics') rounds++;
    expect(rounds).toBe(3);
  }, 60_000);
});
