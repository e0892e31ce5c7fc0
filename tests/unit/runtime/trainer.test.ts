/**
 * The worker-side trainer against the real engine on tfjs (wasm in Node): run ids, cancellation,
 * pause/step/resume, the blown-up-loss stop, and tensors back to baseline after many reruns.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from '~/engine/node';
import { run, defaultConfig } from '~/engine/index';
import { createTrainer, type RunFn } from '~/runtime/trainer';
import type { WorkerMessage } from '~/runtime/protocol';
import type { EngineEvent } from '~/engine/types';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const config = (over: Parameters<typeof defaultConfig>[0] = {}) =>
  defaultConfig({
    algorithm: 'centralized',
    dataset: { name: 'circles', noise: 0.1, size: 120 },
    model: { kind: 'mlp', hidden: [6], activation: 'tanh' },
    clients: 3,
    epochs: 6,
    batchSize: 16,
    lr: 0.1,
    seed: 3,
    ...over,
  });

function harness(runFn: RunFn = run as RunFn) {
  const messages: WorkerMessage[] = [];
  const waiters: { pred: (m: WorkerMessage) => boolean; resolve: () => void }[] = [];
  const trainer = createTrainer({
    run: runFn,
    initBackend: async () => ({ backend: tf.getBackend() as 'wasm', thread: 'worker' }),
    memory: () => tf.memory(),
    post: (m) => {
      messages.push(structuredClone(m));
      for (const w of [...waiters]) if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    },
  });
  const until = (pred: (m: WorkerMessage) => boolean) =>
    messages.some(pred) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ pred, resolve }));
  const events = (runId: number) => messages.flatMap((m) => (m.type === 'events' && m.runId === runId ? m.events : []));
  return { trainer, messages, until, events };
}

describe('trainer', () => {
  test('a run streams its events, tagged with its id, and ends with done', async () => {
    const h = harness();
    h.trainer.handle({ type: 'start', runId: 1, config: config(), options: { boundaryGrid: 8 } });
    await h.until((m) => m.type === 'done' && m.runId === 1);
    const ev = h.events(1);
    expect(ev[0].type).toBe('run-started');
    expect(ev.filter((e) => e.type === 'round-metrics')).toHaveLength(6);
    expect(ev.filter((e) => e.type === 'boundary')).toHaveLength(6);
    expect(ev.at(-1)!.type).toBe('run-finished');
  });

  test('events go out together, in order, each sent once and all before done', async () => {
    const h = harness();
    // Split learning: a smashed-data and a gradient event per batch, many per frame's time.
    const split = config({ algorithm: 'split', epochs: 3, batchSize: 8, cut: 1, model: { kind: 'mlp', hidden: [6, 6], activation: 'tanh' } });
    h.trainer.handle({ type: 'start', runId: 1, config: split, options: {} });
    await h.until((m) => m.type === 'done' && m.runId === 1);
    const sends = h.messages.filter((m) => m.type === 'events' && m.runId === 1);
    const ev = h.events(1);
    expect(ev[0].type).toBe('run-started');
    expect(ev.at(-1)!.type).toBe('run-finished');
    expect(ev.filter((e) => e.type === 'round-metrics').map((e) => (e.type === 'round-metrics' ? e.metrics.round : 0))).toEqual([1, 2, 3]);
    expect(ev.filter((e) => e.type === 'smashed-sent').length).toBeGreaterThan(40);
    // Fewer messages than events: they were gathered (one message each would make the counts equal).
    expect(sends.length).toBeLessThan(ev.length / 4);
    expect(sends.every((m) => m.type === 'events' && m.events.length > 0)).toBe(true);
    const done = h.messages.findIndex((m) => m.type === 'done' && m.runId === 1);
    expect(h.messages.findLastIndex((m) => m.type === 'events' && m.runId === 1)).toBeLessThan(done);
  });

  test('a run told which events to send sends only those, besides its start and end', async () => {
    const h = harness();
    h.trainer.handle({ type: 'start', runId: 3, config: config(), options: { boundaryGrid: 8, events: ['round-metrics'] } });
    await h.until((m) => m.type === 'done' && m.runId === 3);
    const types = h.events(3).map((e) => e.type);
    expect(types).toEqual(['run-started', ...Array(6).fill('round-metrics'), 'run-finished']);
    // Unfiltered, the same run also sends its boundaries (and so the filter had something to drop).
    h.trainer.handle({ type: 'start', runId: 4, config: config(), options: { boundaryGrid: 8 } });
    await h.until((m) => m.type === 'done' && m.runId === 4);
    expect(h.events(4).filter((e) => e.type === 'boundary')).toHaveLength(6);
    // The engine computed the same run either way.
    const metrics = (id: number) => h.events(id).flatMap((e) => (e.type === 'round-metrics' ? [e.metrics.testLoss] : []));
    expect(metrics(3)).toEqual(metrics(4));
  });

  test('a new start cancels the old run: none of its events follow, and runs never overlap', async () => {
    const h = harness();
    const baseline = tf.memory().numTensors;
    // Long epochs (2000 points, batches of 8), and the new start lands in the middle of one:
    // the engine is computing when the cancel comes.
    h.trainer.handle({ type: 'start', runId: 1, config: config({ epochs: 500, batchSize: 8, dataset: { name: 'circles', noise: 0.1, size: 2000 } }), options: {} });
    await h.until((m) => m.type === 'events' && m.events.some((e) => e.type === 'round-metrics'));
    await new Promise((r) => setTimeout(r, 25));
    h.trainer.handle({ type: 'start', runId: 2, config: config(), options: {} });
    const cut = h.messages.length;
    await h.until((m) => m.type === 'done' && m.runId === 2);
    const after = h.messages.slice(cut);
    expect(after.filter((m) => m.type === 'events' && m.runId === 1)).toEqual([]);
    const done1 = after.findIndex((m) => m.type === 'done' && m.runId === 1);
    const first2 = after.findIndex((m) => m.type === 'events' && m.runId === 2);
    expect(done1).toBeGreaterThanOrEqual(0);
    expect(done1).toBeLessThan(first2);
    expect(h.events(1).some((e) => e.type === 'run-finished')).toBe(false);
    expect(h.events(2).at(-1)!.type).toBe('run-finished');
    expect(tf.memory().numTensors).toBe(baseline);
  });

  test('events of a cancelled run still waiting to be sent are dropped, not sent after the new start', async () => {
    // A scripted run: its first event goes at once, its second waits in the 16 ms outbox while the
    // run waits for its cancel. Run 2 then starts inside that window, every time.
    const scripted: RunFn = async function* (_config, options) {
      yield { type: 'run-started' } as unknown as EngineEvent;
      yield { type: 'round-started', round: 1, selected: [] } as unknown as EngineEvent;
      if (!options.signal?.aborted) await new Promise((resolve) => options.signal?.addEventListener('abort', resolve));
    };
    const h = harness(scripted);
    h.trainer.handle({ type: 'start', runId: 1, config: config(), options: {} });
    await h.until((m) => m.type === 'events' && m.runId === 1);
    expect(h.events(1).map((e) => e.type)).toEqual(['run-started']);
    // The run yields its second event in the microtasks after the first message: it is in the
    // outbox after them, and its 16 ms timer has not fired.
    await new Promise((resolve) => setImmediate(resolve));
    h.trainer.handle({ type: 'start', runId: 2, config: config(), options: {} });
    const cut = h.messages.length;
    await h.until((m) => m.type === 'events' && m.runId === 2);
    await h.until((m) => m.type === 'done' && m.runId === 1);
    const after = h.messages.slice(cut);
    expect(after.filter((m) => m.type === 'events' && m.runId === 1)).toEqual([]);
    // The one event it had computed is gone for good: the page never sees round 1 of run 1.
    expect(h.events(1).map((e) => e.type)).toEqual(['run-started']);
  });

  test('cancel by id stops that run only', async () => {
    const h = harness();
    h.trainer.handle({ type: 'start', runId: 5, config: config({ epochs: 500 }), options: {} });
    await h.until((m) => m.type === 'events' && m.events.some((e) => e.type === 'round-metrics'));
    h.trainer.handle({ type: 'cancel', runId: 4 }); // a stale id: ignored
    h.trainer.handle({ type: 'cancel', runId: 5 });
    await h.until((m) => m.type === 'done' && m.runId === 5);
    const rounds = h.events(5).filter((e) => e.type === 'round-metrics').length;
    expect(rounds).toBeGreaterThan(0);
    expect(rounds).toBeLessThan(500);
  });

  test('a run started held shows its data, then steps one epoch at a time', async () => {
    const h = harness();
    h.trainer.handle({ type: 'start', runId: 7, config: config(), options: {}, paused: true });
    await h.until((m) => m.type === 'paused' && m.runId === 7);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.events(7).map((e) => e.type)).toEqual(['run-started']);
    h.trainer.handle({ type: 'step', runId: 7 });
    await h.until((m) => m.type === 'events' && m.events.some((e) => e.type === 'round-metrics'));
    await new Promise((r) => setTimeout(r, 50));
    expect(h.events(7).filter((e) => e.type === 'round-metrics')).toHaveLength(1);
    h.trainer.handle({ type: 'step', runId: 7 });
    await h.until((m) => m.type === 'events' && m.events.some((e) => e.type === 'round-metrics' && e.metrics.round === 2));
    await new Promise((r) => setTimeout(r, 50));
    expect(h.events(7).filter((e) => e.type === 'round-metrics')).toHaveLength(2);
    h.trainer.handle({ type: 'resume', runId: 7 });
    await h.until((m) => m.type === 'done' && m.runId === 7);
    expect(h.events(7).filter((e) => e.type === 'round-metrics')).toHaveLength(6);
  });

  test('pace spaces the epochs', async () => {
    const h = harness();
    h.trainer.handle({ type: 'pace', ms: 60 });
    const t0 = performance.now();
    h.trainer.handle({ type: 'start', runId: 1, config: config({ epochs: 4 }), options: {} });
    await h.until((m) => m.type === 'done');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(3 * 60);
  });

  test('batch pace spaces the batches of split learning (the slow speed watched batch by batch)', async () => {
    const h = harness();
    h.trainer.handle({ type: 'pace', ms: 0, batchMs: 50 });
    const split = config({ algorithm: 'split', epochs: 1, batchSize: 24, cut: 1, model: { kind: 'mlp', hidden: [6, 6], activation: 'tanh' } });
    const t0 = performance.now();
    h.trainer.handle({ type: 'start', runId: 1, config: split, options: {} });
    await h.until((m) => m.type === 'done');
    const batches = h.events(1).filter((e) => e.type === 'smashed-sent' && e.from !== 'server').length;
    // Enough batches that the bound says something; the first goes at once, each later one waits.
    expect(batches).toBeGreaterThanOrEqual(3);
    expect(performance.now() - t0).toBeGreaterThanOrEqual((batches - 1) * 50);
  });

  test('a far too large learning rate stops as diverged, and the next run trains', async () => {
    const h = harness();
    const baseline = tf.memory().numTensors;
    h.trainer.handle({
      type: 'start',
      runId: 1,
      config: config({ lr: 10, epochs: 50, model: { kind: 'mlp', hidden: [8, 8], activation: 'tanh' }, dataset: { name: 'spiral', noise: 0.1, size: 300 } }),
      options: { divergeFactor: 10 },
    });
    await h.until((m) => m.type === 'done' && m.runId === 1);
    const last = h.events(1).at(-1)!;
    expect(last.type).toBe('run-diverged');
    if (last.type === 'run-diverged') expect(last.message).toMatch(/발산/);
    expect(tf.memory().numTensors).toBe(baseline);
    h.trainer.handle({ type: 'start', runId: 2, config: config(), options: { divergeFactor: 10 } });
    await h.until((m) => m.type === 'done' && m.runId === 2);
    expect(h.events(2).at(-1)!.type).toBe('run-finished');
  });

  test('the engine’s own NaN divergence comes through as run-diverged', async () => {
    const h = harness();
    h.trainer.handle({ type: 'start', runId: 1, config: config({ lr: 10, model: { kind: 'mlp', hidden: [8, 8], activation: 'linear' } }), options: {} });
    await h.until((m) => m.type === 'done');
    expect(h.events(1).at(-1)!.type).toBe('run-diverged');
  });

  test('an invalid config is reported in Korean', async () => {
    const h = harness();
    h.trainer.handle({ type: 'start', runId: 1, config: config({ lr: -1 }), options: {} });
    await h.until((m) => m.type === 'done');
    const err = h.messages.find((m) => m.type === 'error');
    expect(err && err.type === 'error' && err.message).toMatch(/학습률/);
  });

  test('garbage messages are answered with an error, not a crash', () => {
    const h = harness();
    for (const m of [null, 1, 'x', { type: 'start' }, { type: 'pace', ms: -5 }]) h.trainer.handle(m);
    expect(h.messages.filter((m) => m.type === 'error')).toHaveLength(5);
  });

  test('50 reruns leave no tensors behind', async () => {
    const h = harness();
    const baseline = tf.memory().numTensors;
    for (let i = 1; i <= 50; i++) {
      h.trainer.handle({ type: 'start', runId: i, config: config({ epochs: 200, seed: i }), options: { boundaryGrid: 8 } });
      // Let each run get into its epochs before the next one supersedes it.
      await new Promise((r) => setTimeout(r, i % 5 === 0 ? 30 : 2));
    }
    await h.until((m) => m.type === 'done' && m.runId === 50);
    h.trainer.handle({ type: 'memory', requestId: 1 });
    const mem = h.messages.find((m) => m.type === 'memory');
    expect(mem && mem.type === 'memory' && mem.numTensors).toBe(baseline);
  });
});
