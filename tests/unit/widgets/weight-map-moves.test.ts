/**
 * The weight map's moving frames (renderers/weight-map.ts): a move starts from what is on screen
 * and ends exactly on the update's end state, which is what the SVG under the canvas holds; the
 * clients of a new round leave w_t where it is on screen.
 */
import { describe, expect, test } from 'vitest';
import { between, startOf, type Scene } from '~/widgets/renderers/weight-map';

/** A round's scene: w_t at `prev`, clients at `at`, spokes from each client to `to`. */
function scene(round: number, local: boolean, prev: [number, number], at: [number, number][], next: [number, number] | null): Scene {
  const p = { x: prev[0], y: prev[1] };
  const n = next && { x: next[0], y: next[1] };
  const clients = at.map(([x, y], k) => ({ k, x, y, r: 5 + k }));
  const to = n ?? p;
  return {
    ghosts: [{ k: 0, x: 40, y: 40 }],
    trail: n ? [{ x: 50, y: 50 }, p, n] : [{ x: 50, y: 50 }, p],
    dots: [{ x: 50, y: 50 }, p],
    prev: p,
    next: n,
    clients,
    spokes: clients.map((c) => ({ k: c.k, x1: c.x, y1: c.y, x2: to.x, y2: to.y, width: local ? 1 : 2 + c.k })),
    local,
    round,
  };
}

// Round 2 averaged (on screen), then round 3's local phase on a refitted plane (w_2 moved).
const averaged = scene(2, false, [100, 100], [[80, 120], [130, 90]], [110, 105]);
const local = scene(3, true, [112, 104], [[150, 60], [90, 140], [120, 130]], null);

describe('weight map moves', () => {
  test('a move ends exactly on the end state the SVG holds', () => {
    for (const [from, to] of [
      [averaged, local],
      [local, scene(3, false, [112, 104], [[150, 60], [90, 140], [120, 130]], [125, 110])],
    ] as const) {
      expect(between(startOf(from, to), to, 1)).toEqual(to);
    }
  });

  test('a new round: every client and spoke starts at w_t as it is on screen, w_t moves to its refitted place', () => {
    const start = between(startOf(averaged, local), local, 0);
    for (const c of start.clients) expect([c.x, c.y]).toEqual([100, 100]);
    for (const s of start.spokes) expect([s.x1, s.y1, s.x2, s.y2]).toEqual([100, 100, 100, 100]);
    expect(start.prev).toEqual(averaged.prev);
    // Not trivially so: the end state has them apart, and w_t elsewhere.
    expect(local.clients.every((c) => c.x !== 100 || c.y !== 100)).toBe(true);
    expect(local.prev).not.toEqual(averaged.prev);
    // Half way (eased by the caller): on the straight line between.
    const half = between(startOf(averaged, local), local, 0.5);
    expect(half.clients[0]).toMatchObject({ x: 125, y: 80 });
    expect(half.prev).toEqual({ x: 106, y: 102 });
  });

  test('the average: the new global model and the spokes’ far ends leave w_t together; clients stay', () => {
    const end = scene(3, false, [112, 104], [[150, 60], [90, 140], [120, 130]], [125, 110]);
    const mid = between(startOf(local, end), end, 0.5);
    expect(mid.next).toEqual({ x: 118.5, y: 107 });
    for (const s of mid.spokes) expect([s.x2, s.y2]).toEqual([118.5, 107]);
    expect(mid.clients.map((c) => [c.x, c.y])).toEqual(end.clients.map((c) => [c.x, c.y]));
    // The new point of the trail is drawn where it ends (it appears; the diamond travels).
    expect(mid.trail.at(-1)).toEqual({ x: 125, y: 110 });
  });

  test('marks the screen did not have appear in place; marks it had that are gone are not drawn', () => {
    const start = between(startOf(local, averaged), averaged, 0);
    // Round 3 had three clients, round 2 two: the third's spoke and circle are gone.
    expect(start.clients).toHaveLength(2);
    expect(start.ghosts).toEqual(averaged.ghosts);
  });
});
