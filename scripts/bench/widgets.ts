/**
 * The browser budgets of browser.ts for every widget page, not only chapter 2 (`browser.ts` measures that
 * one in depth). Debian's Chromium against the built site (dist/, or BENCH_DIST; BENCH_BASE for a
 * site built under a base path), served by the e2e tests' static server (gzip, CSP header).
 *
 * - js:<page>: JavaScript transferred (gzip) before any widget nears the viewport, i.e. before the
 *   page's first `widget:*` performance mark (the runtime marks `prefetch` when a widget comes
 *   within three screens); inline scripts (uncompressed) added. Target ≤ 60 kB. ratio = kB / 60.
 * - task-wall:<page>/<tag> and task-cpu:<page>/<tag>: every widget whose `main.ts` trains through a
 *   TrainingHost, alone on a fresh page: scrolled into view (all of them start on mount once
 *   visible), then ~5 s of its training traced. Wall is the longest main-thread task as the reader
 *   feels it (the larger of the trace's RunTask duration and the longtask observer's longest
 *   entry); CPU is the same task's thread time (`tdur`), which other processes on a busy machine
 *   cannot inflate. Target ≤ 50 ms each. ratio = ms / 50.
 *
 * The load average is printed in every task row: on a 2-core machine shared with builds, a wall
 * figure far above its CPU figure means the renderer waited for a core, not that it worked.
 * BENCH_WIDGET_MS sets the traced training time (default 5000).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import type { BenchResult, BenchSuite } from '../bench';
import { serveStatic, type StaticServer } from '../../tests/e2e/server';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const JS_BUDGET_KB = 60;
const TASK_BUDGET_MS = 50;
const TRAIN_MS = Number(process.env.BENCH_WIDGET_MS ?? 5000);
/** Chapter pages first, then the standalone page with the live rerun when the build has it. */
const EXTRA_PAGES = ['reproduction/'];
const pageErrors: string[] = [];

/**
 * The Korean font Chromium uses here (fontconfig's first choice for Korean, if any font has Hangul),
 * or null when there is none or fontconfig cannot say. Without one, Chromium looks for a fallback
 * font for every Korean text it lays out, and a chart redrawn with Korean labels pays that each
 * time. No phone sold to a Korean reader lacks a Korean font. On this project's 2-core machine
 * without one, the phone profile's central playground spent 475-570 ms of 3 s of training in
 * layout and drew 46-58 frames a second; with Debian's `fonts-noto-cjk` installed, 320-380 ms and
 * 59. The jank suite says which it had, in every row.
 */
export function koreanFont(): string | null {
  const fc = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', timeout: 10_000 }).trim();
  try {
    if (!fc('fc-list', [':lang=ko', 'family'])) return null;
    return fc('fc-match', ['-f', '%{family[0]}', ':lang=ko']) || 'yes';
  } catch {
    return null;
  }
}

/** A Chrome trace event, as far as the benches read it. */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: {
    name?: string;
    data?: { message?: string; url?: string; functionName?: string; stackTrace?: { url?: string; functionName?: string }[] };
    beginData?: { url?: string };
    /** A garbage collection's reason and heap sizes (bytes). */
    type?: string;
    usedHeapSizeBefore?: number;
    usedHeapSizeAfter?: number;
  };
}

/**
 * The main threads (`pid:tid`) of the renderers that show our pages. Chromium's own pages have
 * renderers too: headless Chromium loads its omnibox popup (chrome://omnibox-popup.top-chrome/)
 * in the background, a task of 50–70 ms of module evaluation that a filter on the thread name
 * alone counted as the page's costliest task.
 */
export function pageMainThreads(events: readonly Pick<TraceEvent, 'name' | 'pid' | 'tid' | 'args'>[]): Set<string> {
  const chromePage = (url?: string) => /^(chrome|chrome-untrusted|devtools):/.test(url ?? '');
  const foreign = new Set(events.filter((e) => chromePage(e.args?.beginData?.url) || chromePage(e.args?.data?.url)).map((e) => e.pid));
  return new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && !foreign.has(e.pid)).map((e) => `${e.pid}:${e.tid}`));
}

/**
 * Starts a Chrome trace of the main-thread tasks (with their thread time, which waiting for a core
 * on a busy machine does not stretch); the returned function ends it and gives its events.
 */
export async function startTrace(cdp: CDPSession): Promise<() => Promise<TraceEvent[]>> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', '__metadata'] },
  });
  return async () => {
    await cdp.send('Tracing.end');
    await complete;
    return events;
  };
}

export interface WidgetInfo {
  tag: string;
  namespace: string;
  /** Its `main.ts` drives a TrainingHost (directly or through the kit's run). */
  trains: boolean;
}

/** Every widget's custom-element tag and namespace, from the source tree. */
export function widgetInfo(): WidgetInfo[] {
  const dir = path.join(ROOT, 'src/widgets');
  const all: WidgetInfo[] = [];
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    const element = path.join(dir, d.name, 'element.ts');
    if (!existsSync(element)) continue;
    const source = readFileSync(element, 'utf8');
    const tag = /tag:\s*'([a-z0-9-]+)'/.exec(source)?.[1];
    const namespace = /namespace:\s*'([^']+)'/.exec(source)?.[1] ?? '';
    if (!tag) continue;
    const main = path.join(dir, d.name, 'main.ts');
    // A widget trains when its main.ts drives a TrainingHost itself or through the kit's run.
    all.push({ tag, namespace, trains: existsSync(main) && /TrainingHost|createRun|kit\/run/.test(readFileSync(main, 'utf8')) });
  }
  return all;
}

/** Site pages (relative URLs) that carry at least one widget, with the widget tags in page order. */
export function widgetPages(distDir: string, widgets: WidgetInfo[]): { url: string; widgets: WidgetInfo[] }[] {
  const urls = [
    ...readdirSync(path.join(distDir, 'chapters'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `chapters/${d.name}/`),
    ...EXTRA_PAGES,
  ];
  const pages = [];
  for (const url of urls) {
    const file = path.join(distDir, url, 'index.html');
    if (!existsSync(file)) continue;
    const html = readFileSync(file, 'utf8');
    const found = widgets
      .map((w) => ({ w, at: html.search(new RegExp(`<${w.tag}[\\s>]`)) }))
      .filter((x) => x.at >= 0)
      .sort((a, b) => a.at - b.at)
      .map((x) => x.w);
    if (found.length) pages.push({ url, widgets: found });
  }
  return pages;
}

async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  await page.addInitScript(() => {
    const w = window as unknown as { __longtasks: { start: number; duration: number }[] };
    w.__longtasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  return page;
}

/** JavaScript one page transfers before its first widget mark (top of the page, not scrolled). */
async function jsBeforeWidget(browser: Browser, server: StaticServer, url: string, log: (l: string) => void): Promise<BenchResult> {
  const page = await newPage(browser);
  await page.goto(server.baseUrl + url, { waitUntil: 'load' });
  await page.waitForTimeout(2500);
  const r = await page.evaluate(() => {
    const marks = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('widget:'));
    const near = marks.length ? Math.min(...marks.map((m) => m.startTime)) : Infinity;
    const scripts = performance
      .getEntriesByType('resource')
      .filter((e) => /\.m?js(\?|$)/.test(e.name) && e.startTime < near) as PerformanceResourceTiming[];
    const inline = [...document.querySelectorAll('script:not([src])')].reduce((s, el) => s + (el.textContent?.length ?? 0), 0);
    return {
      bytes: scripts.reduce((s, e) => s + e.encodedBodySize, 0),
      files: scripts.length,
      inline,
      first: marks.length ? marks.reduce((a, b) => (a.startTime <= b.startTime ? a : b)).name : null,
    };
  });
  await page.close();
  const kb = (r.bytes + r.inline) / 1024;
  log(`  ${url}: ${(r.bytes / 1024).toFixed(1)} kB gzip in ${r.files} files + ${r.inline} B inline before ${r.first ?? 'any widget mark (none within 2.5 s)'}`);
  return {
    name: `js:${url}`,
    ratio: kb / JS_BUDGET_KB,
    detail: `${kb.toFixed(1)} kB: ${(r.bytes / 1024).toFixed(1)} kB gzip in ${r.files} script files + ${r.inline} B inline, before ${r.first ?? 'load + 2.5 s (no widget mark)'}`,
    target: `≤ ${JS_BUDGET_KB} kB`,
    ok: kb <= JS_BUDGET_KB,
  };
}

/** The widget's own state attributes, for the log: proof that it was training while traced. */
const snapshot = (page: Page, tag: string) =>
  page.evaluate((tag) => {
    const d = (document.querySelector(tag) as HTMLElement).dataset;
    return ['state', 'status', 'runId', 'measured', 'race', 'round']
      .filter((k) => d[k] !== undefined)
      .map((k) => `${k}=${d[k]}`)
      .join(' ');
  }, tag);

/** One training widget alone on a fresh page: scrolled into view, mounted, ~TRAIN_MS of training traced. */
async function traceWidget(browser: Browser, server: StaticServer, url: string, { tag, namespace }: WidgetInfo, log: (l: string) => void): Promise<BenchResult[]> {
  const page = await newPage(browser);
  await page.goto(server.baseUrl + url, { waitUntil: 'load' });
  await page.evaluate((tag) => document.querySelector(tag)!.scrollIntoView({ block: 'start' }), tag);
  await page.waitForFunction((tag) => !!(document.querySelector(tag) as unknown as { widgetController: unknown }).widgetController, tag, { timeout: 60_000 });
  // Every training widget starts on mount once visible; wait until its run has begun (or loads its data).
  await page
    .waitForFunction(
      (tag) => {
        const d = (document.querySelector(tag) as HTMLElement).dataset;
        return d.status === 'running' || d.status === 'loading' || d.measured === 'running' || d.race === 'running' || Number(d.runId ?? 0) > 0;
      },
      tag,
      { timeout: 15_000 },
    )
    .catch(() => log(`  ${url} ${tag}: no run state within 15 s; traced anyway`));
  const before = await snapshot(page, tag);
  // Entries reach the observer late; only tasks that start inside the traced window count.
  const since = await page.evaluate(() => performance.now());
  const cdp = await page.context().newCDPSession(page);
  const endTrace = await startTrace(cdp);
  const load = os.loadavg()[0];
  await page.waitForTimeout(TRAIN_MS);
  const events = await endTrace();
  const load2 = os.loadavg()[0];
  const longtasks = await page.evaluate(
    (since) => (window as unknown as { __longtasks: { start: number; duration: number }[] }).__longtasks.filter((e) => e.start >= since).map((e) => e.duration),
    since,
  );
  const after = await snapshot(page, tag);
  // Other widgets within one screen of this one mount too; name them so a figure is not misread.
  const others = await page.evaluate(
    (ns) => [...new Set(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('widget:mounted:')).map((m) => m.name.slice('widget:mounted:'.length)))].filter((n) => n !== ns),
    namespace,
  );
  await cdp.detach();
  await page.close();

  const mains = pageMainThreads(events);
  const tasks = events.filter((e) => e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && mains.has(`${e.pid}:${e.tid}`));
  if (!tasks.length) throw new Error(`${url} ${tag}: no main-thread tasks in the trace (${events.length} events, ${mains.size} renderer main threads)`);
  const longestWall = tasks.reduce((a, b) => ((b.dur ?? 0) > (a.dur ?? 0) ? b : a));
  const longestCpu = tasks.reduce((a, b) => ((b.tdur ?? 0) > (a.tdur ?? 0) ? b : a));
  const traceWall = (longestWall.dur ?? 0) / 1000;
  const ltMax = Math.max(0, ...longtasks);
  const wall = Math.max(traceWall, ltMax);
  const cpu = (longestCpu.tdur ?? 0) / 1000;
  const cpuOfWallest = (longestWall.tdur ?? 0) / 1000;
  const inside = (of: TraceEvent) =>
    events
      .filter((e) => e.ph === 'X' && e.pid === of.pid && e.tid === of.tid && e !== of && !/RunTask/.test(e.name) && e.ts >= of.ts && e.ts < of.ts + (of.dur ?? 0))
      .sort((a, b) => (b.tdur ?? b.dur ?? 0) - (a.tdur ?? a.dur ?? 0))
      .slice(0, 4)
      .map((e) => {
        const at = e.args?.data?.stackTrace?.[0] ?? e.args?.data;
        const where = at?.url ? ` ${at.functionName || '(anonymous)'}@${at.url.split('/').pop()}` : '';
        return `${e.name}${where} ${((e.tdur ?? e.dur ?? 0) / 1000).toFixed(1)}`;
      })
      .join(', ');
  const loadText = `load ${load.toFixed(2)}→${load2.toFixed(2)} on ${os.availableParallelism()} cores`;
  const alsoMounted = others.length ? `; also mounted: ${others.join(', ')}` : '';
  log(
    `  ${url} ${tag}: ${tasks.length} main-thread tasks in ${(TRAIN_MS / 1000).toFixed(0)} s; longest ${traceWall.toFixed(1)} ms wall (its CPU ${cpuOfWallest.toFixed(1)} ms), costliest ${cpu.toFixed(1)} ms CPU; longtask entries ${longtasks.length}${longtasks.length ? ` (max ${ltMax.toFixed(0)} ms)` : ''}; ${loadText}; [${before}] → [${after}]${alsoMounted}`,
  );
  log(`    costliest task contains (ms CPU): ${inside(longestCpu) || 'no traced events'}`);
  if (longestWall !== longestCpu) log(`    longest-wall task contains (ms CPU): ${inside(longestWall) || 'no traced events'}`);
  const id = `${url.replace(/\/$/, '')}/${tag}`;
  return [
    {
      name: `task-wall:${id}`,
      ratio: wall / TASK_BUDGET_MS,
      detail: `${wall.toFixed(1)} ms wall: longest main-thread RunTask in ${(TRAIN_MS / 1000).toFixed(0)} s of training (trace ${traceWall.toFixed(1)} ms, its CPU ${cpuOfWallest.toFixed(1)} ms; longtask observer ${longtasks.length} entries${longtasks.length ? `, max ${ltMax.toFixed(0)} ms` : ''}); ${loadText}${alsoMounted}`,
      target: `≤ ${TASK_BUDGET_MS} ms`,
      ok: wall <= TASK_BUDGET_MS,
    },
    {
      name: `task-cpu:${id}`,
      ratio: cpu / TASK_BUDGET_MS,
      detail: `${cpu.toFixed(1)} ms CPU: costliest main-thread task (thread time) of the same trace, ${tasks.length} tasks; ${loadText}`,
      target: `≤ ${TASK_BUDGET_MS} ms`,
      ok: cpu <= TASK_BUDGET_MS,
    },
  ];
}

const suite: BenchSuite = {
  title: 'Widgets: JS before the first widget and longest main-thread task, every widget page (Chromium, built site)',
  async run(log) {
    const distDir = path.resolve(ROOT, process.env.BENCH_DIST ?? 'dist');
    const widgets = widgetInfo();
    const pages = existsSync(path.join(distDir, 'chapters')) ? widgetPages(distDir, widgets) : [];
    if (!pages.length) {
      log(`  ${distDir} has no page with a widget: run \`npm run build\` first (or set BENCH_DIST)`);
      return [{ name: 'widget-budgets', ratio: Number.NaN, detail: 'not measured: the site is not built (npm run build)', target: 'built site', ok: false }];
    }
    const server = await serveStatic({ root: distDir, mount: process.env.BENCH_BASE ?? '/' });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    try {
      const results: BenchResult[] = [];
      for (const p of pages) results.push(await jsBeforeWidget(browser, server, p.url, log));
      for (const p of pages) {
        const still = p.widgets.filter((w) => !w.trains).map((w) => w.tag);
        if (still.length) log(`  ${p.url}: ${still.join(', ')} do not train (no TrainingHost); no task measured`);
        for (const w of p.widgets.filter((w) => w.trains)) results.push(...(await traceWidget(browser, server, p.url, w, log)));
      }
      if (pageErrors.length) throw new Error(`page errors during the benchmark:\n  ${pageErrors.join('\n  ')}`);
      return results;
    } finally {
      await browser.close();
      await server.close();
    }
  },
};

export default suite;
