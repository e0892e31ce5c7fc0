/**
 * Pagefind search on the built site, under the site's CSP: the index loads, the search runs in
 * Pagefind's Web Worker (which gets the CSP header from the server), results link to real pages.
 */
import { expect, test } from 'vitest';
import { browserForSuite, expectNoProblems, openPage, site, siteUrl } from './harness';

const browser = browserForSuite();

test('the header search box leads to results that open real pages', async () => {
  const visit = await openPage(browser, '');
  const { page } = visit;
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.fill('#site-search-q', '연합 학습');
  await page.press('#site-search-q', 'Enter');
  await page.waitForURL(/\/search\/\?q=/);
  const results = page.locator('[data-search-results] li');
  await expect.poll(() => results.count(), { timeout: 15_000 }).toBeGreaterThan(0);
  await expect.poll(() => page.locator('[data-search-status]').textContent()).toMatch(/검색 결과 \d+건/);
  expect(await page.inputValue('#search-q')).toBe('연합 학습');

  // The excerpt marks the hit, and the first result opens a page of this site.
  expect(await results.first().locator('mark').count()).toBeGreaterThan(0);
  const href = await results.first().locator('a').getAttribute('href');
  expect(href?.startsWith(site().mount)).toBe(true);
  expect(workers.some((u) => u.endsWith('/pagefind/pagefind-worker.js'))).toBe(true);
  await visit.settle();
  expectNoProblems(visit.problems);

  await results.first().locator('a').click();
  await page.waitForLoadState('load');
  expect(page.url().startsWith(siteUrl(''))).toBe(true);
  expect(await page.locator('h1').count()).toBe(1);
  await visit.close();
});

test('typing updates the results and the address; an unknown word says so', async () => {
  const visit = await openPage(browser, 'search/');
  const { page } = visit;
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('search-q');
  await page.keyboard.type('용어집');
  await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('용어집');
  await page.fill('#search-q', '쀍쀍쀍');
  await expect.poll(() => page.locator('[data-search-status]').textContent(), { timeout: 15_000 }).toContain('결과가 없습니다');
  expect(await page.locator('[data-search-results] li').count()).toBe(0);
  await visit.done(3000);
});

test('worker scripts are served with a CSP header that allows wasm but not eval', async () => {
  const visit = await openPage(browser, '');
  const res = await visit.page.request.get(siteUrl('pagefind/pagefind-worker.js'));
  const csp = res.headers()['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src[^;]*'wasm-unsafe-eval'/);
  expect(csp).not.toContain("'unsafe-eval'");
  expect(res.headers()['content-type']).toMatch(/^text\/javascript/);
  await visit.close();
});
