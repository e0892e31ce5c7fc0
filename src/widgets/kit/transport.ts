/**
 * What the transport buttons (Transport.astro: play/pause, step, restart) do in the training
 * widgets. Each widget keeps its own state (whether the reader wants the run to go on, and the
 * run's status) and its own way of running (a worker host, or a round player that holds
 * computed rounds back); it hands this its accessors, and the buttons' logic lives here once.
 */

/** A widget's run, as the transport buttons see it. */
export interface TransportTarget {
  /** The run's status now (the widget's data-status). */
  status(): string;
  /** Whether the reader wants the run to go on. */
  playing(): boolean;
  /** Sets whether the reader wants the run to go on. */
  setPlaying(on: boolean): void;
  /** Shows the status a button leads to. */
  setStatus(status: 'running' | 'paused'): void;
  /** Starts a fresh run from the current settings (play after the end, and restart). */
  fresh(): void;
  /** After play/pause: lets the run go on, or holds it, as `playing()` (and visibility) say. */
  resumeOrHold(): void;
  /** Computes one step: a round or an epoch (`step`), or one phase of a round (`step-phase`). */
  step(kind: 'step' | 'step-phase'): void;
  /** Statuses in which the step buttons do nothing (the run is over, or cannot start). */
  noStep: readonly string[];
  /** Statuses in which play/pause does nothing, e.g. while the settings are invalid. */
  frozen?: readonly string[];
  /** Whether restart also sets the run going; otherwise a paused run restarts paused. */
  restartPlays: boolean;
  /** Whether the widget has a step-by-phase button (`step-phase`). */
  phases?: boolean;
}

/** Statuses after which play starts a fresh run rather than resuming the old one. */
const ENDED: readonly string[] = ['finished', 'diverged', 'error'];

/**
 * Handles `name` if it is a transport action (`toggle-play`, `step`, `step-phase` where the
 * widget has phases, `restart`) and says whether it was; other actions are the widget's own.
 */
export function transportAction(name: string, t: TransportTarget): boolean {
  const status = t.status();
  switch (name) {
    case 'toggle-play':
      if (ENDED.includes(status)) {
        t.setPlaying(true);
        t.fresh();
      } else if (!t.frozen?.includes(status)) {
        t.setPlaying(!t.playing());
        t.setStatus(t.playing() ? 'running' : 'paused');
        t.resumeOrHold();
      }
      return true;
    case 'step-phase':
      if (!t.phases) return false;
    // falls through
    case 'step':
      if (t.noStep.includes(status)) return true;
      t.setPlaying(false);
      t.setStatus('paused');
      t.step(name);
      return true;
    case 'restart':
      if (t.restartPlays) t.setPlaying(true);
      t.fresh();
      return true;
    default:
      return false;
  }
}
