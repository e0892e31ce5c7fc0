/**
 * The page side of training: owns the worker (or the in-page fallback), numbers the runs, and
 * lets through only the events of the current run.
 *
 * A widget calls `restart(config)` whenever a setting changes. The running experiment is
 * invalidated at once — its events are dropped from that moment — and a fresh run starts after
 * the settings have been quiet for `debounceMs`, so dragging a slider starts one run, not fifty.
 */
import type { EngineEvent, RunConfig } from '../engine/types';
import type { BackendInfo, BackendPreference, HostMessage, WireRunOptions, WorkerMessage } from './protocol';
import { isWorkerMessage } from './protocol';
import type { Port } from './in-page';

export interface HostCallbacks {
  /** An event of the current run; never one of a cancelled or superseded run. */
  onEvent(event: EngineEvent, runId: number): void;
  /** The backend is known (first time), or changed because the worker failed. */
  onBackend?(info: BackendInfo): void;
  /** The current run was held (true) or let go (false) by the trainer. */
  onPaused?(paused: boolean, runId: number): void;
  /** The current run's generator is closed (finished, diverged or cancelled). */
  onDone?(runId: number): void;
  /** A Korean message about a failure outside the engine's events. */
  onError?(message: string): void;
}

export interface HostOptions {
  /** Milliseconds of quiet before a scheduled restart begins. */
  debounceMs?: number;
  /** Backend to ask for first (tests and the benchmark may force cpu). */
  prefer?: BackendPreference;
  /** Skip the worker, as if the browser had none. */
  forceInPage?: boolean;
}

/** Starts a worker for the training script, or returns null if this browser cannot. */
function spawnWorker(onMessage: (m: unknown) => void, onFail: () => void): Port | null {
  if (typeof Worker === 'undefined') return null;
  try {
    const worker = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module', name: 'train' });
    worker.addEventListener('message', (e) => onMessage(e.data));
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      onFail();
    });
    worker.addEventListener('messageerror', () => onFail());
    return worker;
  } catch {
    return null;
  }
}

/**
 * Resolves once the page has drawn its next frame (or after 100 ms, as in a tab that draws none).
 * A widget's worker starts then, not in the task that mounts the widget: starting, it loads
 * TensorFlow.js, compiles its WebAssembly (on more threads) and trains, and on a two-core machine
 * that took the cores from the mount's frame. The federated playground's mount frame took 36 ms
 * (in a trace; 55-61 ms in the jank bench's desktop profile) for 15 ms of its own work, while the
 * worker and V8's compile threads used about 70 ms of CPU beside it.
 */
function afterNextFrame(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 100);
    if (typeof requestAnimationFrame !== 'function') return;
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }),
    );
  });
}

export class TrainingHost {
  /** The run whose events are let through; 0 while none is (between invalidate and start). */
  private current = 0;
  private lastId = 0;
  private port: Port | null = null;
  private info: BackendInfo | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastRestart = -Infinity;
  private pace = 0;
  private batchPace = 0;
  private readonly pending = new Map<number, (m: { numTensors: number; numBytes: number }) => void>();
  /** The last start sent, replayed if the worker dies before it is ready. */
  private lastStart: Extract<HostMessage, { type: 'start' }> | null = null;
  private disposed = false;
  /** Messages sent while no trainer was there (before the worker starts, or during the switch to the in-page one). */
  private queued: HostMessage[] = [];
  private switching: Promise<void> | null = null;
  private readonly prefer: BackendPreference;
  private readonly debounceMs: number;

  constructor(
    private readonly callbacks: HostCallbacks,
    options: HostOptions = {},
  ) {
    this.prefer = options.prefer ?? 'wasm';
    this.debounceMs = options.debounceMs ?? 100;
    this.switching = options.forceInPage ? this.useInPage() : afterNextFrame().then(() => this.useWorker());
  }

  /** Where training runs and on which backend, once known. */
  get backend(): BackendInfo | null {
    return this.info;
  }

  /**
   * The trainer has said that the current run holds (it sent `paused`) or has ended (`done`):
   * every event of that run it will send before a resume is in. A page with two runs side by
   * side is still only when both are.
   */
  holding = false;

  /** The id of the run whose events are shown (0: none). */
  get runId(): number {
    return this.current;
  }

  /** Cancels whatever runs and starts a run now; returns its id. */
  start(config: RunConfig, options: WireRunOptions, opts: { paused?: boolean } = {}): number {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.invalidate();
    const runId = ++this.lastId;
    this.current = runId;
    this.lastStart = { type: 'start', runId, config, options, paused: opts.paused };
    this.send(this.lastStart);
    return runId;
  }

  /**
   * Drops the current run's events from now on and cancels it. After a quiet spell the new run
   * starts at once (a single click answers immediately); within `debounceMs` of the previous
   * restart it waits until the settings have been quiet that long (a dragged slider starts one
   * run at the end, not fifty). `config` is read when the run starts.
   */
  restart(config: () => RunConfig, options: WireRunOptions, opts: { paused?: () => boolean } = {}): void {
    const now = performance.now();
    const quiet = !this.timer && now - this.lastRestart >= this.debounceMs;
    this.lastRestart = now;
    if (quiet) {
      this.start(config(), options, { paused: opts.paused?.() });
      return;
    }
    this.invalidate();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.start(config(), options, { paused: opts.paused?.() });
    }, this.debounceMs);
  }

  /** True while a restart waits for its debounce. */
  get scheduled(): boolean {
    return this.timer !== undefined;
  }

  /** Stops the current run (its remaining events are dropped). */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.invalidate();
  }

  pause(): void {
    if (this.current) this.send({ type: 'pause', runId: this.current });
  }

  resume(): void {
    if (this.current) this.send({ type: 'resume', runId: this.current });
  }

  /** One epoch or round, then hold. */
  step(): void {
    if (this.current) this.send({ type: 'step', runId: this.current });
  }

  /** Minimum milliseconds between epochs/rounds, and (split learning) between batches. */
  setPace(ms: number, batchMs = 0): void {
    this.pace = ms;
    this.batchPace = batchMs;
    this.send({ type: 'pace', ms, ...(batchMs > 0 ? { batchMs } : {}) });
  }

  /** tfjs memory in the trainer (the leak benchmark). */
  memory(): Promise<{ numTensors: number; numBytes: number }> {
    const requestId = ++this.lastId;
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      this.send({ type: 'memory', requestId });
    });
  }

  dispose(): void {
    this.cancel();
    this.disposed = true;
    this.port?.terminate();
    this.port = null;
  }

  private invalidate(): void {
    if (this.current) this.send({ type: 'cancel', runId: this.current });
    this.current = 0;
    this.holding = false;
  }

  private send(m: HostMessage): void {
    if (this.disposed) return;
    if (this.port) this.port.postMessage(m);
    else if (m.type !== 'start' && m.type !== 'pace' && m.type !== 'init') this.queued.push(m);
    // start and pace are replayed from lastStart/pace once the in-page trainer is up.
  }

  private receive(raw: unknown): void {
    if (this.disposed) return;
    if (!isWorkerMessage(raw)) {
      this.callbacks.onError?.('학습 작업자가 알 수 없는 메시지를 보냈습니다.');
      return;
    }
    const m: WorkerMessage = raw;
    switch (m.type) {
      case 'ready':
        this.info = m.info;
        this.callbacks.onBackend?.(m.info);
        return;
      case 'events':
        for (const e of m.events) {
          // A callback may have started another run: the rest of these belong to the old one.
          if (m.runId !== this.current) return;
          this.callbacks.onEvent(e, m.runId);
        }
        return;
      case 'paused':
      case 'resumed':
        if (m.runId !== this.current) return;
        this.holding = m.type === 'paused';
        this.callbacks.onPaused?.(this.holding, m.runId);
        return;
      case 'done':
        if (m.runId !== this.current) return;
        this.holding = true;
        this.callbacks.onDone?.(m.runId);
        return;
      case 'error':
        if (m.runId === null || m.runId === this.current) this.callbacks.onError?.(m.message);
        return;
      case 'memory': {
        const resolve = this.pending.get(m.requestId);
        this.pending.delete(m.requestId);
        resolve?.({ numTensors: m.numTensors, numBytes: m.numBytes });
        return;
      }
    }
  }

  /** The worker could not load (e.g. a policy forbids it): train in the page instead. */
  private workerFailed(): void {
    if (this.disposed || this.switching) return;
    if (this.info) {
      // It worked before: report, and start over in a fresh worker on the next restart.
      this.callbacks.onError?.('학습 작업자에서 오류가 나서 학습이 멈췄습니다. 설정을 바꾸면 다시 시작합니다.');
      this.port?.terminate();
      this.port = spawnWorker((m) => this.receive(m), () => this.workerFailed());
      this.port?.postMessage({ type: 'init', prefer: this.prefer });
      return;
    }
    this.port?.terminate();
    this.port = null;
    this.switching = this.useInPage();
  }

  /** Starts the worker (the constructor waits for a frame first), or trains in the page without one. */
  private useWorker(): Promise<void> | void {
    this.switching = null;
    if (this.disposed) return;
    const port = spawnWorker((m) => this.receive(m), () => this.workerFailed());
    if (!port) return (this.switching = this.useInPage());
    this.attach(port);
  }

  /** Takes `port` as the trainer, and sends it what was asked before it was there. */
  private attach(port: Port): void {
    this.port = port;
    port.postMessage({ type: 'init', prefer: this.prefer });
    if (this.pace || this.batchPace) port.postMessage({ type: 'pace', ms: this.pace, ...(this.batchPace > 0 ? { batchMs: this.batchPace } : {}) });
    if (this.lastStart && this.lastStart.runId === this.current) port.postMessage(this.lastStart);
    for (const m of this.queued.splice(0)) port.postMessage(m);
  }

  private async useInPage(): Promise<void> {
    try {
      const { createInPagePort } = await import('./in-page');
      if (this.disposed) return;
      this.attach(createInPagePort((m) => this.receive(m)));
    } catch (err) {
      this.callbacks.onError?.(`학습 코드를 불러오지 못했습니다: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
