/**
 * Where one round's updates lie, on a plane the reader can read (presentation math, computed in
 * the training worker beside the run: `planeEvents`). The origin is w_t, the model every client started from. The x axis is
 * the direction of the honest clients' mean update — "forward" for the honest majority — and the
 * y axis the direction, perpendicular to it, along which the updates spread most. Both axes are
 * linear maps through the origin, so a weighted mean of updates is drawn exactly at the weighted
 * mean of their points; a sign-flipped update lands on the far side of the origin.
 *
 * Cost: a Gram matrix of the round's n vectors (n ≈ 17, D = 2,410 parameters for the widget's
 * model), ~0.7 M multiply-adds — under 5 ms, unlike the weight-averaging figure's D×D covariance,
 * which at this D would take seconds.
 */

import type { EngineEvent } from '../types';

export interface PlanePoint {
  x: number;
  y: number;
}

export interface RoundPlane {
  /** Client updates Δ_k = w_k − w_t (what each sent), projected. */
  clients: Array<PlanePoint & { k: number; malicious: boolean }>;
  /** Each rule's aggregate Δ, projected. */
  aggregates: Array<PlanePoint & { rule: string }>;
  /** Length of the honest mean update (the x axis' unit, for the caption). */
  honestNorm: number;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Projects one round. `before` = w_t; client and candidate vectors are full weight vectors
 * (w_t + Δ), as the engine sends them.
 */
export function projectRound(
  before: Float32Array,
  clients: ReadonlyArray<{ k: number; malicious: boolean; weights: Float32Array }>,
  candidates: ReadonlyArray<{ rule: string; after: Float32Array }>,
): RoundPlane {
  const D = before.length;
  const delta = (w: Float32Array) => {
    const d = new Float64Array(D);
    for (let j = 0; j < D; j++) d[j] = w[j] - before[j];
    return d;
  };
  const updates = clients.map((c) => delta(c.weights));
  const aggs = candidates.map((c) => delta(c.after));
  // x: the honest mean direction (all clients when none is honest).
  const honest = updates.filter((_, i) => !clients[i].malicious);
  const base = honest.length ? honest : updates;
  const u = new Float64Array(D);
  for (const d of base) for (let j = 0; j < D; j++) u[j] += d[j] / base.length;
  const honestNorm = Math.sqrt(dot(u, u));
  if (honestNorm > 0) for (let j = 0; j < D; j++) u[j] /= honestNorm;
  else if (D > 0) u[0] = 1;
  // y: top direction of the residuals r_i = Δ_i − ⟨Δ_i, u⟩u, through the n×n Gram matrix.
  const resid = updates.map((d) => {
    const a = dot(d, u);
    const r = new Float64Array(D);
    for (let j = 0; j < D; j++) r[j] = d[j] - a * u[j];
    return r;
  });
  const n = resid.length;
  const G = resid.map((a) => resid.map((b) => dot(a, b)));
  let vec = Array.from({ length: n }, (_, i) => 1 + i / (n + 1));
  for (let it = 0; it < 100; it++) {
    const next = G.map((row) => row.reduce((s, g, j) => s + g * vec[j], 0));
    const len = Math.hypot(...next);
    if (!(len > 0)) break;
    vec = next.map((x) => x / len);
  }
  const v = new Float64Array(D);
  resid.forEach((r, i) => {
    for (let j = 0; j < D; j++) v[j] += vec[i] * r[j];
  });
  const vn = Math.sqrt(dot(v, v));
  if (vn > 0) for (let j = 0; j < D; j++) v[j] /= vn;
  const at = (d: Float64Array): PlanePoint => ({ x: dot(d, u), y: vn > 0 ? dot(d, v) : 0 });
  return {
    clients: clients.map((c, i) => ({ k: c.k, malicious: c.malicious, ...at(updates[i]) })),
    aggregates: candidates.map((c, i) => ({ rule: c.rule, ...at(aggs[i]) })),
    honestNorm,
  };
}

/**
 * A run's events as the page gets them when it asks for planes (the training worker applies this
 * to a run that emits weights): each round's `models-averaged` carries its `plane`, and the weight
 * vectors themselves stay in the worker. The poisoning map computed the projection in the page,
 * in the event's handler: the first one was a task of 83 ms on the phone profile of the jank
 * bench, and every round sent some 30 vectors of the model's size to the page.
 */
export function planeEvents(): (e: EngineEvent) => EngineEvent {
  let sent: Array<{ k: number; malicious: boolean; weights: Float32Array }> = [];
  return (e) => {
    switch (e.type) {
      case 'round-started':
        sent = [];
        return e;
      case 'client-trained': {
        const { weights, ...rest } = e;
        if (weights) sent.push({ k: e.client, malicious: !!e.malicious, weights });
        return rest;
      }
      case 'models-averaged': {
        const { before, after, candidates, ...rest } = e;
        const plane = before && candidates ? projectRound(before, sent, candidates) : undefined;
        sent = [];
        return plane ? { ...rest, plane } : rest;
      }
      case 'run-finished': {
        const { weights, ...rest } = e;
        return rest;
      }
      default:
        return e;
    }
  };
}
