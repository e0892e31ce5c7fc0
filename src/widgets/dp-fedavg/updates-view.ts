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
 * Shape: `create(el, options) → { update(data), svg(), destroy() }`.
 */
import { wasClipped, type ClientArrow, type ServerStep } from '~/engine/privacy/dp-round';
import { picture, pictureSvg, type Picture } from '../renderers/picture';

export interface UpdatesViewOptions {
  label: string;
}

export interface UpdatesViewData {
  round: number;
  /** S; 0 = no clipping. */
  clip: number;
  clients: ClientArrow[];
  server: ServerStep | null;
}

export type UpdatesViewRenderer = Picture<UpdatesViewData>;

export const UPDATE_COLORS = { sent: '#0b5394', cut: '#e07b39', limit: '#525a65', mean: '#009e73', noise: '#c62828', applied: '#1d2127' } as const;

const fmt = (x: number) => (x >= 10 ? x.toFixed(1) : x >= 0.1 ? x.toFixed(2) : x.toFixed(3));

export function create(el: HTMLElement, options: UpdatesViewOptions): UpdatesViewRenderer {
  const W = 600;
  const H = 300;
  const cx = 150;
  const cy = 158;
  const R = 118;
  const svg = pictureSvg(el, 'dp-updates', options.label, { width: W, height: H });
  const defs = svg.append('defs');
  for (const [id, color] of [
    ['dp-head-sent', UPDATE_COLORS.sent],
    ['dp-head-cut', UPDATE_COLORS.cut],
  ] as const) {
    defs
      .append('marker')
      .attr('id', id)
      .attr('viewBox', '0 0 10 10')
      .attr('refX', 8)
      .attr('refY', 5)
      .attr('markerWidth', 6)
      .attr('markerHeight', 6)
      .attr('orient', 'auto-start-reverse')
      .append('path')
      .attr('d', 'M0,0 L10,5 L0,10 z')
      .attr('class', id === 'dp-head-sent' ? 'dp-updates__sent-head' : null)
      .attr('fill', color);
  }
  const left = svg.append('g');
  const right = svg.append('g').attr('transform', 'translate(320,0)');

  function draw(d: UpdatesViewData) {
    left.selectAll('*').remove();
    right.selectAll('*').remove();
    left.append('text').attr('class', 'ink-text').attr('x', 10).attr('y', 18).attr('font-size', 13).attr('font-weight', 700).attr('fill', '#1d2127').text(`라운드 ${d.round}: 클라이언트 변화량`);
    const maxNorm = Math.max(1e-9, ...d.clients.map((c) => c.norm), d.clip);
    const scale = R / maxNorm;
    if (d.clip > 0) {
      left
        .append('circle')
        .attr('class', 'dp-updates__limit')
        .attr('cx', cx)
        .attr('cy', cy)
        .attr('r', d.clip * scale)
        .attr('fill', '#0b5394')
        .attr('fill-opacity', 0.05)
        .attr('stroke', UPDATE_COLORS.limit)
        .attr('stroke-dasharray', '5,4');
      left
        .append('text')
        .attr('x', cx + d.clip * scale * Math.cos(-Math.PI / 4) + 4)
        .attr('y', cy + d.clip * scale * Math.sin(-Math.PI / 4) - 4)
        .attr('class', 'ink-muted')
        .attr('font-size', 11)
        .attr('fill', UPDATE_COLORS.limit)
        .text(`S = ${d.clip}`);
    }
    left.append('circle').attr('class', 'ink-text').attr('cx', cx).attr('cy', cy).attr('r', 2.5).attr('fill', UPDATE_COLORS.applied);
    for (const c of d.clients) {
      const ux = Math.cos(c.angle);
      const uy = -Math.sin(c.angle);
      if (wasClipped(c)) {
        left
          .append('line')
          .attr('x1', cx + ux * c.clipped * scale)
          .attr('y1', cy + uy * c.clipped * scale)
          .attr('x2', cx + ux * c.norm * scale)
          .attr('y2', cy + uy * c.norm * scale)
          .attr('stroke', UPDATE_COLORS.cut)
          .attr('stroke-width', 2)
          .attr('stroke-dasharray', '3,3')
          .attr('marker-end', 'url(#dp-head-cut)');
      }
      left
        .append('line')
        .attr('x1', cx)
        .attr('y1', cy)
        .attr('x2', cx + ux * c.clipped * scale)
        .attr('y2', cy + uy * c.clipped * scale)
        .attr('class', 'dp-updates__sent')
        .attr('stroke', UPDATE_COLORS.sent)
        .attr('stroke-width', 2.2)
        .attr('marker-end', 'url(#dp-head-sent)');
    }
    const cut = d.clients.filter(wasClipped).length;
    left
      .append('text')
      .attr('x', 10)
      .attr('y', H - 8)
      .attr('class', 'ink-muted')
      .attr('font-size', 11)
      .attr('fill', '#525a65')
      .text(d.clip > 0 ? `${d.clients.length}명 중 ${cut}명의 변화량이 S에서 잘렸습니다` : `클리핑 없음 (${d.clients.length}명)`);

    right.append('text').attr('class', 'ink-text').attr('x', 0).attr('y', 18).attr('font-size', 13).attr('font-weight', 700).attr('fill', '#1d2127').text('서버가 모델을 옮긴 거리');
    if (!d.server) return;
    const bars: [string, number, string, string | null][] = [
      ['클리핑한 변화량의 평균', d.server.mean, UPDATE_COLORS.mean, null],
      ['더한 노이즈', d.server.noise, UPDATE_COLORS.noise, 'dp-updates__noise'],
      ['실제로 옮긴 거리', d.server.applied, UPDATE_COLORS.applied, 'ink-text'],
    ];
    const maxBar = Math.max(1e-9, ...bars.map((b) => b[1]));
    const bw = 250;
    bars.forEach(([label, value, color, ink], i) => {
      const y = 48 + i * 70;
      right.append('text').attr('class', 'ink-text').attr('x', 0).attr('y', y).attr('font-size', 12).attr('fill', '#1d2127').text(label);
      right
        .append('rect')
        .attr('x', 0)
        .attr('y', y + 8)
        .attr('width', Math.max(1, (value / maxBar) * bw))
        .attr('height', 22)
        .attr('rx', 3)
        .attr('class', ink)
        .attr('fill', color);
      right
        .append('text')
        .attr('x', Math.max(1, (value / maxBar) * bw) + 6)
        .attr('y', y + 24)
        .attr('font-size', 12)
        .attr('font-weight', 700)
        .attr('class', 'ink-text')
        .attr('fill', '#1d2127')
        .text(fmt(value));
    });
    right.append('text').attr('class', 'ink-muted').attr('x', 0).attr('y', H - 8).attr('font-size', 11).attr('fill', '#525a65').text('길이는 모든 파라미터에 대한 L2 노름');
  }

  return picture(svg, draw);
}
