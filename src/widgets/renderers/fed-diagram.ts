/**
 * One round of federated learning as a diagram: the server above, the K clients below, and the
 * round's four phases (McMahan et al. 2017): the global model goes down to the selected clients,
 * they train locally, their models come back up, and the server averages them.
 *
 * The engine computes a round in one go; the widget replays it phase by phase from the round's
 * events, and this renderer draws one phase at a time. Only models travel: the clients' data
 * never leaves their boxes, which is the point of the picture.
 *
 * A dropped client (one that never answers) gets the model in the first phase like the others,
 * then is marked "이탈" (dropped): no training bar, no packet back, its link dashed.
 *
 * Shape: `create(el, options) → { update(data), toSvg(), destroy() }`. With `duration` 0 or
 * prefers-reduced-motion the phase is drawn in its end state, without moving parts.
 *
 * Moving parts run on the compositor. The SVG always holds a phase's end state (what a download
 * saves); while a phase plays, the parts that move (the packets, the training bars) are hidden in
 * it and copies on an HTML layer above it move instead, by CSS transforms (Web Animations), then
 * give way to the SVG's own at their end. Blink cannot composite an animation of an element
 * inside an SVG: moved by d3 transitions, every frame restyled, laid out and repainted the whole
 * diagram, which kept a phone's main thread (Chrome's 4× CPU throttling) about three quarters
 * busy while the federated playground played and held it under 30 frames a second. The copies are
 * placed and sized in percentages of the diagram, and a packet moves by percentages of its own
 * size, so they follow the diagram's width without being measured.
 */
import { select } from 'd3';
import { prefersReducedMotion } from '~/runtime/lazy';
import { subscript } from './format';
import { svgFile, SVG_NS } from './svg-file';
import { putText } from './outputs';

export type Phase = 'idle' | 'broadcast' | 'train' | 'upload' | 'aggregate';

export interface DiagramData {
  /** K; changing it redraws the clients. */
  clients?: number;
  /** n_k of every client (shown under its box). */
  sizes?: readonly number[];
  /** The phase to draw now. */
  phase?: {
    round: number;
    phase: Phase;
    /** The clients taking part this round (S_t). */
    selected: readonly number[];
    /** Those of `selected` that never send their model back (dropouts). */
    dropped?: readonly number[];
    /** Milliseconds the phase takes on screen (0: draw its end state at once). */
    duration: number;
    /**
     * What happens in this phase, in one sentence. The page shows it as text beside the diagram
     * (legible on a phone); an exported SVG gets it under the clients.
     */
    note: string;
    /** Bytes of one model copy, for the link labels. */
    modelBytes?: number;
    /**
     * The server's rule, shown in its box during the aggregate phase, without the left-hand side
     * (the renderer writes `w_{t+1} =`). Default: FedAvg's weighted average.
     */
    rule?: string;
  };
}

export interface DiagramOptions {
  label: string;
}

export interface DiagramRenderer {
  update(data: DiagramData): void;
  toSvg(): string;
  destroy(): void;
}

const W = 360;
const SERVER = { x: 95, y: 6, w: 170, h: 50 };
const ROW_Y = 112;
const ROW_H = 62;
const PER_ROW = 8;
/** A packet's box, centred on where it is. */
const PACKET = { w: 18, h: 14 };
/** d3's easeCubicInOut as a CSS timing function. */
const CUBIC_IN_OUT = 'cubic-bezier(0.65, 0, 0.35, 1)';

export function create(el: HTMLElement, options: DiagramOptions): DiagramRenderer {
  let K = 0;
  let sizes: readonly number[] = [];
  let H = ROW_Y + ROW_H;

  const frame = select(el).append('div').attr('class', 'fed-diagram__frame');
  const svg = frame.append('svg').attr('class', 'fed-diagram').attr('role', 'img').attr('aria-label', options.label);
  /** The layer the moving copies run on (see the top of this file); nothing on it is read aloud. */
  const moving = frame.append('div').attr('class', 'fed-diagram__moving').attr('aria-hidden', 'true').node()!;
  let animations: Animation[] = [];
  const gLinks = svg.append('g').attr('class', 'fed-diagram__links');
  const gClients = svg.append('g').attr('class', 'fed-diagram__clients');
  const server = svg.append('g').attr('class', 'fed-diagram__server');
  server.append('rect').attr('class', 'fed-diagram__box fed-diagram__box--server').attr('x', SERVER.x).attr('y', SERVER.y).attr('width', SERVER.w).attr('height', SERVER.h).attr('rx', 7);
  const serverTitle = server.append('text').attr('class', 'fed-diagram__title').attr('x', W / 2).attr('y', SERVER.y + 18).text('중앙 서버');
  const serverModel = server.append('text').attr('class', 'fed-diagram__model').attr('x', W / 2).attr('y', SERVER.y + 36).text('글로벌 모델 w');
  let note = '';
  const gPackets = svg.append('g').attr('class', 'fed-diagram__packets');
  void serverTitle;
  // The viewBox of one row of clients from the start: without one, between the widget's mount and
  // its run's first event the SVG took the browser's default 150 px and the figure shrank by
  // 87 px (at 1280 px), then grew back when the clients came.
  layout();

  function layout() {
    const rows = Math.max(1, Math.ceil(K / PER_ROW));
    H = ROW_Y + rows * ROW_H;
    svg.attr('viewBox', `0 0 ${W} ${H}`);
  }

  /** Box of client k: rows of up to eight, each row centred. */
  function boxOf(k: number) {
    const rows = Math.max(1, Math.ceil(K / PER_ROW));
    const perRow = Math.ceil(K / rows);
    const row = Math.floor(k / perRow);
    const inRow = row === rows - 1 ? K - row * perRow : perRow;
    const col = k - row * perRow;
    const slot = (W - 8) / perRow;
    const w = Math.min(40, slot - 5);
    const x0 = (W - inRow * slot) / 2 + col * slot + (slot - w) / 2;
    return { x: x0, y: ROW_Y + row * ROW_H, w, h: 44 };
  }

  const anchorTop = (k: number) => {
    const b = boxOf(k);
    return [b.x + b.w / 2, b.y] as const;
  };
  const anchorServer = (k: number) => {
    // Links leave the server's lower edge spread out, so that packets of different clients part.
    const t = K > 1 ? k / (K - 1) : 0.5;
    return [SERVER.x + 18 + t * (SERVER.w - 36), SERVER.y + SERVER.h] as const;
  };

  function drawClients() {
    layout();
    const ks = Array.from({ length: K }, (_, k) => k);
    gLinks
      .selectAll<SVGLineElement, number>('line')
      .data(ks)
      .join('line')
      .attr('class', 'fed-diagram__link')
      .attr('x1', (k) => anchorServer(k)[0])
      .attr('y1', (k) => anchorServer(k)[1])
      .attr('x2', (k) => anchorTop(k)[0])
      .attr('y2', (k) => anchorTop(k)[1]);
    const g = gClients
      .selectAll<SVGGElement, number>('g.fed-diagram__client')
      .data(ks)
      .join((enter) => {
        const e = enter.append('g').attr('class', 'fed-diagram__client');
        e.append('rect').attr('class', 'fed-diagram__box').attr('rx', 5);
        e.append('text').attr('class', 'fed-diagram__client-label');
        // The client's data: a small stack that never moves.
        e.append('g').attr('class', 'fed-diagram__data');
        e.append('rect').attr('class', 'fed-diagram__progress-bg');
        e.append('rect').attr('class', 'fed-diagram__progress');
        e.append('text').attr('class', 'fed-diagram__n');
        e.append('text').attr('class', 'fed-diagram__dropped');
        return e;
      });
    g.each(function (k) {
      const b = boxOf(k);
      const node = select(this);
      node.select('rect.fed-diagram__box').attr('x', b.x).attr('y', b.y).attr('width', b.w).attr('height', b.h);
      putText(node.select('text.fed-diagram__client-label').attr('x', b.x + b.w / 2).attr('y', b.y + 12), String(k + 1));
      const data = node.select('g.fed-diagram__data');
      data.selectAll('*').remove();
      for (let i = 0; i < 3; i++) {
        data.append('rect').attr('x', b.x + b.w / 2 - 7).attr('y', b.y + 17 + i * 4).attr('width', 14).attr('height', 3).attr('rx', 1);
      }
      node.select('rect.fed-diagram__progress-bg').attr('x', b.x + 4).attr('y', b.y + b.h - 9).attr('width', b.w - 8).attr('height', 4);
      node.select('rect.fed-diagram__progress').attr('x', b.x + 4).attr('y', b.y + b.h - 9).attr('height', 4).attr('width', 0);
      node.select('text.fed-diagram__n').attr('x', b.x + b.w / 2).attr('y', b.y + b.h + 11).text(sizes[k] !== undefined ? `n=${sizes[k]}` : '');
      node.select('text.fed-diagram__dropped').attr('x', b.x + b.w / 2).attr('y', b.y + b.h - 12).text('');
    });
  }

  /** Ends every moving copy; the SVG shows its end state again. */
  function stopMotion() {
    for (const a of animations) a.cancel();
    animations = [];
    moving.replaceChildren();
    svg.selectAll('.is-moving').classed('is-moving', false);
    gPackets.selectAll('*').remove();
  }

  /**
   * Moves a copy of `part` (an element of the SVG, hidden meanwhile) on the moving layer: `copy`
   * is placed in percentages of the diagram, `keyframes` animate only its transform.
   */
  type Box = { x: number; y: number; w: number; h: number };
  function animateCopy(part: Element, copy: HTMLElement, box: Box, keyframes: Keyframe[], timing: KeyframeAnimationOptions) {
    Object.assign(copy.style, { left: `${(box.x / W) * 100}%`, top: `${(box.y / H) * 100}%`, width: `${(box.w / W) * 100}%`, height: `${(box.h / H) * 100}%` });
    moving.append(copy);
    part.classList.add('is-moving');
    const a = copy.animate(keyframes, { fill: 'both', ...timing });
    animations.push(a);
    a.onfinish = () => {
      part.classList.remove('is-moving');
      // Hidden now, taken off the layer with the others when the next phase starts: each removal
      // laid the whole page out again (3–6 ms on the phone profile of the jank bench for the
      // federated chapter), where hiding needs no layout.
      copy.style.visibility = 'hidden';
      animations = animations.filter((x) => x !== a);
    };
  }

  function drawPhase(p: NonNullable<DiagramData['phase']>) {
    stopMotion();
    const all = new Set(p.selected);
    // After the model went down, a dropped client is out of the round.
    const gone = new Set(p.phase === 'broadcast' ? [] : (p.dropped ?? []));
    const sel = new Set(p.selected.filter((k) => !gone.has(k)));
    const animate = p.duration > 0 && !prefersReducedMotion();
    const clients = gClients.selectAll<SVGGElement, number>('g.fed-diagram__client');
    clients
      .classed('is-selected', (k) => sel.has(k))
      .classed('is-dropped', (k) => gone.has(k))
      .classed('is-idle', (k) => !all.has(k) && p.phase !== 'idle');
    clients.select('text.fed-diagram__dropped').text((k) => (gone.has(k) ? '이탈' : ''));
    gLinks
      .selectAll<SVGLineElement, number>('line')
      .classed('is-active', (k) => sel.has(k) && (p.phase === 'broadcast' || p.phase === 'upload'))
      .classed('is-lost', (k) => gone.has(k) && p.phase === 'upload')
      .classed('is-down', p.phase === 'broadcast')
      .classed('is-up', p.phase === 'upload');
    server.classed('is-aggregating', p.phase === 'aggregate');
    note = p.note;
    putText(serverModel, p.phase === 'aggregate' ? `w${subscript(p.round)} = ${p.rule ?? 'Σ (n_k / m_t) · w_k'}` : p.round > 0 ? `글로벌 모델 w${subscript(p.round - 1)}` : '글로벌 모델 w₀');
    // A long rule (late rounds, FedSGD's weights) is squeezed into the server's box, not cut.
    serverModel.attr('textLength', null).attr('lengthAdjust', null);
    const fit = SERVER.w - 12;
    if (p.phase === 'aggregate' && (serverModel.node()?.getComputedTextLength() ?? 0) > fit) serverModel.attr('textLength', fit).attr('lengthAdjust', 'spacingAndGlyphs');

    const bars = gClients.selectAll<SVGGElement, number>('g.fed-diagram__client').select<SVGRectElement>('rect.fed-diagram__progress');
    const full = (k: number) => boxOf(k).w - 8;
    const trained = p.phase === 'train' || p.phase === 'upload' || p.phase === 'aggregate';
    bars.attr('width', (k) => (trained && sel.has(k) ? full(k) : 0));
    if (p.phase === 'train' && animate) {
      // Each selected client's bar fills over the phase, as a copy growing from its left end.
      bars
        .filter((k) => sel.has(k))
        .each(function (k) {
          const b = boxOf(k);
          const bar = document.createElement('div');
          bar.className = 'fed-diagram__bar';
          const box = { x: b.x + 4, y: b.y + b.h - 9, w: full(k), h: 4 };
          animateCopy(this, bar, box, [{ transform: 'scaleX(0)' }, { transform: 'scaleX(1)' }], { duration: p.duration * 0.9, easing: 'linear' });
        });
    }

    if (p.phase === 'broadcast' || p.phase === 'upload') {
      const down = p.phase === 'broadcast';
      const packets = gPackets
        .selectAll<SVGGElement, number>('g')
        .data([...sel])
        .join((enter) => {
          const e = enter.append('g').attr('class', 'fed-diagram__packet');
          e.append('rect').attr('x', -PACKET.w / 2).attr('y', -PACKET.h / 2).attr('width', PACKET.w).attr('height', PACKET.h).attr('rx', 3);
          e.append('text').attr('y', 3.5);
          return e;
        });
      packets.classed('is-up', !down);
      packets.select('text').text(down ? 'w' : (k) => `w${subscript(k + 1)}`);
      const from = (k: number) => (down ? anchorServer(k) : anchorTop(k));
      const to = (k: number) => (down ? anchorTop(k) : anchorServer(k));
      // The end state: each packet at its destination.
      packets.attr('transform', (k) => `translate(${to(k)[0]},${to(k)[1]})`);
      if (animate) {
        const stagger = Math.min(60, p.duration / (4 * Math.max(1, sel.size)));
        packets.each(function (k, i) {
          const [[x0, y0], [x1, y1]] = [from(k), to(k)];
          // A standalone copy of the packet's picture, moved from its start by its own size's percentages.
          const copy = document.createElement('div');
          copy.className = `fed-diagram__flying${down ? '' : ' is-up'}`;
          const pic = this.cloneNode(true) as SVGGElement;
          pic.removeAttribute('transform');
          const own = document.createElementNS(SVG_NS, 'svg');
          own.setAttribute('viewBox', `${-PACKET.w / 2} ${-PACKET.h / 2} ${PACKET.w} ${PACKET.h}`);
          own.append(pic);
          copy.append(own);
          const shift = `translate(${((x1 - x0) / PACKET.w) * 100}%, ${((y1 - y0) / PACKET.h) * 100}%)`;
          const box = { x: x0 - PACKET.w / 2, y: y0 - PACKET.h / 2, ...PACKET };
          const timing = { duration: p.duration * 0.7, delay: i * stagger, easing: CUBIC_IN_OUT };
          animateCopy(this, copy, box, [{ transform: 'translate(0, 0)' }, { transform: shift }], timing);
        });
      }
    }
  }

  return {
    update(data) {
      if (data.sizes !== undefined) sizes = data.sizes;
      if ((data.clients !== undefined && data.clients !== K) || data.sizes !== undefined) {
        if (data.clients !== undefined) K = Math.max(1, data.clients);
        stopMotion();
        drawClients();
      }
      if (data.phase) drawPhase(data.phase);
    },
    toSvg() {
      return svgFile(svg.node()!, {
        width: W,
        height: H + 20,
        fontSize: 10,
        paint: [
          ['rect.fed-diagram__box', { fill: '#f1f2f4', stroke: '#888888' }],
          ['.is-selected rect.fed-diagram__box', { fill: '#e3f3f0', stroke: '#0a7d6c' }],
          ['.is-dropped rect.fed-diagram__box', { fill: '#fbeae5', stroke: '#b4411b', 'stroke-dasharray': '3 2' }],
          ['text.fed-diagram__dropped', { fill: '#b4411b', 'font-weight': 'bold' }],
          ['rect.fed-diagram__box--server', { fill: '#e3f3f0', stroke: '#0a7d6c' }],
          ['.fed-diagram__data rect', { fill: '#9aa3ad' }],
          ['rect.fed-diagram__progress-bg', { fill: '#d3d7dd' }],
          ['rect.fed-diagram__progress', { fill: '#0a7d6c' }],
          ['line.fed-diagram__link', { stroke: '#bbbbbb', 'stroke-dasharray': '3 3' }],
          ['line.fed-diagram__link.is-active', { stroke: '#0a7d6c', 'stroke-dasharray': 'none' }],
          ['text', { fill: '#1d2127', 'text-anchor': 'middle' }],
          ['.fed-diagram__packet rect', { fill: '#0a7d6c' }],
          ['.fed-diagram__packet text', { fill: '#ffffff' }],
        ],
        edit(copy) {
          // The note under the diagram, which the page shows as text beside it.
          copy.setAttribute('viewBox', `0 0 ${W} ${H + 20}`);
          const caption = document.createElementNS(SVG_NS, 'text');
          caption.setAttribute('x', String(W / 2));
          caption.setAttribute('y', String(H + 12));
          caption.setAttribute('text-anchor', 'middle');
          caption.setAttribute('font-size', '9');
          caption.setAttribute('fill', '#525a65');
          caption.textContent = note;
          copy.append(caption);
        },
      });
    },
    destroy() {
      stopMotion();
      frame.remove();
    },
  };
}
