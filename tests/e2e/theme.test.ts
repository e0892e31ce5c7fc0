/**
 * Light/dark theme: follows the system until the reader picks one; the pick is remembered across
 * pages and reloads and is on <html> before the body is parsed (no flash of the wrong theme).
 */
import { afterEach, expect, test } from 'vitest';
import { expectNoProblems, launchBrowser, listPages, openPage, site, type BrowserSession } from './harness';

const chapter = listPages(site().distDir).find((p) => p.startsWith('chapters/')) ?? 'glossary/';
let browser: BrowserSession | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

/** Relative luminance of the body background, 0 (black) … 1 (white). */
const bodyLuminance = (page: import('playwright-core').Page) =>
  page.evaluate(() => {
    const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+(\.\d+)?/g)!.map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  });

test('follows the system setting when nothing is stored', async () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    browser = await launchBrowser({ colorScheme });
    const visit = await openPage(browser, '');
    const toggle = visit.page.locator('[data-theme-toggle]');
    await expect.poll(() => toggle.isVisible()).toBe(true);
    expect(await toggle.getAttribute('aria-pressed')).toBe(String(colorScheme === 'dark'));
    const lum = await bodyLuminance(visit.page);
    expect(colorScheme === 'dark' ? lum < 0.2 : lum > 0.9).toBe(true);
    expectNoProblems(visit.problems);
    await visit.close();
    await browser.close();
    browser = undefined;
  }
});

test('the toggle is remembered across pages and applied before the body is parsed', async () => {
  browser = await launchBrowser({ colorScheme: 'light' });
  // Records the theme at the moment <body> is inserted: that is what the first paint uses.
  await browser.context.addInitScript(() => {
    new MutationObserver((_, obs) => {
      if (document.body) {
        (window as unknown as { __themeAtBody: string }).__themeAtBody = document.documentElement.dataset.theme ?? 'system';
        obs.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });

  const home = await openPage(browser, '');
  const toggle = home.page.locator('[data-theme-toggle]');
  await toggle.click();
  expect(await toggle.getAttribute('aria-pressed')).toBe('true');
  expect(await home.page.evaluate(() => localStorage.getItem('theme'))).toBe('dark');
  expect(await bodyLuminance(home.page)).toBeLessThan(0.2);
  expectNoProblems(home.problems);
  await home.close();

  const next = await openPage(browser, chapter);
  expect(await next.page.evaluate(() => (window as unknown as { __themeAtBody: string }).__themeAtBody)).toBe('dark');
  expect(await bodyLuminance(next.page)).toBeLessThan(0.2);
  expect(await next.page.locator('[data-theme-toggle]').getAttribute('aria-pressed')).toBe('true');

  // Keyboard works too, and switching back is remembered after a reload.
  await next.page.locator('[data-theme-toggle]').focus();
  await next.page.keyboard.press('Enter');
  await next.page.reload();
  expect(await next.page.evaluate(() => (window as unknown as { __themeAtBody: string }).__themeAtBody)).toBe('light');
  expect(await bodyLuminance(next.page)).toBeGreaterThan(0.9);
  expectNoProblems(next.problems);
  await next.close();
});
