/**
 * The FedSGD-against-FedAvg grid as a pure reducer: which run trains now (a setting at one
 * learning rate), each run's accuracy per round, and each setting's best result. A run ends when
 * its best-so-far accuracy reaches the target (the engine's own `roundsToTarget`), when it has
 * used its round cap, or when it diverges; the next run is then decided here. No DOM, no tfjs.
 */
import type { EngineEvent, RunConfig } from '~/engine/types';
import { roundsToTarget } from '~/engine/metrics';
import { LEARNING_RATES, MAX_ROUNDS, SETTINGS, toRunConfig } from './config';
import type { VersusValues } from './params';

export interface SettingResult {
  /** Learning rates tried (the runs themselves are in `finished`). */
  tried: number;
  /** The fastest run (the setting's answer), once one has reached the target. */
  best: RunResult | null;
  done: boolean;
}

export interface VersusJob {
  /** Index into SETTINGS. */
  s: number;
  lrIndex: number;
  cap: number;
  config: RunConfig;
  accuracies: readonly number[];
}

/** One run, a setting at one learning rate, once it has ended. */
const resultOf = (job: VersusJob, rounds: number | null, diverged: boolean) => ({
  lr: LEARNING_RATES[job.lrIndex],
  /** Rounds to the target (interpolated), or null if not reached within the cap. */
  rounds,
  /** Rounds actually trained. */
  trained: job.accuracies.length,
  best: job.accuracies.length ? Math.max(...job.accuracies) : NaN,
  diverged,
  /** Test accuracy per round. */
  accuracies: job.accuracies,
});
export type RunResult = ReturnType<typeof resultOf>;

export interface VersusState {
  /** The settings the grid was started with. */
  values: VersusValues;
  /** By setting key. */
  grid: Readonly<Record<string, SettingResult>>;
  /** The run training now (null: the grid is complete). */
  job: VersusJob | null;
  /** Runs finished so far, in order. */
  finished: readonly { setting: string; run: RunResult }[];
  /** Number of runs started so far (the job key). */
  started: number;
}

/** The first run of a fresh grid. */
export function initVersus(values: VersusValues): VersusState {
  const grid = Object.fromEntries(SETTINGS.map((s) => [s.key, { tried: 0, best: null, done: false }]));
  return nextJob({ values, grid, job: null, finished: [], started: 0 });
}

/** Chooses the next run (or none) after the grid changed. */
function nextJob(st: VersusState): VersusState {
  // A setting is done once it has tried every learning rate (endJob), so the next rate exists.
  const s = SETTINGS.findIndex((x) => !st.grid[x.key].done);
  if (s < 0) return { ...st, job: null };
  // The next rate of the first setting not done (its index is the number of rates it has tried).
  const { tried: lrIndex, best } = st.grid[SETTINGS[s].key];
  // A rate that has used as many rounds as the best one so far cannot beat it.
  const cap = best?.rounds != null ? Math.min(MAX_ROUNDS, Math.max(1, Math.ceil(best.rounds))) : MAX_ROUNDS;
  const config = toRunConfig(st.values, SETTINGS[s], LEARNING_RATES[lrIndex], cap);
  return { ...st, job: { s, lrIndex, cap, config, accuracies: [] }, started: st.started + 1 };
}

/** Records the current run's result and moves on. */
function endJob(st: VersusState, rounds: number | null, diverged: boolean): VersusState {
  const job = st.job!;
  const key = SETTINGS[job.s].key;
  const res = st.grid[key];
  const run = resultOf(job, rounds, diverged);
  const best = rounds !== null && (res.best?.rounds == null || rounds < res.best.rounds) ? run : res.best;
  const grid = { ...st.grid, [key]: { tried: res.tried + 1, best, done: res.tried + 1 >= LEARNING_RATES.length } };
  return nextJob({ ...st, grid, job: null, finished: [...st.finished, { setting: key, run }] });
}

export function reduceVersus(st: VersusState, e: EngineEvent): VersusState {
  const job = st.job;
  if (!job) return st;
  switch (e.type) {
    case 'round-metrics': {
      const accuracies = [...job.accuracies, e.metrics.testAccuracy];
      const next = { ...st, job: { ...job, accuracies } };
      const r = roundsToTarget(accuracies, Number(st.values.target));
      if (r !== null) return endJob(next, r, false);
      if (accuracies.length >= job.cap) return endJob(next, null, false);
      return next;
    }
    case 'run-diverged':
      return endJob(st, null, true);
    case 'run-finished':
      return endJob(st, null, false);
    default:
      return st;
  }
}

/** Each setting's rounds to target at its best learning rate (null: not reached or not run). */
export const measured = (st: VersusState): (number | null)[] => SETTINGS.map((s) => st.grid[s.key].best?.rounds ?? null);

