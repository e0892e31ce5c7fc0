/**
 * The DP-FedAvg widget's state, a pure reducer over the engine's events. What it keeps is for
 * drawing: each update's direction in a fixed 2D projection, and the length of the server's step
 * split into the mean clipped update and the noise (the engine's splitDpRound computes both from
 * the round's weights). No DOM, no tfjs.
 */
import type { EngineEvent, RoundMetrics } from '~/engine/types';
import { splitDpRound, type ClientArrow, type RoundClip, type ServerStep } from '~/engine/privacy/dp-round';

type ClientTrained = Extract<EngineEvent, { type: 'client-trained' }>;

export interface DpState {
  rows: readonly RoundMetrics[];
  clips: readonly RoundClip[];
  /** The last averaged round's updates, as drawn. */
  arrows: readonly ClientArrow[];
  server: ServerStep | null;
  /** client-trained events of the round in progress (its `before` comes with models-averaged). */
  pending: readonly ClientTrained[];
}

export const initDp = (): DpState => ({ rows: [], clips: [], arrows: [], server: null, pending: [] });

export function reduceDp(s: DpState, e: EngineEvent): DpState {
  switch (e.type) {
    case 'run-started':
      return initDp();
    case 'client-trained':
      return { ...s, pending: [...s.pending, e] };
    case 'models-averaged': {
      const { before, after } = e;
      if (!before || !after) return { ...s, pending: [] };
      const { arrows, server, clip } = splitDpRound({ ...e, before, after }, s.pending);
      return { ...s, arrows, server, clips: [...s.clips, clip], pending: [] };
    }
    case 'round-metrics':
      return { ...s, rows: [...s.rows, e.metrics] };
    default:
      return s;
  }
}
