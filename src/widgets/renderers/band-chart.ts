/**
 * Lines over rounds with shaded bands behind them: e.g. the global model's test accuracy as a
 * line and the spread of the clients' local accuracies (lowest to highest) as a band. Drawn with
 * Observable Plot, redrawn at most once per 150 ms through the page's one draw queue
 * (plot-image.ts), following its container's width.
 * The key sits in the top margin (text with the line style), so colour is never the only cue.
 *
 * Shape: `create(el, options) → { update(data), svg(), destroy() }`.
 */
import * as Plot from '@observablehq/plot';
import { throttled } from './plot-image';

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

export interface BandChartRenderer {
  update(data: BandChartData): void;
  svg(): SVGSVGElement | null;
  destroy(): void;
}

/** Milliseconds between two redraws of a chart. */
const MIN_INTERVAL = 150;

export function create(el: HTMLElement, options: BandChartOptions): BandChartRenderer {
  let data: BandChartData = { lines: [], bands: [], xMax: 1 };
  let width = Math.max(240, el.clientWidth || 320);
  const height = options.height ?? 200;
  const bandStyles = options.bands ?? [];

  function draw() {
    const marks: Plot.Markish[] = [Plot.ruleY([0], { stroke: 'currentColor', strokeOpacity: 0.3 })];
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
    const key = [
      ...options.lines.map((s) => ({ glyph: s.dashed ? '╍╍' : '━━', label: s.label, color: s.color })),
      ...bandStyles.map((s) => ({ glyph: '██', label: s.label, color: s.color, faint: true })),
    ];
    // Right-aligned in the top margin, one entry after another from the right. The glyph carries
    // the colour and line style; the words stay in the text colour (contrast in both themes).
    let offset = 0;
    for (let i = options.key === false ? -1 : key.length - 1; i >= 0; i--) {
      const k = key[i];
      const labelWidth = 10 * [...k.label].length;
      marks.push(
        Plot.text([k.label], { frameAnchor: 'top-right', dx: -offset, dy: -14, fill: 'currentColor', textAnchor: 'end', fontWeight: 700 }),
        Plot.text([k.glyph], { frameAnchor: 'top-right', dx: -(offset + labelWidth + 3), dy: -14, fill: k.color, fillOpacity: 'faint' in k ? 0.35 : 1, textAnchor: 'end' }),
      );
      offset += labelWidth + 3 + 22 + 10;
    }
    let yDomain = options.yDomain;
    if (!yDomain) {
      const top = Math.max(lines.reduce((m, p) => Math.max(m, p.y), 0), bands.reduce((m, b) => Math.max(m, b.hi), 0));
      yDomain = [0, top > 0 ? top * 1.05 : 1];
    }
    const yFormat = options.yFormat ?? (options.yPercent ? (v: number) => `${Math.round(v * 100)}%` : undefined);
    const chart = Plot.plot({
      width,
      height,
      marginTop: options.key === false ? 20 : 26,
      marginLeft: 48,
      marginRight: 16,
      marginBottom: 34,
      ariaLabel: options.label,
      // Rounds are whole numbers: never more ticks than rounds (no "2.5 라운드").
      x: { domain: [0, Math.max(1, data.xMax)], label: options.xLabel, labelAnchor: 'right', labelArrow: 'none', ticks: Math.max(1, Math.min(Math.ceil(data.xMax), Math.floor(width / 70))), tickFormat: (v: number) => (Number.isInteger(v) ? String(v) : '') },
      y: { domain: yDomain, label: options.yLabel, labelArrow: 'none', grid: true, tickFormat: yFormat, ticks: 5 },
      marks,
    });
    // One image with one Korean name: Plot's inner groups carry English aria-labels ("line"),
    // which are not allowed on a plain <g> (axe: aria-prohibited-attr). The widget's text summary
    // carries the numbers.
    chart.setAttribute('role', 'img');
    for (const g of chart.querySelectorAll('[aria-label]')) g.removeAttribute('aria-label');
    for (const g of chart.querySelectorAll('[aria-description]')) g.removeAttribute('aria-description');
    el.replaceChildren(chart);
  }

  // Plot rebuilds the whole SVG, so redraws are spaced out: at most one per MIN_INTERVAL ms (the
  // last update is always drawn), each in a task of its own through the page's one draw queue. A
  // run reports a round or an epoch every few tens of ms; drawing each would cost main-thread
  // time for no visible gain.
  const redraw = throttled(draw, MIN_INTERVAL);
  const schedule = () => redraw.schedule();

  const ro =
    typeof ResizeObserver === 'undefined'
      ? null
      : new ResizeObserver((entries) => {
          const w = Math.round(entries[0]?.contentRect.width ?? width);
          if (w > 0 && Math.abs(w - width) >= 8) {
            width = Math.max(240, w);
            schedule();
          }
        });
  ro?.observe(el);
  // The empty chart too is drawn from the queue: a widget mounts several charts at once.
  schedule();

  return {
    update(next) {
      data = next;
      schedule();
    },
    svg() {
      return el.querySelector('svg');
    },
    destroy() {
      redraw.cancel();
      ro?.disconnect();
      el.replaceChildren();
    },
  };
}
