/**
 * Decoded frequencies against the truth (Observable Plot): per candidate value a grey bar for
 * the true number of holders and a dot with a 95% interval for the estimate; a filled dot means
 * the value passed the paper's significance test, a hollow one that it did not.
 */
import * as Plot from '@observablehq/plot';
import type { ScoredEstimate } from '~/engine/privacy/rappor';
import type { ChartRenderer } from '../renderers/plot-image';
import { framedChart, xAxis } from '../renderers/plot-parts';

export function create(el: HTMLElement, options: { label: string }): ChartRenderer<ScoredEstimate[]> {
  const frame = { label: options.label, marginLeft: 104, marginRight: 16, marginBottom: 36 };
  return framedChart<ScoredEstimate[]>(el, { minWidth: 280, initialWidth: 560, ...frame }, (rows) => {
    const lo = Math.min(0, ...rows.map((r) => r.lower));
    const hi = Math.max(1, ...rows.map((r) => r.upper), ...rows.map((r) => r.truth));
    return {
      height: 26 + rows.length * 22 + 36,
      x: xAxis('보고 수 (명)', { domain: [lo, hi], grid: true, nice: true, tickFormat: (v: number) => v.toLocaleString('ko-KR') }),
      y: { domain: rows.map((r) => r.value), label: null, padding: 0.25 },
      marks: [
        Plot.barX(rows, { x: 'truth', y: 'value', fill: '#aab2bd', fillOpacity: 0.6 }),
        Plot.ruleX([0], { stroke: 'currentColor', strokeOpacity: 0.5 }),
        Plot.link(rows, { x1: 'lower', x2: 'upper', y1: 'value', y2: 'value', stroke: '#0072b2', strokeWidth: 2 }),
        Plot.dot(
          rows.filter((r) => r.detected),
          { x: 'estimate', y: 'value', r: 4.5, fill: '#0072b2', stroke: 'white', strokeWidth: 1 },
        ),
        Plot.dot(
          rows.filter((r) => !r.detected),
          { x: 'estimate', y: 'value', r: 4.5, fill: 'white', stroke: '#0072b2', strokeWidth: 2 },
        ),
      ],
    };
  });
}
