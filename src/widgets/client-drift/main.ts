/**
 * Client drift, mounted when the widget nears the viewport. Two runs of the same federated
 * experiment train side by side in two workers — an IID split and a Dirichlet(α) label skew —
 * held in lock-step: round t is drawn when both have computed it. Each round shows every
 * client's local boundary (a line) over the global model's (the heatmap).
 *
 * Learning happens only in the engine. The page compares the models' predicted classes on the
 * boundary grid the engine sends (./state.ts): a reading of the pictures, not a training metric.
 */
import type { WidgetContext } from '~/runtime/widget';
import { create as createOverlay } from '../renderers/boundary-overlay';
import { ACCURACY_AXIS, create as createLineChart } from '../renderers/line-chart';
import { clientColor } from '../renderers/weight-map';
import { create as createClientCards, type ClientCards } from '../renderers/client-cards';
import { Run } from '../kit/run';
import { runJson } from '../kit/export';
import { runSentence } from '../kit/status';
import { choiceLabel } from '../controls/params';
import { pct } from '../renderers/format';
import { dequeueDraw, enqueueDraw } from '../renderers/plot-image';
import { ROUND_MS, params, type DriftParams } from './params';
import { BOUNDARY_GRID, sideName, sideTitle, toRunConfig } from './config';
import { SIDES, bySide, type Side } from '../fed-figures';
import { validateConfig } from '~/engine/config';
import { byClient, onlyClass } from '~/engine/rounds';
import { roundFigures, initDrift, reduceDrift, type DriftState, type PairRound } from './state';
import { setText } from '../renderers/outputs';

/** Dash patterns that, with the colours, tell the clients' lines apart. */
const DASHES = ['', '7 3', '2 3', '9 3 2 3', '4 4', '1 2', '12 4', '6 2 1 2'];

/** How client k's boundary line is drawn, in the picture and on its card. */
const lineOf = (k: number) => ({ color: clientColor(k), dash: DASHES[k % DASHES.length] });

export function mount(ctx: WidgetContext<DriftParams>) {
  const { root, q, own } = ctx;
  const series = [
    { key: 'iid', label: 'IID', color: '#0072b2' },
    { key: 'skew', label: '레이블 불균형', color: '#d55e00', dashed: true },
  ];
  const disagreementChart = own(createLineChart(q('[data-view="disagreement"]')!, {
    label: '라운드별로 로컬 결정 경계가 글로벌 결정 경계와 다른 영역의 평균 비율',
    xLabel: '라운드',
    yLabel: '다른 영역',
    yPercent: true,
    series,
  }));
  const accuracyChart = own(createLineChart(q('[data-view="accuracy"]')!, {
    label: '라운드별 글로벌 모델의 테스트 정확도',
    xLabel: '라운드',
    ...ACCURACY_AXIS,
    series,
  }));

  /**
   * Per side: the picture, the line of figures under it, its title, and one card per client (its
   * line, its data and how far its boundary is from the global one).
   */
  const views = bySide((side) => {
    const el = (sel: string) => q(`[data-side="${side}"] ${sel}`)!;
    const box = el(`[data-view="${side}"]`);
    return {
      box,
      view: own(createOverlay(box, { label: `${side === 'iid' ? 'IID' : '레이블 불균형'} 분할: 글로벌 모델의 결정 경계와 클라이언트들의 로컬 결정 경계` })),
      stat: el('[data-side-stat]'),
      clients: el('[data-client-cards]'),
      cards: null as ClientCards | null,
      title: el('[data-side-title]'),
    };
  });

  const run: Run<DriftParams, DriftState, PairRound> = new Run(ctx, {
    sides: SIDES,
    config: (side) => toRunConfig(ctx.values, side as Side),
    options: () => ({ boundaryGrid: BOUNDARY_GRID, clientBoundaries: true }),
    init: initDrift,
    reduce: (s, e, side) => reduceDrift(s, e, side as Side),
    onEvent: (e, side) => {
      if (e.type !== 'run-started') return;
      const st = views[side as Side];
      // A side of the previous run's last round may still wait for its turn to be drawn.
      dequeueDraw(st.box);
      const { points, extent } = e.data;
      if (points && extent) st.view.update({ extent, train: points, boundary: null, overlays: [] });
      st.cards?.destroy();
      st.cards = createClientCards(st.clients, { data: e.data, model: 'none', stroke: lineOf, initial: '학습 전' });
      drawTitle(side as Side);
    },
    onStart: () => {
      const c = run.state.iid.config;
      if (c) run.ui.parameters(`두 실험 모두 클라이언트 ${c.clients}명 전원이 매 라운드 참여, 로컬 배치 10, 모델 매개변수 ${run.state.iid.parameters}개`);
    },
    player: { phases: 1, phaseMs: () => ROUND_MS[ctx.values.speed], rounds: (s) => s.pairs, round: (p) => p.round, show },
    sideName: (side) => sideName(ctx.values, side as Side),
    validate: () => {
      if (ctx.values.compare === 'fedprox' && ctx.values.mu === 0) return 'FedProx와 비교하려면 근접항 μ를 0보다 크게 하세요. μ = 0인 FedProx는 FedAvg와 같습니다.';
      return SIDES.flatMap((side) => validateConfig(toRunConfig(ctx.values, side)).map((p) => p.ko)).join(' ') || null;
    },
    summary,
    exports: {
      tables: {
        'export-csv': {
          file: 'drift-metrics',
          columns: ['round', 'split', 'client', 'n', 'local_accuracy', 'disagreement', 'global_test_accuracy'],
          rows: () =>
            run.history.flatMap((p) =>
              SIDES.flatMap((side) =>
                byClient(p[side]).map(([k, c]) => ({
                  round: p.round,
                  split: side,
                  client: k + 1,
                  n: c.n,
                  local_accuracy: c.accuracy,
                  disagreement: p[side].disagreement.get(k),
                  global_test_accuracy: p[side].metrics?.testAccuracy,
                })),
              ),
            ),
        },
      },
      json: runJson('drift-config', 'client-drift', () => ctx.values, () => run.backend, () => ({
        configs: bySide((side) => run.config(side) ?? toRunConfig(ctx.values, side)),
        histograms: bySide((side) => run.state[side].data?.histograms ?? null),
      })),
      prefix: 'drift',
      views: {
        ...bySide((side) => () => (run.history.length ? views[side].view.toSvg() : null)),
        disagreement: disagreementChart,
        accuracy: accuracyChart,
      },
    },
  });

  /**
   * Each side of a round (its clients' boundary contours) is drawn in a task of its own through the
   * page's draw queue: both in one task took 94 ms on the jank bench's phone profile.
   */
  function show(p: PairRound) {
    for (const side of SIDES) enqueueDraw(views[side].box, () => showSide(side, p));
    drawCharts();
  }

  function showSide(side: Side, p: PairRound) {
    const st = views[side];
    const b = p[side];
    const overlays = byClient(b)
      .filter(([, c]) => c.boundary)
      .map(([k, c]) => ({ key: String(k), ...lineOf(k), ...c.boundary! }));
    st.view.update({ boundary: b.global, overlays });
    const f = roundFigures(b);
    setText(st.stat, `글로벌 테스트 정확도 ${pct(f.accuracy)} · 로컬과 다른 영역 평균 ${pct(f.disagreement, 0)}`);
    for (const [k, c] of b.clients) {
      if (!c.boundary) continue;
      const only = onlyClass(c.boundary);
      st.cards?.update(k, { stat: only !== null ? `어디서나 클래스 ${only}로 예측` : `글로벌과 다른 영역 ${pct(b.disagreement.get(k) ?? NaN, 0)}` });
    }
    drawTitle(side);
  }

  function drawTitle(side: Side) {
    const title = sideTitle(ctx.values, side);
    setText(views[side].title, title);
  }

  function drawCharts() {
    // The legend names the sides as the current comparison does.
    for (const s of series) s.label = sideName(ctx.values, s.key as Side);
    const points = (y: 'accuracy' | 'disagreement') =>
      run.history.flatMap((p) => SIDES.map((side) => ({ x: p.round, y: roundFigures(p[side])[y], series: side })));
    const xMax = run.config('iid')?.rounds ?? ctx.values.rounds;
    disagreementChart.update({ points: points('disagreement'), xMax });
    accuracyChart.update({ points: points('accuracy'), xMax });
  }

  function summary(): string {
    const v = ctx.values;
    const versus = `디리클레 α = ${v.alpha}에서 ${sideName(v, 'iid')} 대 ${sideName(v, 'skew')}`;
    const compared = v.compare === 'split' ? (v.mu > 0 ? `FedProx μ = ${v.mu}` : 'FedAvg') : versus;
    const head = `${choiceLabel(params.data, v.data)}, 클라이언트 ${v.clients}명, 로컬 에폭 ${v.epochs}, ${compared}`;
    const last = run.history.at(-1);
    if (!last) return runSentence(run.status, head, null);
    const part = (side: Side) => {
      const f = roundFigures(last[side]);
      // Comparing splits, the skewed side is named by its α here (sideName calls it '레이블 불균형').
      const name = v.compare === 'split' && side === 'skew' ? `디리클레 α = ${v.alpha}` : sideName(v, side);
      return `${name}: 글로벌 테스트 정확도 ${pct(f.accuracy)}, 로컬 경계가 글로벌 경계와 다른 영역 평균 ${pct(f.disagreement, 0)}`;
    };
    return runSentence(run.status, head, (state) => `${state}, 라운드 ${last.round}/${run.total}. ${part('iid')}. ${part('skew')}.`);
  }

  run.start(false);

  return run.controller({
    destroy() {
      for (const side of SIDES) {
        dequeueDraw(views[side].box);
        views[side].cards?.destroy();
      }
    },
    inspect: () => ({
      ...run.inspectBase(),
      runIds: bySide((side) => run.runId(side)),
      configs: bySide((side) => run.config(side)),
      rounds: run.history.map((p) => ({ round: p.round, ...bySide((side) => roundFigures(p[side])) })),
      histograms: bySide((side) => run.state[side].data?.histograms ?? []),
      /** Lines drawn per side on the current picture (one per client whose model has a boundary). */
      lines: bySide((side) => root.querySelectorAll(`[data-view="${side}"] .boundary__line`).length),
    }),
  });
}
