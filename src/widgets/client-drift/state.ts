/**
 * The client-drift widget's state: the two runs' rounds (the kit's federated-round reducer, one
 * per side) and the rounds both have computed, paired, with what the page reads off the grids:
 * how much of the plane each client's model labels differently from the global model. Pure.
 */
import type { EngineEvent } from '~/engine/types';
import { disagreement, initRounds, reduceRounds, type RoundRecord, type RoundsState } from '~/engine/rounds';
import { SIDES, type Side } from '../fed-figures';

export interface SideRound extends RoundRecord {
  /** Share of the plane where client k's model picks another class than the global model. */
  disagreement: ReadonlyMap<number, number>;
}

/** A round both runs have completed: each side's record of it. */
export type PairRound = Record<Side, SideRound> & { round: number };

export interface DriftState extends Record<Side, RoundsState> {
  /** Rounds both runs have completed, in order. */
  pairs: readonly PairRound[];
}

export const initDrift = (): DriftState => ({ iid: initRounds(), skew: initRounds(), pairs: [] });

/** The mean over clients of {@link disagreement} (NaN without boundaries). */
export function meanDisagreement(r: SideRound): number {
  const xs = [...r.disagreement.values()];
  return xs.length ? xs.reduce((a, x) => a + x, 0) / xs.length : NaN;
}

/** What a side's round is summed up by: the global model's test accuracy and the mean disagreement. */
export const roundFigures = (r: SideRound) => ({ accuracy: r.metrics?.testAccuracy ?? NaN, disagreement: meanDisagreement(r) });

export function reduceDrift(s: DriftState, e: EngineEvent, side: Side): DriftState {
  const next = reduceRounds(s[side], e);
  if (next === s[side]) return s;
  const out = { ...s, [side]: next };
  const both = Math.min(out.iid.rounds.length, out.skew.rounds.length);
  if (both <= s.pairs.length) return out;
  const pairs = [...s.pairs];
  for (let i = pairs.length; i < both; i++) {
    const [iid, skew] = SIDES.map((x) => ({ ...out[x].rounds[i], disagreement: disagreement(out[x].rounds[i]) }));
    pairs.push({ round: iid.round, iid, skew });
  }
  return { ...out, pairs };
}
