/**
 * How the widgets write numbers, in their pictures and in their text summaries alike, so that
 * every chapter prints percentages and bytes the same way.
 */

/**
 * A label's width in px at 10 px type, estimated before it is drawn (to make room for it or to
 * keep labels apart): about 10 px a CJK character, 6.5 px any other.
 */
export const textWidth = (text: string): number => [...text].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 10 : 6.5), 0);

/** Subscript digits for model names: w₁₂. */
export const subscript = (n: number): string => String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);

/** Superscript digits and minus for exponents: 10⁻⁵. */
export const superscript = (n: number): string => String(n).replace(/[-0-9]/g, (c) => (c === '-' ? '⁻' : '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(c)]));

/** 1e-5 → "10⁻⁵" (powers of ten only; other values as they are): how δ is written. */
export function formatDelta(d: number): string {
  const exp = Math.log10(d);
  return Math.abs(exp - Math.round(exp)) < 1e-9 ? `10${superscript(Math.round(exp))}` : String(d);
}

/** "2.83", "1,234", "3.1 × 10⁸": a ratio (such as e^ε) as a reader says it. */
export function formatRatio(x: number): string {
  if (!Number.isFinite(x)) return '∞';
  if (x < 10) return x.toFixed(2);
  if (x < 1e6) return count(x);
  const exp = Math.floor(Math.log10(x));
  return `${(x / 10 ** exp).toFixed(1)} × 10${superscript(exp)}`;
}

export const pct = (x: number, digits = 1) => (Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '—');
export const num = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
/** A signed figure with a real minus sign (−0.125), for numbers written out in a formula or table. */
export const signed = (x: number, digits: number) => (x < 0 ? '−' : '') + Math.abs(x).toFixed(digits);
/**
 * A count of people, reports or values, rounded, with Korean digit grouping: 30,000. One
 * formatter, made at the first count (the page's first one is paid at load, runtime/lazy.ts):
 * `toLocaleString('ko-KR')` looks one up at every call, 2.5 times as long in V8.
 */
let koCounts: Intl.NumberFormat | undefined;
export const count = (x: number) => (koCounts ??= new Intl.NumberFormat('ko-KR')).format(Math.round(x));

/** Byte counts, three significant digits: 512 B, 3.20 kB, 45.0 kB, 1.40 MB. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (Math.abs(n) < 1000) return `${Math.round(n)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(Math.abs(v) < 10 ? 2 : Math.abs(v) < 100 ? 1 : 0)} ${units[i]}`;
}
