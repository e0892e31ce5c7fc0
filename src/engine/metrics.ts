/**
 * How the paper reads its curves (McMahan et al. 2017, spec §1): test accuracy is made monotone
 * (best so far), and the number of rounds to reach a target is the first crossing, linearly
 * interpolated between the two rounds around it.
 */

/** Best-so-far accuracy after each round. */
export function monotone(accuracies: readonly number[]): number[] {
  let best = -Infinity;
  return accuracies.map((a) => (best = Math.max(best, a)));
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
    prev = curve[i];
  }
  return null;
}
