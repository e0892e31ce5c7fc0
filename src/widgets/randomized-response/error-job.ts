/**
 * One computation of the error chart: `runs` surveys of `n` people at each ε of the grid (two
 * million coin flips per ε at the largest settings, over 100 ms of script on a desktop). It runs
 * in ./error.worker.ts, off the page's main thread; in the page only where a worker cannot start,
 * and then one ε per task. Each ε is handed over as soon as it is done, so the chart fills in from
 * the left, and a newer job (settings changed) abandons this one between two ε.
 */
import { errorVsEpsilon, type RrErrorPoint } from '~/engine/privacy/randomized-response';
import type { SlicedJobs } from '~/runtime/sliced-job';

/** One computation: its id, and the engine's surveys to run (`rate`: the true share of "yes", 0–1). */
export type ErrorJob = Parameters<typeof errorVsEpsilon>[0] & { id: number };

export interface ErrorReply {
  id: number;
  point: RrErrorPoint;
}

/** Computes `job` one ε per task as the current job of `jobs`, handing each point to `send`. */
export function runErrorJob(job: ErrorJob, jobs: SlicedJobs, send: (reply: ErrorReply) => void): void {
  let i = 0;
  // A turn of the event loop between two ε (a slice of 0 ms): a newer job's message (or the page) gets in.
  jobs.start(() => {
    if (i < job.epsilons.length) {
      const [point] = errorVsEpsilon({ ...job, epsilons: [job.epsilons[i++]] });
      send({ id: job.id, point });
    }
    return i >= job.epsilons.length;
  });
}
