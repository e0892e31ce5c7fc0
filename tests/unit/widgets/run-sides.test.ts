/**
 * The kit's run controller with runs trained side by side in live mode: the widget says
 * "finished" only when the last side's run has finished. The workers are stand-ins that record
 * what the kit asks and hand back the events a test gives them (the kit's own logic is real).
 */
import { describe, expect, it, vi } from 'vitest';
import type { EngineEvent, RunConfig } from '~/engine/types';

const hosts: { onEvent: (e: EngineEvent) => void; onPaused: (p: boolean) => void; runId: number; holding: boolean }[] = [];
vi.mock('~/runtime/host', () => ({
  TrainingHost: class {
    runId = 1;
    holding = false;
    constructor(h: { onEvent: (e: EngineEvent) => void; onPaused: (p: boolean) => void }) {
      hosts.push(Object.assign(this, { onEvent: h.onEvent, onPaused: h.onPaused }));
    }
    start() {}
    restart() {}
    setPace() {}
    pause() {}
    resume() {}
    step() {}
    cancel() {}
    dispose() {}
  },
}));

const { Run } = await import('~/widgets/kit/run');

const config = { rounds: 2, epochs: 1 } as RunConfig;
const started = { type: 'run-started', config } as unknown as EngineEvent;
const finished = { type: 'run-finished' } as unknown as EngineEvent;

function widget(sides: string[]) {
  hosts.length = 0;
  const root = { dataset: {} as Record<string, string>, querySelector: () => null } as unknown as HTMLElement;
  const ctx = { root, namespace: 't', table: {}, values: {}, visible: true, set() {}, announce() {}, notify() {} };
  const run = new Run(ctx as never, { sides, config: () => config, init: () => 0, reduce: (s: number) => s + 1, summary: () => '' });
  run.start(false);
  return { run, root };
}

/** A side's trainer says it holds (or lets go), as the real host does: its flag, then the call. */
function say(i: number, paused: boolean) {
  hosts[i].holding = paused;
  hosts[i].onPaused(paused);
}

describe('runs side by side (live)', () => {
  it('finish when the last side finishes, not the first', () => {
    const { run } = widget(['a', 'b', 'c']);
    for (const h of hosts) h.onEvent(started);
    expect(run.status).toBe('running');
    hosts[0].onEvent(finished);
    hosts[2].onEvent(finished);
    expect(run.status).toBe('running');
    hosts[1].onEvent(finished);
    expect(run.status).toBe('finished');
  });

  it('one run alone finishes with its own end (the rule is not trivially waiting)', () => {
    const { run } = widget(['main']);
    hosts[0].onEvent(started);
    hosts[0].onEvent(finished);
    expect(run.status).toBe('finished');
  });

  it('data-held: every event sent before the pause is in only when every side holds', () => {
    const { root } = widget(['a', 'b']);
    for (const h of hosts) h.onEvent(started);
    say(0, true);
    expect(root.dataset.held).toBe('false');
    say(1, true);
    expect(root.dataset.held).toBe('true');
    say(0, false);
    expect(root.dataset.held).toBe('false');
  });

  it('one side alone holds with its own word (the rule is not trivially waiting)', () => {
    const { root } = widget(['main']);
    hosts[0].onEvent(started);
    say(0, true);
    expect(root.dataset.held).toBe('true');
  });
});
