/**
 * The fallback for browsers (or policies) without Web Workers: the same trainer, in the page.
 * Messages still go through a macrotask and a structured clone, so the widget code cannot tell
 * the difference — except that training now shares the main thread, which the widget says.
 */
import { run } from '../engine/index';
import { initBackend, memory } from './backend';
import { createTrainer, type RunFn } from './trainer';
import { withAttacks } from './attacks';
import type { HostMessage, WorkerMessage } from './protocol';

/** Something with the part of the Worker interface the host uses. */
export interface Port {
  postMessage(message: HostMessage): void;
  terminate(): void;
}

export function createInPagePort(onMessage: (m: WorkerMessage) => void): Port {
  let closed = false;
  const trainer = createTrainer({
    run: withAttacks(run as RunFn),
    initBackend: (prefer) => initBackend(prefer, 'main'),
    memory,
    post: (m) => {
      setTimeout(() => {
        if (!closed) onMessage(m);
      }, 0);
    },
  });
  return {
    postMessage(message) {
      const copy = structuredClone(message);
      setTimeout(() => {
        if (!closed) trainer.handle(copy);
      }, 0);
    },
    terminate() {
      closed = true;
    },
  };
}
