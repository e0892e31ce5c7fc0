/**
 * When a widget's heavy code may load, and when it may run.
 *
 * - far:  the widget is within a few screens: fetch its code when the browser is idle.
 * - near: the widget is about one screen away: mount it (renderers, worker, first run).
 * - visible: the widget is on screen (and the tab is shown); training pauses otherwise.
 *
 * Browsers without IntersectionObserver get everything at once, which is correct, only eager.
 */

export interface ProximityHandlers {
  /** Once, when idle and within `farMargin`: start downloading the widget's code. */
  onPrefetch?: () => void;
  /** Once, within `nearMargin`: mount the widget. */
  onNear: () => void;
  /** Every change of on-screen state (intersecting the viewport and the tab visible). */
  onVisible?: (visible: boolean) => void;
}

export interface ProximityOptions {
  /** Root margin for prefetching (default: three screens below and above). */
  farMargin?: string;
  /** Root margin for mounting (default: one screen). */
  nearMargin?: string;
}

/** Runs `f` when the main thread is idle (or soon, where requestIdleCallback is missing). */
export function whenIdle(f: () => void, timeout = 2000): void {
  const ric = (globalThis as { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => number }).requestIdleCallback;
  if (ric) ric(f, { timeout });
  else setTimeout(f, 200);
}

/**
 * Lets the browser run other tasks (input, a frame) before the caller goes on: `scheduler.yield()`
 * where it exists (the continuation keeps its priority), else a zero-delay timer.
 */
export function yieldToMain(): Promise<void> {
  const s = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof s?.yield === 'function') return s.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Creates the page's first Intl.NumberFormat. The first one loads the browser's number-formatting
 * data: 67-96 ms on the phone profile of `npm run bench -- --only=jank`, about 17 ms on a desktop,
 * in one task that cannot be cut (a later NumberFormat, in any locale, takes well under a
 * millisecond). Observable Plot creates one when its module is evaluated, so a widget would pay it
 * as the reader scrolls to it; the widget runtime pays it instead while the page loads, when the
 * reader is not scrolling yet (widget.ts, on the first widget a page defines).
 */
export function warmNumberFormat(): void {
  new Intl.NumberFormat('en-US').format(0);
}

/** Watches `el`; returns a function that stops watching. */
export function watchProximity(el: Element, handlers: ProximityHandlers, options: ProximityOptions = {}): () => void {
  const { farMargin = '300% 0px', nearMargin = '100% 0px' } = options;
  if (typeof IntersectionObserver === 'undefined') {
    handlers.onPrefetch?.();
    handlers.onNear();
    handlers.onVisible?.(true);
    return () => {};
  }
  let near = false;
  let prefetched = false;
  let intersecting = false;
  let lastVisible: boolean | null = null;

  const emitVisible = () => {
    const v = intersecting && document.visibilityState !== 'hidden';
    if (v !== lastVisible) {
      lastVisible = v;
      handlers.onVisible?.(v);
    }
  };

  const far = new IntersectionObserver(
    (entries) => {
      if (prefetched || !entries.some((e) => e.isIntersecting)) return;
      prefetched = true;
      far.disconnect();
      whenIdle(() => handlers.onPrefetch?.());
    },
    { rootMargin: farMargin },
  );
  const nearObs = new IntersectionObserver(
    (entries) => {
      if (near || !entries.some((e) => e.isIntersecting)) return;
      near = true;
      nearObs.disconnect();
      handlers.onNear();
      emitVisible();
    },
    { rootMargin: nearMargin },
  );
  const vis = new IntersectionObserver((entries) => {
    for (const e of entries) intersecting = e.isIntersecting;
    if (near) emitVisible();
  });
  const onTab = () => near && emitVisible();

  if (handlers.onPrefetch) far.observe(el);
  nearObs.observe(el);
  vis.observe(el);
  document.addEventListener('visibilitychange', onTab);
  return () => {
    far.disconnect();
    nearObs.disconnect();
    vis.disconnect();
    document.removeEventListener('visibilitychange', onTab);
  };
}

/** The reader asked for less motion (checked at each use: the setting can change live). */
export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}
