/**
 * The communication-cost widget, mounted when it nears the viewport. The upper chart is pure
 * arithmetic: the formulas of src/engine/comm.ts for the sliders' N, p, q, η_c. The lower one sets
 * them for a small model beside the bytes the engine counted as it trained it in the worker, a run
 * per method and client count, drawn every 250 ms at most (a phone laid out the page at each run).
 */
import type { WidgetContext } from '~/runtime/widget';
import { clientGrid, crossoverClients, methodEpochBytes, sameBytes, type CommMethod, type CommVars } from '~/engine/comm';
import { MEASURED_K, MEASURE_JOBS as JOBS, formulaBytes, matchingCount, measureConfig, reduceMeasure, type MeasureState } from '~/engine/comm-runs';
import { create as createLogLog, type LogLogData } from '../renderers/loglog';
import { METHOD_COLORS, METHOD_LABELS, formatKoreanCount } from '../renderers/kinds';
import { dataTable, putTable, span } from '../renderers/data-table';
import { Run } from '../kit/run';
import { runJson } from '../kit/export';
import { throttled } from '../renderers/plot-image';
import { count, formatBytes } from '../renderers/format';
import { putChildren, setData, setText } from '../renderers/outputs';
import type { CommParams, CommValues } from './params';
import { FORMULA_K, HANDOFF_NOTE, METHODS, formulaRow } from './formula-rows';

const DASH: Record<CommMethod, string | undefined> = { fl: undefined, sl: '2,3', slHandoff: '7,3', splitfed: '1,0' };
const SYMBOL: Record<CommMethod, string> = { fl: 'circle', sl: 'square', slHandoff: 'triangle', splitfed: 'diamond' };
const styleOf = (m: CommMethod) => ({ key: m, label: METHOD_LABELS[m], color: METHOD_COLORS[m] });

/** What tests read. */
export type CommInspection = ReturnType<ReturnType<typeof mount>['inspect']>;

export function mount(ctx: WidgetContext<CommParams>) {
  const { root, q, own } = ctx;
  const headline = q('[data-crossover]')!;
  const formulaTable = q('[data-view="formula-table"]')!;
  const measuredTable = q('[data-view="measured-table"]')!;
  const setupLine = q('[data-measured-setup]')!;
  // The page's measured table of '…' cells (a row per client count): shown again when a new
  // measurement starts, so that the view keeps its height instead of losing the table.
  const emptyMeasured = measuredTable.querySelector('table')?.cloneNode(true) ?? null;

  const axes = { xLabel: '클라이언트 수 K', yLabel: '한 에폭의 통신량', yFormat: formatBytes };
  const formulaChart = own(createLogLog(q('[data-view="formula"]')!, { label: '클라이언트 수에 따른 한 에폭의 통신량(바이트), 로그 축', ...axes }));
  const measuredChart = own(createLogLog(q('[data-view="measured"]')!, { label: '실측 모델의 통신량: 공식(선)과 엔진이 센 바이트(점), 로그 축', ...axes, height: 260 }));

  const varsOf = (v: CommValues): CommVars => ({ N: v.n, p: v.p, q: v.q, etaC: v.eta });

  /** A chart's formula lines up to `max` clients, and the crossover as a rule (the chart leaves one off its axis out). */
  function formulaLines(v: CommVars, max: number): LogLogData {
    const k = crossoverClients(v);
    const rows = clientGrid(max).map((K) => ({ K, b: methodEpochBytes(v, K) }));
    const series = METHODS.map((m) => ({ ...styleOf(m), dash: DASH[m], points: rows.map((r) => ({ x: r.K, y: r.b[m] })) }));
    return { series, rules: [{ x: k, label: `교차점 K ≈ ${k >= 100 ? count(k) : k.toFixed(1)}` }], xDomain: [1, max] };
  }

  function crossoverText(v: CommVars): string {
    const k = crossoverClients(v);
    const head = '교차점 K* = 2pq / (N(2 − η_c)) ≈';
    if (k < 1) return `${head} ${k.toPrecision(2)}: 클라이언트가 한 명이어도 인계가 있는 분할 학습이 연합 학습보다 적게 보냅니다.`;
    const shown = k >= 100 ? formatKoreanCount(k) : k.toFixed(1);
    return `${head} ${shown}: 클라이언트가 이보다 많으면 인계가 있는 분할 학습이, 적으면 연합 학습이 한 에폭에 적게 보냅니다.`;
  }

  /** A table with a row per client count K: its cells per method (then `extra` columns' cells). */
  const byK = (caption: string, Ks: readonly number[], cells: (K: number) => (string | Node)[], extra: string[] = []) => {
    const columns = ['클라이언트 수 K', ...METHODS.map((m) => METHOD_LABELS[m]), ...extra];
    return dataTable({ caption, columns, rows: Ks.map((K) => ({ head: count(K), cells: cells(K) })) });
  };

  let formulaFrame = 0;
  function drawFormula() {
    formulaFrame = 0;
    const v = varsOf(ctx.values);
    setText(headline, crossoverText(v));
    formulaChart.update(formulaLines(v, 10_000));
    const cells = (K: number) => {
      const { best, cells } = formulaRow(v, K);
      return [...cells.map((c) => span(c.m === best ? 'cc__cell is-best' : 'cc__cell', c.bytes, span('cc__count', c.values))), METHOD_LABELS[best]];
    };
    putTable(formulaTable, byK('클라이언트 수별 한 에폭의 통신량(값의 수와 바이트)', FORMULA_K, cells, ['가장 적게 보내는 방식']));
    ctx.announce(summary());
  }

  const measuredLater = throttled(drawMeasured, 250, measuredTable);
  const run: Run<CommParams, MeasureState> = new Run(ctx, {
    init: (): MeasureState => ({ job: 0, measured: [], measuredVars: null }),
    reduce: reduceMeasure,
    // Its state reads only round metrics: the worker need not send each client's events.
    options: () => ({ events: ['round-metrics'] }),
    sequence: { job: (s) => (s.job < JOBS.length ? { key: String(s.job), config: measureConfig(JOBS[s.job].method, JOBS[s.job].K, ctx.values.mw) } : null) },
    progress: (s) => ({ done: s.job, total: JOBS.length, text: `실행 ${s.job} / ${JOBS.length}` }),
    onReset: () => {
      root.dataset.measured = 'running';
      measuredLater.now();
    },
    onEvent: (e) => {
      if (e.type === 'round-metrics') measuredLater.schedule();
      // Bytes do not depend on convergence, but a diverged run has stopped before its metrics.
      if (e.type === 'run-diverged') run.ui.alert(`측정용 학습 하나가 발산했습니다: ${e.message}`);
    },
    onEnd: () => {
      root.dataset.measured = 'done';
      measuredLater.now();
    },
    summary,
    exports: {
      tables: {
        'export-csv': {
          file: 'comm-measured',
          columns: ['clients', 'method', 'measured_bytes', 'formula_bytes'],
          rows: () => {
            const mv = run.state.measuredVars;
            return run.state.measured.map((x) => ({ clients: x.K, method: x.method, measured_bytes: x.bytes, formula_bytes: mv ? formulaBytes(mv, x) : '' }));
          },
        },
      },
      json: runJson('comm-config', 'comm-cost', () => ctx.values, () => run.backend, () => ({
        formulaVariables: varsOf(ctx.values),
        crossover: crossoverClients(varsOf(ctx.values)),
        measuredVariables: run.state.measuredVars,
        measuredConfig: measureConfig('sl', 4, ctx.values.mw),
      })),
      prefix: 'comm',
      views: { formula: formulaChart, measured: measuredChart },
    },
  });

  function drawMeasured() {
    const { measuredVars: mv, measured } = run.state;
    setData(root, 'matches', mv ? `${matchingCount(mv, measured)}/${measured.length}` : '0/0');
    if (!mv) {
      measuredChart.update({ series: [], xDomain: [1, 64] });
      putChildren(measuredTable, ...(emptyMeasured ? [emptyMeasured.cloneNode(true)] : []));
      setText(setupLine, '측정용 모델을 학습하고 있습니다.');
      return;
    }
    const k = crossoverClients(mv);
    setText(setupLine, `실측 모델: N = ${count(mv.N)}, p = ${count(mv.p)}, q = ${mv.q}, η_c = ${mv.etaC.toFixed(3)} → 교차점 K* ≈ ${k.toFixed(1)}. 방식과 클라이언트 수마다 한 번씩, 모두 ${JOBS.length}번 학습해 셉니다.`);
    const points = (m: CommMethod) => measured.filter((x) => x.method === m).map((x) => ({ x: x.K, y: x.bytes }));
    measuredChart.update({ ...formulaLines(mv, 64), dots: METHODS.map((m) => ({ ...styleOf(m), symbol: SYMBOL[m], points: points(m) })) });
    const cells = (K: number) =>
      METHODS.map((m) => {
        const hit = measured.find((x) => x.K === K && x.method === m);
        // The note under the single client's hand-off is there before its run too: its row keeps its height.
        if (!hit) return m === 'slHandoff' && K === 1 ? span('', '…', span('cc__count', HANDOFF_NOTE)) : '…';
        const f = methodEpochBytes(mv, K)[m];
        const ok = sameBytes(hit.bytes, f);
        const cell = span('', `${formatBytes(hit.bytes)} `, span(ok ? 'lab__ok' : 'lab__off', ok ? '✓' : `≠ 공식 ${formatBytes(f)}`));
        // The table's η_c·N·K counts K hand-offs; with one client there is nobody to hand to.
        if (!ok && m === 'slHandoff' && K === 1) cell.append(span('cc__count', HANDOFF_NOTE));
        return cell;
      });
    // Every client count has its row from the start ('…' until measured): the table does not grow as the runs report.
    putTable(measuredTable, byK('엔진이 센 바이트와 공식 비교(✓: 정확히 같음)', MEASURED_K, cells));
  }

  function summary(): string {
    const v = varsOf(ctx.values);
    const at = methodEpochBytes(v, 100);
    const head = `N = ${count(v.N)}, p = ${count(v.p)}, q = ${v.q}, η_c = ${v.etaC}. ${crossoverText(v)} 클라이언트 100명일 때 한 에폭에 연합 학습 ${formatBytes(at.fl)}, 분할 학습 ${formatBytes(at.sl)}, 인계가 있는 분할 학습 ${formatBytes(at.slHandoff)}, SplitFed ${formatBytes(at.splitfed)}.`;
    const { measuredVars: mv, measured } = run.state;
    if (!mv) return `${head} 실측은 준비 중입니다.`;
    const state = run.status === 'finished' ? '측정을 마쳤습니다' : '측정 중입니다';
    return `${head} 실측: ${state}. 측정한 ${measured.length}개 값 중 ${matchingCount(mv, measured)}개가 공식과 정확히 같습니다.`;
  }

  drawFormula();
  run.start(false);

  return run.controller({
    update(_values, changed) {
      if (changed.some((k) => k !== 'mw') && !formulaFrame) formulaFrame = requestAnimationFrame(drawFormula);
    },
    action(name) {
      if (name !== 'measure') return false;
      run.start(false);
      return true;
    },
    destroy: () => (measuredLater.cancel(), formulaFrame && cancelAnimationFrame(formulaFrame)),
    inspect: () => ({
      ...run.inspectBase(),
      ...run.state,
      crossover: crossoverClients(varsOf(ctx.values)),
      vars: varsOf(ctx.values),
      /** Runs done / planned. */
      progress: [Math.min(run.state.job, JOBS.length), JOBS.length] as [number, number],
    }),
  });
}
