/**
 * Defaults and validation of the poisoning and robust-aggregation settings (RunConfig.poison and
 * RunConfig.aggregation). tfjs-free, so pages and the CLI can check a configuration cheaply.
 */
import type { AggregationConfig, AggregatorRule, ConfigProblem, RunConfig } from '../types';
import { AGGREGATORS, DEFAULT_AGGREGATOR_OPTIONS, needsIndividualUpdates } from '../aggregators';
import { validatePoison } from './poisoning';

/** The algorithms whose rounds average client updates the robust rules can replace. */
export const ROBUST_ALGORITHMS = ['fedavg', 'fedprox', 'fedsgd'] as const;

export function defaultAggregation(rule: AggregatorRule = 'mean'): AggregationConfig {
  const d = DEFAULT_AGGREGATOR_OPTIONS;
  return { rule, trim: d.trim, krumM: d.krumM, clipNorm: d.clipNorm, secure: false };
}

export const AGGREGATION_LIMITS = {
  trim: { min: 0, max: 0.49 },
  krumM: { min: 1, max: 1000 },
  clipNorm: { min: 0, max: 1e6 },
} as const;

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
    if (!AGGREGATORS.includes(a.rule)) {
      out.push({ field: 'aggregation.rule', ko: `집계 규칙: 다음 중 하나여야 합니다: ${AGGREGATORS.join(', ')}.`, en: `aggregator must be one of: ${AGGREGATORS.join(', ')}.` });
    }
    const L = AGGREGATION_LIMITS;
    if (!(typeof a.trim === 'number' && a.trim >= L.trim.min && a.trim <= L.trim.max)) {
      out.push({ field: 'aggregation.trim', ko: `절사 비율 β: ${L.trim.min} 이상 ${L.trim.max} 이하의 수여야 합니다.`, en: `trim fraction β must be a number from ${L.trim.min} to ${L.trim.max}.` });
    }
    if (!(Number.isInteger(a.krumM) && a.krumM >= L.krumM.min && a.krumM <= L.krumM.max)) {
      out.push({ field: 'aggregation.krumM', ko: `Multi-Krum m: ${L.krumM.min} 이상 ${L.krumM.max} 이하의 정수여야 합니다.`, en: `Multi-Krum m must be an integer from ${L.krumM.min} to ${L.krumM.max}.` });
    }
    if (!(typeof a.clipNorm === 'number' && a.clipNorm >= L.clipNorm.min && a.clipNorm <= L.clipNorm.max)) {
      out.push({ field: 'aggregation.clipNorm', ko: `클리핑 반지름: ${L.clipNorm.min} 이상 ${L.clipNorm.max} 이하의 수여야 합니다 (0은 라운드별 노름 중앙값).`, en: `clip norm must be a number from ${L.clipNorm.min} to ${L.clipNorm.max} (0 = the round's median norm).` });
    }
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

