/**
 * FedSGD against FedAvg (chapter 3, figure 3), trained at desktop width and then seen at 360 px
 * without training again (expectFitsPhone): the grid of runs trains live on digits, the rounds to target are the engine's reading of each curve, the
 * bars and ranks follow, and the paper's Table 2 stands beside them. The target is 85% here so
 * that the grid stays short (a few seconds per split).
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForSuite, during, expectAxeClean, expectNoProblems, openPage } from './harness';
import { combo, download, drawn, expectFitsPhone, expectImageDownloads, overflowX, randomQueries, widgetTest } from './widget-helpers';
import { roundsToTarget } from '~/engine/metrics';
import type { VersusInspection as Inspection } from '~/widgets/fedsgd-vs-fedavg/main';

const CHAPTER = 'chapters/federated/';
const W = 'fedsgd-vs-fedavg';
const w = widgetTest<Inspection>(CHAPTER, W);
const SHORT = 'versus.target=0.85';
const KEYS = ['fedsgd', 'e5-binf', 'e1-b50', 'e1-b10', 'e5-b10', 'e20-b10'];

/**
 * Waits for the grid to finish for as long as it keeps moving: it fails only when neither a
 * round nor a new run has arrived for a minute, however slowly a loaded machine trains.
 */
async function finished(page: Page): Promise<void> {
  // Each wait returns the new mark (run id and round, or 'finished'); the first returns at once.
  let seen = '';
  while (seen !== 'finished') {
    const moved = await page.waitForFunction(
      ([tag, before]) => {
        const d = (document.querySelector(tag) as HTMLElement | null)?.dataset;
        const now = d?.status === 'finished' ? 'finished' : `${d?.runId}:${d?.round}`;
        return now !== before && now;
      },
      [W, seen] as const,
      { timeout: 60_000 },
    );
    seen = (await moved.jsonValue()) as string;
  }
}

/** The tests' own limit, generous: finished() fails on a stall (a minute without a round), not on the total. */
const GRIDS = 900_000;

/** Each setting's answer is its fastest run, and each run's answer is roundsToTarget of its curve. */
function expectConsistent(info: Inspection, target: number) {
  for (const run of info.runs) {
    expect(run.accuracies).toHaveLength(run.trained);
    expect(run.rounds).toBe(roundsToTarget(run.accuracies, target));
  }
  for (const key of KEYS) {
    const mine = info.runs.filter((r) => r.setting === key && r.rounds !== null).map((r) => r.rounds!);
    expect(info.results[key].done).toBe(true);
    expect(info.results[key].rounds).toBe(mine.length ? Math.min(...mine) : null);
  }
  const values = KEYS.map((k) => info.results[k].rounds ?? Infinity);
  for (let i = 0; i < KEYS.length; i++) {
    for (let j = 0; j < KEYS.length; j++) {
      const [a, b] = [info.ranks.here[KEYS[i]], info.ranks.here[KEYS[j]]];
      if (a !== null && b !== null && values[i] < values[j]) expect(a).toBeLessThan(b);
    }
  }
}

describe('FedSGD against FedAvg', () => {
  const browser = browserForSuite({ viewport: 'desktop' });

  test('runs the grid on digits in a worker; bars, ranks and the verdict follow the runs; accessible', async () => {
    await during(openPage(browser, `${CHAPTER}?${SHORT}`), async (page) => {
      const root = page.locator(W);
      expect(await w.data(page, 'state')).toBe('waiting');
      await root.scrollIntoViewIfNeeded();
      // While it runs, the progress bar and the line under it say where it is.
      await page.waitForFunction((tag) => /지금: .+학습률/.test(document.querySelector(`${tag} [data-now]`)?.textContent ?? ''), W);
      await finished(page);
      const info = await w.inspect(page);
      expect(info.backend).toMatchObject({ backend: 'wasm', thread: 'worker' });
      expectConsistent(info, 0.85);
      // The central claim on IID data: the most local computation needs far fewer rounds than FedSGD.
      const sgd = info.results.fedsgd.rounds!;
      const most = info.results['e20-b10'].rounds!;
      expect(sgd).toBeGreaterThan(5 * most);
      expect(info.ranks.paper).toEqual({ fedsgd: 6, 'e5-binf': 5, 'e1-b50': 4, 'e1-b10': 3, 'e5-b10': 2, 'e20-b10': 1 });
      await expect(root.locator('[data-view="here"] .rank-bars__row').count()).resolves.toBe(6);
      await expect(root.locator('[data-view="paper"] .rank-bars__row').count()).resolves.toBe(6);
      await expect(root.locator('[data-verdict]').textContent()).resolves.toMatch(/15쌍 가운데 \d+쌍의 순서가 논문과 같습니다/);
      await expect(root.locator('[data-runs] tbody tr').count()).resolves.toBe(info.runs.length);
      expect(await overflowX(page)).toBeLessThanOrEqual(1);
      await expectAxeClean(page, { include: W });
      await expectFitsPhone(page, W);
    });
  }, GRIDS);

  // Behaviour does not depend on the width (the phone layout is checked for every widget in
  // mobile-layout.test.ts, the trained grid at 360 px above).
  test('target, split and seed change the grid; finished grids come back at once; the address keeps them', async () => {
    const visit = await w.open(browser, SHORT);
    const { page } = visit;
    const root = page.locator(W);
    const bars = () => drawn(page, `${W} .fw__pair`);
    try {
      await finished(page);
      const first = await w.inspect(page);
      const firstBars = await bars();

      await combo(root, '목표 테스트 정확도').selectOption('0.9');
      await w.waitData(page, 'status!==finished');
      await finished(page);
      const higher = await w.inspect(page);
      expectConsistent(higher, 0.9);
      // A higher target takes at least as many rounds for every setting that reached both.
      for (const k of KEYS) if (higher.results[k].rounds !== null && first.results[k].rounds !== null) expect(higher.results[k].rounds!).toBeGreaterThanOrEqual(first.results[k].rounds!);
      expect(await bars()).not.toBe(firstBars);

      // Back to 85%: the same grid, from memory, without training again.
      await combo(root, '목표 테스트 정확도').selectOption('0.85');
      await expect.poll(async () => (await w.inspect(page)).fromCache).toBe(true);
      const back = await w.inspect(page);
      expect(back.status).toBe('finished');
      expect(back.results).toEqual(first.results);

      await root.getByRole('spinbutton', { name: '시드' }).fill('2');
      await root.getByRole('spinbutton', { name: '시드' }).press('Enter');
      await w.waitData(page, 'status!==finished');
      await finished(page);
      const seeded = await w.inspect(page);
      expect(seeded.config!.seed).toBe(2);
      expect(seeded.runs.map((r) => r.accuracies)).not.toEqual(first.runs.map((r) => r.accuracies));

      // The address reproduces the grid exactly: same settings, same seeded runs.
      await page.waitForFunction(() => location.search.includes('versus.seed=2'));
      const url = page.url();
      const values = await w.controlValues(page);
      const again = await openPage(browser, url.slice(url.indexOf(CHAPTER)));
      try {
        await again.page.locator(W).scrollIntoViewIfNeeded();
        await finished(again.page);
        expect(await w.controlValues(again.page)).toEqual(values);
        expect((await w.inspect(again.page)).results).toEqual(seeded.results);
        expectNoProblems(again.problems);
      } finally {
        await again.close();
      }
      await combo(root, '데이터 분할').selectOption('shards');
      await w.waitData(page, 'status!==finished');
      await finished(page);
      const skew = await w.inspect(page);
      expectConsistent(skew, 0.85);
      expect(skew.config!.partition.kind).toBe('shards');
      expect(skew.ranks.paper).toEqual({ fedsgd: 4, 'e5-binf': 6, 'e1-b50': 5, 'e1-b10': 3, 'e5-b10': 2, 'e20-b10': 1 });
      // The paper's finding that survives here: the speed-up shrinks under the pathological split.
      const gain = (i: Inspection) => i.results.fedsgd.rounds! / i.results['e20-b10'].rounds!;
      expect(gain(skew)).toBeLessThan(gain(first));
      await expect(root.locator('[data-paper-title]').textContent()).resolves.toContain('극단적 Non-IID');

      expectNoProblems(visit.problems);
    } finally {
      await visit.close();
    }
  }, GRIDS);

  test('pause and restart, bad addresses, downloads and keyboard', async () => {
    await during(w.open(browser, 'versus.target=0.85&versus.partition=x&versus.seed=-3&versus.q=1'), async (page) => {
      const root = page.locator(W);
      const notices = await w.notices(page);
      expect(notices).toContain('데이터 분할: 주소에 적힌 값을 쓸 수 없어 기본값으로 되돌렸습니다.');
      expect(notices).toContain('시드: 허용 범위보다 작은 값이라 최솟값으로 맞췄습니다.');
      expect(notices).toContain('알 수 없는 설정(q)은 무시했습니다.');
      await page.waitForFunction((tag) => /지금: /.test(document.querySelector(`${tag} [data-now]`)?.textContent ?? ''), W);
      const play = root.locator('[data-action="toggle-play"]');
      await play.click();
      await w.waitData(page, 'status===paused');
      // The trainer says it holds: whatever it computed before the pause has arrived.
      await w.waitData(page, 'held===true');
      const held = await w.inspect(page);
      await page.waitForTimeout(800);
      expect((await w.inspect(page)).runs.length).toBe(held.runs.length);
      await play.click();
      await w.waitData(page, 'status===running');
      const id = Number(await w.data(page, 'runId'));
      await root.getByRole('button', { name: '처음부터' }).click();
      await page.waitForFunction(([tag, id]) => Number((document.querySelector(tag as string) as HTMLElement).dataset.runId) > (id as number), [W, id]);
      await finished(page);
      const info = await w.inspect(page);
      expect(info.config).toMatchObject({ seed: 0, partition: { kind: 'iid' }, dataset: { name: 'digits' }, clients: 20, fraction: 0.1 });

      const problems = await w.malformedQueryProblems(page, randomQueries('versus', ['partition', 'target', 'seed'], 150, 41));
      expect(problems).toEqual([]);

      const csv = (await download(page, root.getByRole('button', { name: '결과 CSV' }))).body.toString('utf8').replace(/^\ufeff/, '').trim().split(/\r\n/);
      expect(csv[0]).toBe('setting,algorithm,E,B,lr,rounds_to_target,rounds_trained,best_accuracy,diverged,paper_rounds');
      expect(csv.length - 1).toBe(info.runs.length);
      const json = JSON.parse((await download(page, root.getByRole('button', { name: '설정 JSON' }))).body.toString('utf8'));
      expect(json.grid.map((g: { key: string }) => g.key)).toEqual(KEYS);
      expect(json.learningRates).toEqual([0.3, 1, 0.1]);
      for (const what of ['이 브라우저의 라운드 수 막대', '논문의 라운드 수 막대', '정확도 곡선']) await expectImageDownloads(page, root, what);
      const stops = await w.focusStops(page, '#versus-partition');
      for (const s of ['versus-partition', 'versus-target', 'versus-seed', 'reseed', 'share', 'defaults', 'toggle-play', 'restart', 'export-png', 'export-csv']) {
        expect(stops).toContain(s);
      }
    });
  }, GRIDS);
});
