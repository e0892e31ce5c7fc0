/**
 * Per-row "before → after" on one axis (a dumbbell chart): a hollow dot for the first value, a
 * filled dot for the second, and a line between them coloured by the direction of the change.
 * The personalization figure uses it for each client's accuracy on its own test split, of the
 * global model and of the client's fine-tuned copy. Drawn with Observable Plot at the container's
 * width, at most every 150 ms.
 *
 * Shape: `create(el, options) → { update(data), svg(), destroy() }`.
 */
import * as Plot from '@observablehq/plot';
import { plotChart, type ChartRenderer } from './plot-image';
import { percent, xAxis } from './plot-parts';

export interface BeforeAfterRow {
  /** Row label, top to bottom in the given order. */
  label: string;
  before: number;
  after: number;
}

export interface BeforeAfterData {
  rows: BeforeAfterRow[];
  /** A vertical rule for each mean, labelled (e.g. "평균 54% → 93%"). */
  means?: { before: number; after: number } | null;
}

export interface BeforeAfterOptions {
  label: string;
  xLabel: string;
  /** Colours of an improvement and of a loss. */
  up?: string;
  down?: string;
}

export type BeforeAfterRenderer = ChartRenderer<BeforeAfterData>;

export function create(el: HTMLElement, options: BeforeAfterOptions): BeforeAfterRenderer {
  const up = options.up ?? '#0072b2';
  const down = options.down ?? '#d55e00';
  return plotChart<BeforeAfterData>(el, { minWidth: 240, initialWidth: 360, initial: { rows: [] }, every: 150 }, (data, width) => {
    const rowH = 22;
    const height = 40 + Math.max(1, data.rows.length) * rowH;
    const rows = data.rows.map((r) => ({ ...r, color: r.after >= r.before ? up : down }));
    const marks: Plot.Markish[] = [];
    if (data.means) {
      marks.push(
        Plot.ruleX([data.means.before], { stroke: 'currentColor', strokeOpacity: 0.45, strokeDasharray: '3 3' }),
        Plot.ruleX([data.means.after], { stroke: up, strokeOpacity: 0.8 }),
      );
    }
    marks.push(
      Plot.link(rows, { x1: 'before', x2: 'after', y1: 'label', y2: 'label', stroke: 'color', strokeWidth: 2.5 }),
      Plot.dot(rows, { x: 'before', y: 'label', r: 4, stroke: 'currentColor', fill: 'var(--bg, white)', strokeWidth: 1.5 }),
      Plot.dot(rows, { x: 'after', y: 'label', r: 4.5, fill: 'color', stroke: 'color' }),
    );
    return Plot.plot({
      width,
      height,
      marginLeft: 70,
      marginRight: 14,
      marginBottom: 32,
      ariaLabel: options.label,
      color: { type: 'identity' },
      y: { domain: data.rows.map((r) => r.label), label: null, tickSize: 0 },
      x: xAxis(options.xLabel, { domain: [0, 1], grid: true, tickFormat: percent, ticks: Math.max(2, Math.floor(width / 90)) }),
      marks,
    });
  });
}
