/**
 * The static results chart's two view settings (`?reproresults.…`): which partition it shows and
 * which curve. Nothing here trains; the numbers come from the committed results file.
 */
import type { ParamTable, Values } from '~/runtime/url-state';
import { PARTITION } from '../controls/params';
import type { SettingCurve } from './curves-chart';

/** Which accuracy a curve shows; the live reproduction's chart offers the same choice. */
export const CURVE = {
  type: 'choice',
  label: '곡선',
  default: 'best',
  choices: [
    { value: 'best', label: '지금까지의 최고 정확도 (논문 방식)' },
    { value: 'raw', label: '라운드마다 잰 정확도' },
  ],
} as const;

export const resultsParams = {
  part: {
    ...PARTITION,
    choices: [
      { value: 'iid', label: 'IID' },
      { value: 'shards', label: '극단적 Non-IID (샤드 2개씩)' },
    ],
  },
  curve: CURVE,
} as const satisfies ParamTable;

export type ResultsParams = typeof resultsParams;
export type ResultsValues = Values<ResultsParams>;

/** What the page hands the chart (a data attribute): per partition, one curve per setting. */
export interface ResultsChartData {
  target: number;
  cap: number;
  partitions: Record<string, SettingCurve[]>;
}

/** A value the page rendered into a data attribute at build time (`fallback` when absent or unreadable). */
export function fromPage<T>(json: string | undefined, fallback: T): T {
  try {
    return json === undefined ? fallback : (JSON.parse(json) as T);
  } catch {
    return fallback;
  }
}
