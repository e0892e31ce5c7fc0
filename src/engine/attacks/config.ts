/**
 * Defaults and validation of the poisoning and robust-aggregation settings (RunConfig.poison and
 * RunConfig.aggregation). tfjs-free, so pages and the CLI can check a configuration cheaply.
 */
import type { AggregationConfig, AggregatorRule, ConfigProblem, RunConfig } from '../types';
import { AGGREGATORS, DEFAULT_AGGREGATOR_OPTIONS, needsIndividualUpdates } from '../aggregators';
import { validatePoison } from './poisoning';
import { choiceProblem, inRange, rangeProblem, type FieldNames } from '../problems';

/** The algorithms whose rounds average client updates the robust rules can replace. */
export const ROBUST_ALGORITHMS = ['fedavg', 'fedprox', 'fedsgd'] as const;

export function defaultAggregation(rule: AggregatorRule = 'mean'): AggregationConfig {
  const d = DEFAULT_AGGREGATOR_OPTIONS;
  return { rule, trim: d.trim, krumM: d.krumM, clipNorm: d.clipNorm, secure: false };
}

export const AGGREGATION_LIMITS = {
  trim: { min: 0, max: 0.49, int: false },
  krumM: { min: 1, max: 1000, int: true },
  clipNorm: { min: 0, max: 1e6, int: false },
} as const;

const NAMES: FieldNames = {
  'aggregation.rule': ['집계 규칙', 'aggregator'],
  'aggregation.trim': ['절사 비율 β', 'trim fraction β'],
  'aggregation.krumM': ['Multi-Krum m', 'Multi-Krum m'],
  'aggregation.clipNorm': ['클리핑 반지름(0은 라운드별 노름 중앙값)', "clip norm (0 = the round's median norm)"],
};

/**
 * Whether a run goes through a RobustServer: a federated algorithm it supports, and an attack or
 * an explicit aggregation setting (even the mean: then each rule's aggregate is reported too).
 */
export function needsRobustServer(c: RunConfig): boolean {
  if (!(ROBUST_ALGORITHMS as readonly string[]).includes(c.algorithm)) return false;
  return (!!c.poison && c.poison.fraction > 0) || !!c.aggregation;
}

/** Problems with config.poison and config.aggregation (none when both are absent). */
export function validateRobust(c: RunConfig, classes: number): ConfigProblem[] {
  const out = validatePoison(c, classes);
  const a = c.aggregation;
  if (a !== undefined) {
    if (!a || typeof a !== 'object') return [...out, { field: 'aggregation', ko: '집계 규칙 설정이 올바르지 않습니다.', en: 'the aggregation configuration is malformed.' }];
    if (!AGGREGATORS.includes(a.rule)) out.push(choiceProblem(NAMES, 'aggregation.rule', AGGREGATORS));
    const L = AGGREGATION_LIMITS;
    if (!inRange(a.trim, L.trim)) out.push(rangeProblem(NAMES, 'aggregation.trim', L.trim));
    if (!inRange(a.krumM, L.krumM)) out.push(rangeProblem(NAMES, 'aggregation.krumM', L.krumM));
    if (!inRange(a.clipNorm, L.clipNorm)) out.push(rangeProblem(NAMES, 'aggregation.clipNorm', L.clipNorm));
    if (typeof a.secure !== 'boolean') out.push({ field: 'aggregation.secure', ko: '보안 집계: true 또는 false여야 합니다.', en: 'secure aggregation must be true or false.' });
    if (a.secure === true && AGGREGATORS.includes(a.rule) && needsIndividualUpdates(a.rule)) {
      out.push({
        field: 'aggregation.secure',
        ko: `보안 집계를 켜면 서버는 업데이트의 합만 봅니다. ${a.rule} 규칙은 클라이언트 업데이트를 하나하나 봐야 하므로 함께 쓸 수 없습니다. 평균(mean)만 합으로 계산됩니다.`,
        en: `secure aggregation shows the server only the sum of the updates; the ${a.rule} rule needs each client's update, so the two cannot run together (only mean works on a sum).`,
      });
    }
  }
  const active = (c.poison !== undefined && c.poison?.fraction !== 0) || (a !== undefined && a?.rule !== 'mean');
  if (active && !(ROBUST_ALGORITHMS as readonly string[]).includes(c.algorithm)) {
    out.push({
      field: 'algorithm',
      ko: `오염 공격과 강건 집계는 ${ROBUST_ALGORITHMS.join(', ')}에서만 실행할 수 있습니다.`,
      en: `poisoning and robust aggregation run with ${ROBUST_ALGORITHMS.join(', ')} only.`,
    });
  }
  return out;
}

