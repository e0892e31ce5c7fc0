import { describe, expect, test } from 'vitest';
import { isHostMessage, isWorkerMessage } from '~/runtime/protocol';
import { defaultConfig } from '~/engine/config';

describe('protocol guards', () => {
  test('accept every well-formed message', () => {
    const config = defaultConfig({ algorithm: 'centralized' });
    for (const m of [
      { type: 'init', prefer: 'wasm' },
      { type: 'init', prefer: 'cpu' },
      { type: 'start', runId: 3, config, options: { boundaryGrid: 20 } },
      { type: 'start', runId: 3, config, options: {}, paused: true },
      { type: 'cancel', runId: 3 },
      { type: 'pause', runId: 3 },
      { type: 'resume', runId: 3 },
      { type: 'step', runId: 3 },
      { type: 'pace', ms: 0 },
      { type: 'memory', requestId: 9 },
    ]) {
      expect(isHostMessage(m), JSON.stringify(m)).toBe(true);
    }
    for (const m of [
      { type: 'ready', info: { backend: 'wasm', simd: true, thread: 'worker' } },
      { type: 'events', runId: 1, events: [{ type: 'run-finished', rounds: 3 }] },
      { type: 'events', runId: 1, events: [] },
      { type: 'paused', runId: 1 },
      { type: 'resumed', runId: 1 },
      { type: 'done', runId: 1 },
      { type: 'error', runId: null, message: '오류' },
      { type: 'error', runId: 2, message: '오류' },
      { type: 'memory', requestId: 9, numTensors: 0, numBytes: 0 },
    ]) {
      expect(isWorkerMessage(m), JSON.stringify(m)).toBe(true);
    }
  });

  test('reject malformed messages', () => {
    for (const m of [
      null,
      undefined,
      42,
      'start',
      [],
      {},
      { type: 'nope' },
      { type: 'init', prefer: 'webgl' },
      { type: 'start', runId: -1, config: {}, options: {} },
      { type: 'start', runId: 1.5, config: {}, options: {} },
      { type: 'start', runId: 1, config: null, options: {} },
      { type: 'start', runId: 1, config: {}, options: {}, paused: 'yes' },
      { type: 'cancel' },
      { type: 'pace', ms: -1 },
      { type: 'pace', ms: Number.NaN },
      { type: 'memory', requestId: '1' },
    ]) {
      expect(isHostMessage(m), JSON.stringify(m)).toBe(false);
    }
    for (const m of [
      { type: 'ready', info: { backend: 'webgl' } },
      { type: 'events', runId: 1, events: null },
      { type: 'events', runId: 1, events: [null] },
      { type: 'events', runId: 1, events: [{ type: 'run-started' }, { type: 3 }] },
      { type: 'events', runId: 'x', events: [{ type: 'run-finished' }] },
      { type: 'event', runId: 1, event: { type: 'run-finished' } },
      { type: 'error', runId: 1 },
      { type: 'memory', requestId: 1, numTensors: '0', numBytes: 0 },
    ]) {
      expect(isWorkerMessage(m), JSON.stringify(m)).toBe(false);
    }
  });
});
