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
 * The SVG always holds an update's end state (what a download saves and what `inspect` reads).
 * The frames in between are drawn on a canvas laid over the plot, which hides the SVG's plot
 * while it moves and is cleared when the move ends. Moved by d3 transitions, the SVG's marks were
 * restyled, laid out and repainted with the whole picture at every frame: on a phone (Chrome's 4×
 * CPU throttling) that kept the main thread 88–96% busy while the widget played, and the page drew
 * 45–53 frames a second; a canvas frame is a redraw of some fifty shapes and nothing to lay out
 * (55–58% busy, 55–56 frames a second).
 *
 * Shape: `create(el, options) → { update(data), toSvg(), destroy() }`.
 */
import { easeCubicInOut, scaleLinear, select } from 'd3';
import { prefersReducedMotion } from '~/runtime/lazy';
import { svgFile } from './svg-file';
import { putText, setAttrs } from './outputs';
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
/** The plot's frame, in viewBox units: what the canvas covers (the axes' labels stay the SVG's). */
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;
let instances = 0;

type P = { x: number; y: number };

/** What the plot shows, in viewBox units: the end state of an update, or a frame on the way to it. */
export interface Scene {
  ghosts: (P & { k: number })[];
  /** The global model's path, w_0 … w_t (and w_{t+1} once averaged). */
  trail: P[];
  /** Its dots: w_0 … w_t. */
  dots: P[];
  prev: P;
  next: P | null;
  clients: (P & { k: number; r: number })[];
  /** From the client's point (x1, y1) to the global model it leaves or joins (x2, y2). */
  spokes: { k: number; x1: number; y1: number; x2: number; y2: number; width: number }[];
  local: boolean;
  round: number;
}

const lerp = (a: number, b: number, e: number) => a + (b - a) * e;
const lerpP = (a: P, b: P, e: number): P => ({ x: lerp(a.x, b.x, e), y: lerp(a.y, b.y, e) });

/** The frame `e` (0 … 1) of the way from `a` to `b`: marks in `b` that `a` lacks stand still. */
export function between(a: Scene, b: Scene, e: number): Scene {
  const at = <T extends P>(list: readonly T[], i: number, fallback: T) => list[i] ?? fallback;
  const client = (k: number) => a.clients.find((c) => c.k === k);
  const spoke = (k: number) => a.spokes.find((c) => c.k === k);
  return {
    ...b,
    trail: b.trail.map((p, i) => lerpP(at(a.trail, i, p), p, e)),
    dots: b.dots.map((p, i) => lerpP(at(a.dots, i, p), p, e)),
    prev: lerpP(a.prev, b.prev, e),
    next: b.next && lerpP(a.next ?? b.next, b.next, e),
    clients: b.clients.map((c) => ({ ...c, ...lerpP(client(c.k) ?? c, c, e) })),
    spokes: b.spokes.map((s) => {
      const f = spoke(s.k) ?? s;
      return { ...s, x1: lerp(f.x1, s.x1, e), y1: lerp(f.y1, s.y1, e), x2: lerp(f.x2, s.x2, e), y2: lerp(f.y2, s.y2, e) };
    }),
  };
}

/**
 * Where a move to `end` starts from `shown` (what is on screen). The clients of a new round walk
 * out of w_t where it is on screen (a new round refits the plane, so w_t moves too), their spokes
 * growing behind them; in the average the spokes' far ends and the new global model leave w_t
 * together. Everything else moves from where it is.
 */
export function startOf(shown: Scene, end: Scene): Scene {
  if (end.local) {
    const { x, y } = shown.prev;
    return {
      ...shown,
      next: null,
      clients: end.clients.map((c) => ({ ...c, x, y })),
      spokes: end.spokes.map((s) => ({ ...s, x1: x, y1: y, x2: x, y2: y })),
    };
  }
  const { x, y } = end.prev;
  return { ...shown, next: end.prev, spokes: end.spokes.map((s) => ({ ...s, x2: x, y2: y })) };
}

export function create(el: HTMLElement, options: WeightMapOptions): WeightMapRenderer {
  const svg = select(el).append('svg').attr('class', 'weight-map').attr('viewBox', `0 0 ${W} ${H}`).attr('role', 'img').attr('aria-label', options.label);
  svg.append('rect').attr('class', 'weight-map__frame').attr('x', M.left).attr('y', M.top).attr('width', PW).attr('height', PH);
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
    .attr('width', PW)
    .attr('height', PH);
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

  // The canvas for the frames in between, over the SVG (see the top of this file).
  const canvas = document.createElement('canvas');
  canvas.className = 'weight-map__canvas';
  canvas.setAttribute('aria-hidden', 'true');
  el.append(canvas);
  /** The canvas's size in CSS pixels, from a ResizeObserver (no layout is read while moving). */
  let box = { w: 0, h: 0 };
  const sizes = new ResizeObserver(([entry]) => {
    const { inlineSize: w, blockSize: h } = entry.contentBoxSize[0];
    box = { w, h };
  });
  sizes.observe(canvas);

  const x = scaleLinear().range([M.left + 8, W - M.right - 8]);
  const y = scaleLinear().range([H - M.bottom - 8, M.top + 8]);

  /** A square data window around the frame points, so distances look the same both ways. */
  function fit(frame: readonly XY[]) {
    if (frame.length === 0) {
      x.domain([-1, 1]);
      y.domain([-1, 1]);
      return;
    }
    fitSquare(x, y, frame.map((p) => p[0]), frame.map((p) => p[1]), PW - 16, PH - 16, 1.08);
  }

  const pt = (p: XY): P => ({ x: x(p[0]), y: y(p[1]) });
  const radius = (n: number, maxN: number) => 3 + 9 * Math.sqrt(n / maxN);

  /** The end state of `d` in viewBox units. */
  function sceneOf(d: WeightMapData): Scene {
    const local = d.phase === 'local';
    const prev = pt(d.path[d.path.length - 1] ?? [0, 0]);
    const next = !local && d.next ? pt(d.next) : null;
    const target = next ?? prev;
    const maxN = Math.max(1, ...d.clients.map((c) => c.n));
    const clients = d.clients.map((c) => ({ k: c.k, ...pt(c.at), r: radius(c.n, maxN) }));
    const dots = d.path.map(pt);
    return {
      ghosts: (d.ghosts ?? []).map((g) => ({ k: g.k, ...pt(g.at) })),
      trail: next ? [...dots, next] : dots,
      dots,
      prev,
      next,
      clients,
      spokes: clients.map((c, i) => ({ k: c.k, x1: c.x, y1: c.y, x2: target.x, y2: target.y, width: local ? 1 : 1 + 7 * d.clients[i].c })),
      local,
      round: d.round,
    };
  }

  /** Puts scene `s` into the SVG, writing only what changed. */
  function drawSvg(s: Scene) {
    gGhosts
      .selectAll<SVGCircleElement, Scene['ghosts'][number]>('circle')
      .data(s.ghosts)
      .join('circle')
      .each(function (g) {
        setAttrs(this, { r: 2, fill: clientColor(g.k), cx: g.x, cy: g.y });
      });
    setAttrs(pathLine.node()!, { d: s.trail.length ? `M${s.trail.map((p) => `${p.x},${p.y}`).join('L')}` : '' });
    gPath
      .selectAll<SVGCircleElement, P>('circle')
      .data(s.dots)
      .join('circle')
      .each(function (p) {
        setAttrs(this, { r: 2.2, cx: p.x, cy: p.y });
      });
    setAttrs(prevMark.node()!, { transform: `translate(${s.prev.x},${s.prev.y})` });
    putText(prevMark.select('text'), `w${sub(s.round - 1)}`);
    const clients = gClients
      .selectAll<SVGGElement, Scene['clients'][number]>('g.weight-map__client')
      .data(s.clients, (c) => String(c.k))
      .join((enter) => {
        const g = enter.append('g').attr('class', 'weight-map__client');
        g.append('circle');
        g.append('text').attr('class', 'weight-map__client-label').attr('dy', 3.5);
        return g;
      })
      .each(function (c) {
        setAttrs(this, { transform: `translate(${c.x},${c.y})` });
      });
    clients.select<SVGCircleElement>('circle').each(function (c) {
      setAttrs(this, { r: c.r, fill: clientColor(c.k) });
    });
    putText(clients.select('text'), (c) => String(c.k + 1));
    gSpokes
      .selectAll<SVGLineElement, Scene['spokes'][number]>('line')
      .data(s.spokes, (c) => String(c.k))
      .join('line')
      .classed('is-local', s.local)
      .each(function (l) {
        setAttrs(this, { stroke: clientColor(l.k), 'stroke-width': l.width, x1: l.x1, y1: l.y1, x2: l.x2, y2: l.y2 });
      });
    if (s.next) {
      putText(nextMark.select('text'), `w${sub(s.round)}`);
      setAttrs(nextMark.node()!, { opacity: 1, transform: `translate(${s.next.x},${s.next.y})` });
    } else {
      setAttrs(nextMark.node()!, { opacity: 0 });
    }
  }

  /** The colours and font of the SVG's marks (so the canvas follows the theme), read once a move. */
  function paints() {
    const css = (sel: string) => getComputedStyle(svg.select<SVGElement>(sel).node()!);
    // The plot's backdrop: the first ancestor with a background of its own.
    let backdrop = 'transparent';
    for (let n: Element | null = el; n && backdrop === 'transparent'; n = n.parentElement) {
      const c = getComputedStyle(n).backgroundColor;
      if (c && c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c)) backdrop = c;
    }
    const bg = css('.weight-map__prev circle').fill;
    return { text: css('.weight-map__trail').stroke, bg, backdrop: backdrop === 'transparent' ? bg : backdrop, font: getComputedStyle(el).fontFamily };
  }

  /** Scene `s` on the canvas, over the plot (so the SVG's end state under it does not show). */
  function drawCanvas(s: Scene, c: ReturnType<typeof paints>) {
    const dpr = devicePixelRatio || 1;
    const [pw, ph] = [Math.round(box.w * dpr), Math.round(box.h * dpr)];
    if (canvas.width !== pw || canvas.height !== ph) [canvas.width, canvas.height] = [pw, ph];
    const g = canvas.getContext('2d');
    if (!g) return;
    // The canvas covers the frame (see .weight-map__canvas): viewBox units from its corner.
    g.setTransform(pw / PW, 0, 0, ph / PH, (-M.left * pw) / PW, (-M.top * ph) / PH);
    g.clearRect(M.left, M.top, PW, PH);
    g.save();
    // Inside the frame's stroke, which stays the SVG's.
    g.beginPath();
    g.rect(M.left + 0.5, M.top + 0.5, PW - 1, PH - 1);
    g.clip();
    // The page's colour under the backdrop: a tinted card's colour may be translucent.
    for (const fill of [c.bg, c.backdrop]) {
      g.fillStyle = fill;
      g.fill();
    }
    const circle = (p: P, r: number) => {
      g.beginPath();
      g.arc(p.x, p.y, r, 0, 2 * Math.PI);
    };
    g.globalAlpha = 0.22;
    for (const p of s.ghosts) {
      g.fillStyle = clientColor(p.k);
      circle(p, 2);
      g.fill();
    }
    g.globalAlpha = 0.7;
    g.strokeStyle = c.text;
    g.lineWidth = 1.5;
    g.beginPath();
    s.trail.forEach((p, i) => (i ? g.lineTo(p.x, p.y) : g.moveTo(p.x, p.y)));
    g.stroke();
    g.globalAlpha = 1;
    g.fillStyle = c.text;
    for (const p of s.dots) {
      circle(p, 2.2);
      g.fill();
    }
    g.globalAlpha = 0.55;
    g.setLineDash(s.local ? [3, 3] : []);
    for (const l of s.spokes) {
      g.strokeStyle = clientColor(l.k);
      g.lineWidth = l.width;
      g.beginPath();
      g.moveTo(l.x1, l.y1);
      g.lineTo(l.x2, l.y2);
      g.stroke();
    }
    g.setLineDash([]);
    g.textAlign = 'center';
    for (const p of s.clients) {
      circle(p, p.r);
      g.globalAlpha = 0.92;
      g.fillStyle = clientColor(p.k);
      g.fill();
      g.globalAlpha = 1;
      g.strokeStyle = c.bg;
      g.lineWidth = 1;
      g.stroke();
      g.fillStyle = '#ffffff';
      g.font = `700 9px ${c.font}`;
      g.fillText(String(p.k + 1), p.x, p.y + 3.5);
    }
    g.textAlign = 'start';
    g.font = `700 10px ${c.font}`;
    g.lineJoin = 'round';
    const tag = (text: string, at: P) => {
      g.strokeStyle = c.bg;
      g.lineWidth = 3;
      g.strokeText(text, at.x, at.y);
      g.fillStyle = c.text;
      g.fillText(text, at.x, at.y);
    };
    circle(s.prev, 6);
    g.fillStyle = c.bg;
    g.fill();
    g.strokeStyle = c.text;
    g.lineWidth = 2;
    g.stroke();
    tag(`w${sub(s.round - 1)}`, { x: s.prev.x + 8, y: s.prev.y - 7 });
    if (s.next) {
      const { x: nx, y: ny } = s.next;
      g.beginPath();
      g.moveTo(nx, ny - 8);
      g.lineTo(nx + 8, ny);
      g.lineTo(nx, ny + 8);
      g.lineTo(nx - 8, ny);
      g.closePath();
      g.fillStyle = c.text;
      g.fill();
      g.strokeStyle = c.bg;
      g.lineWidth = 1;
      g.stroke();
      tag(`w${sub(s.round)}`, { x: nx + 10, y: ny + 12 });
    }
    g.restore();
  }

  /** What the SVG holds, and the move under way on the canvas, if any. */
  let shown: Scene | null = null;
  let move: { from: Scene; to: Scene; t0: number; ms: number; paint: ReturnType<typeof paints>; frame: number } | null = null;

  /** The scene on screen now: the move's current frame, or the SVG's. */
  function onScreen(now: number): Scene | null {
    if (!move) return shown;
    return between(move.from, move.to, easeCubicInOut(Math.min(1, (now - move.t0) / move.ms)));
  }

  function stop() {
    if (!move) return;
    cancelAnimationFrame(move.frame);
    move = null;
    canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
  }

  function step(now: number) {
    if (!move) return;
    const t = (now - move.t0) / move.ms;
    if (t >= 1) return stop();
    drawCanvas(between(move.from, move.to, easeCubicInOut(Math.max(0, t))), move.paint);
    move.frame = requestAnimationFrame(step);
  }

  return {
    update(d) {
      const now = performance.now();
      const from = onScreen(now);
      stop();
      fit(d.frame);
      putText(xLabel, d.xLabel);
      putText(yLabel, d.yLabel);
      const end = sceneOf(d);
      drawSvg(end);
      shown = end;
      const ms = d.duration > 0 && !prefersReducedMotion() ? d.duration : 0;
      if (ms > 0 && from && box.w > 0) {
        move = { from: startOf(from, end), to: end, t0: now, ms, paint: paints(), frame: 0 };
        drawCanvas(move.from, move.paint);
        move.frame = requestAnimationFrame(step);
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
      sizes.disconnect();
      canvas.remove();
      svg.remove();
    },
  };
}

function sub(n: number): string {
  return String(Math.max(0, n)).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);
}
