/**
 * What the gradient inversion widget shows, as pure reducers over the attack's events (tested in
 * Node on real attacks): the attack on one client's update, and the sweep of one defence's
 * strengths, which runs after it on the same worker and leaves the attack's pictures in place.
 * No tfjs, no DOM.
 */
import type { InversionDefence, InversionEvent } from '~/engine/attacks/inversion-config';
import type { EngineEvent } from '~/engine/types';
import type { Stage } from '../kit/run';

/** An attack's event as the worker host delivers it (typed as a training event). */
const attackEvent = (e: EngineEvent): InversionEvent => e as unknown as InversionEvent;

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

/** The attack and the sweep; `mode` says which of them the worker is running. */
export interface InversionState {
  mode: 'attack' | 'sweep';
  attack: AttackState;
  sweep: SweepState;
}

export const initialInversion = (): InversionState => ({ mode: 'attack', attack: initialAttack(), sweep: initialSweep() });

/** A sweep of `defence` at `of` strengths, `steps` attack steps each, after the attack in `s`. */
export const startSweep = (s: InversionState, defence: InversionDefence, steps: number, of: number): InversionState => ({
  ...s,
  mode: 'sweep',
  sweep: { ...initialSweep(), status: 'running', defence, steps, of },
});

/** Folds one event of the run under way into the attack or the sweep. */
export function reduceInversion(s: InversionState, ev: EngineEvent): InversionState {
  const e = attackEvent(ev);
  return s.mode === 'sweep' ? { ...s, sweep: reduceSweep(s.sweep, e) } : { ...s, attack: reduceAttack(s.attack, e) };
}

/** Where an attack's or a sweep's event puts the run, for the kit's status and progress. */
export function inversionStage(ev: EngineEvent): Stage | null {
  const e = attackEvent(ev);
  switch (e.type) {
    case 'inversion-started':
      return { stage: 'started' };
    case 'inversion-step':
      return { stage: 'progress', round: e.step };
    case 'inversion-sweep-point':
      return { stage: 'progress', round: e.index + 1 };
    case 'inversion-finished':
    case 'inversion-sweep-finished':
      return { stage: 'finished' };
    case 'inversion-diverged':
      return { stage: 'diverged', message: e.message };
    default:
      return null;
  }
}
