/**
 * The sliced jobs of the widgets that compute in the page (runtime/sliced-job.ts): the work runs
 * to the end in slices after the current task, a newer job abandons the older one, cancel() stops
 * the current one, and a slice of 0 ms yields after every call.
 */
import { describe, expect, test } from 'vitest';
import { slicedJobs } from '~/runtime/sliced-job';

/** Resolves once every queued timer (slices included) has had its turn. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 50));

describe('slicedJobs', () => {
  test('runs the work to the end after the current task, reporting each slice', async () => {
    const jobs = slicedJobs();
    let calls = 0;
    const slices: boolean[] = [];
    jobs.start(() => ++calls === 5, { after: (done) => slices.push(done) });
    // Nothing runs in the task that started the job.
    expect(calls).toBe(0);
    await settle();
    expect(calls).toBe(5);
    // sliceMs 0: one call per slice, the last one done.
    expect(slices).toEqual([false, false, false, false, true]);
  });

  test('a long slice makes several calls in one task', async () => {
    const jobs = slicedJobs();
    let calls = 0;
    const slices: boolean[] = [];
    jobs.start(() => ++calls === 20, { sliceMs: 1000, after: (done) => slices.push(done) });
    await settle();
    expect(calls).toBe(20);
    expect(slices).toEqual([true]);
  });

  test('starting a job abandons the one before; cancel() abandons the current one', async () => {
    const jobs = slicedJobs();
    const calls = { a: 0, b: 0, c: 0 };
    jobs.start(() => ++calls.a === 100);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const aBefore = calls.a;
    jobs.start(() => ++calls.b === 3);
    await settle();
    expect(calls.a).toBe(aBefore);
    expect(calls.a).toBeLessThan(100);
    expect(calls.b).toBe(3);

    jobs.start(() => ++calls.c === 100);
    jobs.cancel();
    await settle();
    expect(calls.c).toBe(0);
  });

  test('runners are independent', async () => {
    const one = slicedJobs();
    const two = slicedJobs();
    let a = 0;
    let b = 0;
    one.start(() => ++a === 3);
    two.start(() => ++b === 3);
    two.cancel();
    await settle();
    expect(a).toBe(3);
    expect(b).toBe(0);
  });
});
