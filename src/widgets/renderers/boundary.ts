/**
 * 2D data with a model's decision boundary: the class probabilities on a grid as a heatmap (a
 * canvas, upscaled smoothly by the browser), the training and test points on top (SVG, d3).
 *
 * Shape: `create(el, options) → { update(data), destroy() }`, plus `toSvg()` for export.
 * The grid layout follows the engine's `boundary` event: probs[(row·grid + col)·classes + c],
 * row 0 at the top (largest x1), col 0 at the left (smallest x0).
 */
import { scaleLinear, select } from 'd3';
import { classColor, rgb } from './colors';
import { circlesByGroup, svgFile, SVG_NS } from './svg-file';
import { throttled } from './plot-image';

export interface PointsData {
  /** x0, x1 interleaved. */
  xy: Float32Array;
  labels: Int32Array;
}

export interface BoundaryGrid {
  grid: number;
  classes: number;
  probs: Float32Array;
}

export interface BoundaryData {
  /** The square [lo, hi]² shown. */
  extent?: [number, number];
  train?: PointsData | null;
  test?: PointsData | null;
  showTest?: boolean;
  /** null clears the heatmap (a new run before its first boundary). */
  boundary?: BoundaryGrid | null;
}

export interface BoundaryOptions {
  /** Accessible name of the figure. */
  label: string;
  /** Size of the SVG coordinate system (it scales to the container). */
  size?: number;
}

export interface BoundaryRenderer {
  update(data: BoundaryData): void;
  /** A standalone SVG document of what is shown (heatmap embedded as an image). */
  toSvg(): string;
  destroy(): void;
}


/** Heat colour of one cell: the probability-weighted class colour, faded by uncertainty. */
function paint(probs: Float32Array, offset: number, classes: number, palette: [number, number, number][], out: Uint8ClampedArray, o: number) {
  let r = 0;
  let g = 0;
  let b = 0;
  let max = 0;
  for (let c = 0; c < classes; c++) {
    const p = probs[offset + c];
    const col = palette[c];
    r += p * col[0];
    g += p * col[1];
    b += p * col[2];
    if (p > max) max = p;
  }
  // Confidence 0 at the uniform guess, 1 when one class has all the mass.
  const conf = classes > 1 ? Math.max(0, Math.min(1, (max - 1 / classes) / (1 - 1 / classes))) : 1;
  // Keep the heatmap light so the points stay readable on it: at most 55 % of the class colour.
  const a = 0.55 * conf;
  out[o] = 255 + (r - 255) * a;
  out[o + 1] = 255 + (g - 255) * a;
  out[o + 2] = 255 + (b - 255) * a;
  out[o + 3] = 255;
}

export function create(el: HTMLElement, options: BoundaryOptions): BoundaryRenderer {
  const size = options.size ?? 300;
  let extent: [number, number] = [-1.6, 1.6];
  let train: PointsData | null = null;
  let test: PointsData | null = null;
  let showTest = false;
  let boundary: BoundaryGrid | null = null;

  const wrap = document.createElement('div');
  wrap.className = 'boundary';
  const canvas = document.createElement('canvas');
  canvas.className = 'boundary__heat';
  canvas.width = 1;
  canvas.height = 1;
  canvas.setAttribute('aria-hidden', 'true');
  const svg = select(wrap)
    .append('svg')
    .attr('class', 'boundary__svg')
    .attr('viewBox', `0 0 ${size} ${size}`)
    .attr('role', 'img')
    .attr('aria-label', options.label);
  const frame = svg.append('rect').attr('class', 'boundary__frame').attr('width', size).attr('height', size).attr('fill', 'none');
  const axes = svg.append('g').attr('class', 'boundary__axes').attr('aria-hidden', 'true');
  const gTrain = svg.append('g').attr('class', 'boundary__train');
  const gTest = svg.append('g').attr('class', 'boundary__test');
  wrap.prepend(canvas);
  el.replaceChildren(wrap);
  void frame;

  const x = scaleLinear().range([0, size]);
  const y = scaleLinear().range([size, 0]);

  function drawAxes() {
    axes.selectAll('*').remove();
    if (extent[0] < 0 && extent[1] > 0) {
      axes.append('line').attr('x1', x(0)).attr('x2', x(0)).attr('y1', 0).attr('y2', size);
      axes.append('line').attr('x1', 0).attr('x2', size).attr('y1', y(0)).attr('y2', y(0));
    }
  }

  function drawPoints(g: typeof gTrain, data: PointsData | null, kind: 'train' | 'test') {
    // One path per class, its points as circles in the path data: a circle each made the training
    // set hundreds of elements to style, lay out and paint in the widget's first frames (client
    // drift drew 334 elements per picture, 1,138 in its figure), and in every redraw. The path's
    // data-points says how many it holds.
    const dots = Array.from({ length: data ? data.labels.length : 0 }, (_, i) => ({ x: x(data!.xy[2 * i]), y: y(data!.xy[2 * i + 1]), group: data!.labels[i] }));
    g.node()!.innerHTML = [...circlesByGroup(dots, kind === 'test' ? 3.2 : 2.8)]
      .map(([c, { d, n }]) => `<path class="boundary__pt boundary__pt--${kind}" data-points="${n}" fill="${classColor(c)}" d="${d}"></path>`)
      .join('');
  }

  function drawHeat() {
    if (!boundary) {
      // Cleared at its size: a canvas whose pixel size changes is laid out again, with the whole
      // page around it (the federated playground clears its clients' maps at every round).
      canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
      return;
    }
    const { grid, classes, probs } = boundary;
    if (canvas.width !== grid || canvas.height !== grid) {
      canvas.width = grid;
      canvas.height = grid;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(grid, grid);
    const palette = Array.from({ length: classes }, (_, c) => rgb(classColor(c)));
    for (let cell = 0; cell < grid * grid; cell++) paint(probs, cell * classes, classes, palette, img.data, cell * 4);
    ctx.putImageData(img, 0, 0);
  }

  /** The heatmap upscaled with smoothing, as on screen, as an SVG image (white where none yet). */
  function heatmapImage(): SVGImageElement {
    const big = document.createElement('canvas');
    big.width = size * 2;
    big.height = size * 2;
    const ctx = big.getContext('2d');
    if (ctx) {
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, big.width, big.height);
      if (boundary) {
        ctx.imageSmoothingEnabled = true;
        ctx.imageSmoothingQuality = 'high';
        ctx.drawImage(canvas, 0, 0, big.width, big.height);
      }
    }
    const image = document.createElementNS(SVG_NS, 'image');
    image.setAttribute('href', big.toDataURL('image/png'));
    image.setAttribute('width', String(size));
    image.setAttribute('height', String(size));
    return image;
  }

  /** Axes and points, drawn in a task of their own through the page's draw queue (see `update`). */
  const points = throttled(
    () => {
      drawAxes();
      drawPoints(gTrain, train, 'train');
      drawPoints(gTest, showTest ? test : null, 'test');
    },
    0,
    el,
  );

  return {
    update(data) {
      let pointsDirty = false;
      if (data.extent && (data.extent[0] !== extent[0] || data.extent[1] !== extent[1])) {
        extent = data.extent;
        pointsDirty = true;
      }
      x.domain(extent);
      y.domain(extent);
      if (data.train !== undefined) {
        train = data.train;
        pointsDirty = true;
      }
      if (data.test !== undefined) test = data.test;
      if (data.showTest !== undefined && data.showTest !== showTest) showTest = data.showTest;
      // A new data set is hundreds of points to parse, style and lay out. It arrives with the
      // run's first event, together with everything else a widget draws for a new run: on the
      // phone profile of the jank bench the central playground's handling of that one event was
      // a task of 80-100 ms. So the points go through the page's draw queue (plot-image.ts), in
      // a task of their own; the figure is aria-busy until they are drawn.
      if (pointsDirty || data.test !== undefined || data.showTest !== undefined) {
        points.schedule();
      }
      if (data.boundary !== undefined) {
        boundary = data.boundary;
        drawHeat();
      }
    },
    toSvg() {
      points.settle();
      // Colours the stylesheet gives on screen are written out, since a file has no stylesheet;
      // the heatmap (a canvas on screen) goes in as an embedded PNG under everything.
      return svgFile(svg.node()!, {
        width: size,
        height: size,
        plate: null,
        paint: [
          ['.boundary__pt', { 'paint-order': 'stroke' }],
          ['.boundary__pt--train', { stroke: '#ffffff', 'stroke-width': '1.6' }],
          ['.boundary__pt--test', { stroke: '#111111', 'stroke-width': '2.4' }],
          ['.boundary__axes line', { stroke: '#00000033' }],
          ['.boundary__frame', { stroke: '#999999' }],
        ],
        edit: (copy) => copy.insertBefore(heatmapImage(), copy.firstChild),
      });
    },
    destroy() {
      points.cancel();
      el.replaceChildren();
    },
  };
}
