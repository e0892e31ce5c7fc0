/**
 * The three accuracy charts of the DP-FedAvg widget (Observable Plot), each drawn from the same
 * `AccuracyData` (the runs trained so far with the current settings other than z):
 *
 * - `createCurves`: test accuracy per round, one line per noise multiplier z trained with the
 *   current other settings; the current run is thick, the others thin, each labelled "z = …" at
 *   its end (no colour-only legend).
 * - `createEpsilon`: the ε spent so far, per round, of the current run (engine's accountant).
 * - `createNoise`: the privacy–utility curve: final test accuracy against the final ε of each z
 *   trained (log-scaled ε, each point labelled "z = …", the current z ringed); z = 0 has no
 *   guarantee (ε = ∞) and is drawn as a dashed reference line instead.
 */
import * as Plot from '@observablehq/plot';
import type { ChartRenderer } from '../renderers/plot-image';
import { framedChart, fromZero, percent, xAxis, yAxis, zeroRule } from '../renderers/plot-parts';

export interface NoisePoint {
  z: number;
  accuracy: number;
  /** ε spent by the whole run at the widget's δ; null without a guarantee (z = 0). */
  epsilon: number | null;
}

export interface AccuracyData {
  /** Test accuracy after each round (index 0 = round 1) of each z trained, the current run's among them. */
  curves: { z: number; accuracy: number[] }[];
  /** The current run's ε after each round. */
  epsilon: number[];
  /** Each finished z's final test accuracy and ε. */
  points: NoisePoint[];
  /** The run's rounds: the right end of the round axes. */
  rounds: number;
  /** The current run's noise multiplier. */
  z: number;
}

/** Sequential colours from low noise (blue) to high noise (red), fixed per grid position. */
const Z_COLORS = ['#0b5394', '#2f74b5', '#4f94c6', '#8a8fb8', '#c27a7a', '#d55e00', '#a61c00'];

/**
 * The three charts' frame: same height and left margin, so that they line up side by side. They
 * follow a run of 25 rounds a second: at most one redraw each per 150 ms, like the line charts.
 */
const frame = (label: string, marginRight: number, marginBottom = 34) => ({ label, height: 230, marginLeft: 44, marginRight, marginBottom, minWidth: 260, every: 150 });

/** The accuracy axis of the curves and of the privacy–utility chart, and chance level (50%) under it. */
const accuracyAxis = (label: string) => yAxis(label, { domain: [0.4, 1], tickFormat: percent, ticks: 6 });
const chance = () => Plot.ruleY([0.5], { stroke: 'currentColor', strokeOpacity: 0.25, strokeDasharray: '3,3' });
const roundAxis = (d: AccuracyData) => xAxis('라운드', { domain: [0, Math.max(1, d.rounds)] });

/** The colour of `z` by its place in the grid (a z off the grid gets the first). */
const colorOfZ = (z: number, grid: readonly number[]) => Z_COLORS[Math.min(Z_COLORS.length - 1, Math.max(0, grid.indexOf(z)))];

export function createCurves(el: HTMLElement, options: { label: string; grid: readonly number[] }): ChartRenderer<AccuracyData> {
  return framedChart<AccuracyData>(el, frame(options.label, 52), (d) => {
    const marks: Plot.Markish[] = [chance()];
    // Thin lines first, the current run on top.
    const ordered = [...d.curves].sort((a, b) => Number(a.z === d.z) - Number(b.z === d.z));
    for (const c of ordered) {
      const pts = c.accuracy.map((y, i) => ({ x: i + 1, y }));
      if (pts.length === 0) continue;
      const current = c.z === d.z;
      marks.push(Plot.line(pts, { x: 'x', y: 'y', stroke: colorOfZ(c.z, options.grid), strokeWidth: current ? 3 : 1.3, strokeOpacity: current ? 1 : 0.75 }));
    }
    // End labels, pushed apart vertically so that curves ending close together stay readable.
    const ends = d.curves
      .filter((c) => c.accuracy.length > 0)
      .map((c) => ({ c, x: c.accuracy.length, y: c.accuracy[c.accuracy.length - 1] }))
      .sort((a, b) => a.y - b.y);
    const gap = 0.05;
    for (let i = 1; i < ends.length; i++) ends[i].y = Math.max(ends[i].y, ends[i - 1].y + gap);
    // …and back down from the top of the axis if that pushed them off the chart.
    for (let i = ends.length - 1; i >= 0; i--) ends[i].y = Math.min(ends[i].y, i === ends.length - 1 ? 1 : ends[i + 1].y - gap);
    for (const e of ends) {
      const style = { fill: colorOfZ(e.c.z, options.grid), fontWeight: e.c.z === d.z ? 700 : 400, fontSize: 10, clip: false };
      marks.push(Plot.text([e], { x: 'x', y: 'y', text: () => `z = ${e.c.z}`, dx: 4, textAnchor: 'start', ...style }));
    }
    return {
      x: roundAxis(d),
      y: accuracyAxis('테스트 정확도'),
      marks,
    };
  });
}

export function createEpsilon(el: HTMLElement, options: { label: string; grid: readonly number[] }): ChartRenderer<AccuracyData> {
  return framedChart<AccuracyData>(el, frame(options.label, 16), (d) => {
    const pts = d.epsilon.map((y, i) => ({ x: i + 1, y }));
    const top = pts.reduce((m, p) => Math.max(m, p.y), 0);
    const color = colorOfZ(d.z, options.grid);
    return {
      x: roundAxis(d),
      y: yAxis('지금까지 쓴 ε', { domain: fromZero(top, 1.1), ticks: 5 }),
      marks: [
        zeroRule(),
        Plot.line(pts, { x: 'x', y: 'y', stroke: color, strokeWidth: 2.5 }),
        Plot.text(pts.slice(-1), { x: 'x', y: 'y', text: (p: { y: number }) => `ε = ${p.y.toFixed(2)}`, dy: -10, textAnchor: 'end', fill: 'currentColor', fontSize: 11, fontWeight: 700 }),
      ],
    };
  });
}

export function createNoise(el: HTMLElement, options: { label: string; grid: readonly number[] }): ChartRenderer<AccuracyData> {
  return framedChart<AccuracyData>(el, frame(options.label, 20, 36), (d) => {
    const pts = d.points.filter((p): p is NoisePoint & { epsilon: number } => p.epsilon !== null && p.epsilon > 0).sort((a, b) => a.epsilon - b.epsilon);
    const free = d.points.filter((p) => p.epsilon === null);
    const cur = pts.filter((p) => p.z === d.z);
    const lo = pts.length ? pts[0].epsilon : 0.1;
    const hi = pts.length ? pts[pts.length - 1].epsilon : 10;
    return {
      x: xAxis('프라이버시 예산 ε (로그 눈금) →', { type: 'log', domain: [Math.min(lo, hi / 10) / 1.5, hi * 1.5], ticks: 4, tickFormat: (v: number) => String(Number(v.toPrecision(2))) }),
      y: accuracyAxis('마지막 라운드의 테스트 정확도'),
      marks: [
        chance(),
        // No noise, no guarantee: its accuracy as a reference line.
        Plot.ruleY(free, { y: 'accuracy', stroke: colorOfZ(0, options.grid), strokeDasharray: '6,4', strokeWidth: 1.5 }),
        Plot.text(free, { y: 'accuracy', frameAnchor: 'left', text: (p: NoisePoint) => `노이즈 없음 (ε = ∞) ${Math.round(p.accuracy * 100)}%`, dy: -8, dx: 4, textAnchor: 'start', fill: 'currentColor', fontSize: 10 }),
        Plot.line(pts, { x: 'epsilon', y: 'accuracy', stroke: 'currentColor', strokeOpacity: 0.5 }),
        Plot.dot(pts, { x: 'epsilon', y: 'accuracy', r: 4.5, fill: (p: NoisePoint) => colorOfZ(p.z, options.grid) }),
        Plot.dot(cur, { x: 'epsilon', y: 'accuracy', r: 9, stroke: 'currentColor', strokeWidth: 2 }),
        Plot.text(pts, { x: 'epsilon', y: 'accuracy', text: (p: NoisePoint) => `z = ${p.z}`, dy: 14, fill: 'currentColor', fontSize: 10 }),
      ],
    };
  });
}
