/**
 * The pairwise masks as a graph (d3, SVG): clients on a circle, one edge per pair (one shared
 * mask). An edge between two clients that both sent their update cancels in the sum (grey); an
 * edge to a client that dropped out stays in the sum (red) unless the server rebuilt it from the
 * shares (green, dashed). With double masking, a ring around a client is its self-mask.
 * Colours are attributes, the light palette an exported SVG carries; on the page the classes
 * (renderers/privacy.css, secure-aggregation.css) repaint them in the reader's theme.
 *
 * Shape: `create(el, options) → { update(data), svg(), destroy() }`.
 */
import { pictureSvg } from '../renderers/picture';

export interface PairGraphOptions {
  label: string;
}

export type EdgeState = 'cancel' | 'stuck' | 'recovered' | 'gone';

export interface PairGraphData {
  n: number;
  /** dropped[i]: client i never sent its masked update. */
  dropped: boolean[];
  /** Recovery ran and succeeded. */
  recovered: boolean;
  /** Self-masks in use (double masking). */
  doubleMasking: boolean;
  /** The client whose masks are detailed elsewhere (0-based), highlighted. */
  focus: number;
}

export interface PairGraphRenderer {
  update(data: PairGraphData): void;
  svg(): SVGSVGElement | null;
  destroy(): void;
}

export const EDGE_COLORS: Record<EdgeState, string> = { cancel: '#8a94a3', stuck: '#c62828', recovered: '#0a7d3c', gone: '#d3d7dd' };

/** The state of the edge (mask) between clients i and j. */
export function edgeState(i: number, j: number, d: PairGraphData): EdgeState {
  const di = d.dropped[i];
  const dj = d.dropped[j];
  if (di && dj) return 'gone';
  if (!di && !dj) return 'cancel';
  return d.recovered ? 'recovered' : 'stuck';
}

export function create(el: HTMLElement, options: PairGraphOptions): PairGraphRenderer {
  const W = 320;
  const H = 300;
  const cx = W / 2;
  const cy = 150;
  const R = 105;
  const svg = pictureSvg(el, 'sa-graph', options.label, { width: W, height: H });
  const gEdges = svg.append('g');
  const gNodes = svg.append('g');
  const center = svg.append('g');
  center.append('rect').attr('class', 'sa-graph__server').attr('x', cx - 34).attr('y', cy - 16).attr('width', 68).attr('height', 32).attr('rx', 6).attr('fill', '#e3f3f0').attr('stroke', '#0a7d6c');
  center.append('text').attr('class', 'sa-graph__server-name').attr('x', cx).attr('y', cy + 5).attr('text-anchor', 'middle').attr('font-size', 13).attr('font-weight', 700).attr('fill', '#0a5c50').text('서버');

  const pos = (i: number, n: number) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return { x: cx + R * Math.cos(a), y: cy + R * Math.sin(a) };
  };

  function draw(d: PairGraphData) {
    const edges: { i: number; j: number; s: EdgeState }[] = [];
    for (let i = 0; i < d.n; i++) for (let j = i + 1; j < d.n; j++) edges.push({ i, j, s: edgeState(i, j, d) });
    gEdges
      .selectAll('line')
      .data(edges)
      .join('line')
      .attr('class', (e) => `sa-graph__edge is-${e.s}`)
      .attr('x1', (e) => pos(e.i, d.n).x)
      .attr('y1', (e) => pos(e.i, d.n).y)
      .attr('x2', (e) => pos(e.j, d.n).x)
      .attr('y2', (e) => pos(e.j, d.n).y)
      .attr('stroke', (e) => EDGE_COLORS[e.s])
      .attr('stroke-width', (e) => (e.s === 'stuck' || e.s === 'recovered' ? 3 : 1.6))
      .attr('stroke-dasharray', (e) => (e.s === 'recovered' ? '6,4' : e.s === 'gone' ? '2,3' : null));

    const nodes = gNodes
      .selectAll<SVGGElement, number>('g')
      .data(Array.from({ length: d.n }, (_, i) => i))
      .join((enter) => {
        const g = enter.append('g');
        g.append('circle').attr('class', 'sa-graph__ring').attr('r', 24).attr('fill', 'none');
        g.append('circle').attr('class', 'sa-graph__node').attr('r', 18);
        g.append('text').attr('class', 'sa-graph__name').attr('text-anchor', 'middle').attr('dy', '0.35em').attr('font-size', 13).attr('font-weight', 700);
        return g;
      })
      .attr('transform', (i) => `translate(${pos(i, d.n).x},${pos(i, d.n).y})`);
    nodes
      .select('.sa-graph__node')
      .classed('is-dropped', (i) => d.dropped[i])
      .classed('is-focus', (i) => !d.dropped[i] && i === d.focus)
      .attr('fill', (i) => (d.dropped[i] ? '#ffffff' : i === d.focus ? '#0072b2' : '#dbe8f5'))
      .attr('stroke', (i) => (d.dropped[i] ? '#8a94a3' : '#0072b2'))
      .attr('stroke-width', 2)
      .attr('stroke-dasharray', (i) => (d.dropped[i] ? '4,3' : null));
    nodes
      .select('text')
      .classed('is-dropped', (i) => d.dropped[i])
      .classed('is-focus', (i) => !d.dropped[i] && i === d.focus)
      .attr('fill', (i) => (d.dropped[i] ? '#525a65' : i === d.focus ? '#ffffff' : '#0b3a63'))
      .text((i) => (d.dropped[i] ? `✕${i + 1}` : String(i + 1)));
    nodes
      .select('.sa-graph__ring')
      .attr('display', (i) => (d.doubleMasking && !d.dropped[i] ? null : 'none'))
      .classed('is-recovered', d.recovered)
      .attr('stroke', d.recovered ? EDGE_COLORS.recovered : '#b54708')
      .attr('stroke-width', 2.5)
      .attr('stroke-dasharray', d.recovered ? '6,4' : null);
  }

  return {
    update: draw,
    svg: () => el.querySelector('svg'),
    destroy() {
      svg.remove();
    },
  };
}
