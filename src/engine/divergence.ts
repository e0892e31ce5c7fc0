/**
 * When a run counts as diverged although its numbers are still finite: its training loss has
 * grown past `factor` times the loss of guessing (ln of the number of classes, the cross-entropy
 * of the uniform prediction). The engine applies it after each epoch or round when
 * `RunOptions.divergeFactor` is set, so the page and the command line stop the same runs with the
 * same message. Imports nothing.
 */
import type { EngineEvent, RunConfig } from './types';

/** The factor the widgets and the command line use: ten times the loss of guessing. */
export const DEFAULT_DIVERGE_FACTOR = 10;

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
