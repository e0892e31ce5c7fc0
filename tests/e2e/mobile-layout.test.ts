/**
 * Phones first, for every widget of the book at 360 px: the picture (and the play button, where
 * there is a run) within the widget's first 500 px; the settings after it, in folded groups whose
 * summary says the current values and follows a changed control; the groups open and close from
 * the keyboard; axe clean with the groups folded; and nothing jumps when a widget mounts: its
 * picture keeps the place and height the server gave it, the widget its height (up to a few
 * lines of the summary in words). One page load per page that has widgets (the
 * registry says which), every widget on it checked in that load.
 */
import { describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { WIDGETS, type WidgetEntry } from '~/widgets/registry';
import { browserForSuite, expectAxeClean, expectNoProblems, openPage, VIEWPORTS } from './harness';

/** How far down the widget the picture and the play button must be: about two thirds of a phone's screen. */
const FIRST_PX = 500;
/** The picture may go on below FIRST_PX, but at least this much of it (or all of it) must be above. */
const PICTURE_SHOWN_PX = 120;

/** How far a widget's picture may move or grow when the widget mounts and draws. */
const MOVE_PX = 8;
/** How much a whole widget may grow: three lines of its summary in words beyond the room kept. */
const GROW_PX = 64;

/** Each widget's main picture (or main output, for widgets without a run). */
const PICTURE: Record<string, string> = {
  'central-playground': '[data-view="boundary"]',
  'fed-playground': '[data-view="diagram"]',
  'weight-averaging': '[data-view="map"]',
  'fedsgd-vs-fedavg': '[data-view="here"]',
  'client-drift': '[data-view="iid"]',
  personalization: '[data-view="iid"]',
  'split-playground': '[data-view="network"]',
  'server-view': '[data-view="raw"]',
  'comm-cost': '[data-view="formula"]',
  'three-way': '[data-view="accuracy"]',
  'own-data': '[data-view="accuracy"]',
  'gradient-inversion': 'section:has([data-view="pairs"])',
  poisoning: '[data-view="map"]',
  'randomized-response': '[data-view="people"]',
  'rappor-widget': '[data-view="life"]',
  'dp-fedavg': '[data-view="updates"]',
  'epsilon-calculator': '[data-numbers]',
  'secure-aggregation': '[data-view="graph"]',
  'reproduction-results': '[data-view="curves"]',
  'reproduction-live': '[data-view="accuracy"]',
};
/** Widgets whose few settings sit inside the picture's own frame, with no groups to fold. */
const NO_GROUPS = new Set(['reproduction-results']);

const pages = new Map<string, WidgetEntry[]>();
for (const w of WIDGETS) pages.set(w.page, [...(pages.get(w.page) ?? []), w]);

const browser = browserForSuite({ viewport: 'mobile', reducedMotion: 'reduce' });

test('every widget has a picture to check', () => {
  expect(WIDGETS.map((w) => w.name).filter((n) => !PICTURE[n])).toEqual([]);
});

/** Top and bottom, in px from the top of `root`, of the first element matching `selector` in it (read in one go, so scrolling cannot skew it); null when there is none. */
function offset(root: Locator, selector: string): Promise<{ top: number; bottom: number; height: number } | null> {
  return root.evaluate((r, sel) => {
    const el = r.querySelector(sel);
    if (!el) return null;
    const [a, b] = [r.getBoundingClientRect(), el.getBoundingClientRect()];
    return { top: Math.round(b.top - a.top), bottom: Math.round(b.bottom - a.top), height: Math.round(b.height) };
  }, selector);
}

/** The summary line's text. */
const valuesOf = (group: Locator) => group.locator('[data-group-values]').textContent().then((t) => (t ?? '').trim());

/**
 * Changes the first field of an open group from the keyboard (a slider one step, a switch
 * toggled) or, for a select, picks another option; returns the text the summary should then
 * contain for it.
 */
async function changeOne(page: Page, group: Locator): Promise<string> {
  const field = group.locator('.ctl-group__body :is(input[type="range"], input[type="checkbox"], select):visible').first();
  const kind = await field.evaluate((f) => (f instanceof HTMLSelectElement ? 'select' : (f as HTMLInputElement).type));
  if (kind === 'range') {
    const [value, max] = [Number(await field.inputValue()), Number(await field.getAttribute('max'))];
    await field.focus();
    await page.keyboard.press(value < max ? 'ArrowRight' : 'ArrowLeft');
    await expect.poll(() => field.inputValue(), { timeout: 10_000 }).not.toBe(String(value));
    return ((await group.locator(`output[for="${await field.getAttribute('id')}"]`).textContent()) ?? '').trim();
  }
  if (kind === 'checkbox') {
    const was = await field.isChecked();
    await field.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => field.isChecked(), { timeout: 10_000 }).toBe(!was);
    return was ? '끔' : '켬';
  }
  const options = await field.locator('option').evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, (o.textContent ?? '').trim()]));
  const current = await field.inputValue();
  const [value, label] = options.find(([v]) => v !== current)!;
  await field.selectOption(value);
  return label;
}

describe.each([...pages.entries()])('%s at 360 px', (path, widgets) => {
  test(`${widgets.map((w) => w.name).join(', ')}: picture first, settings folded, summaries follow`, async () => {
    const visit = await openPage(browser, path);
    const { page } = visit;
    const report: string[] = [];
    /** Pictures and play buttons below the first FIRST_PX (all of the page's listed at the end). */
    const late: string[] = [];
    const moved: string[] = [];
    // Before they mount: each waiting widget's height and its picture's place, as the server drew them.
    const unmounted = new Map<string, { height: number; top: number; picture: number; html: string }>();
    for (const w of widgets) {
      const box = await page.locator(w.tag).evaluate((r, sel) => {
        if ((r as HTMLElement).dataset.state !== 'waiting') return null;
        const pic = r.querySelector(sel)!;
        const [a, b] = [r.getBoundingClientRect(), pic.getBoundingClientRect()];
        return { height: Math.round(a.height), top: Math.round(b.top - a.top), picture: Math.round(b.height), html: pic.innerHTML };
      }, PICTURE[w.name]);
      if (box) unmounted.set(w.name, box);
    }
    expect(unmounted.size, 'widgets still waiting when the page has loaded').toBeGreaterThanOrEqual(widgets.length - 1);
    /**
     * Mounted and drawn (its picture is no longer the server's markup, and no view waits for its
     * turn to draw; a picture the server already drew as the script does may never change): the
     * picture is where the server put it and as high, and the widget as high but for the summary
     * in words, which may take up to three lines more than the room kept for it. A widget that
     * grows as it draws moves the text and the preset buttons under the reader's finger.
     */
    /** Charts drawn on this page, and those in a box of fixed height (most: a Plot SVG of its own). */
    const chartBoxes = { all: 0, fixed: 0 };
    async function stayed(w: WidgetEntry, root: Locator) {
      const was = unmounted.get(w.name);
      if (!was) return;
      await page
        .waitForFunction(
          ([tag, sel, html]) => {
            const r = document.querySelector(tag)!;
            return r.querySelector(sel)!.innerHTML !== html && !r.querySelector('[aria-busy="true"]');
          },
          [w.tag, PICTURE[w.name], was.html] as const,
          { timeout: 10_000 },
        )
        .catch(() => {});
      const now = (await offset(root, PICTURE[w.name]))!;
      const height = await root.evaluate((r) => Math.round(r.getBoundingClientRect().height));
      if (Math.abs(now.top - was.top) > MOVE_PX) moved.push(`${w.name}: picture top ${was.top} → ${now.top} px`);
      if (Math.abs(now.height - was.picture) > MOVE_PX) moved.push(`${w.name}: picture height ${was.picture} → ${now.height} px`);
      if (Math.abs(height - was.height) > GROW_PX) moved.push(`${w.name}: height ${was.height} → ${height} px`);
      // A chart's box keeps the height it was given for the chart (its contents do not size it,
      // see plotChart): it must be exactly the chart's, or the chart overlaps what follows.
      const boxes = await root.evaluate((r) =>
        [...r.querySelectorAll<HTMLElement>('.plot-box')].map((b) => [b.style.contain, b.getBoundingClientRect().height, b.firstElementChild?.getBoundingClientRect().height ?? -1, b.closest('[data-view]')?.getAttribute('data-view')] as const),
      );
      for (const [contain, box, chart, view] of boxes) {
        if (!contain) continue;
        if (Math.abs(box - chart) > 0.6) moved.push(`${w.name}: chart box ${view} ${box} px, its chart ${chart} px`);
      }
      // The progress row is one contained line (controls.css): its parts must fit in it.
      const rows = await root.evaluate((r) =>
        [...r.querySelectorAll<HTMLElement>('.ctl__progress-row')].map((row) => {
          const box = row.getBoundingClientRect();
          return [...row.children].map((c) => c.getBoundingClientRect()).filter((c) => c.top < box.top - 0.6 || c.bottom > box.bottom + 0.6 || c.right > box.right + 0.6).length;
        }),
      );
      if (rows.some((n) => n > 0)) moved.push(`${w.name}: a part of the progress row sticks out of it`);
      chartBoxes.all += boxes.length;
      chartBoxes.fixed += boxes.filter(([contain]) => contain).length;
    }

    for (const w of widgets) {
      const root = page.locator(w.tag);
      await root.scrollIntoViewIfNeeded();
      // Mounted: what a reader sees once the experiment has drawn.
      await page.waitForFunction((tag) => (document.querySelector(tag) as HTMLElement | null)?.dataset.state === 'ready', w.tag, { timeout: 30_000 });

      const picture = (await offset(root, PICTURE[w.name]))!;
      const playAt = await offset(root, '[data-action="toggle-play"], [data-action="restart"]');
      report.push(`${w.name}: picture ${picture.top}–${picture.bottom}, play ${playAt ? `${playAt.top}–${playAt.bottom}` : '—'}`);
      if (picture.top + Math.min(picture.height, PICTURE_SHOWN_PX) > FIRST_PX) late.push(`${w.name}: picture at ${picture.top} px`);
      if (playAt && playAt.bottom > FIRST_PX) late.push(`${w.name}: play button ends at ${playAt.bottom} px`);

      await stayed(w, root);

      const groups = root.locator('details[data-control-group]');
      if (NO_GROUPS.has(w.name)) {
        expect(await groups.count()).toBe(0);
        continue;
      }
      const n = await groups.count();
      expect(n, `${w.name}: groups`).toBeGreaterThan(0);
      // Folded below the picture, each saying its values.
      for (let i = 0; i < n; i++) {
        const g = groups.nth(i);
        expect(await g.evaluate((d) => (d as HTMLDetailsElement).open), `${w.name}: group ${i} folded`).toBe(false);
        expect(await g.evaluate((d, pic) => d.getBoundingClientRect().top > d.closest(pic[0])!.querySelector(pic[1])!.getBoundingClientRect().top, [w.tag, PICTURE[w.name]])).toBe(true);
        expect(await valuesOf(g), `${w.name}: group ${i} values`).not.toBe('');
        expect(await g.locator('[data-group-values]').isVisible()).toBe(true);
      }

      // Keyboard: Enter opens the first group, a control changes, Space folds it again.
      const first = groups.first();
      const summary = first.locator('summary');
      const before = await valuesOf(first);
      await summary.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => first.evaluate((d) => (d as HTMLDetailsElement).open), { message: `${w.name}: Enter opens`, timeout: 10_000 }).toBe(true);
      const shown = await changeOne(page, first);
      await summary.focus();
      await page.keyboard.press('Space');
      await expect.poll(() => first.evaluate((d) => (d as HTMLDetailsElement).open), { message: `${w.name}: Space folds`, timeout: 10_000 }).toBe(false);
      await expect.poll(() => valuesOf(first), { message: `${w.name}: summary follows the control`, timeout: 10_000 }).not.toBe(before);
      expect(await valuesOf(first)).toContain(shown);
    }
    console.log(report.join('\n'));
    expect(late).toEqual([]);
    expect(moved).toEqual([]);
    if (chartBoxes.all > 0) expect(chartBoxes.fixed, 'charts in a box of fixed height').toBeGreaterThan(0);

    // Folded layout, as a phone shows it.
    await expectAxeClean(page, { include: widgets.map((w) => w.tag).join(', ') });
    await visit.settle();
    expectNoProblems(visit.problems);
    await visit.close();
  });
});

describe('a jump at 360 px on a phone', () => {
  const phone = browserForSuite({ viewport: 'mobile', phone: true });
  test('a jump to a widget far down a chapter lands on it, and a reader who scrolls keeps their place', async () => {
    // Client drift sits about 20,000 px down the federated chapter at 360 px; blocks above it are
    // measured and widgets near it mount after the browser's own jump (on a phone's viewport it
    // landed up to 20,000 px off for the first seconds, and at times 264 px off for good).
    const visit = await openPage(phone, 'chapters/federated/#client-drift');
    const { page } = visit;
    const top = () => page.evaluate(() => Math.round(document.getElementById('client-drift')!.getBoundingClientRect().top));
    await page.waitForFunction(() => (document.querySelector('client-drift') as HTMLElement | null)?.dataset.state === 'ready', null, { timeout: 30_000 });
    expect(await page.evaluate(() => scrollY)).toBeGreaterThan(10_000);
    // Within the sticky header's height of the viewport's top, and still there once it has settled.
    await expect.poll(top, { timeout: 10_000 }).toBeLessThan(80);
    await page.waitForTimeout(1500);
    const landed = await top();
    expect(landed).toBeGreaterThanOrEqual(0);
    expect(landed).toBeLessThan(80);

    // The reader scrolls on; when the column changes height later, they are not pulled back.
    await page.mouse.move(180, 400);
    await page.mouse.wheel(0, 1500);
    await expect.poll(top, { timeout: 10_000 }).toBeLessThan(landed - 1000);
    const scrolled = await page.evaluate(() => scrollY);
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.style.height = '400px';
      document.querySelector('.chapter__body.prose')!.append(p);
    });
    await page.waitForTimeout(500);
    // Widgets near the viewport may still grow a little; a pull back would be about 1,500 px.
    expect(Math.abs((await page.evaluate(() => scrollY)) - scrolled)).toBeLessThan(300);
    await visit.settle();
    expectNoProblems(visit.problems);
    await visit.close();
  });

  test('turning the phone keeps the figure the reader was looking at on screen, both ways', async () => {
    // The chapter's height changes with its width (about 34,000 px tall at 360 px, 24,600 px at
    // 1280 px) and the browser keeps the scroll offset: without help, the personalization figure
    // ended thousands of pixels off screen after a turn.
    const visit = await openPage(phone, 'chapters/federated/');
    const { page } = visit;
    const top = () => page.evaluate(() => Math.round(document.getElementById('personalization')!.getBoundingClientRect().top));
    await page.evaluate(() => document.getElementById('personalization')!.scrollIntoView({ block: 'start', behavior: 'instant' }));
    await page.waitForFunction(() => (document.querySelector('personalization-lab') as HTMLElement | null)?.dataset.state === 'ready', null, { timeout: 30_000 });
    // The place is noted once the page has been still for a moment.
    await page.waitForTimeout(400);
    const [w, h] = [VIEWPORTS.mobile.width, VIEWPORTS.mobile.height];
    // Turned, turned back, then turned and back again quickly: the second turn comes 650 ms after
    // the first, after its measuring (300 ms) and before its hold would have ended (800 ms).
    const turns: [{ width: number; height: number }, number][] = [
      [{ width: h, height: w }, 1500],
      [{ width: w, height: h }, 1500],
      [{ width: h, height: w }, 650],
      [{ width: w, height: h }, 1500],
    ];
    for (const [size, wait] of turns) {
      await page.setViewportSize(size);
      // The blocks are measured again 300 ms after the width settles; the place is kept until then.
      await page.waitForTimeout(wait);
      if (wait < 1500) continue;
      const t = await top();
      expect(t, `at ${size.width} px`).toBeGreaterThanOrEqual(0);
      expect(t, `at ${size.width} px`).toBeLessThan(80);
    }
    expectNoProblems(visit.problems);
    await visit.close();
  });
});
