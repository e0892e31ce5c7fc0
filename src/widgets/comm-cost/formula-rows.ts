/**
 * The communication-cost tables as plain data (no DOM): CommCost.astro writes them for the
 * default settings, so they are in the page at their height before the widget mounts, and
 * ./main.ts draws the same rows for the reader's settings.
 */
import { FLOAT_BYTES, methodEpochBytes, type CommMethod, type CommVars } from '~/engine/comm';
import { formatKoreanCount } from '../renderers/kinds';
import { formatBytes } from '../renderers/format';

/** The methods the formulas cover, in the order they are listed. */
export const METHODS = ['fl', 'sl', 'slHandoff', 'splitfed'] as const satisfies readonly CommMethod[];

/** The client counts of the formula table. */
export const FORMULA_K = [10, 100, 1000, 10_000] as const;

/** Under the hand-off with one client, measured or not. */
export const HANDOFF_NOTE = '클라이언트가 한 명이면 넘길 상대가 없어 인계가 없습니다(공식은 K번으로 셈).';

/** One row of the formula table: each method's bytes and values for K clients, and the cheapest. */
export function formulaRow(v: CommVars, K: number) {
  const b = methodEpochBytes(v, K);
  const best = METHODS.reduce((a, m) => (b[m] < b[a] ? m : a), METHODS[0]);
  return { K, best, cells: METHODS.map((m) => ({ m, bytes: formatBytes(b[m]), values: `값 ${formatKoreanCount(b[m] / FLOAT_BYTES)}개` })) };
}
