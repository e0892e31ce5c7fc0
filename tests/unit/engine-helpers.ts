/**
 * Shared by the engine tests: the real wasm backend (no mocks), the Node data source, and small
 * helpers to collect a run's events.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend, nodeDataSource } from '~/engine/node';
import { run, defaultConfig, type EngineEvent, type RunConfig, type RunOptions } from '~/engine/index';

export { tf, defaultConfig };

export const data = nodeDataSource();

export async function setup(): Promise<void> {
  const backend = await initNodeBackend('wasm');
  if (backend !== 'wasm') throw new Error(`expected the wasm backend, got ${backend}`);
}

export async function collect(config: RunConfig, options: RunOptions = {}): Promise<EngineEvent[]> {
  const events: EngineEvent[] = [];
  for await (const e of run(config, { data, ...options })) events.push(e);
  return events;
}

/**
 * Runs `config` and aborts it from a timer `afterMs` into the run: its events, when the abort
 * fired (0 if the run ended first) and how long after it the run had stopped.
 */
export async function collectAborted(config: RunConfig, afterMs: number): Promise<{ events: EngineEvent[]; abortedAt: number; latency: number }> {
  const controller = new AbortController();
  let abortedAt = 0;
  setTimeout(() => {
    abortedAt = performance.now();
    controller.abort();
  }, afterMs);
  const events = await collect(config, { signal: controller.signal });
  return { events, abortedAt, latency: performance.now() - abortedAt };
}

export function ofType<T extends EngineEvent['type']>(events: EngineEvent[], type: T): Extract<EngineEvent, { type: T }>[] {
  return events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
}

/** Final global weights of a run (asks run() for them). */
export async function finalWeights(config: RunConfig): Promise<Float32Array> {
  const events = await collect(config, { finalWeights: true });
  const end = events[events.length - 1];
  if (end.type !== 'run-finished' || !end.weights) throw new Error(`run ended with ${end.type}`);
  return end.weights;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** An event without the compute time the engine measured (`ms`): what a run computed, not how long it took. */
export function untimed<E extends EngineEvent>(e: E): E {
  if (!('ms' in e)) return e;
  const { ms: _ms, ...rest } = e as E & { ms?: number };
  return rest as E;
}

/** A run's events without their measured times, to compare what two runs computed. */
export async function computed(config: RunConfig, options: RunOptions = {}): Promise<EngineEvent[]> {
  return (await collect(config, options)).map(untimed);
}
