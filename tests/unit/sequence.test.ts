/**
 * Runs trained one after another: the current run's record changes alone, a run's end moves the
 * sequence on (the next record marked as the caller asks), and the sequence ends diverged when
 * any of its runs did.
 */
import { describe, expect, test } from 'vitest';
import { defaultConfig } from '~/engine/config';
import { inOrder, putCurrent, type Sequence } from '~/engine/sequence';

interface Rec {
  name: string;
  state: 'waiting' | 'running' | 'done' | 'diverged';
  rounds: number;
}

const start = (): Sequence<Rec> & { note: string } => ({
  records: ['a', 'b', 'c'].map((name, i) => ({ name, state: i === 0 ? 'running' : 'waiting', rounds: 0 })),
  current: 0,
  note: 'kept',
});

describe('putCurrent', () => {
  test('patches the current record only, and keeps the rest of the state', () => {
    const s0 = start();
    const s = putCurrent(s0, { rounds: 3 });
    expect(s.records.map((r) => r.rounds)).toEqual([3, 0, 0]);
    expect(s.current).toBe(0);
    expect(s.note).toBe('kept');
    expect(s.records[1]).toBe(s0.records[1]);
    expect(s0.records[0].rounds).toBe(0);
  });

  test('with a patch for the next run, ends the current one and moves on', () => {
    let s = putCurrent(start(), { state: 'done' }, { state: 'running' });
    expect(s.current).toBe(1);
    expect(s.records.map((r) => r.state)).toEqual(['done', 'running', 'waiting']);
    s = putCurrent(s, { state: 'diverged' }, {});
    expect(s.records.map((r) => r.state)).toEqual(['done', 'diverged', 'waiting']);
    // The last run's end leaves the index past the end; nothing follows it.
    s = putCurrent(s, { state: 'done' }, { state: 'running' });
    expect(s.current).toBe(3);
    expect(s.records.map((r) => r.state)).toEqual(['done', 'diverged', 'done']);
  });
});

describe('inOrder', () => {
  const config = (s: Sequence<Rec>) => defaultConfig({ rounds: 1 + s.current });
  const seq = inOrder(config);

  test('gives the current run, keyed by its place, until none is left', () => {
    let s = start();
    expect(seq.job(s)).toEqual({ key: '0', config: defaultConfig({ rounds: 1 }) });
    s = putCurrent(s, { state: 'done' }, { state: 'running' });
    expect(seq.job(s)?.key).toBe('1');
    expect(seq.job({ ...s, current: 3 })).toBeNull();
  });

  test('ends diverged when any run diverged, else finished', () => {
    const s = start();
    expect(seq.ended(s)).toBe('finished');
    expect(seq.ended(putCurrent(s, { state: 'diverged' }, {}))).toBe('diverged');
  });
});
