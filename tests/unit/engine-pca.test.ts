/**
 * The weight-space map's projection (src/engine/pca.ts): it must find the directions of largest
 * spread, keep its orientation between refits, and — the property the picture relies on — map a
 * weighted mean of weight vectors to the same weighted mean of points.
 */
import { describe, expect, test } from 'vitest';
import { fitPca, project } from '~/engine/pca';

const unit = (v: number[]) => v.map((x) => x / Math.hypot(...v));
const e1 = unit([1, 2, 0, 0, 1]);
const e2 = unit([0, 0, 1, -1, 0]);
const vectors = Array.from({ length: 60 }, (_, i) => {
  const a = 5 * Math.sin(i * 0.7);
  const b = Math.cos(i * 1.3);
  return e1.map((x, j) => 3 + a * x + b * e2[j]);
});
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, j) => s + x * b[j], 0);

describe('fitPca', () => {
  test('a known answer: four points on two axes give those axes, unit length, and variance shares 0.9 and 0.1', () => {
    // Centred at (1, 1, 1); spread ±3 along x and ±1 along y, none along z: variances 18/4 and 2/4.
    const points = [
      [4, 1, 1],
      [-2, 1, 1],
      [1, 2, 1],
      [1, 0, 1],
    ];
    const p = fitPca(points);
    expect(Array.from(p.mean)).toEqual([1, 1, 1]);
    expect(Math.abs(p.axes[0][0])).toBeCloseTo(1, 9);
    expect(Math.abs(p.axes[1][1])).toBeCloseTo(1, 9);
    for (const a of p.axes) expect(dot(a, a)).toBeCloseTo(1, 12);
    expect(dot(p.axes[0], p.axes[1])).toBeCloseTo(0, 12);
    expect(p.explained[0]).toBeCloseTo(0.9, 12);
    expect(p.explained[1]).toBeCloseTo(0.1, 12);
    // The projection is the coordinate along each axis, up to the axis's sign and the power iteration's precision.
    const [x, y] = project(p, [4, 1, 1]);
    expect(Math.abs(x)).toBeCloseTo(3, 6);
    expect(y).toBeCloseTo(0, 6);
  });

  test('finds the two directions of the data, strongest first', () => {
    const p = fitPca(vectors);
    expect(Math.abs(dot(p.axes[0], e1))).toBeGreaterThan(0.999);
    expect(Math.abs(dot(p.axes[1], e2))).toBeGreaterThan(0.999);
    expect(dot(p.axes[0], p.axes[1])).toBeCloseTo(0, 9);
    expect(p.explained[0]).toBeGreaterThan(p.explained[1]);
    expect(p.explained[0] + p.explained[1]).toBeCloseTo(1, 6);
  });

  test('a weighted mean projects to the weighted mean of the projections', () => {
    const p = fitPca(vectors);
    const c = [0.1, 0.3, 0.6];
    const mix = vectors[0].map((_, j) => c[0] * vectors[0][j] + c[1] * vectors[5][j] + c[2] * vectors[9][j]);
    const want = [0, 1].map((d) => c[0] * project(p, vectors[0])[d] + c[1] * project(p, vectors[5])[d] + c[2] * project(p, vectors[9])[d]);
    const got = project(p, mix);
    expect(got[0]).toBeCloseTo(want[0], 10);
    expect(got[1]).toBeCloseTo(want[1], 10);
  });

  test('keeps the orientation of the previous fit', () => {
    const first = fitPca(vectors);
    const flipped = { ...first, axes: first.axes.map((a) => a.map((x) => -x)) };
    const again = fitPca(vectors.slice(0, 50), 2, flipped);
    expect(dot(again.axes[0], flipped.axes[0])).toBeGreaterThan(0);
    expect(dot(again.axes[1], flipped.axes[1])).toBeGreaterThan(0);
  });

  test('one vector (no spread) projects to the origin without NaN', () => {
    const p = fitPca([vectors[0]]);
    expect(project(p, vectors[0])).toEqual([0, 0]);
    expect(p.explained).toEqual([0, 0]);
  });
});
