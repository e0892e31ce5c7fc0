/**
 * A metric over epochs or rounds (loss, accuracy), one line per series, drawn with Observable
 * Plot and labelled at the line ends (no colour-only legend; the test line is also dashed).
 *
 * Plot builds a new SVG on every call, so redraws are spaced out (at most one per 150 ms, the last
 * update always drawn: a run reports a round or an epoch every few tens of ms, and drawing each
 * would cost main-thread time for no visible gain) and go through the page's one draw queue
 * (plot-image.ts); the chart follows its container's width. The lines themselves are a layer over
 * the chart (plot-parts.ts's `overlaidChart`): while the axes stay (a run's planned rounds, a fixed
 * or unchanged y domain), a new round changes the lines' paths and Plot does not draw again.
 */
import * as Plot from '@observablehq/plot';
import type { ChartRenderer } from './plot-image';
import { framedChart, fromZero, KEY_ROW, lineGlyph, linePaths, percent, steppedTop, topKey, xAxis, yAxis, zeroRule, type Overlay } from './plot-parts';
import type { RoundMetrics } from '~/engine/types';
import { SERIES_COLORS } from './colors';

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
  /**
   * The data climb through a run (PSNR, bytes so far): the y axis ends at a round value above
   * them and moves up in steps (plot-parts.ts's `steppedTop`), so most updates change the lines only.
   */
  yClimbs?: boolean;
  /** y tick format, e.g. '%' for accuracy. */
  yPercent?: boolean;
  height?: number;
}

/** The y axis of an accuracy chart (this one and band-chart.ts): 0 to 100 %. */
export const ACCURACY_AXIS = { yLabel: '정확도', yDomain: [0, 1] as [number, number], yPercent: true };

/** The training and test lines of a per-epoch chart (the test line dashed). */
export const TRAIN_TEST: SeriesStyle[] = [
  { key: 'train', label: '학습', color: SERIES_COLORS.train },
  { key: 'test', label: '테스트', color: SERIES_COLORS.test, dashed: true },
];

export interface LineChartData {
  points: readonly LinePoint[];
  /** Right end of the x axis (the planned number of epochs), so the chart does not rescale. */
  xMax: number;
}

export type LineChartRenderer = ChartRenderer<LineChartData>;

export function create(el: HTMLElement, options: LineChartOptions): LineChartRenderer {
  const byKey = new Map(options.series.map((s) => [s.key, s]));
  const initial: LineChartData = { points: [], xMax: 1 };
  const finite = (data: LineChartData) => data.points.filter((p) => Number.isFinite(p.y) && byKey.has(p.series));
  const yDomain = (data: LineChartData) => options.yDomain ?? (options.yClimbs ? steppedTop : fromZero)(finite(data).reduce((m, p) => Math.max(m, p.y), 0));
  const xMax = (data: LineChartData) => Math.max(1, data.xMax);
  // The key reads the labels at each draw: a widget may rename its series (client drift names its sides by what they compare).
  const key = () => options.series.map((s) => ({ label: s.label, color: s.color, glyph: lineGlyph(s.dashed) }));
  /** The lines, one path per series with points. */
  const lines: Overlay<LineChartData> = {
    frameKey: (data, width) => JSON.stringify([width, xMax(data), yDomain(data), key()]),
    paths(data, x, y) {
      const pts = finite(data);
      return linePaths(options.series.map((s) => ({ points: pts.filter((p) => p.series === s.key), color: s.color, dash: s.dashed ? '5,3' : undefined })), x, y);
    },
  };

  const frame = { label: options.label, height: options.height ?? 190, marginTop: 26, marginLeft: 44, marginRight: 16, marginBottom: 34 };
  const spec = (data: LineChartData, width: number) => {
    const keyed = topKey(key(), width - frame.marginLeft - frame.marginRight);
    return {
      marginTop: frame.marginTop + KEY_ROW * (keyed.rows - 1),
      x: xAxis(options.xLabel, { domain: [0, xMax(data)], ticks: Math.max(2, Math.floor(width / 70)) }),
      y: yAxis(options.yLabel, { domain: yDomain(data), tickFormat: options.yPercent ? percent : undefined, ticks: 5 }),
      marks: [zeroRule(), ...keyed.marks] as Plot.Markish[],
    };
  };
  return framedChart(el, { minWidth: 240, initialWidth: 320, initial, every: 150, ...frame }, spec, lines);
}

/** The pair of per-epoch charts of a training widget (centralized and split learning): loss, then accuracy. */
export function createEpochCharts(lossEl: HTMLElement, accuracyEl: HTMLElement, series: SeriesStyle[] = TRAIN_TEST) {
  const loss = create(lossEl, { label: '에폭별 손실', xLabel: '에폭', yLabel: '손실', series });
  const accuracy = create(accuracyEl, { label: '에폭별 정확도', xLabel: '에폭', ...ACCURACY_AXIS, series });
  return {
    loss,
    accuracy,
    /** Draws the training and test lines of `rows` (accuracy on training data when measured), and `extra` points. */
    update(rows: readonly RoundMetrics[], xMax: number, extra: { loss: LinePoint[]; accuracy: LinePoint[] } = { loss: [], accuracy: [] }) {
      const lossPts: LinePoint[] = [];
      const accPts: LinePoint[] = [];
      for (const r of rows) {
        lossPts.push({ x: r.round, y: r.trainLoss, series: 'train' }, { x: r.round, y: r.testLoss, series: 'test' });
        if (r.trainAccuracy !== undefined) accPts.push({ x: r.round, y: r.trainAccuracy, series: 'train' });
        accPts.push({ x: r.round, y: r.testAccuracy, series: 'test' });
      }
      loss.update({ points: [...lossPts, ...extra.loss], xMax });
      accuracy.update({ points: [...accPts, ...extra.accuracy], xMax });
    },
    /** Draws what is pending now (a run's end). */
    flush() {
      loss.flush();
      accuracy.flush();
    },
    destroy() {
      loss.destroy();
      accuracy.destroy();
    },
  };
}
