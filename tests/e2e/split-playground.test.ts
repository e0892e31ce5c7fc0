/**
 * The split-learning playground (chapter 4, figure 1): real split learning in a worker on tfjs
 * wasm, in Chromium, at a desktop and a 360 px viewport. Runs are kept short through the URL
 * (`split.epochs=2`, `split.speed=fast`); the engine is seeded, so a test can tell "this control
 * changed the run" from "the run changes anyway".
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForSuite, during, expectAxeClean, openPage } from './harness';
import { download, overflowX, pressMoving as press, widgetTest } from './widget-helpers';

const PATH = 'chapters/split/';
const W = 'split-playground';
const SHORT = 'split.speed=fast&split.epochs=2';

interface Inspection {
  runId: number;
  status: string;
  config: { cut: number; variant: string; clients: number; handoff: string; dataset: { name: string }; model: { hidden: number[]; activation: string }; lr: number; batchSize: number; epochs: number; seed: number };
  rows: { round: number; testAccuracy: number; bytesByKind: Record<string, number> }[];
  totals: Record<string, number>;
  formula: Record<string, number> | null;
  seen: Record<string, number>;
  previous: number[] | null;
  backend: { backend: string; thread: string } | null;
  cut: number;
}

const w = widgetTest<Inspection>(PATH, W, { timeout: 40_000 });
const { open: openWidget, inspect, waitRun, runId: runIdOf, slider } = w;

const handle = (page: Page) => page.locator(`${W} .net__handle`);
const combo = (page: Page, name: string) => page.locator(W).getByRole('combobox', { name });
/** Parameters the address holds for this widget, once the debounced write has happened. */
/** The widget's part of the address now (it is written batched: poll it, do not read it once). */
function urlParams(page: Page): Record<string, string> {
  const u = new URL(page.url());
  return Object.fromEntries([...u.searchParams].filter(([k]) => k.startsWith('split.')));
}

describe('split-learning playground', () => {
  const browser = browserForSuite();

  test('trains in a worker on wasm; every byte the engine counts matches the formula, batch by batch', async () => {
    await during(openWidget(browser, SHORT), async (page) => {
      await waitRun(page, 0);
      const info = await inspect(page);
      expect(info.backend).toMatchObject({ backend: 'wasm', thread: 'worker' });
      expect(info.rows.map((r) => r.round)).toEqual([1, 2]);
      // Default: digits, 3 clients, vanilla, cut 1, p2p hand-off.
      expect(Object.keys(info.formula!).sort()).toEqual(['gradient', 'handoff', 'labels', 'smashed']);
      for (const [k, perEpoch] of Object.entries(info.formula!)) {
        for (const r of info.rows) expect(r.bytesByKind[k], `${k} in epoch ${r.round}`).toBe(perEpoch);
        expect(info.totals[k]).toBe(2 * perEpoch);
      }
      // One smashed-data packet, one gradient and one label message per batch; three hand-offs per epoch.
      expect(info.seen['smashed-sent']).toBeGreaterThan(40);
      expect(info.seen['gradient-returned']).toBe(info.seen['smashed-sent']);
      expect(info.seen['message:labels']).toBe(info.seen['smashed-sent']);
      expect(info.seen['client-handoff']).toBe(6);
      // The table says so in words.
      await expect(page.locator(`${W} [data-view="bytes"] tbody`).innerText()).resolves.toMatch(/(✓ 일치[\s\S]*){4}/);
      // Drawn: the network (client and server regions, nodes), what the server received, the charts.
      expect(await page.locator(`${W} .net__region`).count()).toBe(2);
      expect(await page.locator(`${W} .net__node`).count()).toBeGreaterThan(20);
      // The edges are two paths, a segment per edge: every node of a column to every node of the
      // next, and those across the cut (after the first layer: 6 drawn of 16, to 6 of 16) the wire.
      const segments = await page.locator(`${W} .net__edges path`).evaluateAll((ps) => ps.map((p) => [p.getAttribute('class'), (p.getAttribute('d')!.match(/M/g) ?? []).length]));
      const byColumn = await page.locator(`${W} .net__node`).evaluateAll((ns) => Object.values(ns.reduce<Record<string, number>>((m, n) => ({ ...m, [n.getAttribute('cx')!]: (m[n.getAttribute('cx')!] ?? 0) + 1 }), {})));
      const all = byColumn.slice(1).reduce((sum, n, i) => sum + n * byColumn[i], 0);
      expect(segments).toEqual([['net__edge', all - 36], ['net__edge net__edge--wire', 36]]);
      // Messages fly in a layer of their own laid exactly over the network (network.ts): the same
      // box and scale, hidden from assistive technology, never in the pointer's way.
      const [net, fly] = [page.locator(`${W} .net__svg`), page.locator(`${W} .net__fly-layer`)];
      const [netBox, flyBox] = [await net.boundingBox(), await fly.boundingBox()];
      for (const k of ['x', 'y', 'width', 'height'] as const) expect(flyBox![k]).toBeCloseTo(netBox![k], 0);
      expect(await fly.evaluate((e) => [e.getAttribute('aria-hidden'), getComputedStyle(e).pointerEvents])).toEqual(['true', 'none']);
      await expect(page.locator(`${W} [data-view="sample"] svg`).getAttribute('data-cells')).resolves.toBe('16');
      await expect.poll(() => page.locator(`${W} [data-view="accuracy"] svg path`).count()).toBeGreaterThan(1);
      await expect(page.locator(`${W} [data-live]`).textContent()).resolves.toMatch(/에폭 2\/2.*스매시드 데이터 .*B/);
      await expect(page.locator(`${W} [data-parameters]`).textContent()).resolves.toMatch(/분할 지점의 너비 q = 16/);
      expect(await overflowX(page)).toBeLessThanOrEqual(1);
      await expectAxeClean(page, { include: W });
    }, 300);
  });

  test('the cut handle: arrow keys, Home/End and a drag move the cut; the learning curves stay the same', async () => {
    const visit = await openWidget(browser, `${SHORT}&split.layers=3`, { reducedMotion: 'reduce' });
    const { page } = visit;
    try {
      let id = await waitRun(page, 0);
      const h = handle(page);
      await expect(h.getAttribute('role')).resolves.toBe('slider');
      await expect(h.getAttribute('aria-valuemax')).resolves.toBe('3');
      await h.focus();
      await page.keyboard.press('ArrowRight');
      await expect(h.getAttribute('aria-valuenow')).resolves.toBe('2');
      await expect(h.getAttribute('aria-valuetext')).resolves.toContain('클라이언트 2개 층, 서버 2개 층');
      id = await waitRun(page, id);
      let info = await inspect(page);
      expect(info.config.cut).toBe(2);
      await expect.poll(() => urlParams(page)['split.cut'], { timeout: 10_000 }).toBe('2');
      await expect(slider(page, '분할 지점').inputValue()).resolves.toBe('2');
      // Same seed, same model, only the cut moved: the same training, up to float rounding.
      expect(info.previous).toHaveLength(2);
      info.rows.forEach((r, i) => expect(Math.abs(r.testAccuracy - info.previous![i])).toBeLessThan(0.01));
      await expect(page.locator(`${W} [data-compare-note]`).textContent()).resolves.toMatch(/이전 실행\(분할 지점 1\)의 테스트 곡선\. 지금까지 2개 에폭( 모두에서 두 실행의 테스트 정확도가 같습니다|에서 두 실행의 테스트 정확도 차이는 최대 \d+\.\d+%p입니다)\./);

      await page.keyboard.press('End');
      id = await waitRun(page, id);
      expect((await inspect(page)).config.cut).toBe(3);
      await page.keyboard.press('Home');
      id = await waitRun(page, id);
      expect((await inspect(page)).config.cut).toBe(1);

      // Drag the handle two layers to the right.
      const box = (await h.boundingBox())!;
      const gap = await page.evaluate(() => {
        const xs = [...document.querySelectorAll('split-playground .net__node')].map((n) => Number(n.getAttribute('cx')));
        const cols = [...new Set(xs)].sort((a, b) => a - b);
        return cols[1] - cols[0];
      });
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 + gap, box.y + box.height / 2, { steps: 4 });
      await page.mouse.move(box.x + box.width / 2 + 2 * gap, box.y + box.height / 2, { steps: 4 });
      await page.mouse.up();
      id = await waitRun(page, id);
      info = await inspect(page);
      expect(info.config.cut).toBe(3);
      // A wider or narrower cut changes the smashed bytes, as the formula says.
      expect(info.totals.smashed).toBe(2 * info.formula!.smashed);
    } finally {
      await visit.close();
    }
  });

  test('every setting reaches the engine and changes what is drawn', async () => {
    const visit = await openWidget(browser, SHORT, { reducedMotion: 'reduce' });
    const { page } = visit;
    try {
      let id = await waitRun(page, 0);
      let before = await inspect(page);
      const cases: [string, () => Promise<unknown>, (a: Inspection, b: Inspection) => void][] = [
        ['variant U-shaped', () => combo(page, '구성').selectOption('ushaped'), (a) => {
          expect(a.config.variant).toBe('ushaped');
          // Labels stay home: none crossed; a second cut sends activations and gradients back and forth.
          expect(a.totals.labels ?? 0).toBe(0);
          expect(a.seen['message:labels'] ?? 0).toBe(0);
        }],
        ['variant vertical', () => combo(page, '구성').selectOption('vertical'), (a) => {
          expect(a.config.variant).toBe('vertical');
          expect(a.totals.handoff ?? 0).toBe(0);
        }],
        ['variant vanilla', () => combo(page, '구성').selectOption('vanilla'), (a) => expect(a.config.variant).toBe('vanilla')],
        ['clients', () => press(slider(page, '클라이언트 수'), 'ArrowRight', 2), (a, b) => {
          expect(a.config.clients).toBe(b.config.clients + 2);
          expect(a.seen['client-handoff']).toBe(2 * a.config.clients);
        }],
        ['hand-off via the server', () => combo(page, '인계 경로').selectOption('server'), (a, b) => {
          expect(a.config.handoff).toBe('server');
          expect(a.totals.handoff).toBe(2 * b.totals.handoff);
        }],
        ['units', () => press(slider(page, '층마다 뉴런 수'), 'ArrowRight'), (a, b) => {
          expect(a.config.model.hidden[0]).toBe(2 * b.config.model.hidden[0]);
          expect(a.totals.smashed).toBe(2 * b.totals.smashed);
        }],
        ['hidden layers', () => press(slider(page, '은닉층 수'), 'ArrowRight'), (a, b) => expect(a.config.model.hidden.length).toBe(b.config.model.hidden.length + 1)],
        ['activation', () => combo(page, '활성화 함수').selectOption('tanh'), (a) => expect(a.config.model.activation).toBe('tanh')],
        ['learning rate', () => press(slider(page, '학습률'), 'ArrowLeft'), (a, b) => expect(a.config.lr).toBeLessThan(b.config.lr)],
        ['batch size', () => combo(page, '배치 크기').selectOption('64'), (a, b) => {
          expect(a.config.batchSize).toBe(64);
          expect(a.seen['smashed-sent']).toBeLessThan(b.seen['smashed-sent']);
        }],
        ['epochs', () => press(slider(page, '에폭'), 'ArrowRight'), (a) => expect(a.rows).toHaveLength(3)],
        ['seed', async () => {
          await page.locator(W).getByRole('spinbutton', { name: '시드' }).fill('7');
          await page.locator(W).getByRole('spinbutton', { name: '시드' }).press('Enter');
        }, (a, b) => {
          expect(a.config.seed).toBe(7);
          expect(a.rows.map((r) => r.testAccuracy)).not.toEqual(b.rows.map((r) => r.testAccuracy));
        }],
        ['dataset', () => combo(page, '데이터셋').selectOption('moons'), (a) => {
          expect(a.config.dataset.name).toBe('moons');
        }],
      ];
      for (const [name, change, check] of cases) {
        await change();
        id = await waitRun(page, id);
        const after = await inspect(page);
        try {
          check(after, before);
        } catch (err) {
          throw new Error(`${name}: ${(err as Error).message}`);
        }
        before = after;
      }
      // The input column of a 2D set has two units.
      await expect(page.locator(`${W} .net__width`).first().textContent()).resolves.toBe('2');
      // View-only settings do not start a run.
      const last = await runIdOf(page);
      await page.locator(W).getByRole('switch', { name: '이전 실행의 곡선도 보기' }).click();
      expect(await page.locator(`${W} [data-compare-note]`).isHidden()).toBe(true);
      await page.locator(W).getByRole('radio', { name: '느리게' }).check();
      await page.waitForTimeout(300);
      expect(await runIdOf(page)).toBe(last);
      await expect.poll(() => urlParams(page)['split.speed'], { timeout: 10_000 }).toBe('slow');
    } finally {
      await visit.close();
    }
  });

  test('URL state round-trips; bad values and impossible combinations are corrected with Korean notices', async () => {
    const visit = await openWidget(browser, `${SHORT}&split.cut=99&split.variant=banana&split.lr=abc&split.layers=2`);
    const { page } = visit;
    try {
      await waitRun(page, 0);
      const notices = await page.locator(`${W} [data-notices]`).innerText();
      expect(notices).toContain('분할 지점: 허용 범위를 넘는 값이라 최댓값으로 맞췄습니다.');
      expect(notices).toContain('구성: 주소에 적힌 값을 쓸 수 없어 기본값으로 되돌렸습니다.');
      expect(notices).toContain('학습률: 주소에 적힌 값을 쓸 수 없어 기본값으로 되돌렸습니다.');
      // The largest cut the URL allows is still too deep for two hidden layers: moved, and said so.
      expect(notices).toMatch(/분할 지점을 2\(으\)로 옮겼습니다/);
      const info = await inspect(page);
      expect(info.config).toMatchObject({ cut: 2, variant: 'vanilla', lr: 0.1 });

      // Change a few settings through the controls, then open the address in a fresh tab.
      await combo(page, '구성').selectOption('ushaped');
      await press(slider(page, '층마다 뉴런 수'), 'ArrowLeft');
      await press(slider(page, '클라이언트 수'), 'ArrowLeft');
      // U-shaped with two hidden layers can only cut after the first.
      await expect.poll(() => urlParams(page), { timeout: 10_000 }).toMatchObject({ 'split.variant': 'ushaped', 'split.units': '8', 'split.clients': '2', 'split.cut': '1' });
      const again = await openPage(browser, PATH + new URL(page.url()).search);
      try {
        await again.page.locator(W).scrollIntoViewIfNeeded();
        await waitRun(again.page, 0);
        const copy = await inspect(again.page);
        expect(copy.config).toMatchObject({ variant: 'ushaped', clients: 2, cut: 1 });
        expect(copy.config.model.hidden).toEqual([8, 8]);
        await expect(combo(again.page, '구성').inputValue()).resolves.toBe('ushaped');
        expect(await again.page.locator(`${W} [data-notices]`).innerText()).toBe('');
      } finally {
        await again.close();
      }

      // Vertical: clients share the input's features, so a 2D set allows two.
      const vertical = await openPage(browser, `${PATH}?${SHORT}&split.variant=vertical&split.data=moons&split.clients=8&split.zzz=1`);
      try {
        await vertical.page.locator(W).scrollIntoViewIfNeeded();
        await waitRun(vertical.page, 0);
        expect((await inspect(vertical.page)).config.clients).toBe(2);
        const vNotices = await vertical.page.locator(`${W} [data-notices]`).innerText();
        expect(vNotices).toContain('클라이언트 수를 2(으)로 줄였습니다');
        expect(vNotices).toContain('알 수 없는 설정(zzz)은 무시했습니다.');
      } finally {
        await vertical.close();
      }

      // Defaults come back with the reset button.
      const beforeReset = await runIdOf(page);
      await page.locator(W).getByRole('button', { name: '기본값으로' }).click();
      await waitRun(page, beforeReset, 'running');
      expect((await inspect(page)).config).toMatchObject({ variant: 'vanilla', clients: 3, cut: 1, epochs: 20 });
    } finally {
      await visit.close();
    }
  });

  test('a far too large learning rate stops with a Korean message; exports work', async () => {
    await during(openWidget(browser, `${SHORT}&split.lr=10&split.act=tanh`), async (page) => {
      const diverged = await waitRun(page, 0, 'diverged');
      await expect(page.locator(`${W} [data-alert]`).textContent()).resolves.toMatch(/학습률/);
      await expect(page.locator(`${W} [data-action="toggle-play"] [data-label]`).textContent()).resolves.toContain('다시 학습');
      await press(slider(page, '학습률'), 'Home');
      await waitRun(page, diverged);
      expect(await page.locator(`${W} [data-alert]`).isHidden()).toBe(true);
      const csv = await download(page, page.locator(W).getByRole('button', { name: '지표 CSV' }));
      expect(csv.name).toMatch(/^split-metrics-.*\.csv$/);
      const lines = csv.body.toString('utf8').replace(/^\ufeff/, '').trim().split(/\r\n/);
      expect(lines[0]).toBe('epoch,train_loss,test_loss,train_accuracy,test_accuracy,bytes_up,bytes_down,bytes_smashed,bytes_gradient,bytes_labels,bytes_handoff');
      expect(lines).toHaveLength(3);
      const json = JSON.parse((await download(page, page.locator(W).getByRole('button', { name: '설정 JSON' }))).body.toString('utf8'));
      expect(json.config).toEqual((await inspect(page)).config);
      expect(json.formulaPerEpoch.smashed).toBeGreaterThan(0);
      for (const what of ['분할된 모델 그림', '스매시드 데이터 그림', '정확도 그래프']) {
        const png = await download(page, page.getByRole('button', { name: `${what} PNG 파일 내려받기` }));
        expect([...png.body.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
        const svg = await download(page, page.getByRole('button', { name: `${what} SVG 파일 내려받기` }));
        expect(svg.body.toString('utf8')).toMatch(/^<\?xml[\s\S]*<svg/);
      }
    }, 300);
  });

  test('play/pause, one epoch and restart', async () => {
    const visit = await openWidget(browser, 'split.speed=normal&split.epochs=30');
    const { page } = visit;
    try {
      const id = await waitRun(page, 0, 'running');
      await page.locator(W).getByRole('button', { name: '일시정지' }).click();
      await waitRun(page, id - 1, 'paused');
      // The trainer's word that it holds (data-held) comes after every epoch it had already sent.
      await page.waitForFunction((tag) => (document.querySelector(tag) as HTMLElement).dataset.held === 'true', W);
      const held = (await inspect(page)).rows.length;
      await page.waitForTimeout(500);
      const still = (await inspect(page)).rows.length;
      expect(still).toBe(held);
      await page.locator(W).getByRole('button', { name: '한 에폭' }).click();
      await expect.poll(async () => (await inspect(page)).rows.length, { timeout: 10_000 }).toBe(still + 1);
      await page.waitForTimeout(400);
      expect((await inspect(page)).rows.length).toBe(still + 1);
      expect(await page.locator(W).getAttribute('data-status')).toBe('paused');
      await page.locator(W).getByRole('button', { name: '처음부터' }).click();
      await waitRun(page, id, 'running');
      expect((await inspect(page)).previous).not.toBeNull();
    } finally {
      await visit.close();
    }
  });

  test('slow speed lets each batch be watched; faster speeds let batches run', async () => {
    const visit = await openWidget(browser, 'split.speed=slow&split.epochs=2');
    const { page } = visit;
    try {
      await waitRun(page, 0, 'running');
      const count = async () => (await inspect(page)).seen['smashed-sent'] ?? 0;
      // Timed by the worker's own clock: when the page is busy, batches reach it together, so
      // times taken on the page (or here) can bunch them (CI once saw 3 batches in 753 ms).
      // The trainer posts through self.postMessage, so a wrapper there sees each batch leave.
      const trainer = page.workers().find((w) => /train\.worker[^/]*\.js$/.test(w.url()));
      expect(trainer, 'the training worker').toBeTruthy();
      await trainer!.evaluate(() => {
        const scope = self as unknown as { postMessage(m: unknown): void; sentAt: number[] };
        const post = scope.postMessage.bind(scope);
        scope.sentAt = [];
        scope.postMessage = (m) => {
          const events = (m as { type: string; events?: { type: string }[] }).events ?? [];
          for (const e of events) if (e.type === 'smashed-sent') scope.sentAt.push(Date.now());
          post(m);
        };
      });
      const sentAt = () => trainer!.evaluate(() => (self as unknown as { sentAt: number[] }).sentAt);
      await expect.poll(async () => (await sentAt()).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
      // 700 ms between batches: four gaps take 2.8 s, less only by how much faster the last
      // batch was computed than the first (milliseconds here; 300 ms allowed). Without the pace
      // the five batches leave within a few tens of milliseconds.
      const t = (await sentAt()).slice(0, 5);
      expect(t[4] - t[0]).toBeGreaterThanOrEqual(4 * 700 - 300);
      // Each batch is drawn: the smashed data crosses, then the gradient comes back.
      await page.waitForSelector(`${W} .net__msg--smashed`, { state: 'attached', timeout: 2000 });
      await page.waitForSelector(`${W} .net__msg--gradient`, { state: 'attached', timeout: 2000 });
      await page.locator(W).getByRole('radio', { name: '빠르게' }).check();
      const [b, sent] = [await count(), (await sentAt()).length];
      // Ten gaps at the slow pace take 7 s; fast does not wait between batches (the last ten gaps
      // all come after the switch), and the page sees the batches too.
      await expect.poll(async () => (await sentAt()).length, { timeout: 10_000 }).toBeGreaterThan(sent + 12);
      const fast = (await sentAt()).slice(-11);
      expect(fast[10] - fast[0]).toBeLessThan(10 * 700 / 2);
      await expect.poll(count, { timeout: 10_000 }).toBeGreaterThan(b + 10);
    } finally {
      await visit.close();
    }
  });

  test('the settings sit beside the picture only in a widget 50rem wide: under it at 1,024 px (the contents column narrows the chapter), beside it at 1,280 px', async () => {
    await during(openWidget(browser, SHORT, { viewport: { width: 1024, height: 800 } }), async (page) => {
      const boxes = async () =>
        page.evaluate((tag) => {
          const box = (sel: string) => document.querySelector(`${tag} ${sel}`)!.getBoundingClientRect();
          const [layout, main, controls] = [box('.lab__layout'), box('.lab__main'), box('.lab__controls')];
          return { layout: layout.width, main: main.width, mainBottom: main.bottom, controlsTop: controls.top, controlsRight: controls.right, mainLeft: main.left };
        }, W);
      const narrow = await boxes();
      expect(narrow.layout).toBeLessThan(800);
      expect(narrow.main).toBe(narrow.layout);
      expect(narrow.controlsTop).toBeGreaterThan(narrow.mainBottom);
      await page.setViewportSize({ width: 1280, height: 800 });
      await expect.poll(async () => (await boxes()).main).toBeLessThan(700);
      const wide = await boxes();
      expect(wide.layout).toBeGreaterThanOrEqual(800);
      expect(wide.controlsRight).toBeLessThanOrEqual(wide.mainLeft);
    });
  });

  test('at 360 px in the dark theme: fits, a narrower phone does not redraw the network, the handle works by keyboard, axe is clean', async () => {
    await during(openWidget(browser, SHORT, { viewport: 'mobile', reducedMotion: 'reduce', colorScheme: 'dark' }), async (page) => {
      let id = await waitRun(page, 0);
      expect(await overflowX(page)).toBeLessThanOrEqual(1);
      const svgBox = (await page.locator(`${W} .net__svg`).boundingBox())!;
      expect(svgBox.width).toBeLessThanOrEqual(360);
      const h = handle(page);
      const hb = (await h.boundingBox())!;
      expect(hb.x).toBeGreaterThanOrEqual(svgBox.x);
      expect(hb.x + hb.width).toBeLessThanOrEqual(svgBox.x + svgBox.width + 24);
      expect(hb.height).toBeGreaterThanOrEqual(44);
      // The network is drawn at least 300 px wide (scaled down to fit): a phone a little narrower
      // changes nothing it is drawn at, so it is not drawn again (it was, in every mount at 360 px).
      await page.evaluate(() => {
        const svg = document.querySelector('split-playground .net__svg')!;
        const w = window as unknown as { netDraws: number };
        w.netDraws = 0;
        new MutationObserver((records) => (w.netDraws += records.length)).observe(svg, { attributes: true, attributeFilter: ['viewBox', 'width'] });
      });
      await page.setViewportSize({ width: 340, height: 740 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 100)))));
      expect(await page.evaluate(() => (window as unknown as { netDraws: number }).netDraws)).toBe(0);
      await page.setViewportSize({ width: 360, height: 740 });
      await h.focus();
      await page.keyboard.press('ArrowUp');
      id = await waitRun(page, id);
      expect((await inspect(page)).config.cut).toBe(2);
      await expectAxeClean(page, { include: W });
    }, 300);
  });
});
