/**
 * The widget's settings → the engine's attack configs, and a pure reducer from the attack's
 * events to what the widget shows (tested in Node). No tfjs, no DOM.
 */
import { defaultInversionConfig, DEFENCE_STRENGTHS, type InversionConfig, type InversionDefence, type InversionEvent, type InversionSweepConfig } from '~/engine/attacks/inversion-config';
import type { InversionValues } from './params';

export function toInversionConfig(v: InversionValues): InversionConfig {
  return defaultInversionConfig({
    dataset: v.data,
    hidden: [v.hidden],
    activation: v.act,
    batch: v.batch,
    localSteps: v.local,
    attackSteps: v.steps,
    labels: v.labels,
    clip: v.noise > 0 ? v.clip : 0,
    noise: v.noise,
    secureAgg: v.secagg,
    topk: v.topk,
    seed: v.seed,
  });
}

/**
 * The sweep behind the chart: the shown attack with its other defences off and this one at each
 * strength. Fewer attack steps than the shown attack (at most 150) keep the chart quick; the
 * points are comparable with each other, and the chart says how many steps they used.
 */
export function toSweepConfig(v: InversionValues): InversionSweepConfig {
  const base = { ...toInversionConfig(v), attackSteps: Math.min(150, v.steps), clip: v.clip };
  return { attack: 'inversion-sweep', base, defence: v.sweep as InversionDefence, values: [...DEFENCE_STRENGTHS[v.sweep as InversionDefence]] };
}

type Started = Extract<InversionEvent, { type: 'inversion-started' }>;
type Step = Extract<InversionEvent, { type: 'inversion-step' }>;
type SweepPoint = Extract<InversionEvent, { type: 'inversion-sweep-point' }>;

export type AttackStatus = 'idle' | 'running' | 'finished' | 'diverged' | 'cancelled' | 'error';

export interface AttackState {
  status: AttackStatus;
  started: Started | null;
  /** The latest snapshot of the search. */
  last: Step | null;
  /** Mean PSNR after each snapshot, for the curve. */
  history: { step: number; psnr: number }[];
  message: string | null;
}

export const initialAttack = (): AttackState => ({ status: 'idle', started: null, last: null, history: [], message: null });

/** Folds one event of an attack run into the state (a new state; the old one is untouched). */
export function reduceAttack(s: AttackState, e: InversionEvent): AttackState {
  switch (e.type) {
    case 'inversion-started':
      return { status: 'running', started: e, last: null, history: [], message: null };
    case 'inversion-step':
      return { ...s, last: e, history: [...s.history, { step: e.step, psnr: e.meanPsnr }] };
    case 'inversion-finished':
      return { ...s, status: 'finished' };
    case 'inversion-diverged':
      return { ...s, status: 'diverged', message: e.message };
    case 'inversion-cancelled':
      return { ...s, status: 'cancelled' };
    default:
      return s;
  }
}

export interface SweepState {
  status: 'idle' | 'running' | 'finished' | 'cancelled' | 'diverged';
  defence: InversionDefence | null;
  /** Attack steps each point used. */
  steps: number;
  points: SweepPoint[];
  of: number;
}

export const initialSweep = (): SweepState => ({ status: 'idle', defence: null, steps: 0, points: [], of: 0 });

export function reduceSweep(s: SweepState, e: InversionEvent): SweepState {
  switch (e.type) {
    case 'inversion-sweep-point':
      return { ...s, status: 'running', defence: e.defence, of: e.of, points: [...s.points, e] };
    case 'inversion-sweep-finished':
      return { ...s, status: 'finished' };
    case 'inversion-cancelled':
      return { ...s, status: 'cancelled' };
    case 'inversion-diverged':
      return { ...s, status: 'diverged' };
    default:
      return s;
  }
}

/** How a defence strength reads in Korean (axis ticks, table, summary). */
export function strengthLabel(defence: InversionDefence, value: number): string {
  if (defence === 'noise') return value === 0 ? 'z = 0 (노이즈 없음)' : `z = ${value}`;
  if (defence === 'secureAgg') return value === 1 ? 'K = 1 (보안 집계 없음)' : `K = ${value}`;
  return value === 1 ? '전부 보냄' : `${Math.round(value * 1000) / 10}%`;
}

/** ε to show: a number with sensible digits, or '매우 큼' beyond 1,000. */
export function formatEpsilon(eps: number | undefined): string | null {
  if (eps === undefined) return null;
  if (!Number.isFinite(eps) || eps > 1000) return '1,000 넘음';
  return eps >= 10 ? eps.toFixed(0) : eps.toFixed(2);
}
