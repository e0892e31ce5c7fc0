/**
 * The federated playground (chapter 3, figure 1): real FedAvg/FedSGD/FedProx runs in a worker,
 * replayed phase by phase, at desktop width and then at 360 px. Runs are kept short through the
 * address (`fed.rounds=5&fed.speed=fast`); the engine is seeded, so a change in the picture after
 * a control changed is the control's doing.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForSuite, during, expectAxeClean, expectNoProblems } from './harness';
import { combo, countLayerPaths, download, drawn, expectFitsPhone, expectImageDownloads, expectSameAsFreshDraw, overflowX, press, randomQueries, slider, widgetTest } from './widget-helpers';
import { PLOT_STYLE_HASH } from '~/runtime/csp-hashes.mjs';

const CHAPTER = 'chapters/federated/';
const W = 'fed-playground';
const w = widgetTest<Inspection>(CHAPTER, W);
const SHORT = 'fed.speed=fast&fed.rounds=5';

interface Inspection {
  runId: number;
  status: string;
  config: {
    algorithm: string;
    clients: number;
    fraction: number;
    localEpochs: number;
    batchSize: number | string;
    lr: number;
    rounds: number;
    weighting: string;
    mu: number;
    seed: number;
    serverLr: number;
    serverMomentum: number;
    dropout: number;
    stragglers: number;
    dataset: { name: string };
    partition: { kind: string; alpha: number; shardsPerClient: number };
  };
  shown: { round: number; selected: number[]; testAccuracy: number; coefficients: number[]; dropped: number[]; stragglers: number[]; bytesUp: number; bytesDown: number }[];
  droppedDrawn: number;
  parameters: number;
  phase: string;
  backend: { backend: string; thread: string } | null;
  histograms: number[][];
}

/** What is drawn, view by view. */
async function picture(page: Page) {
  return {
    diagram: await drawn(page, `${W} [data-view="diagram"]`),
    clientCount: await page.locator(`${W} .fed-diagram__client`).count(),
    bars: await drawn(page, `${W} .fw-client__bars`),
    global: await drawn(page, `${W} [data-view="global"]`),
    accuracy: await drawn(page, `${W} [data-view="accuracy"]`),
    loss: await drawn(page, `${W} [data-view="loss"]`),
    bytes: await drawn(page, `${W} [data-view="bytes"]`),
    progressMax: await page.locator(`${W} progress`).evaluate((p) => (p as HTMLProgressElement).max),
  };
}

describe('federated playground', () => {
  const browser = browserForSuite({ viewport: 'desktop' });

  test('waits off screen, then trains in a worker on wasm; accessible, no overflow', async () => {
    // Far below the fold at load: nothing mounted until it is on screen.
    const { visit, info } = await w.firstRun(browser, SHORT);
    const { page } = visit;
    try {
      expect(info.shown.map((r) => r.round)).toEqual([1, 2, 3, 4, 5]);
      // K = 8 clients, C = 0.5: four take part in every round, and the coefficients sum to 1.
      for (const r of info.shown) {
        expect(r.selected).toHaveLength(4);
        expect(r.coefficients.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      }
      await expect(page.locator(`${W} .fw-client`).count()).resolves.toBe(8);
      await expect(page.locator(`${W} [data-live]`).textContent()).resolves.toMatch(/라운드 5\/5.*글로벌 모델 테스트 정확도 \d/);
      // Plot's <style> is kept once in <head>, not in each chart, and it is exactly the one the CSP allows.
      await expect(page.locator(`${W} svg style`).count()).resolves.toBe(0);
      const styles = await page.evaluate(async () => {
        const out: string[] = [];
        for (const s of document.querySelectorAll('head style[data-svg-style]')) {
          const buf = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s.textContent ?? ''));
          out.push('sha256-' + btoa(String.fromCharCode(...new Uint8Array(buf))));
        }
        return out;
      });
      expect(styles).toEqual([PLOT_STYLE_HASH]);
      expect(await overflowX(page)).toBeLessThanOrEqual(1);
      // Once mounted, the figure may be skipped while off screen, its drawn height kept; the
      // switch waits until it has left the screen (made on screen, it cost the mount's frame).
      const skipping = () => page.locator('figure#fed-playground').evaluate((f) => [f.classList.contains('is-mounted'), getComputedStyle(f).contentVisibility]);
      expect(await skipping()).toEqual([false, 'visible']);
      const height = await page.locator('figure#fed-playground').evaluate((f) => f.getBoundingClientRect().height);
      await page.evaluate(() => scrollTo(0, 0));
      await expect.poll(skipping).toEqual([true, 'auto']);
      const placeholder = await page.locator('figure#fed-playground').evaluate((f) => parseFloat(f.style.getPropertyValue('contain-intrinsic-block-size').replace('auto', '')));
      expect(Math.abs(placeholder - height)).toBeLessThan(2);
      await page.locator(W).scrollIntoViewIfNeeded();
      await expectAxeClean(page, { include: W });
      await expectFitsPhone(page, W);
      await visit.settle(500);
      expectNoProblems(visit.problems);
    } finally {
      await visit.close();
    }
  });

  // Behaviour does not depend on the width: the trained run is seen at 360 px above, and the phone
  // layout itself is checked for every widget in mobile-layout.test.ts.
  test('every control changes the run and what is drawn; the address keeps the settings', async () => {
    await during(w.open(browser, SHORT, { reducedMotion: 'reduce' }), async (page) => {
      const root = page.locator(W);
      let id = await w.waitRun(page, 0);
      let before = await picture(page);
      type Key = keyof typeof before;
      const cases: [string, () => Promise<unknown>, (c: Inspection['config']) => void, Key[]][] = [
        ['dataset', () => combo(root, '데이터셋').selectOption('circles'), (c) => expect(c.dataset.name).toBe('circles'), ['global']],
        ['clients', () => press(slider(root, '클라이언트 수 K'), 'ArrowRight'), (c) => expect(c.clients).toBe(9), ['clientCount', 'bars']],
        ['fraction', () => press(slider(root, '참여 비율 C'), 'ArrowRight'), (c) => expect(c.fraction).toBe(0.75), ['bytes']],
        ['local epochs', () => press(slider(root, '로컬 에폭 E'), 'ArrowRight'), (c) => expect(c.localEpochs).toBe(3), ['loss']],
        ['batch', () => combo(root, '로컬 배치 크기 B').selectOption('all'), (c) => expect(c.batchSize).toBe('all'), ['loss']],
        ['learning rate', () => press(slider(root, '학습률 η'), 'ArrowRight'), (c) => expect(c.lr).toBe(1), ['loss']],
        ['seed', async () => {
          await root.getByRole('spinbutton', { name: '시드' }).fill('7');
          await root.getByRole('spinbutton', { name: '시드' }).press('Enter');
        }, (c) => expect(c.seed).toBe(7), ['global', 'bars']],
        ['partition: Dirichlet', () => combo(root, '데이터 분할').selectOption('dirichlet'), (c) => expect(c.partition.kind).toBe('dirichlet'), ['bars']],
        ['alpha', () => press(slider(root, '디리클레 α'), 'ArrowLeft', 2), (c) => expect(c.partition.alpha).toBe(0.1), ['bars']],
        ['partition: shards', () => combo(root, '데이터 분할').selectOption('shards'), (c) => expect(c.partition.kind).toBe('shards'), ['bars']],
        ['shards per client', () => press(slider(root, '클라이언트당 샤드 수'), 'ArrowRight'), (c) => expect(c.partition.shardsPerClient).toBe(3), ['bars']],
        ['partition: quantity', () => combo(root, '데이터 분할').selectOption('quantity'), (c) => expect(c.partition.kind).toBe('quantity'), ['bars', 'diagram']],
        ['weighting', () => combo(root, '집계 가중치').selectOption('uniform'), (c) => expect(c.weighting).toBe('uniform'), ['accuracy']],
        ['algorithm: FedProx', () => combo(root, '알고리즘').selectOption('fedprox'), (c) => expect(c.algorithm).toBe('fedprox'), ['loss']],
        ['mu', () => press(slider(root, '근접항 계수 μ'), 'ArrowRight'), (c) => expect(c.mu).toBe(1), ['loss']],
        ['algorithm: FedSGD', () => combo(root, '알고리즘').selectOption('fedsgd'), (c) => expect(c.algorithm).toBe('fedsgd'), ['loss']],
        ['rounds', () => press(slider(root, '라운드 수'), 'ArrowRight'), (c) => expect(c.rounds).toBe(10), ['progressMax']],
      ];
      for (const [name, change, check, keys] of cases) {
        await change();
        id = await w.waitRun(page, id);
        const info = await w.inspect(page);
        check(info.config);
        const after = await picture(page);
        for (const k of keys) expect(after[k], `${name} → ${k}`).not.toEqual(before[k]);
        before = after;
      }
      // Controls that do nothing for the current settings are hidden (FedSGD has no E or B).
      expect(await slider(root, '로컬 에폭 E').isVisible()).toBe(false);
      expect(await combo(root, '로컬 배치 크기 B').isVisible()).toBe(false);
      expect(await slider(root, '근접항 계수 μ').isVisible()).toBe(false);
      // Uniform weighting: every coefficient 1/m.
      const last = (await w.inspect(page)).shown.at(-1)!;
      for (const c of last.coefficients) expect(c).toBeCloseTo(1 / last.selected.length, 6);

      // Speed only changes how the run is shown: no new run.
      await root.getByRole('radio', { name: '느리게' }).check();
      await page.waitForTimeout(300);
      expect(Number(await w.data(page, 'runId'))).toBe(id);

      // The address now holds every setting; opening it reproduces them.
      await page.waitForFunction(() => location.search.includes('fed.speed=slow'));
      await w.expectAddressReopens(browser, page, (i) => i.config);
    });
  });

  test('play, pause, one phase, one round, restart; pauses off screen', async () => {
    const visit = await w.open(browser, 'fed.speed=normal&fed.rounds=30');
    const { page } = visit;
    const root = page.locator(W);
    const state = async () => ({ round: Number(await w.data(page, 'round')), phase: await w.data(page, 'phase') });
    const order = ['broadcast', 'train', 'upload', 'aggregate'];
    try {
      await w.waitData(page, 'round>=1');
      // A phase in motion: copies move on the layer above the diagram by transform animations only
      // (which the compositor runs), while the SVG's own parts wait, hidden, where they end.
      await page.waitForFunction((tag) => {
        const copies = [...document.querySelectorAll(`${tag} .fed-diagram__moving > *`)];
        const running = copies.flatMap((c) => c.getAnimations()).filter((a) => a.playState === 'running');
        const timing = new Set(['offset', 'easing', 'composite', 'computedOffset']);
        const keysOf = (a: Animation) => (a.effect as KeyframeEffect).getKeyframes().flatMap((k) => Object.keys(k));
        const onlyTransform = running.every((a) => keysOf(a).every((key) => key === 'transform' || timing.has(key)));
        return running.length > 0 && onlyTransform && document.querySelectorAll(`${tag} svg.fed-diagram .is-moving`).length > 0;
      }, W);
      const play = page.locator(`${W} [data-action="toggle-play"] [data-label]`);
      await expect(play.textContent()).resolves.toContain('일시정지');
      await play.click();
      await w.waitData(page, 'status===paused');
      const held = await state();
      await page.waitForTimeout(600);
      expect(await state()).toEqual(held);
      await expect(play.textContent()).resolves.toContain('재생');

      // One phase: the next one in the round's order (or the next round's first).
      await root.getByRole('button', { name: '한 단계' }).click();
      await page.waitForFunction(({ tag, phase, round }) => {
        const d = (document.querySelector(tag) as HTMLElement).dataset;
        return d.phase !== phase || Number(d.round) !== round;
      }, { tag: W, ...held });
      const stepped = await state();
      expect(stepped.phase).toBe(order[(order.indexOf(held.phase) + 1) % 4]);
      await expect(page.locator(`${W} [data-phase-step][aria-current="step"]`).textContent()).resolves.toContain(
        ['모델 보내기', '로컬 학습', '돌려보내기', '가중 평균'][order.indexOf(stepped.phase)],
      );
      // One round: to the end of this round (aggregate), or the whole next one.
      await root.getByRole('button', { name: '한 라운드' }).click();
      await w.waitData(page, 'phase===aggregate');
      const r1 = await state();
      // data-round counts averaged rounds: either way, one more is now complete.
      expect(r1.round).toBe(stepped.round + 1);
      const accuracy = `${W} [data-view="accuracy"]`;
      const layer = await countLayerPaths(page, accuracy);
      await root.getByRole('button', { name: '한 라운드' }).click();
      await w.waitData(page, `round>=${r1.round + 1}`);
      expect(await state()).toEqual({ round: r1.round + 1, phase: 'aggregate' });
      expect(await w.data(page, 'status')).toBe('paused');
      // The round's band and lines change in place (0-100 %, 30 rounds: the axes stay), and the
      // chart is the one a draw of all of it at once makes.
      await expect.poll(() => layer.added()).toBeGreaterThan(0);
      await expectSameAsFreshDraw(page, page.locator(`${accuracy} svg`));

      await play.click();
      await w.waitData(page, `round>=${r1.round + 2}`);
      // Scrolled away: the picture (and the worker, which is asked round by round) holds.
      await page.evaluate(() => window.scrollTo(0, 0));
      await w.waitData(page, 'status===paused');
      const away = await state();
      await page.waitForTimeout(600);
      expect((await state()).round).toBeLessThanOrEqual(away.round + 1);
      await page.locator(W).scrollIntoViewIfNeeded();
      await w.waitData(page, 'status===running');

      const id = Number(await w.data(page, 'runId'));
      await root.getByRole('button', { name: '처음부터' }).click();
      await w.waitData(page, `runId>=${id + 1}`);
      expectNoProblems(visit.problems);
    } finally {
      await visit.close();
    }
  });

  test('bad and random addresses: Korean notices, valid settings, no errors', async () => {
    await during(w.open(browser, 'fed.clients=999&fed.lr=abc&fed.fraction=0.33&fed.nope=1&fed.rounds=5&fed.speed=fast'), async (page) => {
      await w.waitRun(page, 0);
      const notices = await w.notices(page);
      expect(notices).toContain('클라이언트 수 K: 허용 범위를 넘는 값이라 최댓값으로 맞췄습니다.');
      expect(notices).toContain('학습률 η: 주소에 적힌 값을 쓸 수 없어 기본값으로 되돌렸습니다.');
      expect(notices).toContain('참여 비율 C: 고를 수 있는 값이 아니어서 가장 가까운 값으로 맞췄습니다.');
      expect(notices).toContain('알 수 없는 설정(nope)은 무시했습니다.');
      const c = (await w.inspect(page)).config;
      expect(c).toMatchObject({ clients: 16, lr: 0.3, fraction: 0.3 });
      const problems = await w.malformedQueryProblems(page, randomQueries('fed', ['data', 'clients', 'fraction', 'partition', 'alpha', 'shards', 'algo', 'mu', 'epochs', 'batch', 'lr', 'weighting', 'rounds', 'seed', 'speed'], 150, 11));
      expect(problems).toEqual([]);
    });
  });

  test('SCAFFOLD with dropouts and stragglers: the dropped clients get the model and send nothing; every new algorithm and setting', async () => {
    await during(w.open(browser, `${SHORT}&fed.algo=scaffold&fed.dropout=0.5&fed.stragglers=1`, { reducedMotion: 'reduce' }), async (page) => {
      const root = page.locator(W);
      let id = await w.waitRun(page, 0);
      const info = await w.inspect(page);
      expect(info.config).toMatchObject({ algorithm: 'scaffold', dropout: 0.5, stragglers: 1, serverLr: 1 });
      const model = info.parameters * 4;
      for (const r of info.shown) {
        // SCAFFOLD: model and control variate both ways; a dropped client's pair went down only.
        expect(r.bytesDown).toBe(2 * r.selected.length * model);
        expect(r.bytesUp).toBe(2 * (r.selected.length - r.dropped.length) * model);
        expect(r.coefficients).toHaveLength(r.selected.length - r.dropped.length);
      }
      expect(info.shown.some((r) => r.dropped.length > 0)).toBe(true);
      expect(info.shown.some((r) => r.stragglers.length > 0)).toBe(true);
      // The last round is drawn at its end: its dropped clients are marked in the diagram.
      expect(info.droppedDrawn).toBe(info.shown.at(-1)!.dropped.length);
      await expect(root.locator('[data-bytes-note]').textContent()).resolves.toMatch(/제어 변량.*FedAvg의 두 배/);

      const cases: [() => Promise<unknown>, (c: Inspection['config']) => void][] = [
        [() => press(slider(root, '서버 학습률 η_g'), 'ArrowLeft'), (c) => expect(c.serverLr).toBe(0.5)],
        [() => combo(root, '알고리즘').selectOption('fedavgm'), (c) => expect([c.algorithm, c.serverLr, c.serverMomentum]).toEqual(['fedavgm', 0.5, 0.9])],
        [() => press(slider(root, '서버 모멘텀 β'), 'ArrowLeft'), (c) => expect(c.serverMomentum).toBe(0.7)],
        [() => combo(root, '알고리즘').selectOption('fedadam'), (c) => expect([c.algorithm, c.serverLr]).toEqual(['fedadam', 0.03])],
        [() => press(slider(root, '서버 학습률 η (적응형)'), 'ArrowRight'), (c) => expect(c.serverLr).toBe(0.1)],
        [() => combo(root, '알고리즘').selectOption('fedyogi'), (c) => expect(c.algorithm).toBe('fedyogi')],
        [() => combo(root, '알고리즘').selectOption('fedadagrad'), (c) => expect(c.algorithm).toBe('fedadagrad')],
        [() => press(slider(root, '이탈 확률'), 'Home'), (c) => expect(c.dropout).toBe(0)],
        [() => press(slider(root, '느린 클라이언트 비율'), 'Home'), (c) => expect(c.stragglers).toBe(0)],
      ];
      for (const [change, check] of cases) {
        await change();
        id = await w.waitRun(page, id);
        check((await w.inspect(page)).config);
      }
      const last = await w.inspect(page);
      for (const r of last.shown) expect([r.dropped, r.stragglers, r.bytesUp]).toEqual([[], [], r.selected.length * model]);
      expect(last.droppedDrawn).toBe(0);
    });
  });

  test('digits: clients name their digits; a far too large learning rate stops with a message', async () => {
    const visit = await w.open(browser, 'fed.data=digits&fed.partition=shards&fed.rounds=3&fed.speed=fast');
    const { page } = visit;
  const root = page.locator(W);
    try {
      let id = await w.waitRun(page, 0);
      await expect(page.locator(`${W} .fw-client`).first().textContent()).resolves.toMatch(/숫자 \d/);
      await expect(page.locator(`${W} [data-global-accuracy]`).textContent()).resolves.toMatch(/^\d+\.\d%$/);
      // Two digits per client under the shard split (the paper's pathological case).
      const h = (await w.inspect(page)).histograms;
      for (const client of h) expect(client.filter((n) => n > 0).length).toBeLessThanOrEqual(4);

      await combo(root, '데이터셋').selectOption('moons');
      await press(slider(root, '학습률 η'), 'End');
      id = await w.waitRun(page, id, 'diverged');
      const alert = page.locator(`${W} [role="alert"]`);
      await expect(alert.textContent()).resolves.toMatch(/발산|NaN/);
      await press(slider(root, '학습률 η'), 'ArrowLeft', 4);
      await w.waitRun(page, id, 'finished');
      expect(await alert.isVisible()).toBe(false);
      expectNoProblems(visit.problems);
    } finally {
      await visit.close();
    }
  });

  test('downloads and keyboard', async () => {
    const visit = await w.open(browser, SHORT);
      const { page } = visit;
    const root = page.locator(W);
    try {
      await w.waitRun(page, 0);
      const csv = await download(page, root.getByRole('button', { name: '지표 CSV' }));
      expect(csv.name).toMatch(/^fed-metrics-.*\.csv$/);
      const lines = csv.body.toString('utf8').replace(/^\ufeff/, '').trim().split(/\r\n/);
      expect(lines[0]).toBe('round,selected_clients,coefficients,test_accuracy,test_loss,local_train_loss,local_accuracy_min,local_accuracy_max,bytes_up,bytes_down,dropped_clients');
      expect(lines).toHaveLength(6);
      const json = JSON.parse((await download(page, root.getByRole('button', { name: '설정 JSON' }))).body.toString('utf8'));
      expect(json.config).toEqual((await w.inspect(page)).config);
      for (const what of ['라운드 도식', '글로벌 모델 그림', '정확도 그래프', '손실 그래프', '통신량 그래프']) await expectImageDownloads(page, root, what);

      const stops = await w.focusStops(page, '#fed-data');
      for (const s of ['fed-data', 'fed-clients', 'fed-partition', 'fed-seed', 'reseed', 'fed-algo', 'fed-fraction', 'fed-epochs', 'fed-batch', 'fed-lr', 'fed-weighting', 'fed-rounds', 'share', 'defaults', 'toggle-play', 'step', 'restart', 'step-phase', 'export-png', 'export-csv']) {
        expect(stops).toContain(s);
      }
      expectNoProblems(visit.problems);
    } finally {
      await visit.close();
    }
  });
});
