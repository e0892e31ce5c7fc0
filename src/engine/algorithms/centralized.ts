/**
 * Centralized SGD: every client uploads its raw examples once, the server trains on the union
 * (concatenated in client order) for `epochs` epochs. One round-metrics per epoch.
 *
 * The server shuffles with stream 'shuffle/0', the same stream client 0 uses in federated runs:
 * with one client, FedAvg (E, B, R rounds) and centralized SGD (E·R epochs, B) see the same
 * batches in the same order and end with the same weights (property 1).
 *
 * Without shuffling the server walks the clients' uploads in client order and batches each upload
 * on its own, so a batch never straddles two clients: that is exactly the batch sequence of
 * sequential split learning with --no-shuffle (client 1's batches, then client 2's, …), which the
 * split-learning equivalence test compares against, whatever the client sizes.
 */
import type { EngineEvent } from '../types';
import type { RunContext } from '../context';
import { FLOAT_BYTES } from '../comm';
import * as tf from '@tensorflow/tfjs-core';
import { evaluate, localTrain, type Params } from '../train';

export async function* centralized(ctx: RunContext): AsyncGenerator<EngineEvent, Params> {
  const { config, model, dataset } = ctx;
  let params: Params = model.importParams(model.initParams(ctx.rng.init));
  let finished = false;
  try {
    const data = ctx.allData();
    const shuffle = config.shuffle ? ctx.rng.shuffle(0) : null;
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      ctx.round = epoch;
      yield { type: 'round-started', round: epoch, selected: [] };
      if (epoch === 1) {
        // Raw data: every feature and the label, each as one float32.
        for (let k = 0; k < config.clients; k++) {
          const n = ctx.clientSize(k);
          yield ctx.message('raw-data', k, 'server', n * (dataset.inputSize + 1) * FLOAT_BYTES);
        }
      }
      let res: { params: Params; loss: number; accuracy: number };
      if (shuffle) {
        res = await localTrain(model, params, data, { epochs: 1, batch: config.batchSize, lr: config.lr, shuffle, tick: ctx.tick });
        tf.dispose(params);
        params = res.params;
      } else {
        for (let k = 0; k < config.clients; k++) {
          if (ctx.clientSize(k) === 0) continue;
          const part = await localTrain(model, params, ctx.clientData(k), { epochs: 1, batch: config.batchSize, lr: config.lr, shuffle: null, tick: ctx.tick });
          tf.dispose(params);
          params = part.params;
        }
        res = { params, ...(await evaluate(model, params, data)) };
      }
      ctx.assertFinite(res.loss);
      const b = await ctx.boundary(params, 'global');
      if (b) yield b;
      yield await ctx.roundMetrics(params, res.loss, res.accuracy);
      await ctx.tick();
    }
    finished = true;
    return params;
  } finally {
    // Also reached when the consumer stops iterating (generator.return()).
    if (!finished) tf.dispose(params);
  }
}
