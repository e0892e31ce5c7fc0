/**
 * The personalization figure's reducer over a real run's events (digits, IID and skewed), and
 * its helpers on hand values.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaults } from '~/runtime/url-state';
import { initialState, reduce, summary, topClasses } from '~/widgets/personalization/state';
import { params } from '~/widgets/personalization/params';
import { toRunConfig } from '~/widgets/personalization/config';
import { validateConfig } from '~/engine/index';
import { collect, ofType, setup } from './engine-helpers';

beforeAll(setup);

describe('personalization figure: state', () => {
  it('topClasses: the classes with a quarter of the examples, most frequent first', () => {
    expect(topClasses([0, 30, 0, 10, 60])).toEqual([4, 1]);
    expect(topClasses([10, 10, 10, 10])).toEqual([0, 1, 2]);
    expect(topClasses([0, 0])).toEqual([]);
  });

  it('folds a real run: bars per client, the means, done; the old state is never changed', async () => {
    const v = { ...defaults(params), clients: 4, rounds: 2 };
    for (const side of ['iid', 'skew'] as const) {
      const config = toRunConfig(v, side);
      expect(validateConfig(config)).toEqual([]);
      const events = await collect(config);
      let s = initialState();
      const frozen = JSON.stringify(s);
      for (const e of events) s = reduce(s, e);
      expect(JSON.stringify(initialState())).toBe(frozen);
      const p = ofType(events, 'personalized')[0];
      expect(s.phase).toBe('done');
      expect(s.accuracy).toHaveLength(2);
      expect(s.clients.map((c) => [c.client, c.before, c.after])).toEqual(p.clients.map((c) => [c.client, c.before, c.after]));
      expect([s.meanBefore, s.meanAfter]).toEqual([p.meanBefore, p.meanAfter]);
      expect(summary('IID', s)).toMatch(/^IID: 클라이언트 \d명의 자기 테스트 데이터 정확도 평균이 글로벌 모델 [\d.]+%에서 미세 조정 후 [\d.]+%가 되었습니다\./);
    }
  });
});
