/**
 * Split learning with several clients in round-robin (Gupta & Raskar 2018): one server
 * part θ_S; each epoch, client 0 trains on all of its batches with the server in the loop, hands
 * the client part θ_C on to client 1 (peer-to-peer, or up to the server and down again), and so
 * on; the last client hands it back to client 0 for the next epoch. Vanilla and U-shaped here,
 * vertical in vertical.ts.
 *
 * With `shuffle: false` the batches are client 0's in order, then client 1's, …: the sequence
 * centralized SGD without shuffling sees when every client's size is a multiple of B. Then the
 * final parameters equal centralized SGD's for every cut layer (tested in tests/unit/split-properties.test.ts).
 * With shuffling each client reshuffles its own examples every epoch from stream 'shuffle/k'.
 *
 * Metrics: `client-trained` after each turn (the whole model as the turn left it, on that client's
 * examples), one `round-metrics` per epoch (the model at the end of the epoch on all training
 * examples, as centralized training reports it, and on the test set).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EngineEvent } from '../types';
import type { RunContext } from '../context';
import { evaluate, type Params } from '../train';
import { CommLedger } from './ledger';
import { SplitNet, Wire, type Parts } from './protocol';
import { batchEvents, clientTrained, epochBatches, handoffEvent, metricsEvent } from './events';

/** The SplitNet of a vanilla or U-shaped run. */
export function splitNetOf(ctx: RunContext): SplitNet {
  const v = ctx.config.variant;
  if (v === 'vertical') throw new Error('splitNetOf: vertical split learning has no single cut model');
  return new SplitNet(ctx.model, v, ctx.config.cut);
}

export async function* roundRobin(ctx: RunContext): AsyncGenerator<EngineEvent, Params> {
  const { config, model } = ctx;
  const K = config.clients;
  const net = splitNetOf(ctx);
  const ledger = new CommLedger();
  const lr = tf.scalar(config.lr);
  let parts: Parts = net.split(model.importParams(model.initParams(ctx.rng.init)));
  let finished = false;
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      ctx.round = epoch;
      yield { type: 'round-started', round: epoch, selected: Array.from({ length: K }, (_, k) => k) };
      for (let k = 0; k < K; k++) {
        const n = ctx.clientSize(k);
        if (n > 0) {
          const data = ctx.clientData(k);
          // This client's compute, without the time the run was held between its batch events.
          let ms = 0;
          for (const { batch, index } of epochBatches(data, config.batchSize, config.shuffle ? ctx.rng.shuffle(k) : null)) {
            const t0 = performance.now();
            const wire = new Wire();
            const next = net.step(parts, batch, lr, k, wire);
            tf.dispose(net.join(parts));
            parts = next;
            ms += performance.now() - t0;
            for (const e of batchEvents(ledger, wire, epoch, k, index)) yield e;
            await ctx.tick();
          }
          yield* clientTrained(ctx, net.join(parts), k, data, ms);
        }
        if (K > 1) yield handoffEvent(ledger, epoch, k, (k + 1) % K, config.handoff, net.clientParams);
      }
      const all = net.join(parts);
      const train = await evaluate(model, all, ctx.allData());
      const b = await ctx.boundary(all, 'global');
      if (b) yield b;
      yield await metricsEvent(ctx, ledger, (x) => model.forward(x, all), train);
      await ctx.tick();
    }
    finished = true;
    return net.join(parts);
  } finally {
    lr.dispose();
    if (!finished) tf.dispose(net.join(parts));
  }
}
