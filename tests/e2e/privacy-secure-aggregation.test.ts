/**
 * Chapter 6, figure 4: secure aggregation in a real browser. The server's sum is exact with
 * every client present, breaks when one drops out, is exact again with recovery, and cannot be
 * computed when too few clients are left; the settings round-trip through the address.
 */
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForSuite, expectAxeClean } from './harness';
import { expectFitsPhone, query, widgetTest } from './widget-helpers';
import type { SecAggInspection as Inspection } from '~/widgets/secure-aggregation/main';

const PATH = 'chapters/privacy/';
const TAG = 'secure-aggregation';

const browser = browserForSuite();

const w = widgetTest<Inspection>(PATH, TAG, { json: false });
const { inspect } = w;

/** Edges of the pair graph drawn in a colour (red: masks left in the sum). */
const edges = (page: Page, color: string) => page.locator(`${TAG} [data-view="graph"] line[stroke="${color}"]`).count();

test('exact with everyone, broken by a dropout, exact again with recovery', async () => {
  const visit = await w.openReady(browser);
  const { page } = visit;
  const widget = page.locator(TAG);
  let s = await inspect(page);
  expect(s.n).toBe(4);
  expect(s.exact).toBe(true);
  expect(s.naive).toEqual(s.trueSum);
  // A masked update is not the update: every residue differs from the encoded value.
  expect(s.masked.flat().every((y) => y >= 0 && y < 65536)).toBe(true);
  expect(await widget.locator('[data-verdict]').textContent()).toMatch(/^✓/);
  expect(await edges(page, '#8a94a3')).toBe(6);

  // Keyboard: tick "클라이언트 3" with the space bar.
  await widget.locator('input[data-drop="2"]').focus();
  await page.keyboard.press('Space');
  await expect.poll(async () => (await inspect(page)).dropped).toEqual([2]);
  s = await inspect(page);
  expect(s.exact).toBe(false);
  expect(s.naive).not.toEqual(s.trueSum);
  expect(await widget.locator('[data-verdict]').textContent()).toMatch(/^✗/);
  // The three masks client 3 shared stay in the sum.
  expect(await edges(page, '#c62828')).toBe(3);
  expect(await widget.locator('[data-view="clients"] tr.sa__row--dropped').count()).toBe(1);
  await expect.poll(() => query(page).get('secagg.dropped')).toBe('4');

  await page.locator('#secagg-recover').check();
  await expect.poll(async () => (await inspect(page)).exact).toBe(true);
  s = await inspect(page);
  expect(s.sum).toEqual(s.trueSum);
  expect(await edges(page, '#0a7d3c')).toBe(3);
  expect(await widget.locator('[data-view="log"]').textContent()).toContain('클라이언트 3의 비밀 키를 복원했습니다 (원래 값과 같음)');
  await expect.poll(() => widget.locator('[data-live]').textContent(), { timeout: 8000 }).toContain('정확히 같습니다');

  // The focus table explains one client's masking; it follows the slider.
  await page.locator('#secagg-focus').focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => widget.locator('[data-focus-title]').textContent()).toContain('클라이언트 2의 마스킹');
  expect(await widget.locator('[data-view="focus"] tbody tr').count()).toBe(1 + 3 + 1);

  await visit.done(3000);
});

test('too few clients left: the masks cannot be recovered, and the page says why in Korean', async () => {
  const visit = await w.openReady(browser, 'secagg.dropped=7&secagg.recover=1');
  const s = await inspect(visit.page);
  expect(s.dropped).toEqual([0, 1, 2]);
  expect(s.recovered).toBe(false);
  expect(s.failure).toContain('최소 3명');
  expect(await visit.page.locator(`${TAG} [data-verdict]`).textContent()).toContain('합을 계산하지 못했습니다');
  await visit.done();
});

test('the address round-trips (double masking, two dropouts), and the seed fixes every number', async () => {
  const q = '?secagg.clients=6&secagg.dim=2&secagg.dropped=5&secagg.recover=1&secagg.double=1&secagg.seed=9';
  const first = await w.openReady(browser, q);
  const a = await inspect(first.page);
  expect(a.n).toBe(6);
  expect(a.threshold).toBe(4);
  expect(a.dropped).toEqual([0, 2]);
  expect(a.exact).toBe(true);
  expect(a.masked[0]).toHaveLength(2);
  expect(await first.page.locator(`${TAG} input[data-drop="0"]`).isChecked()).toBe(true);
  expect(await first.page.locator(`${TAG} input[data-drop="1"]`).isChecked()).toBe(false);
  expect(await first.page.locator(`${TAG} input[data-drop="5"]`).isVisible()).toBe(true);
  expect(await first.page.locator(`${TAG} input[data-drop="6"]`).isVisible()).toBe(false);
  expect(await first.page.locator('#secagg-double').isChecked()).toBe(true);
  await first.close();

  const second = await w.openReady(browser, q);
  expect((await inspect(second.page)).masked).toEqual(a.masked);
  // Without recovery, double masking leaves every self-mask in the sum.
  await second.page.locator('#secagg-recover').uncheck();
  await expect.poll(async () => (await inspect(second.page)).exact).toBe(false);
  await expect.poll(() => query(second.page).get('secagg.recover')).toBe('0');
  await second.done();
});

test('bad values in the address are corrected with a Korean notice', async () => {
  const visit = await w.openReady(browser, 'secagg.clients=20&secagg.dropped=-1&secagg.double=maybe');
  const text = await visit.page.locator(`${TAG} [data-notices]`).textContent();
  expect(text).toContain('클라이언트 수: 허용 범위를 넘는 값이라 최댓값으로 맞췄습니다.');
  expect(text).toContain('이탈한 클라이언트: 허용 범위보다 작은 값이라 최솟값으로 맞췄습니다.');
  expect(text).toContain('자기 마스크도 더하기 (이중 마스킹): 주소에 적힌 값을 쓸 수 없어 기본값으로 되돌렸습니다.');
  const s = await inspect(visit.page);
  expect(s.n).toBe(8);
  expect(s.exact).toBe(true);
  await visit.done();
});

test('download the values as CSV', async () => {
  const visit = await w.openReady(browser, 'secagg.dropped=2');
  const lines = await w.csvLines(visit.page, '[data-action="export-csv"]');
  expect(lines[0]).toBe('client,coordinate,update,encoded,masked,dropped');
  expect(lines).toHaveLength(1 + 4 * 3);
  // Client 2 dropped: no masked value, flagged.
  expect(lines.filter((l) => l.startsWith('2,')).every((l) => l.endsWith(',,1'))).toBe(true);
  await visit.done();
});

test('axe-clean in light and dark, and no sideways scrolling on a phone', async () => {
  const visit = await w.openReady(browser, 'secagg.dropped=2');
  await expectAxeClean(visit.page, { include: '#secure-aggregation' });
  // The same widget in the dark theme on a phone's screen, in the same visit.
  await expectFitsPhone(visit.page, TAG, { dark: true, include: '#secure-aggregation' });
  await visit.done();
});
