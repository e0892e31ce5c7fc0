/**
 * Steps every widget test shares: open a page with a widget's query and bring the widget on
 * screen (which mounts it), wait for a lazy widget to be ready, read its run id and its
 * controller's inspect(), and move a keyboard control while checking that each key press moves
 * it. The chapter 3 tests add their own on top (fed-helpers.ts).
 */
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openPage, type BrowserSession, type OpenOptions, type PageVisit } from './harness';

/**
 * Opens the widget's folded control groups as a reader would (a tap on each closed summary):
 * below 700 px they start closed (controls/Group.astro), and a test that sets a control needs
 * it on screen. mobile-layout.test.ts tests the folded state itself.
 */
export async function openControlGroups(page: Page, tag: string): Promise<void> {
  const closed = page.locator(`${tag} details[data-control-group]:not([open]) > summary`);
  // The groups fold at DOMContentLoaded (kit/control-groups.ts), before openPage returns.
  for (let n = await closed.count(); n > 0; n--) await closed.first().click();
}

/** Opens `path` with `query` and brings the widget `tag` on screen (which mounts it), its control groups open. */
export async function openWidgetAt(browser: BrowserSession, path: string, tag: string, query: string, opts: OpenOptions = {}): Promise<PageVisit> {
  const visit = await openPage(browser, `${path}${query ? `?${query}` : ''}`, opts);
  await openControlGroups(visit.page, tag);
  await visit.page.locator(tag).scrollIntoViewIfNeeded();
  return visit;
}

/** The widget's data-run-id (0 before its first run). */
export const widgetRunId = async (page: Page, tag: string) => Number((await page.locator(tag).getAttribute('data-run-id')) ?? 0);

/** Presses `key` on a focused input `times` times; every press must change the input's value. */
export async function pressMoving(el: Locator, key: string, times = 1): Promise<void> {
  await el.focus();
  for (let i = 0; i < times; i++) {
    const before = await el.inputValue();
    await el.press(key);
    await expect.poll(() => el.inputValue(), { timeout: 2000, message: `${key} did not move the control` }).not.toBe(before);
  }
}

/** Scrolls the widget `tag` into view (its control groups open) and waits until its lazy module has mounted (data-state="ready"). */
export async function widgetReady(page: Page, tag: string, timeout = 30_000): Promise<void> {
  await openControlGroups(page, tag);
  await page.locator(tag).scrollIntoViewIfNeeded();
  await page.waitForFunction((tag) => (document.querySelector(tag) as HTMLElement | null)?.dataset.state === 'ready', tag, { timeout });
}

/** The widget controller's inspect(), as the page serialises it. */
export const inspectWidget = <T>(page: Page, tag: string) =>
  page.evaluate((tag) => (document.querySelector(tag) as unknown as { widgetController: { inspect(): unknown } }).widgetController.inspect(), tag) as Promise<T>;
