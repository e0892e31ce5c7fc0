/**
 * One round of a poisoned federated run on a plane (the widget projects, this only draws): the
 * starting model w_t at the origin, each client's update as a point (honest: a filled circle;
 * malicious: a red square with a cross — shape, not only colour, tells them apart), and where each
 * aggregation rule's result lands (a diamond with the rule's name; the rule the run used is
 * drawn solid, the others hollow).
 *
 * Shape: `create(el, options) → { update(data), svg(), destroy() }`. Colours are attributes, so an
 * exported SVG looks like the page.
 */
import { scaleLinear, select } from 'd3';
import { fitSquare } from './square-window';
import { setText } from './outputs';
import { textWidth } from './format';

export interface RobustMapData {
  clients: ReadonlyArray<{ k: number; malicious: boolean; x: number; y: number; kept?: boolean }>;
  aggregates: ReadonlyArray<{ rule: string; label: string; x: number; y: number; used: boolean }>;
  xLabel: string;
  yLabel: string;
}

export const HONEST_COLOR = '#0072b2';
export const MALICIOUS_COLOR = '#c62828';
const AGG_COLOR = '#1d2127';

const W = 340;
const H = 300;
const M = { top: 10, right: 12, bottom: 30, left: 30 };

/** Where a label goes, relative to its diamond: the text's start (or end) and baseline, and the end of its leader line. */
interface LabelSpot {
  dx: number;
  dy: number;
  anchor: 'start' | 'end';
  moved: boolean;
  lineX: number;
  lineY: number;
}

/**
 * Places the rules' labels (10 px text) beside their diamonds, clear of one another and of every
 * marker. The robust rules often land within a few pixels of each other and of the honest
 * clients; labels set just above or below each diamond then covered each other and the points.
 * Top to bottom, each label goes right of its diamond (left near the right edge) and moves down as
 * little as it must to clear what is placed (up, if down runs out of the plot); a moved label
 * gets a leader line to its diamond.
 */
export function labelSpots(points: ReadonlyArray<{ x: number; y: number; width: number }>, markers: ReadonlyArray<{ x: number; y: number }>): LabelSpot[] {
  const LINE = 12;
  const R = 7;
  const taken = markers.map((m) => ({ left: m.x - R, right: m.x + R, top: m.y - R, bottom: m.y + R }));
  const out: LabelSpot[] = new Array(points.length);
  const order = points.map((_, i) => i).sort((a, b) => points[a].y - points[b].y);
  for (const i of order) {
    const p = points[i];
    const right = p.x + 9 + p.width <= W - M.right - 2;
    const left = right ? p.x + 9 : p.x - 9 - p.width;
    const clear = (top: number) => !taken.some((q) => left < q.right && q.left < left + p.width && top < q.bottom && q.top < top + LINE);
    const start = p.y - LINE / 2;
    let top = start;
    while (!clear(top) && top + LINE < H - M.bottom) top += 2;
    if (!clear(top)) for (top = start; !clear(top) && top > M.top; ) top -= 2;
    taken.push({ left, right: left + p.width, top, bottom: top + LINE });
    const dy = top + LINE / 2 - p.y;
    out[i] = { dx: right ? 9 : -9, dy: dy + 3.5, anchor: right ? 'start' : 'end', moved: Math.abs(dy) > 4, lineX: right ? 8 : -8, lineY: dy };
  }
  return out;
}

export function create(el: HTMLElement, options: { label: string }) {
  /** What each client's mark was last built to show. */
  const drawnLook = new WeakMap<Element, string>();
  const svg = select(el).append('svg').attr('class', 'robust-map').attr('viewBox', `0 0 ${W} ${H}`).attr('role', 'img').attr('aria-label', options.label);
  svg.append('rect').attr('x', M.left).attr('y', M.top).attr('width', W - M.left - M.right).attr('height', H - M.top - M.bottom).attr('fill', 'none').attr('stroke', '#8a94a3').attr('stroke-opacity', 0.5);
  const xLabel = svg.append('text').attr('class', 'robust-map__axis').attr('x', (M.left + W - M.right) / 2).attr('y', H - 8).attr('text-anchor', 'middle');
  const yLabel = svg.append('text').attr('class', 'robust-map__axis').attr('text-anchor', 'middle').attr('transform', `translate(12,${(M.top + H - M.bottom) / 2}) rotate(-90)`);
  const gAxes = svg.append('g');
  const gClients = svg.append('g');
  const gLeaders = svg.append('g');
  const gAggs = svg.append('g');
  const x = scaleLinear().range([M.left + 12, W - M.right - 12]);
  const y = scaleLinear().range([H - M.bottom - 12, M.top + 12]);

  /** The window holds the points and the origin (no update). */
  function fit(pts: ReadonlyArray<{ x: number; y: number }>) {
    const xs = [0, ...pts.map((p) => p.x)];
    const ys = [0, ...pts.map((p) => p.y)];
    fitSquare(x, y, xs, ys, W - M.left - M.right - 24, H - M.top - M.bottom - 24, 1.1);
  }

  return {
    update(d: RobustMapData) {
      fit([...d.clients, ...d.aggregates]);
      setText(xLabel.node()!, d.xLabel);
      setText(yLabel.node()!, d.yLabel);
      gAxes.selectAll('*').remove();
      gAxes.append('line').attr('x1', x(0)).attr('x2', x(0)).attr('y1', M.top).attr('y2', H - M.bottom).attr('stroke', '#8a94a3').attr('stroke-dasharray', '3,3');
      gAxes.append('line').attr('y1', y(0)).attr('y2', y(0)).attr('x1', M.left).attr('x2', W - M.right).attr('stroke', '#8a94a3').attr('stroke-dasharray', '3,3');
      gAxes.append('circle').attr('cx', x(0)).attr('cy', y(0)).attr('r', 5).attr('fill', 'none').attr('stroke', AGG_COLOR).attr('class', 'robust-map__ink').attr('stroke-width', 2);
      gAxes.append('text').attr('x', x(0) + 7).attr('y', y(0) + 14).attr('class', 'robust-map__tag').text('w_t');

      const clients = gClients
        .selectAll<SVGGElement, RobustMapData['clients'][number]>('g')
        .data(d.clients, (c) => String(c.k))
        .join((enter) => enter.append('g'))
        .attr('class', (c) => `robust-map__client${c.malicious ? ' is-malicious' : ''}`)
        .attr('data-client', (c) => c.k)
        .attr('transform', (c) => `translate(${x(c.x)},${y(c.y)})`);
      clients.each(function (c) {
        // A client's mark is built again only when what it shows changes (its kind, Krum's choice):
        // from round to round most move and keep their look.
        const look = `${c.k}:${c.malicious}:${c.kept}`;
        if (drawnLook.get(this) === look) return;
        drawnLook.set(this, look);
        const g = select(this);
        g.selectAll('*').remove();
        if (c.malicious) {
          g.append('rect').attr('x', -7).attr('y', -7).attr('width', 14).attr('height', 14).attr('fill', MALICIOUS_COLOR);
          g.append('path').attr('d', 'M-4,-4L4,4M-4,4L4,-4').attr('stroke', '#ffffff').attr('stroke-width', 1.6);
        } else {
          g.append('circle').attr('r', 7).attr('fill', HONEST_COLOR).attr('stroke', c.kept ? AGG_COLOR : '#ffffff').attr('stroke-width', c.kept ? 2.5 : 1);
          g.append('text').attr('dy', 3.5).attr('text-anchor', 'middle').attr('fill', '#ffffff').attr('font-size', 9).text(String(c.k + 1));
        }
      });

      const aggs = gAggs
        .selectAll<SVGGElement, RobustMapData['aggregates'][number]>('g')
        .data(d.aggregates, (a) => a.rule)
        .join((enter) => enter.append('g'))
        .attr('class', (a) => `robust-map__agg${a.used ? ' is-used' : ''}`)
        .attr('data-rule', (a) => a.rule)
        .attr('transform', (a) => `translate(${x(a.x)},${y(a.y)})`);
      const markers = [{ x: x(0), y: y(0) }, { x: x(0) + 14, y: y(0) + 10 }, ...[...d.clients, ...d.aggregates].map((p) => ({ x: x(p.x), y: y(p.y) }))];
      const spots = labelSpots(d.aggregates.map((a) => ({ x: x(a.x), y: y(a.y), width: textWidth(a.label) })), markers);
      const spot = (a: RobustMapData['aggregates'][number]) => spots[d.aggregates.indexOf(a)];
      // A label moved from its diamond is tied to its nearer tip by a thin line, under every
      // label (their halo then covers a line that crosses another label).
      gLeaders
        .selectAll('line')
        .data(d.aggregates.filter((a) => spot(a).moved))
        .join('line')
        .attr('x1', (a) => x(a.x))
        .attr('y1', (a) => y(a.y) + (spot(a).lineY > 0 ? 6 : -6))
        .attr('x2', (a) => x(a.x) + spot(a).lineX)
        .attr('y2', (a) => y(a.y) + spot(a).lineY)
        .attr('stroke', '#8a94a3');
      aggs.each(function (a) {
        // As the clients' marks: built again only when the diamond or its label changes.
        const s = spot(a);
        const look = `${a.used}:${a.label}:${s.dx}:${s.dy}:${s.anchor}`;
        if (drawnLook.get(this) === look) return;
        drawnLook.set(this, look);
        const g = select(this);
        g.selectAll('*').remove();
        g.append('path').attr('d', 'M0,-6L6,0L0,6L-6,0Z').attr('class', 'robust-map__ink').attr('fill', a.used ? AGG_COLOR : '#ffffff').attr('stroke', AGG_COLOR).attr('stroke-width', 1.5);
        g.append('text').attr('class', 'robust-map__tag').attr('x', s.dx).attr('y', s.dy).attr('text-anchor', s.anchor).attr('font-weight', a.used ? 700 : 400).text(a.label);
      });
    },
    svg: () => svg.node(),
    destroy() {
      svg.remove();
    },
  };
}
