/**
 * Many dots as a few paths (renderers/svg-file.ts): the decision boundaries, the data flow and the
 * faint dots of the error charts draw each group of points as one path of circles.
 */
import { describe, expect, test } from 'vitest';
import { circlesByGroup } from '~/widgets/renderers/svg-file';

/** The circles a path's data draws: each starts at its left edge and is two arcs of radius r. */
function circles(d: string, r: number): [number, number][] {
  const moves = [...d.matchAll(/M([-\d.]+),([-\d.]+)a([\d.]+),([\d.]+) 0 1,0 ([-\d.]+),0a[\d.]+,[\d.]+ 0 1,0 ([-\d.]+),0/g)];
  for (const m of moves) {
    expect([Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])]).toEqual([r, r, 2 * r, -2 * r]);
  }
  return moves.map((m) => [Number(m[1]) + r, Number(m[2])]);
}

describe('circlesByGroup', () => {
  test('every dot is one circle at its place, in its group, groups in ascending order', () => {
    const dots = [
      { x: 10, y: 20, group: 2 },
      { x: 30.04, y: 40.06, group: 0 },
      { x: 50, y: 60, group: 2 },
      { x: -5, y: 7.5, group: 1 },
    ];
    const paths = circlesByGroup(dots, 2.5);
    expect([...paths.keys()]).toEqual([0, 1, 2]);
    expect([...paths.values()].map((p) => p.n)).toEqual([1, 1, 2]);
    expect(circles(paths.get(2)!.d, 2.5)).toEqual([
      [10, 20],
      [50, 60],
    ]);
    expect(circles(paths.get(0)!.d, 2.5)).toEqual([[30, 40.1]]);
    expect(circles(paths.get(1)!.d, 2.5)).toEqual([[-5, 7.5]]);
  });

  test('no dots, no paths', () => {
    expect(circlesByGroup([], 1).size).toBe(0);
  });
});
