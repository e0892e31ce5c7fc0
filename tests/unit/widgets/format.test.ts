/**
 * How the privacy widgets write δ and e^ε (renderers/format.ts): powers of ten with superscript
 * exponents, ratios the way a reader says them.
 */
import { describe, expect, test } from 'vitest';
import { formatDelta, formatRatio, superscript } from '~/widgets/renderers/format';

describe('numbers in the privacy widgets', () => {
  test('superscript exponents, δ as a power of ten', () => {
    expect(superscript(-12)).toBe('⁻¹²');
    expect(superscript(8)).toBe('⁸');
    expect(formatDelta(1e-5)).toBe('10⁻⁵');
    expect(formatDelta(1e-8)).toBe('10⁻⁸');
    expect(formatDelta(1)).toBe('10⁰');
    expect(formatDelta(2e-5)).toBe('0.00002');
  });

  test('ratios: two decimals, then grouped digits, then powers of ten', () => {
    expect(formatRatio(Math.exp(1.0355))).toBe('2.82');
    expect(formatRatio(1234.4)).toBe('1,234');
    expect(formatRatio(3.14e8)).toBe('3.1 × 10⁸');
    expect(formatRatio(Infinity)).toBe('∞');
  });
});
