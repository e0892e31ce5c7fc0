/**
 * Words the training widgets share: the summary sentence's run state (kit/status.ts) and the
 * classes a client card names (renderers/client-cards.ts).
 */
import { describe, expect, test } from 'vitest';
import { runSentence, type Status } from '~/widgets/kit/status';
import { heldClasses } from '~/widgets/renderers/client-cards';

describe('runSentence', () => {
  const body = (state: string) => `${state}, 라운드 3/10.`;

  test('every status a widget can be in reads as the same words in every widget', () => {
    const said = (s: Status, b: typeof body | null = body) => runSentence(s, '반달 두 개', b);
    expect(said('running')).toBe('반달 두 개: 학습 중, 라운드 3/10.');
    expect(said('paused')).toBe('반달 두 개: 일시정지, 라운드 3/10.');
    expect(said('finished')).toBe('반달 두 개: 학습을 마쳤습니다, 라운드 3/10.');
    // Divergence wins over whatever was measured before it.
    expect(said('diverged')).toBe('반달 두 개: 학습이 발산해 멈췄습니다.');
    expect(said('diverged', null)).toBe('반달 두 개: 학습이 발산해 멈췄습니다.');
    expect(said('loading', null)).toBe('반달 두 개: 학습을 준비하고 있습니다.');
    expect(said('running', null)).toBe('반달 두 개: 학습을 준비하고 있습니다.');
  });
});

describe('heldClasses', () => {
  test('names the classes holding at least the given share, in class order', () => {
    expect(heldClasses([50, 0, 3, 47, 0, 0, 0, 0, 0, 0], 0.1)).toEqual([0, 3]);
    expect(heldClasses([10, 10, 10, 10, 10, 10, 10, 10, 10, 10], 0.1)).toHaveLength(10);
    // The share is of this client's own examples, not of everyone's.
    expect(heldClasses([1, 9], 0.15)).toEqual([1]);
    expect(heldClasses([1, 9], 0.1)).toEqual([0, 1]);
  });

  test('a client with no examples holds nothing (not every class)', () => {
    expect(heldClasses([0, 0, 0], 0.1)).toEqual([]);
  });
});
