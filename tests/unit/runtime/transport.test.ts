/**
 * The transport buttons' logic shared by the training widgets (widgets/kit/transport.ts): what
 * play/pause, step, step-phase and restart ask of the run from each status.
 */
import { describe, expect, test } from 'vitest';
import { transportMove } from '~/widgets/kit/transport';
import type { Status } from '~/widgets/kit/status';

const ALL: Status[] = ['loading', 'running', 'paused', 'finished', 'diverged', 'error', 'invalid'];

describe('transportMove', () => {
  test('play/pause pauses a playing run and plays a paused one', () => {
    expect(transportMove('toggle-play', 'running', true, false)).toBe('pause');
    expect(transportMove('toggle-play', 'paused', false, false)).toBe('play');
    // Before the first event the reader's intent decides, not the status.
    expect(transportMove('toggle-play', 'loading', true, false)).toBe('pause');
    expect(transportMove('toggle-play', 'loading', false, true)).toBe('play');
  });

  test.each(['finished', 'diverged', 'error'] as const)('play after %s starts a fresh run', (status) => {
    expect(transportMove('toggle-play', status, false, false)).toBe('fresh');
    expect(transportMove('toggle-play', status, true, true)).toBe('fresh');
  });

  test('nothing moves while the settings are invalid, except restart', () => {
    for (const name of ['toggle-play', 'step', 'step-phase']) expect(transportMove(name, 'invalid', true, true)).toBe('none');
    expect(transportMove('restart', 'invalid', true, true)).toBe('fresh');
  });

  test('step steps while a run can move on, and does nothing after its end', () => {
    for (const status of ['loading', 'running', 'paused'] as const) expect(transportMove('step', status, true, false)).toBe('step');
    for (const status of ['finished', 'diverged', 'error'] as const) expect(transportMove('step', status, false, true)).toBe('none');
  });

  test('step-phase is a transport button only in a widget with phases', () => {
    expect(transportMove('step-phase', 'running', true, false)).toBeNull();
    expect(transportMove('step-phase', 'running', true, true)).toBe('step-phase');
    expect(transportMove('step-phase', 'finished', true, true)).toBe('none');
  });

  test('restart starts a fresh run from every status', () => {
    for (const status of ALL) expect(transportMove('restart', status, false, false)).toBe('fresh');
  });

  test('other actions are left to the widget', () => {
    for (const name of ['export-csv', 'export-json', 'sweep', 'share']) {
      for (const status of ALL) expect(transportMove(name, status, true, true)).toBeNull();
    }
  });
});
