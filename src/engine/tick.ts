/**
 * Yielding to the event loop and cancellation.
 *
 * tfjs on wasm or cpu computes synchronously, and awaiting data() does not let the next message
 * in. A worker only sees a cancel message, and Node only sees an AbortSignal fired from a timer,
 * when the loop gives the event loop a real macrotask turn. The ticker does that every few
 * milliseconds of work, and checks the signal at every batch.
 */

/** Thrown inside a run when its AbortSignal fires; run() turns it into 'run-cancelled'. */
export class Cancelled extends Error {
  constructor() {
    super('run cancelled');
    this.name = 'Cancelled';
  }
}

type Resolve = () => void;

/**
 * One macrotask turn: setImmediate in Node; a MessageChannel in a worker (setTimeout(0) is
 * clamped to 4 ms once nested, which would cost a third of the time at this yield rate).
 * `g` is the global object to look in (a parameter so that tests can take each branch).
 */
export function chooseYield(g: { setImmediate?: (f: () => void) => unknown; MessageChannel?: typeof MessageChannel } = globalThis as never): () => Promise<void> {
  if (typeof g.setImmediate === 'function') {
    const si = g.setImmediate;
    return () => new Promise<void>((r) => si(r));
  }
  if (typeof g.MessageChannel === 'function') {
    const ch = new g.MessageChannel();
    const waiting: Resolve[] = [];
    ch.port1.onmessage = () => waiting.shift()?.();
    // Node (tests) keeps a process alive while a port listens; browsers have no unref.
    (ch.port1 as { unref?: () => void }).unref?.();
    return () =>
      new Promise<void>((r) => {
        waiting.push(r);
        ch.port2.postMessage(null);
      });
  }
  return () => new Promise<void>((r) => setTimeout(r, 0));
}

export const yieldToEventLoop: () => Promise<void> = chooseYield();

/** Milliseconds of work between yields. */
export const YIELD_INTERVAL_MS = 10;

/**
 * Returns `tick()`: throws Cancelled if the signal has fired, and yields to the event loop when
 * YIELD_INTERVAL_MS have passed since the last yield (always, with `force`).
 */
export function makeTicker(signal?: AbortSignal): (force?: boolean) => Promise<void> {
  let last = performance.now();
  return async (force = false) => {
    if (signal?.aborted) throw new Cancelled();
    if (force || performance.now() - last >= YIELD_INTERVAL_MS) {
      await yieldToEventLoop();
      last = performance.now();
      if (signal?.aborted) throw new Cancelled();
    }
  };
}
