/**
 * The pairwise masks as a graph (d3, SVG): clients on a circle, one edge per pair (one shared
 * mask). An edge between two clients that both sent their update cancels in the sum (grey); an
 * edge to a client that dropped out stays in the sum (red) unless the server rebuilt it from the
 * shares (green, dashed). With double masking, a ring around a client is its self-mask.
 * Colours are attributes, the light palette an exported SVG carries; on the page the classes
 * (renderers/privacy.css, secure-aggregation.css) repaint them in the reader's theme.
 */
import type { SecAggResult, SecAggRound } from '~/engine/privacy/secure-aggregation';
import { picture, pictureSvg, put, type Picture } from '../renderers/picture';

export type EdgeState = 'cancel' | 'stuck' | 'recovered' | 'gone';

/** The round's clients and self-masks, who dropped out and whether recovery succeeded (the page passes the engine's round and result). */
export interface PairGraphData {
  round: Pick<SecAggRound, 'n' | 'doubleMasking'>;
  result: Pick<SecAggResult, 'dropped' | 'recovered'>;
  /** The client whose masks are detailed elsewhere (0-based), highlighted. */
  focus: number;
}

export const EDGE_COLORS: Record<EdgeState, string> = { cancel: '#8a94a3', stuck: '#c62828', recovered: '#0a7d3c', gone: '#d3d7dd' };

/** The state of the edge (mask) between clients i and j. */
export function edgeState(i: number, j: number, { result }: PairGraphData): EdgeState {
  const [a, b] = [result.dropped.includes(i), result.dropped.includes(j)];
  // Both sent: the mask cancels; both dropped: it is in nobody's update.
  if (a === b) return a ? 'gone' : 'cancel';
  return result.recovered ? 'recovered' : 'stuck';
}

/** The server's and the clients' names. */
const NAME = { 'text-anchor': 'middle', 'font-size': 13, 'font-weight': 700 };

export function create(el: HTMLElement, options: { label: string }): Picture<PairGraphData> {
  const W = 320;
  const H = 300;
  const cx = W / 2;
  const cy = 150;
  const R = 105;
  const svg = pictureSvg(el, 'sa-graph', options.label, { width: W, height: H });
  const gEdges = svg.append('g');
  const gNodes = svg.append('g');
  const center = svg.append('g');
  put(center, 'rect', { class: 'sa-graph__server', x: cx - 34, y: cy - 16, width: 68, height: 32, rx: 6, fill: '#e3f3f0', stroke: '#0a7d6c' });
  put(center, 'text', { ...NAME, class: 'sa-graph__server-name', x: cx, y: cy + 5, fill: '#0a5c50' }, '서버');

  const pos = (i: number, n: number) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return { x: cx + R * Math.cos(a), y: cy + R * Math.sin(a) };
  };

  function draw(d: PairGraphData) {
    const { n, doubleMasking } = d.round;
    const { recovered } = d.result;
    gEdges.selectAll('*').remove();
    gNodes.selectAll('*').remove();
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const s = edgeState(i, j, d);
        const [a, b] = [pos(i, n), pos(j, n)];
        const line = { stroke: EDGE_COLORS[s], 'stroke-width': s === 'stuck' || s === 'recovered' ? 3 : 1.6 };
        const dash = s === 'recovered' ? '6,4' : s === 'gone' ? '2,3' : null;
        put(gEdges, 'line', { ...line, class: `sa-graph__edge is-${s}`, x1: a.x, y1: a.y, x2: b.x, y2: b.y, 'stroke-dasharray': dash });
      }
    }
    for (let i = 0; i < n; i++) {
      const dropped = d.result.dropped.includes(i);
      const focus = !dropped && i === d.focus;
      const is = `${dropped ? ' is-dropped' : ''}${focus ? ' is-focus' : ''}`;
      const g = put(gNodes, 'g', { transform: `translate(${pos(i, n).x},${pos(i, n).y})` });
      const ring = { stroke: recovered ? EDGE_COLORS.recovered : '#b54708', 'stroke-width': 2.5, 'stroke-dasharray': recovered ? '6,4' : null };
      const shown = doubleMasking && !dropped;
      put(g, 'circle', { ...ring, class: `sa-graph__ring${recovered ? ' is-recovered' : ''}`, r: 24, fill: 'none', display: shown ? null : 'none' });
      const node = { stroke: dropped ? '#8a94a3' : '#0072b2', 'stroke-width': 2, 'stroke-dasharray': dropped ? '4,3' : null };
      put(g, 'circle', { ...node, class: `sa-graph__node${is}`, r: 18, fill: dropped ? '#ffffff' : focus ? '#0072b2' : '#dbe8f5' });
      const fill = dropped ? '#525a65' : focus ? '#ffffff' : '#0b3a63';
      put(g, 'text', { ...NAME, class: `sa-graph__name${is}`, dy: '0.35em', fill }, dropped ? `✕${i + 1}` : String(i + 1));
    }
  }

  return picture(svg, draw);
}
