/**
 * Three estimates of one rate on a common percentage axis (Observable Plot): the true rate, the
 * naive "yes" share, and the unbiased estimate with its confidence interval. Labels sit beside
 * the marks (no colour-only legend).
 */
import * as Plot from '@observablehq/plot';
import type { RrEstimate } from '~/engine/privacy/randomized-response';
import type { ChartRenderer } from '../renderers/plot-image';
import { framedChart, percent, xAxis } from '../renderers/plot-parts';
import { pct } from '../renderers/format';

/** All shares in [0, 1] (the estimate and interval may leave it). */
export type EstimateChartData = Pick<RrEstimate, 'naive' | 'estimate' | 'lower' | 'upper'> & { truth: number };

const ROWS = ['참 비율', '단순 추정', '보정한 추정'] as const;

export function create(el: HTMLElement, options: { label: string }): ChartRenderer<EstimateChartData> {
  const frame = { label: options.label, height: 150, marginLeft: 78, marginRight: 20, marginBottom: 34 };
  return framedChart<EstimateChartData>(el, { minWidth: 260, ...frame }, (d) => {
    const lo = Math.min(0, d.lower);
    const hi = Math.max(1, d.upper);
    // One row each: where its dot is, in which colour, and the figure written above it.
    const dots = [
      { x: d.truth, y: ROWS[0], c: 'currentColor', t: pct(d.truth) },
      { x: d.naive, y: ROWS[1], c: '#d55e00', t: pct(d.naive) },
      { x: d.estimate, y: ROWS[2], c: '#0072b2', t: `${pct(d.estimate)} (${pct(d.lower)}–${pct(d.upper)})` },
    ];
    return {
      x: xAxis('비율', { domain: [lo, hi], tickFormat: percent, grid: true }),
      y: { domain: [...ROWS], label: null },
      marks: [
        Plot.ruleX([d.truth], { stroke: 'currentColor', strokeDasharray: '4,3', strokeOpacity: 0.7 }),
        Plot.ruleX([0, 1], { stroke: 'currentColor', strokeOpacity: 0.25 }),
        Plot.link([d], { x1: 'lower', x2: 'upper', y1: () => ROWS[2], y2: () => ROWS[2], stroke: '#0072b2', strokeWidth: 3 }),
        Plot.tickX([d.lower, d.upper], { x: (v: number) => v, y: () => ROWS[2], stroke: '#0072b2', strokeWidth: 2 }),
        Plot.dot(dots, { x: 'x', y: 'y', fill: 'c', r: 6, stroke: 'white', strokeWidth: 1 }),
        Plot.text(dots, { x: 'x', y: 'y', text: 't', dy: -12, fill: 'currentColor', fontWeight: 600 }),
      ],
    };
  });
}
