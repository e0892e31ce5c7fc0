/**
 * Links and assets resolve, at the domain root (dist/) and in a second build under
 * BASE_PATH=/sub/ (built here into dist-e2e-sub/), where every page is also opened in Chromium
 * and search must return results that stay under /sub/.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectNoProblems, launchBrowser, listPages, openPage, site, type BrowserSession } from './harness';
import { serveStatic, type StaticServer } from './server';
import { buildSite, linkProblems } from './site-files';

test(`every internal link and asset in the served build resolves`, () => {
  expect(linkProblems(site().distDir, site().mount)).toEqual([]);
});

describe('built with BASE_PATH=/sub/', () => {
  const outDir = resolve('dist-e2e-sub');
  let server: StaticServer;
  let browser: BrowserSession;

  beforeAll(async () => {
    rmSync(outDir, { recursive: true, force: true });
    buildSite(outDir, '/sub/');
    server = await serveStatic({ root: outDir, mount: '/sub/' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  test('every internal link and asset resolves under /sub/', () => {
    expect(linkProblems(outDir, '/sub/')).toEqual([]);
  });

  test('the same pages exist as in the root build', () => {
    expect(listPages(outDir)).toEqual(listPages(site().distDir));
  });

  test('every page loads under /sub/ without a missing asset, error or CSP violation', async () => {
    const failures: string[] = [];
    for (const path of listPages(outDir)) {
      const visit = await openPage(browser, path, { baseUrl: server.baseUrl });
      await visit.settle();
      try {
        expect(visit.response?.status()).toBe(200);
        expectNoProblems(visit.problems);
      } catch (e) {
        failures.push(`${path || '(home)'}: ${(e as Error).message}`);
      }
      await visit.close();
    }
    expect(failures).toEqual([]);
  });

  test('search works under /sub/ and its results link inside /sub/', async () => {
    const visit = await openPage(browser, 'search/?q=학습', { baseUrl: server.baseUrl });
    const { page } = visit;
    const results = page.locator('[data-search-results] a');
    await expect.poll(() => results.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const hrefs = await results.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.filter((h) => !h.startsWith('/sub/'))).toEqual([]);
    const first = await page.request.get(server.origin + hrefs[0]);
    expect(first.status()).toBe(200);
    await visit.settle();
    expectNoProblems(visit.problems);
    await visit.close();
  });
});
