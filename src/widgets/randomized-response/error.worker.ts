/** The error chart's surveys off the page's main thread (see ./error-job.ts). */
import { slicedJobs } from '~/runtime/sliced-job';
import { runErrorJob, type ErrorJob } from './error-job';

const jobs = slicedJobs();

self.onmessage = (e: MessageEvent<ErrorJob>) => runErrorJob(e.data, jobs, (reply) => self.postMessage(reply));
