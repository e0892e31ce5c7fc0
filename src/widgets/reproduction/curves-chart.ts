/**
 * Test accuracy per round, one line per setting (FedSGD, FedAvg E/B), with the target accuracy
 * as a dashed rule: the picture behind "rounds to reach the target". Drawn with Observable Plot
 * on a logarithmic round axis, because FedAvg reaches in a handful of rounds what takes FedSGD
 * hundreds (the paper's point), and a linear axis would squeeze the fast settings into a corner.
 *
 * The key is the charts' shared one (`topKey`, in the top margin) and goes with the chart into an
 * exported file; each curve also has its setting's own dash pattern (the key's glyph: solid or
 * dashed), so colour is never the only cue.
 */
import * as Plot from '@observablehq/plot';
import type { ReproCurve } from '~/data/reproduction';
import type { ChartRenderer } from '../renderers/plot-image';
import { framedChart, KEY_ROW, lineGlyph, linePaths, percent, topKey, xAxis, yAxis, type ChartFrame, type Overlay } from '../renderers/plot-parts';

/** Okabe–Ito hues and dash patterns per setting id; unknown ids cycle through the rest. */
const STYLES: Record<string, { color: string; dash?: string; width?: number }> = {
  fedsgd: { color: 'currentColor', width: 2.5 },
  'e1-b10': { color: '#0072b2' },
  'e1-b50': { color: '#009e73', dash: '6,3' },
  'e5-ball': { color: '#d55e00', dash: '2,2' },
  'e5-b10': { color: '#cc79a7', dash: '8,3,2,3' },
  'e20-b10': { color: '#e69f00', dash: '1,3' },
};
const EXTRA = ['#56b4e9', '#999999', '#f0e442'];

function seriesStyle(id: string, index: number): { color: string; dash?: string; width: number } {
  const s = STYLES[id] ?? { color: EXTRA[index % EXTRA.length], dash: '4,2' };
  return { color: s.color, dash: s.dash, width: s.width ?? 2 };
}

/**
 * One setting's run, as the committed results and the live rerun both give it: the setting's id
 * (it picks the style), its label in the key (e.g. "FedAvg E=1, B=10"), η, and its curve.
 */
export interface SettingCurve extends ReproCurve {
  id: string;
  label: string;
  lr: number;
}

/** A curve's rows of the accuracy CSV, one per round. */
export const curveRows = (s: SettingCurve) =>
  s.round.map((round, i) => ({ setting: s.label, lr: s.lr, round, test_accuracy: s.accuracy[i], best_so_far: s.best[i] }));

export interface CurvesChartData {
  series: readonly SettingCurve[];
  /** Which accuracy the curves show (the `curve` setting of both charts): best so far, or each round's. */
  curve: 'best' | 'raw';
  /** Target accuracy (a dashed rule), or null. */
  target: number | null;
  /** Right end of the round axis (the cap), so a running chart does not rescale every round. */
  xMax: number;
}

/** Bottom of the accuracy axis (the top is 100%). */
const Y_MIN = 0.5;

/** Height of the plot area; the key's rows in the top margin come on top of it. */
const HEIGHT = 300;

export function create(el: HTMLElement, { label }: Pick<ChartFrame, 'label'>): ChartRenderer<CurvesChartData> {
  const initial: CurvesChartData = { series: [], curve: 'best', target: null, xMax: 10 };
  const frame = { label, minWidth: 280, initialWidth: 560, initial, marginLeft: 44, marginRight: 18, marginBottom: 36 };
  // The curves: a layer changed in place while axes and key stay (plot-parts.ts's Overlay). Early rounds
  // below the axis (FedSGD starts near chance) leave through the bottom; a dot marks where a run stopped.
  const points = (s: SettingCurve, ys: readonly number[]) => s.round.map((x, j) => ({ x, y: ys[j] })).filter((p) => Number.isFinite(p.y) && p.x >= 1);
  const curves: Overlay<CurvesChartData> = {
    frameKey: (data, width) => JSON.stringify([width, data.xMax, data.target, data.series.map((s) => [s.id, s.label, s.lr])]),
    clip: true,
    paths: (data, x, y) => linePaths(data.series.map((s, i) => ({ ...seriesStyle(s.id, i), points: points(s, data.curve === 'best' ? s.best : s.accuracy), endDot: 2.5 })), x, y),
  };
  return framedChart(el, frame, (data, width) => {
    const styles = data.series.map((s, i) => seriesStyle(s.id, i));
    const key = data.series.map((s, i) => ({ label: `${s.label}, η=${s.lr}`, color: styles[i].color, glyph: lineGlyph(!!styles[i].dash) }));
    const keyed = topKey(key, width - frame.marginLeft - frame.marginRight);
    // One row's room even before the first curve, so the live race's chart starts at its usual height.
    const marginTop = 12 + KEY_ROW * Math.max(1, keyed.rows);
    const marks: Plot.Markish[] = [];
    if (data.target !== null) {
      marks.push(
        Plot.ruleY([data.target], { stroke: 'currentColor', strokeOpacity: 0.6, strokeDasharray: '3,3' }),
        Plot.text([`목표 ${(data.target * 100).toFixed(0)}%`], { x: Math.max(2, data.xMax), y: data.target, dy: -7, dx: -2, fill: 'currentColor', textAnchor: 'end' }),
      );
    }
    marks.push(...keyed.marks);
    return {
      height: HEIGHT + marginTop,
      marginTop,
      x: xAxis('라운드 (로그 눈금)', { type: 'log', domain: [1, Math.max(2, data.xMax)], grid: true }),
      // The view's title names the axis ("…테스트 정확도"); the top margin is the key's.
      y: yAxis(null, { domain: [Y_MIN, 1], tickFormat: percent, ticks: 6 }),
      marks,
    };
  }, curves);
}
