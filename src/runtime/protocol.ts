/**
 * The messages between a page and its training worker.
 *
 * Every run has an id chosen by the page. The worker tags each engine event with the id of the
 * run that produced it, and the page drops anything that is not from its current run, so a
 * cancelled run can never paint over a fresh one, however the messages interleave.
 *
 * Messages are plain data (structured clone). The guards below check the shape of what arrives,
 * because a worker boundary is a trust boundary of sorts: a bug on either side should show up
 * as a clear error, not as `undefined` deep inside a renderer.
 */
import type { EngineEvent, RunConfig, RunOptions } from '../engine/types';

/** Which tfjs backend the worker asks for first. */
export type BackendPreference = 'wasm' | 'cpu';

/** What the worker ended up with, and why, for the widget's status line. */
export interface BackendInfo {
  /** The tfjs backend actually in use. */
  backend: 'wasm' | 'cpu';
  /** WebAssembly SIMD in use (only with `wasm`). */
  simd?: boolean;
  /** Why a wasm preference ended on cpu: no WebAssembly, or the backend refused to start. */
  fallback?: 'no-webassembly' | 'wasm-failed';
  /** Where training runs: a Web Worker, or the page itself when workers are unavailable. */
  thread: 'worker' | 'main';
}

/** What a run reports, minus the signal (which cannot cross a worker boundary). */
export type WireRunOptions = Omit<RunOptions, 'signal'> & {
  /**
   * Stop the run as diverged when an epoch's/round's training loss exceeds this many times
   * ln(classes), the loss of a uniform guess. The engine stops by itself only at NaN or ∞; with
   * tanh or sigmoid a far too large learning rate makes the loss jump to 20–30× that level and
   * stay there, finite, which a reader should see called what it is. Absent: NaN/∞ only.
   */
  divergeFactor?: number;
  /**
   * The only events the page is sent, besides a run's start and end (run-started, run-finished,
   * run-diverged, run-cancelled), which the page's run controller always needs. Absent: every
   * event. Each message is a task on the page's main thread: FedSGD vs FedAvg's grid, which reads
   * only round metrics, was sent about 800 events a second (every client's update and message),
   * which left a phone (4× CPU throttling) a few frames a second. The engine computes the same.
   */
  events?: readonly EngineEvent['type'][];
  /**
   * Each round's `models-averaged` carries the plane of the poisoning map (the engine's
   * attacks/projection.ts, computed in the worker), and no weight vector is sent to the page.
   */
  planes?: boolean;
};

/** Events a run always sends, whatever `events` says. */
export const LIFECYCLE_EVENTS: readonly EngineEvent['type'][] = ['run-started', 'run-finished', 'run-diverged', 'run-cancelled'];

/** Page → worker. */
export type HostMessage =
  /** Load tfjs and pick the backend; answered by `ready`. */
  | { type: 'init'; prefer: BackendPreference }
  /** Cancel whatever runs and start this run. `paused` starts it held (step-by-step use). */
  | { type: 'start'; runId: number; config: RunConfig; options: WireRunOptions; paused?: boolean }
  /** Cancel one run (no-op when that run is already over). */
  | { type: 'cancel'; runId: number }
  /** Hold the current run between two events, or let it go on. */
  | { type: 'pause'; runId: number }
  | { type: 'resume'; runId: number }
  /** Let a held run go on to the end of its next epoch/round, then hold it again. */
  | { type: 'step'; runId: number }
  /**
   * Minimum milliseconds between two epochs/rounds (0: as fast as the backend goes). `batchMs`
   * (optional, default 0): minimum milliseconds between two batches of split learning (two
   * smashed-sent events from a client), so a page can show each batch cross the cut.
   */
  | { type: 'pace'; ms: number; batchMs?: number }
  /** Report tfjs memory (the benchmark checks that reruns do not leak tensors). */
  | { type: 'memory'; requestId: number };

/** Worker → page. */
export type WorkerMessage =
  | { type: 'ready'; info: BackendInfo }
  /** Engine events of a run, in order (the worker sends what a frame's time gathered). */
  | { type: 'events'; runId: number; events: EngineEvent[] }
  /** The run is held (after `pause`, or at the end of a `step`). */
  | { type: 'paused'; runId: number }
  | { type: 'resumed'; runId: number }
  /** The run's generator is closed; the worker holds no tensors of it any more. */
  | { type: 'done'; runId: number }
  /** Something failed outside the engine's own events (bad config, backend crash). Korean. */
  | { type: 'error'; runId: number | null; message: string }
  | { type: 'memory'; requestId: number; numTensors: number; numBytes: number };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isId = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/** True when `x` has the shape of a page → worker message. */
export function isHostMessage(x: unknown): x is HostMessage {
  if (!isObject(x) || typeof x.type !== 'string') return false;
  switch (x.type) {
    case 'init':
      return x.prefer === 'wasm' || x.prefer === 'cpu';
    case 'start':
      return isId(x.runId) && isObject(x.config) && isObject(x.options) && (x.paused === undefined || typeof x.paused === 'boolean');
    case 'cancel':
    case 'pause':
    case 'resume':
    case 'step':
      return isId(x.runId);
    case 'pace':
      return (
        typeof x.ms === 'number' &&
        Number.isFinite(x.ms) &&
        x.ms >= 0 &&
        (x.batchMs === undefined || (typeof x.batchMs === 'number' && Number.isFinite(x.batchMs) && x.batchMs >= 0))
      );
    case 'memory':
      return isId(x.requestId);
    default:
      return false;
  }
}

/** True when `x` has the shape of a worker → page message. */
export function isWorkerMessage(x: unknown): x is WorkerMessage {
  if (!isObject(x) || typeof x.type !== 'string') return false;
  switch (x.type) {
    case 'ready':
      return isObject(x.info) && (x.info.backend === 'wasm' || x.info.backend === 'cpu');
    case 'events':
      return isId(x.runId) && Array.isArray(x.events) && x.events.every((e) => isObject(e) && typeof e.type === 'string');
    case 'paused':
    case 'resumed':
    case 'done':
      return isId(x.runId);
    case 'error':
      return (x.runId === null || isId(x.runId)) && typeof x.message === 'string';
    case 'memory':
      return isId(x.requestId) && typeof x.numTensors === 'number' && typeof x.numBytes === 'number';
    default:
      return false;
  }
}
