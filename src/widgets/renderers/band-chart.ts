/**
 * Lines over rounds with shaded bands behind them: e.g. the global model's test accuracy as a
 * line and the spread of the clients' local accuracies (lowest to highest) as a band. Drawn with
 * Observable Plot, redrawn at most once per 150 ms through the page's one draw queue
 * (plot-image.ts: a run reports a round every few tens of ms, and drawing each would cost
 * main-thread time for no visible gain), following its container's width.
 * The key sits in the top margin (text with the line style), so colour is never the only cue.
 * The bands and lines are a layer over the chart (plot-parts.ts's `overlaidChart`): while the axes
 * stay, a new round changes their paths and Plot does not draw the chart again.
 *
 * Shape: `create(el, options) → { update(data), svg(), destroy() }`.
 */
import * as Plot from '@observablehq/plot';
import { area } from 'd3';
import type { ChartRenderer } from './plot-image';
import { fromZero, KEY_ROW, lineGlyph, linePaths, overlaidChart, percent, topKey, xAxis, yAxis, zeroRule, type LayerPath, type Overlay } from './plot-parts';

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

  const bandsOf = (data: BandChartData) => (data.bands ?? []).filter((b) => Number.isFinite(b.lo) && Number.isFinite(b.hi));
  const linesOf = (data: BandChartData) => data.lines.filter((p) => Number.isFinite(p.y));
  const yDomain = (data: BandChartData) =>
    options.yDomain ?? fromZero(Math.max(linesOf(data).reduce((m, p) => Math.max(m, p.y), 0), bandsOf(data).reduce((m, b) => Math.max(m, b.hi), 0)));
  /** Bands behind lines, as Plot's area, rule, line and dot marks drew them. */
  const layer: Overlay<BandChartData> = {
    frameKey: (data, width) => JSON.stringify([width, Math.max(1, data.xMax), yDomain(data)]),
    paths(data, x, y) {
      const out: LayerPath[] = [];
      const bands = bandsOf(data);
      for (const s of bandStyles) {
        const pts = bands.filter((b) => b.band === s.key);
        // A band of one round has no width; show it as a vertical bar so it is still visible.
        if (pts.length === 1) out.push({ d: `M${x(pts[0].x)},${y(pts[0].lo)}L${x(pts[0].x)},${y(pts[0].hi)}`, stroke: s.color, 'stroke-width': '6', 'stroke-opacity': '0.35' });
        else if (pts.length > 1) out.push({ d: area<BandPoint>((b) => x(b.x), (b) => y(b.lo), (b) => y(b.hi)).digits(3)(pts) ?? '', fill: s.color, 'fill-opacity': '0.22' });
      }
      const lines = linesOf(data);
      // A line of one round is a point: a dot shows it.
      const points = (key: string) => lines.filter((p) => p.series === key);
      const drawn = options.lines.map((s) => ({ points: points(s.key), color: s.color, dash: s.dashed ? '5,3' : undefined, endDot: points(s.key).length === 1 ? 2.5 : undefined }));
      out.push(...linePaths(drawn, x, y));
      return out;
    },
  };

  const render = (data: BandChartData, width: number) => {
    const keyed = options.key === false ? { marks: [], rows: 1 } : topKey(key, width - 48 - 16);
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
      y: yAxis(options.yLabel, { domain: yDomain(data), tickFormat: yFormat, ticks: 5 }),
      marks: [zeroRule(), ...keyed.marks],
    });
  };
  return overlaidChart(el, { minWidth: 240, initialWidth: 320, initial, every: 150 }, render, layer);
}
