/**
 * A small image or heatmap: a digit as the server receives it, the smashed activations at the
 * cut, a linear decoder's reconstruction, a weight update. The cells are painted into a tiny
 * canvas (one pixel per cell) and shown as one <image> inside an SVG, scaled up without
 * smoothing: a single element however many cells (a 2,048-cell update costs no more to draw than
 * a digit), and the SVG still exports as SVG and PNG. `data-cells` on the SVG counts the painted
 * cells and `data-digest` fingerprints their colours (tests read both).
 *
 * Shape: `create(el, options) → { update(image), toSvg(), destroy() }`.
 */
import { select } from 'd3';
import { svgFile } from './svg-file';
import { setAttrs } from './outputs';

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

/**
 * Writes the colour of value `v` (on a scale with maximum `max`) into `out` at `at` as opaque
 * RGBA; returns false, writing nothing, for an empty (NaN) cell. Colours blend from white: the
 * cells sit on the page background, which is near white in the light theme; the dark theme gets
 * a white plate behind the picture (see lab.css .px). Numbers straight into the image data: a
 * colour string per cell, parsed back, cost a three-way race's pictures 120 ms of one frame on
 * the phone profile of `npm run bench -- --only=jank`.
 */
function paintCell(out: Uint8ClampedArray, at: number, v: number, scale: PixelScale, max: number): boolean {
  if (!Number.isFinite(v)) return false;
  const t = scale === 'ink' ? Math.min(1, Math.max(0, v)) : max > 0 ? Math.min(1, Math.abs(v) / max) : 0;
  const base = scale === 'ink' ? INK : scale === 'magnitude' || v < 0 ? NEG : POS;
  for (let c = 0; c < 3; c++) out[at + c] = Math.round(255 + (base[c] - 255) * t);
  out[at + 3] = 255;
  return true;
}

/**
 * The page's first canvas picture costs a setup the later ones do not: on the jank bench's phone
 * profile, 15 ms to paint and encode the first 28 x 28 image, 2 ms each after that. Gradient
 * inversion drew its first three pictures in the frame its attack started (a 49-73 ms task). A
 * 1 x 1 picture in a task of its own, right after the first renderer is made, pays the setup
 * there (10 ms); the first real one then takes 4 ms. (An idle callback came too late: a widget's
 * mount and its run's start leave the page no idle time before the first picture.)
 */
let warmed = false;
function warmUp() {
  if (warmed) return;
  warmed = true;
  const paint = () => {
    const c = document.createElement('canvas');
    c.width = c.height = 1;
    const g = c.getContext('2d');
    if (!g) return;
    g.putImageData(g.createImageData(1, 1), 0, 0);
    c.toDataURL('image/png');
  };
  setTimeout(paint);
}

export function create(el: HTMLElement, options: PixelOptions = {}): PixelRenderer {
  warmUp();
  const cellMax = options.cell ?? 10;
  // An empty picture (before the first event) is hidden from assistive technology: an image
  // role without a name is an accessibility error, and there is nothing to describe yet.
  const svg = select(el).append('svg').attr('class', 'px').attr('aria-hidden', 'true');
  const image = svg.append('image').attr('preserveAspectRatio', 'none').attr('class', 'px__image');
  let current: PixelImage | null = null;
  /**
   * What is drawn now (size, colours by their fingerprint, name): the same picture again is neither
   * encoded nor written, and a new one writes only the attributes that change (the end-to-end
   * rewrites test watches these pictures: three-way, the split playground and its server view,
   * gradient inversion).
   */
  let drawnKey = '';
  const canvas = document.createElement('canvas');

  function draw(img: PixelImage | null) {
    current = img;
    if (!img) {
      drawnKey = '';
      setAttrs(svg.node()!, { viewBox: '0 0 1 1', width: 0, height: 0, role: null, 'aria-label': null, 'aria-hidden': 'true', 'data-cells': 0, 'data-digest': '' });
      setAttrs(image.node()!, { href: null });
      return;
    }
    let max = img.max ?? 0;
    if (img.max === undefined) for (let i = 0; i < img.values.length; i++) if (Number.isFinite(img.values[i])) max = Math.max(max, Math.abs(img.values[i]));
    const limit = options.maxWidth ?? 240;
    const cell = Math.max(1, Math.min(cellMax, limit / img.cols));
    // Setting a canvas's size clears and reallocates it even when the size is the same; the image
    // data below covers every pixel, so a canvas of the right size is written over as it is. Over
    // 8 s of a gradient inversion attack on the phone profile, putImageData took 9-17 ms in all
    // when every picture set the size again, 4-5 ms when only a new size does.
    if (canvas.width !== img.cols || canvas.height !== img.rows) {
      canvas.width = img.cols;
      canvas.height = img.rows;
    }
    const g = canvas.getContext('2d');
    if (!g) return;
    const data = g.createImageData(img.cols, img.rows);
    let cells = 0;
    // FNV-1a over the painted colours: a cheap fingerprint of what is shown.
    let hash = 0x811c9dc5;
    const px = data.data;
    for (let i = 0; i < img.rows * img.cols; i++) {
      if (!paintCell(px, i * 4, img.values[i], img.scale, max)) continue;
      cells++;
      hash = Math.imul(hash ^ (i & 0xff), 0x01000193);
      for (let c = 0; c < 3; c++) hash = Math.imul(hash ^ px[i * 4 + c], 0x01000193);
    }
    const key = `${img.cols}x${img.rows}:${cells}:${hash}:${img.label}`;
    if (key === drawnKey) return;
    drawnKey = key;
    g.putImageData(data, 0, 0);
    setAttrs(svg.node()!, {
      viewBox: `0 0 ${img.cols} ${img.rows}`,
      width: img.cols * cell,
      height: img.rows * cell,
      role: 'img',
      'aria-hidden': null,
      'aria-label': img.label,
      'data-cells': cells,
      'data-digest': (hash >>> 0).toString(16),
    });
    setAttrs(image.node()!, { width: img.cols, height: img.rows, href: canvas.toDataURL('image/png') });
  }

  // Empty until the first picture: an SVG without a size is drawn 300 x 150 px, which pushed the
  // text beside it aside and everything under it down between mount and the first picture.
  draw(null);

  return {
    update: draw,
    toSvg() {
      if (!current) return null;
      // A file has no stylesheet: keep the cells sharp.
      return svgFile(svg.node()!, { paint: [['image', { style: 'image-rendering:pixelated' }]] });
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
