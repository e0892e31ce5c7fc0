/**
 * The own-data figure (chapter 5, figure 3): Iris trains the three methods side by side; the
 * reader's files (Wine and broken ones) are read in the page only, each broken one explained in
 * Korean while the page keeps working, and nothing is requested after a file is opened.
 * One page load at 360 px.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { expectAxeClean, expectNoProblems, launchBrowser, type BrowserSession } from './harness';
import { inspectWidget, openWidgetAt } from './widget-helpers';

const W = 'own-data';
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));
const WINE = fileURLToPath(new URL('../../public/data/wine.csv', import.meta.url));

interface Inspection { runId: number; status: string; problem: string | null; last: Record<string, number>; rows: number }

const status = (page: Page, s: string, timeout = 180_000) =>
  page.waitForFunction((s) => (document.querySelector('own-data') as HTMLElement | null)?.dataset.status === s, s, { timeout });

describe('own-data figure', () => {
  let browser: BrowserSession;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('Iris trains; Wine and broken files are read in the page only, each with its Korean message', async () => {
    const visit = await openWidgetAt(browser, 'chapters/comparison/', W, '', { viewport: 'mobile', reducedMotion: 'reduce' });
    const { page } = visit;
    try {
      // At 360 px the picture comes before the controls.
      const chartTop = (await page.locator(`${W} [data-view="accuracy"]`).boundingBox())!.y;
      const controlsTop = (await page.locator(`${W} .od__controls`).boundingBox())!.y;
      expect(chartTop).toBeLessThan(controlsTop);

      await status(page, 'finished');
      const iris = await inspectWidget<Inspection>(page, W);
      expect(iris.rows).toBe(150);
      expect(iris.problem).toBeNull();
      expect(iris.last.fedavg).toBeGreaterThanOrEqual(0.85);
      for (const m of ['centralized', 'split']) expect(iris.last[m]).toBeGreaterThan(0.5);
      await expect(page.locator(`${W} [data-result="fedavg"]`).textContent()).resolves.toMatch(/^\d+\.\d%$/);
      await expect(page.locator(`${W} [data-table-summary]`).textContent()).resolves.toContain('iris.csv');

      const after: string[] = [];
      page.on('request', (r) => after.push(r.url()));
      const input = page.locator(`${W} [data-file]`);
      const error = page.locator(`${W} [data-table-error]`);
      const bad: [string, string][] = [
        ['empty.csv', '빈 파일입니다.'],
        ['ragged.csv', '칸 수(2)가 헤더의 열 수(3)와 다릅니다'],
        ['one-class.csv', '값이 한 가지뿐입니다'],
        ['utf16.csv', '글자 인코딩을 알 수 없습니다'],
        ['no-header.csv', '첫 줄에 열 이름(헤더)이 없습니다'],
      ];
      for (const [file, message] of bad) {
        await input.setInputFiles(fixture(file));
        await expect.poll(() => error.textContent(), { timeout: 30_000, message: file }).toContain(message);
        await expect(error.isVisible()).resolves.toBe(true);
        await status(page, 'invalid', 30_000);
      }

      await input.setInputFiles(WINE);
      await expect.poll(() => page.locator(`${W} [data-table-summary]`).textContent(), { timeout: 30_000 }).toContain('wine.csv');
      await expect(error.isVisible()).resolves.toBe(false);
      await status(page, 'finished');
      const wine = await inspectWidget<Inspection>(page, W);
      expect(wine.rows).toBe(178);
      expect(wine.problem).toBeNull();
      expect(wine.runId).toBeGreaterThan(iris.runId);
      for (const m of ['centralized', 'fedavg', 'split']) expect(wine.last[m]).toBeGreaterThan(0.5);

      // Nothing was requested after the first file was opened, and the meter says so.
      expect(after).toEqual([]);
      await expect(page.locator(`${W} [data-meter-requests]`).textContent()).resolves.toBe('0');
      await expect(page.locator(`${W} [data-meter-bytes]`).textContent()).resolves.toBe('0 B');
      expect(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBeLessThanOrEqual(1);
      await expectAxeClean(page, { include: W });
      expectNoProblems(visit.problems);
    } finally {
      await visit.close();
    }
  }, 420_000);
});
