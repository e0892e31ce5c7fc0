/**
 * Steps every widget test shares: open a page with a widget's query and bring the widget on
 * screen (which mounts it), wait for a lazy widget to be ready or for a run, read its data-* and
 * its controller's inspect(), move controls, and the checks every widget gets (malformed
 * addresses, keyboard focus, downloads, overflow). `widgetTest(path, tag)` binds them to one
 * widget, so that a test file states only its own steps.
 *
 * Every widget sets data-state (waiting, ready) and, if it trains, data-status (loading,
 * running, paused, finished, diverged, error) and data-run-id on its element, and its
 * controller has inspect() returning plain data.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { ConsoleMessage, Locator, Page } from 'playwright-core';
import { expectAxeClean, expectNoProblems, openPage, VIEWPORTS, type BrowserSession, type OpenOptions, type PageVisit } from './harness';
import { WIDE_QUERY } from '~/widgets/controls/groups';

/**
 * Opens the widget's folded control groups as a reader would (a tap on each closed summary):
 * below 700 px they start closed (controls/Group.astro), and a test that sets a control needs
 * it on screen. mobile-layout.test.ts tests the folded state itself.
 */
export async function openControlGroups(page: Page, tag: string): Promise<void> {
  const closed = page.locator(`${tag} details[data-control-group]:not([open]) > summary`);
  // The groups fold at DOMContentLoaded (controls/groups.ts), before openPage returns.
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

/** What `watchRewrites` saw: writes that changed something, and those that wrote what was already there. */
export interface Rewrites {
  /** Text or attribute writes that changed what the widget shows. */
  changed: number;
  /** Writes of the same text or attribute value again, each as `<element>: <what>`. */
  same: string[];
}

/**
 * Watches the widget `tag` for writes that change nothing: a text replaced by the same text,
 * children replaced by the same markup, and an attribute of the widget, its progress bar, its
 * play button or a pixel picture (pixels.ts) set to the value it had. Each is laid out and painted
 * again for nothing (a phone's frame rate pays for it); read with the returned function.
 */
export async function watchRewrites(page: Page, tag: string): Promise<() => Promise<Rewrites>> {
  await page.evaluate((tag) => {
    const root = document.querySelector(tag)!;
    const seen: Rewrites = { changed: 0, same: [] };
    (window as unknown as { __rewrites: Rewrites }).__rewrites = seen;
    const name = (el: Node) => (el instanceof Element ? `${el.localName}${[...el.attributes].filter((a) => a.name.startsWith('data-') && a.value === '').map((a) => `[${a.name}]`).join('')}` : el.nodeName);
    const watched = (el: Node) => el === root || (el instanceof Element && el.matches('[data-progress], [data-action="toggle-play"], svg.px, .px__image'));
    const markup = (nodes: Iterable<Node>) => [...nodes].map((n) => (n instanceof Element ? n.outerHTML : n.textContent)).join('');
    new MutationObserver((records) => {
      // An attribute's new value is the old value of the next record for it (on the same element:
      // several pictures share a name), or its value now.
      const next = new Map<Node, Map<string, string | null>>();
      const byParent = new Map<Node, { removed: string; added: Node[] }>();
      for (const r of [...records].reverse()) {
        if (r.type === 'attributes') {
          const id = `${name(r.target)}@${r.attributeName}`;
          const later = next.get(r.target) ?? new Map<string, string | null>();
          next.set(r.target, later);
          const now = later.has(r.attributeName!) ? later.get(r.attributeName!)! : (r.target as Element).getAttribute(r.attributeName!);
          later.set(r.attributeName!, r.oldValue);
          if (!watched(r.target)) continue;
          if (now === r.oldValue) seen.same.push(`${id}: ${now}`);
          else seen.changed++;
        } else if (r.type === 'characterData') {
          if (r.oldValue === r.target.textContent) seen.same.push(`${name(r.target.parentNode!)}: ${r.oldValue}`);
          else seen.changed++;
        }
      }
      // Children replaced, gathered per parent in order (`el.innerHTML = ''` then `el.append(…)`
      // are two records): the same markup again is a text set to what it said, or a part rebuilt as it was.
      for (const r of records) {
        if (r.type !== 'childList') continue;
        const p = byParent.get(r.target) ?? { removed: '', added: [] as Node[] };
        p.removed += markup(r.removedNodes);
        p.added.push(...r.addedNodes);
        byParent.set(r.target, p);
      }
      for (const [parent, { removed, added }] of byParent) {
        const now = markup(added.filter((n) => n.parentNode === parent));
        if (!removed && !now) continue;
        if (removed === now) seen.same.push(`${name(parent)}: ${now.slice(0, 80)}`);
        else seen.changed++;
      }
    }).observe(root, { subtree: true, childList: true, characterData: true, characterDataOldValue: true, attributes: true, attributeOldValue: true });
  }, tag);
  return () => page.evaluate(() => (window as unknown as { __rewrites: Rewrites }).__rewrites);
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

/** The element's data-* value. */
export const dataOf = async (page: Page, tag: string, key: string) => page.locator(tag).evaluate((el, k) => (el as HTMLElement).dataset[k] ?? '', key);

/**
 * Waits until `pred(dataset)` holds on the widget element. The predicate runs in the page, so it
 * must be self-contained.
 */
export async function waitData(page: Page, tag: string, pred: string, timeout = 60_000): Promise<void> {
  // A function (not a string) so that the page's CSP, which forbids eval, does not block it.
  await page.waitForFunction(
    ({ tag, pred }) => {
      const el = document.querySelector(tag) as HTMLElement | null;
      if (!el) return false;
      const d = el.dataset;
      const [key, op, value] = pred.split(/(===|!==|>=)/);
      const v = d[key] ?? '';
      if (op === '===') return v === value;
      if (op === '!==') return v !== value;
      return Number(v) >= Number(value);
    },
    { tag, pred },
    { timeout },
  );
}

/**
 * Waits for a new run (run id above `after`, read from `idKey`) to reach `status`. Unless that
 * status is one of a run under way, it also waits until nothing in the widget is aria-busy: the
 * charts draw through a queue a few frames after the state they show, so what the test reads
 * next is the drawing of the run that ended.
 */
export async function waitRun(page: Page, tag: string, after: number, status = 'finished', timeout = 60_000, idKey = 'runId'): Promise<number> {
  await page
    .waitForFunction(
      ({ tag, after, status, idKey }) => {
        const el = document.querySelector(tag) as HTMLElement | null;
        if (!el || Number(el.dataset[idKey] ?? 0) <= after || el.dataset.status !== status) return false;
        return status === 'running' || status === 'loading' || !el.querySelector('[aria-busy="true"]');
      },
      { tag, after, status, idKey },
      { timeout },
    )
    .catch(async (err: Error) => {
      // A run that never arrives says where it stopped: the widget's data-* and what is still busy.
      throw new Error(`${err.message}\nwaiting for ${idKey} > ${after}, status ${status}; the widget now: ${await widgetNow(page, tag)}`);
    });
  return Number(await dataOf(page, tag, idKey));
}

/** The widget's data-* values, what in it is aria-busy and where it is on screen, for a failure message. */
function widgetNow(page: Page, tag: string): Promise<string> {
  return page
    .evaluate((tag) => {
      const el = document.querySelector(tag) as HTMLElement | null;
      if (!el) return 'not on the page';
      const busy = [...el.querySelectorAll('[aria-busy="true"]')].map((b) => b.getAttribute('data-view') ?? b.className);
      const r = el.getBoundingClientRect();
      return JSON.stringify({ data: { ...el.dataset }, busy, top: Math.round(r.top), bottom: Math.round(r.bottom), innerHeight, tab: document.visibilityState });
    }, tag)
    .catch((e: Error) => `unreadable (${e.message})`);
}

/** The controller's inspect(), through JSON. */
export async function inspect<T = Record<string, unknown>>(page: Page, tag: string): Promise<T> {
  return page.evaluate((tag) => {
    const el = document.querySelector(tag) as unknown as { widgetController: { inspect(): unknown } | null };
    return JSON.parse(JSON.stringify(el.widgetController?.inspect() ?? null));
  }, tag);
}

/** A digest of what is drawn inside `selector` (SVG markup and canvas pixels). */
export async function drawn(page: Page, selector: string): Promise<string> {
  return page.evaluate(async (selector) => {
    const parts: string[] = [];
    for (const el of document.querySelectorAll(selector)) {
      for (const svg of el.querySelectorAll('svg')) parts.push(svg.outerHTML.replace(/\s(id|clip-path)="[^"]*"/g, ''));
      for (const c of el.querySelectorAll('canvas')) parts.push((c as HTMLCanvasElement).toDataURL());
      parts.push(el.textContent ?? '');
    }
    const buf = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(parts.join('|')));
    return [...new Uint8Array(buf)].slice(0, 8).map((b) => b.toString(16).padStart(2, '0')).join('');
  }, selector);
}

/** Controls by their Korean label, inside one widget (several widgets share some labels). */
export const slider = (scope: Locator, name: string) => scope.getByRole('slider', { name, exact: true });
export const combo = (scope: Locator, name: string) => scope.getByRole('combobox', { name, exact: true });

export async function press(target: Locator, key: string, times = 1): Promise<void> {
  await target.focus();
  // A control inside a closed group or a hidden panel cannot take the focus, and its keys would go
  // to the page: say so now rather than wait for a change that never comes.
  if (!(await target.evaluate((el) => el === document.activeElement))) throw new Error(`press ${key}: the control did not take the focus`);
  for (let i = 0; i < times; i++) await target.press(key);
}

/** A fixed-seed generator, so the random query strings are the same every run. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Random and malformed query strings aimed at a namespace. */
export function randomQueries(ns: string, keys: string[], n: number, seed: number): string[] {
  const rand = lcg(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const allKeys = [...keys, 'bogus', '', '__proto__', 'constructor', 'toString'];
  const values = ['0', '1', '-1', '10', '1e9', '-1e-9', '0.1', '.5', 'NaN', 'Infinity', 'abc', '', '%', '%E0%A4%A', '%ZZ', '%00', '+', 'iid', 'shards', 'all', 'fast', 'spiral', 'relu', '999999999999999999999', '0x10', '1,5', '한글', '🎲', '<script>', '"\'', 'true', 'false', '0.30000000000000004', '3.000000000001', '%2F%2E%2E'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const parts: string[] = [];
    const count = Math.floor(rand() * 8);
    for (let j = 0; j < count; j++) {
      const form = rand();
      if (form < 0.75) parts.push(`${ns}.${pick(allKeys)}=${pick(values)}`);
      else if (form < 0.85) parts.push(`${ns}.${pick(allKeys)}`);
      else if (form < 0.93) parts.push(`${pick(values)}=${pick(values)}`);
      else parts.push(pick(['&&', '=', '==', '?', '#', `${ns}.`, `${ns}..x=1`, `${ns}.seed=1=2`, '%', `&${ns}.${keys[0]}`]));
    }
    out.push(parts.join(rand() < 0.9 ? '&' : ';'));
  }
  return out;
}

/**
 * Reads each query with a fresh, unmounted copy of the widget (exactly what happens on load) and
 * returns every control left without a valid value. [] when all settings came out valid.
 */
export async function malformedQueryProblems(page: Page, tag: string, queries: string[]): Promise<string[]> {
  return page.evaluate(
    ({ tag, queries }) => {
      const original = document.querySelector(tag)!;
      const template = original.innerHTML;
      const box = document.createElement('div');
      box.hidden = true;
      document.body.append(box);
      const out: string[] = [];
      for (const q of queries) {
        history.replaceState(null, '', `?${q}`);
        const el = document.createElement(tag);
        el.innerHTML = template;
        box.append(el);
        for (const f of el.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-param]')) {
          if (f instanceof HTMLSelectElement && f.selectedIndex < 0) out.push(`${q}: ${f.dataset.param} has no option selected`);
          if (f instanceof HTMLInputElement && (f.type === 'range' || f.type === 'number')) {
            const v = Number(f.value);
            if (!Number.isFinite(v) || v < Number(f.min) || v > Number(f.max)) out.push(`${q}: ${f.dataset.param}=${f.value}`);
          }
        }
        el.remove();
      }
      box.remove();
      history.replaceState(null, '', location.pathname);
      return out;
    },
    { tag, queries },
  );
}

/** Values of every control of a widget, as a reader sees them (readouts for sliders). */
export async function controlValues(page: Page, tag: string): Promise<Record<string, string>> {
  return page.locator(tag).evaluate((root) => {
    const values: Record<string, string> = {};
    for (const f of root.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-param]')) {
      if (f instanceof HTMLInputElement && f.type === 'radio' && !f.checked) continue;
      values[f.dataset.param!] =
        f instanceof HTMLInputElement && f.type === 'range' ? (f.getAttribute('aria-valuetext') ?? '') : f instanceof HTMLInputElement && f.type === 'checkbox' ? String(f.checked) : f.value;
    }
    return values;
  });
}

/**
 * Tabs through the whole widget, from its first focus stop (reached by Shift+Tab from `first`,
 * a control inside it: the picture and the play button come before the settings): every stop
 * inside must show a focus ring.
 */
export async function focusStops(page: Page, tag: string, first: string, max = 100): Promise<string[]> {
  // Arrive at the first stop by keyboard: a checkbox focused from script shows no ring.
  await page.locator(first).focus();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Shift+Tab');
    if (!(await page.evaluate((tag) => !!document.activeElement?.closest(tag), tag))) break;
  }
  await page.keyboard.press('Tab');
  const stops: string[] = [];
  for (let i = 0; i < max; i++) {
    const info = await page.evaluate((tag) => {
      const el = document.activeElement as HTMLElement;
      const inside = !!el.closest(tag);
      const cs = getComputedStyle(el);
      const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1) || cs.boxShadow !== 'none';
      const spanRing = el.matches('.ctl__segment input') && getComputedStyle(el.nextElementSibling!).outlineStyle !== 'none';
      return { inside, id: el.id || el.getAttribute('data-action') || el.tagName.toLowerCase(), visible: el.matches(':focus-visible') && (ring || spanRing) };
    }, tag);
    if (!info.inside) break;
    expect(info.visible, `focus ring on ${info.id}`).toBe(true);
    stops.push(info.id);
    await page.keyboard.press('Tab');
  }
  return stops;
}

/** Records the files the page hands to the browser (`<a download>` clicks) in `window.handedOver`. */
async function recordHandovers(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { handedOver?: string[] };
    if (w.handedOver) return;
    const handedOver: string[] = (w.handedOver = []);
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      if (this.download) handedOver.push(this.download);
      click.call(this);
    };
  });
}

/** What the page shows and has handed over, for an error message. */
async function pageAccount(page: Page): Promise<string[]> {
  const alerts = await page.locator('[role=alert]:visible, [role=status]:visible').allTextContents().catch(() => []);
  const handed = await page.evaluate(() => (window as unknown as { handedOver?: string[] }).handedOver ?? []).catch(() => []);
  return [...alerts.map((t) => t.trim()).filter(Boolean).map((t) => `alert: ${t}`), `files handed to the browser: ${handed.join(', ') || 'none'}`];
}

/**
 * Clicks a download button and returns the file's name and bytes. When no file comes, the error
 * names the button and says what the page said meanwhile (its alerts, errors and console errors)
 * and which files the page handed to the browser, so a picture that was not there, a PNG that
 * failed and a download the browser dropped can be told apart. A click that brings nothing is
 * made once more, as a reader would (the first failure is written to the log): on the 2-core CI
 * machine Chromium once dropped one of a dozen downloads in a row; two in a row fail the test.
 */
export async function download(page: Page, button: Locator): Promise<{ name: string; body: Buffer }> {
  const said: string[] = [];
  const onError = (e: Error) => said.push(`page error: ${e.message}`);
  const onConsole = (m: ConsoleMessage) => void (m.type() === 'error' && said.push(`console: ${m.text()}`));
  page.on('pageerror', onError);
  page.on('console', onConsole);
  const name = (await button.getAttribute('aria-label').catch(() => null)) ?? button.toString();
  try {
    await recordHandovers(page);
    for (let attempt = 1; ; attempt++) {
      try {
        // The click gives up first, so a button that cannot be clicked is reported as such.
        const [d] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), button.click({ timeout: 10_000 })]);
        return { name: d.suggestedFilename(), body: readFileSync((await d.path())!) };
      } catch (err) {
        said.push(`attempt ${attempt}: ${(err as Error).message.split('\n')[0]}`, ...(await pageAccount(page)));
        if (attempt === 2) throw new Error(`no download from ${name}; ${said.join(' | ')}`);
        process.stderr.write(`download: no file from ${name} at the first click, clicking again (${said.join(' | ')})\n`);
      }
    }
  } finally {
    page.off('pageerror', onError);
    page.off('console', onConsole);
  }
}

/** Checks a downloaded PNG and SVG of a view. */
export async function expectImageDownloads(page: Page, scope: Locator, what: string): Promise<void> {
  const png = await download(page, scope.getByRole('button', { name: `${what} PNG 파일 내려받기` }));
  expect([...png.body.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  expect(png.body.length).toBeGreaterThan(1500);
  const svg = (await download(page, scope.getByRole('button', { name: `${what} SVG 파일 내려받기` }))).body.toString('utf8');
  expect(svg.startsWith('<?xml')).toBe(true);
  expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
}

/**
 * Counts, from now on, the paths put into the layers of the charts under `selector` (the lines or
 * points a chart changes in place, plot-parts.ts's overlay): `added()` reads the count; and the
 * charts drawn whole (a new SVG from Observable Plot): `drawn()`.
 */
export async function countLayerPaths(page: Page, selector: string): Promise<{ added(): Promise<number>; drawn(): Promise<number> }> {
  const key = `layer${Math.random().toString(36).slice(2)}`;
  await page.evaluate(
    ([selector, key]) => {
      const seen = window as unknown as Record<string, { paths: number; svgs: number }>;
      seen[key] = { paths: 0, svgs: 0 };
      const count = (rs: MutationRecord[]) =>
        rs.forEach((r) => {
          if ((r.target as Element).matches('g[data-layer]')) seen[key].paths += r.addedNodes.length;
          for (const n of r.addedNodes) if (n instanceof SVGSVGElement || (n instanceof Element && n.querySelector(':scope > svg'))) seen[key].svgs++;
        });
      new MutationObserver(count).observe(document.querySelector(selector)!, { childList: true, subtree: true });
    },
    [selector, key],
  );
  const read = (what: 'paths' | 'svgs') => page.evaluate(([key, what]) => (window as unknown as Record<string, Record<string, number>>)[key][what], [key, what] as const);
  return { added: () => read('paths'), drawn: () => read('svgs') };
}

/**
 * The chart `svg` shows as a draw of its data at once would: its markup now equals the chart drawn
 * anew after the page was narrowed to 600 px and widened back (a chart redraws for a new width).
 */
export async function expectSameAsFreshDraw(page: Page, svg: Locator): Promise<void> {
  // A draw still waiting in the page's queue first (its chart says aria-busy).
  await expect.poll(() => svg.evaluate((e) => e.closest('[aria-busy="true"]') !== null)).toBe(false);
  const shown = await svg.evaluate((e) => e.outerHTML);
  const size = page.viewportSize()!;
  const width = () => svg.getAttribute('width');
  const before = await width();
  await page.setViewportSize({ width: 600, height: size.height });
  await expect.poll(width).not.toBe(before);
  await page.setViewportSize(size);
  await expect.poll(width).toBe(before);
  await expect.poll(() => svg.evaluate((e) => e.outerHTML)).toBe(shown);
}

/** Horizontal overflow of the document in px (0 is right). */
export const overflowX = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - innerWidth);

/**
 * A widget that has trained, seen on a phone's screen without training it again: the page is
 * narrowed to 360 px, the widget redraws for the width (nothing in it busy, two frames painted),
 * nothing sticks out sideways and axe finds nothing in it (in `include`, default the widget);
 * then the page gets its width back, with the widget on screen. With `dark`, the system setting turns dark first, as a
 * reader's would, and stays so. The phone layout before a run (picture first, folded groups) is
 * mobile-layout.test.ts's.
 */
export async function expectFitsPhone(page: Page, tag: string, { dark = false, include = tag }: { dark?: boolean; include?: string } = {}): Promise<void> {
  const before = page.viewportSize();
  if (dark) await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize(VIEWPORTS.mobile);
  await page.waitForFunction((tag) => {
    const el = document.querySelector(tag);
    return !!el && !el.matches('[aria-busy="true"]') && !el.querySelector('[aria-busy="true"]');
  }, tag);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  expect(await overflowX(page)).toBeLessThanOrEqual(1);
  await expectAxeClean(page, { include });
  if (before) await page.setViewportSize(before);
  // The settings groups fold below 700 px and open again above it, on the media query's change
  // event at the next frame: a control pressed before then is inside a closed group, cannot take
  // the focus, and the key would go nowhere.
  await page.waitForFunction(
    ({ tag, query }) => {
      const wide = matchMedia(query).matches;
      return [...document.querySelectorAll(`${tag} details[data-control-group]`)].every((g) => (g as HTMLDetailsElement).open === wide);
    },
    { tag, query: WIDE_QUERY },
  );
  // The page reflowed twice: bring the widget back on screen, or a run it starts next would wait
  // there until it is seen again (runs pause off screen).
  await page.locator(tag).scrollIntoViewIfNeeded();
}

export interface WidgetTestOptions {
  /** How long `waitRun` and `waitData` wait by default (ms). */
  timeout?: number;
  /**
   * Read inspect() through JSON, as a download would see it (typed arrays become objects, NaN
   * and ∞ become null); false keeps what Playwright passes (∞ stays ∞). Default true.
   */
  json?: boolean;
}

/**
 * The steps above bound to one widget (`tag`) on one page (`path`):
 *
 *   const w = widgetTest<FedInspection>('chapters/federated/', 'fed-playground');
 *   const { page } = await w.open(browser, 'fed.rounds=5');
 *   await w.waitRun(page, 0);
 *   expect((await w.inspect(page)).status).toBe('finished');
 */
export function widgetTest<I>(path: string, tag: string, { timeout = 60_000, json = true }: WidgetTestOptions = {}) {
  const read = (page: Page) => (json ? inspect<I>(page, tag) : inspectWidget<I>(page, tag));
  return {
    tag,
    /** Opens the page with `query` and brings the widget on screen (which mounts it). */
    open: (browser: BrowserSession, query = '', opts: OpenOptions = {}) => openWidgetAt(browser, path, tag, query, opts),
    /** Opens the page with `query` (a leading "?" or not) and waits until the widget has mounted. */
    async openReady(browser: BrowserSession, query = '', opts: OpenOptions = {}): Promise<PageVisit> {
      const q = query.replace(/^\?/, '');
      const visit = await openPage(browser, `${path}${q ? `?${q}` : ''}`, opts);
      await widgetReady(visit.page, tag);
      return visit;
    },
    ready: (page: Page) => widgetReady(page, tag),
    /**
     * Opens the page with `query` at its top, where the widget (far below the fold) must not have
     * mounted yet; brings it on screen, waits with `settled` (default: its first run finished)
     * and expects that run trained in a worker on wasm. The caller closes the visit.
     */
    async firstRun(browser: BrowserSession, query: string, settled = (p: Page) => waitRun(p, tag, 0)): Promise<{ visit: PageVisit; info: I }> {
      const visit = await openPage(browser, `${path}?${query}`);
      try {
        expect(await dataOf(visit.page, tag, 'state')).toBe('waiting');
        await visit.page.locator(tag).scrollIntoViewIfNeeded();
        await settled(visit.page);
        const info = await read(visit.page);
        expect((info as { backend?: unknown }).backend).toMatchObject({ backend: 'wasm', thread: 'worker' });
        return { visit, info };
      } catch (err) {
        await visit.close();
        throw err;
      }
    },
    inspect: read,
    runId: (page: Page) => widgetRunId(page, tag),
    waitRun: (page: Page, after: number, status = 'finished', wait = timeout, idKey = 'runId') => waitRun(page, tag, after, status, wait, idKey),
    data: (page: Page, key: string) => dataOf(page, tag, key),
    waitData: (page: Page, pred: string, wait = timeout) => waitData(page, tag, pred, wait),
    slider: (page: Page, name: string) => slider(page.locator(tag), name),
    combo: (page: Page, name: string) => combo(page.locator(tag), name),
    controlValues: (page: Page) => controlValues(page, tag),
    malformedQueryProblems: (page: Page, queries: string[]) => malformedQueryProblems(page, tag, queries),
    focusStops: (page: Page, first: string, max?: number) => focusStops(page, tag, first, max),
    /**
     * Opens the page's current address in a new tab (reduced motion), switches it to the fast
     * speed, waits with `settled` (default: its first run finished), and expects the same control
     * values but the speed and the same `pick(inspect())`: the address keeps every setting.
     */
    async expectAddressReopens(browser: BrowserSession, page: Page, pick: (info: I) => unknown, settled = (p: Page) => waitRun(p, tag, 0)) {
      const url = page.url();
      const values = await controlValues(page, tag);
      const picked = pick(await read(page));
      const again = await openPage(browser, url.slice(url.indexOf(path)), { reducedMotion: 'reduce' });
      try {
        await again.page.locator(tag).scrollIntoViewIfNeeded();
        await again.page.locator(tag).getByRole('radio', { name: '빠르게' }).check();
        await settled(again.page);
        expect(await controlValues(again.page, tag)).toEqual({ ...values, speed: 'fast' });
        expect(pick(await read(again.page))).toEqual(picked);
        expectNoProblems(again.problems);
      } finally {
        await again.close();
      }
    },
    /** Waits for the widget's alert to show and expects `text` in it; returns the alert. */
    async expectAlert(page: Page, text: string): Promise<Locator> {
      const alert = page.locator(`${tag} [data-alert]`);
      await expect.poll(() => alert.isVisible()).toBe(true);
      expect(await alert.textContent()).toContain(text);
      return alert;
    },
    /** The widget's notices about its address, one a line. */
    notices: async (page: Page) => (await page.locator(`${tag} [data-notices] p`).allTextContents()).join('\n'),
    /** Clicks the widget's button `selector` and returns the downloaded file's text. */
    downloadText: (page: Page, selector: string) => downloadText(page, page.locator(`${tag} ${selector}`)),
    /** The same for a CSV file, as its lines. */
    csvLines: async (page: Page, selector: string) => (await downloadText(page, page.locator(`${tag} ${selector}`))).trim().split(/\r\n/),
  };
}

/** The address's search parameters now. */
export const query = (page: Page) => new URL(page.url()).searchParams;

/** Clicks a download button and returns the file's text (a BOM removed). */
export async function downloadText(page: Page, button: Locator): Promise<string> {
  return (await download(page, button)).body.toString('utf8').replace(/^\ufeff/, '');
}
