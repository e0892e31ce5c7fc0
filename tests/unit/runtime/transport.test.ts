/**
 * The transport buttons' logic shared by the training widgets (widgets/kit/transport.ts):
 * what play/pause, step, step-phase and restart do from each status, recorded as the calls a
 * widget sees.
 */
import { describe, expect, test } from 'vitest';
import { transportAction, type TransportTarget } from '~/widgets/kit/transport';

function target(status: string, playing: boolean, extra: Partial<TransportTarget> = {}) {
  const calls: string[] = [];
  const state = { status, playing };
  const t: TransportTarget = {
    status: () => state.status,
    playing: () => state.playing,
    setPlaying: (on) => {
      state.playing = on;
      calls.push(`playing=${on}`);
    },
    setStatus: (s) => {
      state.status = s;
      calls.push(`status=${s}`);
    },
    fresh: () => calls.push('fresh'),
    resumeOrHold: () => calls.push(state.playing ? 'resume' : 'hold'),
    step: (kind) => calls.push(kind),
    noStep: ['finished', 'diverged'],
    restartPlays: true,
    ...extra,
  };
  return { t, calls, state };
}

describe('transportAction', () => {
  test('play/pause pauses a running run and resumes a paused one', () => {
    const a = target('running', true);
    expect(transportAction('toggle-play', a.t)).toBe(true);
    expect(a.calls).toEqual(['playing=false', 'status=paused', 'hold']);
    const b = target('paused', false);
    transportAction('toggle-play', b.t);
    expect(b.calls).toEqual(['playing=true', 'status=running', 'resume']);
  });

  test.each(['finished', 'diverged', 'error'])('play after %s starts a fresh run, playing', (status) => {
    const a = target(status, false);
    transportAction('toggle-play', a.t);
    expect(a.calls).toEqual(['playing=true', 'fresh']);
  });

  test('play/pause does nothing in a frozen status', () => {
    const a = target('invalid', true, { frozen: ['invalid'] });
    expect(transportAction('toggle-play', a.t)).toBe(true);
    expect(a.calls).toEqual([]);
  });

  test('step pauses and steps, except where the widget says it cannot', () => {
    const a = target('running', true);
    transportAction('step', a.t);
    expect(a.calls).toEqual(['playing=false', 'status=paused', 'step']);
    const b = target('finished', false);
    expect(transportAction('step', b.t)).toBe(true);
    expect(b.calls).toEqual([]);
    const c = target('error', false, { noStep: ['diverged', 'error', 'finished'] });
    transportAction('step', c.t);
    expect(c.calls).toEqual([]);
  });

  test('step-phase is a transport action only in a widget with phases', () => {
    const a = target('running', true);
    expect(transportAction('step-phase', a.t)).toBe(false);
    expect(a.calls).toEqual([]);
    const b = target('running', true, { phases: true });
    expect(transportAction('step-phase', b.t)).toBe(true);
    expect(b.calls).toEqual(['playing=false', 'status=paused', 'step-phase']);
  });

  test('restart starts a fresh run, setting it going only where the widget asks', () => {
    const a = target('paused', false);
    transportAction('restart', a.t);
    expect(a.calls).toEqual(['playing=true', 'fresh']);
    const b = target('paused', false, { restartPlays: false });
    transportAction('restart', b.t);
    expect(b.calls).toEqual(['fresh']);
    expect(b.state.playing).toBe(false);
  });

  test('other actions are left to the widget', () => {
    const a = target('running', true);
    for (const name of ['export-csv', 'export-json', 'sweep', 'share']) expect(transportAction(name, a.t)).toBe(false);
    expect(a.calls).toEqual([]);
  });
});
