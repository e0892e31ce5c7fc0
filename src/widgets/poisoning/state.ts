/**
 * What one rule's run has said so far: a pure reducer (state, engine event) → state, no DOM and
 * no tfjs. Weight vectors are projected as each round completes (./projection.ts) and dropped, so
 * six runs of 20 rounds keep a few kilobytes, not the 20 MB their vectors would take.
 */
import type { AggregatorRule, EngineEvent, RoundMetrics } from '~/engine/types';
import { projectRound, type RoundPlane } from './projection';

export type RuleStatus = 'waiting' | 'running' | 'finished' | 'diverged' | 'blocked';

export interface RuleRound {
  round: number;
  testAccuracy: number;
  backdoorSuccess?: number;
  /** This round's updates and every rule's aggregate on the plane. */
  plane: RoundPlane | null;
  /** Krum: the clients it kept. */
  chosen?: number[];
}

export interface RuleState {
  rule: AggregatorRule;
  status: RuleStatus;
  malicious: number[];
  rounds: RuleRound[];
  /** Korean message when diverged or blocked. */
  message: string | null;
  /** The current round's client models, until the aggregate arrives. */
  pending: Array<{ k: number; malicious: boolean; weights: Float32Array }>;
  plane: RoundPlane | null;
  chosen?: number[];
}

export const initRule = (rule: AggregatorRule, status: RuleStatus = 'waiting', message: string | null = null): RuleState => ({
  rule,
  status,
  malicious: [],
  rounds: [],
  message,
  pending: [],
  plane: null,
});

export function reduceRule(s: RuleState, e: EngineEvent): RuleState {
  switch (e.type) {
    case 'run-started':
      return { ...initRule(s.rule), status: 'running' };
    case 'round-started':
      return { ...s, malicious: e.malicious ?? [], pending: [], plane: null, chosen: undefined };
    case 'client-trained':
      return e.weights ? { ...s, pending: [...s.pending, { k: e.client, malicious: !!e.malicious, weights: e.weights }] } : s;
    case 'models-averaged': {
      const plane = e.before && e.candidates ? projectRound(e.before, s.pending, e.candidates) : null;
      return { ...s, pending: [], plane, chosen: e.chosen };
    }
    case 'round-metrics':
      return { ...s, rounds: [...s.rounds, roundOf(e.metrics, s.plane, s.chosen)], plane: null };
    case 'run-finished':
      return { ...s, status: 'finished', pending: [] };
    case 'run-diverged':
      return { ...s, status: 'diverged', message: e.message, pending: [] };
    default:
      return s;
  }
}

function roundOf(m: RoundMetrics, plane: RoundPlane | null, chosen?: number[]): RuleRound {
  return {
    round: m.round,
    testAccuracy: m.testAccuracy,
    ...(m.backdoorSuccess !== undefined ? { backdoorSuccess: m.backdoorSuccess } : {}),
    plane,
    ...(chosen ? { chosen } : {}),
  };
}
