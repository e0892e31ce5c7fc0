/**
 * Replays training rounds phase by phase at a reader's pace, with the worker one round ahead.
 *
 * The engine computes a round in one go; the widgets want to show it in steps (the model goes
 * out, the clients train, the models come back, the server averages). The player keeps complete
 * rounds in a queue, shows one phase at a time, and asks its source for the next round only
 * when the picture will need it soon — so a paused widget costs no computation, and a fast one
 * is limited by the worker, not by a backlog. With `phaseMs()` 0 each round is drawn in its end
 * state as soon as it arrives.
 *
 * No DOM and no timers other than the phase clock: the widget draws in `show`.
 */
export interface RoundPlayerOptions<R> {
  /** Phases per round (≥ 1); the last one is the round's end state. */
  phases: number;
  /** Milliseconds a phase stays on screen while playing; 0 shows whole rounds only. */
  phaseMs: () => number;
  /** Whether the picture should move on by itself (playing and on screen). */
  active: () => boolean;
  /** Ask the source for one more round (e.g. TrainingHost.step()); answered by `push`. */
  request: () => void;
  /** Draw `round` at `phase`, animating for `duration` ms (0: at once). */
  show: (round: R, phase: number, duration: number) => void;
  /** The last round has been shown in its end state. */
  onDone?: () => void;
}

export class RoundPlayer<R> {
  /** Rounds shown in their end state, or skipped over by `flush`, in order: what charts show. */
  readonly history: R[] = [];
  private queue: R[] = [];
  private shown: { round: R; phase: number } | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private ready = false;
  private awaiting = false;
  private lastArrived = false;
  private finished = false;
  private pending: 'phase' | 'round' | null = null;

  constructor(private readonly o: RoundPlayerOptions<R>) {}

  /** Forget everything (a new run). */
  reset(): void {
    this.hold();
    this.history.length = 0;
    this.queue = [];
    this.shown = null;
    this.ready = false;
    this.awaiting = false;
    this.lastArrived = false;
    this.finished = false;
    this.pending = null;
  }

  /** The source can take requests now (its run has started). */
  start(): void {
    this.ready = true;
    this.supply();
  }

  /** A complete round arrived; `last` when no more will come. */
  push(round: R, last = false): void {
    this.queue.push(round);
    this.awaiting = false;
    if (last) this.lastArrived = true;
    if (this.pending) {
      const step = this.pending;
      this.pending = null;
      if (!this.midRound) this.display(this.queue.shift()!, step === 'round' ? this.o.phases - 1 : 0, 0);
    } else if (this.o.active() && !this.timer && !this.midRound) {
      this.advance();
    }
    this.supply();
  }

  /** The source stopped early (diverged, error): no more requests. */
  stop(): void {
    this.lastArrived = true;
    this.pending = null;
  }

  /** Playing and on screen again: move on. */
  resume(): void {
    if (!this.o.active()) return;
    if (!this.timer) this.advance();
    this.supply();
  }

  /** Stop moving (pause, off screen). */
  hold(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One phase on, asking for a round if none is waiting. */
  stepPhase(): void {
    this.hold();
    if (this.finished) return;
    if (!this.advance(false)) {
      this.pending = 'phase';
      this.supply();
    }
  }

  /** To the end of the round on screen, or the whole next round. */
  stepRound(): void {
    this.hold();
    if (this.finished) return;
    if (this.midRound) this.display(this.shown!.round, this.o.phases - 1, 0);
    else if (this.queue.length > 0) this.display(this.queue.shift()!, this.o.phases - 1, 0);
    else if (!this.lastArrived) {
      this.pending = 'round';
      this.supply();
    }
  }

  /** Shows the newest computed round in its end state at once (older queued ones are skipped). */
  flush(): void {
    this.hold();
    const waiting = this.queue.splice(0);
    // A round caught half-way is over too: record it before the newer ones.
    if (waiting.length > 0 && this.midRound) this.record(this.shown!.round);
    const last = waiting.pop() ?? this.shown?.round;
    for (const r of waiting) this.record(r);
    if (last !== undefined) this.display(last, this.o.phases - 1, 0);
  }

  /** The round and phase on screen. */
  get current(): { round: R; phase: number } | null {
    return this.shown;
  }

  /** Rounds computed and not yet shown. */
  get queued(): number {
    return this.queue.length;
  }

  /** A round is on screen and not yet at its end state. */
  private get midRound(): boolean {
    return this.shown !== null && this.shown.phase < this.o.phases - 1;
  }

  private record(round: R): void {
    if (!this.history.includes(round)) this.history.push(round);
  }

  private supply(): void {
    if (!this.ready || this.awaiting || this.lastArrived) return;
    const want = this.pending !== null || (this.o.active() && this.queue.length < 1);
    if (!want) return;
    this.awaiting = true;
    this.o.request();
  }

  private display(round: R, phase: number, duration: number): void {
    this.shown = { round, phase };
    const end = phase === this.o.phases - 1;
    if (end) this.record(round);
    this.o.show(round, phase, duration);
    if (end && this.lastArrived && this.queue.length === 0 && !this.finished) {
      this.finished = true;
      this.hold();
      this.o.onDone?.();
    }
  }

  /** Shows the next phase (or round); false when nothing is there yet. */
  private advance(keepGoing = true): boolean {
    this.hold();
    const ms = this.o.phaseMs();
    if (this.midRound) {
      this.display(this.shown!.round, this.shown!.phase + 1, ms);
    } else if (this.queue.length > 0) {
      this.display(this.queue.shift()!, ms > 0 ? 0 : this.o.phases - 1, ms);
    } else {
      this.supply();
      return false;
    }
    if (keepGoing && this.o.active() && !this.finished) {
      this.timer = setTimeout(
        () => {
          this.timer = undefined;
          if (this.o.active()) this.advance();
        },
        ms > 0 ? ms : 16,
      );
    }
    this.supply();
    return true;
  }
}
