/**
 * Shared pieces of the split trainers: epoch batches, turning what crossed the wire into events
 * and ledger entries, the end of a client's turn, and round metrics.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EngineEvent, Handoff, RoundMetrics } from '../types';
import type { RunContext } from '../context';
import type { Rng } from '../rng';
import { batchSizes, evaluate, evaluateWith, type Batch, type ExampleSet, type Params } from '../train';
import { FLOAT_BYTES, handoffCopies } from '../comm';
import type { CommLedger } from './ledger';
import type { Transmission, Wire } from './protocol';

/** The most values a flat smashed-data sample carries (events stay small). */
export const SAMPLE_MAX = 1024;

/**
 * The first example of a transmission, for drawing: channel 0 of an image-shaped activation, or
 * the first SAMPLE_MAX values of a flat one.
 */
export function sampleOf(t: Transmission): { sample: Float32Array; sampleShape: number[] } {
  const per = t.shape.slice(1);
  const values = t.values!;
  if (per.length === 3) {
    const [h, w, c] = per;
    const out = new Float32Array(h * w);
    for (let i = 0; i < h * w; i++) out[i] = values[i * c];
    return { sample: out, sampleShape: [h, w] };
  }
  const q = per.reduce((a, b) => a * b, 1);
  const n = Math.min(q, SAMPLE_MAX);
  return { sample: values.slice(0, n), sampleShape: [n] };
}

/**
 * Records a batch's transmissions in the ledger and returns their events. `client` is the client
 * whose batch it was (for vertical split learning, each transmission's own client).
 */
export function batchEvents(ledger: CommLedger, wire: Wire, round: number, client: number | null, batch: number): EngineEvent[] {
  return wire.sent.map((t): EngineEvent => {
    ledger.record(t.kind, t.from, t.to, t.bytes);
    const who = client ?? (t.from === 'server' ? (t.to as number) : (t.from as number));
    switch (t.kind) {
      case 'smashed':
        return { type: 'smashed-sent', round, client: who, batch, shape: t.shape, bytes: t.bytes, ...sampleOf(t), from: t.from, to: t.to };
      case 'gradient':
        return { type: 'gradient-returned', round, client: who, batch, shape: t.shape, bytes: t.bytes, from: t.from, to: t.to };
      default:
        return { type: 'message-sent', round, kind: t.kind, from: t.from, to: t.to, bytes: t.bytes };
    }
  });
}

/** A hand-off of the client part (clientParams floats) from one client to the next. */
export function handoffEvent(ledger: CommLedger, round: number, from: number, to: number, via: Handoff, clientParams: number): EngineEvent {
  const one = clientParams * FLOAT_BYTES;
  if (via === 'server') {
    ledger.record('handoff', from, 'server', one);
    ledger.record('handoff', 'server', to, one);
  } else {
    ledger.record('handoff', from, to, one);
  }
  return { type: 'client-handoff', round, from, to, via, bytes: one * handoffCopies(via) };
}

/** A weights-down / weights-up message of `floats` values, recorded and returned as an event. */
export function weightsMessage(ledger: CommLedger, round: number, kind: 'weights-down' | 'weights-up', client: number, floats: number): EngineEvent {
  const bytes = floats * FLOAT_BYTES;
  const [from, to] = kind === 'weights-down' ? (['server', client] as const) : ([client, 'server'] as const);
  ledger.record(kind, from, to, bytes);
  return { type: 'message-sent', round, kind, from, to, bytes };
}

/**
 * One epoch over `data` in batches: the examples in order, or reshuffled from `shuffle` (one
 * permutation per epoch, as localTrain draws it). Each batch is built from host memory (see
 * ExampleSet) and disposed after `step` returns or throws.
 */
export function* epochBatches(data: ExampleSet, batch: number | 'all', shuffle: Rng | null): Generator<{ batch: Batch; index: number; order: Int32Array | null; from: number }> {
  const order = shuffle ? shuffle.permutation(data.n) : null;
  let from = 0;
  let index = 0;
  for (const size of batchSizes(data.n, batch)) {
    const b = data.batch(order, from, from + size);
    try {
      yield { batch: b, index: index++, order, from };
    } finally {
      tf.dispose([b.x, b.y, b.labels]);
    }
    from += size;
  }
}

/**
 * The end of client k's turn: the whole model as the turn left it (`all`) evaluated on the
 * client's examples, its client-trained event (`ms`: the turn's compute, to which the evaluation
 * is added) and, when asked for, the client's boundary. Returns the client's loss and accuracy.
 */
export async function* clientTrained(ctx: RunContext, all: Params, k: number, data: ExampleSet, ms: number): AsyncGenerator<EngineEvent, { loss: number; accuracy: number }> {
  const t0 = performance.now();
  const own = await evaluate(ctx.model, all, data);
  ms += performance.now() - t0;
  ctx.assertFinite(own.loss);
  const weights = ctx.options.emitWeights ? { weights: ctx.model.exportParams(all) } : {};
  yield { type: 'client-trained', round: ctx.round, client: k, n: data.n, loss: own.loss, accuracy: own.accuracy, ms, ...weights };
  const b = await ctx.boundary(all, k);
  if (b) yield b;
  return own;
}

/**
 * The round-metrics event: test metrics of `forward`, the given training metrics, and the
 * ledger's counts for the round (which it resets). Throws Diverged on a non-finite loss.
 */
export async function metricsEvent(ctx: RunContext, ledger: CommLedger, forward: (x: tf.Tensor) => tf.Tensor, train: { loss: number; accuracy: number }): Promise<EngineEvent> {
  ctx.assertFinite(train.loss);
  const test = await evaluateWith(forward, ctx.testData());
  ctx.assertFinite(test.loss);
  const metrics: RoundMetrics = {
    round: ctx.round,
    testAccuracy: test.accuracy,
    testLoss: test.loss,
    trainLoss: train.loss,
    trainAccuracy: train.accuracy,
    ...ledger.take(),
  };
  return { type: 'round-metrics', metrics };
}
