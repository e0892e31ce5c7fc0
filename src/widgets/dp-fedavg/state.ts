/**
 * The DP-FedAvg widget's state, a pure reducer over the engine's events. What it computes is for
 * drawing: each update's direction in a fixed 2D projection, and the length of the server's step
 * split into the mean clipped update and the noise (the difference between the step the engine
 * took and that mean). No DOM, no tfjs.
 */
import type { EngineEvent, RoundMetrics, RunConfig } from '~/engine/types';
import { Rng } from '~/engine/rng';
import type { ClientArrow, ServerStep } from './updates-view';

/** One round's clipping and noise, for the CSV and the tests. */
export interface RoundClip {
  round: number;
  participants: number;
  clipped: number;
  meanUpdateNorm: number;
  meanNorm: number;
  noiseNorm: number;
  appliedNorm: number;
}

type ClientTrained = Extract<EngineEvent, { type: 'client-trained' }>;

export interface DpState {
  config: RunConfig | null;
  rows: readonly RoundMetrics[];
  clips: readonly RoundClip[];
  /** The last averaged round's updates, as drawn. */
  arrows: readonly ClientArrow[];
  server: ServerStep | null;
  /** client-trained events of the round in progress (its `before` comes with models-averaged). */
  pending: readonly ClientTrained[];
}

export const initDp = (): DpState => ({ config: null, rows: [], clips: [], arrows: [], server: null, pending: [] });

const projections = new Map<number, [Float64Array, Float64Array]>();

/** Two orthonormal random directions in R^n, the same for every run (seeded by n only). */
export function projection(n: number): [Float64Array, Float64Array] {
  let p = projections.get(n);
  if (p) return p;
  const rng = new Rng(n, 'dpfed/projection');
  const a = Float64Array.from({ length: n }, () => rng.normal());
  const b = Float64Array.from({ length: n }, () => rng.normal());
  const dot = (x: Float64Array, y: Float64Array) => x.reduce((s, v, i) => s + v * y[i], 0);
  const na = Math.sqrt(dot(a, a)) || 1;
  for (let i = 0; i < n; i++) a[i] /= na;
  const ab = dot(a, b);
  for (let i = 0; i < n; i++) b[i] -= ab * a[i];
  const nb = Math.sqrt(dot(b, b)) || 1;
  for (let i = 0; i < n; i++) b[i] /= nb;
  p = [a, b];
  projections.set(n, p);
  return p;
}

function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** The arrows and the server's step of one averaged round. */
function averaged(s: DpState, e: Extract<EngineEvent, { type: 'models-averaged' }>): DpState {
  const { before, after } = e;
  if (!before || !after) return { ...s, pending: [] };
  const [r1, r2] = projection(before.length);
  const n = before.length;
  const mean = new Float64Array(n);
  const arrows: ClientArrow[] = [];
  e.clients.forEach((k, i) => {
    const t = s.pending.find((p) => p.client === k);
    if (!t || !t.weights || t.updateNorm === undefined || t.clippedNorm === undefined) return;
    let x = 0;
    let y = 0;
    const scale = t.updateNorm > 0 ? t.clippedNorm / t.updateNorm : 0;
    for (let j = 0; j < n; j++) {
      const d = t.weights[j] - before[j];
      x += d * r1[j];
      y += d * r2[j];
      mean[j] += e.coefficients[i] * scale * d;
    }
    arrows.push({ client: k, angle: Math.atan2(y, x), norm: t.updateNorm, clipped: t.clippedNorm });
  });
  const applied = Float64Array.from(after, (a, j) => a - before[j]);
  const noise = Float64Array.from(applied, (a, j) => a - mean[j]);
  const server = { mean: norm(mean), noise: norm(noise), applied: norm(applied) };
  const clip: RoundClip = {
    round: e.round,
    participants: arrows.length,
    clipped: arrows.filter((a) => a.norm > a.clipped + 1e-12).length,
    meanUpdateNorm: arrows.reduce((sum, a) => sum + a.norm, 0) / Math.max(1, arrows.length),
    meanNorm: server.mean,
    noiseNorm: server.noise,
    appliedNorm: server.applied,
  };
  return { ...s, arrows, server, clips: [...s.clips, clip], pending: [] };
}

export function reduceDp(s: DpState, e: EngineEvent): DpState {
  switch (e.type) {
    case 'run-started':
      return { ...initDp(), config: e.config };
    case 'client-trained':
      return { ...s, pending: [...s.pending, e] };
    case 'models-averaged':
      return averaged(s, e);
    case 'round-metrics':
      return { ...s, rows: [...s.rows, e.metrics] };
    default:
      return s;
  }
}
