/**
 * The short runs that hold the communication formulas (./comm.ts) against real training: one
 * epoch (or one round with every client) of a small MLP on the digits, per method and client
 * count, and what their events add up to: the bytes each counted, beside the formula's. Plain data,
 * the formulas and the engine's config module (no tfjs), so a page can plan and read them.
 */
import { defaultConfig } from './config';
import { commVarsOf, methodBytes, methodEpochBytes, sameBytes, type CommMethod, type CommVars } from './comm';
import type { EngineEvent, RunConfig } from './types';

/** Client counts of the measured runs. */
export const MEASURED_K = [1, 2, 4, 8, 16, 32, 64] as const;

/** The methods that train (SL with hand-off is the SL run's bytes with the hand-offs counted). */
export type MeasuredMethod = 'fl' | 'sl' | 'splitfed';

/** Every measured run: each method at each client count, in order. */
export const MEASURE_JOBS: readonly { method: MeasuredMethod; K: number }[] = MEASURED_K.flatMap((K) =>
  (['fl', 'sl', 'splitfed'] as const).map((method) => ({ method, K })),
);

/** The run of one measured point: a method, a client count and the model's hidden width (its cut width). */
export function measureConfig(method: MeasuredMethod, K: number, width: number): RunConfig {
  return defaultConfig({
    algorithm: method === 'fl' ? 'fedavg' : method === 'sl' ? 'split' : 'splitfed1',
    dataset: { name: 'digits', noise: 0, size: 0 },
    model: { kind: 'mlp', hidden: [width, 16], activation: 'relu' },
    clients: K,
    localEpochs: 1,
    rounds: 1,
    epochs: 1,
    batchSize: 64,
  });
}

/** One measured point: the bytes a method's run counted in its epoch, at K clients. */
export interface Measured {
  K: number;
  method: CommMethod;
  bytes: number;
}

/** What the measuring runs have counted so far, run by run (MEASURE_JOBS order). */
export interface MeasureState {
  /** The run under way (MEASURE_JOBS.length when all are done). */
  job: number;
  measured: readonly Measured[];
  /** Measured setup (from the split run's run-started) once known. */
  measuredVars: CommVars | null;
}

/** Pure: the measurements after one engine event of the run under way. */
export function reduceMeasure(s: MeasureState, e: EngineEvent): MeasureState {
  const job = MEASURE_JOBS[s.job];
  if (!job) return s;
  switch (e.type) {
    case 'run-started':
      return job.method === 'sl' ? { ...s, measuredVars: commVarsOf(e) ?? s.measuredVars } : s;
    case 'round-metrics': {
      // The split run counts for SL with hand-off too: the same bytes with the hand-offs added.
      const methods: CommMethod[] = job.method === 'sl' ? ['sl', 'slHandoff'] : [job.method];
      const add = methods.map((method) => ({ K: job.K, method, bytes: methodBytes(e.metrics.bytesByKind, method) }));
      return { ...s, measured: [...s.measured, ...add] };
    }
    case 'run-finished':
    case 'run-diverged':
      return { ...s, job: s.job + 1 };
    default:
      return s;
  }
}

/** The formula's bytes for a measured point, with the measured model's variables. */
export const formulaBytes = (mv: CommVars, x: Measured): number => methodEpochBytes(mv, x.K)[x.method];

/** How many measured points equal their formula's bytes. */
export const matchingCount = (mv: CommVars, measured: readonly Measured[]): number => measured.filter((x) => sameBytes(x.bytes, formulaBytes(mv, x))).length;
