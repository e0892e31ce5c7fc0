/**
 * The clients of a federated run as a grid of small cards. A card names the client and the
 * number of examples it holds, draws its label distribution (bars on one scale for every
 * client, so quantity skew shows as well as label skew), may hold a picture of the client's local
 * model, and ends in a status line the widget writes as the run goes on.
 *
 * With 2-D data the bars take the classes' colours and the local model can be drawn as the
 * client's own points under its decision boundary; with digits the bars are plain, the digits the
 * client mostly holds are named under them (ten bars without axis labels do not say which), and
 * the local model is an accuracy meter.
 *
 * Shape: `create(el, options) → { update(k, state), destroy() }`. `update` writes only what
 * changed: with many clients, rewriting every card on each phase of a round made style and layout
 * a large part of each frame on a phone.
 */
import type { DataSummary } from '~/engine/types';
import { create as createBoundary, type BoundaryGrid, type BoundaryRenderer, type PointsData } from './boundary';
import { create as createLabelBars, type LabelBarsRenderer } from './label-bars';
import { dequeueDraw, enqueueDraw } from './plot-image';
import { lineStroke } from './line-key';

export interface ClientCardsOptions {
  /** The run's data: per-client label histograms, and for 2-D data the points and their owners. */
  data: DataSummary;
  /** Whether a card shows its local model: the boundary over its points (2-D data), else an accuracy meter. */
  model: 'picture' | 'none';
  /** A short stroke before the client's number, when its line is drawn in another figure. */
  stroke?: (k: number) => { color: string; dash?: string };
  /** The digits a client holds are named when each is at least this share of its examples. */
  heldShare?: number;
  /** The status line before anything happened. */
  initial: string;
}

/** What a card shows now; every field is optional and leaves the card as it is when absent. */
export interface ClientCardState {
  /** Taking part in this round, resting, or gone (selected but never answered). */
  role?: 'selected' | 'idle' | 'dropped';
  stat?: string;
  /** The local model: its decision boundary (2-D data) or its accuracy (the meter). */
  boundary?: BoundaryGrid;
  accuracy?: number;
}

export interface ClientCards {
  update(k: number, state: ClientCardState): void;
  destroy(): void;
}

/** The classes holding at least `share` of a histogram's examples, in class order. */
export function heldClasses(counts: readonly number[], share: number): number[] {
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.flatMap((c, cls) => (c >= Math.max(1, share * n) ? [cls] : []));
}

/** The client's own points, out of every client's. */
function pointsOf(p: NonNullable<DataSummary['points']>, k: number): PointsData {
  const mine: number[] = [];
  for (let i = 0; i < p.client.length; i++) if (p.client[i] === k) mine.push(i);
  const xy = new Float32Array(2 * mine.length);
  const labels = new Int32Array(mine.length);
  mine.forEach((i, j) => {
    xy[2 * j] = p.xy[2 * i];
    xy[2 * j + 1] = p.xy[2 * i + 1];
    labels[j] = p.labels[i];
  });
  return { xy, labels };
}

function element(tag: string, className: string, text?: string): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

interface Card {
  el: HTMLElement;
  stat: HTMLElement;
  bars: LabelBarsRenderer;
  boundary: BoundaryRenderer | null;
  meter: HTMLElement | null;
}

export function create(el: HTMLElement, options: ClientCardsOptions): ClientCards {
  const { data } = options;
  const digits = !data.points;
  const max = Math.max(1, ...data.histograms.flat());
  // The server may have written cards of the default settings there to keep their room: drop them.
  el.replaceChildren();
  const cards: Card[] = data.histograms.map((counts, k) => {
    const n = counts.reduce((a, b) => a + b, 0);
    const card = element('div', 'fw-client');
    card.dataset.client = String(k);
    const head = element('div', 'fw-client__head');
    const name = element('span', 'fw-client__name', String(k + 1));
    const stroke = options.stroke?.(k);
    if (stroke) name.prepend(lineStroke(stroke.color, stroke.dash));
    head.append(name, element('span', 'fw-client__n', `n=${n}`));
    const barsEl = element('div', 'fw-client__bars');
    card.append(head, barsEl);
    if (digits) {
      const held = heldClasses(counts, options.heldShare ?? 0.1);
      card.append(element('p', 'fw-client__stat fw-client__classes', held.length >= 10 ? '숫자 0–9 모두' : `숫자 ${held.join('·')}`));
    }
    const bars = createLabelBars(barsEl, { label: `클라이언트 ${k + 1}의 레이블 분포`, classColors: !digits });
    let boundary: BoundaryRenderer | null = null;
    let meter: HTMLElement | null = null;
    if (options.model === 'picture') {
      const model = element('div', 'fw-client__model');
      card.append(model);
      if (data.points && data.extent) boundary = createBoundary(model, { label: `클라이언트 ${k + 1}의 데이터와 로컬 모델의 결정 경계`, size: 120 });
      else {
        const frame = element('div', 'fw-client__meter');
        frame.setAttribute('aria-hidden', 'true');
        meter = element('span', '');
        meter.style.width = '0%';
        frame.append(meter);
        model.append(frame);
      }
    }
    const stat = element('p', 'fw-client__stat', options.initial);
    card.append(stat);
    el.append(card);
    // Bars and points are drawn through the shared draw queue, a few cards per task: all of them
    // at once (hundreds of circles and bars) made the run's start one long task.
    enqueueDraw(card, () => {
      bars.update({ counts, max });
      if (boundary && data.points && data.extent) boundary.update({ extent: data.extent, train: pointsOf(data.points, k) });
    });
    return { el: card, stat, bars, boundary, meter };
  });

  return {
    update(k, s) {
      const card = cards[k];
      if (!card) return;
      if (s.role) for (const role of ['selected', 'idle', 'dropped']) card.el.classList.toggle(`is-${role}`, s.role === role);
      if (s.boundary) card.boundary?.update({ boundary: s.boundary });
      if (s.accuracy !== undefined && card.meter) card.meter.style.width = `${Math.round(s.accuracy * 100)}%`;
      if (s.stat !== undefined && card.stat.textContent !== s.stat) card.stat.textContent = s.stat;
    },
    destroy() {
      for (const card of cards) {
        dequeueDraw(card.el);
        card.bars.destroy();
        card.boundary?.destroy();
      }
      el.replaceChildren();
    },
  };
}
