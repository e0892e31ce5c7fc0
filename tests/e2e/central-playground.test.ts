/**
 * The centralized-training widget (chapter 2) and, through it, the widget runtime: real
 * training in a worker on tfjs wasm, in Chromium, at a desktop and a 360 px viewport (what does
 * not depend on the width, at desktop only).
 *
 * Runs are kept short through the URL (`central.epochs=10`, `central.speed=fast`); the engine
 * is seeded, so the same settings draw the same picture, which lets a test tell "this control
 * changed what is drawn" from "the picture changes anyway".
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { browserForSuite, during, expectAxeClean, expectNoProblems, openPage, site, siteUrl, type ViewportName } from './harness';
import { countLayerPaths, expectFitsPhone, expectSameAsFreshDraw, press, randomQueries, widgetTest } from './widget-helpers';
import { PLOT_STYLE_HASH } from '~/runtime/csp-hashes.mjs';
import type { CentralInspection as Inspection } from '~/widgets/central-playground/main';

const PATH = 'chapters/centralized/';
const SHORT = 'central.speed=fast&central.epochs=10';
const W = 'central-playground';

const w = widgetTest<Inspection>(PATH, W, { timeout: 30_000 });
const { open: openWidget, inspect, waitRun, runId: runIdOf, slider, combo } = w;

/** What is drawn, reduced to comparable digests. */
async function fingerprint(page: Page) {
  return page.evaluate(async () => {
    const el = document.querySelector('central-playground')!;
    const digest = async (s: string) => {
      const buf = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
      return [...new Uint8Array(buf)].slice(0, 8).map((b) => b.toString(16).padStart(2, '0')).join('');
    };
    const canvas = el.querySelector<HTMLCanvasElement>('canvas.boundary__heat')!;
    // The points: one path per class, its circles in the path data.
    const points = (sel: string) => [...el.querySelectorAll(sel)].map((p) => `${p.getAttribute('fill')}:${p.getAttribute('d')}`).join(';');
    const count = (sel: string) => [...el.querySelectorAll(sel)].reduce((n, p) => n + Number(p.getAttribute('data-points')), 0);
    const paths = (view: string) => [...el.querySelectorAll(`[data-view="${view}"] svg g[data-layer] > path`)].map((p) => p.getAttribute('d')).join('|');
    return {
      heat: await digest(canvas.toDataURL()),
      points: await digest(points('.boundary__train path')),
      trainPoints: count('.boundary__train path'),
      testPoints: count('.boundary__test path'),
      clients: el.querySelectorAll('.dataflow__client').length,
      loss: await digest(paths('loss')),
      accuracy: await digest(paths('accuracy')),
      progressMax: el.querySelector('progress')!.max,
      parameters: el.querySelector('[data-parameters]')!.textContent,
    };
  });
}

/** Taps the middle of an element with a real touch sequence (CDP), as a phone would. */
async function tap(page: Page, target: Locator) {
  await target.scrollIntoViewIfNeeded();
  const box = (await target.boundingBox())!;
  const cdp = await page.context().newCDPSession(page);
  const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

/** Drags with one finger from one x to another at the element's vertical middle. */
async function swipe(page: Page, target: Locator, fromFraction: number, toFraction: number) {
  await target.scrollIntoViewIfNeeded();
  const box = (await target.boundingBox())!;
  const y = box.y + box.height / 2;
  const x = (f: number) => box.x + box.width * f;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: x(fromFraction), y }] });
  for (let i = 1; i <= 8; i++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: x(fromFraction + ((toFraction - fromFraction) * i) / 8), y }] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

describe.each(['desktop', 'mobile'] as ViewportName[])('central playground (%s)', (viewport) => {
  const browser = browserForSuite({ viewport });

  test('loads nothing heavy until it nears the viewport, then trains in a worker on wasm', async () => {
    const requests: string[] = [];
    const onRequest = (r: { url(): string }) => requests.push(r.url());
    browser.context.on('request', onRequest);
    const visit = await openPage(browser, `${PATH}?${SHORT}`);
    const { page } = visit;
    try {
      const where = await page.evaluate(() => {
        const el = document.querySelector('central-playground')!;
        return { top: el.getBoundingClientRect().top, screen: innerHeight };
      });
      // The widget sits far down the chapter: beyond the prefetch margin (3 screens) at load.
      expect(where.top).toBeGreaterThan(4 * where.screen);
      await page.waitForTimeout(800);
      const heavy = (urls: string[]) => urls.filter((u) => /\/(main|in-page|train\.worker)[^/]*\.js$|\.wasm$/.test(u));
      expect(heavy(requests)).toEqual([]);
      expect(await page.locator(W).getAttribute('data-state')).toBe('waiting');

      // Within two screens: the code is fetched when idle, but nothing is mounted yet.
      await page.evaluate(() => {
        const el = document.querySelector('central-playground')!;
        scrollBy(0, el.getBoundingClientRect().top - 2.5 * innerHeight);
      });
      await page.waitForFunction(() => performance.getEntriesByName('widget:prefetch:central').length > 0);
      await page.waitForTimeout(300);
      expect(await page.locator(W).getAttribute('data-state')).toBe('waiting');
      expect(heavy(requests).some((u) => u.includes('train.worker'))).toBe(false);

      await page.locator(W).scrollIntoViewIfNeeded();
      // Without a reduced-motion preference the clients' points fly to the server (a group in flight).
      await page.waitForFunction(() => document.querySelector('central-playground .dataflow__dots > g:not([data-landed]) .dataflow__dot--moving') !== null);
      await waitRun(page, 0);
      expect(heavy(requests).some((u) => /train\.worker[^/]*\.js$/.test(u))).toBe(true);
      expect(heavy(requests).some((u) => /tfjs-backend-wasm-simd[^/]*\.wasm$/.test(u))).toBe(true);
      const info = await inspect(page);
      expect(info.backend).toMatchObject({ backend: 'wasm', thread: 'worker' });
      expect(info.rows.map((r) => r.round)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      await expect(page.locator('p[data-backend]').textContent()).resolves.toContain('WebAssembly');
      await expect(page.locator('[data-live]').textContent()).resolves.toMatch(/에폭 10\/10/);
      // Every .wasm came from our own origin (the harness also aborts any other).
      for (const u of requests.filter((u) => u.endsWith('.wasm'))) expect(new URL(u).origin).toBe(site().origin);
      // Plot's <style>, kept once in <head> for every chart, is exactly the text whose hash the CSP allows.
      const styleHashes = await page.evaluate(async () => {
        const out: string[] = [];
        for (const s of document.querySelectorAll('head style[data-svg-style]')) {
          const buf = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s.textContent ?? ''));
          out.push('sha256-' + btoa(String.fromCharCode(...new Uint8Array(buf))));
        }
        return out;
      });
      expect(styleHashes).toEqual([PLOT_STYLE_HASH]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      expect(overflow).toBeLessThanOrEqual(1);
      await expectAxeClean(page, { include: W });
      await visit.settle(500);
      expectNoProblems(visit.problems);
    } finally {
      browser.context.off('request', onRequest);
      await visit.close();
    }
  });

  // Behaviour that does not depend on the width runs once, at desktop width; at 360 px the tests
  // keep loading and training (the prefetch margin is counted in screens), the keyboard and touch.
  // The trained widget in the dark theme is seen at both widths in one page load.
  if (viewport === 'desktop') {
    test('every control changes what is drawn (and the same settings draw the same)', async () => {
      await during(openWidget(browser, SHORT, { reducedMotion: 'reduce' }), async (page) => {
        let id = await waitRun(page, 0);
        // Reduced motion: the points are already at the server, with no transition running.
        const dots = await page.evaluate(() => {
          // The travelling points: one path per client and class, each point a circle of radius 1.6 starting at M(cx − 1.6, cy).
          const d = [...document.querySelectorAll('central-playground .dataflow__dot--moving')].map((p) => p.getAttribute('d') ?? '').join('');
          const xs = [...d.matchAll(/M([-\d.]+),/g)].map((m) => Number(m[1]) + 1.6);
          const flying = document.querySelectorAll('central-playground .dataflow__dots > g:not([data-landed])').length;
          return { n: xs.length, flying, atServer: xs.filter((x) => x > 178).length };
        });
        expect(dots.n).toBeGreaterThan(0);
        expect(dots).toEqual({ n: dots.n, flying: 0, atServer: dots.n });
        const first = await fingerprint(page);
        // Every training point is drawn (the paths say how many they hold).
        expect(first.trainPoints).toBeGreaterThan(100);
        await page.getByRole('button', { name: '처음부터' }).click();
        id = await waitRun(page, id);
        let before = await fingerprint(page);
        expect(before).toEqual(first);

        type Key = keyof typeof before;
        const cases: [string, () => Promise<unknown>, Key[]][] = [
          ['dataset', () => combo(page, '데이터셋').selectOption('moons'), ['points', 'heat']],
          ['noise', () => press(slider(page, '노이즈'), 'ArrowRight', 2), ['points']],
          ['seed', async () => {
            await page.getByRole('spinbutton', { name: '시드' }).fill('7');
            await page.getByRole('spinbutton', { name: '시드' }).press('Enter');
          }, ['points']],
          ['seed dice', () => page.getByRole('button', { name: '새 시드 뽑기' }).click(), ['points']],
          ['clients', () => press(slider(page, '데이터를 가진 클라이언트'), 'ArrowRight'), ['clients']],
          ['hidden layers', () => press(slider(page, '은닉층 수'), 'ArrowLeft'), ['heat', 'parameters']],
          ['units', () => press(slider(page, '층마다 뉴런 수'), 'ArrowRight', 3), ['heat', 'parameters']],
          ['activation', () => combo(page, '활성화 함수').selectOption('relu'), ['heat']],
          ['learning rate', () => press(slider(page, '학습률'), 'ArrowLeft'), ['loss']],
          ['batch size', () => combo(page, '배치 크기').selectOption('4'), ['loss']],
          ['epochs', () => press(slider(page, '에폭'), 'ArrowRight'), ['progressMax', 'loss']],
        ];
        for (const [name, change, keys] of cases) {
          await change();
          id = await waitRun(page, id);
          const after = await fingerprint(page);
          for (const k of keys) expect(after[k], `${name} → ${k}`).not.toEqual(before[k]);
          before = after;
        }
        // The test-data switch changes the picture without a new run.
        expect(before.testPoints).toBe(0);
        await press(page.getByRole('switch', { name: '테스트 데이터도 보기' }), 'Space');
        await page.waitForFunction(() => document.querySelectorAll('central-playground .boundary__test path').length > 0);
        expect(await runIdOf(page)).toBe(id);
        await page.waitForFunction(() => location.search.includes('central.test=1'));
      });
    });

    test('speed, play/pause, one epoch, restart, and pausing off screen', async () => {
      const visit = await openWidget(browser, 'central.speed=slow&central.epochs=500');
      const { page } = visit;
      const epoch = async () => Number((await page.locator(W).getAttribute('data-epoch')) ?? 0);
      try {
        await waitRun(page, 0, 'running');
        // Slow: the worker waits 300 ms between epochs (the trainer's unit tests hold it to its
        // pace; timing it here would measure the machine's load), fast does not wait at all.
        expect((await inspect(page)).pace).toBe(300);
        await page.waitForFunction(() => Number((document.querySelector('central-playground') as HTMLElement).dataset.epoch) >= 2);
        const slow = await epoch();
        await page.getByRole('radio', { name: '빠르게' }).check();
        await expect.poll(async () => (await inspect(page)).pace).toBe(0);
        await page.waitForFunction((n) => Number((document.querySelector('central-playground') as HTMLElement).dataset.epoch) > n + 15, slow);
        await page.getByRole('radio', { name: '보통' }).check();

        const play = page.locator('[data-action="toggle-play"] [data-label]');
        await expect(play.textContent()).resolves.toContain('일시정지');
        await play.click();
        await page.waitForFunction(() => (document.querySelector('central-playground') as HTMLElement).dataset.status === 'paused');
        // The epoch under way when the pause arrived may still be reported: the trainer's word that
        // it holds (data-held) comes after it.
        await page.waitForFunction(() => (document.querySelector('central-playground') as HTMLElement).dataset.held === 'true');
        const held = await epoch();
        await page.waitForTimeout(500);
        expect(await epoch()).toBe(held);
        await expect(play.textContent()).resolves.toContain('재생');
        const lines = await countLayerPaths(page, `${W} [data-view="accuracy"]`);
        await page.getByRole('button', { name: '한 에폭' }).click();
        await page.waitForFunction((n) => Number((document.querySelector('central-playground') as HTMLElement).dataset.epoch) === n + 1, held);
        await page.waitForTimeout(400);
        expect(await epoch()).toBe(held + 1);
        // The epoch's points change the accuracy lines in place (the axes stay: 500 epochs, 0-100 %),
        // and the chart is the one a draw of all the points at once makes.
        await expect.poll(() => lines.added()).toBeGreaterThan(0);
        await expectSameAsFreshDraw(page, page.locator(`${W} [data-view="accuracy"] svg`));
        await play.click();
        await page.waitForFunction((n) => Number((document.querySelector('central-playground') as HTMLElement).dataset.epoch) > n + 3, held);

        // Scrolled away, the run holds; back on screen, it goes on.
        await page.evaluate(() => scrollTo(0, 0));
        await page.waitForFunction(() => (document.querySelector('central-playground') as HTMLElement).dataset.status === 'paused');
        const away = await epoch();
        await page.waitForTimeout(600);
        expect(await epoch()).toBe(away);
        await page.locator(W).scrollIntoViewIfNeeded();
        await page.waitForFunction((n) => Number((document.querySelector('central-playground') as HTMLElement).dataset.epoch) > n + 2, away);

        // From the beginning: the table is read the moment the new run starts (an observer of
        // data-run-id, set when its run-started arrives), not after a round trip in which the new
        // run may already have trained several epochs.
        const id = await runIdOf(page);
        await page.evaluate((n) => {
          const el = document.querySelector('central-playground') as unknown as HTMLElement & { widgetController: { inspect(): { rows: unknown[] } } };
          (window as unknown as { rowsAtStart: Promise<number> }).rowsAtStart = new Promise<number>((resolve) => {
            const watch = new MutationObserver(() => {
              if (Number(el.dataset.runId) <= n) return;
              watch.disconnect();
              resolve(el.widgetController.inspect().rows.length);
            });
            watch.observe(el, { attributes: true, attributeFilter: ['data-run-id'] });
          });
        }, id);
        await page.getByRole('button', { name: '처음부터' }).click();
        expect(await page.evaluate(() => (window as unknown as { rowsAtStart: Promise<number> }).rowsAtStart)).toBeLessThan(5);
        expectNoProblems(visit.problems);
      } finally {
        await visit.close();
      }
    });

    test('URL state round-trips, bad values are corrected with Korean notices, defaults restore', async () => {
      await during(openWidget(browser, SHORT), async (page) => {
        let id = await waitRun(page, 0);
        await combo(page, '데이터셋').selectOption('xor');
        await combo(page, '배치 크기').selectOption('all');
        await press(slider(page, '학습률'), 'ArrowRight');
        await page.getByRole('spinbutton', { name: '시드' }).fill('42');
        await page.getByRole('spinbutton', { name: '시드' }).press('Enter');
        id = await waitRun(page, id);
        await page.waitForFunction(() => location.search.includes('central.seed=42'));
        const url = page.url();
        for (const part of ['central.data=xor', 'central.batch=all', 'central.lr=0.3', 'central.seed=42', 'central.epochs=10', 'central.speed=fast']) {
          expect(url).toContain(part);
        }
        const config = (await inspect(page)).config;

        const again = await openPage(browser, url.slice(siteUrl('').length));
        try {
          await again.page.locator(W).scrollIntoViewIfNeeded();
          await waitRun(again.page, 0);
          expect((await inspect(again.page)).config).toEqual(config);
          await expect(combo(again.page, '데이터셋').inputValue()).resolves.toBe('xor');
          await expect(slider(again.page, '학습률').getAttribute('aria-valuetext')).resolves.toBe('0.3');
          await expect(again.page.locator('[data-notices]').textContent()).resolves.toBe('');
          expectNoProblems(again.problems);
        } finally {
          await again.close();
        }

        // Reset to defaults: controls, URL and a fresh run.
        await page.getByRole('button', { name: '기본값으로' }).click();
        await page.waitForFunction(() => location.search.includes('central.data=circles') && location.search.includes('central.lr=0.1'));
        await expect(combo(page, '데이터셋').inputValue()).resolves.toBe('circles');
        await expect(slider(page, '에폭').getAttribute('aria-valuetext')).resolves.toBe('100 에폭');
      });

      const bad = await openWidget(browser, 'central.lr=abc&central.units=99&central.data=moon&central.nope=1&central.epochs=10&central.speed=fast');
      try {
        await waitRun(bad.page, 0);
        const notices = (await bad.page.locator('[data-notices] p').allTextContents()).join('\n');
        expect(notices).toContain('학습률: 주소에 적힌 값을 쓸 수 없어 기본값으로 되돌렸습니다.');
        expect(notices).toContain('층마다 뉴런 수: 허용 범위를 넘는 값이라 최댓값으로 맞췄습니다.');
        expect(notices).toContain('데이터셋: 주소에 적힌 값을 쓸 수 없어 기본값으로 되돌렸습니다.');
        expect(notices).toContain('알 수 없는 설정(nope)은 무시했습니다.');
        const config = (await inspect(bad.page)).config as { lr: number; model: { hidden: number[] }; dataset: { name: string } };
        expect(config.lr).toBe(0.1);
        expect(config.model.hidden).toEqual([32, 32]);
        expect(config.dataset.name).toBe('circles');
        expectNoProblems(bad.problems);
      } finally {
        await bad.close();
      }
    });

    test('500 random or malformed query strings: no uncaught error, always valid settings', async () => {
      const queries = randomQueries('central', ['lr', 'data', 'noise', 'clients', 'layers', 'units', 'act', 'batch', 'epochs', 'seed', 'speed', 'test', 'LR'], 500, viewport === 'desktop' ? 1 : 2);
      await during(openPage(browser, PATH), async (page) => {
        // Each query is read by a fresh copy of the (not yet mounted) widget, exactly as on load.
        const bad = await w.malformedQueryProblems(page, queries);
        expect(bad).toEqual([]);
      });
      // A few of them end to end: loaded, mounted, trained in the worker.
      for (const q of queries.slice(0, 6)) {
        const v = await openWidget(browser, `${q}&central.epochs=10&central.speed=fast`);
        try {
          await v.page.waitForFunction(() => Number((document.querySelector('central-playground') as HTMLElement).dataset.epoch ?? 0) >= 1 || (document.querySelector('central-playground') as HTMLElement).dataset.status === 'diverged', undefined, { timeout: 30_000 });
          expectNoProblems(v.problems);
        } finally {
          await v.close();
        }
      }
    });

    test('100 setting changes in a row end with the chart of a fresh run of the final settings', async () => {
      await during(openWidget(browser, SHORT), async (page) => {
        const start = await waitRun(page, 0);
        const finalValues = await page.evaluate(async () => {
          const root = document.querySelector('central-playground')!;
          const fields = [...root.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-param]')].filter(
            (f) => !['speed', 'test', 'epochs', 'batch'].includes(f.dataset.param!),
          );
          let s = 99;
          const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
          const t0 = performance.now();
          let busy = 0;
          for (let i = 0; i < 100; i++) {
            const f = fields[Math.floor(rand() * fields.length)];
            const t = performance.now();
            if (f instanceof HTMLSelectElement) f.selectedIndex = Math.floor(rand() * f.options.length);
            else if (f.type === 'range') f.value = String(Number(f.min) + Math.round(rand() * (Number(f.max) - Number(f.min))));
            else f.value = String(Math.floor(rand() * 1000));
            f.dispatchEvent(new Event(f.type === 'number' || f instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
            busy += performance.now() - t;
            // One change every 19 ms on the clock, however long the page took to handle the last.
            await new Promise((r) => setTimeout(r, Math.max(0, t0 + (i + 1) * 19 - performance.now())));
          }
          const elapsed = performance.now() - t0;
          console.log(`100 changes in ${elapsed.toFixed(0)} ms, handlers ${busy.toFixed(0)} ms`);
          const values: Record<string, string> = {};
          for (const f of root.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-param]')) {
            if (f instanceof HTMLInputElement && f.type === 'radio' && !f.checked) continue;
            values[f.dataset.param!] = f instanceof HTMLInputElement && f.type === 'range' ? (f.getAttribute('aria-valuetext') ?? '') : f.value;
          }
          return { values, elapsed };
        });
        const id = await waitRun(page, start, 'finished', 60_000);
        const info = await inspect(page);
        expect(info.runId).toBe(id);
        // A fresh run: epochs 1…10 of one run, nothing left over from the runs in between.
        expect(info.rows.map((r) => r.round)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        const config = info.config as { dataset: { name: string; noise: number }; model: { hidden: number[]; activation: string }; lr: number; seed: number; clients: number };
        const v = finalValues.values;
        expect(config.dataset.name).toBe(v.data);
        expect(String(config.dataset.noise)).toBe(v.noise);
        expect(config.model.activation).toBe(v.act);
        expect(String(config.lr)).toBe(v.lr);
        expect(String(config.seed)).toBe(v.seed);
        expect(`${config.clients} 명`).toBe(v.clients);
        expect(`${config.model.hidden.length} 층`).toBe(v.layers);
        // The chart shows exactly this run: ten points per line.
        const vertices = await page.evaluate(() =>
          [...document.querySelectorAll('central-playground [data-view="loss"] svg g[data-layer] > path')].map(
            (p) => (p.getAttribute('d') ?? '').split(/[ML]/).filter((s) => s.trim()).length,
          ),
        );
        expect(vertices).toEqual([10, 10]);
      });
    });

    test('a maximal learning rate stops the run with a Korean message; the next run works', async () => {
      await during(openWidget(browser, 'central.lr=10&central.speed=fast&central.epochs=10'), async (page) => {
        let id = await waitRun(page, 0, 'diverged');
        const alert = page.getByRole('alert');
        await expect(alert.textContent()).resolves.toMatch(/발산/);
        expect(await alert.isVisible()).toBe(true);
        await expect(page.locator('[data-action="toggle-play"] [data-label]').textContent()).resolves.toContain('다시 학습');
        await press(slider(page, '학습률'), 'ArrowLeft', 4);
        id = await waitRun(page, id, 'finished');
        expect(await alert.isVisible()).toBe(false);
        const info = await inspect(page);
        expect(info.rows).toHaveLength(10);
        expect(info.rows.at(-1)!.testAccuracy).toBeGreaterThan(0.5);
      });
    });

    test('the summary: a visible line that keeps up and keeps its room, a slower aria-live twin; views go with the widget', async () => {
      await during(openWidget(browser, 'central.speed=slow&central.epochs=500'), async (page) => {
        await waitRun(page, 0, 'running');
        const line = page.locator(`${W} [data-summary]`);
        const live = page.locator(`${W} [data-live]`);
        expect(await line.getAttribute('aria-hidden')).toBe('true');
        expect(await live.getAttribute('aria-live')).toBe('polite');
        // The visible line is at most an epoch behind the run (it is written every half second).
        const behind = async () => {
          const epoch = Number(await page.locator(W).getAttribute('data-epoch'));
          const shown = /에폭 (\d+)\//.exec((await line.textContent()) ?? '');
          return shown ? epoch - Number(shown[1]) : Infinity;
        };
        await expect.poll(behind, { timeout: 5000 }).toBeLessThanOrEqual(1);
        // The line grows with a longer report but does not shrink back: what is under it stays put.
        const room = await page.evaluate(async (tag) => {
          const el = document.querySelector<HTMLElement>(`${tag} [data-summary]`)!;
          const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          const before = el.getBoundingClientRect().height;
          el.textContent = '긴 보고 '.repeat(80);
          await frames();
          const tall = el.getBoundingClientRect().height;
          el.textContent = '짧은 보고';
          await frames();
          return { before, tall, after: el.getBoundingClientRect().height };
        }, W);
        expect(room.tall).toBeGreaterThan(room.before);
        expect(room.after).toBeGreaterThanOrEqual(room.tall - 0.5);
        // Leaving the page, the widget takes its views with it (the runtime destroys what it owns).
        const views = await page.evaluate((tag) => {
          const el = document.querySelector(tag)!;
          const drawn = [...el.querySelectorAll('[data-view="boundary"], [data-view="dataflow"]')];
          const before = drawn.map((v) => v.childElementCount);
          el.remove();
          return { before, after: drawn.map((v) => v.childElementCount) };
        }, W);
        expect(views.before.every((n) => n > 0)).toBe(true);
        expect(views.after).toEqual([0, 0]);
      });
    });

    test('exports: metrics CSV, configuration JSON, charts as PNG and SVG; share copies the link', async () => {
      await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site().origin });
      await during(openWidget(browser, SHORT), async (page) => {
        await waitRun(page, 0);
        const fetchDownload = async (button: Locator) => {
          const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
          return { name: download.suggestedFilename(), body: readFileSync((await download.path())!) };
        };
        const csv = await fetchDownload(page.getByRole('button', { name: '지표 CSV' }));
        expect(csv.name).toMatch(/^central-metrics-.*\.csv$/);
        const lines = csv.body.toString('utf8').replace(/^\ufeff/, '').trim().split(/\r\n/);
        expect(lines[0]).toBe('epoch,train_loss,test_loss,train_accuracy,test_accuracy,bytes_up,bytes_down');
        expect(lines).toHaveLength(11);
        const json = JSON.parse((await fetchDownload(page.getByRole('button', { name: '설정 JSON' }))).body.toString('utf8'));
        expect(json.config).toEqual((await inspect(page)).config);
        expect(json.settings.epochs).toBe(10);
        for (const what of ['결정 경계 그림', '데이터 이동 그림', '손실 그래프', '정확도 그래프']) {
          const png = await fetchDownload(page.getByRole('button', { name: `${what} PNG 파일 내려받기` }));
          expect([...png.body.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
          expect(png.body.length).toBeGreaterThan(2000);
          const svg = (await fetchDownload(page.getByRole('button', { name: `${what} SVG 파일 내려받기` }))).body.toString('utf8');
          expect(svg.startsWith('<?xml')).toBe(true);
          expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
          // Its text in the page's fonts, as drawn (the page's rule is a stylesheet's; a file has none).
          expect(svg, what).toMatch(/<svg[^>]* font-family="Pretendard, [^"]*sans-serif"/);
        }
        await page.getByRole('button', { name: '링크 복사' }).click();
        // The notice comes after the clipboard's promise: wait for it rather than read at once.
        await expect.poll(() => page.locator('[data-notices]').textContent(), { timeout: 10_000 }).toContain('링크를 복사했습니다');
        const copied = await page.evaluate(() => navigator.clipboard.readText());
        expect(copied).toBe(page.url());
        expect(copied).toContain('central.epochs=10');
      });
    });
  }

  test('keyboard: every control is reachable and shows focus', async () => {
    await during(openWidget(browser, SHORT), async (page) => {
      await waitRun(page, 0);
      // From the widget's first stop (the play button comes before the settings), arrived at by
      // keyboard: a button focused from script after a tap shows no ring.
      await page.locator(`${W} [data-action="toggle-play"]`).focus();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      const stops: string[] = [];
      for (let i = 0; i < 80; i++) {
        const info = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const inside = !!el.closest('central-playground');
          const cs = getComputedStyle(el);
          const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1) || cs.boxShadow !== 'none';
          // The speed radios draw their ring on the label's span (the input is transparent).
          const spanRing = el.matches('.ctl__segment input') && getComputedStyle(el.nextElementSibling!).outlineStyle !== 'none';
          return { inside, id: el.id || el.getAttribute('data-action') || el.tagName, visible: el.matches(':focus-visible') && (ring || spanRing) };
        });
        if (!info.inside) break;
        stops.push(info.id);
        expect(info.visible, `focus ring on ${info.id}`).toBe(true);
        await page.keyboard.press('Tab');
      }
      for (const id of ['central-data', 'central-noise', 'central-clients', 'central-seed', 'reseed', 'central-layers', 'central-units', 'central-act', 'central-lr', 'central-batch', 'central-epochs', 'central-test', 'share', 'defaults', 'toggle-play', 'step', 'restart', 'export-png', 'export-csv']) {
        expect(stops).toContain(id);
      }
    });
  });

  if (viewport === 'desktop') {
    test('dark theme: the trained widget passes axe, contrast included, at desktop width and at 360 px', async () => {
      await during(openWidget(browser, `${SHORT}&central.test=1`, { colorScheme: 'dark' }), async (page) => {
        await waitRun(page, 0);
        await page.locator('details.cp__code summary').click();
        await expectAxeClean(page, { include: W });
        await expectFitsPhone(page, W);
      });
    });
  }

  if (viewport === 'mobile') {
    test('touch: taps and a finger drag on a slider work at 360 px', async () => {
      await during(openWidget(browser, 'central.speed=normal&central.epochs=200'), async (page) => {
        let id = await waitRun(page, 0, 'running');
        await tap(page, page.locator('[data-action="toggle-play"]'));
        await page.waitForFunction(() => (document.querySelector('central-playground') as HTMLElement).dataset.status === 'paused');
        const before = await slider(page, '학습률').getAttribute('aria-valuetext');
        await swipe(page, slider(page, '학습률'), 0.55, 0.7);
        await page.waitForFunction((b) => document.querySelector('#central-lr')!.getAttribute('aria-valuetext') !== b, before);
        id = await waitRun(page, id, 'running');
        await tap(page, page.getByRole('button', { name: '새 시드 뽑기' }));
        await waitRun(page, id, 'running');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
        expect(overflow).toBeLessThanOrEqual(1);
      });
    });
  }

  if (viewport === 'desktop') {
    test('without workers it trains in the page and says so', async () => {
      // Last in this browser: the init script stays for every later page of the context.
      await browser.context.addInitScript(() => {
        delete (window as { Worker?: unknown }).Worker;
      });
      await during(openWidget(browser, SHORT), async (page) => {
        await waitRun(page, 0);
        expect((await inspect(page)).backend).toMatchObject({ thread: 'main' });
        expect(await page.locator('[data-thread-notice]').isVisible()).toBe(true);
        await expect(page.locator('p[data-backend]').textContent()).resolves.toContain('메인 스레드');
      });
    });
  }
});

describe('without WebAssembly (desktop)', () => {
  const viewport: ViewportName = 'desktop';
  // V8 in jitless mode has no WebAssembly global, in the page and in every worker. This is a
  // real browser condition, not a mock: Chrome's "V8 optimizer" site setting turned off and
  // Edge's enhanced security mode run sites jitless.
  const browser = browserForSuite({ viewport, extraArgs: ['--js-flags=--jitless'] });

  test('trains on the cpu backend and says so', async () => {
    await during(openWidget(browser, SHORT), async (page) => {
      expect(await page.evaluate(() => typeof WebAssembly)).toBe('undefined');
      await waitRun(page, 0, 'finished', 60_000);
      const info = await inspect(page);
      expect(info.backend).toMatchObject({ backend: 'cpu', thread: 'worker', fallback: 'no-webassembly' });
      expect(info.rows).toHaveLength(10);
      await expect(page.locator('p[data-backend]').textContent()).resolves.toContain('WebAssembly를 쓸 수 없어');
    });
  });
});
