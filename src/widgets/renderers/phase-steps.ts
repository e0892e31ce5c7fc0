/**
 * The numbered list of a round's phases beside a picture replayed phase by phase (the federated
 * playground, weight averaging): the phase on screen is the list's current step
 * (aria-current="step") and the widget's data-phase, which the tests wait on.
 */
import { prefersReducedMotion } from '~/runtime/lazy';

/** Marks phase `i` of `names` as the one shown; null marks none (a new run). */
export function phaseSteps(root: HTMLElement, names: readonly string[]): (i: number | null) => void {
  const steps = [...root.querySelectorAll<HTMLElement>('[data-phase-step]')];
  return (i) => {
    steps.forEach((li, j) => (j === i ? li.setAttribute('aria-current', 'step') : li.removeAttribute('aria-current')));
    if (i === null) delete root.dataset.phase;
    else root.dataset.phase = names[i];
  };
}

/**
 * Milliseconds a phase stays on screen at the reader's speed (`ms`), and at least `floor` when the
 * reader asks for reduced motion: the pictures then change without moving. 0 (whole rounds) stays 0.
 */
export const phaseDuration = (ms: number, floor: number) => (prefersReducedMotion() && ms > 0 ? Math.max(ms, floor) : ms);
