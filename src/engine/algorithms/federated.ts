/**
 * FedAvg and its relatives, one loop with the differences marked:
 *
 * - fedavg   (McMahan et al. 2017): clients run E epochs of SGD with batch B from w_t; the server
 *            sets w_{t+1} = Σ_{k∈S_t} c_k w_k with c_k = n_k / m_t (or 1/m, 'uniform').
 * - fedprox  (Li et al. 2020): the same, each local step adds μ(w − w_t) to the gradient.
 * - dpfedavg (McMahan et al. 2018): clients send Δ_k = w_k − w_t clipped to norm S; the server
 *            adds Gaussian noise to Σ c_k Δ_k and sets w_{t+1} = w_t + that. Sampling, c_k and
 *            the noise follow the paper (Poisson sampling, fixed denominator; dp-fedavg.ts).
 * - fedsgd   : each client sends ∇F_k(w_t) over its whole set; w_{t+1} = w_t − η Σ c_k ∇F_k.
 *            Equal to fedavg with E = 1, B = ∞ up to float rounding (property 2), computed
 *            here from gradients as the paper describes it, so the test of that equality means
 *            something. FedSGD ignores localEpochs and batchSize.
 *
 * - scaffold, fedavgm, fedadam, fedyogi, fedadagrad: clients train as in fedavg (SCAFFOLD adds its
 *            correction to each step) and the server step differs: see scaffold.ts and
 *            ../server-optimizers.ts.
 *
 * Every algorithm here accepts dropouts and stragglers (../participation.ts) and, after the last
 * round, personalization (../personalization.ts).
 *
 * Clients train one after another on this thread; "in parallel" in the paper only means they all
 * start from w_t, which they do. Where the model and backend allow, their local training runs
 * as one tensor program over a client axis (../vectorized.ts), with the same results; events and
 * everything after training stay per client, in this loop. The running sum Σ c_k w_k is kept on
 * the device, so a round holds at most three parameter sets (plus one group's results).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EngineEvent } from '../types';
import type { RunContext } from '../context';
import { FLOAT_BYTES } from '../comm';
import { accumulate, fullGradient, localTrain, type Params } from '../train';
import { vectorizedRound, type ClientGroups } from '../vectorized';
import { isServerOptimizer } from '../beyond-config';
import { Participation } from '../participation';
import { personalize } from '../personalization';
import { ServerOptimizer } from '../server-optimizers';
import { Scaffold } from './scaffold';
import { needsRobustServer } from '../attacks/config';
import { RobustServer } from '../robust-server';
import { DpFedAvgServer } from './dp-fedavg';
import { clientsPerRound } from '../selection';

export { clientsPerRound };

/** Aggregation coefficients over the selected clients' sizes (sum to 1). */
export function aggregationCoefficients(sizes: number[], weighting: 'samples' | 'uniform'): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  // With no examples among the selected clients, sample weighting is undefined: fall back to uniform.
  if (weighting === 'uniform' || total === 0) return sizes.map(() => 1 / sizes.length);
  return sizes.map((n) => n / total);
}

/** Δ · min(1, S/‖Δ‖) with ‖·‖ the global L2 norm over all tensors (S = 0: no clipping). */
export function clipUpdate(delta: Params, clip: number): Params {
  if (!(clip > 0)) return delta.map((d) => d.clone());
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(delta.map((d) => tf.sum(tf.square(d)))));
    const factor = tf.minimum(tf.scalar(1), tf.div(tf.scalar(clip), tf.maximum(norm, tf.scalar(1e-12))));
    return delta.map((d) => tf.mul(d, factor));
  });
}

export async function* federated(ctx: RunContext): AsyncGenerator<EngineEvent, Params> {
  const { config, model, options } = ctx;
  const algo = config.algorithm;
  const N = model.paramCount;
  const K = config.clients;
  const m = clientsPerRound(config.fraction, K);
  // DP-FedAvg as the paper defines it samples, weights and sets the noise itself.
  const dp = algo === 'dpfedavg' && config.dpSampling === 'poisson' ? new DpFedAvgServer(config, (k) => ctx.clientSize(k)) : null;
  const modelBytes = N * FLOAT_BYTES;
  let params: Params = model.importParams(model.initParams(ctx.rng.init));
  let acc: Params | null = null;
  let groups: ClientGroups | null = null;
  let finished = false;
  // Algorithms whose clients return their trained model (the others return an update or gradient).
  const returnsModel = algo !== 'fedsgd' && algo !== 'dpfedavg';
  const scaffold = algo === 'scaffold' ? new Scaffold(params, K) : null;
  const server = isServerOptimizer(algo) ? new ServerOptimizer(algo, config) : null;
  const participation = new Participation(config.seed, config.dropout, config.stragglers);
  // Poisoning or a robust rule: the server keeps each client's update (robust-server.ts).
  const robust = needsRobustServer(config) ? new RobustServer(ctx) : null;
  try {
    for (let round = 1; round <= config.rounds; round++) {
      ctx.round = round;
      const plan = dp?.plan(ctx.rng.sampling);
      const selected = plan ? plan.selected : ctx.rng.sampling.sample(K, m);
      const fate = participation.draw(selected, config.localEpochs);
      yield { type: 'round-started', round, selected, ...(robust ? { malicious: robust.maliciousIn(selected) } : {}) };
      const before = options.emitWeights ? model.exportParams(params) : undefined;
      // The average runs over the clients that come back; a dropped one only received the model.
      const returned = selected.filter((_, i) => !fate.dropped[i]);
      const dropped = selected.filter((_, i) => fate.dropped[i]);
      const sizes = returned.map((k) => ctx.clientSize(k));
      // DP-FedAvg keeps its fixed-denominator weights (a dropped client counts as one that did not
      // take part): renormalising would change the sensitivity its noise is calibrated for.
      const coefficients = plan ? plan.coefficients.filter((_, i) => !fate.dropped[i]) : aggregationCoefficients(sizes, config.weighting);
      let r = -1;
      let lossSum = 0;
      let accSum = 0;
      let seen = 0;
      // The clients' local training, together where possible (null: one by one, below).
      groups =
        algo === 'fedsgd'
          ? null
          : vectorizedRound(
              ctx,
              params,
              // Dropped clients do not train; stragglers run their fewer epochs (masked in the group).
              selected.map((k, i) =>
                !fate.dropped[i] && ctx.clientSize(k) > 0 ? { data: robust ? robust.clientData(k) : ctx.clientData(k), epochs: fate.epochs[i], shuffle: config.shuffle ? ctx.rng.shuffle(k) : null } : null,
              ),
              { batch: config.batchSize, lr: config.lr, prox: algo === 'fedprox' ? { mu: config.mu, anchor: params } : undefined, tick: ctx.tick },
            );

      for (let i = 0; i < selected.length; i++) {
        const k = selected[i];
        yield ctx.message('weights-down', 'server', k, modelBytes);
        if (scaffold) yield ctx.message('control-variate', 'server', k, modelBytes);
        if (fate.dropped[i]) {
          yield { type: 'client-dropped', round, client: k };
          await ctx.tick();
          continue;
        }
        r++;
        const n = sizes[r];
        let contribution: Params;
        let loss = 0;
        let accuracy = 0;
        let local: Params | null = null;
        let updateNorm: number | undefined;
        const t0 = performance.now();
        let ms = 0;
        if (n === 0) {
          // A client without examples returns what it got (a zero update / zero gradient).
          contribution = returnsModel ? params.map((p) => p.clone()) : params.map((p) => tf.zerosLike(p));
        } else if (algo === 'fedsgd') {
          const g = await fullGradient(model, params, robust ? robust.clientData(k) : ctx.clientData(k));
          contribution = g.grads;
          ms = performance.now() - t0;
          loss = g.loss;
          accuracy = g.accuracy;
        } else {
          const correction = scaffold?.correction(k);
          let res;
          try {
            // SCAFFOLD's corrected steps are not vectorised: vectorizedRound leaves it to this loop.
            res = groups ? await groups.take(i) : await localTrain(model, params, robust ? robust.clientData(k) : ctx.clientData(k), {
              epochs: fate.epochs[i],
              batch: config.batchSize,
              lr: config.lr,
              shuffle: config.shuffle ? ctx.rng.shuffle(k) : null,
              prox: algo === 'fedprox' ? { mu: config.mu, anchor: params } : undefined,
              correction,
              tick: ctx.tick,
            });
          } finally {
            if (correction) tf.dispose(correction);
          }
          local = res.params;
          ms = res.ms ?? performance.now() - t0;
          if (scaffold) {
            try {
              scaffold.clientUpdate(k, params, local, res.steps, config.lr);
            } catch (err) {
              tf.dispose(local);
              throw err;
            }
          }
          loss = res.loss;
          accuracy = res.accuracy;
          if (algo === 'dpfedavg') {
            const delta = tf.tidy(() => local!.map((w, j) => tf.sub(w, params[j])));
            // Reported so a page can draw each update before and after clipping.
            const squared = tf.tidy(() => tf.addN(delta.map((d) => tf.sum(tf.square(d)))));
            updateNorm = Math.sqrt((await squared.data())[0]);
            squared.dispose();
            contribution = clipUpdate(delta, config.clip);
            tf.dispose(delta);
          } else {
            contribution = local;
            local = null;
          }
        }
        try {
          ctx.assertFinite(loss);
          // The update the client sends (a malicious client's is poisoned); kept by the server.
          const sent = robust?.receive(k, contribution, params);
          yield {
            type: 'client-trained',
            round,
            client: k,
            n,
            loss,
            accuracy,
            ...(options.emitWeights ? { weights: sent && algo !== 'fedsgd' ? robust!.weightsOf(sent) : model.exportParams(local ?? contribution) } : {}),
            ...(robust?.isMalicious(k) ? { malicious: true } : {}),
            ...(updateNorm !== undefined ? { updateNorm, clippedNorm: config.clip > 0 ? Math.min(updateNorm, config.clip) : updateNorm } : {}),
            ...(fate.epochs[i] !== config.localEpochs && algo !== 'fedsgd' ? { epochs: fate.epochs[i] } : {}),
            ms,
          };
          yield ctx.message('weights-up', k, 'server', modelBytes);
          if (scaffold) yield ctx.message('control-variate', k, 'server', modelBytes);
          if (options.clientBoundaries && algo !== 'fedsgd') {
            const b = await ctx.boundary(local ?? contribution, k);
            if (b) yield b;
          }
          if (!robust) acc = accumulate(acc, contribution, coefficients[r]);
        } finally {
          tf.dispose(contribution);
          if (local) tf.dispose(local);
        }
        if (n > 0) {
          lossSum += n * loss;
          accSum += n * accuracy;
          seen += n;
        }
        await ctx.tick();
      }

      groups?.dispose();
      groups = null;
      // A DP-FedAvg round may sample nobody: the update is then the noise alone.
      const sum = acc ?? (algo === 'dpfedavg' ? params.map((p) => tf.zerosLike(p)) : null);
      acc = null;
      scaffold?.finishRound();
      let next: Params;
      let noiseStd: number | undefined;
      const robustRound = robust && returned.length > 0 ? robust.aggregate(params, coefficients, !!options.emitWeights) : null;
      if (returned.length === 0 && algo !== 'dpfedavg') {
        // Every selected client dropped out: the model stays as it was.
        next = params.map((p) => p.clone());
      } else if (robustRound) {
        next = robustRound.next;
      } else if (algo === 'fedavg' || algo === 'fedprox') {
        next = sum!;
      } else if (scaffold || server) {
        next = scaffold ? Scaffold.serverStep(params, sum!, config.serverLr) : server!.step(params, sum!);
        tf.dispose(sum!);
      } else if (algo === 'fedsgd') {
        next = tf.tidy(() => params.map((p, j) => tf.sub(p, tf.mul(sum![j], config.lr))));
        tf.dispose(sum!);
      } else {
        // DP-FedAvg: σ = zS/(qW) from public quantities (dp-fedavg.ts). The 'fixed' option keeps
        // the earlier σ = z · S · max_k c_k, which with sample weighting depends on the selected
        // clients' sizes and so is no valid calibration.
        const sigma = plan ? plan.sigma : config.noise * config.clip * Math.max(...coefficients);
        noiseStd = sigma;
        let noise: Params | null = null;
        if (sigma > 0) {
          const z = new Float32Array(N);
          for (let j = 0; j < N; j++) z[j] = sigma * ctx.rng.dpNoise.normal();
          noise = model.importParams(z);
        }
        next = tf.tidy(() => params.map((p, j) => (noise ? tf.add(tf.add(p, sum![j]), noise[j]) : tf.add(p, sum![j]))));
        tf.dispose(sum!);
        if (noise) tf.dispose(noise);
      }
      tf.dispose(params);
      params = next;
      yield {
        type: 'models-averaged',
        round,
        clients: returned,
        coefficients,
        dropped,
        ...(options.emitWeights ? { before, after: model.exportParams(params) } : {}),
        ...(robustRound ? { rule: robustRound.rule, ...(robustRound.chosen ? { chosen: robustRound.chosen } : {}), ...(robustRound.candidates ? { candidates: robustRound.candidates } : {}) } : {}),
        ...(noiseStd !== undefined ? { noiseStd } : {}),
      };
      const b = await ctx.boundary(params, 'global');
      if (b) yield b;
      const metricsEvent = await ctx.roundMetrics(params, seen ? lossSum / seen : 0, seen ? accSum / seen : 0);
      const backdoorSuccess = await robust?.backdoorSuccess(params);
      if (backdoorSuccess !== undefined && metricsEvent.type === 'round-metrics') metricsEvent.metrics.backdoorSuccess = backdoorSuccess;
      if (metricsEvent.type === 'round-metrics') metricsEvent.metrics.dropped = dropped;
      if (algo === 'dpfedavg' && metricsEvent.type === 'round-metrics') metricsEvent.metrics.epsilon = dp ? dp.epsilon(round) : null;
      yield metricsEvent;
      await ctx.tick();
    }
    if (config.personalizeEpochs > 0) yield* personalize(ctx, params);
    finished = true;
    return params;
  } finally {
    groups?.dispose();
    robust?.dispose();
    if (acc) tf.dispose(acc);
    if (!finished) tf.dispose(params);
    scaffold?.dispose();
    server?.dispose();
  }
}
