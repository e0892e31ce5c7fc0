/**
 * The three-way race (chapter 5, figure 2): centralized learning, FedAvg, split learning and
 * SplitFed trained one after another on the same data, seed and model, in a worker. Races are
 * kept short through the URL (`threeway.epochs=4`).
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForSuite, during, expectAxeClean } from './harness';
import type { ThreeWayInspection as Inspection } from '~/widgets/three-way/main';
import { download, downloadText, overflowX, pressMoving as press, widgetTest } from './widget-helpers';

const PATH = 'chapters/comparison/';
const W = 'three-way';
const SHORT = 'threeway.epochs=4';

type Run = Inspection['runs'][number];

const w = widgetTest<Inspection>(PATH, W);
const { open: openWidget, inspect, slider, combo } = w;

/** Waits for a whole race to end. */
async function raceDone(page: Page, timeout = 60_000): Promise<Inspection> {
  await w.waitData(page, 'race===done', timeout);
  return inspect(page);
}
/** Makes `change`, waits for it to start a new race and for that race to end. */
async function rerunAndFinish(page: Page, change: () => Promise<unknown>): Promise<Inspection> {
  await change();
  await w.waitData(page, 'race===running', 5000);
  return raceDone(page);
}

const byMethod = (info: Inspection) => Object.fromEntries(info.runs.map((r) => [r.method, r])) as Record<'centralized' | 'fl' | 'sl' | 'splitfed', Run>;

describe('three-way comparison', () => {
  const browser = browserForSuite();

  test('four methods, one model, one seed: what each sent, how well it learned, what the server saw', async () => {
    await during(openWidget(browser, SHORT), async (page) => {
      const info = await raceDone(page);
      expect(info.backend).toMatchObject({ backend: 'wasm', thread: 'worker' });
      const r = byMethod(info);
      expect(info.runs.map((x) => x.algorithm)).toEqual(['centralized', 'fedavg', 'split', 'splitfed1']);
      for (const run of info.runs) {
        expect(run.state).toBe('done');
        expect(run.rows).toHaveLength(4);
        expect(run.hasView).toBe(true);
        expect(run.parameters).toBe(3466);
        expect(run.wall).toBeGreaterThan(0);
      }
      // Same data and model: the bytes follow from p = 1,437 examples of 64 pixels, N = 3,466,
      // K = 4 clients, q = 32 at the cut and η_c·N = 2,080 on the client.
      expect(r.centralized.bytes).toEqual({ 'raw-data': 1437 * 65 * 4 });
      expect(r.fl.bytes).toEqual({ 'weights-down': 4 * 4 * 3466 * 4, 'weights-up': 4 * 4 * 3466 * 4 });
      expect(r.sl.bytes).toEqual({ smashed: 4 * 1437 * 32 * 4, gradient: 4 * 1437 * 32 * 4, labels: 4 * 1437 * 4, handoff: 4 * 4 * 2080 * 4 });
      expect(r.splitfed.bytes).toEqual({ smashed: 4 * 1437 * 32 * 4, gradient: 4 * 1437 * 32 * 4, labels: 4 * 1437 * 4, 'weights-down': 4 * 4 * 2080 * 4, 'weights-up': 4 * 4 * 2080 * 4 });
      // With every client in every round, SplitFed V1 computes exactly what FedAvg computes; the page says so.
      expect(r.splitfed.rows.map((x) => x.testAccuracy)).toEqual(r.fl.rows.map((x) => x.testAccuracy));
      await expect(page.locator(`${W} [data-acc-note]`).textContent()).resolves.toContain('SplitFed V1의 곡선이 FedAvg의 곡선과 겹쳐');
      // Federated rounds could run their clients at the same time: the estimate is shorter.
      expect(r.fl.parallelSaving).toBeGreaterThan(0);
      expect(r.sl.parallelSaving).toBe(0);
      for (const v of ['accuracy', 'bytes', 'time']) await expect(page.locator(`${W} [data-view="${v}"] svg[role="img"]`).count()).resolves.toBe(1);
      await expect(page.locator(`${W} [data-view="summary"] tbody tr`).count()).resolves.toBe(4);
      await expect(page.locator(`${W} [data-view="seen-centralized"] svg`).getAttribute('data-cells')).resolves.toBe(String(64));
      await expect(page.locator(`${W} [data-view="seen-fl"] svg`).getAttribute('data-cells')).resolves.toBe(String(32 * 64));
      await expect(page.locator(`${W} [data-view="seen-sl"] svg`).getAttribute('data-cells')).resolves.toBe(String(32));
      await expect(page.locator(`${W} [data-live]`).textContent()).resolves.toMatch(/네 방식 모두 학습을 마쳤습니다.*중앙 집중식 \d+\.\d%.*SplitFed \d+\.\d%/);
      await expectAxeClean(page, { include: W });
    }, 300);
  });

  test('every setting reruns all four methods with it', async () => {
    const visit = await openWidget(browser, SHORT, { reducedMotion: 'reduce' });
    const { page } = visit;
    try {
      let before = await raceDone(page);
      const cases: [string, () => Promise<unknown>, (a: Inspection, b: Inspection) => void][] = [
        ['clients', () => press(slider(page, '클라이언트 수 K'), 'ArrowRight'), (a) => {
          for (const run of a.runs) expect(run.config!.clients).toBe(6);
          expect(byMethod(a).fl.bytes['weights-up']).toBe(4 * 6 * 3466 * 4);
        }],
        ['partition', () => combo(page, '데이터 분할').selectOption('shards'), (a, b) => {
          for (const run of a.runs) expect(run.config!.partition.kind).toBe('shards');
          expect(byMethod(a).fl.finalAccuracy).not.toBe(byMethod(b).fl.finalAccuracy);
        }],
        ['local epochs', () => press(slider(page, '로컬 에폭 E (FedAvg, SplitFed)'), 'ArrowRight'), (a) => {
          const r = byMethod(a);
          expect(r.fl.config!.localEpochs).toBe(2);
          expect(r.fl.rows).toHaveLength(2);
          expect(r.sl.rows).toHaveLength(4);
        }],
        ['epochs', () => press(slider(page, '학습 데이터를 훑는 횟수'), 'ArrowLeft'), (a) => {
          expect(byMethod(a).centralized.rows).toHaveLength(3);
          expect(byMethod(a).fl.rows).toHaveLength(2);
        }],
        ['cut', () => press(slider(page, '분할 지점 (분할 학습, SplitFed)'), 'ArrowRight'), (a) => {
          expect(byMethod(a).sl.config!.cut).toBe(2);
          expect(byMethod(a).sl.clientParameters).toBe(2080 + 1056);
        }],
        ['SplitFed variant', () => combo(page, 'SplitFed 변형').selectOption('splitfed2'), (a) => {
          expect(byMethod(a).splitfed.algorithm).toBe('splitfed2');
          expect(byMethod(a).splitfed.parallelSaving).toBe(0);
        }],
        ['learning rate', () => press(slider(page, '학습률'), 'ArrowLeft'), (a) => {
          for (const run of a.runs) expect(run.config!.lr).toBe(0.03);
        }],
        ['seed', async () => {
          const seed = page.locator(W).getByRole('spinbutton', { name: '시드' });
          await seed.fill('9');
          await seed.press('Enter');
        }, (a) => {
          for (const run of a.runs) expect(run.config!.seed).toBe(9);
        }],
      ];
      for (const [name, change, check] of cases) {
        const after = await rerunAndFinish(page, change);
        try {
          check(after, before);
        } catch (err) {
          throw new Error(`${name}: ${(err as Error).message}`);
        }
        before = after;
      }
      // The address is written 200 ms after the last change (later on a busy page).
      const params = () => Object.fromEntries([...new URL(page.url()).searchParams].filter(([k]) => k.startsWith('threeway.')));
      await expect.poll(params, { timeout: 5000 }).toMatchObject({ 'threeway.clients': '6', 'threeway.partition': 'shards', 'threeway.local': '2', 'threeway.epochs': '3', 'threeway.cut': '2', 'threeway.sfl': 'splitfed2', 'threeway.lr': '0.03', 'threeway.seed': '9' });
    } finally {
      await visit.close();
    }
  });

  test('bad values become Korean notices; pause holds the race; exports; 360 px in the dark theme', async () => {
    await during(openWidget(browser, 'threeway.epochs=12&threeway.clients=7&threeway.partition=zzz&threeway.local=0', { viewport: 'mobile', reducedMotion: 'reduce', colorScheme: 'dark' }), async (page) => {
      const notices = await page.locator(`${W} [data-notices]`).innerText();
      expect(notices).toContain('클라이언트 수 K: 고를 수 있는 값이 아니어서 가장 가까운 값으로 맞췄습니다.');
      expect(notices).toContain('데이터 분할: 주소에 적힌 값을 쓸 수 없어 기본값으로 되돌렸습니다.');
      expect(notices).toContain('로컬 에폭 E (FedAvg, SplitFed): 허용 범위보다 작은 값이라 최솟값으로 맞췄습니다.');
      await page.waitForFunction(() => (document.querySelector('three-way') as HTMLElement | null)?.dataset.status === 'running');
      await page.locator(W).getByRole('button', { name: '일시정지' }).click();
      // The status turns at the click; data-held comes from the trainer once it holds, after every
      // round it had already sent (on a busy machine two were still on their way at the click).
      await page.waitForFunction(() => (document.querySelector('three-way') as HTMLElement | null)?.dataset.held === 'true');
      expect(await page.locator(W).getAttribute('data-status')).toBe('paused');
      const held = await inspect(page);
      await page.waitForTimeout(600);
      const still = await inspect(page);
      expect(still.current).toBe(held.current);
      expect(still.runs[held.current].rows.length).toBe(held.runs[held.current].rows.length);
      await page.locator(W).getByRole('button', { name: '재생' }).click();
      const info = await raceDone(page);
      expect(info.runs.map((r) => r.config!.clients)).toEqual([8, 8, 8, 8]);
      expect(await overflowX(page)).toBeLessThanOrEqual(1);
      const lines = (await downloadText(page, page.locator(W).getByRole('button', { name: '지표 CSV' }))).trim().split(/\r\n/);
      expect(lines[0]).toBe('method,round,epochs_seen,test_accuracy,test_loss,train_loss,bytes_cumulative');
      expect(lines).toHaveLength(1 + 12 + 12 + 12 + 12);
      const json = JSON.parse((await download(page, page.locator(W).getByRole('button', { name: '설정과 요약 JSON' }))).body.toString('utf8'));
      expect(json.runs.map((r: { method: string }) => r.method)).toEqual(['centralized', 'fl', 'sl', 'splitfed']);
      const svg = await download(page, page.getByRole('button', { name: '통신량 막대그래프 SVG 파일 내려받기' }));
      expect(svg.body.toString('utf8')).toMatch(/^<\?xml[\s\S]*<svg/);
      await expectAxeClean(page, { include: W });
    }, 300);
  });
});
