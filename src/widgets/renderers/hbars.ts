/**
 * Horizontal bars with their value written at the end: bytes sent or time taken per method, or
 * bytes per message kind. One bar may be split into stacked parts (bytes by kind within a method).
 * Drawn with Observable Plot at the container's width, at most every 150 ms.
 *
 * Shape: `create(el, options) → { update(data), svg(), destroy() }`.
 */
import * as Plot from '@observablehq/plot';
import { plotChart, type ChartRenderer } from './plot-image';
import { xAxis } from './plot-parts';
import { textWidth } from './format';

export interface BarPart {
  /** Row the part belongs to (its name is the row label). */
  row: string;
  /** Stack key (e.g. a message kind); rows without parts use one key. */
  part: string;
  value: number;
  color: string;
}

export interface HBarsData {
  /** Rows top to bottom. */
  rows: string[];
  parts: BarPart[];
  /** Text after each row's bar (e.g. "1.2 MB"); default: the summed value. */
  totals?: Record<string, string>;
  /** Log x axis (sizes that differ by orders of magnitude); parts are then not stacked. */
  log?: boolean;
}

export interface HBarsOptions {
  label: string;
  xLabel: string;
  xFormat?: (x: number) => string;
}

export type HBarsRenderer = ChartRenderer<HBarsData>;

export function create(el: HTMLElement, options: HBarsOptions): HBarsRenderer {
  return plotChart<HBarsData>(el, { minWidth: 260, initialWidth: 400, initial: { rows: [], parts: [] }, every: 150 }, (data, width) => {
    const sums = new Map<string, number>();
    for (const p of data.parts) sums.set(p.row, (sums.get(p.row) ?? 0) + p.value);
    const max = Math.max(1e-9, ...sums.values());
    const longest = Math.max(0, ...data.rows.map((r) => r.length));
    const marginLeft = Math.min(150, 14 + longest * 11);
    const rowH = 26;
    const height = 34 + Math.max(1, data.rows.length) * rowH;
    const totals = data.rows.map((row) => ({ row, value: sums.get(row) ?? 0, text: data.totals?.[row] ?? options.xFormat?.(sums.get(row) ?? 0) ?? String(sums.get(row) ?? 0) }));
    const marks: Plot.Markish[] = [];
    if (data.log) {
      const positive = data.parts.filter((p) => p.value > 0);
      marks.push(Plot.barX(positive, { x1: () => max / 1e6, x2: 'value', y: 'row', fill: 'color', insetTop: 3, insetBottom: 3 }));
    } else {
      marks.push(Plot.barX(data.parts, Plot.stackX({ x: 'value', y: 'row', fill: 'color', order: null, insetTop: 3, insetBottom: 3 })), Plot.ruleX([0], { stroke: 'currentColor', strokeOpacity: 0.4 }));
    }
    marks.push(Plot.text(totals, { x: 'value', y: 'row', text: 'text', dx: 4, textAnchor: 'start', fill: 'currentColor', fontSize: 10 }));
    // Room for the longest value text after its bar (Korean glyphs are wider than digits).
    const marginRight = Math.min(Math.max(48, width * 0.45), 12 + Math.max(0, ...totals.map((t) => textWidth(t.text))));
    return Plot.plot({
      width,
      height,
      marginLeft,
      marginRight,
      marginBottom: 30,
      ariaLabel: options.label,
      color: { type: 'identity' },
      y: { domain: data.rows, label: null, tickSize: 0 },
      x: data.log
        ? xAxis(options.xLabel, { type: 'log', domain: [max / 1e6, max * 1.05], grid: true, tickFormat: options.xFormat, ticks: 4 })
        : xAxis(options.xLabel, { domain: [0, max * 1.05], grid: true, tickFormat: options.xFormat, ticks: Math.max(2, Math.floor(width / 110)) }),
      marks,
    });
  });
}
