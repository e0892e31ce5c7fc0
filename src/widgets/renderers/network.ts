/**
 * A network drawn layer by layer and cut in two: the client's layers on the left, the server's on
 * the right (U-shaped: the client's head on the far right again; vertical: one lane per client).
 * The cut is a handle the reader drags, or moves with the arrow keys (it is a `role="slider"`);
 * what crosses the cut is animated per batch: smashed data to the server, the gradient back,
 * the labels with the smashed data (vanilla), and the client part handed from client to client.
 *
 * Shape: `create(el, options) → { update(data), …, destroy() }`. The SVG is laid out in CSS pixels
 * at the container's width (text stays readable on a phone) and redrawn when that width changes.
 * With prefers-reduced-motion a message does not fly: it appears at its destination for a moment.
 *
 * Messages fly on the compositor: each is an HTML element on a layer laid exactly over the SVG,
 * moved by a CSS transform (Web Animations). Moved by d3 transitions inside an SVG layer of their
 * own, they cost the main thread a script call, a layout and a repaint in every frame of a flight
 * (the split playground trains with three or four in the air at once).
 */
import { select } from 'd3';
import type { Handoff, SplitVariant } from '~/engine/types';
import { prefersReducedMotion } from '~/runtime/lazy';
import { KIND_COLORS } from './kinds';
import { svgFile } from './svg-file';
import { count } from './format';

/** One column of units: the input (column 0) or a layer's output (column i = layer i − 1's output). */
export interface NetColumn {
  /** Short Korean name, e.g. '입력', '은닉 1', '출력'. */
  label: string;
  /** Floats per example in this column. */
  width: number;
}

export interface NetworkData {
  /** columns[0] is the input, columns[L] the logits: L + 1 entries for L layers. */
  columns: NetColumn[];
  /** Parameters of each layer (L entries), for the per-side counts. */
  layerParams: number[];
  variant: SplitVariant;
  /** The client runs layers [0, cut). */
  cut: number;
  /** The cuts this model and variant allow. */
  cutMin: number;
  cutMax: number;
  clients: number;
  /** Vertical split: each client's share of the input (floats per example). */
  bands?: number[];
}

export type PacketKind = 'smashed' | 'gradient' | 'labels';

export interface NetworkOptions {
  /** Accessible name of the drawing. */
  label: string;
  /** The reader moved the cut (drag released, or a key). */
  onCut?: (cut: number) => void;
  /** Spoken value of the handle for a cut, e.g. "1번째 층 뒤". */
  cutText?: (cut: number) => string;
}

export interface NetworkRenderer {
  /** A new model, cut or client count (redraws everything). */
  update(data: NetworkData): void;
  /**
   * Something crossed a cut. `at` 1 is the first cut, 2 the U-shaped second cut; `toServer` says
   * the direction; `client` the sender or receiver (its lane, for vertical).
   */
  packet(kind: PacketKind, at: 1 | 2, toServer: boolean, client: number): void;
  /** Whose turn it is (round robin), or null. */
  setActive(client: number | null): void;
  /** The client part moved from one client to the next. */
  handoff(from: number, to: number, via: Handoff): void;
  /** Milliseconds a message takes to fly. */
  setDuration(ms: number): void;
  /** A standalone SVG document of the current drawing (for export). */
  toSvg(): string;
  destroy(): void;
}

const H = 238;
/** d3's easeCubicInOut as a CSS easing (for the flights). */
const CUBIC_IN_OUT = 'cubic-bezier(0.65, 0, 0.35, 1)';
const TOP = 44;
const NET_H = 118;
const MARGIN_X = 26;
const DEV_Y = TOP + NET_H + 36;
const DEV_H = 24;
const MAX_NODES = 7;

interface Geometry {
  W: number;
  xs: number[];
  /** x of the first boundary and (U-shaped) the second. */
  b1: number;
  b2: number | null;
  yMid: number;
  /** Vertical: lane centre of each client. */
  lanes: number[];
  devices: { x: number; w: number }[];
}

/** Node y positions of a column of `width` units in [top, bottom], and whether it is elided. */
function nodeYs(width: number, top: number, bottom: number): { ys: number[]; gap: number | null } {
  const n = Math.min(width, MAX_NODES);
  const step = (bottom - top) / Math.max(n, 1);
  const ys = Array.from({ length: n }, (_, i) => top + step * (i + 0.5));
  if (width <= MAX_NODES) return { ys, gap: null };
  // Three on top, three below, an ellipsis in the middle.
  const mid = ys[3];
  return { ys: [...ys.slice(0, 3), ...ys.slice(4)], gap: mid };
}

export function create(el: HTMLElement, options: NetworkOptions): NetworkRenderer {
  let data: NetworkData | null = null;
  let preview: number | null = null;
  let duration = 420;
  let active: number | null = null;
  let width = Math.max(300, Math.round(el.clientWidth || 600));
  let geo: Geometry | null = null;

  el.classList.add('net');
  const svg = select(el)
    .append('svg')
    .attr('class', 'net__svg')
    .attr('role', 'img')
    .attr('aria-label', options.label)
    .attr('height', H);
  const gRegions = svg.append('g').attr('class', 'net__regions');
  const gEdges = svg.append('g').attr('class', 'net__edges');
  const gNodes = svg.append('g').attr('class', 'net__nodes');
  const gText = svg.append('g').attr('class', 'net__text');
  const gDevices = svg.append('g').attr('class', 'net__devices');
  // The layer the messages fly on (see the top of this file), sized like the SVG in draw().
  const flyLayer = document.createElement('div');
  flyLayer.className = 'net__fly-layer';
  flyLayer.setAttribute('aria-hidden', 'true');
  el.append(flyLayer);
  /** The flights under way (cancelled when the picture is redrawn or removed). */
  const flights = new Set<Animation>();
  /**
   * One element per kind of message (its flight key), kept on the layer and hidden between
   * flights. Every flight moved a new element on, and the landed one off, and each of those laid
   * the whole page out again (50 layouts in 3 s of the split playground on the phone profile of
   * the jank bench, 6 ms each); a flight now only changes its element's transform and visibility.
   */
  const messages = new Map<string, HTMLElement>();
  function stopFlights() {
    for (const a of flights) a.cancel();
    flights.clear();
    messages.clear();
    flyLayer.replaceChildren();
    inFlight.clear();
  }

  const handle = document.createElement('div');
  handle.className = 'net__handle';
  handle.tabIndex = 0;
  handle.setAttribute('role', 'slider');
  handle.setAttribute('aria-label', '분할 지점 (끌거나 화살표 키로 옮기기)');
  handle.setAttribute('aria-orientation', 'horizontal');
  const grip = document.createElement('span');
  grip.className = 'net__grip';
  grip.setAttribute('aria-hidden', 'true');
  grip.textContent = '⇔';
  handle.append(grip);
  el.append(handle);

  const cutNow = () => preview ?? data?.cut ?? 1;

  function layout(d: NetworkData, cut: number): Geometry {
    const W = width;
    const L = d.columns.length - 1;
    const span = W - 2 * MARGIN_X;
    const xs = d.columns.map((_, i) => MARGIN_X + (span * i) / Math.max(L, 1));
    const b1 = (xs[cut] + xs[cut + 1]) / 2;
    const b2 = d.variant === 'ushaped' ? (xs[L - 1] + xs[L]) / 2 : null;
    const K = d.variant === 'vertical' ? Math.max(1, d.clients) : 1;
    const laneH = NET_H / K;
    const lanes = Array.from({ length: K }, (_, k) => TOP + laneH * (k + 0.5));
    const n = Math.max(1, d.clients);
    const gapX = 4;
    const dw = Math.min(70, (W - 8 - gapX * (n - 1)) / n);
    const total = dw * n + gapX * (n - 1);
    const x0 = (W - total) / 2;
    const devices = Array.from({ length: n }, (_, k) => ({ x: x0 + k * (dw + gapX), w: dw }));
    return { W, xs, b1, b2, yMid: TOP + NET_H / 2, lanes, devices };
  }

  function draw() {
    if (!data) return;
    const d = data;
    const cut = cutNow();
    const g = (geo = layout(d, cut));
    const L = d.columns.length - 1;
    const head = d.variant === 'ushaped' ? L - 1 : L;
    svg.attr('viewBox', `0 0 ${g.W} ${H}`).attr('width', g.W);
    // The SVG's box: g.W px wide at most (max-width: 100%), scaled with its viewBox's ratio.
    Object.assign(flyLayer.style, { width: `min(100%, ${g.W}px)`, aspectRatio: `${g.W} / ${H}` });
    const vertical = d.variant === 'vertical';

    // Regions: client (left), server (middle/right), U-shaped head (right).
    const frontParams = d.layerParams.slice(0, cut).reduce((a, b) => a + b, 0);
    const serverParams = d.layerParams.slice(cut, head).reduce((a, b) => a + b, 0);
    const regions: { x0: number; x1: number; cls: string; title: string; sub: string }[] = [
      {
        x0: 2,
        x1: g.b1,
        cls: 'client',
        title: vertical ? `클라이언트 ${d.clients}곳` : '클라이언트',
        sub: vertical ? `앞부분 ${d.clients}개, 매개변수 ${count(frontParams)}개` : `매개변수 ${count(frontParams)}개`,
      },
      { x0: g.b1, x1: g.b2 ?? g.W - 2, cls: 'server', title: '서버', sub: `매개변수 ${count(serverParams)}개` },
    ];
    if (g.b2 !== null) {
      regions.push({ x0: g.b2, x1: g.W - 2, cls: 'client', title: '머리', sub: `${count(d.layerParams[L - 1])}개` });
    }
    gRegions
      .selectAll('rect')
      .data(regions)
      .join('rect')
      .attr('class', (r) => `net__region net__region--${r.cls}`)
      .attr('x', (r) => r.x0)
      .attr('y', TOP - 40)
      .attr('width', (r) => Math.max(0, r.x1 - r.x0))
      .attr('height', NET_H + 62)
      .attr('rx', 6);

    // Columns of nodes. Vertical: the client's columns are drawn once per lane, smaller.
    type Node = { x: number; y: number; col: number; lane: number };
    const nodes: Node[] = [];
    const ellipses: { x: number; y: number }[] = [];
    const columnsOf = (col: number): { lane: number; top: number; bottom: number; width: number }[] => {
      if (vertical && col <= cut) {
        const K = g.lanes.length;
        const laneH = NET_H / K;
        return g.lanes.map((_, k) => ({
          lane: k,
          top: TOP + laneH * k + 3,
          bottom: TOP + laneH * (k + 1) - 3,
          width: col === 0 ? (d.bands?.[k] ?? d.columns[0].width) : d.columns[col].width,
        }));
      }
      return [{ lane: -1, top: TOP + 4, bottom: TOP + NET_H - 4, width: d.columns[col].width }];
    };
    const byCol: Node[][] = [];
    for (let col = 0; col <= L; col++) {
      byCol[col] = [];
      for (const part of columnsOf(col)) {
        const max = vertical && part.lane >= 0 ? Math.max(1, Math.min(MAX_NODES, Math.floor((part.bottom - part.top) / 11))) : MAX_NODES;
        const width = Math.min(part.width, max);
        const { ys, gap } = width < part.width && max < MAX_NODES ? { ys: nodeYs(width, part.top, part.bottom).ys, gap: null } : nodeYs(part.width, part.top, part.bottom);
        for (const y of ys) {
          const n = { x: g.xs[col], y, col, lane: part.lane };
          nodes.push(n);
          byCol[col].push(n);
        }
        if (gap !== null) ellipses.push({ x: g.xs[col], y: gap });
      }
    }

    // Edges between neighbouring columns (lane to lane inside a vertical client, lanes to the
    // server at the cut). Edges that cross a cut are the network: drawn as the wire.
    type Edge = { x1: number; y1: number; x2: number; y2: number; wire: boolean };
    const edges: Edge[] = [];
    for (let col = 0; col < L; col++) {
      const wire = col === cut || (g.b2 !== null && col === L - 1);
      for (const a of byCol[col]) {
        for (const b of byCol[col + 1]) {
          if (a.lane >= 0 && b.lane >= 0 && a.lane !== b.lane) continue;
          edges.push({ x1: a.x, y1: a.y, x2: b.x, y2: b.y, wire });
        }
      }
    }
    // Two paths, the layers' edges and the wire, one segment per edge (the dash pattern restarts
    // at each segment, as on a line of its own). One <line> per edge was a hundred-odd elements
    // and some 550 attribute writes at each draw: the split playground's mount took 53-102 ms of
    // thread time on the jank bench's phone profile (six visits), some 30 ms of it drawing these
    // (a CPU profile); with the two paths, 40-54 ms in five visits of six.
    const at = (v: number) => Math.round(v * 100) / 100;
    const segments = (wire: boolean) =>
      edges
        .filter((e) => e.wire === wire)
        .map((e) => `M${at(e.x1)},${at(e.y1)}L${at(e.x2)},${at(e.y2)}`)
        .join('');
    gEdges
      .selectAll('path')
      .data([false, true])
      .join('path')
      .attr('class', (wire) => (wire ? 'net__edge net__edge--wire' : 'net__edge'))
      .attr('fill', 'none')
      .attr('d', segments);

    const r = vertical ? Math.min(5, Math.max(2.5, NET_H / Math.max(1, d.clients) / 8)) : 5.5;
    gNodes
      .selectAll('circle')
      .data(nodes)
      .join('circle')
      .attr('class', (n) => {
        const side = n.col <= cut || (g.b2 !== null && n.col === L) ? 'client' : 'server';
        return `net__node net__node--${side}${n.col === cut ? ' net__node--cut' : ''}`;
      })
      .attr('cx', (n) => n.x)
      .attr('cy', (n) => n.y)
      .attr('r', r);

    // Texts: region titles, column labels with widths, the ellipses.
    type Label = { x: number; y: number; text: string; cls: string };
    const labels: Label[] = [];
    for (const reg of regions) {
      const cx = (reg.x0 + reg.x1) / 2;
      labels.push({ x: cx, y: TOP - 26, text: reg.title, cls: 'net__title' });
      if (reg.x1 - reg.x0 > 12 + [...reg.sub].reduce((w, ch) => w + (/[\u3131-\uD79D]/.test(ch) ? 10 : 6), 0)) labels.push({ x: cx, y: TOP - 13, text: reg.sub, cls: 'net__sub' });
    }
    for (let col = 0; col <= L; col++) {
      const w = vertical && col <= cut ? (col === 0 ? d.columns[0].width : d.columns[col].width * d.clients) : d.columns[col].width;
      labels.push({ x: g.xs[col], y: TOP + NET_H + 13, text: d.columns[col].label, cls: 'net__col' });
      labels.push({ x: g.xs[col], y: TOP + NET_H + 25, text: vertical && col > 0 && col <= cut ? `${d.clients}×${d.columns[col].width}` : String(w), cls: 'net__width' });
    }
    for (const e of ellipses) labels.push({ x: e.x, y: e.y + 4, text: '⋮', cls: 'net__ellipsis' });
    gText
      .selectAll('text')
      .data(labels)
      .join('text')
      .attr('class', (t) => t.cls)
      .attr('x', (t) => t.x)
      .attr('y', (t) => t.y)
      .text((t) => t.text);

    // Client devices along the bottom.
    const devs = g.devices.map((dv, k) => ({ ...dv, k }));
    const dg = gDevices
      .selectAll<SVGGElement, (typeof devs)[number]>('g')
      .data(devs)
      .join((enter) => {
        const e = enter.append('g');
        e.append('rect').attr('rx', 4);
        e.append('text');
        return e;
      })
      .attr('class', (dv) => `net__device${active === dv.k || vertical ? ' is-active' : ''}`);
    dg.select('rect').attr('x', (dv) => dv.x).attr('y', DEV_Y).attr('width', (dv) => dv.w).attr('height', DEV_H);
    dg.select('text')
      .attr('x', (dv) => dv.x + dv.w / 2)
      .attr('y', DEV_Y + DEV_H / 2 + 4)
      .text((dv) => (dv.w >= 52 ? `클라이언트 ${dv.k + 1}` : String(dv.k + 1)));

    // The handle sits on the first cut.
    handle.style.left = `${g.b1}px`;
    handle.style.top = `${TOP - 6}px`;
    handle.style.height = `${NET_H + 12}px`;
    handle.setAttribute('aria-valuemin', String(d.cutMin));
    handle.setAttribute('aria-valuemax', String(d.cutMax));
    handle.setAttribute('aria-valuenow', String(cut));
    handle.setAttribute('aria-valuetext', options.cutText?.(cut) ?? `${cut}번째 층 뒤`);
    const fixed = d.cutMin === d.cutMax;
    handle.setAttribute('aria-disabled', String(fixed));
    handle.classList.toggle('is-fixed', fixed);
  }

  // ----- interaction: drag and keys -----
  function cutAt(clientX: number): number {
    if (!data || !geo) return 1;
    const rect = el.getBoundingClientRect();
    const x = ((clientX - rect.left) / Math.max(1, rect.width)) * geo.W;
    let best = data.cutMin;
    let bestD = Infinity;
    for (let c = data.cutMin; c <= data.cutMax; c++) {
      const bx = (geo.xs[c] + geo.xs[c + 1]) / 2;
      const dd = Math.abs(bx - x);
      if (dd < bestD) {
        bestD = dd;
        best = c;
      }
    }
    return best;
  }

  function commit(c: number) {
    if (!data) return;
    const clamped = Math.max(data.cutMin, Math.min(data.cutMax, c));
    preview = null;
    if (clamped !== data.cut) {
      data = { ...data, cut: clamped };
      draw();
      options.onCut?.(clamped);
    } else draw();
  }

  let dragging = false;
  const onDown = (e: PointerEvent) => {
    if (!data || data.cutMin === data.cutMax) return;
    dragging = true;
    handle.setPointerCapture?.(e.pointerId);
    handle.classList.add('is-dragging');
    e.preventDefault();
  };
  const onMove = (e: PointerEvent) => {
    if (!dragging) return;
    const c = cutAt(e.clientX);
    if (c !== cutNow()) {
      preview = c;
      draw();
    }
  };
  const onUp = (e: PointerEvent) => {
    if (!dragging) return;
    dragging = false;
    handle.classList.remove('is-dragging');
    commit(cutAt(e.clientX));
  };
  const onKey = (e: KeyboardEvent) => {
    if (!data) return;
    const c = data.cut;
    let next: number | null = null;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowDown') next = c - 1;
    else if (e.key === 'ArrowRight' || e.key === 'ArrowUp') next = c + 1;
    else if (e.key === 'Home' || e.key === 'PageDown') next = data.cutMin;
    else if (e.key === 'End' || e.key === 'PageUp') next = data.cutMax;
    if (next === null) return;
    e.preventDefault();
    commit(next);
  };
  handle.addEventListener('pointerdown', onDown);
  handle.addEventListener('pointermove', onMove);
  handle.addEventListener('pointerup', onUp);
  handle.addEventListener('pointercancel', onUp);
  handle.addEventListener('keydown', onKey);

  // ----- messages in flight -----
  const inFlight = new Set<string>();
  /** When the message now crossing each cut lands (a reply leaves only after it, as in the protocol). */
  const landsAt = new Map<string, number>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (f: () => void, ms: number) => {
    const t = setTimeout(() => {
      timers.delete(t);
      f();
    }, ms);
    timers.add(t);
  };

  function fly(key: string, from: [number, number], to: [number, number], cls: string, color: string, shape: 'circle' | 'square' | 'model') {
    if (inFlight.has(key) || !geo) return;
    inFlight.add(key);
    // In viewBox units: a dot of radius 5.5, a label square of 8, a model of 14 × 10.
    const [w, h] = shape === 'circle' ? [11, 11] : shape === 'model' ? [14, 10] : [8, 8];
    let msg = messages.get(key);
    if (!msg) {
      msg = document.createElement('div');
      msg.className = `net__msg ${cls}`;
      // Sized in percentages of the layer, so it follows the SVG's scale unmeasured.
      const radius = shape === 'circle' ? '50%' : shape === 'model' ? `${(2 / w) * 100}% / ${(2 / h) * 100}%` : `${(1 / w) * 100}%`;
      Object.assign(msg.style, { width: `${(w / geo.W) * 100}%`, height: `${(h / H) * 100}%`, background: color, borderRadius: radius });
      flyLayer.append(msg);
      messages.set(key, msg);
    }
    const el = msg;
    // Placed by a translation in percentages of its own size from the layer's corner.
    const at = (p: [number, number]) => `translate(${((p[0] - w / 2) / w) * 100}%, ${((p[1] - h / 2) / h) * 100}%)`;
    el.style.visibility = 'visible';
    const land = () => {
      el.style.visibility = 'hidden';
      inFlight.delete(key);
    };
    if (prefersReducedMotion()) {
      // A step change: the message appears where it arrives, then goes.
      el.style.transform = at(to);
      later(land, Math.max(150, duration * 0.6));
      return;
    }
    for (const old of el.getAnimations()) old.cancel();
    const a = el.animate([{ transform: at(from) }, { transform: at(to) }], { duration, easing: CUBIC_IN_OUT, fill: 'forwards' });
    flights.add(a);
    a.onfinish = () => {
      flights.delete(a);
      land();
    };
  }

  function redrawOnResize(w: number) {
    // Compare the width it would draw at: on a 360 px phone the box is 276 px wide, drawn at the
    // 300 px floor, and comparing 276 with 300 redrew the same picture in the mount's first frame
    // (13-36 ms of script and a second layout on the phone profile of the jank bench).
    // A hidden box (0 px) keeps its picture.
    const next = Math.max(300, w);
    if (w <= 0 || Math.abs(next - width) < 8) return;
    width = next;
    stopFlights();
    draw();
  }
  const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver((entries) => redrawOnResize(Math.round(entries[0]?.contentRect.width ?? width)));
  ro?.observe(el);

  return {
    update(next) {
      data = { ...next, cut: Math.max(next.cutMin, Math.min(next.cutMax, next.cut)) };
      preview = null;
      if (active !== null && active >= next.clients) active = null;
      draw();
    },
    packet(kind, at, toServer, client) {
      if (!data || !geo) return;
      const g = geo;
      const L = data.columns.length - 1;
      const [xa, xb] = at === 1 ? [g.xs[cutNow()], g.xs[cutNow() + 1]] : [g.xs[L - 1], g.xs[L]];
      // Client side of this cut: left for the first, right (the head) for the second.
      const [xClient, xServer] = at === 1 ? [xa, xb] : [xb, xa];
      const yBase = data.variant === 'vertical' && at === 1 ? (g.lanes[client] ?? g.yMid) : g.yMid;
      const dy = kind === 'gradient' ? 14 : kind === 'labels' ? -14 : 0;
      const y = Math.max(TOP + 4, Math.min(TOP + NET_H - 4, yBase + dy));
      const from: [number, number] = toServer ? [xClient, y] : [xServer, y];
      const to: [number, number] = toServer ? [xServer, y] : [xClient, y];
      const lane = data.variant === 'vertical' ? client : 0;
      const key = `${kind}:${at}:${toServer}:${lane}`;
      const go = () => fly(key, from, to, `net__msg--${kind}`, KIND_COLORS[kind], kind === 'labels' ? 'square' : 'circle');
      const cutKey = `${at}:${lane}`;
      const now = performance.now();
      if (kind === 'gradient') {
        // The gradient is the reply to the activations: it leaves when they have arrived.
        const wait = (landsAt.get(cutKey) ?? 0) - now;
        if (wait > 0 && !inFlight.has(key)) later(go, wait);
        else go();
      } else {
        if (kind === 'smashed' && !inFlight.has(key)) landsAt.set(cutKey, now + (prefersReducedMotion() ? 0 : duration));
        go();
      }
    },
    setActive(client) {
      if (client === active) return;
      active = client;
      gDevices.selectAll<SVGGElement, { k: number }>('g').classed('is-active', (dv) => dv.k === active || data?.variant === 'vertical');
    },
    handoff(from, to, via) {
      if (!geo) return;
      const a = geo.devices[from];
      const b = geo.devices[to];
      if (!a || !b) return;
      const y = DEV_Y + DEV_H / 2;
      const start: [number, number] = [a.x + a.w / 2, y];
      const end: [number, number] = [b.x + b.w / 2, y];
      if (via === 'server') {
        // Up to the server, then down to the next client: two legs.
        const mid: [number, number] = [(geo.b1 + (geo.b2 ?? geo.W)) / 2, TOP - 4];
        fly('handoff-up', start, mid, 'net__msg--handoff', KIND_COLORS.handoff, 'model');
        later(() => fly('handoff-down', mid, end, 'net__msg--handoff', KIND_COLORS.handoff, 'model'), prefersReducedMotion() ? 0 : duration);
      } else {
        fly('handoff', start, end, 'net__msg--handoff', KIND_COLORS.handoff, 'model');
      }
    },
    setDuration(ms) {
      duration = Math.max(60, ms);
    },
    toSvg() {
      const node = svg.node()!;
      return svgFile(node, {
        // The page's background as a colour (the token itself is a light-dark() pair).
        plate: getComputedStyle(document.body).backgroundColor || '#ffffff',
        edit(copy) {
          // Resolve the theme's colours: a file has no stylesheet to inherit them from. (The copy
          // still has every element of the page's picture here, so the two lists pair up.)
          const src = node.querySelectorAll('*');
          const dst = copy.querySelectorAll('*');
          src.forEach((s, i) => {
            const cs = getComputedStyle(s);
            const t = dst[i] as SVGElement | undefined;
            if (!t) return;
            for (const p of ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'font-size', 'font-weight', 'text-anchor'] as const) {
              const v = cs.getPropertyValue(p);
              if (v) t.setAttribute(p, v);
            }
          });
        },
      });
    },
    destroy() {
      ro?.disconnect();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      stopFlights();
      handle.removeEventListener('pointerdown', onDown);
      handle.removeEventListener('pointermove', onMove);
      handle.removeEventListener('pointerup', onUp);
      handle.removeEventListener('pointercancel', onUp);
      handle.removeEventListener('keydown', onKey);
      handle.remove();
      svg.remove();
      flyLayer.remove();
      el.classList.remove('net');
    },
  };
}
