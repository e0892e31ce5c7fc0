/**
 * The weight-space map: every model of a federated run as a point on a plane (the widget projects
 * the weight vectors; this renderer only draws). Per round: the previous global model w_t, the
 * clients' local models w_k (area ∝ n_k) that started from it, the new global model w_{t+1} at
 * their weighted mean, spokes whose width is each client's coefficient, and the path the global
 * model has taken so far.
 *
 * Two phases per round: 'local' (the clients move out from w_t) and 'average' (the new global
 * model moves to the mean). Positions move smoothly between updates (refits shift the plane a
 * little every round); with `duration` 0 or prefers-reduced-motion they jump.
 *
 * Shape: `create(el, options) → { update(data), toSvg(), destroy() }`.
 */
import { easeCubicInOut, interrupt, scaleLinear, select, type Selection } from 'd3';
import { prefersReducedMotion } from '~/runtime/lazy';
import { svgFile } from './svg-file';
import { putText } from './outputs';
import { fitSquare } from './square-window';

export type XY = readonly [number, number];

export interface MapClient {
  /** Client index (0-based); its colour and label. */
  k: number;
  at: XY;
  /** n_k: the circle's area is proportional to it. */
  n: number;
  /** Aggregation coefficient c_k (spoke width). */
  c: number;
}

export interface WeightMapData {
  round: number;
  phase: 'local' | 'average';
  /** Global models w_0 … w_t so far (w_t last). */
  path: readonly XY[];
  /** w_{t+1}, drawn in the 'average' phase. */
  next: XY | null;
  clients: readonly MapClient[];
  /** Local models of earlier rounds, drawn faintly (client index and position). */
  ghosts?: readonly { k: number; at: XY }[];
  /** Points the view must contain (the whole run, or only this round when zoomed). */
  frame: readonly XY[];
  /** Axis labels, e.g. "주성분 1 (분산의 62%)". */
  xLabel: string;
  yLabel: string;
  duration: number;
}

export interface WeightMapOptions {
  label: string;
}

export interface WeightMapRenderer {
  update(data: WeightMapData): void;
  toSvg(): string;
  destroy(): void;
}

/** Client colours: dark enough on white and dark backgrounds, distinct from each other. */
export const CLIENT_COLORS = ['#d55e00', '#0072b2', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#7f6a00', '#6a3d9a'] as const;
export const clientColor = (k: number) => CLIENT_COLORS[k % CLIENT_COLORS.length];

const W = 320;
const H = 300;
const M = { top: 10, right: 10, bottom: 30, left: 30 };
let instances = 0;

export function create(el: HTMLElement, options: WeightMapOptions): WeightMapRenderer {
  const svg = select(el).append('svg').attr('class', 'weight-map').attr('viewBox', `0 0 ${W} ${H}`).attr('role', 'img').attr('aria-label', options.label);
  svg.append('rect').attr('class', 'weight-map__frame').attr('x', M.left).attr('y', M.top).attr('width', W - M.left - M.right).attr('height', H - M.top - M.bottom);
  const xLabel = svg.append('text').attr('class', 'weight-map__axis').attr('x', (M.left + W - M.right) / 2).attr('y', H - 8);
  const yLabel = svg
    .append('text')
    .attr('class', 'weight-map__axis')
    .attr('transform', `translate(12,${(M.top + H - M.bottom) / 2}) rotate(-90)`);
  // Zoomed in, earlier rounds lie outside the window: clip them to the frame.
  const clipId = `weight-map-clip-${++instances}`;
  svg
    .append('clipPath')
    .attr('id', clipId)
    .append('rect')
    .attr('x', M.left)
    .attr('y', M.top)
    .attr('width', W - M.left - M.right)
    .attr('height', H - M.top - M.bottom);
  const plot = svg.append('g').attr('clip-path', `url(#${clipId})`);
  const gGhosts = plot.append('g').attr('class', 'weight-map__ghosts');
  const gPath = plot.append('g').attr('class', 'weight-map__path');
  const pathLine = gPath.append('path').attr('class', 'weight-map__trail');
  const gSpokes = plot.append('g').attr('class', 'weight-map__spokes');
  const gClients = plot.append('g').attr('class', 'weight-map__clients');
  const gGlobal = plot.append('g').attr('class', 'weight-map__global');
  const prevMark = gGlobal.append('g').attr('class', 'weight-map__prev');
  prevMark.append('circle').attr('r', 6);
  prevMark.append('text').attr('class', 'weight-map__tag').attr('x', 8).attr('y', -7);
  const nextMark = gGlobal.append('g').attr('class', 'weight-map__next').attr('opacity', 0);
  nextMark.append('path').attr('d', 'M0,-8L8,0L0,8L-8,0Z');
  nextMark.append('text').attr('class', 'weight-map__tag').attr('x', 10).attr('y', 12);

  const x = scaleLinear().range([M.left + 8, W - M.right - 8]);
  const y = scaleLinear().range([H - M.bottom - 8, M.top + 8]);

  /** A square data window around the frame points, so distances look the same both ways. */
  function fit(frame: readonly XY[]) {
    if (frame.length === 0) {
      x.domain([-1, 1]);
      y.domain([-1, 1]);
      return;
    }
    fitSquare(x, y, frame.map((p) => p[0]), frame.map((p) => p[1]), W - M.left - M.right - 16, H - M.top - M.bottom - 16, 1.08);
  }

  const px = (p: XY) => [x(p[0]), y(p[1])] as const;
  /** The selection itself, or a transition of it when there is time to animate. */
  type Movable = { attr(name: string, value: string | number | ((d: any) => string | number)): Movable };
  const move = (s: Selection<any, any, any, any>, ms: number): Movable =>
    (ms > 0 ? s.transition().duration(ms).ease(easeCubicInOut) : s) as unknown as Movable;

  function stop() {
    svg.selectAll<SVGElement, unknown>('*').each(function () {
      interrupt(this);
    });
  }

  return {
    update(d) {
      stop();
      const ms = d.duration > 0 && !prefersReducedMotion() ? d.duration : 0;
      fit(d.frame);
      putText(xLabel, d.xLabel);
      putText(yLabel, d.yLabel);
      const prev = d.path[d.path.length - 1] ?? ([0, 0] as XY);
      const [prevX, prevY] = px(prev);

      gGhosts
        .selectAll<SVGCircleElement, { k: number; at: XY }>('circle')
        .data(d.ghosts ?? [])
        .join('circle')
        .attr('r', 2)
        .attr('fill', (g) => clientColor(g.k))
        .attr('cx', (g) => px(g.at)[0])
        .attr('cy', (g) => px(g.at)[1]);

      // The path of the global model: w_0 … w_t, plus w_{t+1} once it is averaged.
      const trail = d.phase === 'average' && d.next ? [...d.path, d.next] : [...d.path];
      const line = trail.map((p) => px(p).join(',')).join('L');
      move(pathLine, ms).attr('d', trail.length ? `M${line}` : '');
      gPath
        .selectAll<SVGCircleElement, XY>('circle')
        .data(d.path)
        .join('circle')
        .attr('r', 2.2)
        .call((s) => move(s, ms).attr('cx', (p) => px(p)[0]).attr('cy', (p) => px(p)[1]));

      move(prevMark, ms).attr('transform', `translate(${prevX},${prevY})`);
      putText(prevMark.select('text'), `w${sub(d.round - 1)}`);

      const maxN = Math.max(1, ...d.clients.map((c) => c.n));
      const radius = (n: number) => 3 + 9 * Math.sqrt(n / maxN);
      const clients = gClients
        .selectAll<SVGGElement, MapClient>('g.weight-map__client')
        .data(d.clients, (c) => String(c.k))
        .join((enter) => {
          const g = enter.append('g').attr('class', 'weight-map__client').attr('transform', `translate(${prevX},${prevY})`);
          g.append('circle');
          g.append('text').attr('class', 'weight-map__client-label').attr('dy', 3.5);
          return g;
        });
      clients.select('circle').attr('r', (c) => radius(c.n)).attr('fill', (c) => clientColor(c.k));
      putText(clients.select('text'), (c) => String(c.k + 1));
      if (d.phase === 'local') {
        // Every client starts from the same w_t and walks off on its own data.
        clients.attr('transform', `translate(${prevX},${prevY})`);
      }
      move(clients, ms).attr('transform', (c) => `translate(${px(c.at)[0]},${px(c.at)[1]})`);

      const target = d.phase === 'average' && d.next ? d.next : prev;
      const [tx, ty] = px(target);
      const spokes = gSpokes
        .selectAll<SVGLineElement, MapClient>('line')
        .data(d.clients, (c) => String(c.k))
        .join('line')
        .attr('stroke', (c) => clientColor(c.k))
        .attr('stroke-width', (c) => (d.phase === 'average' ? 1 + 7 * c.c : 1))
        .classed('is-local', d.phase === 'local');
      spokes.attr('x2', prevX).attr('y2', prevY);
      if (d.phase === 'local') {
        // The spokes grow out of w_t together with the clients' points.
        spokes.attr('x1', prevX).attr('y1', prevY);
        move(spokes, ms)
          .attr('x1', (c) => px(c.at)[0])
          .attr('y1', (c) => px(c.at)[1]);
      } else {
        spokes.attr('x1', (c) => px(c.at)[0]).attr('y1', (c) => px(c.at)[1]);
        move(spokes, ms).attr('x2', tx).attr('y2', ty);
      }

      if (d.phase === 'average' && d.next) {
        putText(nextMark.attr('opacity', 1).select('text'), `w${sub(d.round)}`);
        nextMark.attr('transform', `translate(${prevX},${prevY})`);
        move(nextMark, ms).attr('transform', `translate(${tx},${ty})`);
      } else {
        nextMark.attr('opacity', 0);
      }
    },
    toSvg() {
      return svgFile(svg.node()!, {
        width: W,
        height: H,
        fontSize: 10,
        paint: [
          ['.weight-map__frame', { fill: 'none', stroke: '#d3d7dd' }],
          ['.weight-map__trail', { fill: 'none', stroke: '#1d2127', 'stroke-width': '1.5' }],
          ['.weight-map__path circle', { fill: '#1d2127' }],
          ['.weight-map__prev circle', { fill: '#ffffff', stroke: '#1d2127', 'stroke-width': '2' }],
          ['.weight-map__next path', { fill: '#1d2127' }],
          ['.weight-map__spokes line', { 'stroke-opacity': '0.6' }],
          ['.weight-map__ghosts circle', { 'fill-opacity': '0.25' }],
          ['.weight-map__client circle', { stroke: '#ffffff', 'stroke-width': '1' }],
          ['.weight-map__client-label', { fill: '#ffffff', 'text-anchor': 'middle', 'font-size': '9' }],
          ['.weight-map__axis', { fill: '#525a65', 'text-anchor': 'middle' }],
          ['.weight-map__tag', { fill: '#1d2127', 'font-weight': '700' }],
        ],
      });
    },
    destroy() {
      stop();
      svg.remove();
    },
  };
}

function sub(n: number): string {
  return String(Math.max(0, n)).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);
}
