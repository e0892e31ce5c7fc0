/**
 * Personalization, mounted when the widget nears the viewport. Two runs of the same federated
 * training on digits, an IID split and a Dirichlet(α) label skew, train side by side in two
 * workers; after the last round each client of each run fine-tunes the global model on its own
 * examples, and the engine reports every client's accuracy on its own test split before and
 * after. The page only draws those numbers (./state.ts folds the events).
 */
import type { WidgetContext } from '~/runtime/widget';
import { create as createBeforeAfter } from '../renderers/before-after';
import { Run } from '../kit/run';
import { SIDES, bySide, type Side } from '../fed-figures';
import { pct } from '../renderers/format';
import type { PersParams } from './params';
import { sideTitle, toRunConfig } from './config';
import { initialState, reduce, summary as sideSummary, type SideState } from './state';

/** The two sides' states. */
type PersState = Record<Side, SideState>;

/** Rounds are cheap here (digits, a small model): a short pause keeps the progress visible. */
const PACE_MS = 60;

const SIDE_NAME: Record<Side, string> = { iid: 'IID', skew: '레이블 불균형' };

export function mount(ctx: WidgetContext<PersParams>) {
  const root = ctx.root;
  const sideEl = (side: Side) => root.querySelector<HTMLElement>(`[data-side="${side}"]`)!;
  const charts = bySide((side) =>
    ctx.own(createBeforeAfter(sideEl(side).querySelector<HTMLElement>(`[data-view="${side}"]`)!, {
      label: `${side === 'iid' ? 'IID' : '레이블 불균형'} 분할: 클라이언트별 자기 테스트 데이터 정확도, 글로벌 모델과 미세 조정한 모델`,
      xLabel: '정확도',
    })),
  );
  /** Rows drawn per side. */
  const drawn = bySide(() => 0);

  const run: Run<PersParams, PersState> = new Run(ctx, {
    sides: SIDES,
    config: (side) => toRunConfig(ctx.values, side as Side),
    // Only what the reducer reads: each client's update and message stay in the worker.
    options: () => ({ events: ['round-metrics', 'client-personalized', 'personalized'] }),
    init: () => bySide(() => initialState()),
    reduce: (s, e, side) => ({ ...s, [side]: reduce(s[side as Side], e) }),
    onEvent: (e, side) => {
      if (e.type === 'client-personalized' || e.type === 'personalized' || e.type === 'run-started' || e.type === 'round-metrics') draw(side as Side);
    },
    onReset: () => {
      for (const side of SIDES) draw(side);
    },
    pace: () => PACE_MS,
    sideName: (side) => SIDE_NAME[side as Side],
    summary,
    exports: {
      tables: {
        'export-csv': {
          file: 'personalization',
          columns: ['split', 'client', 'train_examples', 'test_examples', 'global_accuracy', 'personalized_accuracy'],
          rows: () =>
            SIDES.flatMap((side) =>
              run.state[side].clients.map((c) => ({
                split: side,
                client: c.client + 1,
                train_examples: c.trainN,
                test_examples: c.testN,
                global_accuracy: c.before,
                personalized_accuracy: c.after,
              })),
            ),
        },
      },
      json: {
        file: 'personalization-config',
        value: () => ({
          widget: 'personalization',
          settings: ctx.values,
          configs: bySide((side) => run.config(side) ?? toRunConfig(ctx.values, side)),
          means: bySide((side) => ({ before: run.state[side].meanBefore, after: run.state[side].meanAfter })),
          backend: run.backend,
        }),
      },
      prefix: 'personalization',
      views: charts,
    },
  });

  function draw(side: Side) {
    const s = run.state[side];
    const rows = s.clients
      .filter((c) => c.testN > 0)
      .map((c) => ({ label: `${c.client + 1}${c.topClasses.length ? ` (${c.topClasses.join('·')})` : ''}`, before: c.before, after: c.after }));
    drawn[side] = rows.length;
    charts[side].update({ rows, means: s.meanBefore !== null && s.meanAfter !== null ? { before: s.meanBefore, after: s.meanAfter } : null });
    const el = sideEl(side);
    const title = el.querySelector<HTMLElement>('[data-side-title]')!;
    title.textContent = sideTitle(side, ctx.values.alpha);
    const stat = el.querySelector<HTMLElement>('[data-side-stat]')!;
    const last = s.accuracy[s.accuracy.length - 1];
    if (s.meanBefore !== null && s.meanAfter !== null) stat.textContent = sideSummary(side === 'iid' ? 'IID' : `α = ${ctx.values.alpha}`, s);
    else if (s.phase === 'personalizing') stat.textContent = `연합 학습 끝(글로벌 테스트 정확도 ${pct(last ?? NaN)}). 클라이언트들이 미세 조정하는 중… (${s.clients.length}/${ctx.values.clients})`;
    else if (s.round > 0) stat.textContent = `연합 학습 라운드 ${s.round}/${s.rounds}, 글로벌 테스트 정확도 ${pct(last ?? NaN)}`;
    else stat.textContent = '연합 학습이 끝나면 클라이언트마다 미세 조정 전후의 정확도를 보여 줍니다.';
  }

  function summary(): string {
    const v = ctx.values;
    const head = `digits, 클라이언트 ${v.clients}명, 연합 학습 ${v.rounds}라운드 뒤 ${v.personalize}에폭 미세 조정`;
    if (run.status === 'diverged') return `${head}: 학습이 발산해 멈췄습니다.`;
    const done = SIDES.every((side) => run.state[side].meanAfter !== null);
    if (!done) return `${head}: 학습 중입니다.`;
    return `${head}. ${sideSummary('IID', run.state.iid)} ${sideSummary(`디리클레 α = ${v.alpha}`, run.state.skew)}`;
  }

  run.start(false);

  return run.controller({
    inspect: () => ({
      ...run.inspectBase(),
      runIds: bySide((side) => run.runId(side)),
      configs: bySide((side) => run.config(side)),
      sides: run.state,
      drawn: { ...drawn },
    }),
  });
}
