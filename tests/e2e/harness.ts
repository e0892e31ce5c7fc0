/**
 * The browser harness every e2e test uses: Debian's Chromium through playwright-core, against the
 * built site that global-setup.ts serves on 127.0.0.1.
 *
 * Typical widget test:
 *
 *   import { expect, test } from 'vitest';
 *   import { browserForSuite, openPage, expectNoProblems, expectAxeClean } from './harness';
 *
 *   const browser = browserForSuite();
 *
 *   test('the chart redraws when the learning rate changes', async () => {
 *     const visit = await openPage(browser, 'chapters/centralized/', { viewport: 'mobile' });
 *     const { page } = visit;
 *     await page.getByLabel('학습률').fill('0.3');
 *     // … assertions on page …
 *     await expectAxeClean(page, { include: '#fig-2' });
 *     await visit.done(3000);     // settle, expect no problems, close
 *   });
 *
 * API
 *   VIEWPORTS, CHROMIUM_PATH, CHROMIUM_ARGS  Presets and the launch flags.
 *   site()                   What global setup serves: { baseUrl, origin, mount, distDir }.
 *   siteUrl(path)            Absolute URL of a site path, e.g. siteUrl('chapters/intro/').
 *   launchBrowser(opts)      Chromium with a fresh profile (launchPersistentContext); close() removes it.
 *   browserForSuite(opts)    launchBrowser in beforeAll and close in afterAll, for a file or describe block.
 *   openPage(browser, path, opts)
 *                            Opens a page and records, until close(): console errors (page and
 *                            workers), uncaught page errors, requests to any other origin (these
 *                            are aborted, never sent), CSP violations, and same-origin responses
 *                            with status ≥ 400. Returns { page, response, problems, settle, close, done }.
 *   problemList(problems)    The recorded problems as readable lines ([] when clean).
 *   expectNoProblems(problems, { allow })
 *                            Throws listing every problem; `allow` takes RegExps for known,
 *                            deliberate messages (use sparingly, say why).
 *   runAxe(page, opts)       axe-core with wcag2a + wcag2aa; returns violations as readable lines.
 *   expectAxeClean(page, opts)
 *   focusProblems(page, opts) Tabs through the page; lines for every focus stop without a visible
 *                            indicator (outline or box-shadow) or outside the viewport.
 *   auditPage(browser, path, opts)
 *                            All of the above for one page (what pages.test.ts runs per page).
 *   auditProblems(audit)     The audit's failures as readable lines ([] when clean).
 *   listPages(distDir)       Site paths of all built pages ('' for home, 'chapters/intro/', …).
 *
 * Visits within one BrowserSession must run one at a time (vitest runs tests in a file in
 * sequence), because requests from workers are attributed to the visit that is open.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';
import { htmlFiles } from './site-files';
import { chromium, type BrowserContext, type ConsoleMessage, type Page, type Response } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';

export { CHROMIUM_ARGS, CHROMIUM_PATH };

/** Viewport presets: a laptop and the narrowest phone the site supports. */
export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  mobile: { width: 360, height: 740 },
} as const;

export type ViewportName = keyof typeof VIEWPORTS;
export type Viewport = ViewportName | { width: number; height: number };

/** What global setup provides (see global-setup.ts). */
export interface SiteInfo {
  /** Directory being served (dist/ unless E2E_DIST says otherwise). */
  distDir: string;
  /** e.g. http://127.0.0.1:40123 */
  origin: string;
  /** URL path the site is mounted at, e.g. '/'. */
  mount: string;
  /** origin + mount */
  baseUrl: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    site: SiteInfo;
  }
}

/** The served site. */
export function site(): SiteInfo {
  return inject('site');
}

/** Absolute URL of a path on the served site; a leading slash is ignored ('/glossary/' = 'glossary/'). */
export function siteUrl(path = '', base: string = site().baseUrl): string {
  return base + path.replace(/^\/+/, '');
}

/** A running Chromium with its own throwaway profile. */
export interface BrowserSession {
  context: BrowserContext;
  /** Closes Chromium and deletes the profile directory. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Initial viewport for new pages; default 'desktop'. */
  viewport?: Viewport;
  /** Emulated colour scheme; default 'light'. */
  colorScheme?: 'light' | 'dark';
  /** Emulated prefers-reduced-motion; default 'no-preference'. */
  reducedMotion?: 'reduce' | 'no-preference';
  /** Extra Chromium flags (e.g. '--js-flags=--noexpose_wasm' to take WebAssembly away). */
  extraArgs?: string[];
  /** A phone: touch, a device pixel ratio of 2 and the page's mobile viewport rules. */
  phone?: boolean;
}

function size(v: Viewport): { width: number; height: number } {
  return typeof v === 'string' ? VIEWPORTS[v] : v;
}

/** Launches Chromium headless with a fresh profile, via launchPersistentContext. */
export async function launchBrowser(opts: LaunchOptions = {}): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(opts.extraArgs ?? [])],
    viewport: size(opts.viewport ?? 'desktop'),
    colorScheme: opts.colorScheme ?? 'light',
    reducedMotion: opts.reducedMotion ?? 'no-preference',
    locale: 'ko-KR',
    ...(opts.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    // The CSP under test must stay in force.
    bypassCSP: false,
  });
  // CSP violations are DOM events; forward them out of the page before any page script runs.
  await context.exposeBinding('__e2eCspViolation', ({ page }, v: string) => {
    currentVisits.get(page)?.problems.cspViolations.push(v);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __e2eCspViolation?: (v: string) => void }).__e2eCspViolation;
      report?.(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile || '?'}:${e.lineNumber}) ${e.sample}`.trim());
    });
  });
  // Nothing may reach the network: every request that does not go to a local test server is
  // aborted here (and recorded as foreign by the open visit). Context-wide, so workers are covered.
  await context.route(
    (url) => url.hostname !== '127.0.0.1' && url.protocol !== 'data:' && url.protocol !== 'blob:',
    (route) => route.abort('blockedbyclient'),
  );
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * One Chromium for the tests of a file or of a `describe` block: launched before the first test,
 * closed after the last. Use it where the tests run; its context exists from beforeAll on.
 */
export function browserForSuite(opts: LaunchOptions = {}): BrowserSession {
  let session: BrowserSession | undefined;
  beforeAll(async () => {
    session = await launchBrowser(opts);
  });
  afterAll(async () => {
    await session?.close();
  });
  return {
    get context() {
      if (!session) throw new Error('browserForSuite: the browser starts in beforeAll');
      return session.context;
    },
    close: async () => session?.close(),
  };
}

/** Problems recorded while a page was open. Each entry is one readable line. */
export interface Problems {
  consoleErrors: string[];
  pageErrors: string[];
  /** Requests to any origin but the served site's (aborted before they leave). */
  foreignRequests: string[];
  cspViolations: string[];
  /** Same-origin responses with status ≥ 400 (missing assets, bad links in fetches). */
  failedResponses: string[];
}

export interface OpenOptions {
  viewport?: Viewport;
  colorScheme?: 'light' | 'dark';
  reducedMotion?: 'reduce' | 'no-preference';
  /** Default 'load'. */
  waitUntil?: 'load' | 'domcontentloaded' | 'networkidle' | 'commit';
  /** Site root to resolve `path` against; default the globally served site. */
  baseUrl?: string;
  /** HTTP status expected for the document (e.g. 404 for the not-found page); such a status is not a problem. */
  expectStatus?: number;
}

export interface PageVisit {
  page: Page;
  /** The document response (null for same-document navigations). */
  response: Response | null;
  problems: Problems;
  /** Waits for the network to go quiet (max `ms`), so late errors are recorded too. */
  settle(ms?: number): Promise<void>;
  /** Stops recording and closes the page. */
  close(): Promise<void>;
  /**
   * The end of a visit that went well: waits `settleMs` for the network to go quiet when given,
   * expects no problems (see expectNoProblems), and closes the page either way.
   */
  done(settleMs?: number): Promise<void>;
}

const currentVisits = new Map<Page, PageVisit>();

function describeConsole(msg: ConsoleMessage, where: string): string {
  const loc = msg.location();
  const at = loc.url ? ` (${loc.url}:${loc.lineNumber})` : '';
  return `${where}${msg.text()}${at}`;
}

/**
 * Opens `path` (relative to the site root) in a new tab and records problems until close().
 * Requests to other origins are aborted and recorded, so a test never reaches the network.
 */
export async function openPage(browser: BrowserSession, path: string, opts: OpenOptions = {}): Promise<PageVisit> {
  const base = opts.baseUrl ?? site().baseUrl;
  const origin = new URL(base).origin;
  const page = await browser.context.newPage();
  if (opts.viewport) await page.setViewportSize(size(opts.viewport));
  if (opts.colorScheme || opts.reducedMotion) {
    await page.emulateMedia({ colorScheme: opts.colorScheme, reducedMotion: opts.reducedMotion });
  }
  const problems: Problems = { consoleErrors: [], pageErrors: [], foreignRequests: [], cspViolations: [], failedResponses: [] };
  const target = siteUrl(path, base);
  const allowedStatus = opts.expectStatus;

  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // The browser logs the deliberate 404 of a not-found page as a resource error; that one is expected.
    if (allowedStatus && msg.location().url === target && msg.text().includes(String(allowedStatus))) return;
    problems.consoleErrors.push(describeConsole(msg, ''));
  });
  page.on('pageerror', (err) => problems.pageErrors.push(`${err.name}: ${err.message}`));
  page.on('worker', (worker) => {
    worker.on('console', (msg) => {
      if (msg.type() === 'error') problems.consoleErrors.push(describeConsole(msg, `[worker ${worker.url()}] `));
    });
  });
  const isForeign = (url: URL) => url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== origin;
  const onRequest = (req: { url(): string }) => {
    if (isForeign(new URL(req.url()))) problems.foreignRequests.push(req.url());
  };
  const onResponse = (res: Response) => {
    if (res.status() < 400) return;
    if (allowedStatus && res.url() === target && res.status() === allowedStatus) return;
    problems.failedResponses.push(`${res.status()} ${res.url()}`);
  };
  browser.context.on('request', onRequest);
  browser.context.on('response', onResponse);

  const visit: PageVisit = {
    page,
    response: null,
    problems,
    settle: async (ms = 3000) => {
      await page.waitForLoadState('networkidle', { timeout: ms }).catch(() => {});
    },
    close: async () => {
      browser.context.off('request', onRequest);
      browser.context.off('response', onResponse);
      currentVisits.delete(page);
      await page.close();
    },
    done: async (settleMs?: number) => {
      try {
        if (settleMs !== undefined) await visit.settle(settleMs);
        expectNoProblems(problems);
      } finally {
        await visit.close();
      }
    },
  };
  currentVisits.set(page, visit);
  visit.response = await page.goto(target, { waitUntil: opts.waitUntil ?? 'load' });
  return visit;
}

/**
 * Runs `steps` on the page of a visit, then ends the visit as `done(settleMs)` does when they
 * pass, and only closes it when they fail (their error is the test's).
 */
export async function during(open: Promise<PageVisit> | PageVisit, steps: (page: Page, visit: PageVisit) => Promise<void>, settleMs?: number): Promise<void> {
  const visit = await open;
  try {
    await steps(visit.page, visit);
  } catch (err) {
    await visit.close();
    throw err;
  }
  await visit.done(settleMs);
}

/** All recorded problems as readable lines; empty when the page was clean. */
export function problemList(problems: Problems): string[] {
  return [
    ...problems.consoleErrors.map((s) => `console error: ${s}`),
    ...problems.pageErrors.map((s) => `page error: ${s}`),
    ...problems.foreignRequests.map((s) => `request to another origin: ${s}`),
    ...problems.cspViolations.map((s) => `CSP violation: ${s}`),
    ...problems.failedResponses.map((s) => `failed response: ${s}`),
  ];
}

/** Throws an error listing every problem, except lines matching one of `allow`. */
export function expectNoProblems(problems: Problems, opts: { allow?: RegExp[] } = {}): void {
  const left = problemList(problems).filter((line) => !(opts.allow ?? []).some((re) => re.test(line)));
  if (left.length > 0) throw new Error(`page problems:\n  ${left.join('\n  ')}`);
}

export interface AxeOptions {
  /** CSS selector to limit the scan to (e.g. one figure). */
  include?: string;
  /** Selectors to leave out. */
  exclude?: string[];
  /** axe rule ids to switch off (say why in the test). */
  disableRules?: string[];
  /**
   * Leave out KaTeX's visual HTML (`.katex-html`). It is aria-hidden (assistive technology reads
   * the MathML next to it), inherits the text colour, and on a formula-heavy chapter it is
   * thousands of spans that triple axe's run time. pages.test.ts scans it in full on one page
   * (the smallest with formulas, at desktop width) and skips it everywhere else.
   */
  skipMathHtml?: boolean;
  /**
   * Runs only these axe rules instead of every wcag2a/wcag2aa rule. A second pass over the same
   * markup in the dark theme needs only the rules that read colours ({@link COLOUR_RULES}): the
   * structure (names, roles, labels, landmarks) is the light pass's.
   */
  rules?: string[];
}

/** The wcag2a/wcag2aa rules whose outcome depends on colours: text contrast, and links told from text. */
export const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/** Runs axe-core (wcag2a, wcag2aa) on the page; one line per violation with its targets. */
export async function runAxe(page: Page, opts: AxeOptions = {}): Promise<string[]> {
  // Legacy mode runs axe in the page in one call. The default opens a blank page after each scan
  // to combine the frames' results (our pages have no frames): that page alone made a scan of the
  // federated chapter take 6.6 s instead of 3.8 s.
  let builder = new AxeBuilder({ page }).setLegacyMode(true);
  builder = opts.rules ? builder.withRules(opts.rules) : builder.withTags(['wcag2a', 'wcag2aa']);
  if (opts.include) builder = builder.include(opts.include);
  for (const sel of [...(opts.exclude ?? []), ...(opts.skipMathHtml ? ['.katex-html'] : [])]) builder = builder.exclude(sel);
  if (opts.disableRules?.length) builder = builder.disableRules(opts.disableRules);
  const result = await builder.analyze();
  return result.violations.map(
    (v) => `${v.id} [${v.impact}] ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')}`,
  );
}

/** Throws when axe finds any wcag2a/wcag2aa violation. */
export async function expectAxeClean(page: Page, opts: AxeOptions = {}): Promise<void> {
  const violations = await runAxe(page, opts);
  if (violations.length > 0) throw new Error(`axe violations:\n  ${violations.join('\n  ')}`);
}

/**
 * Presses Tab up to `maxTabs` times from the top of the page and checks each focused element:
 * it must match :focus-visible, draw an indicator (outline ≥ 1px or a box-shadow) and be inside
 * the viewport. Returns one line per failure; [] when every stop was visible.
 */
export async function focusProblems(page: Page, opts: { maxTabs?: number } = {}): Promise<string[]> {
  const failures: string[] = [];
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  await page.locator('body').focus().catch(() => {});
  const seen = new Set<string>();
  for (let i = 0; i < (opts.maxTabs ?? 12); i++) {
    await page.keyboard.press('Tab');
    // Focus scrolls the element into view, smoothly when the page asks for smooth scrolling;
    // give that a moment before judging whether the element is on screen.
    const probe = () => page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const cs = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      const id = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
      return {
        id,
        text: (el.textContent ?? '').trim().slice(0, 30),
        focusVisible: el.matches(':focus-visible'),
        indicator: (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1) || cs.boxShadow !== 'none',
        onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
      };
    });
    let info = await probe();
    for (let wait = 0; info && !info.onScreen && wait < 10; wait++) {
      await page.waitForTimeout(100);
      info = await probe();
    }
    if (!info) break;
    const key = `${info.id}|${info.text}`;
    if (seen.has(key)) break; // wrapped around
    seen.add(key);
    const what = `${info.id}${info.text ? ` "${info.text}"` : ''}`;
    if (!info.focusVisible || !info.indicator) failures.push(`no visible focus indicator on ${what}`);
    if (!info.onScreen) failures.push(`focused element outside the viewport: ${what}`);
  }
  if (seen.size === 0) failures.push('Tab reached no element');
  return failures;
}

/** The result of {@link auditPage}. */
export interface PageAudit {
  url: string;
  status: number | null;
  lang: string | null;
  problems: Problems;
  axe: string[];
  focus: string[];
  /** Horizontal overflow in px (document wider than the viewport); 0 is right. */
  overflowX: number;
  /** The page's CSP meta content, or null. */
  csp: string | null;
  /** Select choices wider than their select shows them (see `clippedChoices`). */
  clippedChoices: string[];
}

/**
 * Choices of a select wider than the select's room for text, with every settings group opened: a
 * closed select shows the chosen one cut off mid-word ("FedAvg 대 SCAFFOLD (불균" in a 15rem side
 * column). Measured with a canvas in the select's own font, so the check holds with whatever font
 * the machine has. Chromium's text ends 8 px inside the padding, where its arrow is.
 */
function clippedChoices(): string[] {
  for (const d of document.querySelectorAll('details')) d.open = true;
  const ctx = document.createElement('canvas').getContext('2d')!;
  const out: string[] = [];
  for (const s of document.querySelectorAll('select')) {
    if (!s.clientWidth) continue;
    const cs = getComputedStyle(s);
    ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 8;
    for (const o of s.options) {
      const w = ctx.measureText(o.text).width;
      if (w > room) out.push(`${s.closest('[data-ns]')?.tagName.toLowerCase()} ${s.dataset.param ?? s.name}: "${o.text}" is ${Math.ceil(w)} px in ${Math.floor(room)}`);
    }
  }
  return out;
}

/** Opens a page and runs every generic check on it. Used by pages.test.ts and the self-test. */
export async function auditPage(
  browser: BrowserSession,
  path: string,
  opts: OpenOptions & {
    maxTabs?: number;
    /** axe's options, or false for no axe pass on this page (its markup is audited elsewhere). */
    axe?: AxeOptions | false;
    /**
     * Runs axe a second time in the dark theme (switched by media emulation in the same visit,
     * as a reader's system setting would), its violations prefixed "dark:". Saves a page load
     * per page against a separate dark visit, and also catches colours that do not follow a
     * theme change after load.
     */
    darkAxe?: AxeOptions;
  } = {},
): Promise<PageAudit> {
  const visit = await openPage(browser, path, opts);
  try {
    const { page } = visit;
    await visit.settle();
    const lang = await page.evaluate(() => document.documentElement.getAttribute('lang'));
    const csp = await page.evaluate(
      () => document.querySelector('meta[http-equiv="content-security-policy" i]')?.getAttribute('content') ?? null,
    );
    const overflowX = await page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth));
    const axe = opts.axe === false ? [] : await runAxe(page, opts.axe);
    const focus = await focusProblems(page, { maxTabs: opts.maxTabs });
    if (opts.darkAxe) {
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      axe.push(...(await runAxe(page, opts.darkAxe)).map((v) => `dark: ${v}`));
    }
    await visit.settle(1000);
    // Last: it opens the folded groups.
    const clipped = await page.evaluate(clippedChoices);
    return {
      url: page.url(),
      status: visit.response?.status() ?? null,
      lang,
      problems: visit.problems,
      axe,
      focus,
      overflowX,
      csp,
      clippedChoices: clipped,
    };
  } finally {
    await visit.close();
  }
}

/** Every failure in an audit as readable lines; `expectStatus` defaults to 200. */
export function auditProblems(audit: PageAudit, expectStatus = 200): string[] {
  const out: string[] = [];
  if (audit.status !== expectStatus) out.push(`HTTP status ${audit.status}, expected ${expectStatus}`);
  if (audit.lang !== 'ko') out.push(`<html lang="${audit.lang}">, expected "ko"`);
  if (!audit.csp) out.push('no Content-Security-Policy meta tag');
  else {
    if (/'unsafe-eval'/.test(audit.csp)) out.push("CSP allows 'unsafe-eval'");
    if (!/script-src[^;]*'wasm-unsafe-eval'/.test(audit.csp)) out.push("CSP script-src lacks 'wasm-unsafe-eval'");
  }
  out.push(...problemList(audit.problems));
  out.push(...audit.axe.map((s) => `axe: ${s}`));
  out.push(...audit.focus.map((s) => `focus: ${s}`));
  if (audit.overflowX > 1) out.push(`page is ${audit.overflowX}px wider than the viewport`);
  out.push(...audit.clippedChoices.map((s) => `select cuts off a choice: ${s}`));
  return out;
}

/**
 * Site paths of every built page in `distDir`: '' for the home page, 'chapters/intro/', …
 * 404.html is left out (it is served for missing paths, see pages.test.ts); so are Pagefind's
 * and Astro's asset folders.
 */
export function listPages(distDir: string): string[] {
  return htmlFiles(distDir)
    .map((file) => relative(distDir, file).split(sep).join('/'))
    .filter((rel) => (rel === 'index.html' || rel.endsWith('/index.html')) && !/^(_astro|data)\//.test(rel))
    .map((rel) => rel.slice(0, -'index.html'.length))
    .sort();
}
