/**
 * Estimation error against ε (Observable Plot): one faint dot per simulated survey, the
 * root-mean-square error as a line, the theoretical standard deviation dashed, and a rule at the
 * reader's current ε. The y axis is logarithmic: the error spans two orders of magnitude between
 * ε = 0.1 and ε = 5.
 */
import * as Plot from '@observablehq/plot';
import type { RrErrorPoint } from '~/engine/privacy/randomized-response';
import type { ChartRenderer } from '../renderers/plot-image';
import { dotPaths, framedChart, xAxis, yAxis } from '../renderers/plot-parts';
import { EPSILON_GRID } from './params';

export interface ErrorChartData {
  /** The engine's points: per ε, the errors of its runs (as shares), their RMSE and the theory. */
  points: RrErrorPoint[];
  /** The ε of the current setting. */
  current: number;
}

/** Errors below this (in percentage points) are drawn at it: log scales have no zero. */
const FLOOR = 0.01;
/** Right end of the x axis: just past the grid's largest ε. */
const X_MAX = EPSILON_GRID[EPSILON_GRID.length - 1] + 0.2;

export function create(el: HTMLElement, options: { label: string }): ChartRenderer<ErrorChartData> {
  const frame = { label: options.label, height: 230, marginLeft: 52, marginRight: 16, marginBottom: 36 };
  return framedChart<ErrorChartData>(el, { minWidth: 260, initialWidth: 520, ...frame }, (data) => {
    const dots: { x: number; y: number; group: number }[] = [];
    // A small fixed horizontal spread (by run index) so that runs with similar errors stay visible.
    // Each of the spread's eleven columns is a group, drawn as one path.
    const column = (r: number) => (r * 37) % 11;
    for (const p of data.points) {
      p.errors.forEach((e, r) => dots.push({ x: p.epsilon + (column(r) - 5) * 0.012, y: Math.max(FLOOR, e * 100), group: column(r) }));
    }
    const rmse = data.points.map((p) => ({ x: p.epsilon, y: Math.max(FLOOR, p.rmse * 100) }));
    const theory = data.points.map((p) => ({ x: p.epsilon, y: Math.max(FLOOR, p.theoreticalSd * 100) }));
    const top = Math.max(1, ...dots.map((d) => d.y), ...theory.map((d) => d.y));
    // Bottom: the power of ten below the smallest error, so every dot is on the chart.
    const least = Math.min(10, ...dots.map((d) => d.y), ...theory.map((d) => d.y));
    const bottom = Math.max(FLOOR, Math.pow(10, Math.floor(Math.log10(least))));
    return {
      x: xAxis('프라이버시 예산 ε (클수록 보호가 약함)', { domain: [0, X_MAX] }),
      y: yAxis('오차 (%p, 로그 눈금)', {
        type: 'log',
        domain: [bottom, top * 1.3],
        ticks: [0.01, 0.1, 1, 10, 100].filter((t) => t >= bottom && t <= top * 1.3),
        tickFormat: (v: number) => `${v}`,
      }),
      marks: [
        dotPaths(dots, { r: 1.8, fill: '#0072b2', fillOpacity: 0.22 }),
        Plot.line(theory, { x: 'x', y: 'y', stroke: 'currentColor', strokeDasharray: '5,4', strokeOpacity: 0.8 }),
        Plot.line(rmse, { x: 'x', y: 'y', stroke: '#d55e00', strokeWidth: 2.5 }),
        // The RMSE line's name at its end (none before the first point), and the reader's ε.
        Plot.text(rmse.slice(-1), { x: 'x', y: 'y', text: () => '평균 제곱근 오차', dy: -10, textAnchor: 'end', fill: '#d55e00', fontWeight: 700 }),
        Plot.ruleX([data.current], { stroke: '#0a7d6c', strokeWidth: 2 }),
        Plot.text([data.current], { x: (d: number) => d, frameAnchor: 'top', text: () => '현재 설정', dx: 4, dy: 6, textAnchor: 'start', fill: '#0a7d6c', fontWeight: 700 }),
      ],
    };
  });
}
