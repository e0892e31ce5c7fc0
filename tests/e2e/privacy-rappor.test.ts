/**
 * Chapter 6, figure 2: RAPPOR in a real browser. The privacy budgets match the paper's
 * reference values, reporting again keeps the permanent response and draws new bits, the
 * population is decoded, invalid combinations explain themselves in Korean, basic RAPPOR fixes
 * k, h and m, and the settings round-trip through the address.
 */
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForSuite, expectAxeClean } from './harness';
import { overflowX, query, widgetTest } from './widget-helpers';
import type { RapporInspection as Inspection } from '~/widgets/rappor/main';

const PATH = 'chapters/privacy/';
const TAG = 'rappor-widget';

const browser = browserForSuite();

const w = widgetTest<Inspection>(PATH, TAG, { json: false });
const { inspect } = w;
const populationDone = (page: Page) => w.waitData(page, 'population===done', 30_000);

test('reference settings: ε∞ = 4 ln 3, a report’s life, and a decoded population', async () => {
  const visit = await w.openReady(browser);
  const { page } = visit;
  const widget = page.locator(TAG);
  const s = await inspect(page);
  expect(s.params).toEqual({ k: 16, h: 2, cohorts: 64, f: 0.5, p: 0.5, q: 0.75 });
  expect(s.epsInf).toBeCloseTo(4 * Math.log(3), 9);
  expect(await widget.locator('[data-out="epsInf"]').textContent()).toBe('4.394 = 4 ln 3');
  expect(await widget.locator('[data-out="epsOne"]').textContent()).toBe('1.074');
  expect(s.bloom).toMatch(/^[01]{16}$/);
  expect(s.reports).toHaveLength(3);
  // Rows B, B′, three reports and their mean: 6 rows of 16 cells.
  await expect.poll(() => widget.locator('[data-view="life"] rect.rappor-bits__cell').count()).toBe(6 * 16);

  await populationDone(page);
  const pop = (await inspect(page)).population!;
  expect(pop.total).toBe(30000);
  const held = pop.estimates.filter((e) => e.truth > 0);
  const unheld = pop.estimates.filter((e) => e.truth === 0);
  // The most common value is found; nobody-held values are (almost always) not.
  expect(held[0].detected).toBe(true);
  expect(Math.abs(held[0].count - held[0].truth)).toBeLessThan(0.25 * held[0].truth);
  expect(unheld.filter((e) => e.detected).length).toBeLessThanOrEqual(1);
  await expect.poll(() => widget.locator('[data-view="population"] svg').count()).toBe(1);

  // Report again: the permanent response stays, a new report row appears.
  await widget.locator('[data-action="report-again"]').click();
  await expect.poll(async () => (await inspect(page)).reports.length).toBe(4);
  const again = await inspect(page);
  expect(again.prr).toBe(s.prr);
  expect(again.reports.slice(0, 3)).toEqual(s.reports);
  await expect.poll(() => query(page).get('rappor.reports')).toBe('4');
  // Reporting again does not re-run the population.
  expect(again.population!.key).toBe(pop.key);

  // Another person: another cohort or other coins, same value.
  await widget.locator('[data-action="new-person"]').click();
  await expect.poll(async () => (await inspect(page)).prr).not.toBe(s.prr);

  // f by keyboard: 0.5 → 0.55 changes ε∞ and re-runs the population.
  await page.locator('#rappor-f').focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await inspect(page)).epsInf).toBeCloseTo(4 * Math.log((1 - 0.275) / 0.275), 9);
  await populationDone(page);
  expect((await inspect(page)).population!.key).not.toBe(pop.key);

  await visit.done(3000);
});

test('q not above p: the page explains in Korean and decodes nothing', async () => {
  const visit = await w.openReady(browser, 'rappor.p=0.6&rappor.q=0.4');
  const alert = await w.expectAlert(visit.page, 'q는 p보다 커야 합니다');
  const s = await inspect(visit.page);
  expect(s.population).toBeNull();
  expect(await visit.page.locator(`${TAG} [data-out="epsOne"]`).textContent()).toBe('—');
  // Fixing it brings the decoding back.
  await visit.page.locator('#rappor-q').focus();
  for (let i = 0; i < 6; i++) await visit.page.keyboard.press('ArrowRight');
  await populationDone(visit.page);
  expect(await alert.isVisible()).toBe(false);
  await visit.done();
});

test('basic RAPPOR: one bit per category, k, h and m fixed', async () => {
  const visit = await w.openReady(browser, 'rappor.encoding=basic&rappor.n=10000&rappor.value=map.example');
  const { page } = visit;
  const s = await inspect(page);
  expect(s.encoding).toBe('basic');
  expect(s.params).toMatchObject({ k: 16, h: 1, cohorts: 1 });
  expect(s.epsInf).toBeCloseTo(2 * Math.log(3), 9);
  // map.example is the fifth candidate: bit 4 and only bit 4.
  expect(s.bloom).toBe('0000100000000000');
  // k, h and m are fixed: their controls are hidden, and the encoding's hint says their values.
  for (const id of ['k', 'h', 'm']) expect(await page.locator(`#rappor-${id}`).isVisible()).toBe(false);
  expect(await page.locator('#rappor-encoding-hint').textContent()).toContain('k = 범주 수(16), h = 1, 코호트 1개');
  await populationDone(page);
  const pop = (await inspect(page)).population!;
  expect(pop.total).toBe(10000);
  await visit.done();
});

test('the address round-trips and the seed fixes every bit and estimate', async () => {
  const q = '?rappor.k=32&rappor.h=3&rappor.m=8&rappor.f=0.25&rappor.n=3000&rappor.value=bank.example&rappor.reports=5&rappor.seed=42';
  const first = await w.openReady(browser, q);
  await populationDone(first.page);
  const a = await inspect(first.page);
  expect(a.params).toEqual({ k: 32, h: 3, cohorts: 8, f: 0.25, p: 0.5, q: 0.75 });
  expect(a.reports).toHaveLength(5);
  expect(a.epsInf).toBeCloseTo(6 * Math.log(7), 9);
  expect(await first.page.locator('#rappor-value').inputValue()).toBe('bank.example');
  await first.close();

  const second = await w.openReady(browser, q);
  await populationDone(second.page);
  const b = await inspect(second.page);
  expect(b.reports).toEqual(a.reports);
  expect(b.population!.estimates).toEqual(a.population!.estimates);
  await second.done();
});

test('bad values in the address are corrected with a Korean notice', async () => {
  const visit = await w.openReady(browser, 'rappor.k=5&rappor.f=2&rappor.value=evil.example');
  const text = await visit.page.locator(`${TAG} [data-notices]`).textContent();
  expect(text).toContain('블룸 필터 크기 k: 고를 수 있는 값이 아니어서 가장 가까운 값으로 맞췄습니다.');
  expect(text).toContain('영구 단계의 f: 허용 범위를 넘는 값이라 최댓값으로 맞췄습니다.');
  expect(text).toContain('이 사람의 값: 주소에 적힌 값을 쓸 수 없어 기본값으로 되돌렸습니다.');
  const s = await inspect(visit.page);
  expect([4, 8]).toContain(s.params.k);
  expect(s.params.f).toBe(0.95);
  await visit.done();
});

test('downloads and accessibility', async () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    const visit = await w.openReady(browser, 'rappor.n=3000', { colorScheme, viewport: colorScheme === 'dark' ? 'mobile' : 'desktop' });
    const { page } = visit;
    await populationDone(page);
    if (colorScheme === 'light') {
      const lines = await w.csvLines(page, '[data-action="export-csv"]');
      expect(lines[0]).toBe('value,true_count,estimate,std_error,detected');
      expect(lines).toHaveLength(17);
    }
    await expectAxeClean(page, { include: '#rappor' });
    expect(await overflowX(page)).toBeLessThanOrEqual(0);
    await visit.done();
  }
});
