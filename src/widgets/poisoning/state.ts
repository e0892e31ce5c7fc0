/**
 * The poisoning lab as pure reducers, no DOM and no tfjs: what one rule's run has said so far
 * (reduceRule), and the six rules' runs one after another (reducePoison). The training worker
 * projects each round's weight vectors to a plane (engine/attacks/projection.ts) and sends only
 * the plane, so six runs of 20 rounds keep a few kilobytes, not the 20 MB their vectors would take.
 */
import { validateConfig } from '~/engine/config';
import type { AggregatorRule, EngineEvent, RoundMetrics } from '~/engine/types';
import { RULES, toRunConfig } from './config';
import type { PoisonValues } from './params';
import type { RoundPlane } from '~/engine/attacks/projection';

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
  /** The current round's plane (computed in the worker), until its metrics arrive. */
  plane: RoundPlane | null;
  chosen?: number[];
}

export const initRule = (rule: AggregatorRule, status: RuleStatus = 'waiting', message: string | null = null): RuleState => ({
  rule,
  status,
  malicious: [],
  rounds: [],
  message,
  plane: null,
});

export function reduceRule(s: RuleState, e: EngineEvent): RuleState {
  switch (e.type) {
    case 'run-started':
      return { ...initRule(s.rule), status: 'running' };
    case 'round-started':
      return { ...s, malicious: e.malicious ?? [], plane: null, chosen: undefined };
    case 'models-averaged':
      return { ...s, plane: e.plane ?? null, chosen: e.chosen };
    case 'round-metrics':
      return { ...s, rounds: [...s.rounds, roundOf(e.metrics, s.plane, s.chosen)], plane: null };
    case 'run-finished':
      return { ...s, status: 'finished' };
    case 'run-diverged':
      return { ...s, status: 'diverged', message: e.message };
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

/** Every rule's run, trained one after another with the same data, seed and attackers. */
export interface PoisonState {
  rules: Readonly<Record<AggregatorRule, RuleState>>;
  /** The rules that can run with these settings, in order (the others are blocked). */
  jobs: readonly AggregatorRule[];
  /** Index into `jobs` of the run under way (jobs.length when all are done). */
  current: number;
}

/**
 * Before any run: a rule the engine refuses with these settings (secure aggregation lets the
 * server see only the sum, so only the mean can run) is blocked with the engine's Korean reason.
 */
export function initPoison(v: PoisonValues): PoisonState {
  const rules = Object.fromEntries(
    RULES.map((r) => {
      const problems = validateConfig(toRunConfig(v, r));
      return [r, problems.length ? initRule(r, 'blocked', problems.map((p) => p.ko).join(' ')) : initRule(r)];
    }),
  ) as Record<AggregatorRule, RuleState>;
  const jobs = RULES.filter((r) => rules[r].status === 'waiting');
  if (jobs.length) rules[jobs[0]] = { ...rules[jobs[0]], status: 'running' };
  return { rules, jobs, current: 0 };
}

/** The rule whose run is under way, if any. */
export const currentRule = (s: PoisonState): AggregatorRule | null => s.jobs[s.current] ?? null;

/** The state after one event of the current rule's run; its end moves on to the next rule. */
export function reducePoison(s: PoisonState, e: EngineEvent): PoisonState {
  const rule = currentRule(s);
  if (!rule) return s;
  const rules = { ...s.rules, [rule]: reduceRule(s.rules[rule], e) };
  if (e.type !== 'run-finished' && e.type !== 'run-diverged') return { ...s, rules };
  const next = s.jobs[s.current + 1];
  if (next) rules[next] = { ...rules[next], status: 'running' };
  return { ...s, rules, current: s.current + 1 };
}
