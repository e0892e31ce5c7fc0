/**
 * Centralized training's data flow: each client's raw points travel to the server, where they
 * pile up in one place. This is the privacy problem made visible: the server ends up holding
 * every example of every client.
 *
 * Shape: `create(el, options) → { update(data), destroy() }`. `update` is called with the run's
 * points (who owns which) and then with each `raw-data` message the engine reports; with
 * prefers-reduced-motion the points jump instead of flying.
 */
import { throttled } from './plot-image';
import { select, easeCubicInOut } from 'd3';
import { classColor } from './colors';
import { prefersReducedMotion } from '~/runtime/lazy';
import { formatBytes } from './format';
import { circlesByGroup, svgFile } from './svg-file';
import { putText } from './outputs';

export interface DataflowData {
  /** A new run: all training points, their labels and owning clients (resets the picture). */
  points?: { xy: Float32Array; labels: Int32Array; client: Int32Array; extent: [number, number] };
  /** Number of clients (boxes drawn even for a client with no points). */
  clients?: number;
  /** A client sent its raw data to the server (bytes as counted by the engine). */
  upload?: { client: number; bytes: number };
  /** Server status line, e.g. "학습 중 · 에폭 12". */
  serverStatus?: string;
}

export interface DataflowOptions {
  label: string;
  /** Milliseconds a point takes to fly (before reduced motion is applied). */
  duration?: number;
}

export interface DataflowRenderer {
  update(data: DataflowData): void;
  toSvg(): string;
  destroy(): void;
}

const W = 320;
const H = 230;
const CLIENT_X = 4;
const CLIENT_W = 104;
const SERVER = { x: 178, y: 40, w: 138, h: 150 };
const PAD = 6;

export function create(el: HTMLElement, options: DataflowOptions): DataflowRenderer {
  const duration = options.duration ?? 900;
  let clients = 1;
  let pts: DataflowData['points'] | null = null;
  let uploadedBytes = 0;
  const arrived = new Set<number>();

  const svg = select(el)
    .append('svg')
    .attr('class', 'dataflow')
    .attr('viewBox', `0 0 ${W} ${H}`)
    .attr('role', 'img')
    .attr('aria-label', options.label);
  const gLinks = svg.append('g').attr('class', 'dataflow__links');
  const gBoxes = svg.append('g').attr('class', 'dataflow__boxes');
  const server = svg.append('g').attr('class', 'dataflow__server');
  server
    .append('rect')
    .attr('class', 'dataflow__box dataflow__box--server')
    .attr('x', SERVER.x)
    .attr('y', SERVER.y)
    .attr('width', SERVER.w)
    .attr('height', SERVER.h)
    .attr('rx', 6);
  server.append('text').attr('class', 'dataflow__title').attr('x', SERVER.x + SERVER.w / 2).attr('y', SERVER.y - 22).text('중앙 서버');
  const serverCount = server
    .append('text')
    .attr('class', 'dataflow__note')
    .attr('x', SERVER.x + SERVER.w / 2)
    .attr('y', SERVER.y - 8)
    .text('받은 원본 데이터 0개');
  const serverStatus = server
    .append('text')
    .attr('class', 'dataflow__note')
    .attr('x', SERVER.x + SERVER.w / 2)
    .attr('y', SERVER.y + SERVER.h + 16)
    .text('');
  const gDots = svg.append('g').attr('class', 'dataflow__dots');
  /** The travelling copies, one group per client that has sent (see `send`). */
  const gMoving = svg.append('g').attr('class', 'dataflow__dots');

  function boxOf(k: number) {
    const gap = 4;
    const h = Math.min(52, (H - 8 - gap * (clients - 1)) / clients);
    const total = clients * h + (clients - 1) * gap;
    const y0 = (H - total) / 2;
    return { x: CLIENT_X, y: y0 + k * (h + gap), w: CLIENT_W, h };
  }

  /** Maps a data point into a box (with padding), keeping the data's aspect in the box. */
  function place(box: { x: number; y: number; w: number; h: number }, px: number, py: number, extent: [number, number], label: boolean) {
    const [lo, hi] = extent;
    const inner = { x: box.x + PAD, y: box.y + (label ? 12 : PAD), w: box.w - 2 * PAD, h: box.h - (label ? 12 : PAD) - PAD };
    const s = Math.min(inner.w, inner.h);
    const ox = inner.x + (inner.w - s) / 2;
    const oy = inner.y + (inner.h - s) / 2;
    const u = (px - lo) / (hi - lo);
    const v = (py - lo) / (hi - lo);
    return [ox + u * s, oy + (1 - v) * s] as const;
  }

  function drawBoxes() {
    const ks = Array.from({ length: clients }, (_, k) => k);
    const g = gBoxes
      .selectAll<SVGGElement, number>('g.dataflow__client')
      .data(ks)
      .join((enter) => {
        const e = enter.append('g').attr('class', 'dataflow__client');
        e.append('rect').attr('class', 'dataflow__box').attr('rx', 5);
        e.append('text').attr('class', 'dataflow__label');
        return e;
      });
    g.select('rect')
      .attr('x', (k) => boxOf(k).x)
      .attr('y', (k) => boxOf(k).y)
      .attr('width', (k) => boxOf(k).w)
      .attr('height', (k) => boxOf(k).h);
    const labels = g
      .select('text')
      .attr('x', (k) => boxOf(k).x + 5)
      .attr('y', (k) => boxOf(k).y + 10);
    putText(labels, (k) => `클라이언트 ${k + 1}`);
    gLinks
      .selectAll<SVGGElement, number>('g.dataflow__link')
      .data(ks)
      .join((enter) => {
        const e = enter.append('g').attr('class', 'dataflow__link');
        e.append('line');
        e.append('text').attr('class', 'dataflow__bytes');
        return e;
      })
      .call((g) => {
        g.select('line')
          .attr('x1', CLIENT_X + CLIENT_W)
          .attr('y1', (k) => boxOf(k).y + boxOf(k).h / 2)
          .attr('x2', SERVER.x)
          .attr('y2', SERVER.y + SERVER.h / 2);
        g.select('text')
          .attr('x', CLIENT_X + CLIENT_W + 4)
          .attr('y', (k) => boxOf(k).y + boxOf(k).h / 2 - 3)
          .text('');
        g.classed('dataflow__link--active', false);
      });
  }

  /** The clients' points, drawn through the page's draw queue (see `update`). */
  const dots = throttled(drawDots, 0, el);
  function drawDots() {
    if (!pts) return gDots.selectAll('*').remove();
    const p = pts;
    const idx = [...p.labels.keys()];
    gDots.node()!.innerHTML = dotPaths(p, idx, 'home', (i) => place(boxOf(p.client[i]), p.xy[2 * i], p.xy[2 * i + 1], p.extent, true));
  }

  /**
   * Points `idx` as markup: one path per class, each point a circle in the path data (its
   * data-points says how many). A circle element each made hundreds of elements to style and lay
   * out, and flying them meant two attribute writes per point per frame (d3 transitions: the
   * first 3 s of a centralized run held a phone, the jank bench's profile, near 45 frames a
   * second). `at` gives a point's position.
   */
  function dotPaths(p: NonNullable<typeof pts>, idx: readonly number[], kind: 'home' | 'moving', at: (i: number) => readonly [number, number]): string {
    return [...circlesByClass(p, idx, kind === 'home' ? 1.4 : 1.6, at)]
      .map(([c, { d, n }]) => `<path class="dataflow__dot dataflow__dot--${kind}" data-class="${c}" data-points="${n}" fill="${classColor(c)}" d="${d}"></path>`)
      .join('');
  }

  /** Path data of points `idx` by class: a circle of radius r at each point. */
  const circlesByClass = (p: NonNullable<typeof pts>, idx: readonly number[], r: number, at: (i: number) => readonly [number, number]) =>
    circlesByGroup(
      idx.map((i) => {
        const [x, y] = at(i);
        return { x, y, group: p.labels[i] };
      }),
      r,
    );

  /** Flights under way: each moves its points one frame on, and says when it has landed. */
  const flights = new Set<(now: number) => boolean>();
  let frame = 0;
  function fly(now: number) {
    for (const f of flights) if (f(now)) flights.delete(f);
    frame = flights.size ? requestAnimationFrame(fly) : 0;
  }

  /** Stops and removes the travelling copies (new data, new clients). */
  function clearMoving() {
    flights.clear();
    cancelAnimationFrame(frame);
    frame = 0;
    gMoving.selectAll('*').remove();
  }

  function send(client: number, bytes: number) {
    if (!pts || arrived.has(client)) return;
    arrived.add(client);
    uploadedBytes += bytes;
    const p = pts;
    const dest = (i: number) => place(SERVER, p.xy[2 * i], p.xy[2 * i + 1], p.extent, false);
    // The travelling copies of this client's points are made as it sends, not with the data: on
    // the phone profile of the jank bench, all of them at once doubled the elements the arrival of
    // a data set asked the browser to style (927 in one recalculation of 41 ms).
    const idx = [...p.client.keys()].filter((i) => p.client[i] === client);
    const from = new Map(idx.map((i) => [i, place(boxOf(client), p.xy[2 * i], p.xy[2 * i + 1], p.extent, true)]));
    const to = new Map(idx.map((i) => [i, dest(i)]));
    const group = gMoving.append('g');
    group.node()!.innerHTML = dotPaths(p, idx, 'moving', (i) => from.get(i)!);
    const paths = new Map([...group.node()!.querySelectorAll('path')].map((el) => [Number(el.dataset.class), el]));
    /** Moves the flight to progress `t(j)` (0 at the client, 1 at the server) of the j-th point: one `d` a class. */
    const draw = (t: (j: number) => number) => {
      const pos = new Map(idx.map((i, j) => {
        const [a, b] = [from.get(i)!, to.get(i)!];
        const e = easeCubicInOut(t(j));
        return [i, [a[0] + (b[0] - a[0]) * e, a[1] + (b[1] - a[1]) * e] as const];
      }));
      for (const [c, { d }] of circlesByClass(p, idx, 1.6, (i) => pos.get(i)!)) paths.get(c)?.setAttribute('d', d);
    };
    const link = gLinks.selectAll<SVGGElement, number>('g.dataflow__link').filter((k) => k === client);
    link.classed('dataflow__link--active', true).select('text').text(formatBytes(bytes));
    const received = [...arrived].reduce((s, k) => s + countOf(k), 0);
    const finish = () => serverCount.text(`받은 원본 데이터 ${received}개 · ${formatBytes(uploadedBytes)}`);
    if (prefersReducedMotion()) {
      draw(() => 1);
      group.attr('data-landed', '');
      finish();
      return;
    }
    // Clients leave a quarter of a second apart, and a client's points a few milliseconds apart.
    const start = performance.now() + ([...arrived].length - 1) * 250;
    const progress = (now: number) => (j: number) => Math.max(0, Math.min(1, (now - start - (j % 40) * 8) / duration));
    flights.add((now) => {
      if (now < start) return false;
      const t = progress(now);
      draw(t);
      if (idx.some((_, j) => t(j) < 1)) return false;
      group.attr('data-landed', '');
      finish();
      return true;
    });
    if (!frame) frame = requestAnimationFrame(fly);
  }

  function countOf(k: number): number {
    if (!pts) return 0;
    let c = 0;
    for (let i = 0; i < pts.client.length; i++) if (pts.client[i] === k) c++;
    return c;
  }

  drawBoxes();

  return {
    update(data) {
      // New points are drawn in a task of their own through the page's draw queue (plot-image.ts):
      // they come with a run's first event, with everything else a widget draws for a new run.
      // What travels is made from the data as each client sends, so it needs no drawn points.
      if (data.clients !== undefined && data.clients !== clients) {
        clients = Math.max(1, data.clients);
        drawBoxes();
        clearMoving();
        dots.schedule();
      }
      if (data.points !== undefined) {
        pts = data.points;
        arrived.clear();
        uploadedBytes = 0;
        putText(serverCount, '받은 원본 데이터 0개');
        drawBoxes();
        clearMoving();
        dots.schedule();
      }
      if (data.upload) send(data.upload.client, data.upload.bytes);
      if (data.serverStatus !== undefined) putText(serverStatus, data.serverStatus);
    },
    toSvg() {
      dots.settle();
      return svgFile(svg.node()!, {
        width: W,
        height: H,
        fontSize: 10,
        paint: [
          ['rect.dataflow__box', { fill: '#ffffff', stroke: '#888888' }],
          ['text', { fill: '#1a1a1a' }],
          ['.dataflow__title, .dataflow__note', { 'text-anchor': 'middle' }],
          ['line', { stroke: '#bbbbbb' }],
        ],
      });
    },
    destroy() {
      dots.cancel();
      clearMoving();
      svg.remove();
    },
  };
}

