/**
 * Client drift (chapter 3, figure 4), trained at desktop width and then seen at 360 px: two runs in two
 * workers, identical but for the split, drawn in lock-step; the skewed split's local boundaries
 * part from the global one, the IID split's do not; every control changes the runs.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForSuite, during, expectAxeClean, expectNoProblems } from './harness';
import { combo, download, drawn, expectFitsPhone, expectImageDownloads, overflowX, press, randomQueries, slider, widgetTest } from './widget-helpers';

const CHAPTER = 'chapters/federated/';
const W = 'client-drift';
const w = widgetTest<Inspection>(CHAPTER, W);
const SHORT = 'drift.speed=fast&drift.rounds=10';

type Config = { algorithm: string; clients: number; localEpochs: number; lr: number; rounds: number; mu: number; seed: number; dataset: { name: string }; partition: { kind: string; alpha: number } };
interface Inspection {
  status: string;
  configs: { iid: Config; skew: Config };
  rounds: { round: number; iid: { accuracy: number; disagreement: number }; skew: { accuracy: number; disagreement: number } }[];
  histograms: { iid: number[][]; skew: number[][] };
  lines: { iid: number; skew: number };
  backend: { backend: string; thread: string } | null;
}

/** Both runs restarted (the skewed one's id is enough: they start together) and finished. */
const waitBoth = (page: Page, after: number) => w.waitRun(page, after, 'finished', 60_000, 'runSkew');

describe('client drift', () => {
  const browser = browserForSuite({ viewport: 'desktop' });

  test('two runs in lock-step; the skewed clients drift, the IID ones do not; accessible', async () => {
    // Far below the fold at load: nothing mounted until it is on screen.
    const { visit, info } = await w.firstRun(browser, SHORT, (p) => waitBoth(p, 0));
    const { page } = visit;
    try {
      // Identical runs but for the split.
      const { partition: p1, ...iid } = info.configs.iid;
      const { partition: p2, ...skew } = info.configs.skew;
      expect(iid).toEqual(skew);
      expect([p1.kind, p2.kind]).toEqual(['iid', 'dirichlet']);
      expect(info.rounds.map((r) => r.round)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      // IID clients hold both classes; with α = 0.1 most clients hold mostly one.
      const mainShare = (h: number[]) => Math.max(...h) / h.reduce((a, b) => a + b, 0);
      expect(Math.max(...info.histograms.iid.map(mainShare))).toBeLessThan(0.7);
      expect(info.histograms.skew.filter((h) => mainShare(h) > 0.8).length).toBeGreaterThanOrEqual(2);
      // One line per client on each side (every local model has a boundary in the picture).
      expect(info.lines.iid).toBe(4);
      const last = info.rounds.at(-1)!;
      expect(last.skew.disagreement).toBeGreaterThan(3 * last.iid.disagreement);
      expect(last.skew.disagreement).toBeGreaterThan(0.05);
      await expect(page.locator(`${W} [data-live]`).textContent()).resolves.toMatch(/라운드 10\/10.*IID.*디리클레 α = 0\.1/);
      expect(await overflowX(page)).toBeLessThanOrEqual(1);
      await expectAxeClean(page, { include: W });
      await expectFitsPhone(page, W);
      expectNoProblems(visit.problems);
    } finally {
      await visit.close();
    }
  });

  // Behaviour does not depend on the width (the phone layout is checked for every widget in
  // mobile-layout.test.ts, the trained runs at 360 px above).
  test('every control changes the runs and the pictures; the address keeps the settings', async () => {
    const visit = await w.open(browser, SHORT, { reducedMotion: 'reduce' });
    const { page } = visit;
    const root = page.locator(W);
    const pictures = async () => ({ iid: await drawn(page, `${W} [data-view="iid"]`), skew: await drawn(page, `${W} [data-view="skew"]`), charts: await drawn(page, `${W} .fw__charts`) });
    try {
      let id = await waitBoth(page, 0);
      let before = await pictures();
      const cases: [string, () => Promise<unknown>, (i: Inspection) => void, ('iid' | 'skew' | 'charts')[]][] = [
        ['alpha', () => press(slider(root, '오른쪽 분할의 디리클레 α'), 'End'), (i) => expect(i.configs.skew.partition.alpha).toBe(100), ['skew']],
        ['local epochs', () => press(slider(root, '로컬 에폭 E'), 'ArrowLeft', 4), (i) => expect(i.configs.iid.localEpochs).toBe(1), ['iid', 'skew']],
        ['mu', () => press(slider(root, 'FedProx 근접항 μ (0이면 FedAvg)'), 'End'), (i) => expect([i.configs.iid.algorithm, i.configs.skew.mu]).toEqual(['fedprox', 1]), ['iid', 'skew']],
        ['dataset', () => combo(root, '데이터셋').selectOption('blobs'), (i) => expect(i.configs.skew.dataset.name).toBe('blobs'), ['iid', 'skew']],
        ['clients', () => press(slider(root, '클라이언트 수 K'), 'ArrowRight'), (i) => expect(i.lines.iid).toBeGreaterThanOrEqual(5), ['iid', 'skew']],
        ['learning rate', () => press(slider(root, '학습률 η'), 'ArrowRight'), (i) => expect(i.configs.iid.lr).toBe(0.3), ['iid', 'skew']],
        ['seed', async () => {
          await root.getByRole('spinbutton', { name: '시드' }).fill('3');
          await root.getByRole('spinbutton', { name: '시드' }).press('Enter');
        }, (i) => expect(i.configs.skew.seed).toBe(3), ['iid', 'skew']],
        ['rounds', () => press(slider(root, '라운드 수'), 'ArrowLeft'), (i) => expect(i.rounds).toHaveLength(5), ['charts']],
      ];
      for (const [name, change, check, keys] of cases) {
        await change();
        id = await waitBoth(page, id);
        check(await w.inspect(page));
        const after = await pictures();
        for (const k of keys) expect(after[k], `${name} → ${k}`).not.toBe(before[k]);
        before = after;
      }
      // α = 100 is practically IID: the drift is gone.
      const last = (await w.inspect(page)).rounds.at(-1)!;
      expect(last.skew.disagreement).toBeLessThan(0.1);
      await expect(root.locator('[data-side="skew"] [data-side-title]').textContent()).resolves.toContain('α = 100');

      await root.getByRole('radio', { name: '느리게' }).check();
      await page.waitForTimeout(300);
      expect(Number(await w.data(page, 'runSkew'))).toBe(id);
      await page.waitForFunction(() => location.search.includes('drift.speed=slow'));
      await w.expectAddressReopens(browser, page, (i) => i.configs, (p) => waitBoth(p, 0));
      expectNoProblems(visit.problems);
    } finally {
      await visit.close();
    }
  });

  test('pause, one round, bad addresses, downloads and keyboard', async () => {
    await during(w.open(browser, 'drift.speed=slow&drift.rounds=20&drift.alpha=7&drift.epochs=0&drift.zzz=1'), async (page) => {
      const root = page.locator(W);
      const notices = await w.notices(page);
      expect(notices).toContain('오른쪽 분할의 디리클레 α: 고를 수 있는 값이 아니어서 가장 가까운 값으로 맞췄습니다.');
      expect(notices).toContain('로컬 에폭 E: 허용 범위보다 작은 값이라 최솟값으로 맞췄습니다.');
      expect(notices).toContain('알 수 없는 설정(zzz)은 무시했습니다.');
      await w.waitData(page, 'round>=1');
      const cfg = (await w.inspect(page)).configs.skew;
      expect([cfg.partition.alpha, cfg.localEpochs]).toEqual([10, 1]);
      const play = root.locator('[data-action="toggle-play"]');
      await play.click();
      await w.waitData(page, 'status===paused');
      const held = Number(await w.data(page, 'round'));
      await page.waitForTimeout(1200);
      expect(Number(await w.data(page, 'round'))).toBe(held);
      await root.getByRole('button', { name: '한 라운드' }).click();
      await w.waitData(page, `round>=${held + 1}`);
      await page.waitForTimeout(500);
      expect(Number(await w.data(page, 'round'))).toBe(held + 1);

      const problems = await w.malformedQueryProblems(page, randomQueries('drift', ['data', 'alpha', 'epochs', 'mu', 'clients', 'lr', 'rounds', 'seed', 'speed'], 150, 31));
      expect(problems).toEqual([]);

      const csv = (await download(page, root.getByRole('button', { name: '지표 CSV' }))).body.toString('utf8').replace(/^\ufeff/, '').trim().split(/\r\n/);
      expect(csv[0]).toBe('round,split,client,n,local_accuracy,disagreement,global_test_accuracy');
      // Rounds shown × 2 splits × 4 clients.
      expect(csv.length - 1).toBe((held + 1) * 2 * 4);
      const json = JSON.parse((await download(page, root.getByRole('button', { name: '설정 JSON' }))).body.toString('utf8'));
      expect(json.configs).toEqual((await w.inspect(page)).configs);
      for (const what of ['IID 분할의 경계 그림', '레이블 불균형 분할의 경계 그림', '불일치 그래프', '정확도 그래프']) await expectImageDownloads(page, root, what);
      const stops = await w.focusStops(page, '#drift-alpha');
      for (const s of ['drift-alpha', 'drift-epochs', 'drift-mu', 'drift-data', 'drift-clients', 'drift-lr', 'drift-rounds', 'drift-seed', 'reseed', 'share', 'defaults', 'toggle-play', 'step', 'restart', 'export-png']) {
        expect(stops).toContain(s);
      }
    });
  });
});

describe('client drift: FedAvg against SCAFFOLD and FedProx (desktop)', () => {
  const browser = browserForSuite({ viewport: 'desktop' });

  test('the same skewed split, two algorithms in lock-step; FedProx with μ = 0 is refused in Korean', async () => {
    await during(w.open(browser, `${SHORT}&drift.compare=scaffold`, { reducedMotion: 'reduce' }), async (page) => {
      const root = page.locator(W);
      let id = await waitBoth(page, 0);
      const info = await w.inspect(page);
      const { algorithm: a1, ...left } = info.configs.iid;
      const { algorithm: a2, ...right } = info.configs.skew;
      expect([a1, a2]).toEqual(['fedavg', 'scaffold']);
      expect(left).toEqual(right);
      expect(left.partition).toMatchObject({ kind: 'dirichlet', alpha: 0.1 });
      expect(info.rounds).toHaveLength(10);
      await expect(root.locator('[data-side="skew"] [data-side-title]').textContent()).resolves.toMatch(/^SCAFFOLD · 디리클레 α = 0\.1$/);
      await expect(page.locator(`${W} [data-live]`).textContent()).resolves.toMatch(/FedAvg 대 SCAFFOLD.*라운드 10\/10/);

      await combo(root, '비교').selectOption('fedprox');
      await w.waitData(page, 'status===invalid');
      await expect(root.locator('[data-alert]').textContent()).resolves.toMatch(/근접항 μ를 0보다 크게/);
      await press(slider(root, 'FedProx 근접항 μ (0이면 FedAvg)'), 'ArrowRight', 2);
      id = await waitBoth(page, id);
      const prox = await w.inspect(page);
      expect([prox.configs.iid.algorithm, prox.configs.skew.algorithm, prox.configs.skew.mu]).toEqual(['fedavg', 'fedprox', 0.1]);
    });
  });
});
