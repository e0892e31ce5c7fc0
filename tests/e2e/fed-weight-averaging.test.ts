/**
 * Weight averaging made visible (chapter 3, figure 2), trained at desktop width and then seen at
 * 360 px: the numbers written out are the engine's, the new global model is drawn at the weighted
 * mean of the local models' points, and every control changes the run or the view.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForSuite, during, expectAxeClean, expectNoProblems } from './harness';
import { combo, download, drawn, expectFitsPhone, expectImageDownloads, overflowX, press, randomQueries, slider, widgetTest } from './widget-helpers';

const CHAPTER = 'chapters/federated/';
const W = 'weight-averaging';
const w = widgetTest<Inspection>(CHAPTER, W);
const SHORT = 'avg.speed=fast&avg.rounds=5';

interface Inspection {
  status: string;
  config: { clients: number; localEpochs: number; lr: number; rounds: number; weighting: string; seed: number; dataset: { name: string }; partition: { kind: string; alpha: number } };
  rounds: { round: number; coefficients: Record<string, number>; sizes: Record<string, number>; testAccuracy: number }[];
  showing: { round: number; phase: string } | null;
  map: { clients: { k: number; x: number; y: number; r: number }[]; next: { x: number; y: number } | null };
  math: { name: string; terms: { k: number; c: number; w: number }[]; result: number | null }[];
  backend: { backend: string; thread: string } | null;
}

/** The drawing is the arithmetic: the new global model sits at Σ c_k · (client k's point). */
function expectFaithful(info: Inspection) {
  const last = info.rounds.at(-1)!;
  const total = Object.values(last.sizes).reduce((a, b) => a + b, 0);
  for (const [k, c] of Object.entries(last.coefficients)) {
    expect(c).toBeCloseTo(info.config.weighting === 'uniform' ? 1 / info.config.clients : last.sizes[k] / total, 6);
  }
  for (const m of info.math) {
    expect(m.result).not.toBeNull();
    const sum = m.terms.reduce((s, t) => s + t.c * t.w, 0);
    expect(Math.abs(sum - m.result!)).toBeLessThan(1e-5);
  }
  const next = info.map.next!;
  expect(next).not.toBeNull();
  let x = 0;
  let y = 0;
  for (const p of info.map.clients) {
    x += last.coefficients[String(p.k)] * p.x;
    y += last.coefficients[String(p.k)] * p.y;
  }
  expect(Math.abs(x - next.x)).toBeLessThan(0.5);
  expect(Math.abs(y - next.y)).toBeLessThan(0.5);
  // Area ∝ n_k: the largest client has the largest circle.
  const biggest = Object.entries(last.sizes).sort((a, b) => b[1] - a[1])[0][0];
  const radii = info.map.clients.map((p) => p.r);
  expect(info.map.clients.find((p) => String(p.k) === biggest)!.r).toBe(Math.max(...radii));
}

/**
 * Pixels drawn on the map's canvas (the frames of a move; see renderers/weight-map.ts): none at
 * rest, when the SVG under it shows the end state.
 */
const canvasInk = (page: Page) =>
  page.evaluate((tag) => {
    const c = document.querySelector(`${tag} .weight-map__canvas`) as HTMLCanvasElement | null;
    if (!c || !c.width || !c.height) return -1;
    const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i]) n++;
    return n;
  }, W);

describe('weight averaging', () => {
  const browser = browserForSuite({ viewport: 'desktop' });

  test('trains in a worker; the picture and the sum are the engine’s weighted mean; accessible', async () => {
    // Far below the fold at load: nothing mounted until it is on screen.
    const { visit, info } = await w.firstRun(browser, SHORT);
    const { page } = visit;
    try {
      expect(info.rounds.map((r) => r.round)).toEqual([1, 2, 3, 4, 5]);
      expect(info.showing).toEqual({ round: 5, phase: 'average' });
      expectFaithful(info);
      // At rest the canvas of moving frames is clear: the map on screen is the SVG checked above.
      await expect.poll(() => canvasInk(page)).toBe(0);
      // The written formulas carry the same numbers.
      const formulas = await page.locator(`${W} .fw__formula`).allTextContents();
      expect(formulas).toHaveLength(info.math.length);
      expect(formulas[0]).toContain(info.math[0].terms[0].c.toFixed(3));
      await expect(page.locator(`${W} [data-live]`).textContent()).resolves.toMatch(/라운드 5\/5.*집계 가중치/);
      expect(await overflowX(page)).toBeLessThanOrEqual(1);
      await expectAxeClean(page, { include: W });
      await expectFitsPhone(page, W);
      expectNoProblems(visit.problems);
    } finally {
      await visit.close();
    }
  });

  // Behaviour does not depend on the width (the phone layout is checked for every widget in
  // mobile-layout.test.ts, the trained run at 360 px above).
  test('every control changes the run or the view; the address keeps the settings', async () => {
    const visit = await w.open(browser, SHORT, { reducedMotion: 'reduce' });
    const { page } = visit;
    const root = page.locator(W);
    const map = () => drawn(page, `${W} [data-view="map"]`);
    const math = () => drawn(page, `${W} [data-view="math"]`);
    try {
      let id = await w.waitRun(page, 0);
      let before = { map: await map(), math: await math() };
      const cases: [string, () => Promise<unknown>, (i: Inspection) => void][] = [
        ['weighted off', () => press(root.getByRole('switch', { name: '데이터 수로 가중 (n_k / m_t)' }), 'Space'), (i) => expect(i.config.weighting).toBe('uniform')],
        ['dataset', () => combo(root, '데이터셋').selectOption('xor'), (i) => expect(i.config.dataset.name).toBe('xor')],
        ['imbalance', () => press(slider(root, '불균형 정도 α'), 'ArrowLeft', 2), (i) => expect(i.config.partition.alpha).toBe(0.2)],
        ['partition', () => combo(root, '데이터 분할').selectOption('dirichlet'), (i) => expect(i.config.partition.kind).toBe('dirichlet')],
        ['clients', () => press(slider(root, '클라이언트 수 K'), 'ArrowRight'), (i) => expect(Object.keys(i.rounds.at(-1)!.sizes)).toHaveLength(5)],
        ['epochs', () => press(slider(root, '로컬 에폭 E'), 'ArrowRight'), (i) => expect(i.config.localEpochs).toBe(3)],
        ['learning rate', () => press(slider(root, '학습률 η'), 'ArrowLeft'), (i) => expect(i.config.lr).toBe(0.1)],
        ['seed', async () => {
          await root.getByRole('spinbutton', { name: '시드' }).fill('5');
          await root.getByRole('spinbutton', { name: '시드' }).press('Enter');
        }, (i) => expect(i.config.seed).toBe(5)],
        ['rounds', () => press(slider(root, '라운드 수'), 'ArrowRight'), (i) => expect(i.rounds).toHaveLength(10)],
      ];
      for (const [name, change, check] of cases) {
        await change();
        id = await w.waitRun(page, id);
        const info = await w.inspect(page);
        check(info);
        expectFaithful(info);
        const after = { map: await map(), math: await math() };
        expect(after.map, `${name} → map`).not.toBe(before.map);
        expect(after.math, `${name} → numbers`).not.toBe(before.math);
        before = after;
      }
      // With an IID split every client holds the same number of examples: both weightings agree.
      await combo(root, '데이터 분할').selectOption('iid');
      id = await w.waitRun(page, id);
      for (const c of Object.values((await w.inspect(page)).rounds.at(-1)!.coefficients)) expect(c).toBeCloseTo(1 / 5, 6);

      // Zoom and speed change the view only.
      await press(root.getByRole('switch', { name: '이번 라운드만 확대' }), 'Space');
      await expect.poll(map).not.toBe(before.map);
      await root.getByRole('radio', { name: '느리게' }).check();
      await page.waitForTimeout(300);
      expect(Number(await w.data(page, 'runId'))).toBe(id);

      await page.waitForFunction(() => location.search.includes('avg.zoom=1') && location.search.includes('avg.speed=slow'));
      await w.expectAddressReopens(browser, page, (i) => i.config);
      expectNoProblems(visit.problems);
    } finally {
      await visit.close();
    }
  });

  test('one phase at a time; bad and random addresses', async () => {
    await during(w.open(browser, 'avg.speed=slow&avg.rounds=10&avg.clients=99&avg.lr=x&avg.what=1'), async (page) => {
      const root = page.locator(W);
      const notices = await w.notices(page);
      expect(notices).toContain('클라이언트 수 K: 허용 범위를 넘는 값이라 최댓값으로 맞췄습니다.');
      expect(notices).toContain('학습률 η: 주소에 적힌 값을 쓸 수 없어 기본값으로 되돌렸습니다.');
      expect(notices).toContain('알 수 없는 설정(what)은 무시했습니다.');
      await w.waitData(page, 'round>=1');
      // While a phase plays (1.2 s each here) its frames are drawn on the canvas over the map.
      await expect.poll(() => canvasInk(page)).toBeGreaterThan(1000);
      await root.locator('[data-action="toggle-play"]').click();
      await w.waitData(page, 'status===paused');
      await page.waitForTimeout(300);
      const at = await w.inspect(page);
      await root.getByRole('button', { name: '한 단계' }).click();
      await page.waitForFunction(
        ([tag, r, p]) => {
          const el = document.querySelector(tag) as unknown as { widgetController: { inspect(): { showing: { round: number; phase: string } } } };
          const s = el.widgetController.inspect().showing;
          return s.round !== r || s.phase !== p;
        },
        [W, at.showing!.round, at.showing!.phase] as const,
      );
      const next = (await w.inspect(page)).showing!;
      if (at.showing!.phase === 'local') expect(next).toEqual({ round: at.showing!.round, phase: 'average' });
      else expect(next).toEqual({ round: at.showing!.round + 1, phase: 'local' });
      // In the 'local' phase the table waits for the server: the new global row is "?".
      if (next.phase === 'local') await expect(root.locator('tfoot').textContent()).resolves.toContain('?');
      await root.getByRole('button', { name: '한 라운드' }).click();
      await page.waitForFunction((tag) => (document.querySelector(tag) as HTMLElement).dataset.phase === 'average', W);
      expectFaithful(await w.inspect(page));
      expect((await w.inspect(page)).config.clients).toBe(8);

      const problems = await w.malformedQueryProblems(page, randomQueries('avg', ['data', 'partition', 'alpha', 'clients', 'epochs', 'lr', 'weighted', 'rounds', 'seed', 'zoom', 'speed'], 150, 21));
      expect(problems).toEqual([]);
    });
  });

  test('downloads and keyboard', async () => {
    await during(w.open(browser, SHORT), async (page) => {
      const root = page.locator(W);
      await w.waitRun(page, 0);
      const csv = (await download(page, root.getByRole('button', { name: '가중치 CSV' }))).body.toString('utf8').replace(/^\ufeff/, '').trim().split(/\r\n/);
      expect(csv[0]).toBe('round,model,n,coefficient,local_accuracy,p1,p2,p3');
      // Five rounds × (four clients + the new global model).
      expect(csv).toHaveLength(1 + 5 * 5);
      const json = JSON.parse((await download(page, root.getByRole('button', { name: '설정 JSON' }))).body.toString('utf8'));
      expect(json.config).toEqual((await w.inspect(page)).config);
      expect(json.shownParameters.map((p: { index: number }) => p.index)).toEqual([0, 12, 18]);
      await expectImageDownloads(page, root, '매개변수 공간 지도');
      const stops = await w.focusStops(page, '#avg-weighted');
      for (const s of ['avg-weighted', 'avg-data', 'avg-partition', 'avg-alpha', 'avg-clients', 'avg-seed', 'reseed', 'avg-epochs', 'avg-lr', 'avg-rounds', 'share', 'defaults', 'toggle-play', 'step', 'restart', 'step-phase', 'export-png', 'avg-zoom', 'export-csv']) {
        expect(stops).toContain(s);
      }
    });
  });
});
