/**
 * The true sum of the received updates next to what the server computed, one pair of bars per
 * coordinate (Observable Plot). Without recovery after a dropout the server's bars are hundreds
 * of times too large; with recovery they match. Bars are labelled with their values.
 */
import * as Plot from '@observablehq/plot';
import type { ChartRenderer } from '../renderers/plot-image';
import { framedChart, yAxis } from '../renderers/plot-parts';

export interface SumChartData {
  trueSum: number[];
  /** What the server ended with (null: nothing usable, e.g. recovery failed). */
  server: number[] | null;
}

const SERIES = ['실제 합', '서버의 결과'] as const;

export function create(el: HTMLElement, options: { label: string }): ChartRenderer<SumChartData> {
  const frame = { label: options.label, height: 220, marginLeft: 52, marginBottom: 40 };
  return framedChart<SumChartData>(el, { minWidth: 260, initialWidth: 520, ...frame }, (data) => {
    const rows = data.trueSum.flatMap((v, i) => [
      { coord: `값 ${i + 1}`, series: SERIES[0], value: v },
      ...(data.server ? [{ coord: `값 ${i + 1}`, series: SERIES[1], value: data.server[i] }] : []),
    ]);
    return {
      fx: { label: null, padding: 0.15 },
      x: { domain: [...SERIES], label: null, tickFormat: (s: string) => (s === SERIES[0] ? '실제' : '서버') },
      y: yAxis('합', { nice: true, insetTop: 14, insetBottom: 14 }),
      color: { domain: [...SERIES], range: ['#0072b2', '#d55e00'] },
      marks: [
        Plot.ruleY([0], { stroke: 'currentColor', strokeOpacity: 0.4 }),
        Plot.barY(rows, { fx: 'coord', x: 'series', y: 'value', fill: 'series' }),
        ...[true, false].map((up) =>
          Plot.text(
            rows.filter((d) => (d.value >= 0) === up),
            { fx: 'coord', x: 'series', y: 'value', text: (d: { value: number }) => d.value.toFixed(2), dy: up ? -7 : 9, fill: 'currentColor', fontSize: 10 },
          ),
        ),
      ],
    };
  });
}
