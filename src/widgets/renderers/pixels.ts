/**
 * A small image or heatmap as an SVG of square cells: a digit as the server receives it, the
 * smashed activations at the cut, a linear decoder's reconstruction, a weight update. SVG rather
 * than canvas so the same drawing exports as SVG and PNG, and stays sharp at any zoom.
 *
 * Shape: `create(el, options) → { update(image), toSvg(), destroy() }`.
 */
import { select } from 'd3';

/**
 * How values become colours.
 * - ink:       0 = background, 1 = ink (digits and reconstructions; values are clamped to [0, 1]).
 * - magnitude: 0 = background, the largest |value| = deep blue (activations after ReLU).
 * - diverging: negative blue, 0 background, positive vermillion, symmetric about 0 (updates).
 */
export type PixelScale = 'ink' | 'magnitude' | 'diverging';

export interface PixelImage {
  /** Row-major values; NaN cells are left empty (gaps between tiles). */
  values: ArrayLike<number>;
  rows: number;
  cols: number;
  scale: PixelScale;
  /** Spoken description of what the picture shows. */
  label: string;
  /** Largest |value| the scale reaches (default: the data's own maximum). */
  max?: number;
}

export interface PixelOptions {
  /** Largest cell size in CSS pixels (the picture shrinks to fit its container). */
  cell?: number;
  /** Width the picture may take at most, in CSS pixels. */
  maxWidth?: number;
}

export interface PixelRenderer {
  update(image: PixelImage | null): void;
  toSvg(): string | null;
  destroy(): void;
}

const NEG = [0, 114, 178];
const POS = [213, 94, 0];
const INK = [29, 33, 39];

function mix(a: number[], t: number): string {
  // Blend from white: the cells sit on the page background, which is near white in the light
  // theme; the dark theme gets a white plate behind the picture (see lab.css .px).
  const c = a.map((v) => Math.round(255 + (v - 255) * t));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** The colour of a value on a scale with maximum `max`. */
export function pixelColor(v: number, scale: PixelScale, max: number): string | null {
  if (!Number.isFinite(v)) return null;
  if (scale === 'ink') return mix(INK, Math.min(1, Math.max(0, v)));
  const t = max > 0 ? Math.min(1, Math.abs(v) / max) : 0;
  if (scale === 'magnitude') return mix(NEG, t);
  return mix(v < 0 ? NEG : POS, t);
}

export function create(el: HTMLElement, options: PixelOptions = {}): PixelRenderer {
  const cellMax = options.cell ?? 10;
  const svg = select(el).append('svg').attr('class', 'px').attr('role', 'img').attr('aria-label', '');
  const g = svg.append('g');
  let current: PixelImage | null = null;

  function draw(img: PixelImage | null) {
    current = img;
    if (!img) {
      svg.attr('viewBox', '0 0 1 1').attr('width', 0).attr('height', 0).attr('aria-label', '');
      g.selectAll('rect').remove();
      return;
    }
    let max = img.max ?? 0;
    if (img.max === undefined) for (let i = 0; i < img.values.length; i++) if (Number.isFinite(img.values[i])) max = Math.max(max, Math.abs(img.values[i]));
    const limit = options.maxWidth ?? 240;
    const cell = Math.max(1, Math.min(cellMax, limit / img.cols));
    const w = img.cols * cell;
    const h = img.rows * cell;
    svg.attr('viewBox', `0 0 ${img.cols} ${img.rows}`).attr('width', w).attr('height', h).attr('aria-label', img.label);
    const cells: { x: number; y: number; fill: string }[] = [];
    for (let r = 0; r < img.rows; r++) {
      for (let c = 0; c < img.cols; c++) {
        const fill = pixelColor(img.values[r * img.cols + c], img.scale, max);
        if (fill) cells.push({ x: c, y: r, fill });
      }
    }
    g.selectAll('rect')
      .data(cells)
      .join('rect')
      .attr('x', (d) => d.x)
      .attr('y', (d) => d.y)
      .attr('width', 1.02)
      .attr('height', 1.02)
      .attr('fill', (d) => d.fill);
  }

  return {
    update: draw,
    toSvg() {
      if (!current) return null;
      const clone = svg.node()!.cloneNode(true) as SVGSVGElement;
      clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
      return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(clone);
    },
    destroy() {
      svg.remove();
    },
  };
}

/**
 * Lays out a flat vector as a near-square picture (q values → ⌈√q⌉ columns), padding with NaN.
 * Activations at a cut have no natural 2D shape unless they come from a convolution.
 */
export function squareUp(values: ArrayLike<number>, shape?: number[]): { values: Float32Array; rows: number; cols: number } {
  const n = values.length;
  if (shape && shape.length === 3 && shape[0] * shape[1] * shape[2] === n) {
    // Feature maps [h, w, c]: the channels side by side, one tile per channel.
    const [h, w, c] = shape;
    const per = Math.ceil(Math.sqrt(c));
    const rowsT = Math.ceil(c / per);
    const cols = per * (w + 1) - 1;
    const rows = rowsT * (h + 1) - 1;
    const out = new Float32Array(rows * cols).fill(NaN);
    for (let ch = 0; ch < c; ch++) {
      const tr = Math.floor(ch / per);
      const tc = ch % per;
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[(tr * (h + 1) + y) * cols + tc * (w + 1) + x] = values[(y * w + x) * c + ch];
    }
    return { values: out, rows, cols };
  }
  const cols = Math.max(1, Math.ceil(Math.sqrt(n)));
  const rows = Math.max(1, Math.ceil(n / cols));
  const out = new Float32Array(rows * cols).fill(NaN);
  for (let i = 0; i < n; i++) out[i] = values[i];
  return { values: out, rows, cols };
}
