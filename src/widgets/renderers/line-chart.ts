/**
 * A metric over epochs or rounds (loss, accuracy), one line per series, drawn with Observable
 * Plot and labelled at the line ends (no colour-only legend; the test line is also dashed).
 *
 * Plot builds a new SVG on every call, so updates are spaced out and drawn through the page's one
 * draw queue (plot-image.ts), and the chart follows its container's width. Each Plot SVG carries
 * Plot's fixed <style> element, whose hash the CSP allows (see src/runtime/csp-hashes.mjs).
 */
import * as Plot from '@observablehq/plot';
import { throttled } from './plot-image';

export interface LinePoint {
  /** Epoch or round (1-based). */
  x: number;
  y: number;
  /** Series key, e.g. 'train' or 'test'. */
  series: string;
}

export interface SeriesStyle {
  key: string;
  /** Korean label written at the end of the line. */
  label: string;
  color: string;
  dashed?: boolean;
}

export interface LineChartOptions {
  /** Accessible name, e.g. "에폭별 손실". */
  label: string;
  xLabel: string;
  yLabel: string;
  series: SeriesStyle[];
  /** Fixed y domain (accuracy: [0, 1]); otherwise from the data, starting at 0. */
  yDomain?: [number, number];
  /** y tick format, e.g. '%' for accuracy. */
  yPercent?: boolean;
  height?: number;
}

export interface LineChartData {
  points: readonly LinePoint[];
  /** Right end of the x axis (the planned number of epochs), so the chart does not rescale. */
  xMax: number;
}

export interface LineChartRenderer {
  update(data: LineChartData): void;
  /** Draws the latest data now (e.g. when a run ends), instead of at the next spaced redraw. */
  flush(): void;
  /** The current chart's SVG element (for export), or null before the first draw. */
  svg(): SVGSVGElement | null;
  destroy(): void;
}

/** Milliseconds between two redraws of a chart. */
const MIN_INTERVAL = 150;

export function create(el: HTMLElement, options: LineChartOptions): LineChartRenderer {
  let data: LineChartData = { points: [], xMax: 1 };
  let width = Math.max(240, el.clientWidth || 320);
  const height = options.height ?? 190;

  function draw() {
    const byKey = new Map(options.series.map((s) => [s.key, s]));
    const finite = data.points.filter((p) => Number.isFinite(p.y) && byKey.has(p.series));
    const marks: Plot.Markish[] = [Plot.ruleY([0], { stroke: 'currentColor', strokeOpacity: 0.3 })];
    for (const s of options.series) {
      const pts = finite.filter((p) => p.series === s.key);
      if (pts.length === 0) continue;
      marks.push(Plot.line(pts, { x: 'x', y: 'y', stroke: s.color, strokeWidth: 2, strokeDasharray: s.dashed ? '5,3' : undefined }));
    }
    // The key sits in the top margin, right-aligned, so it never covers a curve and goes with
    // the chart into an exported file. The line glyph carries the series colour and dash; the
    // words stay in the text colour, which keeps their contrast in both themes.
    let offset = 0;
    for (const s of [...options.series].reverse()) {
      const labelWidth = 10 * [...s.label].length;
      marks.push(
        Plot.text([s.label], { frameAnchor: 'top-right', dx: -offset, dy: -14, fill: 'currentColor', textAnchor: 'end', fontWeight: 700 }),
        Plot.text([s.dashed ? '╍╍' : '━━'], { frameAnchor: 'top-right', dx: -(offset + labelWidth + 3), dy: -14, fill: s.color, textAnchor: 'end' }),
      );
      offset += labelWidth + 3 + 22 + 10;
    }
    let yDomain = options.yDomain;
    if (!yDomain) {
      const top = finite.reduce((m, p) => Math.max(m, p.y), 0);
      yDomain = [0, top > 0 ? top * 1.05 : 1];
    }
    const chart = Plot.plot({
      width,
      height,
      marginTop: 26,
      marginLeft: 44,
      marginRight: 16,
      marginBottom: 34,
      ariaLabel: options.label,
      x: { domain: [0, Math.max(1, data.xMax)], label: options.xLabel, labelAnchor: 'right', labelArrow: 'none', ticks: Math.max(2, Math.floor(width / 70)) },
      y: {
        domain: yDomain,
        label: options.yLabel,
        labelArrow: 'none',
        grid: true,
        tickFormat: options.yPercent ? (v: number) => `${Math.round(v * 100)}%` : undefined,
        ticks: 5,
      },
      marks,
    });
    // One image with one Korean name: Plot labels its inner groups in English ("line",
    // "x-axis tick"), and aria-label on a plain <g> is not allowed (axe: aria-prohibited-attr).
    // The widget's text summary carries the numbers.
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
    flush() {
      redraw.now();
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
