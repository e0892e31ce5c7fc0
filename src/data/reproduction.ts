/**
 * The reproduction of the FedAvg paper's MNIST 2NN experiment (McMahan et al. 2017):
 * the shape of the results file `npm run reproduce` writes (./reproduction.json), the paper's
 * own numbers to put beside ours, and small helpers the page, the live widget and the script share
 * (the run's configuration among them, so that the three train the same experiment).
 *
 * No tfjs: besides plain data it imports only the engine's configuration module. The page
 * imports it at build time.
 */
import { defaultConfig } from '../engine/config';
import type { RunConfig } from '../engine/types';

/** A data partition of the experiment: the paper's IID split or its pathological label shards. */
export type ReproPartition = 'iid' | 'shards';

/** One (algorithm, E, B) combination, as the paper's Table 2 lists them. */
export interface ReproSetting {
  /** Stable key, e.g. 'fedsgd', 'e1-b10', 'e5-ball'. */
  id: string;
  algorithm: 'fedsgd' | 'fedavg';
  /** E: local epochs per round (FedSGD: 1). */
  localEpochs: number;
  /** B: local batch size; 'all' is the paper's B = ∞ (FedSGD: 'all'). */
  batchSize: number | 'all';
  /** The learning rates tried, smallest first (the grid actually run, extensions included). */
  lrGrid: number[];
}

/** One learning rate tried for a setting. */
export interface ReproCandidate {
  lr: number;
  /** Rounds to the target (fractional, interpolated), or null when not reached. */
  roundsToTarget: number | null;
  /** Rounds actually trained before the run was stopped. */
  roundsRun: number;
  /** Best test accuracy seen (the top of the best-so-far curve). */
  bestAccuracy: number;
  /**
   * Why the run stopped: it reached the target; it hit the round cap of the setting; it could no
   * longer beat a better learning rate (capped at that one's rounds); or it diverged.
   */
  stop: 'target' | 'cap' | 'beaten' | 'diverged';
  seconds: number;
}

/** Test accuracy per round, thinned; `best` is the best-so-far curve the paper reads. */
export interface ReproCurve {
  round: number[];
  accuracy: number[];
  best: number[];
}

/** The outcome of one setting on one partition: its best learning rate and that run. */
export interface ReproResult {
  partition: ReproPartition;
  setting: string;
  /** The learning rate chosen: fewest rounds to the target, else the best accuracy at the cap. */
  lr: number;
  roundsToTarget: number | null;
  /** Rounds this setting was allowed (a setting that has not reached the target by then stops). */
  cap: number;
  bestAccuracy: number;
  /**
   * FedSGD's rounds over this setting's rounds (as the paper's "16.9×"). When one side did not
   * reach the target, its cap stands in for its rounds and `speedupBound` says which way the
   * true value lies: 'lower' (at least this much), 'upper' (at most this much).
   */
  speedup: number | null;
  speedupBound: 'exact' | 'lower' | 'upper' | null;
  candidates: ReproCandidate[];
  curve: ReproCurve;
}

/** What `npm run reproduce` writes. */
export interface ReproductionReport {
  schema: 1;
  /** ISO time the run finished. */
  generatedAt: string;
  /** Commit of the code that produced it (short hash), and whether the tree had local changes. */
  commit: string | null;
  dirty: boolean;
  /** The command line, to run it again. */
  command: string;
  quick: boolean;
  /** `jobs`: trainings run at the same time (one process each); absent in older reports: 1. */
  machine: { cpus: number; cpuModel: string; node: string; backend: string; platform: string; jobs?: number };
  /** Wall-clock seconds of the whole run. */
  durationSeconds: number;
  /** What matches the paper's setup. */
  setup: {
    dataset: string;
    trainSize: number;
    testSize: number;
    model: '2nn';
    parameters: number;
    clients: number;
    fraction: number;
    clientsPerRound: number;
    shardsPerClient: number;
    seed: number;
  };
  /** What was scaled down to fit this machine. */
  scaled: {
    /** Target test accuracy (the paper: 0.97 for the 2NN). */
    target: number;
    /** Most rounds any run may take. */
    maxRounds: number;
    /** A FedAvg setting stops at this multiple of FedSGD's rounds (it is then slower than FedSGD). */
    capVsFedsgd: number;
    /** Points of the learning-rate grid per setting and the factor between neighbours. */
    gridPoints: number;
    gridFactor: number;
    /** Grid points added beyond an edge that won. */
    gridExtensions: number;
  };
  settings: ReproSetting[];
  results: ReproResult[];
}

/** A row of the paper's results as the spec gives it (C = 0.1; rounds to the target). */
export interface PaperRow {
  model: '2NN' | 'CNN';
  /** Target test accuracy. */
  target: number;
  localEpochs: number;
  batchSize: number | 'all';
  iid: number;
  shards: number;
}

/**
 * McMahan et al. 2017 (arXiv:1602.05629): the 2NN rows are Table 1's C = 0.1 row (E = 1), the CNN
 * rows Table 2. Speed-ups are FedSGD's rounds over the row's, per model; for the 2NN that ratio is
 * ours (Table 1's own speed-ups compare against C = 0).
 */
export const PAPER_ROWS: readonly PaperRow[] = [
  { model: '2NN', target: 0.97, localEpochs: 1, batchSize: 'all', iid: 1474, shards: 1796 },
  { model: '2NN', target: 0.97, localEpochs: 1, batchSize: 10, iid: 87, shards: 664 },
  { model: 'CNN', target: 0.99, localEpochs: 1, batchSize: 'all', iid: 626, shards: 483 },
  { model: 'CNN', target: 0.99, localEpochs: 5, batchSize: 'all', iid: 179, shards: 1000 },
  { model: 'CNN', target: 0.99, localEpochs: 1, batchSize: 50, iid: 65, shards: 600 },
  { model: 'CNN', target: 0.99, localEpochs: 1, batchSize: 10, iid: 34, shards: 350 },
  { model: 'CNN', target: 0.99, localEpochs: 5, batchSize: 10, iid: 20, shards: 229 },
  { model: 'CNN', target: 0.99, localEpochs: 20, batchSize: 10, iid: 18, shards: 173 },
];

/** The paper's speed-up of a row against FedSGD (E = 1, B = ∞) of the same model. */
export function paperSpeedup(row: PaperRow, partition: ReproPartition): number {
  const base = PAPER_ROWS.find((r) => r.model === row.model && r.localEpochs === 1 && r.batchSize === 'all')!;
  return base[partition] / row[partition];
}

/** The paper's rows for a setting (same E and B), 2NN first. */
export function paperRowsFor(setting: Pick<ReproSetting, 'localEpochs' | 'batchSize'>): PaperRow[] {
  return PAPER_ROWS.filter((r) => r.localEpochs === setting.localEpochs && r.batchSize === setting.batchSize);
}

/** Stable id of a setting: 'fedsgd' or 'e<E>-b<B>' ('ball' for B = ∞). */
export function settingId(algorithm: 'fedsgd' | 'fedavg', localEpochs: number, batchSize: number | 'all'): string {
  return algorithm === 'fedsgd' ? 'fedsgd' : `e${localEpochs}-b${batchSize}`;
}

/** Korean label of a setting, e.g. 'FedSGD (E=1, B=∞)' or 'FedAvg E=5, B=10'. */
export function settingLabel(s: Pick<ReproSetting, 'algorithm' | 'localEpochs' | 'batchSize'>): string {
  const b = s.batchSize === 'all' ? '∞' : String(s.batchSize);
  return s.algorithm === 'fedsgd' ? 'FedSGD (E=1, B=∞)' : `FedAvg E=${s.localEpochs}, B=${b}`;
}

/**
 * Speed-up of a result against FedSGD's. When one side did not reach the target its cap stands
 * in for its rounds, and the bound says which way the true value lies.
 */
export function speedupAgainst(
  fedsgd: { roundsToTarget: number | null; cap: number },
  r: { roundsToTarget: number | null; cap: number },
): Pick<ReproResult, 'speedup' | 'speedupBound'> {
  if (fedsgd.roundsToTarget !== null && r.roundsToTarget !== null) return { speedup: fedsgd.roundsToTarget / r.roundsToTarget, speedupBound: 'exact' };
  if (fedsgd.roundsToTarget === null && r.roundsToTarget !== null) return { speedup: fedsgd.cap / r.roundsToTarget, speedupBound: 'lower' };
  if (fedsgd.roundsToTarget !== null && r.roundsToTarget === null) return { speedup: fedsgd.roundsToTarget / r.cap, speedupBound: 'upper' };
  return { speedup: null, speedupBound: null };
}

/** Korean name of a partition. */
export const PARTITION_LABELS: Record<ReproPartition, string> = {
  iid: 'IID',
  shards: '극단적 Non-IID (레이블 샤드 2개)',
};

/** Rounds as the table shows them: one decimal under 100, else whole; '>cap' when not reached. */
export function formatRounds(rounds: number | null, cap: number): string {
  if (rounds === null) return `${cap} 초과`;
  return rounds < 100 ? rounds.toFixed(1) : String(Math.round(rounds));
}

/** A speed-up with its bound: '16.9×', '3.2× 이상', '0.7× 이하', or '—' (unit '배' for prose). */
export function formatSpeedup(x: number | null, bound: ReproResult['speedupBound'], unit: '×' | '배' = '×'): string {
  if (x === null || bound === null) return '—';
  const v = `${x >= 100 ? x.toFixed(0) : x.toFixed(1)}${unit}`;
  return bound === 'lower' ? `${v} 이상` : bound === 'upper' ? `${v} 이하` : v;
}

/** One qualitative finding of the paper, checked against a results file. */
export interface PaperCheck {
  id: string;
  /** The finding, in Korean. */
  claim: string;
  /** The paper's numbers behind it. */
  paper: string;
  /** Ours, or why it cannot be told. */
  ours: string;
  /** true: it holds here; false: it does not; null: this run cannot tell (a setting not run). */
  holds: boolean | null;
}

const times = (x: number) => `${x >= 100 ? x.toFixed(0) : x.toFixed(1)}배`;

/**
 * What a scaled-down reproduction should show (McMahan et al. 2017): more local computation cuts rounds
 * by an order of magnitude on IID data, far less on non-IID data, and E = 5, B = ∞ on non-IID
 * data is slower than FedSGD; checked one by one, with bounds taken into account (a speed-up
 * known only as "at least 3×" does show FedAvg faster).
 */
export function paperChecks(report: ReproductionReport): PaperCheck[] {
  const get = (partition: ReproPartition, setting: string) => report.results.find((r) => r.partition === partition && r.setting === setting) ?? null;
  const sp = (r: ReproResult | null) => (r ? formatSpeedup(r.speedup, r.speedupBound, '배') : '실행하지 않음');
  /** The interval the speed-up lies in, or null when unknown. */
  const range = (r: ReproResult | null): [number, number] | null => {
    if (!r || r.speedup === null || r.speedupBound === null) return null;
    return r.speedupBound === 'exact' ? [r.speedup, r.speedup] : r.speedupBound === 'lower' ? [r.speedup, Infinity] : [0, r.speedup];
  };
  /** true when the speed-up is surely above x, false when surely at most x, null otherwise. */
  const above = (r: ReproResult | null, x: number): boolean | null => {
    const i = range(r);
    if (!i) return null;
    return i[0] > x ? true : i[1] <= x ? false : null;
  };
  /** true when surely at least x, false when surely below x. */
  const atLeast = (r: ReproResult | null, x: number): boolean | null => {
    const i = range(r);
    if (!i) return null;
    return i[0] >= x ? true : i[1] < x ? false : null;
  };
  /** true when surely below x, false when surely at least x. */
  const below = (r: ReproResult | null, x: number): boolean | null => {
    const v = atLeast(r, x);
    return v === null ? null : !v;
  };
  const row = (e: number, b: number | 'all', model: '2NN' | 'CNN') => PAPER_ROWS.find((r) => r.model === model && r.localEpochs === e && r.batchSize === b)!;
  const iid10 = get('iid', 'e1-b10');
  const sh10 = get('shards', 'e1-b10');
  const iid5 = get('iid', 'e5-ball');
  const sh5 = get('shards', 'e5-ball');
  const p2nn = row(1, 10, '2NN');
  const p5 = row(5, 'all', 'CNN');

  // "Far less on non-IID data": certain when the non-IID interval lies wholly below the IID one.
  const a = range(iid10);
  const b = range(sh10);
  const smaller = a && b ? (b[1] < a[0] ? true : b[0] >= a[1] ? false : null) : null;

  // IID ordering by rounds: E=1, B=10 before E=5, B=∞ before FedSGD (the paper's CNN rows:
  // 34, 179, 626). A FedSGD that did not reach the target took longer than anything that did.
  const rtt = (r: ReproResult | null) => r?.roundsToTarget ?? null;
  const fedsgdIid = get('iid', 'fedsgd');
  const [o1, o2, o3] = [rtt(iid10), rtt(iid5), rtt(fedsgdIid)];
  const ordered = o1 !== null && o2 !== null && fedsgdIid ? (o1 < o2 && (o3 === null || o2 < o3) ? true : false) : null;
  const roundsOf = (r: ReproResult | null) => (r ? formatRounds(r.roundsToTarget, r.cap) : '실행하지 않음');

  return [
    {
      id: 'iid-ordering',
      claim: 'IID 데이터에서 한 라운드의 로컬 갱신이 많을수록 적은 라운드로 닿는다: E=1, B=10(60걸음) → E=5, B=∞(5걸음) → FedSGD(1걸음) 순서.',
      paper: `CNN ${row(1, 10, 'CNN').iid} → ${p5.iid} → ${row(1, 'all', 'CNN').iid}라운드`,
      ours: `${roundsOf(iid10)} → ${roundsOf(iid5)} → ${roundsOf(fedsgdIid)}라운드`,
      holds: ordered,
    },
    {
      id: 'iid-e1b10-faster',
      claim: 'IID 데이터에서 FedAvg(E=1, B=10)는 FedSGD보다 적은 라운드로 목표에 닿는다.',
      paper: `2NN ${times(paperSpeedup(p2nn, 'iid'))}`,
      ours: sp(iid10),
      holds: above(iid10, 1),
    },
    {
      id: 'iid-order-of-magnitude',
      claim: 'IID 데이터에서 그 차이는 한 자릿수를 넘는다(10배 이상).',
      paper: `2NN ${times(paperSpeedup(p2nn, 'iid'))}, CNN(E=1, B=10) ${times(paperSpeedup(row(1, 10, 'CNN'), 'iid'))}`,
      ours: sp(iid10),
      holds: atLeast(iid10, 10),
    },
    {
      id: 'noniid-smaller-gain',
      claim: '극단적 Non-IID 데이터에서는 같은 설정의 속도 향상이 IID보다 훨씬 작다.',
      paper: `2NN ${times(paperSpeedup(p2nn, 'iid'))} → ${times(paperSpeedup(p2nn, 'shards'))}`,
      ours: `${sp(iid10)} → ${sp(sh10)}`,
      holds: smaller,
    },
    {
      id: 'noniid-e1b10-still-faster',
      claim: '그래도 극단적 Non-IID 데이터에서 FedAvg(E=1, B=10)는 FedSGD보다 빠르다.',
      paper: `2NN ${times(paperSpeedup(p2nn, 'shards'))}`,
      ours: sp(sh10),
      holds: above(sh10, 1),
    },
    {
      id: 'iid-e5ball-faster',
      claim: 'IID 데이터에서는 E=5, B=∞(한 라운드에 전체 배치로 다섯 걸음)도 FedSGD보다 빠르다.',
      paper: `CNN ${times(paperSpeedup(p5, 'iid'))} (논문 표에서 2NN으로는 재지 않은 설정)`,
      ours: sp(iid5),
      holds: above(iid5, 1),
    },
    {
      id: 'noniid-e5ball-slower',
      claim: '극단적 Non-IID 데이터에서 E=5, B=∞는 오히려 FedSGD보다 느리다.',
      paper: `CNN ${times(paperSpeedup(p5, 'shards'))} (논문 표에서 2NN으로는 재지 않은 설정)`,
      ours: sp(sh5),
      holds: below(sh5, 1),
    },
  ];
}

/**
 * η when no grid has chosen one for a setting: the centre of the reproduction's grid, from short
 * trial runs on this setup (FedSGD's full-gradient step diverged at η = 2 and oscillated at η = 1;
 * small-batch local SGD wants a smaller step).
 */
export function defaultLr(algorithm: 'fedsgd' | 'fedavg', batchSize: number | 'all'): number {
  if (algorithm === 'fedsgd' || batchSize === 'all') return 0.5;
  return batchSize >= 50 ? 0.2 : 0.1;
}

/** Accuracy before the first round: chance for ten classes (a curve's interpolation to the target starts there). */
export const CHANCE = 0.1;

/** 4 significant digits: learning rates stay readable (0.5 / 2 = 0.25, 0.1 × 0.25 = 0.025). */
export const tidyLr = (x: number): number => Number(x.toPrecision(4));

/** What one run of the experiment varies. */
export interface ReproRun extends Pick<ReproSetting, 'algorithm' | 'localEpochs' | 'batchSize'> {
  lr: number;
  partition: ReproPartition;
  clients: number;
  /** C: the fraction of clients chosen each round. */
  fraction: number;
  shardsPerClient: number;
  rounds: number;
  seed: number;
}

/** One run: the paper's 2NN on MNIST, clients weighted by their data, local batches shuffled. */
export function reproductionConfig(r: ReproRun): RunConfig {
  return defaultConfig({
    algorithm: r.algorithm,
    dataset: { name: 'mnist', size: 0 },
    model: { kind: '2nn' },
    partition: { kind: r.partition, shardsPerClient: r.shardsPerClient },
    clients: r.clients,
    fraction: r.fraction,
    localEpochs: r.localEpochs,
    batchSize: r.batchSize,
    lr: r.lr,
    rounds: r.rounds,
    weighting: 'samples',
    shuffle: true,
    seed: r.seed,
  });
}
