/**
 * The client-drift widget's state: the two runs' rounds (the kit's federated-round reducer, one
 * per side) and the rounds both have computed, paired, with what the page reads off the grids:
 * how much of the plane each client's model labels differently from the global model. Pure.
 */
import type { EngineEvent } from '~/engine/types';
import { argmaxGrid, initRounds, reduceRounds, type Grid, type RoundRecord, type RoundsState } from '~/engine/rounds';
import { SIDES, type Side } from '../kit/figure-config';

export interface SideRound extends RoundRecord {
  /** Share of the plane where client k's model picks another class than the global model. */
  disagreement: ReadonlyMap<number, number>;
}

export interface PairRound {
  round: number;
  iid: SideRound;
  skew: SideRound;
}

export interface DriftState {
  iid: RoundsState;
  skew: RoundsState;
  /** Rounds both runs have completed, in order. */
  pairs: readonly PairRound[];
}

export const initDrift = (): DriftState => ({ iid: initRounds(), skew: initRounds(), pairs: [] });

/** How much of the plane each client's model labels differently from the global model. */
export function disagreement(r: RoundRecord): Map<number, number> {
  const out = new Map<number, number>();
  if (!r.global) return out;
  const g = argmaxGrid(r.global.probs, r.global.classes);
  for (const [k, c] of r.clients) {
    if (!c.boundary) continue;
    const l = argmaxGrid(c.boundary.probs, c.boundary.classes);
    let diff = 0;
    for (let i = 0; i < g.length; i++) if (g[i] !== l[i]) diff++;
    out.set(k, diff / g.length);
  }
  return out;
}

/** The mean over clients of {@link disagreement} (NaN without boundaries). */
export function meanDisagreement(r: SideRound): number {
  const xs = [...r.disagreement.values()];
  return xs.length ? xs.reduce((a, x) => a + x, 0) / xs.length : NaN;
}

/** What a side's round is summed up by: the global model's test accuracy and the mean disagreement. */
export const roundFigures = (r: SideRound) => ({ accuracy: r.metrics?.testAccuracy ?? NaN, disagreement: meanDisagreement(r) });

/** A round's clients in order of their number. */
export const byClient = <C>(r: { clients: ReadonlyMap<number, C> }) => [...r.clients.entries()].sort(([a], [b]) => a - b);

/** The class a model predicts everywhere on the grid, or null when it has a boundary. */
export function onlyClass(g: Grid): number | null {
  const a = argmaxGrid(g.probs, g.classes);
  for (let i = 1; i < a.length; i++) if (a[i] !== a[0]) return null;
  return a[0];
}

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
