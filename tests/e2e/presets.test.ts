/**
 * "Try this" presets and teacher locks, in the browser. One page load per chapter: every figure
 * with presets is brought on screen, a preset is clicked, and the address and the drawing must
 * both change (a drawing is the widget's views: SVG markup and canvas pixels). Then the
 * figure's "기본값으로" button must bring the address back. A lock link hides its controls.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForSuite, openPage } from './harness';
import { WIDGETS } from '~/widgets/registry';

const browser = browserForSuite();

/** A fingerprint of what a widget draws: its views' markup and canvas pixels. */
const drawing = (page: Page, tag: string) =>
  page.evaluate((tag) => {
    const el = document.querySelector(tag)!;
    const views = [...el.querySelectorAll('[data-view], svg, canvas')];
    let out = '';
    for (const v of views) {
      if (v instanceof HTMLCanvasElement) {
        try {
          out += v.toDataURL().slice(-200);
        } catch {
          out += 'x';
        }
      } else out += v.innerHTML.length + ':' + v.innerHTML.slice(-400);
    }
    return out;
  }, tag);

/** The figure widgets that have presets on a page, in page order. */
const presetWidgets = (page: Page) =>
  page.$$eval('fig-presets', (els) => els.map((e) => ({ ns: (e as HTMLElement).dataset.for!, tag: (e as HTMLElement).dataset.tag! })));

const pagesWithPresets = [...new Set(WIDGETS.map((w) => w.page))];

describe.each(pagesWithPresets.map((p) => [p]))('%s', (path) => {
  test('each preset box: a click changes the address and the drawing; defaults bring the address back', async () => {
    const visit = await openPage(browser, path.slice(1));
    const { page } = visit;
    const boxes = await presetWidgets(page);
    expect(boxes.length, `${path}: preset boxes`).toBeGreaterThan(0);
    for (const { ns, tag } of boxes) {
      const box = page.locator(`fig-presets[data-for="${ns}"]`);
      await page.locator(tag).scrollIntoViewIfNeeded();
      await page.waitForFunction((tag) => (document.querySelector(tag) as HTMLElement).dataset.state === 'ready', tag, { timeout: 30_000 });
      // The last preset of the sequence is the one furthest from the defaults in most prompts.
      const button = box.locator('button[data-preset]').last();
      const set = (await button.getAttribute('data-preset'))!;
      const before = await drawing(page, tag);
      await button.click();
      await expect.poll(() => page.evaluate(() => location.search), { timeout: 10_000, message: `${ns}: address` }).toContain(`${ns}.`);
      const search = new URLSearchParams(await page.evaluate(() => location.search));
      for (const [key, value] of new URLSearchParams(set)) expect(search.get(`${ns}.${key}`), `${ns}.${key}`).toBe(value);
      await expect.poll(() => drawing(page, tag), { timeout: 30_000, message: `${ns}: drawing after ${set}` }).not.toBe(before);
      expect(await button.getAttribute('aria-current')).toBe('true');
      // The widget came into view (the button sits below it).
      const top = await page.locator(tag).evaluate((el) => el.getBoundingClientRect().top);
      expect(top, `${ns}: widget on screen`).toBeLessThan(await page.evaluate(() => innerHeight));
      await box.locator('button[data-preset-defaults]').click();
      await expect.poll(async () => new URLSearchParams(await page.evaluate(() => location.search)).get(`${ns}.${[...new URLSearchParams(set).keys()][0]}`), { timeout: 10_000 }).not.toBe(
        [...new URLSearchParams(set).values()][0],
      );
    }
    await visit.done();
  });
});

test('a lock link hides the locked controls, keeps them fixed and survives changes to the open ones', async () => {
  const visit = await openPage(browser, 'chapters/centralized/?central.lock=*,-lr&central.layers=0&central.epochs=10&central.speed=fast');
  const { page } = visit;
  const w = page.locator('central-playground');
  await w.scrollIntoViewIfNeeded();
  await expect.poll(() => w.locator('[data-param="layers"]').isVisible()).toBe(false);
  await expect.poll(() => w.locator('[data-param="batch"]').isVisible()).toBe(false);
  expect(await w.locator('[data-param="lr"]').isVisible()).toBe(true);
  expect(await w.locator('[data-locked-note]').textContent()).toContain('은닉층 수 0');
  // The open knob moves; the address keeps the lock and the locked value.
  await w.locator('[data-param="lr"]').focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => page.evaluate(() => new URLSearchParams(location.search).get('central.lr'))).toBe('0.3');
  const search = new URLSearchParams(await page.evaluate(() => location.search));
  expect(search.get('central.lock')).toBe('*,-lr');
  expect(search.get('central.layers')).toBe('0');
  // "기본값으로" inside the widget resets what is open and leaves the locked values.
  await w.locator('[data-action="defaults"]').click();
  await expect.poll(() => page.evaluate(() => new URLSearchParams(location.search).get('central.lr'))).toBe('0.1');
  expect(await page.evaluate(() => new URLSearchParams(location.search).get('central.layers'))).toBe('0');
  await visit.done();
});
