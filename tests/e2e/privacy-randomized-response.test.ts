/**
 * Chapter 6, figure 1: the randomized-response widget in a real browser. Controls change what is
 * drawn, the address round-trips, bad values are corrected with a Korean notice, the same seed
 * gives the same survey, downloads work, and the figure is axe-clean in both themes.
 */
import { expect, test } from 'vitest';
import { browserForSuite, expectAxeClean, openPage } from './harness';
import { expectFitsPhone, query, widgetTest } from './widget-helpers';
import type { RrInspection as Inspection } from '~/widgets/randomized-response/main';

const PATH = 'chapters/privacy/';
const TAG = 'randomized-response';

const browser = browserForSuite();

const w = widgetTest<Inspection>(PATH, TAG, { json: false });
const { inspect } = w;

test('draws a survey, and the f slider changes ε, the answers and the address', async () => {
  const visit = await w.openReady(browser);
  const { page } = visit;
  const widget = page.locator(TAG);
  const before = await inspect(page);
  expect(before.n).toBe(1000);
  expect(before.trueYes).toBe(300);
  expect(before.epsilon).toBeCloseTo(Math.log(3), 9);
  await expect.poll(() => widget.locator('[data-out="epsilon"]').textContent()).toBe('1.099 = ln 3');
  // 400 respondents are drawn as squares.
  await expect.poll(() => widget.locator('[data-view="people"] rect').count()).toBe(400);
  await expect.poll(() => widget.locator('[data-view="estimate"] svg').count()).toBe(1);

  // Keyboard: f from 0.5 to 0.55.
  await page.locator('#rr-f').focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await inspect(page)).epsilon).toBeCloseTo(Math.log(0.725 / 0.275), 9);
  const after = await inspect(page);
  expect(after.answers).not.toBe(before.answers);
  await expect.poll(() => query(page).get('rr.f')).toBe('0.55');
  expect(await widget.locator('[data-out="epsilon"]').textContent()).toMatch(/^0\.969/);
  // The live summary says it in words.
  // (The runtime throttles the live region to one update every few seconds.)
  await expect.poll(() => widget.locator('[data-live]').textContent(), { timeout: 8000 }).toContain('f = 0.55');

  // The error chart is computed for the whole ε grid and marks the current ε.
  await page.waitForFunction((tag) => (document.querySelector(tag) as HTMLElement).dataset.errorState === 'done', TAG);
  const errors = (await inspect(page)).errorPoints;
  expect(errors.length).toBe(12);
  expect(errors[0].rmse).toBeGreaterThan(errors[errors.length - 1].rmse * 5);

  // Switching to the π form shows the π slider and hides f.
  await page.locator('#rr-form').selectOption('pi');
  await expect.poll(() => page.locator('#rr-pi').isVisible()).toBe(true);
  expect(await page.locator('#rr-f').isVisible()).toBe(false);
  await expect.poll(async () => (await inspect(page)).epsilon).toBeCloseTo(Math.log(3), 9);

  await visit.done(3000);
});

test('the address round-trips, and the same seed gives the same survey', async () => {
  const q = '?rr.form=coin&rr.f=0.25&rr.n=5000&rr.rate=12&rr.seed=77&rr.runs=20&rr.reveal=0';
  const first = await w.openReady(browser, q);
  const a = await inspect(first.page);
  expect(a.n).toBe(5000);
  expect(a.trueYes).toBe(600);
  expect(a.epsilon).toBeCloseTo(Math.log(7), 9);
  expect(await first.page.locator('#rr-f').inputValue()).toBe('0.25');
  expect(await first.page.locator(`${TAG} [data-readout="n"]`).textContent()).toBe('5000 명');
  expect(await first.page.locator('#rr-reveal').isChecked()).toBe(false);
  // Hidden truth: the table shows question marks, not counts.
  expect(await first.page.locator('[data-view="table"] td').first().textContent()).toBe('?');
  // Share: the address the runtime writes holds every value.
  await first.page.locator(`${TAG} [data-action="share"]`).click();
  const shared = query(first.page);
  expect(shared.get('rr.seed')).toBe('77');
  expect(shared.get('rr.rate')).toBe('12');
  const url = first.page.url();
  await first.close();

  const second = await openPage(browser, url.replace(/^https?:\/\/[^/]+\//, ''));
  await w.ready(second.page);
  const b = await inspect(second.page);
  expect(b.answers).toBe(a.answers);
  expect(b.estimate).toBe(a.estimate);

  // "새 사람들로 다시 조사하기" draws a new seed and a new survey.
  await second.page.locator(`${TAG} .pw__actions [data-action="reseed"]`).click();
  await expect.poll(async () => (await inspect(second.page)).answers).not.toBe(a.answers);
  await expect.poll(() => query(second.page).get('rr.seed')).not.toBe('77');
  await second.done();
});

test('bad values in the address are corrected with a Korean notice', async () => {
  const visit = await w.openReady(browser, 'rr.f=abc&rr.n=99999999&rr.rate=-5&rr.bogus=1');
  const notices = visit.page.locator(`${TAG} [data-notices]`);
  const text = await notices.textContent();
  expect(text).toContain('동전에 맡길 확률 f: 주소에 적힌 값을 쓸 수 없어 기본값으로 되돌렸습니다.');
  expect(text).toContain('응답자 수: 허용 범위를 넘는 값이라 최댓값으로 맞췄습니다.');
  expect(text).toContain('최솟값으로 맞췄습니다');
  expect(text).toContain('알 수 없는 설정(bogus)은 무시했습니다.');
  const s = await inspect(visit.page);
  expect(s.n).toBe(10000);
  expect(s.trueYes).toBe(0);
  expect(s.epsilon).toBeCloseTo(Math.log(3), 9);
  await visit.done();
});

test('downloads: answers as CSV, settings as JSON, the chart as SVG', async () => {
  const visit = await w.openReady(browser, 'rr.n=100&rr.seed=3');
  const { page } = visit;
  const lines = await w.csvLines(page, '[data-action="export-csv"]');
  expect(lines[0]).toBe('person,truth,answer,how');
  expect(lines).toHaveLength(101);

  const body = JSON.parse(await w.downloadText(page, '[data-action="export-json"]'));
  expect(body.settings.seed).toBe(3);
  expect(body.result.n).toBe(100);

  const svgText = await w.downloadText(page, '[data-action="export-svg"][data-target="estimate"]');
  expect(svgText).toContain('<svg');
  expect(svgText).toContain('보정한 추정');
  // Plot's chart style, kept once in the page's <head>, is written into the file.
  expect(svgText).toMatch(/<style>:where\(\.plot-[0-9a-f]+\)/);
  // Its labels in the page's fonts (a stylesheet rule on the page, Plot's system-ui in the attribute).
  expect(svgText).toMatch(/<svg[^>]* font-family="Pretendard, [^"]*sans-serif"/);
  await visit.done();
});

test('axe-clean in light and dark, on a phone-sized screen too', async () => {
  const visit = await w.openReady(browser, '');
  await visit.page.waitForFunction((tag) => (document.querySelector(tag) as HTMLElement).dataset.errorState === 'done', TAG);
  await expectAxeClean(visit.page, { include: '#randomized-response' });
  // The same widget in the dark theme on a phone's screen, in the same visit.
  await expectFitsPhone(visit.page, TAG, { dark: true, include: '#randomized-response' });
  await visit.done();
});
