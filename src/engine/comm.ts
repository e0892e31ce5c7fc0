/**
 * Communication cost as formulas (Singh et al. 2019, arXiv:1909.09145), as plain
 * functions a page can plot without running anything, and that the tests hold the engine's
 * measured bytes against.
 *
 * Variables, per pass over all training data (one epoch):
 *   p      total training examples over all clients
 *   q      floats per example at the cut layer (the cut width)
 *   N      model parameters
 *   η_c    share of the parameters on the client side (etaC); η_c·N = clientParams
 *   K      clients
 * A float is 4 bytes (float32).
 *
 * | method                          | per client            | total              |
 * | FL                              | 2N                    | 2KN                |
 * | SL, no weight sharing           | 2(p/K)q               | 2pq                |
 * | SL with client weight hand-off  | 2(p/K)q + η_c N       | 2pq + η_c N K      |
 *
 * The table is rebuilt from the paper's variables; we have not checked it against the paper's own
 * table. The terms it leaves
 * out are functions of their own below: labels (vanilla SL sends one per example), the U-shaped
 * second cut (2pq₂), hand-off through the server (two legs instead of one), SplitFed's per-round
 * download and upload of the client part.
 *
 * This module imports nothing, so widgets can use it on the main thread.
 */
import type { EngineEvent, Handoff, MessageKind, SplitVariant } from './types';

/** Bytes per float on the wire (float32): every byte count of the engine and the pages. */
export const FLOAT_BYTES = 4;

/** Floats → bytes. */
export const floatsToBytes = (floats: number): number => floats * FLOAT_BYTES;

/** Floats a method sends in one epoch: for one client and for all K. */
export interface CommFloats {
  perClient: number;
  total: number;
}

/** FL, one round with all K clients and one local epoch: download and upload the model. */
export function flFloats({ K, N }: { K: number; N: number }): CommFloats {
  return { perClient: 2 * N, total: 2 * K * N };
}

/** SL without weight sharing: smashed data up and gradients down, q floats each per example. */
export function slFloats({ p, q, K }: { p: number; q: number; K: number }): CommFloats {
  return { perClient: (2 * (p / K)) * q, total: 2 * p * q };
}

/** SL with the client part handed from client to client once per client per epoch. */
export function slHandoffFloats({ p, q, K, N, etaC }: { p: number; q: number; K: number; N: number; etaC: number }): CommFloats {
  return { perClient: (2 * (p / K)) * q + etaC * N, total: 2 * p * q + etaC * N * K };
}

/**
 * The client count above which SL with hand-off sends less than FL:
 * 2pq + η_c N K < 2KN ⇔ K > 2pq / (N (2 − η_c)).
 */
export function crossoverClients({ p, q, N, etaC }: { p: number; q: number; N: number; etaC: number }): number {
  return (2 * p * q) / (N * (2 - etaC));
}

/** Vanilla SL: the labels travel with the smashed data, one float per example. */
export const labelFloats = (p: number): number => p;

/** U-shaped SL: the second cut (width q₂) adds activations down and gradients up. */
export const ushapedExtraFloats = (p: number, q2: number): number => 2 * p * q2;

/**
 * SplitFed, one round in which m clients each make E passes over their data: smashed data and
 * gradients for every example of every pass, plus the client part down and up once per client
 * (Thapa et al. 2020). Labels and a U-shaped second cut add as for SL.
 */
export function splitFedFloats({ p, q, m, clientParams, epochs = 1 }: { p: number; q: number; m: number; clientParams: number; epochs?: number }): CommFloats {
  const total = 2 * p * q * epochs + 2 * m * clientParams;
  return { perClient: total / m, total };
}

/** What one hand-off costs: one copy peer to peer, two (up and down) through the server. */
export const handoffCopies = (via: Handoff): number => (via === 'server' ? 2 : 1);

/**
 * Hand-offs per epoch of round-robin SL: every client passes the client part on after its turn,
 * the last one back to the first for the next epoch (K of them, as in η_c N K). One client has
 * nobody to hand to.
 */
export const handoffsPerEpoch = (K: number): number => (K > 1 ? K : 0);

/** Bytes by message kind, the shape of RoundMetrics.bytesByKind. */
export type BytesByKind = Partial<Record<MessageKind, number>>;

export interface SplitEpochSetup {
  /** Examples per client (their sum is p). For vertical SL: every client holds all p examples. */
  clientSizes: number[];
  variant: SplitVariant;
  /** Floats per example at the cut. Vertical: one width per client (their blocks differ). */
  q: number | number[];
  /** U-shaped: floats per example at the second cut (server → the client's head). */
  q2?: number;
  /** Parameters a client holds (η_c N): the front, plus the head for U-shaped. */
  clientParams: number;
  /** Hand-off route; null for no weight sharing. Vertical SL has no hand-off. */
  handoff: Handoff | null;
}

/**
 * Bytes one epoch of round-robin split learning sends, by kind: exactly what the engine's
 * accounting should measure (the tests assert it). Labels are one float32 per example (vanilla
 * and vertical, where one client sends them; unverified for vertical, see split/vertical.ts).
 */
export function splitEpochBytes(s: SplitEpochSetup): BytesByKind {
  const K = s.clientSizes.length;
  const p = s.clientSizes.reduce((a, b) => a + b, 0);
  if (s.variant === 'vertical') {
    const widths = Array.isArray(s.q) ? s.q : new Array<number>(K).fill(s.q);
    const n = s.clientSizes[0] ?? 0;
    const qSum = widths.reduce((a, b) => a + b, 0);
    return { smashed: floatsToBytes(n * qSum), gradient: floatsToBytes(n * qSum), labels: floatsToBytes(labelFloats(n)) };
  }
  const q = Array.isArray(s.q) ? s.q[0] : s.q;
  const q2 = s.variant === 'ushaped' ? (s.q2 ?? 0) : 0;
  const out: BytesByKind = {
    smashed: floatsToBytes(p * (q + q2)),
    gradient: floatsToBytes(p * (q + q2)),
  };
  if (s.variant === 'vanilla') out.labels = floatsToBytes(labelFloats(p));
  if (s.handoff) {
    const n = handoffsPerEpoch(K) * handoffCopies(s.handoff);
    if (n > 0) out.handoff = floatsToBytes(n * s.clientParams);
  }
  return out;
}

/** The run-started event of a run, what the formulas of that run are read from. */
type RunStarted = Extract<EngineEvent, { type: 'run-started' }>;

/**
 * The bytes by kind one epoch of a split-learning run should send, from its run-started event:
 * the clients' sizes from its partition, q and q₂ and the client part from the cut model.
 * Vertical: every client sends its block (q/K) for every example.
 */
export function splitEpochBytesOf(e: RunStarted): BytesByKind {
  const K = e.config.clients;
  const q = e.cutWidth ?? 0;
  const clientParams = e.clientParameters ?? 0;
  if (e.config.variant === 'vertical') {
    const clientSizes = new Array<number>(K).fill(e.data.trainSize);
    return splitEpochBytes({ clientSizes, variant: 'vertical', q: new Array<number>(K).fill(q / K), clientParams, handoff: null });
  }
  const sizes = e.data.histograms.map((h) => h.reduce((a, b) => a + b, 0));
  return splitEpochBytes({ clientSizes: sizes, variant: e.config.variant, q, q2: e.headCutWidth, clientParams, handoff: e.config.handoff });
}

export interface SplitFedRoundSetup {
  /** Examples of each client that takes part in the round. */
  clientSizes: number[];
  variant: Exclude<SplitVariant, 'vertical'>;
  q: number;
  q2?: number;
  clientParams: number;
  /** Local epochs E. */
  epochs: number;
}

/** Bytes one SplitFed round sends, by kind (V1 and V2 send the same). */
export function splitFedRoundBytes(s: SplitFedRoundSetup): BytesByKind {
  const m = s.clientSizes.length;
  const p = s.clientSizes.reduce((a, b) => a + b, 0);
  const q2 = s.variant === 'ushaped' ? (s.q2 ?? 0) : 0;
  const out: BytesByKind = {
    'weights-down': floatsToBytes(m * s.clientParams),
    'weights-up': floatsToBytes(m * s.clientParams),
    smashed: floatsToBytes(p * s.epochs * (s.q + q2)),
    gradient: floatsToBytes(p * s.epochs * (s.q + q2)),
  };
  if (s.variant === 'vanilla') out.labels = floatsToBytes(labelFloats(p * s.epochs));
  return out;
}

/** Bytes one FL round sends with m clients: the whole model down and up per client. */
export function flRoundBytes({ m, N }: { m: number; N: number }): BytesByKind {
  return { 'weights-down': floatsToBytes(m * N), 'weights-up': floatsToBytes(m * N) };
}

/** Two tallies added kind by kind (a run's running total). */
export function addBytes(a: BytesByKind, b: BytesByKind): BytesByKind {
  const out = { ...a };
  for (const [k, x] of Object.entries(b) as [MessageKind, number][]) out[k] = (out[k] ?? 0) + x;
  return out;
}

/** Sum over kinds. */
export function totalBytes(b: BytesByKind): number {
  return Object.values(b).reduce((s, x) => s + (x ?? 0), 0);
}

/** The methods the formulas compare, as the pages name them. */
export type CommMethod = 'fl' | 'sl' | 'slHandoff' | 'splitfed';

/** The variables of the formulas, for one model, data set and cut. */
export interface CommVars {
  N: number;
  p: number;
  q: number;
  etaC: number;
}

/** The variables of the formulas for the model, data and cut of a split-learning run (null for other runs). */
export function commVarsOf(e: RunStarted): CommVars | null {
  if (e.clientParameters === undefined || e.cutWidth === undefined) return null;
  return { N: e.parameters, p: e.data.trainSize, q: e.cutWidth, etaC: e.clientParameters / e.parameters };
}

/** Bytes one epoch sends with K clients under each method (the table above, plus SplitFed with all K, E = 1). */
export function methodEpochBytes(v: CommVars, K: number): Record<CommMethod, number> {
  return {
    fl: floatsToBytes(flFloats({ K, N: v.N }).total),
    sl: floatsToBytes(slFloats({ p: v.p, q: v.q, K }).total),
    slHandoff: floatsToBytes(slHandoffFloats({ p: v.p, q: v.q, K, N: v.N, etaC: v.etaC }).total),
    splitfed: floatsToBytes(splitFedFloats({ p: v.p, q: v.q, m: K, clientParams: v.etaC * v.N }).total),
  };
}

/**
 * The message kinds each method's formula counts: what to add up of a run's bytesByKind to hold
 * it against the formula (labels are left out, as the table leaves them out).
 */
export const METHOD_KINDS: Record<CommMethod, readonly MessageKind[]> = {
  fl: ['weights-down', 'weights-up'],
  sl: ['smashed', 'gradient'],
  slHandoff: ['smashed', 'gradient', 'handoff'],
  splitfed: ['smashed', 'gradient', 'weights-down', 'weights-up'],
};

/** Bytes of a run's tally that a method's formula counts. */
export const methodBytes = (b: BytesByKind, method: CommMethod): number => METHOD_KINDS[method].reduce((s, k) => s + (b[k] ?? 0), 0);

/** A count agrees with a formula's when they are equal up to float rounding (one part in a million). */
export const sameBytes = (counted: number, formula: number): boolean => Math.abs(counted - formula) <= 1e-6 * formula;

/** Client counts 1 … max to evaluate the formulas at: a log grid of 20 per decade, both ends included. */
export function clientGrid(max: number): number[] {
  const steps = Math.ceil(Math.log10(max) * 20);
  return Array.from({ length: steps + 1 }, (_, i) => Math.min(max, 10 ** (i / 20)));
}
