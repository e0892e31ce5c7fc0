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
import { RoundPlayer, type RoundPlayerOptions } from './player';
import { transportMove, type Move } from './transport';
import { statusView, type Status, type StatusView } from './status';
import { exportAction, type ExportSpec } from './export';
import { setData } from '../renderers/outputs';

/** Where the worker fetches digits and MNIST from (the site's public/data, under its base path). */
const DATA_URL = `${import.meta.env.BASE_URL.replace(/\/?$/, '/')}data/`;

export interface PlayerSpec<S, R> extends Pick<RoundPlayerOptions<R>, 'phases' | 'phaseMs' | 'show'> {
  /** The rounds the state holds complete, in order (new ones are appended). */
  rounds(state: S): readonly R[];
  /** A round's number (1-based). */
  round(r: R): number;
}

/**
 * Where an event puts a run. Training runs say it with the engine's events (trainingStage); a
 * run of something else through the same worker (an attack) names its own (RunSpec.stage).
 */
export type Stage =
  | { stage: 'started'; config?: RunConfig }
  | { stage: 'progress'; round: number }
  | { stage: 'finished' }
  | { stage: 'diverged'; message: string };

/** The stages of the engine's training events. */
export function trainingStage(e: EngineEvent): Stage | null {
  if (e.type === 'run-started') return { stage: 'started', config: e.config };
  if (e.type === 'round-metrics') return { stage: 'progress', round: e.metrics.round };
  if (e.type === 'run-finished') return { stage: 'finished' };
  if (e.type === 'run-diverged') return { stage: 'diverged', message: e.message };
  return null;
}

/** One run of a sequence: `key` changes when the next run should start. */
export interface Job {
  key: string;
  config: RunConfig;
}

export interface RunSpec<S, R> {
  /** Names of runs trained side by side, one worker each (default: one run, `main`). */
  sides?: readonly string[];
  /** The engine configuration of a side, from the current settings (a sequence's jobs give it instead). */
  config?(side: string): RunConfig;
  /**
   * What the worker adds to the engine's events (boundary grids, weights). The kit adds the data
   * URL and the engine's divergence rule (DEFAULT_DIVERGE_FACTOR, as on the command line).
   */
  options?(side: string): WireRunOptions;
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
  /** What the diverged alert suggests after the engine's message (default: change a setting or restart). */
  divergedHint?: string;
  /** Live runs: milliseconds between epochs or rounds, and between split-learning batches. */
  pace?(): number | readonly [number, number];
  /** Progress unit: '라운드' (default) or '에폭', counted to the configuration's rounds or epochs. */
  unit?: '라운드' | '에폭';
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

export class Run<T extends ParamTable, S, R = never> {
  /** The current run's state, as the reducer made it. */
  state: S;
  backend: BackendInfo | null = null;
  /** The reader's intent (play or pause); the run also holds while the widget is off screen. */
  playing = true;
  /** The status line, progress bar, alert box and parameter line. */
  readonly ui: StatusView;
  /** Replays complete rounds phase by phase (widgets with a `player`). */
  readonly player: RoundPlayer<R> | null = null;
  private statusNow: Status = 'loading';
  private readonly sides: readonly string[];
  private readonly hosts: Record<string, TrainingHost> = {};
  /** The sides whose current run has started, with its configuration (null: not a training run). */
  private readonly started = new Map<string, RunConfig | null>();
  /** The sides whose current run has finished: runs side by side end when the last one does. */
  private readonly finished = new Set<string>();
  /** Rounds handed to the player so far. */
  private pushed = 0;
  /** Sides that compute the player's next round after the one computing now (they take turns). */
  private turns: string[] = [];
  /** The key of the sequence's job training now ('' once none is left). */
  private job: string | null = null;
  private pace = 0;

  constructor(
    private readonly ctx: WidgetContext<T>,
    private readonly spec: RunSpec<S, R>,
  ) {
    this.sides = spec.sides ?? ['main'];
    this.ui = statusView(ctx.root);
    this.state = spec.init();
    for (const side of this.sides) {
      this.hosts[side] = new TrainingHost({
        onEvent: (e) => this.onEvent(e, side),
        onBackend: (info) => {
          this.backend = info;
          this.ui.backend(info);
        },
        onPaused: (p) => {
          // The trainers' own word that they hold (data-held): every event they sent before is in.
          setData(ctx.root, 'held', String(p && this.sides.every((s) => this.hosts[s].holding)));
          if (!this.player && (this.statusNow === 'running' || this.statusNow === 'paused')) this.setStatus(p ? 'paused' : 'running');
        },
        onError: (message) => {
          this.setStatus('error');
          this.ui.alert(message);
        },
      });
    }
    const p = spec.player;
    if (p) {
      this.player = new RoundPlayer<R>({
        phases: p.phases,
        phaseMs: p.phaseMs,
        active: () => this.active,
        request: () => this.requestRound(),
        show: (r, phase, duration) => {
          p.show(r, phase, duration);
          if (phase === p.phases - 1) this.progressed(p.round(r));
        },
        onDone: () => this.end('finished'),
      });
    }
    this.applyPace();
  }

  /** Rounds shown in their end state (or skipped over), in order: what the charts show (player). */
  get history(): readonly R[] {
    return this.player?.history ?? [];
  }

  get status(): Status {
    return this.statusNow;
  }

  /** Playing and on screen. */
  get active(): boolean {
    return this.playing && this.ctx.visible;
  }

  /** The configuration of a side's current run (the first side by default), once started. */
  config(side = this.sides[0]): RunConfig | null {
    return this.started.get(side) ?? null;
  }

  runId(side = this.sides[0]): number {
    return this.hosts[side]?.runId ?? 0;
  }

  /** Epochs or rounds the current run will take. */
  get total(): number {
    const c = this.config();
    return !c ? 0 : this.spec.unit === '에폭' ? c.epochs : c.rounds;
  }

  /** Stops the run where it is (what it drew stays) and shows `status`. */
  stop(status: Status): void {
    this.each((h) => h.cancel());
    this.setStatus(status);
  }

  /** The status, the play button and data-status. */
  setStatus(s: Status): void {
    this.statusNow = s;
    this.ui.status(s, this.playing, this.spec.restartLabel);
  }

  /**
   * Starts a run of the current settings: at once, or after the settings are quiet. `from` is
   * the state to start from when it is not `init()` (a run that adds to what is drawn).
   */
  start(debounced: boolean, from?: S): void {
    this.player?.reset();
    this.turns = [];
    this.pushed = 0;
    this.started.clear();
    this.finished.clear();
    const last = this.state;
    this.state = from ?? this.spec.init();
    this.ui.alert(null);
    delete this.ctx.root.dataset[this.roundKey];
    this.spec.onReset?.(last);
    const problem = this.spec.validate?.();
    if (problem) {
      this.stop('invalid');
      this.ui.alert(problem);
      this.ctx.announce(() => this.spec.summary(), true);
      return;
    }
    this.setStatus('loading');
    this.job = null;
    if (this.spec.sequence) this.nextJob(debounced);
    else for (const side of this.sides) this.launch(side, () => this.spec.config!(side), debounced);
  }

  /** The controller the runtime talks to; `own` adds the widget's buttons and inspect(). */
  controller<I>(own: OwnController<T, I>): WidgetController<T> & { inspect(): I } {
    return {
      update: (values, changed) => {
        this.applyPace();
        if (this.player && changed.some((k) => this.isView(k))) {
          // From phases to whole rounds: show what is computed, then go on round by round.
          if (this.spec.player!.phaseMs() === 0) this.player.flush();
          this.player.resume();
        }
        const said = own.update?.(values, changed);
        if (said === 'skip' || changed.every((k) => this.isView(k))) return;
        this.playing = true;
        this.start(said !== 'now');
      },
      action: (name, trigger) => {
        if (own.action?.(name, trigger)) return;
        const move = transportMove(name, this.statusNow, this.playing, (this.spec.player?.phases ?? 1) > 1);
        if (move) this.move(move);
        else if (this.spec.exports) exportAction(name, trigger, this.spec.exports, this.ctx.notify);
      },
      setVisible: () => this.setVisible(),
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

  /**
   * Starts a run on a side's worker, now or once the settings are quiet. It starts held unless
   * the widget plays on screen; a player asks for each round itself, so its runs always do.
   */
  private launch(side: string, config: () => RunConfig, debounced: boolean): void {
    const h = this.hosts[side];
    const options = { divergeFactor: DEFAULT_DIVERGE_FACTOR, dataUrl: DATA_URL, ...this.spec.options?.(side) };
    const held = () => this.player !== null || !this.active;
    if (debounced) h.restart(config, options, { paused: held });
    else h.start(config(), options, { paused: held() });
  }

  /** Starts the run the state asks for, if it is not the one training; ends when none is left. */
  private nextJob(debounced = false): void {
    const seq = this.spec.sequence!;
    const job = seq.job(this.state);
    if (job && job.key === this.job) return;
    if (job) {
      this.job = job.key;
      this.launch(this.sides[0], () => job.config, debounced);
    } else if (this.job !== '') {
      this.job = '';
      this.each((h) => h.cancel());
      this.showProgress();
      this.end(seq.ended?.(this.state) ?? 'finished');
    }
  }

  /**
   * One more round from every side, for the player. With no core to spare beside the workers (two
   * sides on a two-core machine), the sides compute it one after another, so that the page keeps
   * a core for drawing: computing both at once stretched the page's tasks about threefold (client
   * drift on the jank bench's desktop profile, a 28 ms task took 88 ms). A round that waits here
   * costs nothing the reader sees while the player shows the one before.
   */
  private requestRound(): void {
    const cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 1;
    if (this.sides.length === 1 || cores > this.sides.length) {
      this.each((h) => h.step());
      return;
    }
    this.turns = this.sides.slice(1);
    this.hosts[this.sides[0]].step();
  }

  /** Carries out what a transport button asks for. */
  private move(m: Move): void {
    if (m === 'none') return;
    if (m === 'fresh') {
      this.playing = true;
      this.start(false);
      return;
    }
    this.playing = m === 'play';
    this.setStatus(this.playing ? 'running' : 'paused');
    if (m === 'play' || m === 'pause') this.goOrHold();
    else if (!this.player) this.each((h) => h.step());
    else if (m === 'step-phase') this.player.stepPhase();
    else this.player.stepRound();
  }

  /** Lets the run go on while it plays on screen, and holds it otherwise. */
  private goOrHold(): void {
    if (!this.player) this.each((h) => (this.active ? h.resume() : h.pause()));
    else if (this.active) this.player.resume();
    else this.player.hold();
  }

  /** Scrolled into or out of view: a playing run goes on only while it is seen. */
  private setVisible(): void {
    const s = this.statusNow;
    const underWay = s === 'running' || s === 'paused';
    // A player's status follows what the reader sees; a live run's follows its trainer (onPaused).
    if (this.player && underWay) this.setStatus(this.active ? 'running' : 'paused');
    if (underWay || (s === 'loading' && !this.player)) this.goOrHold();
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

  private onEvent(e: EngineEvent, side: string): void {
    this.state = this.spec.reduce(this.state, e, side);
    const st = (this.spec.stage ?? trainingStage)(e);
    if (st?.stage === 'started') {
      this.started.set(side, st.config ?? null);
      const key = this.sides.length === 1 ? 'runId' : `run${side[0].toUpperCase()}${side.slice(1)}`;
      this.ctx.root.dataset[key] = String(this.hosts[side].runId);
    }
    this.spec.onEvent?.(e, side);
    const seq = this.spec.sequence;
    switch (st?.stage) {
      case 'started':
        if (this.started.size < this.sides.length) return;
        this.spec.onStart?.();
        this.showProgress(0);
        if (this.player || this.statusNow !== 'paused') this.setStatus(this.active ? 'running' : 'paused');
        this.ctx.announce(() => this.spec.summary());
        this.player?.start();
        break;
      case 'progress':
        if (!this.player) this.progressed(st.round);
        else if (this.turns.length > 0) this.hosts[this.turns.shift()!].step();
        break;
      case 'finished':
        this.finished.add(side);
        if (!this.player && !seq && this.finished.size === this.sides.length) this.end('finished');
        break;
      case 'diverged': {
        if (seq) break;
        this.player?.stop();
        // What was computed before the blow-up is shown at once; then the message.
        this.player?.flush();
        const who = this.sides.length > 1 && this.spec.sideName ? `${this.spec.sideName(side)} 쪽: ` : '';
        const hint = this.spec.divergedHint ?? `설정을 바꾸거나 ‘${this.spec.restartLabel ?? '다시 학습'}’을 누르면 새로 시작합니다.`;
        this.ui.alert(`${who}${st.message} ${hint}`);
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

  private progressed(round: number): void {
    this.showProgress(round);
    setData(this.ctx.root, this.roundKey, String(round));
    this.ctx.announce(() => this.spec.summary());
  }

  private end(s: 'finished' | 'diverged'): void {
    this.setStatus(s);
    this.ctx.announce(() => this.spec.summary(), true);
    this.spec.onEnd?.(s);
  }
}
