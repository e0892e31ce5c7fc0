/**
 * The four runs of the comparison, from one set of settings. They share the data (digits), the
 * partition, the model (an MLP 64 → 32 → 32 → 10), the seed (so the same initial weights), the
 * batch size and the learning rate; they differ only in how the training is organised.
 *
 * "Epochs of data seen": centralized and split learning see every example once per epoch;
 * FedAvg and SplitFed with all clients taking part see every example E times per round. Both
 * federated runs get ⌈budget / E⌉ rounds, so every method sees at least `epochs` passes.
 */
import { defaultConfig } from '~/engine/config';
import type { RunConfig } from '~/engine/types';
import type { Method } from '../renderers/kinds';
import type { ThreeWayValues } from './params';

export type RaceMethod = Exclude<Method, 'slHandoff'>;
export const RACE: readonly RaceMethod[] = ['centralized', 'fl', 'sl', 'splitfed'];

export const roundsOf = (v: ThreeWayValues): number => Math.ceil(v.epochs / v.local);

/** Epochs of data seen after `round` rounds (or epochs) of a method. */
export function epochsSeen(method: RaceMethod, round: number, v: Pick<ThreeWayValues, 'local'>): number {
  return method === 'fl' || method === 'splitfed' ? round * v.local : round;
}

export function toRunConfig(method: RaceMethod, v: ThreeWayValues): RunConfig {
  return defaultConfig({
    algorithm: method === 'centralized' ? 'centralized' : method === 'fl' ? 'fedavg' : method === 'sl' ? 'split' : v.sfl,
    dataset: { name: 'digits', noise: 0, size: 0 },
    model: { kind: 'mlp', hidden: [32, 32], activation: 'relu' },
    partition: { kind: v.partition, alpha: 0.3, shardsPerClient: 2 },
    clients: v.clients,
    localEpochs: v.local,
    epochs: v.epochs,
    rounds: roundsOf(v),
    batchSize: 32,
    lr: v.lr,
    cut: v.cut,
    seed: v.seed,
  });
}

/** The summary table's caption and columns (the page writes it empty, a row per method). */
export const SUMMARY_CAPTION = '네 방식의 정확도, 본 데이터, 통신량, 시간 요약';
export const SUMMARY_COLUMNS = ['방식', '최종 테스트 정확도', '가장 높은 정확도', '본 데이터', '주고받은 데이터', '걸린 시간', '동시 계산 추정'];
