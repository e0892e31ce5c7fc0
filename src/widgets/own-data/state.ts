/**
 * What the own-data figure has heard from its three runs (one per method): every round's test
 * accuracy as a point of the shared chart, and each method's latest value for the table.
 * A pure reducer: a new object per event, nothing mutated; other events leave the state as it is.
 */
import type { EngineEvent } from '~/engine/types';
import type { OwnMethod } from './config';

export interface OwnPoint {
  /** Round (FedAvg) or epoch (centralized, split). */
  x: number;
  /** Test accuracy. */
  y: number;
  series: OwnMethod;
}

export interface OwnState {
  points: OwnPoint[];
  last: Partial<Record<OwnMethod, number>>;
}

export const initOwnData = (): OwnState => ({ points: [], last: {} });

export function reduceOwnData(state: OwnState, e: EngineEvent, side: OwnMethod): OwnState {
  if (e.type !== 'round-metrics') return state;
  const y = e.metrics.testAccuracy;
  return { points: [...state.points, { x: e.metrics.round, y, series: side }], last: { ...state.last, [side]: y } };
}
