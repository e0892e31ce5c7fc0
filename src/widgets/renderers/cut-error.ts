/**
 * Reconstruction error against the cut layer: one point per cut (its width q written under the
 * axis), joined by a line, the chosen cut drawn larger and labelled. Observable Plot, redrawn
 * at most every 150 ms at the container's width.
 *
 * Shape: `create(el, options) → { update(data), svg(), destroy() }`.
 */
import * as Plot from '@observablehq/plot';
import { plotChart, type ChartRenderer } from './plot-image';
import { yAxis } from './plot-parts';

export interface CutErrorPoint {
  cut: number;
  /** Floats per example at the cut. */
  width: number;
  /** Relative reconstruction error (0 perfect, 1 no better than the mean input). */
  error: number;
}

export interface CutErrorData {
  points: CutErrorPoint[];
  /** The cut shown in the pictures. */
  selected: number | null;
}

export interface CutErrorOptions {
  label: string;
  color?: string;
  height?: number;
}

export type CutErrorRenderer = ChartRenderer<CutErrorData>;

export function create(el: HTMLElement, options: CutErrorOptions): CutErrorRenderer {
  const height = options.height ?? 220;
  const color = options.color ?? '#0072b2';

  return plotChart<CutErrorData>(el, { minWidth: 260, initialWidth: 400, initial: { points: [], selected: null }, every: 150 }, (data, width) => {
    const pts = data.points.filter((p) => Number.isFinite(p.error));
    const cuts = pts.map((p) => p.cut);
    const top = Math.max(1, ...pts.map((p) => p.error)) * 1.08;
    const widthOf = new Map(pts.map((p) => [p.cut, p.width]));
    const sel = pts.filter((p) => p.cut === data.selected);
    const lo = cuts.length ? Math.min(...cuts) : 1;
    const hi = cuts.length ? Math.max(...cuts) : 2;
    return Plot.plot({
      width,
      height,
      marginLeft: 46,
      marginRight: 20,
      marginBottom: 48,
      ariaLabel: options.label,
      x: {
        domain: [lo - 0.4, hi + 0.4],
        ticks: cuts,
        tickFormat: (c: number) => `${c}\nq=${widthOf.get(c) ?? ''}`,
        label: '분할 지점 (몇 번째 층 뒤)',
        labelAnchor: 'right',
        labelArrow: 'none',
      },
      y: yAxis('상대 복원 오차', { domain: [0, top], ticks: 5 }),
      marks: [
        Plot.ruleY([1], { stroke: 'currentColor', strokeDasharray: '3,3', strokeOpacity: 0.6 }),
        Plot.text([1], { y: (d: number) => d, frameAnchor: 'left', dx: 4, dy: -7, text: () => '평균 이미지로 찍은 것과 같은 수준', fill: 'currentColor', fontSize: 10, textAnchor: 'start' }),
        Plot.line(pts, { x: 'cut', y: 'error', stroke: color, strokeWidth: 2 }),
        Plot.dot(pts, { x: 'cut', y: 'error', fill: color, r: 3.5 }),
        Plot.dot(sel, { x: 'cut', y: 'error', stroke: 'currentColor', strokeWidth: 2, fill: color, r: 7 }),
        Plot.text(sel, { x: 'cut', y: 'error', text: (p: CutErrorPoint) => p.error.toFixed(2), dy: -14, fontWeight: 700, fill: 'currentColor' }),
      ],
    });
  });
}
