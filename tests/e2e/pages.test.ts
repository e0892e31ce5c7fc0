/**
 * Every built page: status 200, lang="ko", CSP meta without 'unsafe-eval', no console/page error,
 * no request to another origin, no CSP violation, no failed asset, axe clean (wcag2a, wcag2aa),
 * visible keyboard focus, no horizontal overflow; and axe again in the dark theme, where every
 * colour is different (same visit, media emulation).
 *
 * Site pages are audited at desktop width and at 360 px; the dark pass (desktop) runs only the
 * rules that read colours, since the structure is the light pass's, and the 360 px pass runs every
 * rule but those: the same colours on the same markup were read at desktop width in both themes
 * (contrast is most of axe's time on a long chapter), while names, roles, landmarks and
 * scrollable regions can change with the layout. The /embed/<widget>/ pages are opened at 360 px,
 * where an embed frame is narrowest and overflow shows first; there the widget is at the top of
 * the page, so it mounts and draws. All of them get every check but axe:
 * their one template is audited with axe, light and dark, on the first of them, and each widget's
 * drawn markup is audited with axe in its own test file (light and dark, on a phone too).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { auditPage, auditProblems, browserForSuite, COLOUR_RULES, listPages, openPage, site, type ViewportName } from './harness';

const pages = listPages(site().distDir);

/**
 * The one page whose formulas' visual HTML (KaTeX's aria-hidden spans) axe reads in full: the
 * smallest page with formulas. Every formula is drawn by the same KaTeX markup and stylesheet, so
 * one page tells what all would; with them, the longest chapter's desktop audit once ran past the
 * test's 120 s limit on a busy two-core machine. Every other page is scanned without them
 * (skipMathHtml).
 */
const htmlOf = (p: string) => readFileSync(join(site().distDir, p, 'index.html'), 'utf8');
const mathPage = pages
  .filter((p) => !p.startsWith('embed/') && htmlOf(p).includes('katex-html'))
  .sort((a, b) => htmlOf(a).length - htmlOf(b).length)[0];

test('one page has formulas whose drawing axe reads in full', () => {
  expect(mathPage).toBeDefined();
});

const browser = browserForSuite();

/** The page with the most formulas. */
const mathiestPage = pages
  .filter((p) => p.startsWith('chapters/'))
  .map((p) => ({ p, n: htmlOf(p).split('class="katex"').length }))
  .sort((a, b) => b.n - a.n)[0]?.p;

test('formulas are drawn the same without the KaTeX rules the site turns off (positioned lines and lists, clipping struts)', async () => {
  const visit = await openPage(browser, mathiestPage ?? '', { viewport: 'mobile' });
  const { page } = visit;
  // Widgets would mount as the formulas scroll by and move them.
  await page.evaluate(() => document.querySelectorAll('.widget').forEach((w) => w.remove()));
  await page.evaluate(() => document.fonts.ready);
  // The site's rules apply (else the comparison below would be trivially equal).
  const styles = await page.evaluate(() => {
    const first = (sel: string) => document.querySelector(sel) as Element;
    return [getComputedStyle(first('.katex .katex-base')).position, getComputedStyle(first('.katex .vlist')).position, getComputedStyle(first('.katex .pstrut')).overflow];
  });
  expect(styles).toEqual(['static', 'static', 'visible']);
  const formulas = page.locator('.prose > .katex-display, .prose > p:has(.katex .vlist)');
  const count = Math.min(await formulas.count(), 16);
  expect(count).toBeGreaterThan(8);
  const shoot = async () => {
    const shots: Buffer[] = [];
    for (let i = 0; i < count; i++) shots.push(await formulas.nth(i).screenshot({ animations: 'disabled' }));
    return shots;
  };
  const ours = await shoot();
  await page.evaluate(() => {
    const katex = new CSSStyleSheet();
    katex.replaceSync(':root .katex .katex-base, :root .katex .vlist { position: relative } :root .katex .vlist > span > .pstrut { overflow: hidden }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, katex];
  });
  expect(await page.evaluate(() => getComputedStyle(document.querySelector('.katex .pstrut')!).overflow)).toBe('hidden');
  const theirs = await shoot();
  for (let i = 0; i < count; i++) expect(ours[i].equals(theirs[i]), `formula block ${i + 1} of ${mathiestPage}`).toBe(true);
  await visit.close();
});

test('the build has the pages the site promises', () => {
  for (const p of ['', 'glossary/', 'about/', 'search/']) expect(pages).toContain(p);
  expect(pages.filter((p) => p.startsWith('chapters/')).length).toBeGreaterThan(0);
});

const isEmbed = (p: string) => p.startsWith('embed/');
const firstEmbed = pages.find(isEmbed);

describe.each(['desktop', 'mobile'] as ViewportName[])('%s', (viewport) => {
  const audited = viewport === 'desktop' ? pages.filter((p) => !isEmbed(p)) : pages;
  test.each(audited.map((p) => [p || '(home)', p]))('%s', async (_name, path) => {
    const axe = !isEmbed(path) || path === firstEmbed;
    // The dark pass runs where a page is audited first: desktop for site pages, 360 px for embeds.
    const dark = axe && (viewport === 'desktop' || isEmbed(path));
    const audit = await auditPage(browser, path, {
      viewport,
      axe: axe && (viewport === 'desktop' ? { skipMathHtml: path !== mathPage } : { skipMathHtml: true, disableRules: isEmbed(path) ? [] : COLOUR_RULES }),
      darkAxe: dark ? { skipMathHtml: true, rules: COLOUR_RULES } : undefined,
    });
    expect(auditProblems(audit)).toEqual([]);
  });

  test('a missing path gets the 404 page', async () => {
    const audit = await auditPage(browser, 'no-such-page/', { viewport, expectStatus: 404 });
    expect(auditProblems(audit, 404)).toEqual([]);
  });
});

test('the skip link is the first focus stop and moves focus to the main content', async () => {
  const visit = await openPage(browser, pages.find((p) => p.startsWith('chapters/')) ?? '');
  const { page } = visit;
  await page.keyboard.press('Tab');
  await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('본문으로 건너뛰기');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
  await visit.close();
});

test('chapter pages have the sidebar, table of contents and prev/next in reading order', async () => {
  const chapters = pages.filter((p) => p.startsWith('chapters/'));
  const visit = await openPage(browser, chapters[0]);
  const { page } = visit;
  const order = await page.$$eval('.chapter-nav a', (as) => as.map((a) => a.getAttribute('href')));
  expect(order.length).toBe(chapters.length);
  await expect.poll(() => page.locator('.chapter-nav a[aria-current="page"]').count()).toBe(1);
  const here = order.indexOf(await page.locator('.chapter-nav a[aria-current="page"]').getAttribute('href'));
  const relHref = (rel: string) => page.locator(`a[rel="${rel}"]`).first().getAttribute('href', { timeout: 1000 }).catch(() => null);
  expect(await relHref('prev')).toBe(here > 0 ? order[here - 1] : null);
  expect(await relHref('next')).toBe(here < order.length - 1 ? order[here + 1] : null);
  // Every on-page TOC link points at a heading that exists.
  const missing = await page.$$eval('.toc a', (as) =>
    as.map((a) => decodeURIComponent(a.getAttribute('href')!.slice(1))).filter((id) => !document.getElementById(id)),
  );
  expect(missing).toEqual([]);
  await visit.close();
});
