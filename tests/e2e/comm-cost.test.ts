/**
 * Communication cost (chapter 5, figure 1): the communication formulas (Singh et al. 2019) against the number of clients, the
 * crossover, and the bytes the engine counts in real runs laid over the same formulas.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForSuite, during, expectAxeClean } from './harness';
import { countLayerPaths, download, downloadText, expectSameAsFreshDraw, overflowX, pressMoving as press, widgetTest } from './widget-helpers';
import type { CommInspection as Inspection } from '~/widgets/comm-cost/main';

const PATH = 'chapters/comparison/';
const W = 'comm-cost';

const w = widgetTest<Inspection>(PATH, W);
const { open: openWidget, slider } = w;

/** inspect() once the widget has its controller. */
async function inspect(page: Page): Promise<Inspection> {
  await page.waitForFunction(() => (document.querySelector('comm-cost') as unknown as { widgetController: unknown } | null)?.widgetController);
  return w.inspect(page);
}

const measuredDone = (page: Page, timeout = 60_000) => w.waitData(page, 'measured===done', timeout);

describe('communication cost', () => {
  const browser = browserForSuite();

  test('the formulas: the chapter’s worked example, and the crossover moving the way the text says', async () => {
    await during(openWidget(browser, ''), async (page) => {
      let info = await inspect(page);
      expect(info.vars).toEqual({ N: 199_210, p: 60_000, q: 200, etaC: 0.788 });
      expect(info.crossover).toBeCloseTo(99.4, 1);
      await expect(page.locator(`${W} [data-crossover]`).textContent()).resolves.toContain('≈ 99.4');
      // The chapter's table at K = 100: FL about 3,984만 values, SL with hand-off 3,970만, SL 2,400만.
      const row = await page.locator(`${W} [data-view="formula-table"] tbody tr`).nth(1).innerText();
      expect(row).toMatch(/^100/);
      expect(row).toContain('3,984만');
      expect(row).toContain('3,970만');
      expect(row).toContain('2,400만');
      // The chart draws in its turn in the page's draw queue.
      await expect.poll(() => page.locator(`${W} [data-view="formula"] svg[role="img"]`).count()).toBe(1);

      const moves: [string, string, (after: number, before: number) => boolean][] = [
        // A bigger model favours split learning: the crossover comes down.
        ['모델 크기 N', 'ArrowRight', (a, b) => a < b],
        // More data favours federated learning: the crossover goes up.
        ['데이터 수 p', 'ArrowRight', (a, b) => a > b],
        // A narrower cut: split learning sends less, the crossover comes down.
        ['분할 지점의 너비 q', 'ArrowLeft', (a, b) => a < b],
        // A bigger client share: each hand-off costs more, the crossover goes up.
        ['클라이언트 쪽 비율 η_c', 'ArrowRight', (a, b) => a > b],
      ];
      for (const [name, key, ok] of moves) {
        const before = info.crossover;
        const headline = await page.locator(`${W} [data-crossover]`).textContent();
        await press(slider(page, name), key);
        await expect.poll(async () => (await inspect(page)).crossover).not.toBe(before);
        info = await inspect(page);
        expect(ok(info.crossover, before), `${name}: ${before} → ${info.crossover}`).toBe(true);
        await expect.poll(() => page.locator(`${W} [data-crossover]`).textContent()).not.toBe(headline);
      }
      // The address is written 200 ms after the last change (later on a busy page).
      const params = () => Object.fromEntries([...new URL(page.url()).searchParams].filter(([k]) => k.startsWith('comm.')));
      await expect.poll(params, { timeout: 5000 }).toMatchObject({ 'comm.n': '500000', 'comm.p': '100000', 'comm.q': '100', 'comm.eta': '0.8' });
      await expectAxeClean(page, { include: W });
    }, 300);
  });

  test('measured bytes from real runs lie on the formulas (one explained exception), and follow the measured model', async () => {
    const visit = await openWidget(browser, '');
    const { page } = visit;
    try {
      await measuredDone(page);
      let info = await inspect(page);
      expect(info.progress).toEqual([21, 21]);
      expect(info.measuredVars).toMatchObject({ N: 2778, p: 1437, q: 32 });
      expect(info.measured).toHaveLength(28);
      // Every point equals its formula except the hand-off with a single client, who has nobody to hand to.
      await expect(page.locator(W).getAttribute('data-matches')).resolves.toBe('27/28');
      const first = await page.locator(`${W} [data-view="measured-table"] tbody tr`).first().innerText();
      expect(first).toContain('넘길 상대가 없어 인계가 없습니다');
      expect((await page.locator(`${W} [data-view="measured-table"] .lab__ok`).count())).toBe(27);
      await expect(page.locator(`${W} [data-view="measured"] svg`).count()).resolves.toBe(1);
      // A point per measured value, drawn over the chart's lines.
      const measuredSvg = page.locator(`${W} [data-view="measured"] svg`);
      await expect.poll(() => measuredSvg.locator('g[data-layer] path').count()).toBe(28);

      await press(slider(page, '실측 모델의 분할 지점 너비'), 'ArrowRight');
      await expect(page.locator(W).getAttribute('data-measured')).resolves.toBe('running');
      await measuredDone(page);
      info = await inspect(page);
      expect(info.measuredVars).toMatchObject({ N: 81 * 64 + 186, q: 64 });
      await expect(page.locator(W).getAttribute('data-matches')).resolves.toBe('27/28');
      await expect(page.locator(`${W} [data-live]`).textContent()).resolves.toContain('측정한 28개 값 중 27개가 공식과 정확히 같습니다');
      // Measuring again gives the same bytes (they depend on the data and the model, not on chance).
      const firstMeasured = info.measured;
      // Points of a run are added to the chart on screen (counted: paths put into its layer of points).
      const points = await countLayerPaths(page, `${W} [data-view="measured"]`);
      await page.locator(W).getByRole('button', { name: '다시 측정' }).click();
      await expect(page.locator(W).getAttribute('data-measured')).resolves.toBe('running');
      await measuredDone(page);
      expect((await inspect(page)).measured).toEqual(firstMeasured);
      await expect.poll(() => measuredSvg.locator('g[data-layer] path').count()).toBe(28);
      expect(await points.added()).toBeGreaterThan(0);
      // ...and the chart they make is the one a draw of all of them at once makes.
      await expectSameAsFreshDraw(page, measuredSvg);
    } finally {
      await visit.close();
    }
  });

  test('bad values become Korean notices; exports; 360 px in the dark theme', async () => {
    await during(openWidget(browser, 'comm.n=abc&comm.eta=5&comm.q=7', { viewport: 'mobile', colorScheme: 'dark' }), async (page) => {
      const notices = await page.locator(`${W} [data-notices]`).innerText();
      expect(notices).toContain('모델 크기 N: 주소에 적힌 값을 쓸 수 없어 기본값으로 되돌렸습니다.');
      expect(notices).toContain('클라이언트 쪽 비율 η_c: 허용 범위를 넘는 값이라 최댓값으로 맞췄습니다.');
      expect(notices).toContain('분할 지점의 너비 q: 고를 수 있는 값이 아니어서 가장 가까운 값으로 맞췄습니다.');
      const info = await inspect(page);
      expect(info.vars).toEqual({ N: 199_210, p: 60_000, q: 5, etaC: 0.99 });
      await measuredDone(page);
      expect(await overflowX(page)).toBeLessThanOrEqual(1);
      const lines = (await downloadText(page, page.locator(W).getByRole('button', { name: '측정값 CSV' }))).trim().split(/\r\n/);
      expect(lines[0]).toBe('clients,method,measured_bytes,formula_bytes');
      expect(lines).toHaveLength(29);
      const png = await download(page, page.getByRole('button', { name: '통신량 공식 그래프 PNG 파일 내려받기' }));
      expect([...png.body.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
      const json = JSON.parse((await download(page, page.locator(W).getByRole('button', { name: '설정 JSON' }))).body.toString('utf8'));
      expect(json.formulaVariables).toEqual({ N: 199_210, p: 60_000, q: 5, etaC: 0.99 });
      await expectAxeClean(page, { include: W });
    }, 300);
  });
});
