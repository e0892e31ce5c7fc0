/**
 * Jank on every widget page, in two profiles (Debian's Chromium against the built site, dist/ or
 * BENCH_DIST, served by the e2e tests' static server):
 *
 * - desktop: 1280×800, no throttling. Target: no main-thread task over 50 ms after the load event,
 *   mounts included.
 * - phone: 360×740, touch, device scale 2, and Chrome's 4× CPU throttling
 *   (`Emulation.setCPUThrottlingRate`, DevTools' mid-range-phone setting). Targets: no task over
 *   100 ms after the load event, and at least 50 frames per second while each training widget trains.
 *
 * One fresh page per profile and page. After the load event every widget, in page order, is
 * scrolled to the top of the viewport; its mount window runs from the scroll until it is mounted
 * and the main thread has been quiet (no long task) for a second. A widget that then trains
 * (`data-status=running` or the like) is watched for FPS_MS more: frames are counted with
 * requestAnimationFrame. Tasks come from the Long Tasks API; Long Animation Frames
 * (`long-animation-frame`) give the longest frame and the script that cost it most, for the log.
 * Training widgets pause when scrolled away, so each window sees mostly its own widget.
 *
 * Each task figure is given twice: wall time as the reader feels it (the ratio and the goal), and
 * the thread time of the costliest task from a Chrome trace, which a busy machine inflates much
 * less (the throttling is in it: the same mount task took 35 ms of thread time on the desktop
 * profile and 133 ms on the phone profile). The trace runs from before the page loads, and the
 * costliest task is described by its largest pieces in brackets (script by file, style recalc,
 * layout, pre-paint, paint), so that a slow page says what to shrink.
 *
 * Rows: `<profile>:<page>` the longest task after load on that page (and the worst FPS on phone);
 * `<profile>:<page>/<tag>` the longest task of that widget's mount and training windows, with its
 * FPS; `<profile>-shift:<page>/<tag>` the layout shift (Layout Instability API) in those windows:
 * a widget that grows as it draws moves the text and the preset buttons under the reader's
 * finger. The ratio is ms / budget (FPS rows: fps / 50; shift rows: score / 0.1), so ≤ 1 (FPS:
 * ≥ 1) meets the goal.
 *
 * `npm run bench -- --only=jank` runs it alone; BENCH_PROFILES=phone (or desktop) picks a
 * profile, BENCH_PAGES=federated,split picks pages by substring, BENCH_FPS_MS sets the window.
 * The load average is in every row: on a shared 2-core machine wall times stretch when others work.
 * To compare two builds on such a machine, give both: BENCH_DIST=dist-before,dist measures each
 * page in one build and then the other, alternately, and suffixes the rows with `@<folder name>`.
 * BENCH_CPU_PROFILE=1 also samples the main thread (V8's profiler, every 0.2 ms) and names the
 * functions (file:line:column of the built file) that cost each window's costliest task most.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import type { BenchResult, BenchSuite } from '../bench';
import { serveStatic, type StaticServer } from '../../tests/e2e/server';
import { koreanFont, pageMainThreads, startTrace, widgetInfo, widgetPages, type TraceEvent } from './widgets';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const FPS_MS = Number(process.env.BENCH_FPS_MS ?? 3000);
const FPS_GOAL = 50;
/** Chrome's "good" cumulative layout shift: a widget's mount and first run should stay under it. */
const SHIFT_GOAL = 0.1;
const pageErrors: string[] = [];

interface Profile {
  name: 'desktop' | 'phone';
  context: BrowserContextOptions;
  cpuRate: number;
  taskBudget: number;
  /** FPS is a goal on this profile. */
  fps: boolean;
}

const PROFILES: Profile[] = [
  { name: 'desktop', context: { viewport: { width: 1280, height: 800 } }, cpuRate: 1, taskBudget: 50, fps: false },
  {
    name: 'phone',
    context: { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
    cpuRate: 4,
    taskBudget: 100,
    fps: true,
  },
];

/** What the page records from the start: long tasks and long animation frames (start, duration). */
function observe() {
  type Entry = { start: number; duration: number; what?: string };
  const w = window as unknown as { __lt: Entry[]; __loaf: Entry[]; __ls: Entry[] };
  w.__lt = [];
  w.__loaf = [];
  w.__ls = [];
  // Layout shifts: how far what is on screen moved, as Chrome scores it (the `duration` field
  // holds the shift's score). Scrolling is not input, so a widget's mount counts in full.
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
      if (!e.hadRecentInput) w.__ls.push({ start: e.startTime, duration: e.value });
    }
  }).observe({ type: 'layout-shift', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__lt.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { scripts?: { duration: number; sourceURL: string; sourceFunctionName: string; invoker: string }[] })[]) {
        const top = [...(e.scripts ?? [])].sort((a, b) => b.duration - a.duration)[0];
        const what = top ? `${top.invoker || top.sourceFunctionName || '?'} @${(top.sourceURL || '').split('/').pop()} ${top.duration.toFixed(0)} ms` : 'no script (style/layout/paint)';
        w.__loaf.push({ start: e.startTime, duration: e.duration, what });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    // Long Animation Frames are missing in this browser: the long tasks still count.
  }
}

interface Window {
  longest: number;
  loaf: number;
  loafWhat: string;
  /** Thread (CPU) time of the costliest main-thread task in the window, from a Chrome trace. */
  cpu: number;
  /** What that task did: its largest pieces of work in the trace (script by file, style, layout, paint). */
  cpuWhat: string;
  /** Labels of the window's ends in the trace (console.timeStamp). */
  marks: [string, string];
  /** With BENCH_CPU_PROFILE: the costliest task's script time by function, from the CPU profile. */
  fnWhat?: string;
  /**
   * Share of the window the main thread spent in tasks, by thread time (trace). Frames per second
   * fall when others load the machine; this share hardly moves, so it compares two builds fairly.
   */
  busy: number;
  /** Sum of the layout-shift scores in the window (what moved on screen while it drew). */
  shift: number;
}

const CPU_PROFILE = process.env.BENCH_CPU_PROFILE === '1';

/** A V8 CPU profile as `Profiler.stop` returns it (the parts used here). */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  startTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/**
 * Self time of each function sampled inside [from, to) (trace microseconds: the profile and the
 * trace share the clock), largest first, e.g. "Z_ plot-parts.js:54:5978 4 ms".
 */
function profileBetween(profile: CpuProfile, from: number, to: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const sums = new Map<string, number>();
  let t = profile.startTime;
  const deltas = profile.timeDeltas ?? [];
  for (const [i, id] of (profile.samples ?? []).entries()) {
    t += deltas[i];
    if (t < from || t >= to) continue;
    const f = byId.get(id)!;
    if (!f.url) continue;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    sums.set(key, (sums.get(key) ?? 0) + deltas[i] / 1000);
  }
  return largest(sums, 5, 0.5, 1);
}

/** The `n` largest sums of at least `min` ms, largest first: "Layout 19 ms, Paint 3 ms". */
function largest(sums: Map<string, number>, n: number, min: number, digits: number): string {
  return [...sums]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .filter(([, ms]) => ms >= min)
    .map(([k, ms]) => `${k} ${ms.toFixed(digits)} ms`)
    .join(', ');
}

/** Marks a window's end in the trace and returns performance.now() at that point. */
const mark = (page: Page, label: string) =>
  page.evaluate((label) => {
    console.timeStamp(label);
    return performance.now();
  }, label);

/** Trace events that say what a task did (script by file, style, layout, paint). */
const WORK = new Set(['FunctionCall', 'EvaluateScript', 'v8.evaluateModule', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize']);

/**
 * The largest pieces of work inside `task`, e.g. "Layout 19 ms, FunctionCall main.js 8 ms". A task
 * with none of those (a costliest task of 120 ms on the privacy chapter once had none) is
 * described by whatever the trace has inside it, e.g. "other: MajorGC 90 ms".
 */
function describeTask(task: TraceEvent, work: TraceEvent[], all: TraceEvent[]): string {
  const end = task.ts + (task.dur ?? 0);
  const inside = (e: TraceEvent) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end && e.pid === task.pid && e.tid === task.tid;
  const sums = new Map<string, number>();
  for (const e of work) {
    if (!inside(e)) continue;
    const file = e.args?.data?.url?.split('/').pop();
    const key = file ? `${e.name} ${file}` : e.name;
    sums.set(key, (sums.get(key) ?? 0) + (e.tdur ?? 0) / 1000);
  }
  const named = largest(sums, 4, 1, 0);
  if (named) return named;
  const other = new Map<string, number>();
  for (const e of all) if (inside(e) && e.name !== task.name) other.set(e.name, (other.get(e.name) ?? 0) + (e.tdur ?? e.dur ?? 0) / 1000);
  const text = largest(other, 3, 1, 0);
  // A garbage collection says why it ran and what it freed (a 100-160 ms mark-compact on the phone
  // profile turned up in two of eight full runs, and never when its page was traced alone).
  const gc = all.filter((e) => inside(e) && e.name === 'MajorGC').sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))[0];
  const heap = (n?: number) => (n === undefined ? '?' : (n / 1e6).toFixed(1));
  const sizes = gc ? `heap ${heap(gc.args?.usedHeapSizeBefore)} → ${heap(gc.args?.usedHeapSizeAfter)} MB` : '';
  const why = gc ? ` (${gc.args?.type ?? 'no reason given'}, ${sizes})` : '';
  return text ? `other: ${text}${why}` : '';
}

/** Fills in each window's costliest task (thread time) once the trace is complete. */
function cpuOfWindows(events: TraceEvent[], windows: Window[], profile?: CpuProfile) {
  const mains = pageMainThreads(events);
  const onMain = events.filter((e) => e.ph === 'X' && mains.has(`${e.pid}:${e.tid}`));
  const tasks = onMain.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  const work = onMain.filter((e) => WORK.has(e.name));
  const at = new Map(events.filter((e) => e.name === 'TimeStamp' && e.args?.data?.message).map((e) => [e.args!.data!.message!, e.ts]));
  for (const w of windows) {
    const from = at.get(w.marks[0]);
    const to = at.get(w.marks[1]);
    if (from === undefined || to === undefined) continue;
    const inside = tasks.filter((t) => t.ts >= from && t.ts < to).sort((a, b) => a.ts - b.ts);
    // Outermost tasks only (a trace can nest one task event in another).
    let end = -Infinity;
    let busy = 0;
    for (const t of inside) {
      if (t.ts < end) continue;
      end = t.ts + (t.dur ?? 0);
      busy += t.tdur ?? 0;
    }
    w.busy = busy / (to - from);
    const top = inside.sort((a, b) => (b.tdur ?? 0) - (a.tdur ?? 0))[0];
    w.cpu = top ? (top.tdur ?? 0) / 1000 : 0;
    w.cpuWhat = top ? describeTask(top, work, onMain) : '';
    // The whole page's costliest task also says when it ran: after which mark (the load, or the
    // scroll to the widget i, `jank:i:0`; its mount settled at `jank:i:1`, its training window
    // is `jank:i:2` to `jank:i:3`), so that a task between the widgets' windows can be placed.
    if (top && w.marks[0] === 'jank:load') {
      const before = [...at].filter(([label, ts]) => label.startsWith('jank:') && ts <= top.ts).sort((a, b) => b[1] - a[1])[0];
      if (before) w.cpuWhat += `${w.cpuWhat ? ', ' : ''}${((top.ts - before[1]) / 1000).toFixed(0)} ms after ${before[0]}`;
    }
    if (top && profile) w.fnWhat = profileBetween(profile, top.ts, top.ts + (top.dur ?? 0));
  }
}

/** Longest long task and long animation frame that start in [from, to). */
async function windowOf(page: Page, from: number, to: number, marks: [string, string]): Promise<Window> {
  const w = await page.evaluate(
    ({ from, to }) => {
      type Entry = { start: number; duration: number; what?: string };
      const w = window as unknown as { __lt: Entry[]; __loaf: Entry[]; __ls: Entry[] };
      const inside = (xs: Entry[]) => xs.filter((e) => e.start >= from && e.start < to);
      const lt = inside(w.__lt);
      const loaf = inside(w.__loaf).sort((a, b) => b.duration - a.duration)[0];
      const shift = inside(w.__ls).reduce((sum, e) => sum + e.duration, 0);
      return { longest: Math.max(0, ...lt.map((e) => e.duration)), loaf: loaf?.duration ?? 0, loafWhat: loaf?.what ?? '', shift };
    },
    { from, to },
  );
  return { ...w, cpu: Number.NaN, cpuWhat: '', marks, busy: Number.NaN };
}

const now = (page: Page) => page.evaluate(() => performance.now());

/** Waits until no long task has started for `quietMs` (or `maxMs` passed). */
async function settle(page: Page, quietMs: number, maxMs: number) {
  await page
    .waitForFunction(
      (quietMs) => {
        const w = window as unknown as { __lt: { start: number; duration: number }[] };
        const last = w.__lt.reduce((m, e) => Math.max(m, e.start + e.duration), 0);
        return performance.now() - last >= quietMs;
      },
      quietMs,
      { timeout: maxMs, polling: 100 },
    )
    .catch(() => {});
}

const trainingNow = (page: Page, tag: string) =>
  page.evaluate((tag) => {
    const d = (document.querySelector(tag) as HTMLElement).dataset;
    return d.status === 'running' || d.measured === 'running' || d.race === 'running';
  }, tag);

const snapshot = (page: Page, tag: string) =>
  page.evaluate((tag) => {
    const d = (document.querySelector(tag) as HTMLElement).dataset;
    return ['state', 'status', 'measured', 'race', 'round']
      .filter((k) => d[k] !== undefined)
      .map((k) => `${k}=${d[k]}`)
      .join(' ');
  }, tag);

interface WidgetFigures {
  tag: string;
  mount: Window;
  mountMs: number;
  train?: Window & { fps: number; state: string };
}

async function measurePage(browser: Browser, server: StaticServer, profile: Profile, url: string, tags: string[], log: (l: string) => void) {
  const context = await browser.newContext(profile.context);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${profile.name} ${url}: ${e.message}`));
  // tsx wraps named inner functions in `__name(…)`; functions sent to the page need it defined.
  await page.addInitScript('globalThis.__name = (f) => f;');
  await page.addInitScript(observe);
  const cdp = await context.newCDPSession(page);
  if (profile.cpuRate !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpuRate });
  // A trace beside the page's own observers, from before the page loads: thread time of each
  // task, which waiting for a core on a busy machine does not stretch (the wall figures do).
  const endTrace = await startTrace(cdp);
  if (CPU_PROFILE) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  // The load event's end in the trace: the whole-page window starts there.
  await page.addInitScript(() => addEventListener('load', () => setTimeout(() => console.timeStamp('jank:load'))));
  const load0 = os.loadavg()[0];
  await page.goto(server.baseUrl + url, { waitUntil: 'load' });
  const loadEnd = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd);
  await settle(page, 1000, 10_000);
  const windows: Window[] = [];
  const widgets: WidgetFigures[] = [];
  const start = await mark(page, 'jank:start');
  for (const [i, tag] of tags.entries()) {
    const t0 = await mark(page, `jank:${i}:0`);
    // The jump may pass up to 40,000 px of prose (instantly: the site sets no smooth scrolling);
    // the layout-shift sum starts when it has arrived (`scrollend`): the prose is not the widget's.
    await page.evaluate((tag) => {
      const w = window as unknown as { __arrived: number };
      w.__arrived = Infinity;
      const arrive = () => (w.__arrived = performance.now());
      addEventListener('scrollend', arrive, { once: true });
      // Already in place: no scroll, no scrollend.
      let moved = false;
      addEventListener('scroll', () => (moved = true), { once: true });
      setTimeout(() => !moved && arrive(), 500);
      document.querySelector(tag)!.scrollIntoView({ block: 'start' });
    }, tag);
    await page.waitForFunction((tag) => (document.querySelector(tag) as HTMLElement).dataset.state !== 'waiting' && (document.querySelector(tag) as HTMLElement).dataset.state !== 'loading', tag, { timeout: 60_000 });
    const mountMs = (await now(page)) - t0;
    await settle(page, 1000, 15_000);
    const t1 = await mark(page, `jank:${i}:1`);
    const mount = await windowOf(page, t0, t1, [`jank:${i}:0`, `jank:${i}:1`]);
    const arrived = await page.evaluate(() => (window as unknown as { __arrived: number }).__arrived);
    mount.shift = (await windowOf(page, Math.min(arrived, t1), t1, [`jank:${i}:0`, `jank:${i}:1`])).shift;
    windows.push(mount);
    const fig: WidgetFigures = { tag, mount, mountMs };
    // Training widgets start on mount once visible; some first load their data.
    await page.waitForFunction(([tag]) => {
      const d = (document.querySelector(tag) as HTMLElement).dataset;
      return d.status === 'running' || d.measured === 'running' || d.race === 'running';
    }, [tag], { timeout: 15_000 }).catch(() => {});
    if (await trainingNow(page, tag)) {
      const t2 = await mark(page, `jank:${i}:2`);
      const frames = await page.evaluate(
        (ms) =>
          new Promise<number>((resolve) => {
            let n = 0;
            const end = performance.now() + ms;
            const tick = (t: number) => {
              if (t >= end) return resolve(n);
              n++;
              requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
          }),
        FPS_MS,
      );
      const still = await trainingNow(page, tag);
      const t3 = await mark(page, `jank:${i}:3`);
      const w = await windowOf(page, t2, t3, [`jank:${i}:2`, `jank:${i}:3`]);
      windows.push(w);
      fig.train = Object.assign(w, { fps: frames / ((t3 - t2) / 1000), state: still ? "still training" : `stopped (${await snapshot(page, tag)})` });
    }
    widgets.push(fig);
  }
  const end = await mark(page, 'jank:end');
  const whole = await windowOf(page, loadEnd, end, ['jank:load', 'jank:end']);
  void start;
  windows.push(whole);
  const cpuProfile = CPU_PROFILE ? ((await cdp.send('Profiler.stop')).profile as CpuProfile) : undefined;
  cpuOfWindows(await endTrace(), windows, cpuProfile);
  const load1 = os.loadavg()[0];
  await cdp.detach();
  await context.close();
  return { widgets, whole, loadText: `load ${load0.toFixed(2)}→${load1.toFixed(2)}` };
}

const suite: BenchSuite = {
  title: 'Jank: longest main-thread task after load (mounts included) and FPS while training, desktop and phone profiles (Chromium, built site)',
  async run(log) {
    const dists = (process.env.BENCH_DIST ?? 'dist').split(',').map((d) => path.resolve(ROOT, d));
    const pageFilter = process.env.BENCH_PAGES?.split(',').filter(Boolean);
    const profileFilter = process.env.BENCH_PROFILES?.split(',').filter(Boolean);
    const pages = (existsSync(path.join(dists[0], 'chapters')) ? widgetPages(dists[0], widgetInfo()) : [])
      .map((p) => ({ url: p.url, tags: p.widgets.map((w) => w.tag) }))
      .filter(
      (p) => !pageFilter || pageFilter.some((f) => p.url.includes(f)),
    );
    if (!pages.length) {
      log(`  ${dists[0]} has no page with a widget (or none matches BENCH_PAGES): run \`npm run build\` first`);
      return [{ name: 'jank', ratio: Number.NaN, detail: 'not measured: no built widget page', target: 'built site', ok: false }];
    }
    // A phone always has a Korean font; a bare Linux machine may not (koreanFont says what that costs).
    const font = koreanFont();
    const fontText = font ? `Korean font: ${font}` : 'NO Korean font (every Korean text falls back: slower than a phone; install fonts-noto-cjk)';
    log(`  ${fontText}`);
    const servers: { server: StaticServer; suffix: string }[] = [];
    for (const d of dists) servers.push({ server: await serveStatic({ root: d, mount: process.env.BENCH_BASE ?? '/' }), suffix: dists.length > 1 ? `@${path.basename(d)}` : '' });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    const results: BenchResult[] = [];
    try {
      for (const profile of PROFILES.filter((p) => !profileFilter || profileFilter.includes(p.name))) {
        const budget = profile.taskBudget;
        for (const { url, tags } of pages) for (const { server, suffix } of servers) {
          const measured = await measurePage(browser, server, profile, url, tags, log);
          const { widgets, whole } = measured;
          const loadText = `${measured.loadText}; ${fontText}`;
          const id = url.replace(/\/$/, '') + suffix;
          const cpuText = (x: Window) => `${x.cpu.toFixed(0)} ms CPU${x.cpuWhat ? ` [${x.cpuWhat}]` : ''}${x.fnWhat ? ` {${x.fnWhat}}` : ''}`;
          for (const w of widgets) {
            const worst = Math.max(w.mount.longest, w.train?.longest ?? 0);
            const worstCpu = Math.max(w.mount.cpu, w.train?.cpu ?? 0);
            const train = w.train
              ? `; training ${FPS_MS / 1000} s: ${w.train.fps.toFixed(0)} fps, main thread busy ${(w.train.busy * 100).toFixed(0)}% (thread time), longest task ${w.train.longest.toFixed(0)} ms wall / ${cpuText(w.train)}, longest frame ${w.train.loaf.toFixed(0)} ms${w.train.loafWhat ? ` (${w.train.loafWhat})` : ''}, ${w.train.state}`
              : '; does not train on mount';
            const shift = w.mount.shift + (w.train?.shift ?? 0);
            const detail = `mount ${w.mountMs.toFixed(0)} ms to ready, layout shift ${shift.toFixed(3)}, longest task ${w.mount.longest.toFixed(0)} ms wall / ${cpuText(w.mount)}, longest frame ${w.mount.loaf.toFixed(0)} ms${w.mount.loafWhat ? ` (${w.mount.loafWhat})` : ''}${train}; ${loadText}`;
            log(`  ${profile.name} ${id} ${w.tag}: ${detail}`);
            results.push({ name: `${profile.name}:${id}/${w.tag}`, ratio: worst / budget, detail: `${worst.toFixed(0)} ms wall, ${worstCpu.toFixed(0)} ms CPU: ${detail}`, target: `≤ ${budget} ms`, ok: worst <= budget });
            results.push({
              name: `${profile.name}-shift:${id}/${w.tag}`,
              ratio: shift / SHIFT_GOAL,
              detail: `${shift.toFixed(3)}: sum of Chrome's layout-shift scores from the scroll's arrival at the widget until the end of its training window; ${loadText}`,
              target: `≤ ${SHIFT_GOAL}`,
              ok: shift <= SHIFT_GOAL,
            });
            if (profile.fps && w.train) {
              results.push({
                name: `${profile.name}-fps:${id}/${w.tag}`,
                ratio: w.train.fps / FPS_GOAL,
                detail: `${w.train.fps.toFixed(1)} fps, main thread busy ${(w.train.busy * 100).toFixed(0)}%: requestAnimationFrame callbacks over ${FPS_MS / 1000} s while it trained (${w.train.state}); ${loadText}`,
                target: `≥ ${FPS_GOAL} fps`,
                ok: w.train.fps >= FPS_GOAL,
              });
            }
          }
          const fpsList = widgets.filter((w) => w.train).map((w) => w.train!.fps);
          const worstFps = fpsList.length ? Math.min(...fpsList) : NaN;
          const fpsText = fpsList.length ? `; worst fps while training ${worstFps.toFixed(0)}` : '';
          log(`  ${profile.name} ${id}: longest task after load ${whole.longest.toFixed(0)} ms wall / ${cpuText(whole)}, longest frame ${whole.loaf.toFixed(0)} ms (${whole.loafWhat})${fpsText}; ${loadText}`);
          results.push({
            name: `${profile.name}:${id}`,
            ratio: whole.longest / budget,
            detail: `${whole.longest.toFixed(0)} ms wall, ${cpuText(whole)}: longest task after the load event, ${tags.length} widgets mounted in turn${fpsText}; longest frame ${whole.loaf.toFixed(0)} ms; ${loadText} on ${os.availableParallelism()} cores`,
            target: `≤ ${budget} ms`,
            ok: whole.longest <= budget,
          });
        }
      }
      if (pageErrors.length) throw new Error(`page errors during the benchmark:\n  ${pageErrors.join('\n  ')}`);
      return results;
    } finally {
      await browser.close();
      for (const { server } of servers) await server.close();
    }
  },
};

export default suite;
