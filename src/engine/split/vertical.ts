/**
 * Vertical split learning (Vepakomma et al. 2018): the K clients hold different parts
 * (bands of rows, split/cut.ts) of the same examples. Per batch every client sends its front's
 * activations A_i, the server concatenates them, finishes the model and returns each client its
 * slice ∂L/∂A_i. Nobody sees another client's features.
 *
 * Choices the spec leaves open, made here:
 * - The examples are the whole training set (all clients' partitions together, in client order);
 *   the partition only orders them. Shuffling uses stream 'shuffle/0'.
 * - Client 0 holds the labels and sends them with its activations, one float32 per example
 *   (who holds the labels in the vertical configuration is not stated in the spec: unverified).
 * - There is no hand-off: each client keeps its own front.
 * One `round-metrics` per epoch; no `client-trained` (every batch trains all clients at once).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EngineEvent } from '../types';
import type { RunContext } from '../context';
import { modelSpecs } from '../model';
import { evaluateWith, type ExampleSet, type Params } from '../train';
import { CommLedger } from './ledger';
import { VerticalNet, Wire } from './protocol';
import { batchEvents, epochBatches, metricsEvent } from './events';

export function verticalNetOf(ctx: RunContext): VerticalNet {
  const { config, dataset } = ctx;
  const specs = modelSpecs(config.model, dataset.inputShape, dataset.numClasses);
  return new VerticalNet(dataset.inputShape, specs, config.cut, config.clients, config.model.kind !== 'cnn');
}

/** Client i's band of the batch's rows, copied from host memory (each client's own features). */
function bandsOf(net: VerticalNet, data: ExampleSet, order: Int32Array | null, from: number, n: number): tf.Tensor[] {
  const d = data.inputSize;
  return net.blocks.map(({ start, end }) => {
    const w = end - start;
    const out = new Float32Array(n * w);
    for (let r = 0; r < n; r++) {
      const i = order ? order[from + r] : from + r;
      out.set(data.features.subarray(i * d + start, i * d + end), r * w);
    }
    return tf.tensor2d(out, [n, w]);
  });
}

export async function* verticalSplit(ctx: RunContext): AsyncGenerator<EngineEvent, Params> {
  const { config } = ctx;
  const K = config.clients;
  const net = verticalNetOf(ctx);
  const ledger = new CommLedger();
  const lr = tf.scalar(config.lr);
  let params: Params = net.importParams(net.initParams(ctx.rng.init));
  let finished = false;
  try {
    const data = ctx.allData();
    const shuffle = config.shuffle ? ctx.rng.shuffle(0) : null;
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      ctx.round = epoch;
      yield { type: 'round-started', round: epoch, selected: Array.from({ length: K }, (_, k) => k) };
      for (const { batch, index, order, from } of epochBatches(data, config.batchSize, shuffle)) {
        const wire = new Wire();
        const bands = bandsOf(net, data, order, from, batch.n);
        try {
          const next = net.step(params, bands, batch, lr, wire);
          tf.dispose(params);
          params = next;
        } finally {
          tf.dispose(bands);
        }
        for (const e of batchEvents(ledger, wire, epoch, null, index)) yield e;
        await ctx.tick();
      }
      const forward = (x: tf.Tensor) => net.forward(x, params);
      const train = await evaluateWith(forward, data);
      const bd = await ctx.boundary(params, 'global', forward);
      if (bd) yield bd;
      yield await metricsEvent(ctx, ledger, forward, train);
      await ctx.tick();
    }
    finished = true;
    return params;
  } finally {
    lr.dispose();
    if (!finished) tf.dispose(params);
  }
}
