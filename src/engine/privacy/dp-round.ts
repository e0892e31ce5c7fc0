/**
 * One DP-FedAvg round taken apart for a picture (chapter 6): each client's update Δ_k = w_k − w_t
 * as a length before and after clipping and a direction in a fixed random 2D projection of the
 * parameter space, and the server's step w_{t+1} − w_t split into the mean of the clipped updates,
 * Σ c_k Δ̄_k with Δ̄_k = Δ_k · min(1, S/‖Δ_k‖), and the noise (the step minus that mean).
 * Pure arithmetic over the engine's weight vectors; no tfjs.
 */
import { Rng } from '../rng';

/** One client's update as drawn. */
export interface ClientArrow {
  client: number;
  /** Direction in the projection, radians. */
  angle: number;
  /** ‖Δ_k‖ before clipping. */
  norm: number;
  /** min(‖Δ_k‖, S): what was sent. */
  clipped: number;
}

/** The lengths of the server's step and its two parts. */
export interface ServerStep {
  /** ‖Σ c_k Δ̄_k‖: the average of the clipped updates. */
  mean: number;
  /** ‖noise‖ (≈ σ·√N). */
  noise: number;
  /** ‖w_{t+1} − w_t‖. */
  applied: number;
}

/** One round's clipping and noise, for a table and the tests. */
export interface RoundClip {
  round: number;
  participants: number;
  clipped: number;
  meanUpdateNorm: number;
  meanNorm: number;
  noiseNorm: number;
  appliedNorm: number;
}

/** What a client reported after local training (the engine's client-trained event, with weights). */
export interface TrainedUpdate {
  client: number;
  weights?: Float32Array;
  updateNorm?: number;
  clippedNorm?: number;
}

/** The averaged round (the engine's models-averaged event, with weights). */
export interface AveragedRound {
  round: number;
  clients: readonly number[];
  coefficients: readonly number[];
  before: Float32Array;
  after: Float32Array;
}

/** Whether clipping shortened the update (beyond rounding). */
export const wasClipped = (a: Pick<ClientArrow, 'norm' | 'clipped'>) => a.norm > a.clipped + 1e-12;

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

/**
 * The arrows, the server's step and the clipping summary of one averaged round. Clients of the
 * round without a reported update (no weights or norms) are left out.
 */
export function splitDpRound(e: AveragedRound, trained: readonly TrainedUpdate[]): { arrows: ClientArrow[]; server: ServerStep; clip: RoundClip } {
  const { before, after } = e;
  const [r1, r2] = projection(before.length);
  const n = before.length;
  const mean = new Float64Array(n);
  const arrows: ClientArrow[] = [];
  e.clients.forEach((k, i) => {
    const t = trained.find((p) => p.client === k);
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
    clipped: arrows.filter(wasClipped).length,
    meanUpdateNorm: arrows.reduce((sum, a) => sum + a.norm, 0) / Math.max(1, arrows.length),
    meanNorm: server.mean,
    noiseNorm: server.noise,
    appliedNorm: server.applied,
  };
  return { arrows, server, clip };
}
