/**
 * Chapter 6, figure 3: DP-FedAvg trained by the real engine in the runtime's worker, as the paper
 * defines it (Poisson client sampling, σ = zS/(qK)). Every round draws the clients' updates before
 * and after clipping and the noise the server added, and the ε spent so far (the engine's
 * accountant); S = 0 with z > 0 is refused in Korean; the z sweep fills the privacy–utility curve
 * (accuracy against ε); the same address trains the same run.
 */
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForSuite, expectAxeClean } from './harness';
import { expectFitsPhone, query, widgetTest } from './widget-helpers';
import { privacySpent } from '~/engine/privacy/accountant';
import type { DpInspection as Inspection } from '~/widgets/dp-fedavg/main';

const PATH = 'chapters/privacy/';
const TAG = 'dp-fedavg';

const browser = browserForSuite();

const w = widgetTest<Inspection>(PATH, TAG, { json: false });
const { inspect } = w;

/**
 * The run has finished and what it drew is on the page: nothing in the widget is aria-busy (the
 * pictures and charts draw through the page's queue, which on a loaded machine can lag the run by
 * seconds), as `waitRun` waits for the other widgets.
 */
const finished = async (page: Page, timeout = 90_000) => {
  await w.waitData(page, 'status===finished', timeout);
  await page.waitForFunction((tag) => !document.querySelector(tag)?.querySelector('[aria-busy="true"]'), TAG, { timeout });
};

test('trains in the worker and draws every round’s clipping and noise', async () => {
  const visit = await w.openReady(browser, 'dpfed.rounds=20');
  const { page } = visit;
  await finished(page);
  const s = await inspect(page);
  expect(s.config).toMatchObject({ algorithm: 'dpfedavg', clip: 0.3, noise: 1, clients: 20, rounds: 20 });
  expect(s.backend).toMatchObject({ backend: 'wasm', thread: 'worker' });
  expect(s.rows).toHaveLength(20);
  expect(s.clips).toHaveLength(20);
  // Poisson sampling with q = 0.5 of K = 20: about 10 a round, not always 10.
  const sizes = s.clips.map((c) => c.participants);
  expect(new Set(sizes).size).toBeGreaterThan(1);
  expect(Math.abs(sizes.reduce((a, b) => a + b, 0) / sizes.length - 10)).toBeLessThan(3);
  // ε after every round, from the engine's accountant: growing, and the accountant's value.
  s.rows.forEach((r, i) => expect(r.epsilon).toBeCloseTo(privacySpent({ sampleRate: 0.5, noiseMultiplier: 1, steps: i + 1, delta: 1e-5 }).epsilon, 9));
  // Clipping: what was sent never exceeds S; some updates were longer and got cut.
  for (const a of s.arrows) {
    expect(a.clipped).toBeLessThanOrEqual(0.3 + 1e-6);
    expect(a.clipped).toBeCloseTo(Math.min(a.norm, 0.3), 6);
  }
  expect(s.clips.some((c) => c.clipped > 0)).toBe(true);
  // Noise: σ = zS/(qK) = 0.03 per parameter, so the added vector is far from zero.
  expect(s.server!.noise).toBeGreaterThan(0.05);
  // The mean of clipped updates is at most S long.
  expect(s.server!.mean).toBeLessThanOrEqual(0.3 + 1e-6);
  expect(s.rows[s.rows.length - 1].testAccuracy).toBeGreaterThan(0.7);
  // The picture: one sent arrow per participant (plus the cut parts), and three bars. It follows
  // the rounds at most every 150 ms, through the page's draw queue: its last round comes in its turn.
  const widget = page.locator(TAG);
  await expect.poll(() => widget.locator('[data-view="updates"] line[stroke="#0b5394"]').count()).toBe(sizes[sizes.length - 1]);
  await expect.poll(() => widget.locator('[data-view="curves"] svg').count()).toBe(1);
  await expect.poll(() => widget.locator('[data-view="epsilon"] svg').count()).toBe(1);
  await expect.poll(() => widget.locator('[data-view="epsilon"] svg').textContent()).toContain(`ε = ${s.rows[19].epsilon!.toFixed(2)}`);
  await expect.poll(() => widget.locator('[data-live]').textContent(), { timeout: 8000 }).toContain('학습을 마쳤습니다');
  expect(await widget.locator('[data-live]').textContent()).toContain(`ε = ${s.rows[19].epsilon!.toFixed(2)} (δ = 10⁻⁵)`);

  // z by keyboard (1 → 2): a new run with the new noise, and the address follows.
  const before = s.runId;
  await page.locator('#dpfed-noise').focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await inspect(page)).config?.noise, { timeout: 10_000 }).toBe(2);
  expect((await inspect(page)).runId).not.toBe(before);
  await expect.poll(() => query(page).get('dpfed.noise')).toBe('2');
  expect(await widget.locator('[data-sigma]').textContent()).toContain('σ = z·S/(qK) = 0.06');
  await finished(page);
  // Both runs are on the accuracy-against-noise curve now.
  expect((await inspect(page)).curve.map((p) => p.z)).toEqual([1, 2]);

  await visit.done(3000);
});

test('without clipping and noise it is plain FedAvg: nothing cut, no noise', async () => {
  const visit = await w.openReady(browser, 'dpfed.clip=0&dpfed.noise=0&dpfed.rounds=10');
  await finished(visit.page);
  const s = await inspect(visit.page);
  expect(s.clips.every((c) => c.clipped === 0)).toBe(true);
  expect(s.server!.noise).toBeLessThan(1e-5);
  expect(s.server!.applied).toBeCloseTo(s.server!.mean, 5);
  await visit.done();
});

test('noise without clipping is refused with a Korean explanation', async () => {
  const visit = await w.openReady(browser, 'dpfed.clip=0&dpfed.noise=4');
  const alert = await w.expectAlert(visit.page, '클리핑 노름 S가 0보다 커야 합니다');
  const s = await inspect(visit.page);
  expect(s.status).toBe('invalid');
  expect(s.rows).toHaveLength(0);
  // Giving S a value starts training.
  await visit.page.locator('#dpfed-clip').focus();
  await visit.page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await inspect(visit.page)).config?.clip, { timeout: 10_000 }).toBe(0.05);
  expect(await alert.isVisible()).toBe(false);
  await visit.done();
});

test('the z sweep fills the accuracy-against-noise curve, and more noise costs accuracy', async () => {
  const visit = await w.openReady(browser, 'dpfed.rounds=20&dpfed.noise=1');
  const { page } = visit;
  await finished(page);
  await page.locator(`${TAG} [data-action="sweep"]`).click();
  await expect.poll(async () => (await inspect(page)).sweeping).toBe(true);
  await page.waitForFunction((tag) => (document.querySelector(tag) as HTMLElement).dataset.sweep === 'idle', TAG, { timeout: 180_000 });
  await finished(page);
  const s = await inspect(page);
  expect(s.curve.map((p) => p.z)).toEqual([0, 0.5, 1, 2, 4, 8, 16]);
  const acc = Object.fromEntries(s.curve.map((p) => [p.z, p.accuracy]));
  expect(acc[16]).toBeLessThan(acc[0] - 0.1);
  // The privacy–utility curve: more noise, smaller ε; z = 0 has no guarantee.
  const eps = s.curve.map((p) => p.epsilon);
  expect(eps[0]).toBeNull();
  for (let i = 2; i < eps.length; i++) expect(eps[i]!).toBeLessThan(eps[i - 1]!);
  // The sweep ends on the reader's own z.
  expect(s.config?.noise).toBe(1);
  expect(query(page).get('dpfed.noise')).toBe('1');
  await expect.poll(() => page.locator(`${TAG} [data-view="noise"] svg`).count()).toBe(1);

  const lines = await w.csvLines(page, '[data-action="export-noise-csv"]');
  expect(lines[0]).toBe('z,epsilon,final_test_accuracy,rounds');
  expect(lines[1]).toMatch(/^0,inf,/);
  expect(lines).toHaveLength(8);
  await visit.done();
});

test('the same address trains the same run; bad values are corrected in Korean', async () => {
  const q = '?dpfed.data=moons&dpfed.clients=10&dpfed.fraction=1&dpfed.rounds=10&dpfed.clip=0.5&dpfed.noise=2&dpfed.seed=5';
  const runs: number[][] = [];
  for (let i = 0; i < 2; i++) {
    const visit = await w.openReady(browser, q);
    await finished(visit.page);
    const s = await inspect(visit.page);
    expect(s.config).toMatchObject({ clients: 10, clip: 0.5, noise: 2, rounds: 10 });
    expect(await visit.page.locator('#dpfed-data').inputValue()).toBe('moons');
    runs.push(s.rows.map((r) => r.testAccuracy));
    await visit.done();
  }
  expect(runs[1]).toEqual(runs[0]);

  const bad = await w.openReady(browser, 'dpfed.clip=0.25&dpfed.clients=7&dpfed.data=mnist&dpfed.rounds=10');
  const text = await bad.page.locator(`${TAG} [data-notices]`).textContent();
  expect(text).toContain('클리핑 노름 S: 고를 수 있는 값이 아니어서 가장 가까운 값으로 맞췄습니다.');
  expect(text).toContain('클라이언트 수 K: 고를 수 있는 값이 아니어서 가장 가까운 값으로 맞췄습니다.');
  expect(text).toContain('데이터셋: 주소에 적힌 값을 쓸 수 없어 기본값으로 되돌렸습니다.');
  await finished(bad.page);
  await bad.done();
});

test('axe-clean in light and dark, and no sideways scrolling on a phone', async () => {
  const visit = await w.openReady(browser, 'dpfed.rounds=10');
  await finished(visit.page);
  await expectAxeClean(visit.page, { include: '#dp-fedavg' });
  // The same widget in the dark theme on a phone's screen, in the same visit.
  await expectFitsPhone(visit.page, TAG, { dark: true, include: '#dp-fedavg' });
  await visit.done();
});
