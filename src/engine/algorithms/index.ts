/**
 * The algorithm registry: run() looks the configured algorithm up here. A trainer is an async
 * generator of events over a RunContext that returns the final global parameters (run() exports
 * and disposes them).
 */
import type { Algorithm, EngineEvent } from '../types';
import type { RunContext } from '../context';
import type { Params } from '../train';
import { centralized } from './centralized';
import { federated } from './federated';
import { split, splitfed, type SplitStartInfo } from '../split/index';

export type Trainer = ((ctx: RunContext) => AsyncGenerator<EngineEvent, Params>) & {
  /** Extra run-started fields (split learning: clientParameters, cutWidth, …; vertical also parameters). */
  startInfo?: (ctx: RunContext) => SplitStartInfo;
};

const trainers = new Map<Algorithm, Trainer>([
  ['centralized', centralized],
  ['fedsgd', federated],
  ['fedavg', federated],
  ['fedprox', federated],
  ['dpfedavg', federated],
  ['scaffold', federated],
  ['fedavgm', federated],
  ['fedadam', federated],
  ['fedyogi', federated],
  ['fedadagrad', federated],
  ['split', split],
  ['splitfed1', splitfed],
  ['splitfed2', splitfed],
]);

export function getTrainer(algorithm: Algorithm): Trainer | undefined {
  return trainers.get(algorithm);
}

/** Algorithms that can run now. */
export function implementedAlgorithms(): Algorithm[] {
  return [...trainers.keys()];
}
