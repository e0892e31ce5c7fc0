import { describe, expect, it } from 'vitest';
import { Cancelled, chooseYield, makeTicker, YIELD_INTERVAL_MS } from '~/engine/tick';

describe('yielding and cancellation', () => {
  it.each([
    ['setImmediate (Node)', { setImmediate }],
    ['MessageChannel (worker)', { MessageChannel }],
    ['setTimeout (fallback)', {}],
  ])('%s: resolves after a macrotask, in order', async (_, g) => {
    const y = chooseYield(g as Parameters<typeof chooseYield>[0]);
    const order: number[] = [];
    let microtasksDone = false;
    queueMicrotask(() => (microtasksDone = true));
    await Promise.all([1, 2, 3].map((i) => y().then(() => order.push(i))));
    expect(microtasksDone).toBe(true);
    expect(order).toEqual([1, 2, 3]);
  });

  it('lets a timer fire during a busy loop that ticks', async () => {
    const tick = makeTicker();
    let fired = false;
    setTimeout(() => (fired = true), 5);
    const t0 = performance.now();
    while (!fired && performance.now() - t0 < 2000) {
      const spin = performance.now();
      while (performance.now() - spin < 1); // 1 ms of "training"
      await tick();
    }
    expect(fired).toBe(true);
    expect(performance.now() - t0).toBeLessThan(5 + 4 * YIELD_INTERVAL_MS + 100);
  });

  it('throws Cancelled once the signal has fired, before or after a yield', async () => {
    const c = new AbortController();
    const tick = makeTicker(c.signal);
    await tick(true);
    c.abort();
    await expect(tick()).rejects.toBeInstanceOf(Cancelled);
    const c2 = new AbortController();
    const tick2 = makeTicker(c2.signal);
    setImmediate(() => c2.abort());
    await expect(tick2(true)).rejects.toBeInstanceOf(Cancelled);
  });
});
