/**
 * The split-learning playground's state, a pure reducer over the engine's events: the metrics
 * per epoch, bytes by kind (this epoch, the whole run, and the formula's figure for one epoch),
 * the per-batch events seen, and the latest smashed sample. No DOM, no tfjs.
 */
import type { EngineEvent, MessageKind, RoundMetrics } from '~/engine/types';
import { addBytes, splitEpochBytesOf, type BytesByKind } from '~/engine/comm';

export interface SplitState {
  /** The run's run-started event: its configuration, parameter counts and cut widths (q, q₂). */
  start: Extract<EngineEvent, { type: 'run-started' }> | null;
  rows: readonly RoundMetrics[];
  /** Bytes by kind over the whole run, as counted from round-metrics. */
  totals: BytesByKind;
  /** Bytes by kind in the epoch under way (or the last one, once done). */
  epochBytes: BytesByKind;
  epochDone: boolean;
  /** The formula's bytes by kind for one epoch of this run. */
  formula: BytesByKind | null;
  /** Per-batch events seen in this run, by type. */
  seen: Readonly<Record<string, number>>;
  /** The first example of the latest batch, as the server received it. */
  sample: { values: Float32Array; shape: number[]; client: number; batch: number; epoch: number } | null;
}

export const initSplit = (): SplitState => ({
  start: null,
  rows: [],
  totals: {},
  epochBytes: {},
  epochDone: false,
  formula: null,
  seen: {},
  sample: null,
});

const add = (b: BytesByKind, kind: MessageKind, bytes: number): BytesByKind => addBytes(b, { [kind]: bytes });
const count = (s: SplitState, key: string) => ({ ...s.seen, [key]: (s.seen[key] ?? 0) + 1 });

export function reduceSplit(s: SplitState, e: EngineEvent): SplitState {
  switch (e.type) {
    case 'run-started':
      return { ...initSplit(), start: e, formula: splitEpochBytesOf(e) };
    case 'round-started':
      return { ...s, epochBytes: {}, epochDone: false };
    case 'smashed-sent': {
      const next = { ...s, seen: count(s, e.type), epochBytes: add(s.epochBytes, 'smashed', e.bytes) };
      // The second cut of U-shaped sends from the server: not what the server receives.
      if (e.from === 'server') return next;
      return { ...next, sample: { values: e.sample, shape: e.sampleShape ?? [e.sample.length], client: e.client, batch: e.batch, epoch: e.round } };
    }
    case 'gradient-returned':
      return { ...s, seen: count(s, e.type), epochBytes: add(s.epochBytes, 'gradient', e.bytes) };
    case 'message-sent':
      return { ...s, seen: count(s, `message:${e.kind}`), epochBytes: add(s.epochBytes, e.kind, e.bytes) };
    case 'client-handoff':
      return { ...s, seen: count(s, e.type), epochBytes: add(s.epochBytes, 'handoff', e.bytes) };
    case 'round-metrics':
      return { ...s, rows: [...s.rows, e.metrics], epochBytes: e.metrics.bytesByKind, epochDone: true, totals: addBytes(s.totals, e.metrics.bytesByKind) };
    default:
      return s;
  }
}
