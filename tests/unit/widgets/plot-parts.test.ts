/**
 * The chart key's rows: entries that do not fit the chart's width go on in rows above, in reading
 * order, so that a phone's narrow chart does not cut the first label at its left edge. And the
 * stepped y top of a chart whose data climb: round, above the data, and rarely changing.
 */
import { describe, expect, test } from 'vitest';
import { fromZero, lineGlyph, steppedTop, topKey, type KeyEntry } from '~/widgets/renderers/plot-parts';

const entry = (label: string): KeyEntry => ({ label, color: '#000000', glyph: lineGlyph() });
// Three-way's accuracy chart: four methods, about 330 px of key.
const FOUR = ['중앙 집중식', '연합 학습', '분할 학습', '분할+연합'].map(entry);

describe('topKey', () => {
  test('one row when the key fits, or when no width is given', () => {
    expect(topKey(FOUR).rows).toBe(1);
    expect(topKey(FOUR, 1200).rows).toBe(1);
    // Two marks per entry (its words and its glyph) in every case.
    expect(topKey(FOUR, 1200).marks).toHaveLength(8);
  });

  test('a phone-wide chart (300 px at 360 px) puts the key on two rows, and no row is wider than the room', () => {
    const room = 360 - 44 - 16;
    const { rows, marks } = topKey(FOUR, room);
    expect(rows).toBe(2);
    expect(marks).toHaveLength(8);
    // Greedy rows in reading order: the first row holds what fits, the rest goes on.
    expect(topKey(FOUR.slice(0, 2), room).rows).toBe(1);
  });

  test('an entry wider than the room gets a row of its own, never an empty row', () => {
    expect(topKey([entry('아주 아주 긴 이름의 계열')], 50).rows).toBe(1);
    expect(topKey([entry('가'), entry('아주 아주 긴 이름의 계열')], 50).rows).toBe(2);
  });

  test('a Latin label is guessed narrower than a Korean one of as many characters', () => {
    // 16 characters each: two Latin labels share a 300 px row, two Korean ones do not.
    expect(topKey([entry('FedAvg E=1, B=10'), entry('FedAvg E=5, B=10')], 300).rows).toBe(1);
    expect(topKey([entry('가나다라마바사아자차카타파하가나'), entry('가나다라마바사아자차카타파하가나')], 300).rows).toBe(2);
  });
});

describe('steppedTop', () => {
  test('a round top at or above the padded data: 1, 1.5, 2, 3, 4, 5, 6 or 8 times a power of ten', () => {
    expect(steppedTop(8)).toEqual([0, 10]);
    expect(steppedTop(9.5)).toEqual([0, 10]);
    expect(steppedTop(9.6)).toEqual([0, 15]);
    expect(steppedTop(0.27)).toEqual([0, 0.3]);
    expect(steppedTop(1234)).toEqual([0, 1500]);
    expect(steppedTop(0.0031)).toEqual([0, 0.004]);
    // Nothing to show, or nonsense: the unit axis, as fromZero.
    for (const top of [0, -3, Number.NaN, Number.POSITIVE_INFINITY]) expect(steppedTop(top)).toEqual([0, 1]);
  });

  test('always above the data and at most 1.5 times its padded value', () => {
    for (let top = 0.001; top < 1e6; top *= 1.037) {
      const [, t] = steppedTop(top);
      expect(t).toBeGreaterThanOrEqual(top * 1.05 * (1 - 1e-12));
      expect(t).toBeLessThanOrEqual(top * 1.05 * 1.5 * (1 + 1e-12));
    }
  });

  test('a PSNR climbing 8 to 30 dB in 200 steps changes the axis a few times (fromZero: at every step)', () => {
    const psnr = Array.from({ length: 200 }, (_, i) => 8 + (22 * i) / 199);
    const changes = (domain: (top: number) => [number, number]) => new Set(psnr.map((p) => domain(p)[1])).size;
    expect(changes(steppedTop)).toBeLessThanOrEqual(5);
    expect(changes(fromZero)).toBe(200);
  });
});
