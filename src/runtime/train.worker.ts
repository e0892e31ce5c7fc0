/**
 * The training worker: tfjs and the engine live here, off the page's main thread.
 * All logic is in ./trainer.ts, shared with the in-page fallback.
 */
import { run } from '../engine/index';
import { initBackend, memory } from './backend';
import { createTrainer, type RunFn } from './trainer';
import { withAttacks } from './attacks';
import type { WorkerMessage } from './protocol';

const scope = self as unknown as { postMessage(m: WorkerMessage): void; addEventListener(t: 'message', f: (e: MessageEvent) => void): void };

const trainer = createTrainer({
  run: withAttacks(run as RunFn),
  initBackend: (prefer) => initBackend(prefer, 'worker'),
  memory,
  post: (m) => scope.postMessage(m),
});

scope.addEventListener('message', (e: MessageEvent) => trainer.handle(e.data));
