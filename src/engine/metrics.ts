/**
 * How the paper reads its curves (McMahan et al. 2017): test accuracy is made monotone
 * (best so far), and the number of rounds to reach a target is the first crossing, linearly
 * interpolated between the two rounds around it.
 */

/**
 * Best-so-far accuracy after each round. A non-finite accuracy (a run that blew up) never
 * improves the curve, and does not poison it the way Math.max(best, NaN) would.
 */
export function monotone(accuracies: readonly number[]): number[] {
  let best = -Infinity;
  return accuracies.map((a) => (Number.isFinite(a) && a > best ? (best = a) : best));
}

/**
 * Rounds (1-based, fractional) until the best-so-far accuracy first reaches `target`; null if it
 * never does. `accuracies[i]` is the accuracy after round i + 1; before round 1 the accuracy is
 * taken as `start` (chance level, by default 0), so a target reached in round 1 gives a value in
 * (0, 1].
 */
export function roundsToTarget(accuracies: readonly number[], target: number, start = 0): number | null {
  const curve = monotone(accuracies);
  let prev = start;
  for (let i = 0; i < curve.length; i++) {
    if (curve[i] >= target) {
      const frac = curve[i] === prev ? 1 : (target - prev) / (curve[i] - prev);
      return i + Math.min(1, Math.max(0, frac));
    }
    // Before the first finite accuracy the curve is -∞; interpolate from `start` instead.
    if (Number.isFinite(curve[i])) prev = curve[i];
  }
  return null;
}

/**
 * Speed-up of a setting against a baseline, as the paper's table writes it ("16.9×" against
 * FedSGD): baseline rounds over the setting's rounds; null when either is unknown.
 */
export function speedup(baselineRounds: number | null, rounds: number | null): number | null {
  if (baselineRounds === null || rounds === null || !(rounds > 0)) return null;
  return baselineRounds / rounds;
}

/** Ranks by ascending value (1 = the smallest, e.g. the fewest rounds); unknown values get none. */
export function ranksOf(values: readonly (number | null)[]): (number | null)[] {
  const idx = values
    .map((v, i) => [v, i] as const)
    .filter(([v]) => v !== null)
    .sort((a, b) => a[0]! - b[0]!);
  const out: (number | null)[] = values.map(() => null);
  idx.forEach(([, i], r) => (out[i] = r + 1));
  return out;
}

/**
 * How many pairs of settings are in the same order in `measured` (rounds to target, null: never
 * reached, counted as slower than any reached) as in `reference` (the paper's rounds), out of the
 * pairs where at least one of the two was reached.
 */
export function orderAgreement(measured: readonly (number | null)[], reference: readonly number[]): { agree: number; pairs: number } {
  let agree = 0;
  let pairs = 0;
  for (let i = 0; i < measured.length; i++) {
    for (let j = i + 1; j < measured.length; j++) {
      const a = measured[i] ?? Infinity;
      const b = measured[j] ?? Infinity;
      if (a === Infinity && b === Infinity) continue;
      pairs++;
      if (Math.sign(a - b) === Math.sign(reference[i] - reference[j])) agree++;
    }
  }
  return { agree, pairs };
}
