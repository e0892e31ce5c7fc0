/**
 * Lines and measured points on log–log axes, with vertical rules for marked x values: bytes per
 * epoch against the number of clients, the crossover where split learning starts to send less.
 * Drawn with Observable Plot; each line is named at its end (no colour-only legend), measured
 * points use a different symbol per series, and the rules carry their own text.
 *
 * Shape: `create(el, options) → { update(data), svg(), destroy() }`, redrawn at most every 150 ms at
 * the container's width.
 *
 * The points are not a Plot mark but a layer over the chart (plot-parts.ts's `overlaidChart`): a
 * measurement's new points on the same lines and axes are added to the chart on screen instead of
 * drawing it again (40-70 ms of script on the phone profile of the jank bench).
 */
import * as Plot from '@observablehq/plot';
import { symbol, symbolCircle, symbolCross, symbolDiamond, symbolSquare, symbolStar, symbolTriangle, symbolWye, type SymbolType } from 'd3';
import type { ChartRenderer } from './plot-image';
import { overlaidChart, xAxis, yAxis, type Overlay } from './plot-parts';
import { textWidth } from './format';

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
  /** Symbol name, as Plot's: circle, square, triangle, diamond, cross, star, wye. */
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

const SYMBOLS: Record<string, SymbolType> = {
  circle: symbolCircle,
  square: symbolSquare,
  triangle: symbolTriangle,
  diamond: symbolDiamond,
  cross: symbolCross,
  star: symbolStar,
  wye: symbolWye,
};
/** A point's radius, Plot's for a symbol: its area is that of a circle of this radius. */
const DOT_R = 4.5;

const drawable = (p: XY) => p.y > 0 && Number.isFinite(p.y) && p.x > 0;

/**
 * The y domain: the values of lines and points, a little beyond. Points on the lines (measured
 * values equal to the formula's) leave it as the lines set it, and the chart need not be drawn again.
 */
function yDomainOf(data: LogLogData): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of [...data.series, ...(data.dots ?? [])].flatMap((s) => s.points)) {
    if (!(p.y > 0 && Number.isFinite(p.y))) continue;
    lo = Math.min(lo, p.y);
    hi = Math.max(hi, p.y);
  }
  return hi >= lo ? [lo / 1.6, hi * 1.6] : [1 / 1.6, 16];
}

/** The points, a layer over the chart (plot-parts.ts's overlay): filled with the background, as Plot's dots. */
const POINTS: Overlay<LogLogData> = {
  frameKey: (data, width) => JSON.stringify([width, yDomainOf(data), data.series, data.rules, data.xDomain]),
  group: { fill: 'var(--bg, #fff)', 'stroke-width': '2' },
  paths: (data, x, y) =>
    (data.dots ?? []).flatMap((d) => {
      const path = symbol(SYMBOLS[d.symbol] ?? symbolCircle, DOT_R * DOT_R * Math.PI).digits(3)() ?? '';
      return d.points.filter(drawable).map((p) => ({ stroke: d.color, transform: `translate(${x(p.x)},${y(p.y)})`, d: path }));
    }),
};

export function create(el: HTMLElement, options: LogLogOptions): LogLogRenderer {
  const height = options.height ?? 280;

  return overlaidChart<LogLogData>(el, { minWidth: 280, initial: { series: [], xDomain: [1, 10] }, every: 150 }, (data, width) => {
    const yDomain = yDomainOf(data);
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
      .map((s) => ({ s, pts: s.points.filter(drawable) }))
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
    // Room for the end labels: 72 px on a phone unless a label needs more (its width at 10 px, with dx).
    const labels = Math.max(0, ...ends.map((e) => textWidth(e.s.label) + 6));
    return Plot.plot({
      width,
      height,
      marginLeft: 58,
      marginRight: width < 420 ? Math.max(72, labels) : 104,
      marginBottom,
      marginTop,
      ariaLabel: options.label,
      x: xAxis(options.xLabel, { type: 'log', domain: data.xDomain, grid: true }),
      y: yAxis(options.yLabel, { type: 'log', domain: yDomain, tickFormat: options.yFormat, ticks: 5 }),
      marks,
    });
  }, POINTS);
}
