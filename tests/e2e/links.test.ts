/**
 * Links and assets resolve, at the domain root (dist/) and in a second build under
 * BASE_PATH=/sub/ (built here into dist-e2e-sub/). Every link and asset the HTML and CSS name is
 * checked in the files; in Chromium, the pages whose scripts build addresses while they run
 * (the chapter script, a training widget's worker, wasm and data files, a widget's own worker)
 * must load under /sub/ without a missing asset, and search must return results that stay under
 * /sub/. The other pages share those scripts and are opened at the root by pages.test.ts.
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

  /**
   * Pages and what must have loaded on each before it is judged: the home page; a chapter (its
   * script places figures and prefetches widget code); a training widget that fetches the digits
   * (worker, wasm and data under /sub/, trained to its first round); randomized response, whose
   * error chart runs in a worker of its own.
   */
  const RUNTIME_PAGES: [path: string, ready: string | null][] = [
    ['', null],
    ['chapters/intro/', null],
    ['embed/fedsgd-vs-fedavg/', 'fedsgd-vs-fedavg[data-round]'],
    ['embed/randomized-response/', 'randomized-response[data-error-state="done"]'],
  ];

  test('pages whose scripts build addresses load under /sub/ without a missing asset, error or CSP violation', async () => {
    const failures: string[] = [];
    for (const [path, ready] of RUNTIME_PAGES) {
      const visit = await openPage(browser, path, { baseUrl: server.baseUrl });
      try {
        if (ready) await visit.page.waitForSelector(ready, { state: 'attached', timeout: 60_000 });
        await visit.settle();
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
