/**
 * The chart key's rows: entries that do not fit the chart's width go on in rows above, in reading
 * order, so that a phone's narrow chart does not cut the first label at its left edge.
 */
import { describe, expect, test } from 'vitest';
import { lineGlyph, topKey, type KeyEntry } from '~/widgets/renderers/plot-parts';

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
