/**
 * Chapter 6, figure 4: the ε calculator in a real browser. It computes with the engine's
 * accountant (Abadi et al.'s setting gives 1.04 with the improved conversion, 1.26 with the
 * classic one), reads ε out in Korean, follows the keyboard and the address, corrects bad address
 * values with a Korean notice, and is axe-clean at 360 px in the dark theme.
 */
import { expect, test } from 'vitest';
import { browserForSuite, expectAxeClean } from './harness';
import { overflowX, pressMoving, query, widgetTest } from './widget-helpers';
import type { EpsInspection as Inspection } from '~/widgets/epsilon-calculator/main';

const PATH = 'chapters/privacy/';
const TAG = 'epsilon-calculator';

const browser = browserForSuite();

const w = widgetTest<Inspection>(PATH, TAG, { json: false });
const { inspect } = w;

test('Abadi et al.’s setting, read in Korean; the keyboard moves z and the address follows', async () => {
  const visit = await w.openReady(browser);
  const { page } = visit;
  const widget = page.locator(TAG);
  const a = await inspect(page);
  expect([a.q, a.z, a.rounds, a.delta]).toEqual([0.01, 4, 10000, 1e-5]);
  expect(a.epsilon).toBeCloseTo(1.0355, 4);
  expect(a.classic).toBeCloseTo(1.2586, 4);
  expect(a.order).toBe(17);
  expect(await widget.locator('[data-out="epsilon"]').textContent()).toBe('1.04');
  expect(await widget.locator('[data-out="classic"]').textContent()).toBe('1.26');
  expect(await widget.locator('[data-out="ratio"]').textContent()).toBe('2.82배');
  const reading = await widget.locator('[data-out="reading"]').textContent();
  expect(reading).toContain('e^ε ≈ 2.82배');
  expect(reading).toContain('δ = 10⁻⁵');
  // The curve grows with the rounds and ends at the reported ε.
  expect(a.curve.at(-1)!.epsilon).toBeCloseTo(a.epsilon, 12);
  for (let i = 1; i < a.curve.length; i++) expect(a.curve[i].epsilon).toBeGreaterThan(a.curve[i - 1].epsilon);
  await expect.poll(() => widget.locator('[data-view="curve"] svg').count()).toBe(1);

  // Keyboard: z from 4 down to 3, then 2: ε grows; the address says so.
  await pressMoving(page.locator('#eps-z'), 'ArrowLeft', 2);
  await expect.poll(async () => (await inspect(page)).z).toBe(2);
  const b = await inspect(page);
  expect(b.epsilon).toBeGreaterThan(2 * a.epsilon);
  await expect.poll(() => query(page).get('eps.z')).toBe('2');
  await expect.poll(() => widget.locator('[data-live]').textContent(), { timeout: 8000 }).toContain('z = 2');
  // Rounds down by one step (10,000 → 5,000): ε falls.
  await pressMoving(page.locator('#eps-rounds'), 'ArrowLeft');
  await expect.poll(async () => (await inspect(page)).rounds).toBe(5000);
  expect((await inspect(page)).epsilon).toBeLessThan(b.epsilon);
  await visit.done();
});

test('bad address values are clamped with a Korean notice; axe-clean and no sideways scroll at 360 px, dark', async () => {
  const visit = await w.openReady(browser, 'eps.q=abc&eps.z=999&eps.rounds=-5&eps.delta=0.5', { viewport: 'mobile', colorScheme: 'dark' });
  const { page } = visit;
  const notices = await page.locator(`${TAG} [data-notices]`).textContent();
  expect(notices).toContain('라운드마다 한 사람이 뽑힐 확률 q: 주소에 적힌 값을 쓸 수 없어 기본값으로 되돌렸습니다.');
  expect(notices).toContain('노이즈 배수 z: 허용 범위를 넘는 값이라 최댓값으로 맞췄습니다.');
  expect(notices).toContain('라운드 수 T');
  expect(notices).toContain('실패 확률 δ');
  const s = await inspect(page);
  expect([s.q, s.z, s.rounds, s.delta]).toEqual([0.01, 16, 1, 1e-3]);
  expect(Number.isFinite(s.epsilon)).toBe(true);
  expect(s.epsilon).toBeGreaterThan(0);
  await expectAxeClean(page, { include: '#epsilon-calculator' });
  expect(await overflowX(page)).toBeLessThanOrEqual(0);
  await visit.done();
});
