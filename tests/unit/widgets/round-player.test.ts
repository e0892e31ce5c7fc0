/**
 * The round player of the federated widgets (widgets/kit/player.ts): rounds shown phase by
 * phase on its own clock while the widget plays, step by step while it is paused, the worker
 * asked for one round only when the picture needs it, and the history the charts draw.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { RoundPlayer } from '~/widgets/kit/player';

function setup(opts: { phases?: number; phaseMs?: number; active?: boolean } = {}) {
  const state = { active: opts.active ?? true, phaseMs: opts.phaseMs ?? 100, requests: 0, done: 0 };
  const shown: string[] = [];
  const player = new RoundPlayer<number>({
    phases: opts.phases ?? 4,
    phaseMs: () => state.phaseMs,
    active: () => state.active,
    request: () => state.requests++,
    show: (round, phase) => shown.push(`${round}.${phase}`),
    onDone: () => state.done++,
  });
  return { player, state, shown };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('RoundPlayer', () => {
  test('playing: each round in its phases on the clock, the next one asked for while it shows', () => {
    const { player, state, shown } = setup();
    player.start();
    expect(state.requests).toBe(1);
    player.push(1);
    expect(shown).toEqual(['1.0']);
    // The queue is empty again: the worker computes round 2 while round 1 is on screen.
    expect(state.requests).toBe(2);
    vi.advanceTimersByTime(300);
    expect(shown).toEqual(['1.0', '1.1', '1.2', '1.3']);
    expect(player.history).toEqual([1]);
    player.push(2, true);
    vi.advanceTimersByTime(1000);
    expect(shown.slice(4)).toEqual(['2.0', '2.1', '2.2', '2.3']);
    expect(player.history).toEqual([1, 2]);
    expect(state.done).toBe(1);
    // Nothing is asked for after the last round.
    expect(state.requests).toBe(2);
  });

  test('paused: nothing is computed until a step asks for it', () => {
    const { player, state, shown } = setup({ active: false });
    player.start();
    expect(state.requests).toBe(0);
    player.stepPhase();
    expect(state.requests).toBe(1);
    player.push(1);
    expect(shown).toEqual(['1.0']);
    player.stepPhase();
    expect(shown).toEqual(['1.0', '1.1']);
    player.stepRound();
    expect(shown.at(-1)).toBe('1.3');
    expect(player.history).toEqual([1]);
    vi.advanceTimersByTime(1000);
    expect(shown).toHaveLength(3);
    // A round step with nothing queued asks for a round and shows it whole.
    player.stepRound();
    expect(state.requests).toBe(2);
    player.push(2);
    expect(shown.at(-1)).toBe('2.3');
  });

  test('flush shows the newest round at its end and records the ones it skips, in order', () => {
    const { player, state, shown } = setup({ active: false });
    player.start();
    player.stepPhase();
    player.push(1);
    player.push(2);
    player.push(3);
    expect(player.queued).toBe(2);
    player.flush();
    expect(shown).toEqual(['1.0', '3.3']);
    expect(player.history).toEqual([1, 2, 3]);
    expect(player.current).toEqual({ round: 3, phase: 3 });
    expect(state.done).toBe(0);
  });

  test('with no phase time whole rounds are shown as they come', () => {
    const { player, shown } = setup({ phaseMs: 0 });
    player.start();
    player.push(1);
    player.push(2);
    vi.advanceTimersByTime(100);
    expect(shown).toEqual(['1.3', '2.3']);
    expect(player.history).toEqual([1, 2]);
  });

  test('reset forgets the run: no history, no requests until the next start', () => {
    const { player, state } = setup();
    player.start();
    player.push(1);
    vi.advanceTimersByTime(300);
    player.reset();
    expect(player.history).toEqual([]);
    expect(player.current).toBeNull();
    const before = state.requests;
    player.resume();
    expect(state.requests).toBe(before);
  });
});
