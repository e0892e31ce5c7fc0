/**
 * What several Observable Plot charts of these widgets share, in Plot's own terms (scale options
 * and marks), so that a chart file states only what is particular to it:
 *
 * - `xAxis`, `yAxis`: the axis conventions (the x label at the right end, the y label on top,
 *   no arrows, y grid lines);
 * - `percent`: tick text of a share;
 * - `zeroRule`, `fromZero`, `steppedTop`: the faint baseline and a y domain from 0 to just above
 *   the data, or to a round value above it;
 * - `lineGlyph`, `topKey`: the key written in the top margin;
 * - `dotPaths`: many faint dots as a few paths;
 * - `framedChart`: a chart (plot-image.ts's `plotChart`) whose frame, its name, height and
 *   margins, is given once, so that drawing it states only its scales and marks;
 * - `overlaidChart`: a chart whose lines or points are a layer drawn over it by its scales, and
 *   changed in place while the rest stays.
 *
 * The draw queue and the chart entry point (`plotChart`) are in plot-image.ts.
 */
import * as Plot from '@observablehq/plot';
import { enqueueWarmUp, plotChart, type ChartRenderer, type PlotChartOptions } from './plot-image';
import { line, symbol, symbolCircle } from 'd3';
import { circlesByGroup, SVG_NS } from './svg-file';
import { textWidth } from './format';

/** Tick text of a share: 0.42 → "42%". */
export const percent = (v: number) => `${Math.round(v * 100)}%`;

/** A horizontal axis: its label at the right end, without an arrow. */
export function xAxis(label: string | null, options: Plot.ScaleOptions = {}): Plot.ScaleOptions {
  return { label, labelAnchor: 'right', labelArrow: 'none', ...options };
}

/** A vertical axis: its label on top, without an arrow, with grid lines. */
export function yAxis(label: string | null, options: Plot.ScaleOptions = {}): Plot.ScaleOptions {
  return { label, labelArrow: 'none', grid: true, ...options };
}

/** The faint rule at y = 0 under line charts. */
export const zeroRule = () => Plot.ruleY([0], { stroke: 'currentColor', strokeOpacity: 0.3 });

/** A y domain from 0 to `pad` times the largest value (0 to 1 when there is none yet). */
export const fromZero = (top: number, pad = 1.05): [number, number] => [0, top > 0 ? top * pad : 1];

/** The round tops of `steppedTop`, per power of ten: each at most 1.5 times the one before. */
const ROUND_TOPS = [1, 1.5, 2, 3, 4, 5, 6, 8, 10];

/**
 * A y domain from 0 to the first round value (1, 1.5, 2, 3, 4, 5, 6 or 8 times a power of ten) at
 * or above `top * pad`. For a quantity that climbs through a run (an attack's PSNR, the bytes sent
 * so far) the axis then moves up in a few steps instead of at every new maximum, and a step that
 * keeps the axis changes only the lines (a chart whose top followed each new maximum was drawn
 * whole at every step of the gradient-inversion attack, 30-50 ms of script each on the phone
 * profile). The line fills at least two thirds of the height (the ratio between round tops).
 */
export function steppedTop(top: number, pad = 1.05): [number, number] {
  const want = top * pad;
  if (!(want > 0) || !Number.isFinite(want)) return [0, 1];
  const power = 10 ** Math.floor(Math.log10(want));
  // toPrecision: 3 × 0.1 is 0.30000000000000004, and the comparison forgives the same rounding.
  const round = ROUND_TOPS.map((m) => Number((m * power).toPrecision(12))).find((t) => t >= want * (1 - 1e-12));
  return [0, round ?? 10 * power];
}

/** The key's picture of a line: solid or dashed. */
export const lineGlyph = (dashed?: boolean) => (dashed ? '╍╍' : '━━');

export interface KeyEntry {
  label: string;
  color: string;
  /** The entry's picture, e.g. `lineGlyph(dashed)`, or '██' for a band. */
  glyph: string;
  /** Draw the glyph as faint as the band it stands for. */
  faint?: boolean;
}

/** Height of one row of the key (`topKey`): a chart's top margin grows by this for each row after the first. */
export const KEY_ROW = 14;

/** An entry's width in px, estimated: its label, the glyph and the gaps. */
const entryWidth = (k: KeyEntry) => textWidth(k.label) + 3 + 22 + 10;

/**
 * The key, right-aligned in the top margin, one entry after another from the right, so it never
 * covers a curve and goes with the chart into an exported file. The glyph carries the colour and
 * line style (colour is never the only cue); the words stay in the text colour, which keeps their
 * contrast in both themes. Entries that do not fit in `room` px (the frame's width, for a narrow
 * phone) go on in rows above, in reading order; `rows` says how many, and the chart's top margin
 * must grow by KEY_ROW px for each row after the first.
 */
export function topKey(entries: readonly KeyEntry[], room = Infinity): { marks: Plot.Markish[]; rows: number } {
  const rows: KeyEntry[][] = [];
  let used = 0;
  for (const k of entries) {
    const w = entryWidth(k);
    if (rows.length === 0 || (used > 0 && used + w > room)) {
      rows.push([]);
      used = 0;
    }
    rows.at(-1)!.push(k);
    used += w;
  }
  const marks: Plot.Markish[] = [];
  rows.forEach((row, r) => {
    const dy = -KEY_ROW * (rows.length - r);
    let offset = 0;
    for (const k of [...row].reverse()) {
      const glyphDx = -(offset + textWidth(k.label) + 3);
      marks.push(
        Plot.text([k.label], { frameAnchor: 'top-right', dx: -offset, dy, fill: 'currentColor', textAnchor: 'end', fontWeight: 700 }),
        Plot.text([k.glyph], { frameAnchor: 'top-right', dx: glyphDx, dy, fill: k.color, fillOpacity: k.faint ? 0.35 : undefined, textAnchor: 'end' }),
      );
      offset += entryWidth(k);
    }
  });
  return { marks, rows: rows.length };
}

/**
 * Many small dots drawn as one SVG path per `group` instead of one <circle> each (a Plot render
 * function, for a chart whose x and y scales are set by its other marks or domains): 1,200
 * circles took a task of 140 ms to draw, and another to lay out, on the jank bench's phone
 * profile. Faint dots of one group do not darken where they overlap; of different groups, they do.
 */
export function dotPaths(
  dots: readonly { x: number; y: number; group: number }[],
  style: { r: number; fill: string; fillOpacity: number },
): Plot.RenderFunction {
  return (_index, scales) => {
    const arcs = circlesByGroup(
      dots.map((d) => ({ x: scales.x!(d.x) as number, y: scales.y!(d.y) as number, group: d.group })),
      style.r,
    );
    const g = document.createElementNS(SVG_NS, 'g');
    for (const { d } of arcs.values()) {
      const path = document.createElementNS(SVG_NS, 'path');
      path.setAttribute('d', d);
      path.setAttribute('fill', style.fill);
      path.setAttribute('fill-opacity', String(style.fillOpacity));
      g.append(path);
    }
    return g;
  };
}

/** A chart's accessible name, height and margins (Plot's option names). */
export interface ChartFrame extends Pick<Plot.PlotOptions, 'height' | 'marginTop' | 'marginLeft' | 'marginRight' | 'marginBottom'> {
  label: string;
}

/**
 * A Plot chart in a fixed frame: `spec(data, width)` gives its scales and marks (and a height,
 * where that depends on the data); the frame and the width give the rest of Plot.plot's options.
 */
export function framedChart<D>(
  el: HTMLElement,
  options: PlotChartOptions<D> & ChartFrame,
  spec: (data: D, width: number) => Plot.PlotOptions,
  overlay?: Overlay<D>,
): ChartRenderer<D> {
  const { label, height, marginTop, marginLeft, marginRight, marginBottom } = options;
  const frame = { height, marginTop, marginLeft, marginRight, marginBottom, ariaLabel: label };
  const render = (data: D, width: number) => Plot.plot({ width, ...frame, ...spec(data, width) });
  return overlay ? overlaidChart(el, options, render, overlay) : plotChart(el, options, render);
}

/** A path of an overlay: its SVG attributes ('d' among them). */
export type LayerPath = Record<string, string>;

/** A line of an overlay (`linePaths`). */
export interface LayerLine {
  points: readonly { x: number; y: number }[];
  color: string;
  /** Stroke width (default 2). */
  width?: number;
  /** SVG dash pattern, e.g. '5,3'. */
  dash?: string;
  /** A dot of this radius at the line's last point (where a run stopped). */
  endDot?: number;
}

/** Lines as Plot's line mark draws them (round joins and caps), by the chart's scales `x` and `y`. */
export function linePaths(lines: readonly LayerLine[], x: (v: number) => number, y: (v: number) => number): LayerPath[] {
  const draw = line<{ x: number; y: number }>((p) => x(p.x), (p) => y(p.y)).digits(3);
  return lines.flatMap((l): LayerPath[] => {
    if (l.points.length === 0) return [];
    const style: LayerPath = { fill: 'none', stroke: l.color, 'stroke-width': String(l.width ?? 2), 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'stroke-miterlimit': '1' };
    const path = { ...style, ...(l.dash ? { 'stroke-dasharray': l.dash } : {}), d: draw(l.points) ?? '' };
    const last = l.points[l.points.length - 1];
    const dot = l.endDot ? [{ d: symbol(symbolCircle, Math.PI * l.endDot ** 2).digits(3)() ?? '', transform: `translate(${x(last.x)},${y(last.y)})`, fill: l.color }] : [];
    return [path, ...dot];
  });
}

/**
 * The part of a chart that changes at every round (its lines, its points), drawn over the Plot
 * chart by the chart's x and y scales as one group, the SVG's last child. While the rest of the
 * chart stays as it is (the same `frameKey`), new data changes the group in place instead of
 * drawing the chart again (plot-image.ts's `patch`): on the phone profile of the jank bench a
 * draw of a whole chart took 35-70 ms of script, and each one longer than a frame lost frames.
 */
export interface Overlay<D> {
  /** All the chart shows but the layer, as text: the same text, the same chart under the layer. */
  frameKey(data: D, width: number): string;
  /** Attributes every path of the layer shares (set on its group), if any. */
  group?: Record<string, string>;
  /** Clip the layer to the chart's frame (as Plot's `clip: true`): a line that leaves the axes ends at their edge. */
  clip?: boolean;
  /** The layer's paths for `data`, placed by the chart's scales, in the order they are drawn. */
  paths(data: D, x: (v: number) => number, y: (v: number) => number): LayerPath[];
}

let clips = 0;
/** Puts a clip path of the frame whose x and y ranges are given in `svg`'s defs, with the id `id`. */
function frameClip(svg: SVGSVGElement, id: string, xs: number[], ys: number[]): void {
  const clip = document.createElementNS(SVG_NS, 'clipPath');
  const rect = document.createElementNS(SVG_NS, 'rect');
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  for (const [k, v] of Object.entries({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 })) rect.setAttribute(k, String(v));
  clip.id = id;
  clip.append(rect);
  const defs = document.createElementNS(SVG_NS, 'defs');
  defs.append(clip);
  svg.append(defs);
}

/**
 * Brings `chart`'s layer (a Plot chart with x and y scales) to `paths`, in order: paths already
 * drawn as wanted stay, others go in where a draw of all would put them, the rest are removed.
 * False when `chart` is not a Plot chart with both scales.
 */
function drawLayer<D>(chart: Element, data: D, overlay: Overlay<D>, clipId: string): boolean {
  const svg = chart instanceof SVGSVGElement ? chart : chart.querySelector('svg');
  const scale = (chart as Partial<Plot.Plot>).scale;
  const [sx, sy] = [scale?.call(chart, 'x')?.apply, scale?.call(chart, 'y')?.apply];
  if (!svg || !sx || !sy) return false;
  let group = svg.querySelector<SVGGElement>(':scope > g[data-layer]');
  if (!group) {
    group = document.createElementNS(SVG_NS, 'g');
    group.dataset.layer = '';
    for (const [k, v] of Object.entries(overlay.group ?? {})) group.setAttribute(k, v);
    // As Plot's own marks: half a pixel off on a screen of one device pixel per CSS pixel.
    if (!(window.devicePixelRatio > 1)) group.setAttribute('transform', 'translate(0.5,0.5)');
    if (overlay.clip) {
      frameClip(svg, clipId, scale!.call(chart, 'x')!.range as number[], scale!.call(chart, 'y')!.range as number[]);
      group.setAttribute('clip-path', `url(#${clipId})`);
    }
    svg.append(group);
  }
  const want = overlay.paths(data, (v) => sx(v) as number, (v) => sy(v) as number);
  const drawn = (el: Element | undefined, w: LayerPath) => !!el && el.attributes.length === Object.keys(w).length && Object.entries(w).every(([k, v]) => el.getAttribute(k) === v);
  want.forEach((w, i) => {
    const at = group.children[i];
    if (drawn(at, w)) return;
    const path = document.createElementNS(SVG_NS, 'path');
    for (const [k, v] of Object.entries(w)) path.setAttribute(k, v);
    group.insertBefore(path, at ?? null);
  });
  while (group.children.length > want.length) group.lastElementChild!.remove();
  return true;
}

/** A Plot chart (`render`) with an overlay: drawn whole when its frame changes, else the layer alone. */
export function overlaidChart<D>(el: HTMLElement, options: PlotChartOptions<D>, render: (data: D, width: number) => Element, overlay: Overlay<D>): ChartRenderer<D> {
  /** The frameKey of the chart on screen. */
  let shown = '';
  // One clip id for every draw of this chart (one of them is on the page at a time): a chart drawn
  // again the same is the same SVG, which the page keeps (plotChart).
  const clipId = `layer-clip-${++clips}`;
  const patch = (picture: Element, data: D, width: number) => overlay.frameKey(data, width) === shown && drawLayer(picture, data, overlay, clipId);
  return plotChart<D>(el, { ...options, patch }, (data, width) => {
    const chart = render(data, width);
    drawLayer(chart, data, overlay, clipId);
    shown = overlay.frameKey(data, width);
    return chart;
  });
}

/**
 * A page's first Plot chart costs far more than its later ones: V8 compiles the Plot code a chart
 * runs the first time it runs. On the phone profile of the jank bench the federated playground's
 * first chart took one task of about 100 ms (its later redraws under 40 ms), and the reproduction
 * page's 108–123 ms. So, as soon as this module is loaded (a widget with charts is about to
 * mount), small throwaway charts go first in the draw queue: an empty plot, a rule, one axis, both
 * axes, then lines, the key's text, dots, areas and links, then bars. Each is drawn into nothing,
 * in a task of its own; the widget's own first charts come after them and find the code compiled.
 * The steps are small because each compiles what it runs first: when a rule with its axis came
 * first and the key came with the lines, those two steps took 39-52 and 28-46 ms of the main
 * thread on the attacks chapter (phone profile, three runs); split as here, no step took over 38.
 */
const WARM_DATA = [
  { x: 0, y: 0.2, z: 'a' },
  { x: 1, y: 0.8, z: 'b' },
];
const warmFrame = { width: 200, height: 100, ariaLabel: 'warm-up', x: xAxis('x', { domain: [0, 1] }), y: yAxis('y', { domain: [0, 1], tickFormat: percent }) };
const WARM_STEPS: (() => Plot.PlotOptions)[] = [
  () => ({ width: 200, height: 100, y: { axis: null }, marks: [] }),
  () => ({ width: 200, height: 100, y: { domain: [0, 1], axis: null }, marks: [Plot.ruleY([0])] }),
  () => ({ width: 200, height: 100, marks: [Plot.ruleY([0])] }),
  () => ({ ...warmFrame, y: { domain: [0, 1], axis: null }, marks: [] }),
  () => ({ ...warmFrame, marks: [] }),
  () => ({
    ...warmFrame,
    marks: [zeroRule(), Plot.line(WARM_DATA, { x: 'x', y: 'y', z: 'z', stroke: 'z', strokeDasharray: '5,3' })],
  }),
  () => ({ ...warmFrame, marks: topKey([{ label: '가', color: 'red', glyph: lineGlyph() }]).marks }),
  () => ({
    ...warmFrame,
    marks: [Plot.dot(WARM_DATA, { x: 'x', y: 'y', fill: 'z' }), Plot.areaY(WARM_DATA, { x: 'x', y1: 0, y2: 'y' }), Plot.link(WARM_DATA, { x1: 0, y1: 0, x2: 'x', y2: 'y' }), Plot.ruleX([0.5])],
  }),
  () => ({ width: 200, height: 100, marks: [Plot.barX(WARM_DATA, Plot.stackX({ x: 'y', y: 'z', fill: 'z' })), Plot.tickX(WARM_DATA, { x: 'x', y: 'z' })] }),
];
if (typeof document !== 'undefined') for (const step of WARM_STEPS) enqueueWarmUp(() => void Plot.plot(step()));
