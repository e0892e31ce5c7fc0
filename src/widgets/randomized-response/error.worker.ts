/** The error chart's surveys off the page's main thread (see ./error-job.ts). */
import { runErrorJob, type ErrorJob } from './error-job';

let current = 0;

self.onmessage = (e: MessageEvent<ErrorJob>) => {
  current = e.data.id;
  runErrorJob(e.data, () => current, (reply) => self.postMessage(reply));
};
