/**
 * Two things every Observable Plot chart of these widgets needs.
 *
 * - `asImage`: one image with one Korean name. Plot labels its inner groups in English ("line",
 *   "x-axis tick"), and aria-label on a plain <g> is not allowed (axe: aria-prohibited-attr); the
 *   widget's text summary and tables carry the numbers.
 * - `throttled`: Plot rebuilds the whole SVG on every draw, so redraws are spaced out (at most one
 *   per `ms`, the last request always drawn) to keep the main thread free while a run streams.
 */

export function asImage<T extends Element>(chart: T): T {
  chart.setAttribute('role', 'img');
  for (const g of chart.querySelectorAll('[aria-label]')) g.removeAttribute('aria-label');
  for (const g of chart.querySelectorAll('[aria-description]')) g.removeAttribute('aria-description');
  return chart;
}

/** A scheduler that runs `draw` in an animation frame, at most once per `ms`. */
export function throttled(draw: () => void, ms = 150): { schedule(): void; cancel(): void } {
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = -Infinity;
  return {
    schedule() {
      if (frame || timer) return;
      const wait = last + ms - performance.now();
      const go = () => {
        timer = undefined;
        frame = requestAnimationFrame(() => {
          frame = 0;
          last = performance.now();
          draw();
        });
      };
      if (wait > 0) timer = setTimeout(go, wait);
      else go();
    },
    cancel() {
      if (frame) cancelAnimationFrame(frame);
      clearTimeout(timer);
      frame = 0;
      timer = undefined;
    },
  };
}
