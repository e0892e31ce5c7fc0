/**
 * "What the server sees" (chapter 4, figure 2): a model trained in the worker, then the engine's
 * server view: the raw digit, a one-example weight update, the smashed data at every cut and a
 * linear decoder's reconstruction. Digit and cut only redraw; the model settings retrain.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForSuite, during, expectAxeClean } from './harness';
import type { ServerViewInspection as Inspection } from '~/widgets/server-view/main';
import { download, downloadText, overflowX, pressMoving as press, widgetTest } from './widget-helpers';

const PATH = 'chapters/split/';
const W = 'server-view';
const SHORT = 'serverview.epochs=3';

const w = widgetTest<Inspection>(PATH, W, { timeout: 40_000 });
const { open: openWidget, inspect, runId: runIdOf, slider, combo } = w;

/** Waits until a run newer than `after` has finished and its view is drawn. */
async function waitView(page: Page, after: number, timeout = 40_000): Promise<number> {
  const id = await w.waitRun(page, after, 'finished', timeout);
  await w.waitData(page, 'viewReady===true', timeout);
  return id;
}

/** How many cells a picture paints, and a fingerprint of their colours (set by the renderer). */
async function picture(page: Page, view: string): Promise<{ cells: number; digest: string }> {
  const svg = page.locator(`${W} [data-view="${view}"] svg`);
  return { cells: Number(await svg.getAttribute('data-cells')), digest: (await svg.getAttribute('data-digest')) ?? '' };
}


describe('what the server sees', () => {
  const browser = browserForSuite();

  test('trains, then shows the raw digit, the update, the smashed data and its reconstruction; leakage falls with depth', async () => {
    await during(openWidget(browser, SHORT), async (page) => {
      const id = await waitView(page, 0);
      const info = await inspect(page);
      expect(info.backend).toMatchObject({ backend: 'wasm', thread: 'worker' });
      expect(info.config!.model).toMatchObject({ kind: 'mlp', hidden: [32, 32, 32] });
      expect(info.accuracy).toBeGreaterThan(0.5);
      expect(info.leakage.map((l) => l.cut)).toEqual([1, 2, 3]);
      for (const l of info.leakage) {
        expect(l.width).toBe(32);
        expect(l.reconstructionError).toBeGreaterThan(0);
        expect(l.reconstructionError).toBeLessThan(1.2);
      }
      // The chapter's claim, measured: a deeper cut gives the linear decoder less to work with.
      expect(info.leakage[0].reconstructionError).toBeLessThan(info.leakage[2].reconstructionError);
      expect(info.shown).toMatchObject({ digit: 3, cut: 1, rawValues: 64, smashedValues: 32, reconValues: 64 });
      expect((await picture(page, 'raw')).cells).toBe(64);
      expect((await picture(page, 'recon')).cells).toBe(64);
      expect((await picture(page, 'smashed')).cells).toBe(32);
      expect((await picture(page, 'update')).cells).toBe(32 * 64);
      await expect(page.locator(`${W} [data-view="leakage-table"] tbody tr`).count()).resolves.toBe(3);
      await expect(page.locator(`${W} [data-view="leakage"] svg`).count()).resolves.toBe(1);
      await expect(page.locator(`${W} [data-live]`).textContent()).resolves.toMatch(/숫자 3, 분할 지점 1번째 층 뒤.*상대 오차는 \d\.\d\d/);

      // The digit and the cut only choose what is drawn: no new run.
      const raw = await picture(page, 'raw');
      await combo(page, '숫자').selectOption('7');
      await expect.poll(async () => (await inspect(page)).shown?.digit).toBe(7);
      expect((await picture(page, 'raw')).digest).not.toBe(raw.digest);
      const smashed = await picture(page, 'smashed');
      await press(slider(page, '분할 지점'), 'ArrowRight');
      await expect.poll(async () => (await inspect(page)).shown?.cut).toBe(2);
      expect((await picture(page, 'smashed')).digest).not.toBe(smashed.digest);
      await expect(page.locator(`${W} [data-view="leakage-table"] tbody tr.is-selected th`).textContent()).resolves.toBe('2번째 층 뒤 (선택)');
      expect(await runIdOf(page)).toBe(id);
      const params = await page.waitForFunction(() => location.search.includes('serverview.digit=7') && location.search.includes('serverview.cut=2'));
      expect(params).toBeTruthy();

      await expectAxeClean(page, { include: W });
    }, 300);
  });

  test('model settings retrain; a CNN shows feature maps at the cut; the cut follows the model', async () => {
    const visit = await openWidget(browser, `${SHORT}&serverview.cut=3`);
    const { page } = visit;
    try {
      let id = await waitView(page, 0);
      // Two hidden layers leave cuts 1 and 2: the cut moves, and a notice says why.
      await press(slider(page, '은닉층 수 (MLP)'), 'ArrowLeft');
      id = await waitView(page, id);
      let info = await inspect(page);
      expect(info.config!.model.hidden).toHaveLength(2);
      expect(info.leakage.map((l) => l.cut)).toEqual([1, 2]);
      expect(info.shown?.cut).toBe(2);
      await expect(page.locator(`${W} [data-notices]`).innerText()).resolves.toContain('분할 지점을 2(으)로 옮겼습니다');
      await expect(slider(page, '분할 지점').getAttribute('max')).resolves.toBe('2');

      await press(slider(page, '층마다 뉴런 수 (MLP)'), 'ArrowRight');
      id = await waitView(page, id);
      info = await inspect(page);
      expect(info.leakage[0].width).toBe(64);

      await combo(page, '모델').selectOption('cnn');
      id = await waitView(page, id);
      info = await inspect(page);
      expect(info.config!.model.kind).toBe('cnn');
      expect(info.leakage.map((l) => l.width)).toEqual([1024, 256, 512, 128, 128, 64]);
      await press(slider(page, '분할 지점'), 'Home');
      await expect.poll(async () => (await inspect(page)).shown?.smashedValues).toBe(1024);
      // 16 channels of 8×8, one tile each.
      expect((await picture(page, 'smashed')).cells).toBe(1024);
      await expect(page.locator(`${W} [data-panel-note="smashed"]`).textContent()).resolves.toContain('8×8×16');

      const seed = page.locator(W).getByRole('spinbutton', { name: '시드' });
      await seed.fill('5');
      await seed.press('Enter');
      const next = await waitView(page, id);
      expect((await inspect(page)).config!.seed).toBe(5);
      expect(next).toBeGreaterThan(id);
    } finally {
      await visit.close();
    }
  });

  test('bad values become Korean notices; exports; 360 px in the dark theme', async () => {
    await during(openWidget(browser, `${SHORT}&serverview.digit=x&serverview.cut=-4&serverview.model=rnn`, { viewport: 'mobile', colorScheme: 'dark' }), async (page) => {
      await waitView(page, 0);
      const notices = await page.locator(`${W} [data-notices]`).innerText();
      expect(notices).toContain('숫자: 주소에 적힌 값을 쓸 수 없어 기본값으로 되돌렸습니다.');
      expect(notices).toContain('분할 지점: 허용 범위보다 작은 값이라 최솟값으로 맞췄습니다.');
      expect(notices).toContain('모델: 주소에 적힌 값을 쓸 수 없어 기본값으로 되돌렸습니다.');
      expect((await inspect(page)).shown).toMatchObject({ digit: 3, cut: 1 });
      expect(await overflowX(page)).toBeLessThanOrEqual(1);
      const lines = (await downloadText(page, page.locator(W).getByRole('button', { name: '복원 오차 CSV' }))).trim().split(/\r\n/);
      expect(lines[0]).toBe('cut,width,reconstruction_error,mse,ridge,features_used');
      expect(lines).toHaveLength(4);
      const png = await download(page, page.getByRole('button', { name: '서버가 받는 것 그림 PNG 파일 내려받기' }));
      expect([...png.body.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
      const svg = await download(page, page.getByRole('button', { name: '복원 오차 그래프 SVG 파일 내려받기' }));
      expect(svg.body.toString('utf8')).toMatch(/^<\?xml[\s\S]*<svg/);
      await expectAxeClean(page, { include: W });
    }, 300);
  });
});
