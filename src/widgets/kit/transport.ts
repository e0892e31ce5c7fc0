/**
 * What the transport buttons (Transport.astro: play/pause, step, step-phase, restart) do in the
 * training widgets, decided from the run's status and the reader's intent alone. Pure, so that
 * it is tested in Node; the run controller (run.ts) carries the move out.
 */
import { ENDED, type Status } from './status';

/**
 * A fresh run of the current settings (playing), play or pause, one step (the run pauses after
 * it), or nothing (the status does not allow the button).
 */
export type Move = 'fresh' | 'play' | 'pause' | 'step' | 'step-phase' | 'none';

/** Statuses with no run that a step could move on. */
const NO_STEP: readonly Status[] = [...ENDED, 'invalid'];

/**
 * The move of button `name`, or null when it is not a transport button (the widget's own, an
 * export). `step-phase` is one only in a widget that shows rounds in phases.
 */
export function transportMove(name: string, status: Status, playing: boolean, phases: boolean): Move | null {
  switch (name) {
    case 'toggle-play':
      if (ENDED.includes(status)) return 'fresh';
      if (status === 'invalid') return 'none';
      return playing ? 'pause' : 'play';
    case 'restart':
      return 'fresh';
    case 'step-phase':
      return !phases ? null : NO_STEP.includes(status) ? 'none' : 'step-phase';
    case 'step':
      return NO_STEP.includes(status) ? 'none' : 'step';
    default:
      return null;
  }
}
