/**
 * The own-data figure (chapter 5, figure 3): Iris trains the three methods side by side; the
 * reader's files (Wine and broken ones) are read in the page only, each broken one explained in
 * Korean while the page keeps working, and nothing is requested after a file is opened.
 * One page load at 360 px; then, at desktop width, the column choices on a Korean EUC-KR table
 * and the opt-in keeping of a file in IndexedDB across reloads, and its deletion.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForSuite, during, expectAxeClean, expectNoProblems } from './harness';
import { inspectWidget, openWidgetAt } from './widget-helpers';

const W = 'own-data';
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));
const WINE = fileURLToPath(new URL('../../public/data/wine.csv', import.meta.url));

interface Inspection {
  runId: number;
  status: string;
  problem: string | null;
  last: Record<string, number>;
  rows: number;
  clients: number;
  classes: number;
  kept: boolean;
}

const status = (page: Page, s: string, timeout = 180_000) =>
  page.waitForFunction((s) => (document.querySelector('own-data') as HTMLElement | null)?.dataset.status === s, s, { timeout });

describe('own-data figure', () => {
  const browser = browserForSuite();

  test('Iris trains; Wine and broken files are read in the page only, each with its Korean message', async () => {
    await during(openWidgetAt(browser, 'chapters/comparison/', W, '', { viewport: 'mobile', reducedMotion: 'reduce' }), async (page) => {
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
    });
  }, 420_000);

  test('a Korean EUC-KR table: label and client columns; kept across a reload only when asked, then deleted', async () => {
    const visit = await openWidgetAt(browser, 'chapters/comparison/', W, '', { reducedMotion: 'reduce' });
    const { page } = visit;
    const summary = page.locator(`${W} [data-table-summary]`);
    try {
      await status(page, 'finished');
      // The example alone: nothing kept, so no delete button; the meter counts from the reader's
      // own file, so the engine's files fetched for the example's first run are not on it; the
      // progress bar follows the three runs to their end.
      expect(await page.locator(`${W} [data-forget]`).isVisible()).toBe(false);
      await expect.poll(() => page.locator(`${W} [data-meter-bytes]`).textContent()).toBe('0 B');
      expect(await page.locator(`${W} [data-meter-requests]`).textContent()).toBe('0');
      const [done, total] = await page.locator(`${W} progress[data-progress]`).evaluate((p) => [(p as HTMLProgressElement).value, (p as HTMLProgressElement).max]);
      expect(total).toBeGreaterThan(0);
      expect(done).toBe(total);
      await page.locator(`${W} [data-file]`).setInputFiles(fixture('hospital-euckr.csv'));
      await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toContain('hospital-euckr.csv (EUC-KR)');
      // The label is guessed as the last column (진단: 2 classes); 병원 is the other text column.
      await expect.poll(async () => (await inspectWidget<Inspection>(page, W)).classes, { timeout: 30_000 }).toBe(2);
      expect(await page.locator(`${W} [data-label-column] option:checked`).textContent()).toBe('진단');
      await status(page, 'finished');

      // By column: the three hospitals are the clients (silos).
      const before = (await inspectWidget<Inspection>(page, W)).runId;
      await page.locator(`${W} select[data-param="partition"]`).selectOption('column');
      await expect.poll(async () => (await inspectWidget<Inspection>(page, W)).runId, { timeout: 30_000 }).toBeGreaterThan(before);
      expect(await page.locator(`${W} [data-group-column] option:checked`).textContent()).toBe('병원');
      await status(page, 'finished');
      const silos = await inspectWidget<Inspection>(page, W);
      expect([silos.clients, silos.classes, silos.problem]).toEqual([3, 2, null]);
      // The diagnosis as the clients instead, the hospital as the label: two clients, three classes.
      await page.locator(`${W} [data-label-column]`).selectOption({ label: '병원' });
      await page.locator(`${W} [data-group-column]`).selectOption({ label: '진단' });
      await expect.poll(async () => {
        const i = await inspectWidget<Inspection>(page, W);
        return [i.clients, i.classes, i.problem];
      }, { timeout: 30_000 }).toEqual([2, 3, null]);
      await status(page, 'finished');

      // Nothing is kept until the box is ticked.
      const stored = () =>
        page.evaluate(
          () =>
            new Promise<string[]>((resolve) => {
              const open = indexedDB.open('fl-sl-own-data');
              // The widget has opened (and created) its database at mount; read its store.
              open.onsuccess = () => {
                const db = open.result;
                if (!db.objectStoreNames.contains('files')) return (db.close(), resolve([]));
                const req = db.transaction('files').objectStore('files').getAllKeys();
                req.onsuccess = () => (db.close(), resolve(req.result.map(String)));
              };
              open.onerror = () => resolve([]);
            }),
        );
      expect(await stored()).toEqual([]);
      await page.locator(`${W} [data-keep]`).check();
      await expect.poll(() => page.locator(`${W} [data-forget]`).isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await stored()).toEqual(['last']);

      await page.reload();
      await page.locator(W).scrollIntoViewIfNeeded();
      await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toContain('hospital-euckr.csv');
      expect((await inspectWidget<Inspection>(page, W)).kept).toBe(true);
      await page.locator(`${W} [data-forget]`).click();
      await expect.poll(() => page.locator(`${W} [data-notices]`).textContent(), { timeout: 10_000 }).toContain('보관한 파일을 지웠습니다.');
      expect(await stored()).toEqual([]);
      expect(await page.locator(`${W} [data-keep]`).isChecked()).toBe(false);

      // Nothing kept: the sample again. The address still splits by a column, which Iris lacks.
      await page.reload();
      await page.locator(W).scrollIntoViewIfNeeded();
      await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toContain('iris.csv');
      await status(page, 'invalid', 30_000);
      await expect(page.locator(`${W} [data-table-error]`).textContent()).resolves.toBe('클라이언트로 나눌 열을 골라 주세요.');
      expectNoProblems(visit.problems);
    } finally {
      await visit.close();
    }
  }, 420_000);
});
