/**
 * The centralized-training widget, mounted when it nears the viewport: renderers and the glue
 * between engine events and what is drawn, on the kit's run controller (state: the kit's round
 * reducer, one record per epoch). No learning happens here; every number shown comes from an
 * engine event.
 */
import type { EngineEvent } from '~/engine/types';
import type { WidgetContext } from '~/runtime/widget';
import { create as createBoundary } from '../renderers/boundary';
import { createEpochCharts } from '../renderers/line-chart';
import { create as createDataflow } from '../renderers/dataflow';
import { Run } from '../kit/run';
import { runSentence } from '../kit/status';
import { EPOCH_COLUMNS, epochRow, runJson } from '../kit/export';
import { initRounds, reduceRounds, type RoundsState } from '~/engine/rounds';
import { choiceLabel } from '../controls/params';
import { count, num, pct } from '../renderers/format';
import { PACE, params, type CentralParams } from './params';
import { BOUNDARY_GRID, toRunConfig } from './config';

/** What tests and the benchmark read (also handy in the console): what the widget's inspect() returns. */
export type CentralInspection = ReturnType<ReturnType<typeof mount>['inspect']>;

export function mount(ctx: WidgetContext<CentralParams>) {
  const { root, q, own } = ctx;
  const boundary = own(createBoundary(q('[data-view="boundary"]')!, { label: '데이터 점과 모델의 결정 경계' }));
  const charts = own(createEpochCharts(q('[data-view="loss"]')!, q('[data-view="accuracy"]')!));
  const dataflow = own(createDataflow(q('[data-view="dataflow"]')!, { label: '클라이언트의 원본 데이터가 중앙 서버로 모이는 모습' }));

  /** performance.now() of the last settings change not yet drawn (the benchmark reads marks). */
  let changeAt = 0;
  const rows = () => run.state.rounds.map((r) => r.metrics!);

  const run: Run<CentralParams, RoundsState> = new Run(ctx, {
    unit: '에폭',
    config: () => toRunConfig(ctx.values),
    options: () => ({ boundaryGrid: BOUNDARY_GRID }),
    init: initRounds,
    reduce: reduceRounds,
    onReset: () => (changeAt = performance.now()),
    onEvent,
    onEnd: (s) => {
      charts.flush();
      dataflow.update({ serverStatus: s === 'finished' ? `학습 완료 · 에폭 ${rows().length}` : '학습이 발산해 멈췄습니다' });
    },
    pace: () => PACE[ctx.values.speed],
    summary,
    exports: {
      tables: {
        'export-csv': {
          file: 'central-metrics',
          columns: EPOCH_COLUMNS,
          rows: () => rows().map(epochRow),
        },
      },
      json: runJson('central-config', 'central-playground', () => ctx.values, () => run.backend, () => ({
        config: run.config() ?? toRunConfig(ctx.values),
        parameters: run.state.parameters,
      })),
      prefix: 'central',
      views: { boundary: () => boundary.toSvg(), dataflow: () => dataflow.toSvg(), loss: charts.loss, accuracy: charts.accuracy },
    },
  });

  const drawCharts = () => charts.update(rows(), run.config()?.epochs ?? ctx.values.epochs);

  function summary(): string {
    const v = ctx.values;
    const model = v.layers === 0 ? '은닉층 없음' : `은닉층 ${v.layers}개(층마다 뉴런 ${v.units}개)`;
    const head = `${choiceLabel(params.data, v.data)} 데이터, ${model}, 학습률 ${v.lr}`;
    const last = rows().at(-1);
    if (!last) return runSentence(run.status, head, null);
    const train = last.trainAccuracy !== undefined ? `, 학습 정확도 ${pct(last.trainAccuracy)}` : '';
    return runSentence(run.status, head, (state) =>
      `${state}, 에폭 ${last.round}/${run.total}. 학습 손실 ${num(last.trainLoss)}, 테스트 손실 ${num(last.testLoss)}${train}, 테스트 정확도 ${pct(last.testAccuracy)}.`,
    );
  }

  /** Measures (for the benchmark) from a settings change to the frame that shows its result. */
  function afterPaint(name: string, start: number) {
    // rAF runs just before the frame is painted; a message posted from it arrives after.
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        performance.measure(name, { start, end: performance.now() });
        ch.port1.close();
      };
      ch.port2.postMessage(null);
    });
  }

  let boundaryPending = 0;
  function markDrawn() {
    if (!changeAt) return;
    afterPaint('central:change-to-frame', changeAt);
    boundaryPending = changeAt;
    changeAt = 0;
  }

  function onEvent(e: EngineEvent) {
    switch (e.type) {
      case 'run-started': {
        const data = e.data;
        for (const item of root.querySelectorAll<HTMLElement>('.cp__legend-item')) item.hidden = Number(item.dataset.class) >= data.numClasses;
        run.ui.parameters(`모델 매개변수 ${count(e.parameters)}개`);
        boundary.update({
          extent: data.extent,
          train: data.points ?? null,
          test: data.testPoints ?? null,
          showTest: ctx.values.test,
          boundary: null,
        });
        if (data.points && data.extent) {
          dataflow.update({ clients: e.config.clients, points: { ...data.points, extent: data.extent }, serverStatus: '원본 데이터를 모으는 중' });
        }
        drawCharts();
        markDrawn();
        return;
      }
      case 'message-sent':
        if (e.kind === 'raw-data' && typeof e.from === 'number') dataflow.update({ upload: { client: e.from, bytes: e.bytes } });
        return;
      case 'boundary':
        if (e.owner === 'global') boundary.update({ boundary: { grid: e.grid, classes: e.classes, probs: e.probs } });
        if (boundaryPending) {
          afterPaint('central:change-to-boundary', boundaryPending);
          boundaryPending = 0;
        }
        return;
      case 'round-metrics':
        dataflow.update({ serverStatus: `서버에서 학습 중 · 에폭 ${e.metrics.round}` });
        drawCharts();
        return;
      default:
        return;
    }
  }

  run.start(false);

  return run.controller({
    update(values, changed) {
      if (changed.includes('test')) boundary.update({ showTest: values.test });
    },
    inspect: () => ({ ...run.inspectBase(), rows: rows(), parameters: run.state.parameters, memory: () => run.memory() }),
  });
}
