/**
 * The three-way race as a pure reducer: four runs one after another (centralized, FedAvg, split
 * learning, SplitFed), each with its metrics, bytes by kind and training time. Times are the
 * engine's own measurements carried by the events (round-metrics' and client-trained's `ms`),
 * not arrival times: several events can reach the page in one batch. No DOM, no tfjs.
 */
import type { EngineEvent, MessageKind, RoundMetrics, ServerView } from '~/engine/types';
import { addBytes } from '~/engine/comm';
import { putCurrent, type Sequence } from '~/engine/sequence';
import { RACE, type RaceMethod } from './config';

/** Everything one method's run reported. */
export interface RaceRecord {
  method: RaceMethod;
  state: 'waiting' | 'running' | 'done' | 'diverged' | 'error';
  /** The run's run-started event: its configuration, parameter counts, cut width and data sizes. */
  start: Extract<EngineEvent, { type: 'run-started' }> | null;
  rows: readonly RoundMetrics[];
  bytes: Readonly<Partial<Record<MessageKind, number>>>;
  /** Training time in ms as the engine measured it: the sum of its rounds' compute. */
  wall: number;
  /** How much shorter the run would be if each round's clients had trained at the same time. */
  parallelSaving: number;
  view: ServerView | null;
  message: string | null;
}

/** The four runs in RACE order, and the one under way. */
export interface RaceState extends Sequence<RaceRecord> {
  /** How long each client of the round in progress trained (ms, measured by the engine). */
  roundClientTimes: readonly number[];
}

const emptyRecord = (method: RaceMethod): RaceRecord => ({
  method,
  state: 'waiting',
  start: null,
  rows: [],
  bytes: {},
  wall: 0,
  parallelSaving: 0,
  view: null,
  message: null,
});

export const initRace = (): RaceState => ({ records: RACE.map(emptyRecord), current: 0, roundClientTimes: [] });

export function reduceRace(s: RaceState, e: EngineEvent): RaceState {
  const r = s.records[s.current];
  if (!r) return s;
  switch (e.type) {
    case 'run-started':
      return { ...putCurrent(s, { state: 'running', start: e }), roundClientTimes: [] };
    case 'round-started':
      return { ...s, roundClientTimes: [] };
    case 'client-trained':
      // FedAvg and SplitFed: the engine's measure of this client's local work.
      if ((r.method !== 'fl' && r.method !== 'splitfed') || e.ms === undefined) return s;
      return { ...s, roundClientTimes: [...s.roundClientTimes, e.ms] };
    case 'round-metrics': {
      // Clients of a round in parallel: the round waits for its slowest client only. SplitFed
      // V2 shares one server part in sequence, so its clients cannot overlap: no saving.
      const parallel = r.method === 'fl' || (r.method === 'splitfed' && r.start?.config.algorithm === 'splitfed1');
      const times = s.roundClientTimes;
      const saving = parallel && times.length > 1 ? times.reduce((a, b) => a + b, 0) - Math.max(...times) : 0;
      const bytes = addBytes(r.bytes, e.metrics.bytesByKind);
      const round = { rows: [...r.rows, e.metrics], bytes, wall: r.wall + (e.ms ?? 0), parallelSaving: r.parallelSaving + saving };
      return { ...putCurrent(s, round), roundClientTimes: [] };
    }
    case 'server-view':
      return putCurrent(s, { view: e });
    case 'run-finished':
      return putCurrent(s, { state: 'done' }, {});
    case 'run-diverged':
      return putCurrent(s, { state: 'diverged', message: e.message }, {});
    default:
      return s;
  }
}
