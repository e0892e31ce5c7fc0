/**
 * The two messages every configuration check writes: a number outside its range, and a value
 * that is not one of the valid ones, each in Korean (for the pages) and English (for the command
 * line). `names` gives each field's Korean and English name.
 */
import type { ConfigProblem } from './types';

/** An inclusive range; `int` marks whole-number fields. */
export interface Limit {
  min: number;
  max: number;
  int: boolean;
}

/** Korean and English names of a configuration's fields. */
export type FieldNames = Record<string, [ko: string, en: string]>;

export function inRange(v: unknown, lim: Limit): boolean {
  return typeof v === 'number' && Number.isFinite(v) && v >= lim.min && v <= lim.max && (!lim.int || Number.isInteger(v));
}

export function rangeProblem(names: FieldNames, field: string, lim: Limit): ConfigProblem {
  const [ko, en] = names[field] ?? [field, field];
  const kind = lim.int ? ['정수', 'an integer'] : ['수', 'a number'];
  return {
    field,
    ko: `${ko}: ${lim.min} 이상 ${lim.max} 이하의 ${kind[0]}여야 합니다.`,
    en: `${en} must be ${kind[1]} from ${lim.min} to ${lim.max}.`,
  };
}

export function choiceProblem(names: FieldNames, field: string, valid: readonly string[]): ConfigProblem {
  const [ko, en] = names[field] ?? [field, field];
  const list = valid.join(', ');
  return { field, ko: `${ko}: 다음 중 하나여야 합니다: ${list}.`, en: `${en} must be one of: ${list}.` };
}
