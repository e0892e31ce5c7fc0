/**
 * Lines and measured points on log–log axes, with vertical rules for marked x values: bytes per
 * epoch against the number of clients, the crossover where split learning starts to send less.
 * Drawn with Observable Plot; each line is named at its end (no colour-only legend), measured
 * points use a different symbol per series, and the rules carry their own text.
 *
 * Shape: `create(el, options) → { update(data), svg(), destroy() }`, redrawn at most every 150 ms at
 * the container's width.
 */
import * as Plot from '@observablehq/plot';
import { plotChart, type ChartRenderer } from './plot-image';
import { xAxis, yAxis } from './plot-parts';

export interface XY {
  x: number;
  y: number;
}

export interface LogSeries {
  key: string;
  /** Written at the right end of the line. */
  label: string;
  color: string;
  /** SVG dash pattern, e.g. '6,3'; none for a solid line. */
  dash?: string;
  points: XY[];
}

export interface LogDots {
  key: string;
  label: string;
  color: string;
  /** Plot symbol name: circle, square, triangle, diamond, cross, star, wye. */
  symbol: string;
  points: XY[];
}

export interface LogRule {
  x: number;
  /** Text written beside the rule. */
  label: string;
  color?: string;
}

export interface LogLogData {
  series: LogSeries[];
  dots?: LogDots[];
  rules?: LogRule[];
  xDomain: [number, number];
}

export interface LogLogOptions {
  /** Accessible name of the chart. */
  label: string;
  xLabel: string;
  yLabel: string;
  /** Tick text of y values (e.g. bytes as "1.2 MB"). */
  yFormat?: (y: number) => string;
  height?: number;
}

export type LogLogRenderer = ChartRenderer<LogLogData>;

export function create(el: HTMLElement, options: LogLogOptions): LogLogRenderer {
  const height = options.height ?? 280;

  return plotChart<LogLogData>(el, { minWidth: 280, initial: { series: [], xDomain: [1, 10] }, every: 150 }, (data, width) => {
    const ys: number[] = [];
    for (const s of data.series) for (const p of s.points) if (p.y > 0 && Number.isFinite(p.y)) ys.push(p.y);
    for (const d of data.dots ?? []) for (const p of d.points) if (p.y > 0 && Number.isFinite(p.y)) ys.push(p.y);
    const lo = ys.length ? Math.min(...ys) : 1;
    const hi = ys.length ? Math.max(...ys) : 10;
    const yDomain: [number, number] = [lo / 1.6, hi * 1.6];
    const marks: Plot.Markish[] = [];
    for (const r of data.rules ?? []) {
      if (!(r.x >= data.xDomain[0] && r.x <= data.xDomain[1])) continue;
      marks.push(
        Plot.ruleX([r.x], { stroke: r.color ?? 'currentColor', strokeDasharray: '2,3', strokeOpacity: 0.8 }),
        Plot.text([r.x], { x: (d: number) => d, frameAnchor: 'top', dy: 4, dx: 4, text: () => r.label, textAnchor: 'start', fill: 'currentColor', fontWeight: 700 }),
      );
    }
    const marginTop = 22;
    const marginBottom = 36;
    // End labels: lines often end close together; push labels apart (≥ 11 px) so none overlaps.
    const plotH = height - marginTop - marginBottom;
    const decades = Math.log10(yDomain[1] / yDomain[0]);
    const px = (y: number) => (plotH * (Math.log10(yDomain[1]) - Math.log10(y))) / decades;
    const ends = data.series
      .map((s) => ({ s, pts: s.points.filter((p) => p.y > 0 && Number.isFinite(p.y) && p.x > 0) }))
      .filter((e) => e.pts.length > 0)
      .map((e) => ({ ...e, at: px(e.pts[e.pts.length - 1].y) }))
      .sort((a, b) => a.at - b.at);
    let last = -Infinity;
    for (const e of ends) {
      const want = Math.max(e.at, last + 11);
      const dy = want - e.at;
      last = want;
      marks.push(
        Plot.line(e.pts, { x: 'x', y: 'y', stroke: e.s.color, strokeWidth: 2, strokeDasharray: e.s.dash }),
        Plot.text(e.pts.slice(-1), { x: 'x', y: 'y', text: () => e.s.label, fill: e.s.color, dx: 4, dy, textAnchor: 'start', fontWeight: 700, fontSize: 10 }),
      );
    }
    for (const d of data.dots ?? []) {
      const pts = d.points.filter((p) => p.y > 0 && Number.isFinite(p.y) && p.x > 0);
      if (pts.length === 0) continue;
      marks.push(Plot.dot(pts, { x: 'x', y: 'y', symbol: () => d.symbol, stroke: d.color, fill: 'var(--bg, #fff)', strokeWidth: 2, r: 4.5 }));
    }
    const narrow = width < 420;
    return Plot.plot({
      width,
      height,
      marginLeft: 58,
      marginRight: narrow ? 72 : 104,
      marginBottom,
      marginTop,
      ariaLabel: options.label,
      x: xAxis(options.xLabel, { type: 'log', domain: data.xDomain, grid: true }),
      y: yAxis(options.yLabel, { type: 'log', domain: yDomain, tickFormat: options.yFormat, ticks: 5 }),
      marks,
    });
  });
}
