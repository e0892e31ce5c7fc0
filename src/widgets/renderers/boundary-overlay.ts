/**
 * A decision boundary (heatmap and points, drawn by ./boundary.ts) with other models' boundaries
 * drawn over it as lines: e.g. every client's local boundary over the global model's. A line is
 * where a model's most likely class changes: for each class c, the zero contour of
 * p_c − max_{c'≠c} p_c' on the model's grid (marching squares, d3-contour). A model that gives
 * one class everywhere has no line at all, which is worth saying in the text beside it.
 *
 * Shape: `create(el, options) → { update(data), toSvg(), destroy() }`.
 */
import { contours, geoPath, geoTransform } from 'd3';
import { create as createBoundary, type BoundaryData } from './boundary';
import { serializeSvg, SVG_NS } from './svg-file';

export interface OverlayModel {
  /** Key for the line's data attribute (e.g. the client index). */
  key: string;
  color: string;
  /** SVG dash pattern, so lines differ by more than colour. */
  dash?: string;
  grid: number;
  classes: number;
  probs: Float32Array;
}

export interface BoundaryOverlayData extends BoundaryData {
  /** Boundaries drawn as lines over the heatmap (null or [] clears them). */
  overlays?: readonly OverlayModel[] | null;
}

export interface BoundaryOverlayOptions {
  label: string;
  size?: number;
}

export interface BoundaryOverlayRenderer {
  update(data: BoundaryOverlayData): void;
  toSvg(): string;
  destroy(): void;
}


/**
 * SVG path data of one model's class boundaries on a size×size square.
 *
 * Marching squares closes every region along the grid's edge, which would trace the frame in the
 * model's colour. The grid is therefore padded by one cell that repeats its edge, and the padded
 * ring is mapped just outside the square, where the SVG's viewport cuts it off.
 */
export function boundaryPath(m: OverlayModel, size: number): string {
  const g = m.grid;
  const gp = g + 2;
  const scale = size / g;
  const path = geoPath(
    geoTransform({
      point(this: { stream: { point(x: number, y: number): void } }, x: number, y: number) {
        this.stream.point((x - 1) * scale, (y - 1) * scale);
      },
    }),
  );
  const gen = contours().size([gp, gp]).thresholds([0]);
  // With two classes both margins give the same line; draw it once.
  const classes = m.classes === 2 ? [0] : Array.from({ length: m.classes }, (_, c) => c);
  const margin = new Float64Array(g * g);
  const values = new Float64Array(gp * gp);
  let d = '';
  for (const c of classes) {
    for (let i = 0; i < g * g; i++) {
      let other = -Infinity;
      for (let k = 0; k < m.classes; k++) if (k !== c) other = Math.max(other, m.probs[i * m.classes + k]);
      margin[i] = m.probs[i * m.classes + c] - other;
    }
    // d3-contour reads values row-major, x fastest, rows downwards: the engine's layout.
    for (let r = 0; r < gp; r++) {
      const rr = Math.min(g - 1, Math.max(0, r - 1));
      for (let col = 0; col < gp; col++) values[r * gp + col] = margin[rr * g + Math.min(g - 1, Math.max(0, col - 1))];
    }
    for (const shape of gen(values as unknown as number[])) d += path(shape) ?? '';
  }
  return d;
}

/** Writes an attribute only when its value changes (null removes it). */
function setIfChanged(el: Element, name: string, value: string | null) {
  if (el.getAttribute(name) === value) return;
  if (value === null) el.removeAttribute(name);
  else el.setAttribute(name, value);
}

export function create(el: HTMLElement, options: BoundaryOverlayOptions): BoundaryOverlayRenderer {
  const size = options.size ?? 300;
  const base = createBoundary(el, { label: options.label, size });
  const wrap = el.querySelector<HTMLElement>('.boundary')!;
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'boundary__overlay');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('aria-hidden', 'true');
  wrap.append(svg);

  return {
    update(data) {
      base.update(data);
      if (data.overlays === undefined) return;
      // A round moves the lines, not the clients: the paths of the last round are kept and only
      // what changed is written, so the browser re-lays out no element it need not.
      const models = data.overlays ?? [];
      while (svg.childElementCount > models.length) svg.lastElementChild!.remove();
      models.forEach((m, i) => {
        let p = svg.children[i] as SVGPathElement | undefined;
        if (!p) {
          p = document.createElementNS(SVG_NS, 'path');
          p.setAttribute('class', 'boundary__line');
          svg.append(p);
        }
        setIfChanged(p, 'd', boundaryPath(m, size));
        setIfChanged(p, 'stroke', m.color);
        setIfChanged(p, 'stroke-dasharray', m.dash || null);
        setIfChanged(p, 'data-key', m.key);
      });
    },
    toSvg() {
      // The base picture with the lines added on top, as one standalone document.
      const doc = new DOMParser().parseFromString(base.toSvg(), 'image/svg+xml');
      const root = doc.documentElement;
      for (const p of svg.querySelectorAll('path')) {
        const c = doc.importNode(p, true) as SVGPathElement;
        c.setAttribute('fill', 'none');
        c.setAttribute('stroke-width', '2');
        root.append(c);
      }
      return serializeSvg(root);
    },
    destroy() {
      svg.remove();
      base.destroy();
    },
  };
}
