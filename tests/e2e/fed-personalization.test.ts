/**
 * Personalization (chapter 3, figure 5), in one page load, trained at desktop width and seen at 360 px:
 * two runs (IID and Dirichlet α) in two workers; after the last round every client's accuracy on
 * its own test split is drawn before and after fine-tuning; every control changes the runs.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForSuite, during, expectAxeClean } from './harness';
import { expectFitsPhone, overflowX, press, slider, widgetTest } from './widget-helpers';

const CHAPTER = 'chapters/federated/';
const W = 'personalization-lab';
const w = widgetTest<Inspection>(CHAPTER, W);
const SHORT = 'pers.rounds=3&pers.clients=4';

type Config = { algorithm: string; clients: number; localEpochs: number; lr: number; rounds: number; personalizeEpochs: number; seed: number; partition: { kind: string; alpha: number } };
type Side = { phase: string; rounds: number; clients: { client: number; testN: number; before: number; after: number }[]; meanBefore: number | null; meanAfter: number | null };
interface Inspection {
  status: string;
  configs: { iid: Config; skew: Config };
  sides: { iid: Side; skew: Side };
  drawn: { iid: number; skew: number };
  backend: { backend: string; thread: string } | null;
}

/**
 * Both runs restarted (they start together: the skewed one's id is enough), their rounds done, and
 * both sides' personalization results in (they come after the last round).
 */
async function waitBoth(page: Page, after: number): Promise<number> {
  const id = await w.waitRun(page, after, 'finished', 90_000, 'runSkew');
  await page.waitForFunction(
    (tag) => {
      const el = document.querySelector(tag) as unknown as { widgetController: { inspect(): { sides: Record<string, { phase: string }> } } | null };
      const sides = el.widgetController?.inspect().sides;
      return !!sides && sides.iid.phase === 'done' && sides.skew.phase === 'done';
    },
    W,
    { timeout: 60_000 },
  );
  return id;
}

describe('personalization', () => {
  const browser = browserForSuite({ viewport: 'desktop' });

  test('before and after per client, IID against skewed; every control changes the runs; accessible', async () => {
    await during(w.open(browser, SHORT), async (page) => {
      const root = page.locator(W);
      let id = await waitBoth(page, 0);
      const info = await w.inspect(page);
      expect(info.backend).toMatchObject({ backend: 'wasm', thread: 'worker' });
      const { partition: p1, ...iid } = info.configs.iid;
      const { partition: p2, ...skew } = info.configs.skew;
      expect(iid).toEqual(skew);
      expect([p1.kind, p2.kind, p2.alpha]).toEqual(['iid', 'dirichlet', 0.1]);
      expect(iid).toMatchObject({ algorithm: 'fedavg', clients: 4, rounds: 3, personalizeEpochs: 2 });
      for (const side of ['iid', 'skew'] as const) {
        const s = info.sides[side];
        expect(s.phase).toBe('done');
        expect(s.clients.map((c) => c.client)).toEqual([0, 1, 2, 3]);
        expect(info.drawn[side]).toBe(s.clients.filter((c) => c.testN > 0).length);
      }
      // Skewed clients gain from fine-tuning on their own data.
      expect(info.sides.skew.meanAfter!).toBeGreaterThan(info.sides.skew.meanBefore! + 0.1);
      await expect(page.locator(`${W} [data-live]`).textContent()).resolves.toMatch(/IID: 클라이언트 \d명.*디리클레 α = 0\.1: 클라이언트/);
      expect(await overflowX(page)).toBeLessThanOrEqual(1);
      await expectAxeClean(page, { include: '#personalization' });
      await expectFitsPhone(page, W);

      // Every control starts new runs with the new setting.
      const cases: [string, string, (c: Config) => void][] = [
        ['개인화(미세 조정) 에폭', 'ArrowLeft', (c) => expect(c.personalizeEpochs).toBe(1)],
        ['오른쪽 분할의 디리클레 α', 'ArrowRight', (c) => expect(c.partition.alpha).toBe(0.2)],
        ['클라이언트 수 K', 'ArrowLeft', (c) => expect(c.clients).toBe(3)],
        ['연합 학습 라운드 수', 'ArrowLeft', (c) => expect(c.rounds).toBe(2)],
        ['로컬 에폭 E', 'ArrowRight', (c) => expect(c.localEpochs).toBe(2)],
        ['학습률 η', 'ArrowLeft', (c) => expect(c.lr).toBe(0.03)],
      ];
      for (const [name, key, check] of cases) {
        await press(slider(root, name), key);
        id = await waitBoth(page, id);
        check((await w.inspect(page)).configs.skew);
      }
      expect(await w.data(page, 'status')).toBe('finished');
    });
  });
});
