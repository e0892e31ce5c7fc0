/**
 * A federated run's events read back as rounds: one round's events (who was selected, each
 * client's result and boundary, the averaging, the metrics) are gathered into a record, appended
 * when the round's metrics close it. The federated widgets share it as their reducer; it lives
 * with the engine because it only reads the engine's own event contract (types.ts), like the
 * run-level readings in metrics.ts. Pure: no DOM, no tfjs; each event gives a new state and
 * leaves the old one as it was (tested in Node).
 */
import type { DataSummary, EngineEvent, RoundMetrics, RunConfig } from './types';

/** Class probabilities on a grid (the engine's boundary event). */
export interface Grid {
  grid: number;
  classes: number;
  probs: Float32Array;
}

/** A client's part of one round. */
export interface ClientResult {
  n: number;
  loss: number;
  accuracy: number;
  boundary?: Grid;
  /** The client's model after training (only with emitWeights). */
  weights?: Float32Array;
  /** DP-FedAvg: the update's norm before and after clipping. */
  updateNorm?: number;
  clippedNorm?: number;
  /** A straggler: the local epochs it ran (fewer than E). */
  epochs?: number;
}

/** Everything one round reported. */
export interface RoundRecord {
  round: number;
  selected: readonly number[];
  /** Selected clients that never sent their model back (dropouts), in selection order. */
  dropped: readonly number[];
  clients: ReadonlyMap<number, ClientResult>;
  coefficients: readonly number[];
  /** Global model before and after averaging (only with emitWeights). */
  before?: Float32Array;
  after?: Float32Array;
  global: Grid | null;
  metrics: RoundMetrics | null;
  /** Bytes of one model copy (the first weights-down message). */
  modelBytes: number;
}

export interface RoundsState {
  config: RunConfig | null;
  data: DataSummary | null;
  parameters: number;
  /** The round in progress. */
  building: RoundRecord | null;
  /** Complete rounds, in order. */
  rounds: readonly RoundRecord[];
  /** The round at which the run diverged, if it did. */
  diverged: number | null;
}

export const initRounds = (): RoundsState => ({ config: null, data: null, parameters: 0, building: null, rounds: [], diverged: null });

function withClient(b: RoundRecord, k: number, f: (c: ClientResult | undefined) => ClientResult | undefined): RoundRecord {
  const c = f(b.clients.get(k));
  if (!c) return b;
  const clients = new Map(b.clients);
  clients.set(k, c);
  return { ...b, clients };
}

/** The state after one engine event. */
export function reduceRounds(s: RoundsState, e: EngineEvent): RoundsState {
  const b = s.building;
  switch (e.type) {
    case 'run-started':
      return { ...initRounds(), config: e.config, data: e.data, parameters: e.parameters };
    case 'round-started':
      return { ...s, building: { round: e.round, selected: e.selected, dropped: [], clients: new Map(), coefficients: [], global: null, metrics: null, modelBytes: 0 } };
    case 'client-dropped':
      if (!b) return s;
      return { ...s, building: { ...b, dropped: [...b.dropped, e.client] } };
    case 'message-sent':
      if (!b || e.kind !== 'weights-down' || b.modelBytes) return s;
      return { ...s, building: { ...b, modelBytes: e.bytes } };
    case 'client-trained': {
      if (!b) return s;
      const { n, loss, accuracy, weights, updateNorm, clippedNorm, epochs } = e;
      return { ...s, building: withClient(b, e.client, (old) => ({ ...old, n, loss, accuracy, weights, updateNorm, clippedNorm, epochs })) };
    }
    case 'boundary': {
      if (!b) return s;
      const grid = { grid: e.grid, classes: e.classes, probs: e.probs };
      if (e.owner === 'global') return { ...s, building: { ...b, global: grid } };
      return { ...s, building: withClient(b, e.owner, (c) => c && { ...c, boundary: grid }) };
    }
    case 'models-averaged':
      if (!b) return s;
      return { ...s, building: { ...b, coefficients: e.coefficients, before: e.before, after: e.after } };
    case 'round-metrics':
      if (!b) return s;
      return { ...s, building: null, rounds: [...s.rounds, { ...b, metrics: e.metrics }] };
    case 'run-diverged':
      return { ...s, building: null, diverged: e.round };
    default:
      return s;
  }
}

/** The lowest and highest local accuracy of a round's clients that had data. */
export function clientSpread(r: RoundRecord): [number, number] | null {
  const accs = [...r.clients.values()].filter((c) => c.n > 0).map((c) => c.accuracy);
  return accs.length ? [Math.min(...accs), Math.max(...accs)] : null;
}

/** Total bytes both ways up to and including each round. */
export function cumulativeBytes(rounds: readonly RoundRecord[]): number[] {
  let sum = 0;
  return rounds.map((r) => (sum += (r.metrics?.bytesUp ?? 0) + (r.metrics?.bytesDown ?? 0)));
}

/** A round's clients in order of their number. */
export const byClient = <C>(r: { clients: ReadonlyMap<number, C> }) => [...r.clients.entries()].sort(([a], [b]) => a - b);

/** Most likely class of every grid cell. */
export function argmaxGrid(probs: Float32Array, classes: number): Uint8Array {
  const cells = probs.length / classes;
  const out = new Uint8Array(cells);
  for (let i = 0; i < cells; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i * classes + c] > probs[i * classes + best]) best = c;
    out[i] = best;
  }
  return out;
}

/**
 * How much of the plane each client's model labels differently from the global model: the share
 * of the boundary grid's cells where their most likely classes differ (client drift's reading).
 */
export function disagreement(r: RoundRecord): Map<number, number> {
  const out = new Map<number, number>();
  if (!r.global) return out;
  const g = argmaxGrid(r.global.probs, r.global.classes);
  for (const [k, c] of r.clients) {
    if (!c.boundary) continue;
    const l = argmaxGrid(c.boundary.probs, c.boundary.classes);
    let diff = 0;
    for (let i = 0; i < g.length; i++) if (g[i] !== l[i]) diff++;
    out.set(k, diff / g.length);
  }
  return out;
}

/** The class a model predicts everywhere on the grid, or null when it has a boundary. */
export function onlyClass(g: Grid): number | null {
  const a = argmaxGrid(g.probs, g.classes);
  for (let i = 1; i < a.length; i++) if (a[i] !== a[0]) return null;
  return a[0];
}
