/**
 * The three-way race, mounted when it nears the viewport: the four runs go one after another
 * through one training worker (so each one's time is its own, not shared with the others), and
 * everything drawn comes from their engine events (./state.ts). Any setting cancels the race and
 * starts it again from the first method.
 */
import type { WidgetContext } from '~/runtime/widget';
import { FLOAT_BYTES, totalBytes } from '~/engine/comm';
import { inOrder } from '~/engine/sequence';
import { ACCURACY_AXIS, create as createLineChart, type LinePoint } from '../renderers/line-chart';
import { create as createBars, type BarPart } from '../renderers/hbars';
import { create as createPixels, squareUp, type PixelRenderer } from '../renderers/pixels';
import { updateTiles } from '../renderers/update-tiles';
import { KIND_COLORS, KIND_ORDER, METHOD_COLORS, METHOD_LABELS } from '../renderers/kinds';
import { kindName } from '../renderers/byte-table';
import { throttled } from '../renderers/plot-image';
import { Run } from '../kit/run';
import { runJson } from '../kit/export';
import { dataTable, putTable, span } from '../renderers/data-table';
import { count, formatBytes, pct } from '../renderers/format';
import type { ThreeWayParams } from './params';
import { RACE, SUMMARY_CAPTION, SUMMARY_COLUMNS, epochsSeen, roundsOf, toRunConfig, type RaceMethod } from './config';
import { initRace, reduceRace, type RaceRecord, type RaceState } from './state';
import { putChildren, setText } from '../renderers/outputs';

/** A race record as tests read it: without the bulky view, with the counts of its run-started event. */
const inspectRecord = ({ view, start, ...rest }: RaceRecord) => ({
  ...rest,
  config: start?.config ?? null,
  parameters: start?.parameters ?? 0,
  clientParameters: start?.clientParameters ?? 0,
  algorithm: start?.config.algorithm ?? null,
  hasView: view !== null,
  finalAccuracy: rest.rows.at(-1)?.testAccuracy ?? null,
});

export type ThreeWayInspection = ReturnType<ReturnType<typeof mount>['inspect']>;

const DIGIT = 3;
const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}초`;

export function mount(ctx: WidgetContext<ThreeWayParams>) {
  const { root, q } = ctx;
  const summaryBox = q('[data-view="summary"]')!;
  const bytesKey = q('[data-bytes-key]')!;
  const accNote = q('[data-acc-note]')!;

  const accChart = createLineChart(q('[data-view="accuracy"]')!, {
    label: '본 데이터 양(에폭)에 따른 네 방식의 테스트 정확도',
    xLabel: '본 데이터 (에폭)',
    ...ACCURACY_AXIS,
    yLabel: '테스트 정확도',
    height: 230,
    series: RACE.map((m) => ({ key: m, label: METHOD_LABELS[m], color: METHOD_COLORS[m], dashed: m === 'fl' || m === 'splitfed' })),
  });
  const bytesChart = createBars(q('[data-view="bytes"]')!, { label: '방식별로 주고받은 데이터(바이트), 종류별로 쌓은 막대', xLabel: '바이트', xFormat: formatBytes });
  const timeChart = createBars(q('[data-view="time"]')!, { label: '방식별 학습 시간: 차례로 계산한 시간과 동시에 계산했다면의 추정', xLabel: '초', xFormat: (x) => `${(x / 1000).toFixed(1)}` });
  const seen: Record<RaceMethod, PixelRenderer> = {
    centralized: createPixels(q('[data-view="seen-centralized"]')!, { cell: 9, maxWidth: 90 }),
    fl: createPixels(q('[data-view="seen-fl"]')!, { cell: 3, maxWidth: 120 }),
    sl: createPixels(q('[data-view="seen-sl"]')!, { cell: 12, maxWidth: 90 }),
    splitfed: createPixels(q('[data-view="seen-splitfed"]')!, { cell: 12, maxWidth: 90 }),
  };
  for (const view of [accChart, bytesChart, timeChart, ...Object.values(seen)]) ctx.own(view);

  /**
   * The race's views (charts, bars, pictures, the summary table) at most once per 150 ms, through
   * the page's draw queue: drawn at every event's next frame, the table and pictures rebuilt in
   * nearly every frame held a phone (the jank bench's profile) to 32 frames a second.
   */
  const redraw = throttled(draw, 150);
  let seenDirty = true;

  const run: Run<ThreeWayParams, RaceState> = new Run(ctx, {
    // What the reducer reads: split learning's per-batch messages stay in the worker.
    options: () => ({ serverView: { cuts: [ctx.values.cut] }, events: ['round-started', 'client-trained', 'round-metrics', 'server-view'] }),
    init: initRace,
    reduce: reduceRace,
    sequence: inOrder((s) => toRunConfig(RACE[s.current], ctx.values)),
    progress: (s) => ({ done: s.current, total: RACE.length, text: `실행 ${s.current} / ${RACE.length}` }),
    onReset: () => {
      root.dataset.race = 'running';
      seenDirty = true;
      redraw.schedule();
    },
    onEvent: (e) => {
      if (e.type === 'run-started' || e.type === 'server-view' || e.type === 'run-finished' || e.type === 'run-diverged') seenDirty = true;
      if (e.type === 'run-started' && run.state.current === 0) {
        run.ui.parameters(
          `공통 모델: 입력 64 → 32 → 32 → 10 (매개변수 ${count(e.parameters)}개) · 손글씨 숫자 학습 데이터 ${count(e.data.trainSize)}개, 테스트 데이터 ${count(e.data.testSize)}개`,
        );
      }
      if (e.type === 'run-diverged') run.ui.alert(`${METHOD_LABELS[run.state.records[run.state.current - 1].method]}: ${e.message}`);
      if (e.type === 'run-started' || e.type === 'round-metrics' || e.type === 'server-view' || e.type === 'run-finished' || e.type === 'run-diverged') redraw.schedule();
    },
    onEnd: () => {
      // The last rounds may have arrived in the same task as the end: draw them now, so that
      // whoever sees data-race="done" also sees the finished race drawn.
      redraw.now();
      root.dataset.race = 'done';
    },
    summary: summaryText,
    exports: {
      tables: {
        'export-csv': {
          file: 'threeway-metrics',
          columns: ['method', 'round', 'epochs_seen', 'test_accuracy', 'test_loss', 'train_loss', 'bytes_cumulative'],
          rows: () =>
            run.state.records.flatMap((r) => {
              let cum = 0;
              return r.rows.map((m) => ({
                method: r.method,
                round: m.round,
                epochs_seen: epochsSeen(r.method, m.round, ctx.values),
                test_accuracy: m.testAccuracy,
                test_loss: m.testLoss,
                train_loss: m.trainLoss,
                bytes_cumulative: (cum += m.bytesUp + m.bytesDown),
              }));
            }),
        },
      },
      json: runJson('threeway-summary', 'three-way', () => ctx.values, () => run.backend, () => ({
        runs: run.state.records.map((r) => ({
          method: r.method,
          config: r.start?.config ?? toRunConfig(r.method, ctx.values),
          finalTestAccuracy: r.rows[r.rows.length - 1]?.testAccuracy ?? null,
          bytesByKind: r.bytes,
          trainingMs: r.wall,
          parallelEstimateMs: r.wall - r.parallelSaving,
        })),
      })),
      prefix: 'threeway',
      views: { accuracy: accChart, bytes: bytesChart, time: timeChart },
    },
  });

  function draw() {
    const v = ctx.values;
    const records = run.state.records;
    // Accuracy against epochs of data seen.
    const pts: LinePoint[] = [];
    for (const r of records) for (const m of r.rows) pts.push({ x: epochsSeen(r.method, m.round, v), y: m.testAccuracy, series: r.method });
    accChart.update({ points: pts, xMax: Math.max(v.epochs, roundsOf(v) * v.local) });
    setText(accNote, overlapNote());

    // Bytes by kind, stacked per method.
    const rowsLabel = records.map((r) => METHOD_LABELS[r.method]);
    /** Each method's figure beside its bar ('대기' while its run waits). */
    const totals = (text: (r: RaceRecord) => string) =>
      Object.fromEntries(records.map((r) => [METHOD_LABELS[r.method], r.state === 'waiting' ? '대기' : text(r)]));
    const parts: BarPart[] = records.flatMap((r) =>
      KIND_ORDER.filter((k) => (r.bytes[k] ?? 0) > 0).map((k) => ({ row: METHOD_LABELS[r.method], part: k, value: r.bytes[k]!, color: KIND_COLORS[k] })),
    );
    bytesChart.update({ rows: rowsLabel, parts, totals: totals((r) => formatBytes(totalBytes(r.bytes))) });
    putChildren(bytesKey, ...KIND_ORDER.filter((k) => parts.some((p) => p.part === k)).map((k) => span('', ...kindName(k))));

    // Time: the parallel estimate (solid) and the rest of the sequential time (light).
    const tParts: BarPart[] = records
      .filter((r) => r.state !== 'waiting')
      .flatMap((r) => [
        { row: METHOD_LABELS[r.method], part: 'parallel', value: Math.max(0, r.wall - r.parallelSaving), color: METHOD_COLORS[r.method] },
        ...(r.parallelSaving > 0 ? [{ row: METHOD_LABELS[r.method], part: 'sequential', value: r.parallelSaving, color: '#c9ccd1' }] : []),
      ]);
    const timeText = (r: RaceRecord) => (r.parallelSaving > 0 ? `${secs(r.wall)} (동시라면 ${secs(r.wall - r.parallelSaving)})` : secs(r.wall));
    timeChart.update({ rows: rowsLabel, parts: tParts, totals: totals(timeText) });

    // The pictures change only when a run's server view arrives (or a run starts or ends).
    if (seenDirty) {
      seenDirty = false;
      for (const r of records) setText(q(`[data-seen-note="${r.method}"]`)!, drawSeenOf(r));
    }
    drawSummary();
  }

  /** Says so when two methods drew the same curve (one line hides the other). */
  function overlapNote(): string {
    // The records are in RACE order: centralized, FedAvg, split learning, SplitFed.
    const [, fl, , sfl] = run.state.records;
    const same = (a: RaceRecord, b: RaceRecord) => a.rows.length > 0 && a.rows.length === b.rows.length && a.rows.every((x, i) => Math.abs(x.testAccuracy - b.rows[i].testAccuracy) < 1e-9);
    if (sfl.start?.config.algorithm === 'splitfed1' && same(fl, sfl)) {
      return 'SplitFed V1의 곡선이 FedAvg의 곡선과 겹쳐 하나로 보입니다. 모든 클라이언트가 참여하면 SplitFed V1의 라운드는 계산으로는 FedAvg의 라운드와 같습니다. 클라이언트마다 앞부분과 서버 쪽 복사본으로 모델 전체를 자기 데이터로 학습하고, 두 부분을 같은 가중치로 평균하기 때문입니다.';
    }
    return '';
  }

  /** Draws what the server received in `r`'s run; says it in words. */
  function drawSeenOf(r: RaceRecord): string {
    const ex = r.view?.examples.find((e) => e.label === DIGIT) ?? r.view?.examples[0];
    if (!r.view || !ex) {
      seen[r.method].update(null);
      return r.state === 'running' ? '학습 중…' : r.state === 'waiting' ? '차례를 기다리는 중' : '표시할 것이 없습니다.';
    }
    const [h, w] = r.view.inputShape;
    const { config, data, parameters, clientParameters = 0, cutWidth = 0 } = r.start!;
    if (r.method === 'centralized') {
      seen.centralized.update({ values: ex.input, rows: h, cols: w, scale: 'ink', label: `중앙 서버가 받은 원본 이미지(숫자 ${ex.label})` });
      return `원본 이미지 ${count(data.trainSize)}장 전부와 그 레이블. 이 예제도 그대로입니다.`;
    }
    if (r.method === 'fl') {
      const t = updateTiles(r.view, ex.update);
      if (t) seen.fl.update({ ...t.image, scale: 'diverging', label: `이 예제 하나로 학습한 클라이언트가 보낼 매개변수 변화량(첫 층)` });
      const sent = count(r.rows.length * config.clients);
      return `라운드마다 클라이언트의 모델(매개변수 ${count(parameters)}개), 모두 ${sent}번. 그림: 이 예제 하나로 한 걸음 학습한 변화량(첫 층).`;
    }
    const c = ex.cuts.find((x) => x.cut === ctx.values.cut) ?? ex.cuts[0];
    if (c) {
      const img = squareUp(c.smashed, c.shape.length === 3 ? c.shape : undefined);
      seen[r.method].update({ ...img, scale: 'magnitude', label: `분할 지점 ${c.cut}에서 서버가 받은 이 예제의 스매시드 데이터` });
    }
    const sent = (r.bytes.smashed ?? 0) / (FLOAT_BYTES * Math.max(1, cutWidth));
    const extra = r.method === 'splitfed' ? `, 라운드마다 클라이언트 쪽 모델(매개변수 ${count(clientParameters)}개)` : '';
    return `예제마다 스매시드 데이터 ${cutWidth}개와 레이블, 모두 ${count(sent)}번${extra}. 그림: 이 예제의 스매시드 데이터.`;
  }

  function drawSummary() {
    const rows = run.state.records.map((r) => {
      const last = r.rows.at(-1);
      const time = (ms: number) => (r.wall > 0 ? secs(ms) : '—');
      // pct writes '—' for a run without rounds (no last accuracy, and the best of none is -∞).
      const cells =
        r.state === 'waiting'
          ? ['대기', '—', '—', '—', '—', '—']
          : [
              r.state === 'diverged' ? '발산' : pct(last?.testAccuracy ?? NaN),
              pct(Math.max(...r.rows.map((x) => x.testAccuracy))),
              `${last ? epochsSeen(r.method, last.round, ctx.values) : 0}에폭`,
              formatBytes(totalBytes(r.bytes)),
              time(r.wall),
              time(r.wall - r.parallelSaving),
            ];
      return { head: METHOD_LABELS[r.method], cells };
    });
    putTable(summaryBox, dataTable({ caption: SUMMARY_CAPTION, columns: SUMMARY_COLUMNS, rows }));
  }

  function summaryText(): string {
    const v = ctx.values;
    const part = v.partition === 'iid' ? 'IID' : v.partition === 'dirichlet' ? 'Non-IID(디리클레 α = 0.3)' : 'Non-IID(레이블 샤드)';
    const head = `클라이언트 ${v.clients}명, ${part}, 로컬 에폭 ${v.local}, 데이터를 ${v.epochs}번 훑기`;
    const parts = run.state.records
      .filter((r) => r.state !== 'waiting')
      .map((r) => {
        const result = `${pct(r.rows.at(-1)?.testAccuracy ?? NaN)} (통신 ${formatBytes(totalBytes(r.bytes))}, ${secs(r.wall)})`;
        return `${METHOD_LABELS[r.method]} ${r.state === 'diverged' ? '발산' : result}`;
      });
    const state = run.state.current >= RACE.length ? '네 방식 모두 학습을 마쳤습니다' : `${METHOD_LABELS[RACE[run.state.current]]}을(를) 학습 중입니다`;
    return `${head}: ${state}. ${parts.join(', ')}.`;
  }

  run.start(false);

  return run.controller({
    destroy: () => redraw.cancel(),
    inspect: () => ({
      ...run.inspectBase(),
      current: run.state.current,
      runs: run.state.records.map(inspectRecord),
    }),
  });
}
