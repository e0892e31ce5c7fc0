/**
 * Gradient inversion in the browser (Chromium against the built site, the training worker on
 * wasm), the counterpart of inversion.ts:
 *
 * - inversion-worker-digit-ms / -mnist-ms: wall time of one reconstruction of one image in the
 *   worker (MLP [32] sigmoid, 300 Adam steps, b = 1: the Node suite's configuration), from the
 *   attack's first event to its last as the widget sees them, median of three.
 * - inversion-worker-vs-node: the digit figure over the Node one measured in this same run.
 * - inversion-longest-main-task: the longest task on the page's main thread while the widget
 *   shows an attack step by step (Chrome trace, RunTask on the renderer main thread). Target ≤ 50 ms.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { BenchResult, BenchSuite } from '../bench';
import { serveStatic, type StaticServer } from '../../tests/e2e/server';
import { pageMainThreads, type TraceEvent as FullTraceEvent } from './widgets';
import { initNodeBackend, nodeDataSource } from '../../src/engine/node';
import { defaultInversionConfig, runInversion } from '../../src/engine/attacks/inversion';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const PAGE = 'chapters/attacks/';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: FullTraceEvent['args'];
}

const finished = (page: Page, after: number) =>
  page.waitForFunction(
    (after) => {
      const el = document.querySelector('gradient-inversion') as HTMLElement | null;
      return !!el && Number(el.dataset.runId ?? 0) > after && el.dataset.status === 'finished';
    },
    after,
    { timeout: 300_000 },
  );
const runId = async (page: Page) => Number((await page.locator('gradient-inversion').getAttribute('data-run-id')) ?? 0);
const attackMs = (page: Page) =>
  page.evaluate(() => (document.querySelector('gradient-inversion') as unknown as { widgetController: { inspect(): { attackMs: number } } }).widgetController.inspect().attackMs);

async function workerTimes(browser: Browser, server: StaticServer, data: 'digits' | 'mnist', log: (l: string) => void): Promise<number[]> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${server.baseUrl}${PAGE}?inversion.steps=300&inversion.data=${data}`);
  await page.locator('gradient-inversion').scrollIntoViewIfNeeded();
  await finished(page, 0); // the first run also loads the data and the backend
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const id = await runId(page);
    await page.locator('gradient-inversion [data-action="restart"]').click();
    await finished(page, id);
    times.push(await attackMs(page));
  }
  await page.close();
  log(`  worker, ${data}: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
  return times;
}

async function longestTask(browser: Browser, server: StaticServer, log: (l: string) => void): Promise<BenchResult> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${server.baseUrl}${PAGE}?inversion.batch=8&inversion.steps=300`);
  await page.locator('gradient-inversion').scrollIntoViewIfNeeded();
  await finished(page, 0);
  const id = await runId(page);
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  await page.locator('gradient-inversion [data-action="restart"]').click();
  await finished(page, id);
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
  await page.close();
  const mains = pageMainThreads(trace.traceEvents);
  const tasks = trace.traceEvents.filter((e) => e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && mains.has(`${e.pid}:${e.tid}`));
  const wall = Math.max(0, ...tasks.map((e) => (e.dur ?? 0) / 1000));
  const cpu = Math.max(0, ...tasks.map((e) => (e.tdur ?? 0) / 1000));
  log(`  main thread while 8 digits are reconstructed (300 steps): ${tasks.length} tasks, longest ${wall.toFixed(1)} ms wall / ${cpu.toFixed(1)} ms CPU`);
  return {
    name: 'inversion-longest-main-task',
    ratio: cpu,
    detail: `ms CPU (thread time) of the longest renderer main-thread task while the widget drew a b = 8 attack step by step (${tasks.length} tasks; longest wall ${wall.toFixed(1)} ms)`,
    target: '≤ 50 ms',
    ok: cpu <= 50,
  };
}

async function nodeDigitMs(): Promise<number> {
  await initNodeBackend('wasm');
  const data = nodeDataSource({ mnistFull: false });
  const config = defaultInversionConfig({ batch: 1, seed: 1 });
  const times: number[] = [];
  for (let i = 0; i < 4; i++) {
    let t0 = 0;
    for await (const e of runInversion(config, { data, every: config.attackSteps })) if (e.type === 'inversion-started') t0 = performance.now();
    if (i > 0) times.push(performance.now() - t0);
  }
  return median(times);
}

const suite: BenchSuite = {
  title: 'Gradient inversion in the browser (Chromium, built site, worker)',
  async run(log) {
    const distDir = path.resolve(ROOT, process.env.BENCH_DIST ?? 'dist');
    if (!existsSync(path.join(distDir, PAGE, 'index.html'))) {
      log(`  ${distDir} has no ${PAGE}: run \`npm run build\` first (or set BENCH_DIST)`);
      return [{ name: 'inversion-browser', ratio: Number.NaN, detail: 'not measured: the site is not built (npm run build)', target: 'built site', ok: false }];
    }
    const server = await serveStatic({ root: distDir, mount: process.env.BENCH_BASE ?? '/' });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    try {
      const digit = await workerTimes(browser, server, 'digits', log);
      const node = await nodeDigitMs();
      const mnist = await workerTimes(browser, server, 'mnist', log);
      log(`  node, digits: ${node.toFixed(0)} ms`);
      return [
        { name: 'inversion-worker-digit-ms', ratio: median(digit), detail: `ms, one 8×8 digit reconstructed in the worker (wasm), 300 steps, b = 1, median of 3 (${digit.map((t) => t.toFixed(0)).join(', ')})` },
        { name: 'inversion-worker-mnist-ms', ratio: median(mnist), detail: `ms, one 28×28 MNIST image reconstructed in the worker (wasm), 300 steps, b = 1, median of 3 (${mnist.map((t) => t.toFixed(0)).join(', ')})` },
        { name: 'inversion-worker-vs-node', ratio: median(digit) / node, detail: `the worker's digit time over Node's in this run (${median(digit).toFixed(0)} ms vs ${node.toFixed(0)} ms, same configuration and seed)` },
        await longestTask(browser, server, log),
      ];
    } finally {
      await browser.close();
      await server.close();
    }
  },
};

export default suite;
