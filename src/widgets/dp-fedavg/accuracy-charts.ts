/**
 * The two accuracy charts of the DP-FedAvg widget (Observable Plot):
 *
 * - `createCurves`: test accuracy per round, one line per noise multiplier z trained with the
 *   current other settings; the current run is thick, the others thin, each labelled "z = …" at
 *   its end (no colour-only legend).
 * - `createNoise`: final test accuracy against z (the "accuracy against noise" curve), the
 *   current z ringed.
 *
 * Shape: `create(el, options) → { update(data), svg(), destroy() }`.
 */
import * as Plot from '@observablehq/plot';
import { responsiveChart, type ChartRenderer } from '../renderers/plot-image';

export interface Curve {
  z: number;
  /** Test accuracy after each round (index 0 = round 1). */
  accuracy: number[];
  current: boolean;
}

export interface CurvesData {
  curves: Curve[];
  rounds: number;
}

export interface NoisePoint {
  z: number;
  accuracy: number;
}

export interface NoiseData {
  points: NoisePoint[];
  /** The z values on the axis. */
  grid: readonly number[];
  current: number;
}

/** Sequential colours from low noise (blue) to high noise (red), fixed per grid position. */
const Z_COLORS = ['#0b5394', '#2f74b5', '#4f94c6', '#8a8fb8', '#c27a7a', '#d55e00', '#a61c00'];

export function colorOfZ(z: number, grid: readonly number[]): string {
  const i = grid.indexOf(z);
  return Z_COLORS[Math.max(0, Math.min(Z_COLORS.length - 1, i < 0 ? 0 : i))];
}

export function createCurves(el: HTMLElement, options: { label: string; grid: readonly number[] }): ChartRenderer<CurvesData> {
  return responsiveChart<CurvesData>(el, { minWidth: 260 }, (d, width) => {
    const marks: Plot.Markish[] = [Plot.ruleY([0.5], { stroke: 'currentColor', strokeOpacity: 0.25, strokeDasharray: '3,3' })];
    // Thin lines first, the current run on top.
    const ordered = [...d.curves].sort((a, b) => Number(a.current) - Number(b.current));
    for (const c of ordered) {
      const pts = c.accuracy.map((y, i) => ({ x: i + 1, y }));
      if (pts.length === 0) continue;
      const color = colorOfZ(c.z, options.grid);
      marks.push(Plot.line(pts, { x: 'x', y: 'y', stroke: color, strokeWidth: c.current ? 3 : 1.3, strokeOpacity: c.current ? 1 : 0.75 }));
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
      marks.push(
        Plot.text([e], { x: 'x', y: 'y', text: () => `z = ${e.c.z}`, dx: 4, textAnchor: 'start', fill: colorOfZ(e.c.z, options.grid), fontWeight: e.c.current ? 700 : 400, fontSize: 10, clip: false }),
      );
    }
    return Plot.plot({
      width,
      height: 230,
      marginLeft: 44,
      marginRight: 52,
      marginBottom: 34,
      ariaLabel: options.label,
      x: { domain: [0, Math.max(1, d.rounds)], label: '라운드', labelAnchor: 'right', labelArrow: 'none' },
      y: { domain: [0.4, 1], label: '테스트 정확도', labelArrow: 'none', grid: true, tickFormat: (v: number) => `${Math.round(v * 100)}%`, ticks: 6 },
      marks,
    });
  });
}

export function createNoise(el: HTMLElement, options: { label: string }): ChartRenderer<NoiseData> {
  return responsiveChart<NoiseData>(el, { minWidth: 260 }, (d, width) => {
    const pts = [...d.points].sort((a, b) => a.z - b.z);
    const cur = pts.filter((p) => p.z === d.current);
    return Plot.plot({
      width,
      height: 230,
      marginLeft: 44,
      marginRight: 16,
      marginBottom: 36,
      ariaLabel: options.label,
      x: { type: 'point', domain: [...d.grid], label: '노이즈 배수 z', labelAnchor: 'right', labelArrow: 'none' },
      y: { domain: [0.4, 1], label: '마지막 라운드의 테스트 정확도', labelArrow: 'none', grid: true, tickFormat: (v: number) => `${Math.round(v * 100)}%`, ticks: 6 },
      marks: [
        Plot.ruleY([0.5], { stroke: 'currentColor', strokeOpacity: 0.25, strokeDasharray: '3,3' }),
        Plot.line(pts, { x: 'z', y: 'accuracy', stroke: 'currentColor', strokeOpacity: 0.5 }),
        Plot.dot(pts, { x: 'z', y: 'accuracy', r: 4.5, fill: (p: NoisePoint) => colorOfZ(p.z, d.grid) }),
        Plot.dot(cur, { x: 'z', y: 'accuracy', r: 9, stroke: 'currentColor', strokeWidth: 2 }),
        Plot.text(pts, { x: 'z', y: 'accuracy', text: (p: NoisePoint) => `${Math.round(p.accuracy * 100)}%`, dy: -13, fill: 'currentColor', fontSize: 10 }),
      ],
    });
  });
}
