/**
 * The poisoning map's rule labels: placed beside their diamonds, no two labels overlap and none
 * covers a marker, even when the robust rules land on top of each other (as they do by design).
 */
import { describe, expect, test } from 'vitest';
import { labelSpots } from '~/widgets/renderers/robust-map';
import { textWidth } from '~/widgets/renderers/format';

const LINE = 12;
type Box = { left: number; right: number; top: number; bottom: number };
const overlap = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** A seeded generator, so that a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const LABELS = ['평균', '중앙값', '절사', 'Krum', '클리핑', '중심'];

/** Six diamonds within `spread` px of a point in the plot, and ten clients around them. */
function cluster(seed: number, spread: number) {
  const r = rng(seed);
  const cx = 60 + r() * 220;
  const cy = 40 + r() * 180;
  const points = LABELS.map((label) => ({ x: cx + (r() - 0.5) * spread, y: cy + (r() - 0.5) * spread, width: textWidth(label) }));
  const clients = Array.from({ length: 10 }, () => ({ x: cx + (r() - 0.5) * 3 * spread, y: cy + (r() - 0.5) * 3 * spread }));
  return { points, markers: [...clients, ...points.map(({ x, y }) => ({ x, y }))] };
}

const labelBoxes = (points: ReturnType<typeof cluster>['points'], spots: ReturnType<typeof labelSpots>): Box[] =>
  spots.map((s, i) => {
    const left = s.anchor === 'start' ? points[i].x + s.dx : points[i].x + s.dx - points[i].width;
    const top = points[i].y + s.dy - 3.5 - LINE / 2;
    return { left, right: left + points[i].width, top, bottom: top + LINE };
  });

describe('poisoning map labels', () => {
  test('no two labels overlap, and no label covers a marker', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const { points, markers } = cluster(seed, 24);
      const boxes = labelBoxes(points, labelSpots(points, markers));
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i], boxes[j]), `seed ${seed}: labels ${i} and ${j}`).toBe(false);
        for (const m of markers) expect(overlap(boxes[i], { left: m.x - 7, right: m.x + 7, top: m.y - 7, bottom: m.y + 7 }), `seed ${seed}: label ${i}`).toBe(false);
      }
    }
  });

  test('the clusters are hard: labels set just above or below each diamond would overlap', () => {
    let clashes = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const { points } = cluster(seed, 24);
      // The former placement: right of the diamond, alternately above and below it.
      const naive = points.map((p, i): Box => ({ left: p.x + 8, right: p.x + 8 + p.width, top: p.y + (i % 2 ? 12 : -5) - 9, bottom: p.y + (i % 2 ? 12 : -5) + 3 }));
      if (naive.some((a, i) => naive.some((b, j) => j > i && overlap(a, b)))) clashes++;
    }
    expect(clashes).toBeGreaterThan(150);
  });

  test('a label with room stays beside its diamond, with no leader line', () => {
    const [spot] = labelSpots([{ x: 100, y: 100, width: textWidth('평균') }], [{ x: 100, y: 100 }]);
    expect(spot).toMatchObject({ dx: 9, anchor: 'start', moved: false });
    // Near the right edge it goes to the left.
    const [edge] = labelSpots([{ x: 320, y: 100, width: textWidth('중앙값') }], []);
    expect(edge).toMatchObject({ dx: -9, anchor: 'end' });
  });
});
