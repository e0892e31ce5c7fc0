/**
 * Class colours shared by every view of 2D data (points, boundary heatmap, data-flow dots), so a
 * class looks the same everywhere. Orange/blue as in the TensorFlow Playground for two classes;
 * the extra hues for four blobs stay distinguishable for the common colour-vision deficiencies
 * (Okabe–Ito palette).
 */
export const CLASS_COLORS: readonly string[] = ['#e69f00', '#0072b2', '#009e73', '#cc79a7', '#d55e00', '#56b4e9'];

/** Series colours for metric charts: training and test. */
export const SERIES_COLORS = { train: '#0072b2', test: '#d55e00' } as const;

/** [r, g, b] of a #rrggbb colour. */
export function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export const classColor = (c: number) => CLASS_COLORS[((c % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length];
