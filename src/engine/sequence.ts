/**
 * Runs trained one after another (a race of methods, the settings of a reproduction): one record
 * per run, in order, and the index of the run under way. A page's reducer changes the current
 * run's record as its events come and moves on when the run ends; this is that bookkeeping,
 * written once, with the run to train next and the way such a sequence ends. Plain data, no tfjs.
 */
import type { RunConfig } from './types';

export interface Sequence<R extends object> {
  readonly records: readonly R[];
  /** The run under way (records.length once all are done). */
  readonly current: number;
}

type RecordOf<S extends Sequence<object>> = S['records'][number];

/**
 * `s` with `patch` applied to the current run's record. Given `next`, that run has ended: the
 * sequence moves on, and the following run's record gets `next` (e.g. its state, 'running').
 */
export function putCurrent<S extends Sequence<object>>(s: S, patch: Partial<RecordOf<S>>, next?: Partial<RecordOf<S>>): S {
  const after = s.current + 1;
  const records = s.records.map((r, i) => (i === s.current ? { ...r, ...patch } : next && i === after ? { ...r, ...next } : r));
  return { ...s, records, current: next ? after : s.current };
}

/**
 * The run to train now, keyed by its place (null once all are done), and how the sequence ended:
 * diverged when any of its runs did, else finished.
 */
export function inOrder<S extends Sequence<{ state: string }>>(config: (s: S) => RunConfig) {
  return {
    job: (s: S) => (s.current < s.records.length ? { key: String(s.current), config: config(s) } : null),
    ended: (s: S): 'finished' | 'diverged' => (s.records.some((r) => r.state === 'diverged') ? 'diverged' : 'finished'),
  };
}
