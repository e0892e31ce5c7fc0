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
