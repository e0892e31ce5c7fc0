/**
 * The learning engine's entry point.
 *
 *   import { run, defaultConfig, validateConfig } from '~/engine';
 *   const config = defaultConfig({ algorithm: 'fedavg', rounds: 30 });
 *   const problems = validateConfig(config);           // [] when valid
 *   for await (const event of run(config, { boundaryGrid: 40 })) render(event);
 *
 * The engine imports only @tensorflow/tfjs-core. The caller picks and initialises the backend
 * first: in Node `await initNodeBackend()` from './node'; in a worker tf.setBackend('wasm' |
 * 'cpu'). Training computes its gradients by hand (train.ts) and needs no tfjs gradient
 * registration; only the gradient-inversion attack uses tfjs autodiff (see attacks/inversion.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EngineEvent, RunConfig, RunOptions } from './types';
import { ConfigError, validateConfig as validateAgainst } from './config';
import { createContext, Diverged, type RunContext } from './context';
import { getTrainer, implementedAlgorithms } from './algorithms/index';
import { Cancelled } from './tick';
import type { Params } from './train';
import { computeServerView } from './split/leakage';
import { lossDiverged, unitOf } from './divergence';

export type * from './types';
export { defaultConfig, ConfigError, LIMITS, ALGORITHMS, DATASETS, MODELS, ACTIVATIONS, PARTITIONS, WEIGHTINGS } from './config';
export { loadDataset, loadDigits, loadMnist, loadSynthetic, urlDataSource, DATASET_INFO, DATA_FILES, SYNTHETIC_EXTENT, type Dataset, type Split } from './data/index';
export { buildModel, modelSpecs, Model, type Layer, type LayerSpec } from './model';
export { partition, type Partition } from './partition';
export { Rng } from './rng';
export { implementedAlgorithms, type Trainer } from './algorithms/index';
export { clientsPerRound, aggregationCoefficients } from './algorithms/federated';
export { Cancelled, yieldToEventLoop, makeTicker } from './tick';
export { Diverged, type RunContext } from './context';
export { VARIANTS, HANDOFFS, DP_SAMPLINGS } from './config';
export { DpFedAvgServer, dpClientWeights, dpNoiseStd, poissonSample } from './algorithms/dp-fedavg';
export { PrivacyAccountant, privacySpent, validateAccountantQuery, type PrivacySpent } from './privacy/accountant';
export * from './comm';
export { SplitNet, VerticalNet, CommLedger, SPLIT_ALGORITHMS, isSplitAlgorithm, layerCount, cutRange, headStart, verticalBlocks, verticalRows, SAMPLE_MAX } from './split/index';
export * as training from './train';
export { monotone, roundsToTarget } from './metrics';
export * as aggregators from './aggregators';
export { AGGREGATORS } from './aggregators';
export { DEFAULT_DIVERGE_FACTOR, lossDiverged } from './divergence';
export { POISONS, defaultPoison, defaultPoisonScale, maliciousClients } from './attacks/poisoning';
export { defaultAggregation, ROBUST_ALGORITHMS, AGGREGATION_LIMITS } from './attacks/config';

/** Problems with a config (empty when it can run). Never throws. */
export function validateConfig(config: RunConfig) {
  return validateAgainst(config, implementedAlgorithms());
}

function cloneConfig(c: RunConfig): RunConfig {
  return {
    ...c,
    dataset: { ...c.dataset },
    model: { ...c.model, hidden: [...c.model.hidden] },
    partition: { ...c.partition },
    ...(c.poison ? { poison: { ...c.poison } } : {}),
    ...(c.aggregation ? { aggregation: { ...c.aggregation } } : {}),
  };
}

/**
 * Trains as the config says and streams what happens. Ends with exactly one of run-finished,
 * run-diverged (a loss or the weights stopped being finite) or run-cancelled (options.signal).
 * Throws ConfigError for an invalid config (validate first to show the problems) and passes on
 * data-loading errors. Every tensor it creates is disposed when the stream ends, however it ends
 * (including a consumer that stops iterating early).
 */
export async function* run(config: RunConfig, options: RunOptions = {}): AsyncGenerator<EngineEvent, void, undefined> {
  const problems = validateConfig(config);
  if (problems.length) throw new ConfigError(problems);
  if (options.serverView && config.algorithm === 'split' && config.variant === 'vertical') {
    throw new ConfigError([
      {
        field: 'variant',
        ko: '수직 분할 학습의 모델은 클라이언트마다 입력의 일부만 보므로, 서버가 보는 것 비교(server-view)는 기본·U자형 구성에서만 계산할 수 있습니다.',
        en: 'the server view needs one model over the whole input: not available for vertical split learning.',
      },
    ]);
  }
  const cfg = cloneConfig(config);
  const trainer = getTrainer(cfg.algorithm)!;
  let ctx: RunContext | null = null;
  try {
    ctx = await createContext(cfg, options);
    if (options.signal?.aborted) throw new Cancelled();
    const data = ctx.dataSummary();
    yield {
      type: 'run-started',
      config: cloneConfig(cfg),
      parameters: ctx.model.paramCount,
      ...(trainer.startInfo?.(ctx) ?? {}),
      data,
    };
    const gen = trainer(ctx);
    let final: Params | null = null;
    // Compute time inside the trainer since the last round-metrics (round-metrics' `ms`).
    let computing = 0;
    try {
      for (;;) {
        const t0 = performance.now();
        const step = await gen.next();
        computing += performance.now() - t0;
        if (step.done) {
          final = step.value;
          break;
        }
        if (step.value.type === 'round-metrics') {
          yield { ...step.value, ms: computing };
          computing = 0;
        } else yield step.value;
        if (step.value.type === 'round-metrics' && options.divergeFactor !== undefined) {
          const blownUp = lossDiverged(step.value.metrics.trainLoss, data.numClasses, options.divergeFactor, step.value.metrics.round, unitOf(cfg.algorithm));
          if (blownUp) {
            yield blownUp;
            return;
          }
        }
      }
      if (options.serverView) yield { type: 'server-view', round: ctx.round, ...(await computeServerView(ctx, final, options.serverView)) };
      const wantWeights = options.emitWeights || options.finalWeights;
      const weights = wantWeights ? ctx.model.exportParams(final) : undefined;
      yield { type: 'run-finished', rounds: ctx.round, ...(weights ? { weights } : {}) };
    } finally {
      if (final) tf.dispose(final);
      else await gen.return(undefined as never); // lets the trainer free what it holds
    }
  } catch (e) {
    if (e instanceof Cancelled) {
      yield { type: 'run-cancelled', round: ctx?.round ?? 0 };
    } else if (e instanceof Diverged) {
      yield { type: 'run-diverged', round: e.round, message: e.messageKo, messageEn: e.message };
    } else {
      throw e;
    }
  } finally {
    ctx?.dispose();
  }
}
