/**
 * The reproduction page: the committed results drawn and tabulated beside the paper's numbers,
 * and the live rerun training FedSGD and FedAvg in a worker on the MNIST subset, in Chromium.
 *
 * Live runs are kept short through the URL (few clients, a low target, a small round limit); the
 * engine is seeded, so the same settings give the same numbers.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForSuite, expectAxeClean, expectNoProblems, openPage } from './harness';
import { countLayerPaths, expectFitsPhone, expectSameAsFreshDraw } from './widget-helpers';
import type { ReproductionReport } from '~/data/reproduction';
import type { ReproInspection as Inspection } from '~/widgets/reproduction/main';

const PATH = 'reproduction/';
const LIVE = 'reproduction-live';
const RESULTS = 'reproduction-results';
const SHORT = 'repro.clients=20&repro.target=85&repro.rounds=50&repro.e5ball=0';
const report = JSON.parse(readFileSync('src/data/reproduction.json', 'utf8')) as ReproductionReport;

async function inspect(page: Page): Promise<Inspection> {
  return page.evaluate((tag) => {
    const el = document.querySelector(tag) as unknown as { widgetController: { inspect(): Record<string, unknown> } };
    const { memory: _m, ...rest } = el.widgetController.inspect();
    return JSON.parse(JSON.stringify(rest));
  }, LIVE);
}

/** Waits until the live race has run every setting. */
async function raceDone(page: Page, timeout = 90_000) {
  await page.waitForFunction((tag) => (document.querySelector(tag) as HTMLElement | null)?.dataset.race === 'done', LIVE, { timeout });
}

const browser = browserForSuite();

describe('the committed results', () => {
  test('the tables show this run beside the paper, and every figure has its text', async () => {
    const visit = await openPage(browser, PATH);
    const { page } = visit;
    const tables = page.locator('.repro-results > .repro__table table');
    const partitions = [...new Set(report.results.map((r) => r.partition))];
    await expect(tables.count()).resolves.toBe(partitions.length);
    // The paper's 2NN numbers sit beside ours in the FedSGD and E=1, B=10 rows.
    const iid = tables.first();
    const fedsgdRow = iid.locator('tbody tr', { hasText: 'FedSGD' });
    await expect(fedsgdRow.textContent()).resolves.toContain('1474');
    const ours = report.results.find((r) => r.partition === 'iid' && r.setting === 'fedsgd')!;
    await expect(fedsgdRow.textContent()).resolves.toContain(String(ours.lr));
    if (report.results.some((r) => r.setting === 'e1-b10')) {
      await expect(iid.locator('tbody tr', { hasText: 'E=1, B=10' }).textContent()).resolves.toContain('16.9×');
    }
    // The checks table: one row per finding, each with a verdict in words.
    const checks = page.locator('table.repro__checks tbody tr');
    await expect(checks.count()).resolves.toBe(7);
    for (const text of await checks.allTextContents()) expect(text).toMatch(/재현됨|재현되지 않음|판단할 수 없음/);
    for (const fig of ['#reproduction-results', '#reproduction-live']) {
      await expect(page.locator(`${fig} .figure__try`).count()).resolves.toBe(1);
      await expect(page.locator(`${fig} .figure__takeaway`).count()).resolves.toBe(1);
    }
    await visit.settle();
    expectNoProblems(visit.problems);
    await visit.close();
  });

  test('the chart draws each partition from the data, and says so in words', async () => {
    const visit = await openPage(browser, `${PATH}?repro.rounds=25`);
    const { page } = visit;
    const results = page.locator(RESULTS);
    await results.scrollIntoViewIfNeeded();
    const svg = results.locator('[data-view="curves"] svg[role="img"]');
    await svg.waitFor({ timeout: 20_000 });
    const lines = async () => (await results.locator('[data-view="curves"] svg path').evaluateAll((ps) => ps.map((p) => p.getAttribute('d')))).join('|');
    const iidLines = await lines();
    const settings = report.results.filter((r) => r.partition === 'iid').length;
    // One line per setting (the key and axes add more paths, so at least that many).
    await expect.poll(() => results.locator('[data-view="curves"] svg path').count()).toBeGreaterThanOrEqual(settings);
    await expect(results.locator('[data-live]').textContent()).resolves.toContain('IID');
    if (report.results.some((r) => r.partition === 'shards')) {
      await results.getByLabel('데이터 분할').selectOption('shards');
      await page.waitForFunction((before) => {
        const ps = [...document.querySelectorAll('reproduction-results [data-view="curves"] svg path')].map((p) => p.getAttribute('d')).join('|');
        return ps !== before;
      }, iidLines);
      await expect(results.locator('[data-live]').textContent()).resolves.toContain('Non-IID');
      await page.waitForFunction(() => location.search.includes('reproresults.part=shards'));
    }
    await visit.settle();
    expectNoProblems(visit.problems);
    await expectAxeClean(page, { include: '#reproduction-results' });
    await visit.close();
  });
});

describe('the live rerun', () => {
  test('trains FedSGD, then FedAvg, each until the target, and reports rounds and speed-up; fits 360 px', async () => {
    const visit = await openPage(browser, `${PATH}?${SHORT}`, { viewport: 'desktop' });
    const { page } = visit;
    const live = page.locator(LIVE);
    const curves = await countLayerPaths(page, `${LIVE} [data-view="accuracy"]`);
    await live.scrollIntoViewIfNeeded();
    await raceDone(page);
    const info = await inspect(page);
    expect(info.backend?.thread).toBe('worker');
    expect(info.records.map((r) => r.id)).toEqual(['fedsgd', 'e1-b10']);
    const [fedsgd, fedavg] = info.records;
    // FedAvg with 10-example batches takes many steps a round: it reaches 85% in far fewer rounds.
    expect(fedavg.state).toBe('target');
    expect(fedavg.roundsToTarget).not.toBeNull();
    if (fedsgd.roundsToTarget !== null) expect(fedavg.roundsToTarget!).toBeLessThan(fedsgd.roundsToTarget);
    else expect(fedsgd.rounds).toBe(50);
    // A run that reached the target stopped in that round.
    expect(fedavg.rounds).toBe(Math.ceil(fedavg.roundsToTarget!));
    const table = live.locator('[data-view="table"] table');
    await expect(table.locator('tbody tr').count()).resolves.toBe(2);
    await expect(table.locator('tbody tr').nth(1).textContent()).resolves.toMatch(/배/);
    await expect(live.locator('[data-live]').textContent()).resolves.toMatch(/FedSGD.*FedAvg E=1, B=10/);
    await expect(live.locator('[data-view="accuracy"] svg[role="img"]').count()).resolves.toBe(1);
    // The curves grew in place round by round, clipped to the frame, and make the chart a draw of
    // all of them at once makes.
    expect(await curves.added()).toBeGreaterThan(0);
    const clip = await live.locator('[data-view="accuracy"] svg g[data-layer]').getAttribute('clip-path');
    expect(await live.locator(`[data-view="accuracy"] svg clipPath${clip?.slice(4, -1)} rect`).count()).toBe(1);
    await expectSameAsFreshDraw(page, live.locator('[data-view="accuracy"] svg'));
    await visit.settle();
    expectNoProblems(visit.problems);
    await expectAxeClean(page, { include: '#reproduction-live' });
    // The finished race on a phone's screen, without running it again.
    await expectFitsPhone(page, LIVE);
    await visit.close();
  });
});

test('changing a setting starts the race over with the new settings, and the URL keeps them', async () => {
  const visit = await openPage(browser, `${PATH}?${SHORT}`);
  const { page } = visit;
  const live = page.locator(LIVE);
  await live.scrollIntoViewIfNeeded();
  await raceDone(page);
  const before = await inspect(page);
  await live.getByLabel('FedAvg E=1, B=50').check();
  await page.waitForFunction(
    ({ tag, id }) => {
      const el = document.querySelector(tag) as HTMLElement | null;
      return !!el && Number(el.dataset.runId ?? 0) > id;
    },
    { tag: LIVE, id: before.runId },
  );
  await raceDone(page);
  const after = await inspect(page);
  expect(after.records.map((r) => r.id)).toEqual(['fedsgd', 'e1-b10', 'e1-b50']);
  // Same seed and settings for the first two runs: the same numbers.
  expect(after.records[0].roundsToTarget).toBe(before.records[0].roundsToTarget);
  expect(after.records[1].roundsToTarget).toBe(before.records[1].roundsToTarget);
  await page.waitForFunction(() => location.search.includes('repro.e1b50=1'));
  await visit.settle();
  expectNoProblems(visit.problems);
  await visit.close();
});
