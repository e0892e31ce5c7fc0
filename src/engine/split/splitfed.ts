/**
 * SplitFed (Thapa et al. 2020, arXiv:2004.12088), rounds like FedAvg (C, E, B, the
 * weighting), with the client side of split learning:
 *
 * - splitfed1 (SFLV1): the m selected clients train in parallel, each against its own copy of the
 *   server part, from the global client part θ_C^t and server part θ_S^t. At the round's end the
 *   fed server averages the client parts and the main server averages its copies, both with the
 *   FedAvg coefficients c_k.
 * - splitfed2 (SFLV2): one server part, updated sequentially as the clients, in a random order
 *   drawn each round from the 'sampling' stream, train against it one after another; the client
 *   parts start from θ_C^t and are averaged at the round's end. θ_S^{t+1} is the server part as
 *   the last client left it.
 *
 * Clients run one after another on this thread; "in parallel" only means each starts from the
 * round's global parts, which it does. Running sums keep at most a few parameter sets alive.
 * Per round each client downloads and uploads the client part (weights-down / weights-up of
 * η_c·N floats); per batch the messages are split learning's.
 *
 * With one client both equal round-robin split learning with one client over R·E epochs (tested in
 * tests/unit/split-properties.test.ts), since averaging one model multiplies it by 1.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EngineEvent } from '../types';
import type { RunContext } from '../context';
import { aggregationCoefficients, clientsPerRound } from '../algorithms/federated';
import { accumulate, type Params } from '../train';
import { CommLedger } from './ledger';
import { Wire, type Parts } from './protocol';
import { batchEvents, clientTrained, epochBatches, metricsEvent, weightsMessage } from './events';
import { splitNetOf } from './roundrobin';

export async function* splitFed(ctx: RunContext): AsyncGenerator<EngineEvent, Params> {
  const { config, model, options } = ctx;
  const v2 = config.algorithm === 'splitfed2';
  const K = config.clients;
  const m = clientsPerRound(config.fraction, K);
  const net = splitNetOf(ctx);
  const ledger = new CommLedger();
  const lr = tf.scalar(config.lr);
  const init = net.split(model.importParams(model.initParams(ctx.rng.init)));
  // The round's global parts: client part (front + head) and server part.
  let client: Params = net.clientPart(init);
  let server: Params = init.server;
  // Live tensors this generator owns besides the globals (freed on any exit).
  let local: Parts | null = null;
  let accClient: Params | null = null;
  let accServer: Params | null = null;
  /** V2: the shared server part during a round, when it is no longer the round's global one. */
  let shared: Params | null = null;
  let finished = false;
  try {
    for (let round = 1; round <= config.rounds; round++) {
      ctx.round = round;
      const selected = ctx.rng.sampling.sample(K, m);
      const order = v2 ? Array.from(ctx.rng.sampling.shuffle(selected.slice())) : selected;
      yield { type: 'round-started', round, selected: order };
      const before = options.emitWeights ? model.exportParams(net.join(net.withClientPart(client, server))) : undefined;
      const sizes = order.map((k) => ctx.clientSize(k));
      const coefficients = aggregationCoefficients(sizes, config.weighting);
      let lossSum = 0;
      let accSum = 0;
      let seen = 0;

      for (let i = 0; i < order.length; i++) {
        const k = order[i];
        const n = sizes[i];
        yield weightsMessage(ledger, round, 'weights-down', k, net.clientParams);
        local = net.withClientPart(client, v2 && shared ? shared : server);
        if (n > 0) {
          const data = ctx.clientData(k);
          let batchIndex = 0;
          // This client's compute, without the time the run was held between its batch events.
          let ms = 0;
          for (let e = 0; e < config.localEpochs; e++) {
            for (const { batch } of epochBatches(data, config.batchSize, config.shuffle ? ctx.rng.shuffle(k) : null)) {
              const t0 = performance.now();
              const wire = new Wire();
              const next = net.step(local, batch, lr, k, wire);
              const old = net.join(local);
              local = next;
              tf.dispose(old.filter((t) => !isGlobal(t)));
              ms += performance.now() - t0;
              for (const ev of batchEvents(ledger, wire, round, k, batchIndex++)) yield ev;
              await ctx.tick();
            }
          }
          const own = yield* clientTrained(ctx, net.join(local), k, data, ms);
          lossSum += n * own.loss;
          accSum += n * own.accuracy;
          seen += n;
        }
        yield weightsMessage(ledger, round, 'weights-up', k, net.clientParams);
        accClient = accumulate(accClient, net.clientPart(local), coefficients[i]);
        if (v2) {
          // The next client trains against the server part as this one left it.
          if (local.server !== (shared ?? server)) {
            if (shared) tf.dispose(shared);
            shared = local.server;
          }
          tf.dispose(net.clientPart(local).filter((t) => !isGlobal(t)));
        } else {
          accServer = accumulate(accServer, local.server, coefficients[i]);
          tf.dispose(net.join(local).filter((t) => !isGlobal(t)));
        }
        local = null;
        await ctx.tick();
      }

      // Aggregation: the fed server averages the client parts; V1's main server its copies.
      const nextClient = accClient!;
      accClient = null;
      let nextServer: Params;
      if (v2) {
        nextServer = shared ?? server;
        shared = null;
      } else {
        nextServer = accServer!;
        accServer = null;
      }
      if (nextServer !== server) tf.dispose(server);
      tf.dispose(client);
      client = nextClient;
      server = nextServer;
      const all = net.join(net.withClientPart(client, server));
      yield { type: 'models-averaged', round, clients: order, coefficients, ...(options.emitWeights ? { before, after: model.exportParams(all) } : {}) };
      const b = await ctx.boundary(all, 'global');
      if (b) yield b;
      yield await metricsEvent(ctx, ledger, (x) => model.forward(x, all), { loss: seen ? lossSum / seen : 0, accuracy: seen ? accSum / seen : 0 });
      await ctx.tick();
    }
    finished = true;
    return net.join(net.withClientPart(client, server));
  } finally {
    lr.dispose();
    // Any exit: whatever is still held, each tensor once (globals only if they were not returned).
    const loose: tf.Tensor[] = [];
    if (local) loose.push(...net.join(local).filter((t) => !finished || !isGlobal(t)));
    if (accClient) loose.push(...accClient);
    if (accServer) loose.push(...accServer);
    if (shared && shared !== server) loose.push(...shared);
    if (!finished) loose.push(...client, ...server);
    tf.dispose([...new Set(loose)]);
  }

  /** Tensors that belong to the round's global parts (or V2's shared server part): not the step's to free. */
  function isGlobal(t: tf.Tensor): boolean {
    return client.includes(t) || server.includes(t) || (shared !== null && shared.includes(t));
  }
}
