/**
 * Work that computes in the page (or in a worker that must keep reading its messages) in slices
 * between turns of the event loop, so that a click, a paint or a newer message gets in between.
 * One runner holds one job at a time: starting a job abandons the one before it (the settings
 * changed), and `cancel()` abandons it without a new one (the widget was destroyed, or the
 * settings became invalid). An abandoned job's `work` is never called again.
 *
 * ```ts
 * const jobs = slicedJobs();
 * jobs.start(() => sim.advance(2000), { sliceMs: 25, after: (done) => showProgress(done) });
 * ```
 */

export interface SliceOptions {
  /**
   * Milliseconds of `work` calls per slice (one call always runs): 0 yields after every call,
   * e.g. so that each piece of a result is handed on in a task of its own.
   */
  sliceMs?: number;
  /** After each slice; `done` on the last one (then no slice follows). */
  after?(done: boolean): void;
}

export interface SlicedJobs {
  /** Calls `work` until it returns true (finished), in slices; abandons the job before. */
  start(work: () => boolean, options?: SliceOptions): void;
  /** Abandons the current job, if any. */
  cancel(): void;
}

export function slicedJobs(): SlicedJobs {
  /** The current job's number; a slice of any other number stops. */
  let current = 0;
  return {
    start(work, { sliceMs = 0, after } = {}) {
      const job = ++current;
      const slice = () => {
        if (job !== current) return;
        const t0 = performance.now();
        let done = work();
        while (!done && performance.now() - t0 < sliceMs) done = work();
        after?.(done);
        if (!done) setTimeout(slice, 0);
      };
      setTimeout(slice, 0);
    },
    cancel() {
      current++;
    },
  };
}
