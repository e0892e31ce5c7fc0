/**
 * The worker side of the protocol: pulls events out of the engine's run generator and posts
 * them, one run at a time, honouring cancel, pause, step and pace.
 *
 * It does not import tfjs or the engine itself; the worker entry (and the main-thread fallback)
 * hand it the engine's `run` and a backend initialiser. That keeps this logic testable in Node
 * against the real engine or a scripted generator, and identical in both threads.
 *
 * Why pulling works as a pause: the engine is an async generator, so no training happens while
 * nobody asks for the next event. Holding the pull holds the run, with its tensors intact.
 */
import type { EngineEvent, RunConfig, RunOptions } from '../engine/types';
import type { BackendInfo, BackendPreference, HostMessage, WireRunOptions, WorkerMessage } from './protocol';
import { isHostMessage, LIFECYCLE_EVENTS } from './protocol';
import { planeEvents } from '../engine/attacks/projection';

/** The engine's entry point, as the trainer uses it. */
export type RunFn = (config: RunConfig, options: RunOptions) => AsyncGenerator<EngineEvent, unknown, unknown>;

export interface TrainerDeps {
  /** The engine's `run`. */
  run: RunFn;
  /** Loads tfjs with the preferred backend (falling back as it must) and says what it got. */
  initBackend: (prefer: BackendPreference) => Promise<BackendInfo>;
  /** tfjs memory figures, for the leak check. */
  memory: () => { numTensors: number; numBytes: number };
  /** Sends a message to the page. */
  post: (message: WorkerMessage) => void;
}

interface Job {
  runId: number;
  config: RunConfig;
  options: WireRunOptions;
  abort: AbortController;
  paused: boolean;
  /** Set by `step`: run to the end of the next epoch/round, then hold. */
  stepping: boolean;
  /** Resolves the wait of a held run (resume, step or cancel). */
  wake: (() => void) | null;
}

/** Milliseconds the worker gathers events before it sends them (a frame at 60 Hz). */
const EVENTS_MS = 16;

/** Events after which a run may be held or paced: one epoch (centralized) or round is over. */
const isBoundary = (e: EngineEvent) => e.type === 'round-metrics';

/** A real macrotask, so that messages queued for this thread (a cancel) are delivered. */
const nextTask = (ms = 0) => new Promise<void>((r) => setTimeout(r, ms));

/** Events a cancelled run may still emit while it winds down; past this, the trainer closes it. */
const DRAIN_LIMIT = 64;

/** Korean text for an error thrown by the engine or the backend. */
function describe(err: unknown): string {
  // The engine's ConfigError carries each problem in Korean; prefer those to its English message.
  const problems = (err as { problems?: { ko?: unknown }[] } | null)?.problems;
  if (Array.isArray(problems) && problems.every((p) => typeof p?.ko === 'string')) {
    return `설정에 문제가 있어 학습을 시작하지 못했습니다. ${problems.map((p) => p.ko).join(' ')}`;
  }
  const detail = err instanceof Error ? err.message : String(err);
  return `학습을 시작하지 못했습니다: ${detail}`;
}

/** Creates the message handler. `handle` accepts anything and ignores what is not a message. */
export function createTrainer(deps: TrainerDeps) {
  let current: Job | null = null;
  /**
   * Events go to the page together, about one message a frame: a split-learning run makes some
   * 600 events a second, and each message is a task on the page's main thread (0.35 ms each on the
   * jank bench's phone profile, a fifth of its frame time). Any other message first sends the
   * events that wait, so the page gets them in order and before `paused` or `done`.
   */
  let outbox: { runId: number; events: EngineEvent[] } | null = null;
  let outboxTimer: ReturnType<typeof setTimeout> | undefined;
  let lastSent = 0;

  function flush() {
    clearTimeout(outboxTimer);
    outboxTimer = undefined;
    if (!outbox) return;
    const { runId, events } = outbox;
    outbox = null;
    lastSent = Date.now();
    deps.post({ type: 'events', runId, events });
  }

  function sendEvent(runId: number, event: EngineEvent) {
    if (outbox && outbox.runId !== runId) flush();
    (outbox ??= { runId, events: [] }).events.push(event);
    const wait = EVENTS_MS - (Date.now() - lastSent);
    if (wait <= 0) flush();
    else outboxTimer ??= setTimeout(flush, wait);
  }

  function post(message: WorkerMessage) {
    flush();
    deps.post(message);
  }

  let pace = 0;
  let batchPace = 0;
  let ready: Promise<BackendInfo> | null = null;
  // Runs execute strictly one after another: a new run starts only once the previous one has
  // released its tensors, so memory stays flat however fast the settings change.
  let queue: Promise<void> = Promise.resolve();

  function wakeUp(job: Job) {
    const w = job.wake;
    job.wake = null;
    w?.();
  }

  function cancel(job: Job) {
    if (job.abort.signal.aborted) return;
    job.abort.abort();
    // Its events still waiting to go are dropped, as the ones it computes from now on are: after a
    // new start or a cancel, nothing of the old run reaches the page but its `done`.
    if (outbox?.runId === job.runId) outbox = null;
    wakeUp(job);
  }

  async function hold(job: Job) {
    while (job.paused && !job.abort.signal.aborted) {
      post({ type: 'paused', runId: job.runId });
      await new Promise<void>((resolve) => (job.wake = resolve));
      if (!job.paused && !job.abort.signal.aborted) post({ type: 'resumed', runId: job.runId });
    }
  }

  async function execute(job: Job) {
    if (job.abort.signal.aborted) {
      post({ type: 'done', runId: job.runId });
      return;
    }
    let it: AsyncGenerator<EngineEvent, unknown, unknown> | null = null;
    try {
      await (ready ??= deps.initBackend('wasm'));
      // The engine applies options.divergeFactor itself (the command line uses the same rule).
      const { events: only, planes, ...options } = job.options;
      const sent = only ? new Set([...only, ...LIFECYCLE_EVENTS]) : null;
      // Planes are computed from the weights, which then stay here (attacks/projection.ts).
      const toPage = planes ? planeEvents() : (e: EngineEvent) => e;
      it = deps.run(job.config, { ...options, ...(planes ? { emitWeights: true } : {}), signal: job.abort.signal });
      let lastBoundary = Date.now();
      let lastBatch = 0;
      // A run started held still pulls its first event (run-started: the data and the model
      // size), so the reader sees what is about to be trained before pressing play.
      let pulled = 0;
      for (;;) {
        if (pulled++ > 0) await hold(job);
        if (job.abort.signal.aborted) break;
        const r = await it.next();
        if (r.done) {
          it = null;
          break;
        }
        // A cancel may have arrived while the engine computed this event: drop it here too.
        if (job.abort.signal.aborted) break;
        const event = toPage(r.value);
        if (!sent || sent.has(event.type)) sendEvent(job.runId, event);
        if (batchPace > 0 && r.value.type === 'smashed-sent' && r.value.from !== 'server') {
          // Split learning watched batch by batch; a cancel (or resume/step) ends the wait early.
          const wait = Math.max(0, batchPace - (Date.now() - lastBatch));
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              job.wake = null;
              resolve();
            }, wait);
            job.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          lastBatch = Date.now();
        }
        if (isBoundary(r.value)) {
          if (job.stepping) {
            job.stepping = false;
            job.paused = true;
          }
          const wait = Math.max(0, pace - (Date.now() - lastBoundary));
          await nextTask(wait);
          lastBoundary = Date.now();
        }
      }
      // Cancelled: let the engine see its signal and clean up through its own path (it emits
      // run-cancelled and disposes its tensors); close it by force only if it does not stop.
      if (it) {
        for (let i = 0; i < DRAIN_LIMIT; i++) {
          const r = await it.next();
          if (r.done) {
            it = null;
            break;
          }
          if (r.value.type === 'run-cancelled') break;
        }
      }
    } catch (err) {
      if (!job.abort.signal.aborted) post({ type: 'error', runId: job.runId, message: describe(err) });
    } finally {
      if (it) {
        try {
          await it.return(undefined);
        } catch {
          // The generator's own cleanup failed; nothing more can be done for this run.
        }
      }
      if (current === job) current = null;
      post({ type: 'done', runId: job.runId });
    }
  }

  function handle(message: unknown): void {
    if (!isHostMessage(message)) {
      post({ type: 'error', runId: null, message: '알 수 없는 메시지를 받아 무시했습니다.' });
      return;
    }
    const m: HostMessage = message;
    switch (m.type) {
      case 'init':
        ready ??= deps.initBackend(m.prefer);
        ready.then(
          (info) => post({ type: 'ready', info }),
          (err) => post({ type: 'error', runId: null, message: describe(err) }),
        );
        return;
      case 'start': {
        if (current) cancel(current);
        const job: Job = {
          runId: m.runId,
          config: m.config,
          options: m.options,
          abort: new AbortController(),
          paused: m.paused ?? false,
          stepping: false,
          wake: null,
        };
        current = job;
        queue = queue.then(() => execute(job));
        return;
      }
      case 'cancel':
        if (current && current.runId === m.runId) cancel(current);
        return;
      case 'pause':
        if (current && current.runId === m.runId) current.paused = true;
        return;
      case 'resume':
        if (current && current.runId === m.runId) {
          current.paused = false;
          current.stepping = false;
          wakeUp(current);
        }
        return;
      case 'step':
        if (current && current.runId === m.runId) {
          current.stepping = true;
          current.paused = false;
          wakeUp(current);
        }
        return;
      case 'pace':
        pace = m.ms;
        batchPace = m.batchMs ?? 0;
        return;
      case 'memory': {
        // Asked between runs, this is the baseline the leak check compares against.
        const { numTensors, numBytes } = deps.memory();
        post({ type: 'memory', requestId: m.requestId, numTensors, numBytes });
        return;
      }
    }
  }

  return {
    handle,
    /** Resolves when every run queued so far has finished (tests). */
    idle: () => queue,
  };
}

export type Trainer = ReturnType<typeof createTrainer>;
