/**
 * The run controller every training widget uses: it owns the TrainingHost (one per side when a
 * widget trains two runs side by side), the status machine
 *
 *   loading → running ⇄ paused → finished | diverged | error      (invalid: settings refused)
 *
 * the reader's play intent, pausing off screen and resuming, the transport buttons, the status
 * and alert UI, the export buttons and the base of inspect(). A widget gives it a pure reducer
 * `(state, event, side) → state` and its views; it never touches a host or a status itself.
 *
 * Two ways to show a run:
 * - live (default): events are drawn as they come; the worker is paced (`pace`) and held while
 *   the widget is paused or off screen.
 * - player: complete rounds (listed by `player.rounds(state)`) go through a RoundPlayer that
 *   shows each in phases at the reader's speed and asks the workers for one round at a time.
 *
 * A widget that trains several runs one after another (a race, a grid of settings) gives
 * `sequence.job(state)`: the run to train now, decided by its reducer; the kit starts each as
 * the state asks for it and finishes when there is none left.
 */
import type { EngineEvent, RunConfig } from '~/engine/types';
import type { BackendInfo, WireRunOptions } from '~/runtime/protocol';
import type { ParamTable, Values } from '~/runtime/url-state';
import type { WidgetContext, WidgetController } from '~/runtime/widget';
import { TrainingHost } from '~/runtime/host';
import { DEFAULT_DIVERGE_FACTOR } from '~/engine/divergence';
import { RoundPlayer, playerTransport } from './player';
import { transportAction, type TransportTarget } from './transport';
import { statusView, type Status } from './status';
import { exportAction, type ExportSpec } from './export';

export interface PlayerSpec<S, R> {
  /** Phases per round (≥ 1); the last one is the round's end state. */
  phases: number;
  /** Milliseconds a phase stays on screen while playing; 0 shows whole rounds as they come. */
  phaseMs(): number;
  /** The rounds the state holds complete, in order (new ones are appended). */
  rounds(state: S): readonly R[];
  /** A round's number (1-based). */
  round(r: R): number;
  /** Draws `r` at `phase`, animating for `duration` ms. */
  show(r: R, phase: number, duration: number): void;
}

/**
 * Where an event puts a run. Training runs say it with the engine's events (trainingStage); a
 * run of something else through the same worker (an attack) names its own (RunSpec.stage).
 */
export type Stage = { stage: 'started'; config?: RunConfig } | { stage: 'progress'; round: number } | { stage: 'finished' } | { stage: 'diverged'; message: string };

/** The stages of the engine's training events. */
export function trainingStage(e: EngineEvent): Stage | null {
  switch (e.type) {
    case 'run-started':
      return { stage: 'started', config: e.config };
    case 'round-metrics':
      return { stage: 'progress', round: e.metrics.round };
    case 'run-finished':
      return { stage: 'finished' };
    case 'run-diverged':
      return { stage: 'diverged', message: e.message };
    default:
      return null;
  }
}

/** One run of a sequence: `key` changes when the next run should start. */
export interface Job {
  key: string;
  config: RunConfig;
}

export interface RunSpec<S, R> {
  /** Names of runs trained side by side, one worker each (default: one run, `main`). */
  sides?: readonly string[];
  /** The engine configuration of a side, from the current settings. */
  config(side: string): RunConfig;
  /**
   * What the worker adds to the engine's events (boundary grids, data URL). The divergence rule
   * is the engine's DEFAULT_DIVERGE_FACTOR, as on the command line, unless this sets its own.
   */
  options(side: string): WireRunOptions;
  /** A Korean message when the settings cannot train (the run then waits for a change). */
  validate?(): string | null;
  /** The state of a run before its first event. */
  init(): S;
  /**
   * Pure: the state after one engine event of `side`. Times come with the events (the engine's
   * `ms`), never from when they arrived: several can arrive in one batch.
   */
  reduce(state: S, event: EngineEvent, side: string): S;
  /** Runs that are not training (an attack): where each of their events puts the run. */
  stage?(event: EngineEvent): Stage | null;
  /** After an event has been reduced: draw what it changed (live widgets). */
  onEvent?(event: EngineEvent, side: string): void;
  /** A new run is about to start (`last`: the state of the run it replaces): clear what it drew. */
  onReset?(last: S): void;
  /** Every side has started: draw the new run's empty views. */
  onStart?(): void;
  /** The run finished or diverged. */
  onEnd?(status: Status): void;
  player?: PlayerSpec<S, R>;
  /** Runs one after another; the kit neither ends nor alerts on a run's own end or divergence. */
  sequence?: {
    /** The run to train now (null: all done). */
    job(state: S): Job | null;
    /** How the sequence ended (default: finished). */
    ended?(state: S): 'finished' | 'diverged';
  };
  /** Progress other than `unit done / total` (sequences). */
  progress?(state: S): { done: number; total: number; text: string };
  /** The play button's label after the end (default '다시 학습'). */
  restartLabel?: string;
  /** What the diverged alert suggests after the engine's message. */
  divergedHint?: string;
  /** Live runs: milliseconds between epochs or rounds, and between split-learning batches. */
  pace?(): number | readonly [number, number];
  /** Progress unit: '라운드' (default) or '에폭' (data-round or data-epoch follows it). */
  unit?: '라운드' | '에폭';
  /** Epochs or rounds of a configuration (default: epochs when `unit` is '에폭', else rounds). */
  total?(config: RunConfig): number;
  /** The aria-live summary of the run now. */
  summary(): string;
  exports?: ExportSpec;
  /** Names a side in the diverged alert when there are several. */
  sideName?(side: string): string;
}

/** What every training widget's inspect() starts with. */
export interface RunInspection {
  runId: number;
  status: Status;
  config: RunConfig | null;
  backend: BackendInfo | null;
  /** Milliseconds the worker waits between epochs or rounds now (the trainer's tests hold it to it). */
  pace: number;
}

/** A widget's own part of its controller; the run does the rest. */
export interface OwnController<T extends ParamTable, I> {
  /** Before the run reacts to a settings change: 'skip' handles it, 'now' restarts undebounced. */
  update?(values: Values<T>, changed: (keyof T & string)[]): 'skip' | 'now' | void;
  /** A button the run does not know; true when handled (the run then does nothing more). */
  action?(name: string, trigger: HTMLElement): boolean | void;
  destroy?(): void;
  inspect(): I;
}

const DIVERGED_HINT = '설정을 바꾸거나 ‘다시 학습’을 누르면 새로 시작합니다.';

export class Run<T extends ParamTable, S, R = never> {
  /** The current run's state, as the reducer made it. */
  state: S;
  /** Rounds shown in their end state (or skipped over), in order: what the charts show (player). */
  readonly history: R[] = [];
  backend: BackendInfo | null = null;
  private statusNow: Status = 'loading';
  /** The reader's intent; the run also holds while the widget is off screen. */
  private wantPlay = true;
  private readonly hosts: Record<string, TrainingHost> = {};
  private readonly configs: Record<string, RunConfig | null> = {};
  private readonly started = new Set<string>();
  private pushed = 0;
  private job: string | null = null;
  private pace = 0;
  private readonly sides: readonly string[];
  private readonly ui: ReturnType<typeof statusView>;
  private readonly player: RoundPlayer<R> | null = null;
  private readonly transport: TransportTarget;

  constructor(
    private readonly ctx: WidgetContext<T>,
    private readonly spec: RunSpec<S, R>,
  ) {
    this.sides = spec.sides ?? ['main'];
    this.ui = statusView(ctx.root);
    this.state = spec.init();
    for (const side of this.sides) {
      this.configs[side] = null;
      this.hosts[side] = new TrainingHost({
        onEvent: (e) => this.onEvent(e, side),
        onBackend: (info) => {
          this.backend = info;
          this.ui.backend(info);
        },
        onPaused: (p) => {
          // The trainer's own word that it holds (data-held): every event it sent before is in.
          ctx.root.dataset.held = String(p);
          if (!this.player && (this.statusNow === 'running' || this.statusNow === 'paused')) this.setStatus(p ? 'paused' : 'running');
        },
        onError: (message) => {
          this.setStatus('error');
          this.ui.alert(message);
        },
      });
    }
    const p = spec.player;
    const base = {
      status: () => this.statusNow,
      playing: () => this.wantPlay,
      setPlaying: (on: boolean) => (this.wantPlay = on),
      setStatus: (s: 'running' | 'paused') => this.setStatus(s),
      fresh: () => this.start(false),
    };
    if (p) {
      const player = new RoundPlayer<R>({
        phases: p.phases,
        phaseMs: () => p.phaseMs(),
        active: () => this.active,
        request: () => this.each((h) => h.step()),
        show: (r, phase, duration) => this.show(r, phase, duration),
        onSkip: (r) => this.record(r),
        onDone: () => this.end('finished'),
      });
      this.player = player;
      this.transport = { ...playerTransport(player, base, p.phases > 1), frozen: ['invalid'] };
    } else {
      this.transport = {
        ...base,
        resumeOrHold: () => this.each((h) => (this.active ? h.resume() : h.pause())),
        step: () => this.each((h) => h.step()),
        noStep: ['finished', 'diverged', 'error', 'invalid'],
        frozen: ['invalid'],
        restartPlays: true,
      };
    }
    this.applyPace();
  }

  get status(): Status {
    return this.statusNow;
  }

  /** Whether the reader wants the run to go on (a new run of changed settings sets it). */
  get playing(): boolean {
    return this.wantPlay;
  }

  set playing(on: boolean) {
    this.wantPlay = on;
  }

  /** Playing and on screen. */
  get active(): boolean {
    return this.wantPlay && this.ctx.visible;
  }

  /** The configuration of a side's current run (the first side by default), once started. */
  config(side = this.sides[0]): RunConfig | null {
    return this.configs[side] ?? null;
  }

  runId(side = this.sides[0]): number {
    return this.hosts[side]?.runId ?? 0;
  }

  /** Rounds computed and not yet shown (player). */
  get queued(): number {
    return this.player?.queued ?? 0;
  }

  /** The round and phase on screen (player). */
  get current(): { round: R; phase: number } | null {
    return this.player?.current ?? null;
  }

  /** Epochs or rounds the current run will take. */
  get total(): number {
    const c = this.config();
    if (!c) return 0;
    return this.spec.total?.(c) ?? (this.spec.unit === '에폭' ? c.epochs : c.rounds);
  }

  /** Stops the run where it is (what it drew stays) and shows `status`. */
  stop(status: Status): void {
    this.each((h) => h.cancel());
    this.setStatus(status);
  }

  /** The status, the play button and data-status. */
  setStatus(s: Status): void {
    this.statusNow = s;
    this.ui.status(s, this.wantPlay, this.spec.restartLabel);
  }

  /** Shows or clears the alert box. */
  alert(message: string | null): void {
    this.ui.alert(message);
  }

  /** The line under the controls about the model's size. */
  parameters(text: string): void {
    this.ui.parameters(text);
  }

  /**
   * Starts a run of the current settings: at once, or after the settings are quiet. `from` is
   * the state to start from when it is not `init()` (a run that adds to what is drawn).
   */
  start(debounced: boolean, from?: S): void {
    this.player?.reset();
    this.history.length = 0;
    this.pushed = 0;
    this.started.clear();
    const last = this.state;
    this.state = from ?? this.spec.init();
    for (const side of this.sides) this.configs[side] = null;
    this.ui.alert(null);
    delete this.ctx.root.dataset[this.roundKey];
    this.spec.onReset?.(last);
    const problem = this.spec.validate?.();
    if (problem) {
      this.each((h) => h.cancel());
      this.setStatus('invalid');
      this.ui.alert(problem);
      this.ctx.announce(this.spec.summary(), true);
      return;
    }
    this.job = null;
    if (this.spec.sequence) {
      this.setStatus('loading');
      this.nextJob(debounced);
      return;
    }
    this.setStatus('loading');
    // A player asks for each round when it needs it, so its runs always start held.
    const held = () => this.player !== null || !this.active;
    for (const side of this.sides) {
      const h = this.hosts[side];
      if (debounced) h.restart(() => this.spec.config(side), this.options(side), { paused: held });
      else h.start(this.spec.config(side), this.options(side), { paused: held() });
    }
  }

  /** The controller the runtime talks to; `own` adds the widget's buttons and inspect(). */
  controller<I>(own: OwnController<T, I>): WidgetController<T> & { inspect(): I } {
    return {
      update: (values, changed) => {
        this.applyPace();
        const p = this.spec.player;
        if (p && this.player && changed.some((k) => this.isView(k))) {
          // From phases to whole rounds: show what is computed, then go on round by round.
          if (p.phaseMs() === 0) this.player.flush();
          this.player.resume();
        }
        const said = own.update?.(values, changed);
        if (said === 'skip' || changed.every((k) => this.isView(k))) return;
        this.wantPlay = true;
        this.start(said !== 'now');
      },
      action: (name, trigger) => {
        if (own.action?.(name, trigger)) return;
        if (transportAction(name, this.transport)) return;
        if (this.spec.exports) exportAction(name, trigger, this.spec.exports, this.ctx.notify);
      },
      setVisible: (visible) => this.setVisible(visible),
      destroy: () => {
        this.player?.reset();
        this.each((h) => h.dispose());
        own.destroy?.();
      },
      inspect: () => own.inspect(),
    };
  }

  /** The part of inspect() every training widget has. */
  inspectBase(): RunInspection {
    return { runId: this.runId(), status: this.statusNow, config: this.config(), backend: this.backend, pace: this.pace };
  }

  /** tfjs memory in the first side's trainer (the leak benchmark). */
  memory(): Promise<{ numTensors: number; numBytes: number }> {
    return this.hosts[this.sides[0]].memory();
  }

  /** Starts the run the state asks for, if it is not the one training; ends when none is left. */
  private nextJob(debounced = false): void {
    const seq = this.spec.sequence!;
    const job = seq.job(this.state);
    if (job && job.key === this.job) return;
    const h = this.hosts[this.sides[0]];
    if (!job) {
      if (this.job === '') return;
      this.job = '';
      h.cancel();
      this.showProgress();
      this.end(seq.ended?.(this.state) ?? 'finished');
      return;
    }
    this.job = job.key;
    const options = this.options(this.sides[0]);
    if (debounced) h.restart(() => job.config, options, { paused: () => !this.active });
    else h.start(job.config, options, { paused: !this.active });
  }

  /** The progress bar: the widget's own, or `unit done / total`. */
  private showProgress(done?: number): void {
    const p = this.spec.progress?.(this.state);
    if (p) this.ui.progress(p.done, p.total, p.text);
    else if (done !== undefined) this.ui.progress(done, this.total, `${this.spec.unit ?? '라운드'} ${done} / ${this.total}`);
  }

  private get roundKey(): 'epoch' | 'round' {
    return this.spec.unit === '에폭' ? 'epoch' : 'round';
  }

  private options(side: string): WireRunOptions {
    return { divergeFactor: DEFAULT_DIVERGE_FACTOR, ...this.spec.options(side) };
  }

  private isView(key: string): boolean {
    return Boolean((this.ctx.table[key] as { view?: boolean } | undefined)?.view);
  }

  private each(f: (h: TrainingHost) => void): void {
    for (const side of this.sides) f(this.hosts[side]);
  }

  private applyPace(): void {
    const pace = this.player ? 0 : (this.spec.pace?.() ?? 0);
    const [ms, batchMs] = typeof pace === 'number' ? [pace, 0] : pace;
    this.pace = ms;
    this.each((h) => h.setPace(ms, batchMs));
  }

  private setVisible(visible: boolean): void {
    const s = this.statusNow;
    if (this.player) {
      if (s !== 'running' && s !== 'paused') return;
      if (visible && this.wantPlay) {
        this.setStatus('running');
        this.player.resume();
      } else {
        this.player.hold();
        this.setStatus('paused');
      }
    } else if (s === 'running' || s === 'paused' || s === 'loading') {
      this.each((h) => (visible && this.wantPlay ? h.resume() : h.pause()));
    }
  }

  private onEvent(e: EngineEvent, side: string): void {
    this.state = this.spec.reduce(this.state, e, side);
    const st = (this.spec.stage ?? trainingStage)(e);
    if (st?.stage === 'started') {
      if (st.config) this.configs[side] = st.config;
      const key = this.sides.length === 1 ? 'runId' : `run${side[0].toUpperCase()}${side.slice(1)}`;
      this.ctx.root.dataset[key] = String(this.hosts[side].runId);
      this.started.add(side);
    }
    this.spec.onEvent?.(e, side);
    const seq = this.spec.sequence;
    switch (st?.stage) {
      case 'started':
        if (this.started.size < this.sides.length) return;
        this.spec.onStart?.();
        this.showProgress(0);
        if (this.player || this.statusNow !== 'paused') this.setStatus(this.active ? 'running' : 'paused');
        this.ctx.announce(this.spec.summary());
        this.player?.start();
        break;
      case 'progress':
        if (!this.player) this.progressed(st.round);
        break;
      case 'finished':
        if (!this.player && !seq) this.end('finished');
        break;
      case 'diverged': {
        if (seq) break;
        this.player?.stop();
        // What was computed before the blow-up is shown at once; then the message.
        this.player?.flush();
        const who = this.sides.length > 1 && this.spec.sideName ? `${this.spec.sideName(side)} 쪽: ` : '';
        this.ui.alert(`${who}${st.message} ${this.spec.divergedHint ?? DIVERGED_HINT}`);
        this.end('diverged');
        break;
      }
    }
    if (this.spec.player) this.pushRounds();
    if (seq) this.nextJob();
  }

  /** Hands newly completed rounds to the player; the last one lets the workers finish. */
  private pushRounds(): void {
    const p = this.spec.player!;
    const rounds = p.rounds(this.state);
    while (this.pushed < rounds.length) {
      const r = rounds[this.pushed++];
      const last = p.round(r) >= this.total;
      // Nothing more to hold the runs for: let them finish and free their tensors.
      if (last) this.each((h) => h.resume());
      this.player!.push(r, last);
    }
  }

  private show(r: R, phase: number, duration: number): void {
    const end = phase === this.spec.player!.phases - 1;
    if (end) this.record(r);
    this.spec.player!.show(r, phase, duration);
    if (end) this.progressed(this.spec.player!.round(r));
  }

  private record(r: R): void {
    if (!this.history.includes(r)) this.history.push(r);
  }

  private progressed(round: number): void {
    this.showProgress(round);
    this.ctx.root.dataset[this.roundKey] = String(round);
    this.ctx.announce(this.spec.summary());
  }

  private end(s: 'finished' | 'diverged'): void {
    this.setStatus(s);
    this.ctx.announce(this.spec.summary(), true);
    this.spec.onEnd?.(s);
  }
}

/** The run controller of a widget (see {@link Run}). */
export function createRun<T extends ParamTable, S, R = never>(ctx: WidgetContext<T>, spec: RunSpec<S, R>): Run<T, S, R> {
  return new Run(ctx, spec);
}
