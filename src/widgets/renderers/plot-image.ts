/**
 * Two things every Observable Plot chart of these widgets needs.
 *
 * - `asImage`: one image with one Korean name. Plot labels its inner groups in English ("line",
 *   "x-axis tick"), and aria-label on a plain <g> is not allowed (axe: aria-prohibited-attr); the
 *   widget's text summary and tables carry the numbers.
 * - `throttled`: Plot rebuilds the whole SVG on every draw, so redraws are spaced out (at most one
 *   per `ms`, the last request always drawn, each in its own task) to keep the main thread free
 *   while a run streams.
 */

export function asImage<T extends Element>(chart: T): T {
  // Plot returns a bare <svg>, or a <figure> around it when a chart has a legend or caption; the
  // role goes on the svg either way.
  const svg = chart instanceof SVGSVGElement ? chart : chart.querySelector('svg');
  if (svg) {
    svg.setAttribute('role', 'img');
    for (const el of svg.querySelectorAll('[aria-label], [aria-description]')) {
      el.removeAttribute('aria-label');
      el.removeAttribute('aria-description');
    }
  }
  return chart;
}

/**
 * A scheduler that runs `draw` at most once per `ms`, each time in a task of its own (a timer,
 * not an animation frame): several charts that update together then draw in separate tasks
 * instead of one long frame.
 */
export function throttled(draw: () => void, ms = 150): { schedule(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = -Infinity;
  return {
    schedule() {
      if (timer) return;
      const wait = Math.max(0, last + ms - performance.now());
      timer = setTimeout(() => {
        timer = undefined;
        last = performance.now();
        draw();
      }, wait);
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** A chart element's renderer: `update(data)` redraws, `svg()` is the drawn chart for export. */
export interface ChartRenderer<D> {
  update(data: D): void;
  svg(): SVGSVGElement | null;
  destroy(): void;
}

/**
 * A Plot chart that follows its element's width: `render(data, width)` draws the latest data at
 * most once per animation frame, and again when the width changes by 8 px or more (never narrower
 * than `minWidth`; `initialWidth` before the element is laid out). The chart is one image.
 */
export function responsiveChart<D>(
  el: HTMLElement,
  { minWidth, initialWidth = 480 }: { minWidth: number; initialWidth?: number },
  render: (data: D, width: number) => Element,
): ChartRenderer<D> {
  let data: D | null = null;
  let frame = 0;
  let width = Math.max(minWidth, el.clientWidth || initialWidth);
  const draw = () => {
    frame = 0;
    if (data) el.replaceChildren(asImage(render(data, width)));
  };
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(draw);
  };
  const ro =
    typeof ResizeObserver === 'undefined'
      ? null
      : new ResizeObserver((entries) => {
          const w = Math.round(entries[0]?.contentRect.width ?? width);
          if (w > 0 && Math.abs(w - width) >= 8) {
            width = Math.max(minWidth, w);
            schedule();
          }
        });
  ro?.observe(el);
  return {
    update(next) {
      data = next;
      schedule();
    },
    svg: () => el.querySelector('svg'),
    destroy() {
      if (frame) cancelAnimationFrame(frame);
      ro?.disconnect();
      el.replaceChildren();
    },
  };
}

/**
 * The same for a chart drawn from the start (from `initial`, its empty state) whose redraws go
 * through `throttled`, for the charts that update while a run streams.
 */
export function throttledChart<D>(
  el: HTMLElement,
  { minWidth, initialWidth = 480 }: { minWidth: number; initialWidth?: number },
  initial: D,
  render: (data: D, width: number) => Element,
): ChartRenderer<D> {
  let data = initial;
  let width = Math.max(minWidth, el.clientWidth || initialWidth);
  const draw = () => el.replaceChildren(asImage(render(data, width)));
  const redraw = throttled(draw);
  const schedule = () => redraw.schedule();
  const ro =
    typeof ResizeObserver === 'undefined'
      ? null
      : new ResizeObserver((entries) => {
          const w = Math.round(entries[0]?.contentRect.width ?? width);
          if (w > 0 && Math.abs(w - width) >= 8) {
            width = Math.max(minWidth, w);
            schedule();
          }
        });
  ro?.observe(el);
  draw();
  return {
    update(next) {
      data = next;
      schedule();
    },
    svg() {
      return el.querySelector('svg');
    },
    destroy() {
      redraw.cancel();
      ro?.disconnect();
      el.replaceChildren();
    },
  };
}
