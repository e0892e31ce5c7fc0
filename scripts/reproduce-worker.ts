/**
 * One training process of `npm run reproduce -- --jobs n` (n > 1): the tuner in the parent sends
 * a configuration, this process trains it with the engine and reports every round's test
 * accuracy; it stops at the target, at the round count given, or when the parent says `stop`
 * (another learning rate reached the target sooner). One run at a time; the parent keeps one
 * such process per job, so the runs use as many cores as there are jobs.
 *
 * Messages (structured clone over the IPC channel):
 *   parent → worker  { type: 'init', backend, mnist }   once, before the first run
 *                    { type: 'run', id, config, target }
 *                    { type: 'stop', id }
 *   worker → parent  { type: 'ready' }   { type: 'round', id, accuracy }
 *                    { type: 'done', id, accuracies, diverged, seconds }   { type: 'error', id, message }
 */
import type { RunConfig } from '../src/engine/types';
import { run } from '../src/engine/index';
import { roundsToTarget } from '../src/engine/metrics';
import { RUN_OPTIONS } from './reproduce';
import { initNodeBackend, nodeDataSource } from '../src/engine/node';

export type ToWorker =
  | { type: 'init'; backend: 'wasm' | 'cpu'; mnist: 'full' | 'subset' }
  | { type: 'run'; id: number; config: RunConfig; target: number; chance: number }
  | { type: 'stop'; id: number };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'round'; id: number; accuracy: number }
  | { type: 'done'; id: number; accuracies: number[]; diverged: boolean; seconds: number }
  | { type: 'error'; id: number; message: string };

const send = (m: FromWorker) => process.send!(m);
let data: ReturnType<typeof nodeDataSource> | null = null;
const stopped = new Set<number>();

async function train(id: number, config: RunConfig, target: number, chance: number): Promise<void> {
  const accuracies: number[] = [];
  let diverged = false;
  const started = performance.now();
  for await (const e of run(config, { ...RUN_OPTIONS, data: data! })) {
    if (e.type === 'round-metrics') {
      accuracies.push(e.metrics.testAccuracy);
      send({ type: 'round', id, accuracy: e.metrics.testAccuracy });
      // The engine yields to the event loop every few milliseconds, so a stop arrives in time.
      if (stopped.has(id) || roundsToTarget(accuracies, target, chance) !== null) break;
    } else if (e.type === 'run-diverged') diverged = true;
  }
  stopped.delete(id);
  send({ type: 'done', id, accuracies, diverged, seconds: (performance.now() - started) / 1000 });
}

process.on('message', (m: ToWorker) => {
  if (m.type === 'init') {
    initNodeBackend(m.backend).then(
      () => {
        data = nodeDataSource({ mnistFull: m.mnist === 'full' });
        send({ type: 'ready' });
      },
      (err: unknown) => send({ type: 'error', id: -1, message: err instanceof Error ? err.message : String(err) }),
    );
  } else if (m.type === 'run') {
    train(m.id, m.config, m.target, m.chance).catch((err: unknown) => send({ type: 'error', id: m.id, message: err instanceof Error ? err.message : String(err) }));
  } else if (m.type === 'stop') stopped.add(m.id);
});
// The parent gone (Ctrl-C, a crash): nothing left to do.
process.on('disconnect', () => process.exit(0));
