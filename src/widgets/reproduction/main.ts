/**
 * The live reproduction, mounted when it nears the viewport: FedSGD and the chosen FedAvg
 * settings train one after another in the worker (./state.ts); each stops when it reaches the
 * target accuracy (the round is read off the best-so-far curve with linear interpolation, as the
 * paper does) or its round limit. Every number shown comes from an engine event; nothing is
 * precomputed.
 */
import type { WidgetContext } from '~/runtime/widget';
import { monotone } from '~/engine/metrics';
import { inOrder } from '~/engine/sequence';
import { PARTITION_LABELS, formatRounds, formatSpeedup, speedupAgainst } from '~/data/reproduction';
import { dataTable, putTable } from '../renderers/data-table';
import { Run } from '../kit/run';
import { runJson } from '../kit/export';
import { count, pct } from '../renderers/format';
import { throttled } from '../renderers/plot-image';
import { create as createCurves, curveRows, type SettingCurve } from './curves-chart';
import type { ReproParams } from './params';
import { fromPage } from './results-params';
import { TABLE_COLUMNS, tableCaption, type ChosenLrs } from './config';
import { initRepro, reduceRepro, type ReproRecord, type ReproState } from './state';

/** What tests read (also handy in the console). */
export type ReproInspection = ReturnType<ReturnType<typeof mount>['inspect']>;

/** Where a run that ended without diverging got: the rounds to the target, or not within the cap. */
const roundsText = (r: ReproRecord, cap: number) => (r.roundsToTarget !== null ? `${formatRounds(r.roundsToTarget, cap)}라운드` : `${cap}라운드 안에 못 닿음`);

/** A run's accuracies as the chart and the CSV take them. */
const curveOf = (r: ReproRecord): SettingCurve => ({
  id: r.entry.id,
  label: r.entry.label,
  lr: r.entry.lr,
  round: r.accuracies.map((_, i) => i + 1),
  accuracy: [...r.accuracies],
  best: monotone(r.accuracies),
});

/** `r`'s speed-up against the race's FedSGD run, once both have ended. */
function speedupText(records: readonly ReproRecord[], r: ReproRecord, cap: number): string {
  const fedsgd = records.find((x) => x.entry.algorithm === 'fedsgd');
  if (!fedsgd || r === fedsgd) return r === fedsgd ? '기준' : '—';
  const done = (x: ReproRecord) => x.state !== 'waiting' && x.state !== 'running';
  if (!done(fedsgd) || !done(r)) return '—';
  const s = speedupAgainst({ roundsToTarget: fedsgd.roundsToTarget, cap }, { roundsToTarget: r.roundsToTarget, cap });
  return s.speedup === null ? '알 수 없음' : formatSpeedup(s.speedup, s.speedupBound, '배');
}

export function mount(ctx: WidgetContext<ReproParams>) {
  const { root, q } = ctx;
  const tableEl = q('[data-view="table"]')!;
  const chart = ctx.own(createCurves(q('[data-view="accuracy"]')!, { label: '설정별 라운드에 따른 테스트 정확도' }));
  // η chosen by the full-size run, rendered into the page at build time (see the .astro file).
  const chosen = fromPage<ChosenLrs>(root.dataset.lrs, {});
  /** The table and curves follow a run at most every 150 ms: FedSGD's rounds come tens of ms apart. */
  const redraw = throttled(() => draw(), 150);

  const run: Run<ReproParams, ReproState> = new Run(ctx, {
    init: () => initRepro({ ...ctx.values }, chosen),
    reduce: reduceRepro,
    // Its state reads only round metrics: the worker need not send each client's events.
    options: () => ({ events: ['round-metrics'] }),
    sequence: inOrder((s) => s.records[s.current].config),
    // The run's round count is in the table (at most every 150 ms): the bar changes once a run.
    progress: (s) => {
      const r = s.records[s.current];
      const n = s.records.length;
      return r ? { done: s.current, total: n, text: `실행 ${s.current + 1} / ${n} · ${r.entry.label}` } : { done: n, total: n, text: `실행 ${n} / ${n}` };
    },
    onReset: () => {
      root.dataset.race = 'running';
      redraw.now();
    },
    onEvent: (e) => {
      if (e.type === 'run-started') {
        run.ui.parameters(`2NN 모델 매개변수 ${count(e.parameters)}개 · MNIST 학습 ${count(e.data.trainSize)}장, 테스트 ${count(e.data.testSize)}장`);
      } else if (e.type === 'run-diverged') {
        const r = run.state.records[run.state.current - 1];
        run.ui.alert(`${r.entry.label}: ${e.message}`);
      }
      if (e.type === 'round-metrics') redraw.schedule();
      else if (e.type === 'run-finished' || e.type === 'run-diverged') redraw.now();
    },
    onEnd: () => {
      root.dataset.race = 'done';
      redraw.now();
    },
    summary,
    exports: {
      tables: {
        'export-csv': {
          file: 'reproduction-accuracy',
          columns: ['setting', 'lr', 'round', 'test_accuracy', 'best_so_far'],
          rows: () => run.state.records.flatMap((r) => curveRows(curveOf(r))),
        },
      },
      json: runJson('reproduction', 'reproduction-live', () => run.state.values, () => run.backend, () => ({
        target: run.state.values.target / 100,
        runs: run.state.records.map(({ entry, config, state, roundsToTarget, accuracies }) => (
          { setting: entry.id, label: entry.label, config, state, roundsToTarget, rounds: accuracies.length }
        )),
      })),
      prefix: 'reproduction',
      views: { accuracy: chart },
    },
  });

  /** The curves and the table of the race. */
  function draw() {
    const { records, values: raced } = run.state;
    const series = records.filter((r) => r.accuracies.length).map(curveOf);
    chart.update({ series, curve: ctx.values.curve, target: raced.target / 100, xMax: raced.rounds });
    const rows = records.map((r) => {
      const state = r.state === 'running' ? `학습 중 (${r.accuracies.length}라운드)` : r.state === 'waiting' ? '대기' : r.state === 'diverged' ? '발산' : roundsText(r, raced.rounds);
      // The best of no accuracy is -∞, written '—'.
      return { head: r.entry.label, cells: [String(r.entry.lr), state, speedupText(records, r, raced.rounds), pct(Math.max(...monotone(r.accuracies)))] };
    });
    putTable(tableEl, dataTable({ caption: tableCaption(raced), captionClass: '', columns: TABLE_COLUMNS, rows }));
  }

  function summary(): string {
    const { records, values: raced } = run.state;
    const head = `${PARTITION_LABELS[raced.partition]} 분할, 목표 정확도 ${raced.target}%`;
    const parts = records
      .filter((r) => r.state !== 'waiting')
      .map((r) => {
        if (r.state === 'running') return `${r.entry.label} 학습 중(${r.accuracies.length}라운드, 정확도 ${pct(r.accuracies[r.accuracies.length - 1] ?? NaN)})`;
        if (r.state === 'diverged') return `${r.entry.label} 발산`;
        const sp = r.entry.algorithm === 'fedsgd' ? '' : `, FedSGD 대비 ${speedupText(records, r, raced.rounds)}`;
        return `${r.entry.label} ${roundsText(r, raced.rounds)}${sp}`;
      });
    if (run.status === 'loading' && parts.length === 0) return `${head}: 학습을 준비하고 있습니다.`;
    const tail = run.status === 'finished' ? ' 모든 설정을 마쳤습니다.' : run.status === 'paused' ? ' 일시정지.' : '';
    return `${head}: ${parts.join('; ')}.${tail}`;
  }

  run.start(false);

  return run.controller({
    update(_values, changed) {
      if (changed.every((k) => k === 'curve')) redraw.now();
    },
    destroy: () => redraw.cancel(),
    inspect: () => ({
      ...run.inspectBase(),
      records: run.state.records.map((r) => ({
        id: r.entry.id,
        lr: r.entry.lr,
        state: r.state,
        roundsToTarget: r.roundsToTarget,
        rounds: r.accuracies.length,
        best: r.accuracies.length ? Math.max(...r.accuracies) : 0,
      })),
      memory: () => run.memory(),
    }),
  });
}
