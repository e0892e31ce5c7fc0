/**
 * The page side of training: the worker is created after the page's next frame, not in the task
 * that mounts the widget, and whatever the widget asked before it existed reaches it, in order.
 * The Worker here is a stand-in that records what it is sent (Node has none); the host is real.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { TrainingHost } from '~/runtime/host';
import type { RunConfig } from '~/engine/types';

class RecordingWorker {
  static made: RecordingWorker[] = [];
  sent: { type: string; runId?: number }[] = [];
  listeners: ((e: { data: unknown }) => void)[] = [];
  constructor() {
    RecordingWorker.made.push(this);
  }
  postMessage(m: { type: string; runId?: number }) {
    this.sent.push(m);
  }
  addEventListener(type: string, f: (e: { data: unknown }) => void) {
    if (type === 'message') this.listeners.push(f);
  }
  /** A message from the trainer. */
  reply(data: unknown) {
    for (const f of this.listeners) f({ data });
  }
  terminate() {}
}

const config = { algorithm: 'centralized' } as unknown as RunConfig;
/** Longer than the host's wait when no frame comes (Node draws none). */
const afterStart = () => new Promise((resolve) => setTimeout(resolve, 150));
const kinds = (w: RecordingWorker) => w.sent.map((m) => (m.runId ? `${m.type} ${m.runId}` : m.type));

describe('training host', () => {
  const saved = (globalThis as { Worker?: unknown }).Worker;
  beforeEach(() => {
    RecordingWorker.made = [];
    (globalThis as { Worker?: unknown }).Worker = RecordingWorker;
  });
  afterEach(() => {
    (globalThis as { Worker?: unknown }).Worker = saved;
  });

  test('the worker starts after the mount, and gets what was asked before, in order', async () => {
    const host = new TrainingHost({ onEvent: () => {} });
    host.setPace(40);
    host.start(config, {});
    const id = host.start(config, {});
    host.pause();
    // Nothing is created in the task that made the host.
    expect(RecordingWorker.made).toHaveLength(0);
    await afterStart();
    expect(RecordingWorker.made).toHaveLength(1);
    // The superseded first run is never started; its cancel comes after, and the trainer ignores it.
    expect(kinds(RecordingWorker.made[0])).toEqual(['init', 'pace', `start ${id}`, 'cancel 1', `pause ${id}`]);
    // Once there, the worker gets each message as it is sent.
    host.resume();
    expect(kinds(RecordingWorker.made[0]).at(-1)).toBe(`resume ${id}`);
    host.dispose();
  });

  test('a host disposed before its worker starts never creates one', async () => {
    const host = new TrainingHost({ onEvent: () => {} });
    host.start(config, {});
    host.dispose();
    await afterStart();
    expect(RecordingWorker.made).toHaveLength(0);
  });

  test('holding: the trainer said the current run holds or is done; a new run, or a resume, lets go', async () => {
    const said: boolean[] = [];
    const host = new TrainingHost({ onEvent: () => {}, onPaused: (p) => said.push(p) });
    const first = host.start(config, {});
    await afterStart();
    const worker = RecordingWorker.made[0];
    expect(host.holding).toBe(false);
    worker.reply({ type: 'paused', runId: first });
    expect([host.holding, said]).toEqual([true, [true]]);
    worker.reply({ type: 'resumed', runId: first });
    expect(host.holding).toBe(false);
    worker.reply({ type: 'done', runId: first });
    expect(host.holding).toBe(true);
    const second = host.start(config, {});
    expect(host.holding).toBe(false);
    // A word about a run that is no longer shown changes nothing.
    worker.reply({ type: 'paused', runId: first });
    expect([host.holding, said]).toEqual([false, [true, false]]);
    worker.reply({ type: 'paused', runId: second });
    expect(host.holding).toBe(true);
    host.dispose();
  });
});
