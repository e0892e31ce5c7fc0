/**
 * Three things every Observable Plot chart of these widgets needs.
 *
 * - `asImage`: one image with one Korean name. Plot labels its inner groups in English ("line",
 *   "x-axis tick"), and aria-label on a plain <g> is not allowed (axe: aria-prohibited-attr); the
 *   widget's text summary and tables carry the numbers. It also takes out the <style> Plot puts in
 *   every chart, which the page keeps once in <head> instead (see `shareStyle`).
 * - `enqueueDraw`: one queue for the drawing of every chart on the page. Plot rebuilds the whole
 *   SVG on every draw (10–25 ms of script on a desktop, four times that on a mid-range phone, then
 *   style, layout and paint of the new SVG), so draws do not pile up in one task: a task runs
 *   queued draws until 8 ms have passed (always one), and the rest wait for a painted frame. A
 *   mount that creates five charts, or a round that updates three, then costs several short
 *   tasks with frames between them instead of one long task (`npm run bench -- --only=jank`).
 *   Drawing takes at most about an eighth of the main thread: after each task the queue rests in
 *   proportion to what the task cost (see SHARE).
 * - `throttled`: on top of that, one chart redraws at most once per `ms` while a run streams (the
 *   last request is always drawn).
 * - `plotChart`: the one entry point of every Plot chart, built on the three above.
 *
 * While a chart's new picture waits for its turn, the chart is aria-busy (as is a queued owner
 * that is an element): assistive technology waits for the new one, and so do the end-to-end
 * tests, which read a picture once a run has ended and nothing in the widget is busy.
 *
 * The marks, axes and key that several charts share are in plot-parts.ts.
 */
import { SHARED_SVG_STYLE } from '~/runtime/export';

/** A draw waiting in the queue, by its owner (a second request of the same owner replaces it). */
const pending = new Map<object, () => void>();
let pumping = false;
/** performance.now() before which the queue rests after its last task of draws. */
let restUntil = 0;

/** Whether a queued owner is an element (and so can say it is busy); false outside a browser. */
const isElement = (o: unknown): o is Element => typeof Element !== 'undefined' && o instanceof Element;

/** Script time one task may spend on queued draws before it yields (one draw always runs). */
const SLICE_MS = 8;

/**
 * Share of the main thread the queued draws may take. After a task of d ms of drawing the queue
 * rests d·(1/SHARE − 1) ms (at least a painted frame), so that a slow device does not spend every
 * frame redrawing charts: on a phone a Plot draw takes 40–80 ms, and charts that each asked for a
 * redraw every 150 ms left the page drawing fewer than 30 frames a second while a run streamed.
 * A draw longer than a frame drops about (its time / 16.7 ms) frames, so charts that always have a
 * new picture waiting leave at most 60·(1 − SHARE) frames a second: 48 with a fifth, under the
 * phone goal of 50 before anything else is drawn. With 0.12 the live rerun on the reproduction
 * page (three charts) drew 57.3–57.7 frames a second on the phone profile, against 55.0–55.7 with
 * 0.2 (three runs of both builds in turn); its charts then redraw about once a second there. On a
 * desktop a draw of 10 ms (and its rendering) rests about 110 ms, less than the charts' own 150 ms
 * spacing.
 */
const SHARE = 0.12;

/**
 * The longest rest after one task of draws. The times the rest is measured from are wall times,
 * and a main thread that waits (another program on a busy machine, a phone that slows down) makes
 * them long without any drawing: on two busy cores a full end-to-end run once found DP-FedAvg's
 * updates picture still undrawn 5 s after its run ended. On the phone profile a draw and its
 * rendering of 90-140 ms rest 0.7-1 s, so the cap hardly binds there.
 */
const MAX_REST_MS = 1000;
const restAfter = (ms: number) => Math.min(ms * (1 / SHARE - 1), MAX_REST_MS);

/** After the next painted frame (a timer: rAF alone would run the draw inside that frame). */
function afterFrame(f: () => void) {
  if (typeof requestAnimationFrame === 'undefined' || (typeof document !== 'undefined' && document.visibilityState === 'hidden')) setTimeout(f, 16);
  else requestAnimationFrame(() => setTimeout(f, 0));
}

/** Runs `pump` after a painted frame and the queue's rest, whichever comes later. */
function schedulePump() {
  afterFrame(() => {
    const wait = restUntil - performance.now();
    if (wait > 0) setTimeout(pump, wait);
    else pump();
  });
}

/**
 * The queue also rests for the style, layout and paint of the frame after a task of draws: the
 * time from that frame's animation callbacks to the first task after it. On the phone profile of
 * the jank bench that rendering cost as much again as the draws' script (40-60 ms a redraw);
 * resting for it too took the federated playground from 48 to 55 frames a second while training,
 * weight averaging from 43 to 57 (the two builds measured in turn). On a desktop it adds a few
 * milliseconds.
 */
function restForRendering() {
  if (typeof requestAnimationFrame === 'undefined' || document.visibilityState === 'hidden') return;
  requestAnimationFrame(() => {
    const t = performance.now();
    setTimeout(() => {
      const now = performance.now();
      restUntil = Math.max(restUntil, now + restAfter(now - t));
    }, 0);
  });
}

/** Owners whose draws put nothing on the page (`enqueueWarmUp`): the queue does not rest after them. */
const unseen = new WeakSet<object>();

function pump() {
  const start = performance.now();
  let shown = false;
  for (const [owner, draw] of pending) {
    pending.delete(owner);
    shown ||= !unseen.has(owner);
    if (isElement(owner)) owner.removeAttribute('aria-busy');
    try {
      draw();
    } catch (err) {
      // One broken chart must not stop the others; the error still reaches the console.
      setTimeout(() => {
        throw err;
      });
    }
    if (performance.now() - start >= SLICE_MS) break;
  }
  const end = performance.now();
  restUntil = shown ? end + restAfter(end - start) : end;
  if (shown) restForRendering();
  if (pending.size) schedulePump();
  else pumping = false;
}

/**
 * Marks an element aria-busy, unless it is already: a widget may schedule a draw at every batch
 * (the split playground's byte table, some 700 times a second on the phone profile), and setting
 * the same attribute again is still a change of the page, to its observers and the accessibility
 * tree.
 */
function markBusy(el: unknown): void {
  if (isElement(el) && el.getAttribute('aria-busy') !== 'true') el.setAttribute('aria-busy', 'true');
}

/** Queues `draw` for `owner` (replacing one it already queued); it runs in a task of its own soon. */
export function enqueueDraw(owner: object, draw: () => void): void {
  pending.set(owner, draw);
  markBusy(owner);
  if (pumping) return;
  pumping = true;
  setTimeout(pump, Math.max(0, restUntil - performance.now()));
}

/**
 * Queues a draw that puts nothing on the page (a warm-up, plot-parts.ts): it takes its turn in a
 * task of its own, and the queue does not rest after it.
 */
export function enqueueWarmUp(draw: () => void): void {
  const owner = {};
  unseen.add(owner);
  enqueueDraw(owner, draw);
}

/** Drops what `owner` queued (its chart was destroyed or drew now). */
export function dequeueDraw(owner: object): void {
  pending.delete(owner);
  if (isElement(owner)) owner.removeAttribute('aria-busy');
}

/**
 * Plot puts the same fixed <style> into every chart's SVG (its rules are scoped to Plot's class).
 * A <style> entering or leaving the page changes the document's style sheets, and the browser
 * then matches every rule again: on the phone profile of the jank bench each chart redraw cost
 * about 29 ms of style recalculation for some 80 new elements (1–5 ms once the style stayed put),
 * half of every frame the federated playground drew while training. So the first chart's style
 * moves to <head> as a plain <style> of the same text (the CSP allows it by that text's hash,
 * src/runtime/csp-hashes.mjs), and later charts drop theirs.
 */
function shareStyle(svg: SVGSVGElement): void {
  for (const style of svg.querySelectorAll(':scope > style')) {
    style.remove();
    const text = style.textContent ?? '';
    if (typeof document === 'undefined' || [...document.head.querySelectorAll(`style[${SHARED_SVG_STYLE}]`)].some((s) => s.textContent === text)) continue;
    const shared = document.createElement('style');
    shared.setAttribute(SHARED_SVG_STYLE, '');
    shared.textContent = text;
    document.head.append(shared);
  }
}

export function asImage<T extends Element>(chart: T): T {
  // Plot returns a bare <svg>, or a <figure> around it when a chart has a legend or caption; the
  // role goes on the svg either way.
  const svg = chart instanceof SVGSVGElement ? chart : chart.querySelector('svg');
  if (svg) {
    shareStyle(svg);
    svg.setAttribute('role', 'img');
    for (const el of svg.querySelectorAll('[aria-label], [aria-description]')) {
      el.removeAttribute('aria-label');
      el.removeAttribute('aria-description');
    }
  }
  return chart;
}

/**
 * A scheduler that runs `draw` at most once per `ms`, through the shared queue (each draw in a
 * task of its own, a painted frame between two draws of the page). `now()` draws at once. With
 * `busy`, that element is aria-busy from `schedule()` until the draw (or `cancel()`).
 */
export function throttled(draw: () => void, ms = 150, busy?: Element): { schedule(): void; cancel(): void; now(): void; settle(): void } {
  const owner = {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  let queued = false;
  let last = -Infinity;
  const run = () => {
    queued = false;
    last = performance.now();
    busy?.removeAttribute('aria-busy');
    draw();
  };
  return {
    schedule() {
      markBusy(busy);
      if (timer || queued) return;
      const wait = Math.max(0, last + ms - performance.now());
      const go = () => {
        timer = undefined;
        queued = true;
        enqueueDraw(owner, run);
      };
      if (wait > 0) timer = setTimeout(go, wait);
      else go();
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
      queued = false;
      dequeueDraw(owner);
      busy?.removeAttribute('aria-busy');
    },
    now() {
      this.cancel();
      run();
    },
    /** Draws now only if a draw is waiting (for an export: the file shows the latest data). */
    settle() {
      if (timer || queued) this.now();
    },
  };
}

/** A chart element's renderer: `update(data)` redraws, `svg()` is the drawn chart for export. */
export interface ChartRenderer<D> {
  update(data: D): void;
  /** Draws the latest data now (e.g. when a run ends), instead of at the next queued draw. */
  flush(): void;
  /** The current chart's SVG element (for export), or null before the first draw. */
  svg(): SVGSVGElement | null;
  destroy(): void;
}

export interface PlotChartOptions<D> {
  /** The chart is never drawn narrower than this. */
  minWidth: number;
  /** Width before the element is laid out. */
  initialWidth?: number;
  /** The empty state, drawn in the next queued task; without it nothing is drawn before update(). */
  initial?: D;
  /** At most one redraw per this many ms, for the charts that update while a run streams. */
  every?: number;
  /**
   * Brings the chart on screen (`shown`, an earlier `render`'s result) up to the new data in
   * place, without Plot, and says whether it could: e.g. new points on axes that stay as they
   * are. When it returns false the chart is drawn again. A Plot draw is 40-80 ms on the phone
   * profile of the jank bench, and each one that is longer than a frame drops frames.
   */
  patch?: (shown: Element, data: D, width: number) => boolean;
}

/**
 * A chart's data as text, to tell a redraw of the same data (a run's event that changed nothing
 * the chart shows, a paused widget drawn again): a Plot draw is 40-80 ms on the phone profile of
 * the jank bench, the comparison a fraction of a millisecond. Data that cannot be written out is
 * always drawn.
 */
let unwritable = 0;
function keyOf(data: unknown): string {
  try {
    return JSON.stringify(data) ?? '';
  } catch {
    return `unwritable ${++unwritable}`;
  }
}

/**
 * A Plot chart that follows its element's width: `render(data, width)` draws the latest data
 * through the draw queue (see `enqueueDraw`, and `throttled` with `every`), and again when the
 * width changes by 8 px or more. The chart is one image. Every chart file is this entry point plus
 * its own marks.
 */
export function plotChart<D>(el: HTMLElement, options: PlotChartOptions<D>, render: (data: D, width: number) => Element): ChartRenderer<D> {
  const { minWidth, initialWidth = 480, every = 0 } = options;
  let data = options.initial;
  let room = el.clientWidth;
  let width = Math.max(minWidth, room || initialWidth);
  /** The data and width the chart on screen was drawn from: the same again is not drawn again. */
  let drawn = '';
  /**
   * The chart sits in a box as tall as the chart is drawn, whose size does not depend on its
   * contents (`contain: size layout`): the browser then lays out a new chart inside the box alone.
   * Without it each redraw laid out the whole page again, 3–17 ms on the phone profile of the jank
   * bench for a chapter's 3,000 boxes, where the chart's own are a few hundred.
   */
  const box = document.createElement('div');
  box.className = 'plot-box';
  /** Fixes the box's height to the SVG's at the width it shows at (Plot's SVG scales down to fit). */
  function fitBox() {
    const svg = box.firstElementChild;
    const [w, h] = svg instanceof SVGSVGElement ? [Number(svg.getAttribute('width')), Number(svg.getAttribute('height'))] : [NaN, NaN];
    const fixed = w > 0 && h > 0 && room > 0;
    Object.assign(box.style, { height: fixed ? `${h * Math.min(1, room / w)}px` : '', contain: fixed ? 'size layout' : '' });
  }
  const redraw = throttled(
    () => {
      if (data === undefined) return;
      const key = `${width}:${keyOf(data)}`;
      if (key === drawn && box.firstChild) return;
      drawn = key;
      const shown = box.firstElementChild;
      if (shown && options.patch?.(shown, data, width)) return;
      const image = asImage(render(data, width));
      // Other data can draw the same picture (a chart of the last rounds only): the page keeps it.
      if (box.childNodes.length === 1 && box.firstElementChild?.outerHTML === image.outerHTML) return;
      box.replaceChildren(image);
      fitBox();
      if (box.parentNode !== el) el.replaceChildren(box);
    },
    every,
    el,
  );
  const schedule = () => redraw.schedule();
  const ro =
    typeof ResizeObserver === 'undefined'
      ? null
      : new ResizeObserver((entries) => {
          const now = Math.round(entries[0]?.contentRect.width ?? width);
          if (now > 0 && now !== room) {
            room = now;
            fitBox();
          }
          // Compared at the width it would draw at: a box narrower than minWidth is not a change
          // (and a hidden one, 0 px wide, none at all).
          const w = Math.max(minWidth, now);
          if (now > 0 && Math.abs(w - width) >= 8) {
            width = w;
            schedule();
          }
        });
  ro?.observe(el);
  // The empty state too goes through the queue: a widget mounts several charts at once.
  if (data !== undefined) schedule();
  return {
    update(next) {
      data = next;
      schedule();
    },
    flush: () => redraw.now(),
    svg() {
      // A download clicked while a draw waits in the queue gets the latest data, not the last frame.
      redraw.settle();
      return el.querySelector('svg');
    },
    destroy() {
      redraw.cancel();
      ro?.disconnect();
      el.replaceChildren();
    },
  };
}
