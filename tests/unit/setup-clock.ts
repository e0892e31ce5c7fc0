/**
 * Unit test files share a worker (see tests/vitest.config.ts), so a file that leaves the clock
 * faked, or a spy on `setTimeout`, changes every file after it: a timer there never fires and a
 * test that has nothing to do with it times out (this happened: a spy taken on the faked
 * `setTimeout`, left in place, put the fake back after the file had made the clock real). This
 * check fails the file that did it instead.
 */
import { afterAll, expect, vi } from 'vitest';

const REAL = Symbol.for('fl-sl-notebook.real-timers');
type Timers = { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout; now: () => number };
const g = globalThis as typeof globalThis & { [REAL]?: Timers };
// The first file in a worker records the real functions; later files compare with those.
g[REAL] ??= { setTimeout, clearTimeout, now: performance.now };

afterAll(() => {
  // A spy put back later puts back whatever it replaced: a spy taken on a faked `setTimeout`
  // brings the fake back after the clock is real again. Put every spy back now, then look.
  vi.restoreAllMocks();
  const real = g[REAL]!;
  expect(vi.isFakeTimers(), 'this file left the clock faked (vi.useRealTimers)').toBe(false);
  expect(globalThis.setTimeout, 'this file left setTimeout replaced (a spy not restored?)').toBe(
    real.setTimeout,
  );
  expect(globalThis.clearTimeout, 'this file left clearTimeout replaced').toBe(real.clearTimeout);
  expect(performance.now, 'this file left performance.now replaced').toBe(real.now);
});
