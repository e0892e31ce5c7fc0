/**
 * Gradient inversion (attacks chapter): the attack runs in the worker and recovers the digit;
 * every control starts a new attack and lands in the address; the sweep chart runs one defence at
 * several strengths; a bad address is clamped with notices; at 360 px the pictures come first.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForSuite, during, expectAxeClean } from './harness';
import { countLayerPaths, expectSameAsFreshDraw, openWidgetAt, pressMoving as press, widgetTest } from './widget-helpers';
import type { InversionInspection as Inspection } from '~/widgets/gradient-inversion/main';

const PATH = 'chapters/attacks/';
const W = 'gradient-inversion';
const SHORT = 'inversion.steps=50';

const w = widgetTest<Inspection>(PATH, W, { timeout: 90_000, json: false });
const { inspect, slider, combo } = w;

/** Waits until an attack newer than `after` has finished; returns its run id. */
const finished = (page: Page, after: number, timeout = 90_000) => w.waitRun(page, after, 'finished', timeout);

describe('gradient inversion', () => {
  const browser = browserForSuite();

  test('recovers the digit in the worker; every control reruns and lands in the address; the sweep chart', async () => {
    await during(openWidgetAt(browser, PATH, W, SHORT), async (page) => {
      let id = await finished(page, 0);
      let info = await inspect(page);
      expect(info.backend).toMatchObject({ backend: 'wasm', thread: 'worker' });
      expect(info.config).toMatchObject({ dataset: 'digits', batch: 1, hidden: [32], activation: 'sigmoid', attackSteps: 50 });
      expect(info.step).toBe(50);
      expect(info.meanPsnr).toBeGreaterThan(20);
      expect(info.labelAccuracy).toBe(1);
      expect(info.analyticPsnr).toBeGreaterThan(60);
      expect(info.pictures).toBe(2);
      await expect(page.locator(`${W} [data-view="curve"] svg`).count()).resolves.toBe(1);
      await expect(page.locator(`${W} [data-live]`).textContent()).resolves.toMatch(/공격을 마쳤습니다.*PSNR \d+\.\d dB.*레이블 정확도 100%/);
      await expect(page.locator(`${W} [data-analytic-note]`).textContent()).resolves.toContain('정확히');

      // Every slider, by keyboard: each press starts a new attack with the new setting.
      const moves: [string, string, (i: Inspection) => unknown, unknown, string][] = [
        ['배치 크기 b', 'ArrowRight', (i) => i.config?.batch, 2, 'inversion.batch=2'],
        ['로컬 스텝 E', 'ArrowRight', (i) => i.config?.localSteps, 2, 'inversion.local=2'],
        ['은닉층 뉴런 수', 'ArrowLeft', (i) => i.config?.hidden[0], 16, 'inversion.hidden=16'],
        ['노이즈 배수 z', 'ArrowRight', (i) => i.config?.noise, 0.001, 'inversion.noise=0.001'],
        ['클리핑 노름 S', 'ArrowRight', (i) => i.config?.clip, 1, 'inversion.clip=1'],
        ['보안 집계 K', 'ArrowRight', (i) => i.config?.secureAgg, 2, 'inversion.secagg=2'],
        ['보내는 비율 (top-k)', 'ArrowLeft', (i) => i.config?.topk, 0.3, 'inversion.topk=0.3'],
        ['공격 스텝', 'ArrowLeft', (i) => i.config?.attackSteps, 50, 'inversion.steps=50'],
      ];
      for (const [name, key, get, want, query] of moves) {
        if (name === '공격 스텝') await slider(page, name).press('ArrowRight'); // 100, then back to 50
        await press(slider(page, name), key);
        id = await finished(page, id);
        info = await inspect(page);
        expect(get(info), name).toBe(want);
        await page.waitForFunction((q) => location.search.includes(q), query);
      }
      info = await inspect(page);
      expect(info.pictures).toBe(4); // two originals, two reconstructions
      expect(info.epsilon).toBeGreaterThan(1000);
      await expect(page.locator(`${W} [data-pairs-note]`).textContent()).resolves.toMatch(/2명의 업데이트 합.*top-k.*ε ≈ 1,000 넘음/);

      for (const [name, value, get] of [
        ['활성화 함수', 'tanh', (i: Inspection) => i.config?.activation],
        ['레이블', 'optimize', (i: Inspection) => i.config?.labels],
        ['데이터셋', 'mnist', (i: Inspection) => i.config?.dataset],
      ] as const) {
        await combo(page, name).selectOption(value);
        id = await finished(page, id);
        expect(get(await inspect(page)), name).toBe(value);
      }
      const seed = page.locator(W).getByRole('spinbutton', { name: '시드' });
      await seed.fill('7');
      await seed.press('Enter');
      id = await finished(page, id);
      expect((await inspect(page)).config?.seed).toBe(7);
      await page.waitForFunction(() => ['inversion.act=tanh', 'inversion.labels=optimize', 'inversion.data=mnist', 'inversion.seed=7'].every((q) => location.search.includes(q)));

      // Back to defaults (one digit, no defence), then the top-k sweep: PSNR falls with k.
      await page.locator(W).getByRole('button', { name: /기본값으로/ }).click();
      id = await finished(page, id);
      expect((await inspect(page)).config).toMatchObject({ dataset: 'digits', batch: 1, noise: 0, secureAgg: 1, topk: 1, attackSteps: 200 });
      await slider(page, '공격 스텝').focus();
      await slider(page, '공격 스텝').press('Home');
      id = await finished(page, id);
      await combo(page, '세기를 바꿔 볼 방어').selectOption('topk');
      expect(await w.runId(page)).toBe(id); // choosing the sweep's defence starts nothing
      await page.locator(`${W} [data-action="sweep"]`).click();
      await page.waitForFunction(() => (document.querySelector('gradient-inversion') as HTMLElement).dataset.sweep === 'finished', null, { timeout: 180_000 });
      info = await inspect(page);
      expect(info.sweep.defence).toBe('topk');
      expect(info.sweep.points.map((p) => p.value)).toEqual([1, 0.3, 0.1, 0.03, 0.01]);
      expect(info.sweep.points[0].meanPsnr).toBeGreaterThan(info.sweep.points[4].meanPsnr + 5);
      await expect(page.locator(`${W} [data-view="sweep-table"] tbody tr`).count()).resolves.toBe(5);
      await expect(page.locator(`${W} [data-view="sweep"] svg`).count()).resolves.toBe(1);

      await expectAxeClean(page, { include: W });
    }, 300);
  });

  test('while the PSNR climbs, its chart keeps its axes in steps and changes the line in place', async () => {
    await during(openWidgetAt(browser, PATH, W, 'inversion.steps=1000&inversion.data=mnist'), async (page) => {
      let id = await finished(page, 0);
      const chart = `${W} [data-view="curve"]`;
      const counts = await countLayerPaths(page, chart);
      await page.locator(W).getByRole('button', { name: '다시 공격' }).click();
      id = await finished(page, id);
      const info = await inspect(page);
      expect(info.step).toBe(1000);
      // The axis moved up a few times (round tops: 10, 15, 20, 30, 40 dB…); every other draw
      // changed the line only (here 14 patches and 2 or 3 whole draws). A top that followed each
      // new maximum drew most of them whole (9 and 13 whole draws in two runs).
      const drawn = await counts.drawn();
      const patched = await counts.added();
      const seen = `${patched} line patches, ${drawn} whole draws`;
      expect(drawn, seen).toBeLessThanOrEqual(5);
      expect(patched, seen).toBeGreaterThan(drawn);
      await expectSameAsFreshDraw(page, page.locator(`${chart} svg`));
    });
  });

  test('360 px: pictures before the controls; a bad address is clamped and explained', async () => {
    await during(openWidgetAt(browser, PATH, W, `${SHORT}&inversion.batch=99&inversion.noise=abc&inversion.bogus=1`, { viewport: 'mobile' }), async (page) => {
      await finished(page, 0);
      const info = await inspect(page);
      expect(info.config).toMatchObject({ batch: 8, noise: 0 });
      expect(info.pictures).toBe(16);
      const notices = await page.locator(`${W} [data-notices]`).innerText();
      expect(notices).toContain('배치 크기 b');
      expect(notices).toContain('노이즈 배수 z');
      expect(notices).toContain('bogus');
      const pairs = await page.locator(`${W} [data-view="pairs"]`).boundingBox();
      const controls = await page.locator(`${W} .lab__controls`).boundingBox();
      expect(pairs!.y).toBeLessThan(controls!.y);
      expect(pairs!.x + pairs!.width).toBeLessThanOrEqual(360);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      // Each pair's caption sits in a box of fixed height (its layout stays in it): its words,
      // laid out again at the box's width outside it, take no more than that height.
      const captions = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('.gi__said')].map((said) => {
          const probe = document.createElement('div');
          probe.style.cssText = `position: absolute; visibility: hidden; width: ${said.clientWidth}px`;
          probe.innerHTML = said.innerHTML;
          said.parentElement!.append(probe);
          const need = probe.getBoundingClientRect().height;
          probe.remove();
          return { need, box: said.clientHeight, text: said.textContent };
        }),
      );
      expect(captions).toHaveLength(8);
      for (const c of captions) expect(c.need, c.text!).toBeLessThanOrEqual(c.box + 0.5);
      await expectAxeClean(page, { include: W });
    }, 300);
  });
});
