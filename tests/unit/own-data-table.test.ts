import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { cleanTable, guessLabel, MAX_BYTES, readCsv, TableError } from '~/widgets/own-data/table';
import { prepareTabular } from '~/widgets/own-data/prepare';

const file = (name: string) => new Uint8Array(readFileSync(`tests/fixtures/csv/${name}`));
const data = (name: string) => new Uint8Array(readFileSync(`public/data/${name}`));

/** The Korean message a file is refused with (or null when it is read). */
function refusal(bytes: Uint8Array): string | null {
  try {
    const { table, columns } = readCsv(bytes);
    cleanTable(table, columns, { label: guessLabel(columns), group: -1 });
    return null;
  } catch (e) {
    if (!(e instanceof TableError)) throw e;
    return e.ko;
  }
}

describe('reading CSV files', () => {
  test('Iris and Wine: header, numeric features, the text label column', () => {
    const iris = readCsv(data('iris.csv'));
    expect(iris.table.rows).toHaveLength(150);
    expect(guessLabel(iris.columns)).toBe(4);
    const clean = cleanTable(iris.table, iris.columns, { label: 4, group: -1 });
    expect(clean.featureNames).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(clean.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(clean.counts).toEqual([50, 50, 50]);
    const wine = readCsv(data('wine.csv'));
    const w = cleanTable(wine.table, wine.columns, { label: guessLabel(wine.columns), group: -1 });
    expect(w.featureNames).toHaveLength(13);
    expect(w.counts).toEqual([59, 71, 48]);
  });

  test('EUC-KR (CP949) and UTF-8 give the same table; a column can be the clients', () => {
    const a = readCsv(file('hospital-euckr.csv'));
    const b = readCsv(file('hospital-utf8.csv'));
    expect(a.table.encoding).toBe('EUC-KR');
    expect(b.table.encoding).toBe('UTF-8');
    expect(a.table.columns).toEqual(['키', '몸무게', '병원', '진단']);
    expect(a.table.rows).toEqual(b.table.rows);
    const clean = cleanTable(a.table, a.columns, { label: 3, group: 2 });
    expect(clean.groupNames).toEqual(['서울병원', '부산병원', '대구병원']);
    expect(clean.featureNames).toEqual(['키', '몸무게']);
  });

  test.each([
    ['empty.csv', '빈 파일'],
    ['no-header.csv', '열 이름(헤더)이 없습니다'],
    ['ragged.csv', '3번째 줄의 칸 수(2)'],
    ['non-numeric.csv', '‘b’의 3번째 줄 값 ‘abc’'],
    ['one-class.csv', '한 가지뿐'],
    ['many-classes.csv', '50가지를 넘습니다'],
    ['lonely-label.csv', '‘z’의 예제가 하나뿐'],
    ['utf16.csv', '인코딩'],
    ['bad-bytes.csv', '인코딩'],
  ])('%s is refused with a Korean sentence', (name, part) => {
    expect(refusal(file(name))).toContain(part);
  });

  test('size limits: over 20 MB, over 200,000 rows', () => {
    expect(refusal(new Uint8Array(MAX_BYTES + 1).fill(0x31))).toContain('20 MB');
    const rows = 'a,b,c\n' + '1,2,x\n3,4,y\n'.repeat(100_001);
    expect(refusal(new TextEncoder().encode(rows))).toContain('200,000');
  });
});

describe('preparing a table for the engine', () => {
  test('standardised with training statistics; stratified split; partition by column', () => {
    const { table, columns } = readCsv(data('iris.csv'));
    const clean = cleanTable(table, columns, { label: 4, group: -1 });
    const t = prepareTabular(clean, { testFraction: 0.2, seed: 1, clients: 4, byGroup: false, name: 'iris.csv' });
    expect(t.train.y.length).toBe(120);
    expect(t.test.y.length).toBe(30);
    // Training features have mean 0 and sd 1 per column; the test set is not used for them.
    const d = t.numFeatures;
    for (let j = 0; j < d; j++) {
      let m = 0;
      for (let i = 0; i < 120; i++) m += t.train.x[i * d + j];
      expect(Math.abs(m / 120)).toBeLessThan(1e-5);
    }
    const h = readCsv(file('hospital-utf8.csv'));
    const hc = cleanTable(h.table, h.columns, { label: 3, group: 2 });
    const ht = prepareTabular(hc, { testFraction: 0.2, seed: 1, clients: 3, byGroup: true, name: 'h' });
    expect(ht.clientOf).toBeDefined();
    expect(new Set(ht.clientOf).size).toBe(3);
  });
});

describe('the engine trains on an in-memory table', () => {
  test('FedAvg, centralized and split learning on Iris with the figure defaults reach at least 85% test accuracy', async () => {
    const { setup, collect, ofType } = await import('./engine-helpers');
    const { defaults } = await import('~/runtime/url-state');
    const { params } = await import('~/widgets/own-data/params');
    const { toRunConfig, METHODS, TEST_FRACTION } = await import('~/widgets/own-data/config');
    await setup();
    const v = defaults(params);
    const { table, columns } = readCsv(data('iris.csv'));
    const clean = cleanTable(table, columns, { label: 4, group: -1 });
    const tab = prepareTabular(clean, { testFraction: TEST_FRACTION, seed: v.seed, clients: v.clients, byGroup: false, name: 'iris.csv' });
    const { initOwnData, reduceOwnData } = await import('~/widgets/own-data/state');
    const accuracies: Record<string, number> = {};
    let state = initOwnData();
    for (const m of METHODS) {
      const events = await collect(toRunConfig(m, v, tab), { tabular: tab });
      const last = ofType(events, 'round-metrics').at(-1)!;
      // The figure's reducer: one point per round of this method, its last value in the table.
      const before = state;
      state = events.reduce((s, e) => reduceOwnData(s, e, m), state);
      expect(before.points).toHaveLength(state.points.length - ofType(events, 'round-metrics').length);
      expect(state.points.filter((p) => p.series === m).map((p) => p.x)).toEqual(ofType(events, 'round-metrics').map((e) => e.metrics.round));
      expect(state.last[m]).toBe(last.metrics.testAccuracy);
      expect(last.metrics.testAccuracy, m).toBeGreaterThanOrEqual(0.85);
      accuracies[m] = last.metrics.testAccuracy;
      const started = ofType(events, 'run-started')[0];
      expect(started.data.trainSize).toBe(120);
      expect(started.data.inputShape).toEqual([4]);
    }
    expect(Object.keys(state.last).sort()).toEqual([...METHODS].sort());
    console.log('Iris test accuracy with the defaults:', accuracies);
  });

  test('partition by a column: each client holds exactly its group', async () => {
    const { setup, collect, ofType } = await import('./engine-helpers');
    const { defaults } = await import('~/runtime/url-state');
    const { params } = await import('~/widgets/own-data/params');
    const { toRunConfig } = await import('~/widgets/own-data/config');
    await setup();
    const h = readCsv(file('hospital-utf8.csv'));
    const hc = cleanTable(h.table, h.columns, { label: 3, group: 2 });
    const tab = prepareTabular(hc, { testFraction: 0.2, seed: 1, clients: 3, byGroup: true, name: 'h' });
    const v = { ...defaults(params), partition: 'column' as const, rounds: 5 };
    const events = await collect(toRunConfig('fedavg', v, tab), { tabular: tab });
    const started = ofType(events, 'run-started')[0];
    const sizes = started.data.histograms.map((row) => row.reduce((a, b) => a + b, 0));
    const expected = [0, 1, 2].map((g) => tab.clientOf!.filter((c) => c === g).length);
    expect(sizes).toEqual(expected);
  });
});
