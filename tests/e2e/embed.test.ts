/**
 * Embed pages and the "삽입 코드" button. The all-pages audit (pages.test.ts) already opens every
 * /embed/<widget>/ page at desktop, 360 px and in the dark theme (errors, axe, foreign requests);
 * this file checks what is particular to them, in a few page loads.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from 'vitest';
import { browserForSuite, listPages, openPage, site, siteUrl } from './harness';
import { WIDGETS } from '~/widgets/registry';

const browser = browserForSuite();

test('every widget has an embed page with only that widget and no site chrome', async () => {
  const pages = listPages(site().distDir);
  for (const w of WIDGETS) expect(pages, w.name).toContain(`embed/${w.name}/`);
  const visit = await openPage(browser, 'embed/split-playground/');
  const { page } = visit;
  expect(await page.locator('split-playground').count()).toBe(1);
  expect(await page.locator('header, footer, nav, .figure__try').count()).toBe(0);
  expect(await page.locator('[data-embed-back]').getAttribute('href')).toBe(siteUrl('chapters/split/#split-playground').replace(/^https?:\/\/[^/]+/, ''));
  await visit.done();
});

test('the embed button writes iframe code whose page reopens the same state, locked on request', async () => {
  const visit = await openPage(browser, 'chapters/centralized/?central.layers=0&central.epochs=10&central.speed=fast');
  const { page } = visit;
  const w = page.locator('central-playground');
  await w.scrollIntoViewIfNeeded();
  await w.locator('[data-action="embed"]').click();
  expect(await w.locator('[data-action="embed"]').getAttribute('aria-expanded')).toBe('true');
  const code = w.locator('[data-embed-code]');
  await expect.poll(() => code.inputValue()).toContain('<iframe');
  let src = (await code.inputValue()).match(/src="([^"]+)"/)![1].replace(/&amp;/g, '&');
  expect(new URL(src).pathname).toMatch(/\/embed\/central-playground\/$/);
  expect(new URL(src).searchParams.get('central.layers')).toBe('0');
  expect(new URL(src).searchParams.get('central.lock')).toBeNull();
  await w.locator('[data-embed-lock]').check();
  await expect.poll(() => code.inputValue()).toContain('central.lock=*');
  src = (await code.inputValue()).match(/src="([^"]+)"/)![1].replace(/&amp;/g, '&');
  // The code itself works: put it into a page of our origin and look inside the frame.
  await page.evaluate((html) => {
    const host = document.createElement('div');
    host.innerHTML = html;
    document.body.append(host);
  }, await code.inputValue());
  // loading="lazy": the frame loads once it is on screen.
  await page.locator('iframe[src*="/embed/central-playground/"]').scrollIntoViewIfNeeded();
  const frame = page.frameLocator('iframe[src*="/embed/central-playground/"]');
  await expect.poll(() => frame.locator('central-playground').count(), { timeout: 15_000 }).toBe(1);
  await expect.poll(() => frame.locator('[data-locked-note]').textContent()).toContain('은닉층 수 0');
  expect(await frame.locator('[data-param="layers"]').isVisible()).toBe(false);
  await visit.done();

  // The embed page's link back to the chapter carries the settings.
  const embed = await openPage(browser, new URL(src).pathname.replace(new URL(site().baseUrl).pathname, '') + new URL(src).search);
  const back = embed.page.locator('[data-embed-back]');
  await back.focus();
  const backUrl = new URL((await back.getAttribute('href'))!, site().baseUrl);
  expect(backUrl.hash).toBe('#central-playground');
  expect(backUrl.searchParams.get('central.layers')).toBe('0');
  await embed.done();
});

test('with the frame-ancestors header of the test server, another site can frame an embed page but not a chapter', async () => {
  // Another origin on this machine (a different port) plays the learning-management system.
  const host = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>LMS</title>
      <iframe id="embed" src="${siteUrl('embed/comm-cost/')}" width="800" height="600"></iframe>
      <iframe id="chapter" src="${siteUrl('chapters/comparison/')}" width="800" height="600"></iframe>`);
  });
  await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
  const page = await browser.context.newPage();
  try {
    await page.goto(`http://127.0.0.1:${(host.address() as AddressInfo).port}/course/`);
    await expect.poll(() => page.frameLocator('#embed').locator('comm-cost').count(), { timeout: 15_000 }).toBe(1);
    // The chapter frame is refused: Chromium puts its error page there instead.
    await expect.poll(() => page.frames().some((fr) => fr.url().startsWith('chrome-error://')), { timeout: 15_000 }).toBe(true);
    expect(await page.frameLocator('#chapter').locator('main').count()).toBe(0);
  } finally {
    await page.close();
    host.close();
  }
});
