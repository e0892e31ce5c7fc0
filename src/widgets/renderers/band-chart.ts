/**
 * Lines over rounds with shaded bands behind them: e.g. the global model's test accuracy as a
 * line and the spread of the clients' local accuracies (lowest to highest) as a band. Drawn with
 * Observable Plot, redrawn at most once per 150 ms through the page's one draw queue
 * (plot-image.ts: a run reports a round every few tens of ms, and drawing each would cost
 * main-thread time for no visible gain), following its container's width.
 * The key sits in the top margin (text with the line style), so colour is never the only cue.
 *
 * Shape: `create(el, options) → { update(data), svg(), destroy() }`.
 */
import * as Plot from '@observablehq/plot';
import { plotChart, type ChartRenderer } from './plot-image';
import { fromZero, KEY_ROW, lineGlyph, percent, topKey, xAxis, yAxis, zeroRule } from './plot-parts';

export interface BandLinePoint {
  x: number;
  y: number;
  /** Key of a line in options.lines. */
  series: string;
}

export interface BandPoint {
  x: number;
  lo: number;
  hi: number;
  /** Key of a band in options.bands. */
  band: string;
}

export interface BandLineStyle {
  key: string;
  label: string;
  color: string;
  dashed?: boolean;
}

export interface BandStyle {
  key: string;
  label: string;
  color: string;
}

export interface BandChartOptions {
  /** Accessible name of the chart. */
  label: string;
  xLabel: string;
  yLabel: string;
  lines: BandLineStyle[];
  bands?: BandStyle[];
  yDomain?: [number, number];
  yPercent?: boolean;
  /** Tick format of the y axis (overrides yPercent). */
  yFormat?: (y: number) => string;
  height?: number;
  /** Write the key in the chart's top margin (default true); false when the page lists it. */
  key?: boolean;
}

export interface BandChartData {
  lines: readonly BandLinePoint[];
  bands?: readonly BandPoint[];
  /** Right end of the x axis (the planned number of rounds), so the chart does not rescale. */
  xMax: number;
}

export type BandChartRenderer = ChartRenderer<BandChartData>;

export function create(el: HTMLElement, options: BandChartOptions): BandChartRenderer {
  const bandStyles = options.bands ?? [];
  const key = [
    ...options.lines.map((s) => ({ glyph: lineGlyph(s.dashed), label: s.label, color: s.color })),
    ...bandStyles.map((s) => ({ glyph: '██', label: s.label, color: s.color, faint: true })),
  ];
  const yFormat = options.yFormat ?? (options.yPercent ? percent : undefined);
  const initial: BandChartData = { lines: [], bands: [], xMax: 1 };

  return plotChart(el, { minWidth: 240, initialWidth: 320, initial, every: 150 }, (data, width) => {
    const marks: Plot.Markish[] = [zeroRule()];
    const bands = (data.bands ?? []).filter((b) => Number.isFinite(b.lo) && Number.isFinite(b.hi));
    for (const s of bandStyles) {
      const pts = bands.filter((b) => b.band === s.key);
      if (pts.length === 0) continue;
      // A band of one round has no width; show it as a vertical bar so it is still visible.
      if (pts.length === 1) marks.push(Plot.ruleX(pts, { x: 'x', y1: 'lo', y2: 'hi', stroke: s.color, strokeWidth: 6, strokeOpacity: 0.35 }));
      else marks.push(Plot.areaY(pts, { x: 'x', y1: 'lo', y2: 'hi', fill: s.color, fillOpacity: 0.22, curve: 'linear' }));
    }
    const lines = data.lines.filter((p) => Number.isFinite(p.y));
    for (const s of options.lines) {
      const pts = lines.filter((p) => p.series === s.key);
      if (pts.length === 0) continue;
      marks.push(Plot.line(pts, { x: 'x', y: 'y', stroke: s.color, strokeWidth: 2, strokeDasharray: s.dashed ? '5,3' : undefined }));
      if (pts.length === 1) marks.push(Plot.dot(pts, { x: 'x', y: 'y', fill: s.color, r: 2.5 }));
    }
    const keyed = options.key === false ? { marks: [], rows: 1 } : topKey(key, width - 48 - 16);
    marks.push(...keyed.marks);
    const top = Math.max(lines.reduce((m, p) => Math.max(m, p.y), 0), bands.reduce((m, b) => Math.max(m, b.hi), 0));
    // Rounds are whole numbers: never more ticks than rounds (no "2.5 라운드").
    const xTicks = Math.max(1, Math.min(Math.ceil(data.xMax), Math.floor(width / 70)));
    return Plot.plot({
      width,
      height: options.height ?? 200,
      marginTop: options.key === false ? 20 : 26 + KEY_ROW * (keyed.rows - 1),
      marginLeft: 48,
      marginRight: 16,
      marginBottom: 34,
      ariaLabel: options.label,
      x: xAxis(options.xLabel, { domain: [0, Math.max(1, data.xMax)], ticks: xTicks, tickFormat: (v: number) => (Number.isInteger(v) ? String(v) : '') }),
      y: yAxis(options.yLabel, { domain: options.yDomain ?? fromZero(top), tickFormat: yFormat, ticks: 5 }),
      marks,
    });
  });
}
