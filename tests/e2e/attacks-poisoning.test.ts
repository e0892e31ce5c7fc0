/**
 * The attacks chapter, figure "poisoning": six aggregation rules trained one after another in the
 * worker on the same poisoned digits; under sign flipping the mean collapses while the median,
 * trimmed mean and Krum hold; every control, the address, bad addresses, the keyboard, axe and a
 * 360 px screen — one page load per viewport, plus one for a bad address.
 */
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForSuite, expectAxeClean, launchBrowser, openPage } from './harness';
import { pressMoving, watchRewrites, widgetTest } from './widget-helpers';
import type { PoisonInspection as Inspection } from '~/widgets/poisoning/main';

const PATH = 'chapters/attacks/';
const TAG = 'poisoning-lab';
const SHOTS = process.env.POISON_SHOTS;

const browser = browserForSuite();

const w = widgetTest<Inspection>(PATH, TAG, { json: false });
const { inspect } = w;
const rule = (s: Inspection, r: string) => s.rules.find((x) => x.rule === r)!;
const last = (xs: number[]) => xs[xs.length - 1];
const finished = (page: Page, timeout = 120_000) => expect.poll(async () => (await inspect(page)).status, { timeout, interval: 500 }).toBe('finished');

test('sign flipping: the mean collapses, median, trimmed mean and Krum hold; the map and the controls', async () => {
  // Five rounds keep the six runs short; the address sets them.
  const visit = await w.openReady(browser, 'poison.rounds=5');
  const { page } = visit;
  const widget = page.locator(TAG);
  await finished(page);
  let s = await inspect(page);
  expect(s.rules.every((r) => r.status === 'finished' && r.accuracy.length === 5)).toBe(true);
  expect(rule(s, 'mean').malicious).toHaveLength(3);
  const mean = last(rule(s, 'mean').accuracy);
  expect(mean).toBeLessThan(0.35);
  for (const r of ['median', 'trimmed', 'krum']) expect(last(rule(s, r).accuracy), r).toBeGreaterThan(mean + 0.3);
  // The map: ten updates, three malicious and drawn as such, one diamond per rule.
  expect(s.map!.clients).toHaveLength(10);
  expect(s.map!.clients.filter((c) => c.malicious)).toHaveLength(3);
  expect(s.map!.aggregates.map((a) => a.rule)).toEqual(['mean', 'median', 'trimmed', 'krum', 'clip', 'centered']);
  // Sign-flipped updates point backwards along the honest direction.
  for (const c of s.map!.clients.filter((c) => c.malicious)) expect(c.x).toBeLessThan(0);
  expect(await widget.locator('[data-view="map"] .robust-map__client.is-malicious').count()).toBe(3);
  expect(await widget.locator('[data-view="map"] .robust-map__agg').count()).toBe(6);
  expect(await widget.locator('[data-view="table"] tbody tr').count()).toBe(6);
  await expect.poll(() => widget.locator('[data-live]').textContent(), { timeout: 8000 }).toContain('모든 실험을 마쳤습니다');
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/poison-desktop.png`, fullPage: false, clip: (await widget.boundingBox()) ?? undefined });

  // View-only controls redraw without a new run: the map's experiment and round.
  const runId = s.runId;
  await page.locator('#poison-focus').selectOption('mean');
  await pressMoving(page.locator('#poison-round'), 'ArrowRight', 2);
  await expect.poll(async () => (await inspect(page)).map?.rule).toBe('mean');
  s = await inspect(page);
  expect(s.map!.round).toBe(2);
  expect(s.runId).toBe(runId);
  await expect.poll(() => new URL(page.url()).searchParams.get('poison.focus')).toBe('mean');

  // Secure aggregation: only the mean runs, the other rules say why.
  await page.locator('#poison-secure').check();
  await finished(page);
  s = await inspect(page);
  expect(rule(s, 'mean').status).toBe('finished');
  for (const r of ['median', 'trimmed', 'krum', 'clip', 'centered']) {
    expect(rule(s, r).status, r).toBe('blocked');
    expect(rule(s, r).message).toContain('합만');
  }
  expect(await widget.locator('[data-note="krum"]').textContent()).toContain('실행할 수 없음');
  await expect.poll(() => new URL(page.url()).searchParams.get('poison.secure')).toBe('1');

  // Backdoor with every other control moved: the address carries them all.
  await page.locator('#poison-secure').uncheck();
  await page.locator('#poison-attack').selectOption('backdoor');
  await pressMoving(page.locator('#poison-scale'), 'ArrowLeft', 2); // 4 → 2 → 1
  await pressMoving(page.locator('#poison-malicious'), 'ArrowLeft', 1); // 0.3 → 0.2
  await pressMoving(page.locator('#poison-trim'), 'ArrowLeft', 1); // 0.3 → 0.2
  await page.locator('#poison-partition').selectOption('dirichlet');
  await page.locator('#poison-seed').fill('7');
  await page.locator('#poison-seed').press('Enter');
  await finished(page);
  s = await inspect(page);
  const params = () => {
    const q = new URL(page.url()).searchParams;
    return Object.fromEntries(['attack', 'scale', 'malicious', 'trim', 'partition', 'seed'].map((k) => [k, q.get(`poison.${k}`)]));
  };
  await expect.poll(params).toEqual({
    attack: 'backdoor',
    scale: '1',
    malicious: '0.2',
    trim: '0.2',
    partition: 'dirichlet',
    seed: '7',
  });
  expect(rule(s, 'mean').malicious).toHaveLength(2);
  expect(s.rules.every((r) => r.backdoor.length === 5)).toBe(true);
  expect(last(rule(s, 'mean').backdoor)).toBeGreaterThan(last(rule(s, 'median').backdoor));

  await expectAxeClean(page, { include: TAG });
  await visit.done(3000);
});

test('a bad address is clamped and explained; 360 px puts the picture first', async () => {
  const mobile = await launchBrowser({ viewport: 'mobile' });
  try {
    const visit = await openPage(mobile, `${PATH}?poison.malicious=7&poison.attack=zzz&poison.rounds=-3&poison.trim=0.33&poison.focus=nope`);
    const { page } = visit;
    await w.ready(page);
    const widget = page.locator(TAG);
    // Korean notices for the bad values, and controls at valid values.
    const notices = await widget.locator('[data-notice], .ctl-notice, [role="status"]').allTextContents();
    expect(notices.join(' ')).toMatch(/[가-힣]/);
    expect(await page.locator('#poison-attack').inputValue()).toBe('signflip');
    expect(Number(await page.locator('#poison-malicious').inputValue())).toBeLessThanOrEqual(0.5);
    const s = await inspect(page);
    expect(s.config?.rounds).toBeGreaterThanOrEqual(5);
    // At 360 px the map comes before the controls.
    const map = await widget.locator('[data-view="map"]').boundingBox();
    const controls = await widget.locator('.fw__controls').boundingBox();
    expect(map!.y).toBeLessThan(controls!.y);
    expect(map!.width).toBeLessThanOrEqual(360);
    if (SHOTS) {
      await expect.poll(async () => (await inspect(page)).map !== null, { timeout: 60_000 }).toBe(true);
      await page.screenshot({ path: `${SHOTS}/poison-mobile.png`, clip: (await widget.boundingBox()) ?? undefined });
    }
    await expectAxeClean(page, { include: TAG });
    await visit.done(3000);
  } finally {
    await mobile.close();
  }
});

test('while the later rules train, a finished rule’s table row and the map of the chosen rule stay as they are, and no text is written again unchanged', async () => {
  // Twenty rounds a rule, so that four rules are still to train when the chosen one (the median) is done.
  const visit = await w.openReady(browser, 'poison.rounds=20');
  const { page } = visit;
  // The progress line says "실험 2 / 6" through a rule's twenty rounds; it, the play label and the
  // status are written only when they change.
  const rewrites = await watchRewrites(page, TAG);
  await expect.poll(async () => rule(await inspect(page), 'median').status, { timeout: 120_000, interval: 100 }).toBe('finished');
  // The map has drawn the median's last round (the map and the table follow every 150 ms at most).
  await expect.poll(async () => (await inspect(page)).map, { timeout: 5000, interval: 50 }).toMatchObject({ rule: 'median', round: 20 });
  // Mark what is drawn now: the mean's row and a piece of the map (a redraw would replace both).
  const marked = await page.evaluate((tag) => {
    const root = document.querySelector(tag)!;
    const row = root.querySelector('[data-view="table"] tr[data-rule="mean"]');
    const mark = root.querySelector('[data-view="map"] .robust-map__client > *');
    for (const el of [row, mark]) if (el) (el as Element & { kept?: boolean }).kept = true;
    return { row: row !== null, mark: mark !== null };
  }, TAG);
  expect(marked).toEqual({ row: true, mark: true });
  expect(rule(await inspect(page), 'centered').status).not.toBe('finished');
  await finished(page);
  const kept = await page.evaluate((tag) => {
    const root = document.querySelector(tag)!;
    const isKept = (sel: string) => (root.querySelector(sel) as (Element & { kept?: boolean }) | null)?.kept === true;
    return { row: isKept('[data-view="table"] tr[data-rule="mean"]'), mark: isKept('[data-view="map"] .robust-map__client > *') };
  }, TAG);
  expect(kept).toEqual({ row: true, mark: true });
  const written = await rewrites();
  expect(written.same).toEqual([]);
  // The watch saw the run: rounds, notes and the table's figures changed many times.
  expect(written.changed).toBeGreaterThan(50);
  await visit.done();
});
