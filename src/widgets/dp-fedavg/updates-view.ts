/**
 * One DP-FedAvg round as a picture (d3, SVG).
 *
 * Left: each participating client's update Δ_k as an arrow from the centre. Its length is the
 * true norm ‖Δ_k‖; its direction is the angle of Δ_k in a fixed random 2D projection of the
 * parameter space (only relative directions mean something). The dashed circle has radius S: the
 * part of an arrow beyond it is what clipping cut off (orange), the solid part is what was sent.
 *
 * Right: the server's step as three lengths: the mean of the clipped updates, the Gaussian noise
 * added to it, and the step actually taken (their sum).
 *
 * Colours are attributes, the light palette an exported SVG carries; on the page the classes
 * (renderers/privacy.css, dp-fedavg.css) repaint them in the reader's theme.
 */
import { wasClipped, type ClientArrow, type ServerStep } from '~/engine/privacy/dp-round';
import { picture, pictureSvg, put, type Picture } from '../renderers/picture';

export interface UpdatesViewData {
  round: number;
  /** S; 0 = no clipping. */
  clip: number;
  clients: ClientArrow[];
  server: ServerStep;
}

export const UPDATE_COLORS = { sent: '#0b5394', cut: '#e07b39', limit: '#525a65', mean: '#009e73', noise: '#c62828', applied: '#1d2127' } as const;

const fmt = (x: number) => (x >= 10 ? x.toFixed(1) : x >= 0.1 ? x.toFixed(2) : x.toFixed(3));

/** The two panels' titles, and their notes at the bottom. */
const TITLE = { class: 'ink-text', y: 18, 'font-size': 13, 'font-weight': 700, fill: '#1d2127' };
const NOTE = { class: 'ink-muted', 'font-size': 11, fill: '#525a65' };
/** The circle of radius S, the part of an update that was sent, and the part clipping cut off. */
const LIMIT = { class: 'dp-updates__limit', fill: '#0b5394', 'fill-opacity': 0.05, stroke: UPDATE_COLORS.limit, 'stroke-dasharray': '5,4' };
const SENT = { class: 'dp-updates__sent', stroke: UPDATE_COLORS.sent, 'stroke-width': 2.2, 'marker-end': 'url(#dp-head-sent)' };
const CUT = { stroke: UPDATE_COLORS.cut, 'stroke-width': 2, 'stroke-dasharray': '3,3', 'marker-end': 'url(#dp-head-cut)' };

export function create(el: HTMLElement, options: { label: string }): Picture<UpdatesViewData> {
  const W = 600;
  const H = 300;
  const cx = 150;
  const cy = 158;
  const R = 118;
  const svg = pictureSvg(el, 'dp-updates', options.label, { width: W, height: H });
  const defs = svg.append('defs');
  const arrowHead = { viewBox: '0 0 10 10', refX: 8, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' };
  for (const part of ['sent', 'cut'] as const) {
    const marker = put(defs, 'marker', { ...arrowHead, id: `dp-head-${part}` });
    put(marker, 'path', { d: 'M0,0 L10,5 L0,10 z', class: part === 'sent' ? 'dp-updates__sent-head' : null, fill: UPDATE_COLORS[part] });
  }
  const left = svg.append('g');
  const right = svg.append('g').attr('transform', 'translate(320,0)');

  function draw(d: UpdatesViewData) {
    left.selectAll('*').remove();
    right.selectAll('*').remove();
    put(left, 'text', { ...TITLE, x: 10 }, `라운드 ${d.round}: 클라이언트 변화량`);
    const maxNorm = Math.max(1e-9, ...d.clients.map((c) => c.norm), d.clip);
    const scale = R / maxNorm;
    if (d.clip > 0) {
      const r = d.clip * scale;
      put(left, 'circle', { ...LIMIT, cx, cy, r });
      const at = { x: cx + r * Math.cos(-Math.PI / 4) + 4, y: cy + r * Math.sin(-Math.PI / 4) - 4 };
      put(left, 'text', { ...at, class: 'ink-muted', 'font-size': 11, fill: UPDATE_COLORS.limit }, `S = ${d.clip}`);
    }
    put(left, 'circle', { class: 'ink-text', cx, cy, r: 2.5, fill: UPDATE_COLORS.applied });
    /** The point at length `len` along the arrow of `c`. */
    const along = (c: ClientArrow, len: number) => [cx + Math.cos(c.angle) * len * scale, cy - Math.sin(c.angle) * len * scale];
    for (const c of d.clients) {
      const [x1, y1] = along(c, c.clipped);
      if (wasClipped(c)) {
        const [x2, y2] = along(c, c.norm);
        put(left, 'line', { ...CUT, x1, y1, x2, y2 });
      }
      put(left, 'line', { ...SENT, x1: cx, y1: cy, x2: x1, y2: y1 });
    }
    const cut = d.clients.filter(wasClipped).length;
    put(left, 'text', { ...NOTE, x: 10, y: H - 8 }, d.clip > 0 ? `${d.clients.length}명 중 ${cut}명의 변화량이 S에서 잘렸습니다` : `클리핑 없음 (${d.clients.length}명)`);

    put(right, 'text', { ...TITLE, x: 0 }, '서버가 모델을 옮긴 거리');
    const bars: [string, number, string, string | null][] = [
      ['클리핑한 변화량의 평균', d.server.mean, UPDATE_COLORS.mean, null],
      ['더한 노이즈', d.server.noise, UPDATE_COLORS.noise, 'dp-updates__noise'],
      ['실제로 옮긴 거리', d.server.applied, UPDATE_COLORS.applied, 'ink-text'],
    ];
    const maxBar = Math.max(1e-9, ...bars.map((b) => b[1]));
    const bw = 250;
    bars.forEach(([label, value, color, ink], i) => {
      const y = 48 + i * 70;
      const width = Math.max(1, (value / maxBar) * bw);
      put(right, 'text', { class: 'ink-text', x: 0, y, 'font-size': 12, fill: '#1d2127' }, label);
      put(right, 'rect', { x: 0, y: y + 8, width, height: 22, rx: 3, class: ink, fill: color });
      put(right, 'text', { x: width + 6, y: y + 24, 'font-size': 12, 'font-weight': 700, class: 'ink-text', fill: '#1d2127' }, fmt(value));
    });
    put(right, 'text', { ...NOTE, x: 0, y: H - 8 }, '길이는 모든 매개변수에 대한 L2 노름');
  }

  // Redrawn from every round's averaging: at most one draw per 150 ms, like the charts.
  return picture(svg, draw, 150);
}
