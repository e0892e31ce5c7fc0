/**
 * When a run counts as diverged although its numbers are still finite: its training loss has
 * grown past `factor` times the loss of guessing (ln of the number of classes, the cross-entropy
 * of the uniform prediction). The engine applies it after each epoch or round when
 * `RunOptions.divergeFactor` is set, so the page and the command line stop the same runs with the
 * same message. Imports nothing.
 */
import type { EngineEvent, RunConfig } from './types';

/**
 * The factor the widgets and the command line use: five times the loss of guessing (for two
 * classes, a mean probability of the true class of 2⁻⁵ ≈ 3%, the geometric mean).
 *
 * Why five and not ten: a ReLU network whose learning rate blew it up does not keep growing its
 * loss. `simulate --algorithm centralized --dataset moons --lr 10` kills every ReLU in the first
 * epoch (test accuracy exactly 50% every epoch, training loss equal to test loss on the two
 * balanced sets: the same output for every input). What is left is the last layer's bias; SGD
 * moves its logit gap d by at most 2η per step and always toward the batch's label mix, so d
 * swings around 0 instead of growing, and the loss of a constant prediction is about |d|/2.
 * Measured over seeds 1–5 (20 epochs): the largest training loss is 7.2–10.0 × ln 2 (6.92 at
 * seed 1, just under ten times ln 2 = 6.93), so a factor of ten let this run "finish".
 * Five stops all five at their first epochs. Runs that recover stay below it: the same network
 * at η = 1 peaks at 2.4 × ln 2 (seed 2) and ends at 100%; tanh networks at η = 3 that do not
 * recover reach 13–26 × ln 2. A federated round's loss (the clients' own, after local
 * training) can spike past five at η = 3 with tanh and come back; those runs are stopped too,
 * with the message to lower the learning rate, as the pages already did at ten for most of them.
 */
export const DEFAULT_DIVERGE_FACTOR = 5;

/** Epochs for centralized and split learning, rounds for the federated family. */
export const unitOf = (algorithm: RunConfig['algorithm']): '에폭' | '라운드' => (algorithm === 'centralized' || algorithm.startsWith('split') ? '에폭' : '라운드');

/**
 * The run-diverged event for a training loss past `factor`·ln(classes) after `round`; null while
 * the loss is in bounds. NaN and ∞ are left to the engine's own check (it stops by itself).
 */
export function lossDiverged(loss: number, classes: number, factor: number, round: number, unit: '에폭' | '라운드' = '에폭'): Extract<EngineEvent, { type: 'run-diverged' }> | null {
  const chance = Math.log(Math.max(2, classes));
  if (!Number.isFinite(loss) || loss <= factor * chance) return null;
  const shown = loss.toFixed(1);
  const times = Math.round(loss / chance);
  return {
    type: 'run-diverged',
    round,
    message: `${unit} ${round}에서 학습 손실이 ${shown}까지 커져(아무렇게나 찍을 때의 약 ${times}배) 학습을 멈췄습니다. 학습률이 너무 커서 발산한 것입니다. 학습률을 낮춰 보세요.`,
    messageEn: `training loss reached ${shown} (${times}× chance level) at ${unit === '에폭' ? 'epoch' : 'round'} ${round}: the run diverged; lower the learning rate.`,
  };
}
