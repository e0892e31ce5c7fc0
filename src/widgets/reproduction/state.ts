/**
 * The live reproduction as a pure reducer: FedSGD and the chosen FedAvg settings one after
 * another; each run stops when its best-so-far accuracy reaches the target (read with linear
 * interpolation, as the paper does), at its round limit, or when it diverges. No DOM, no tfjs.
 */
import type { EngineEvent, RunConfig } from '~/engine/types';
import { roundsToTarget } from '~/engine/metrics';
import { CHANCE } from '~/data/reproduction';
import { putCurrent, type Sequence } from '~/engine/sequence';
import { race, toRunConfig, type ChosenLrs, type RaceEntry } from './config';
import type { ReproValues } from './params';

export interface ReproRecord {
  entry: RaceEntry;
  config: RunConfig;
  accuracies: readonly number[];
  /** waiting → running → target | cap | diverged. */
  state: 'waiting' | 'running' | 'target' | 'cap' | 'diverged';
  roundsToTarget: number | null;
  message?: string;
}

export interface ReproState extends Sequence<ReproRecord> {
  /** The settings the race was started with (the table and summary describe those). */
  values: ReproValues;
}

export function initRepro(values: ReproValues, chosen: ChosenLrs): ReproState {
  const records = race(values, chosen).map((entry, i): ReproRecord => ({ entry, config: toRunConfig(entry, values), accuracies: [], state: i === 0 ? 'running' : 'waiting', roundsToTarget: null }));
  return { values, records, current: 0 };
}

/** What the next run's record gets when the current one ends. */
const NEXT = { state: 'running' } as const;

export function reduceRepro(s: ReproState, e: EngineEvent): ReproState {
  const r = s.records[s.current];
  if (!r) return s;
  switch (e.type) {
    case 'round-metrics': {
      const accuracies = [...r.accuracies, e.metrics.testAccuracy];
      const rtt = roundsToTarget(accuracies, s.values.target / 100, CHANCE);
      return rtt !== null ? putCurrent(s, { accuracies, roundsToTarget: rtt, state: 'target' }, NEXT) : putCurrent(s, { accuracies });
    }
    case 'run-finished':
      return putCurrent(s, { state: r.state === 'running' ? 'cap' : r.state }, NEXT);
    case 'run-diverged':
      return putCurrent(s, { state: 'diverged', message: e.message }, NEXT);
    default:
      return s;
  }
}
