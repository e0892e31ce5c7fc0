/**
 * The split-learning playground, mounted when it nears the viewport: the cut network, the
 * per-batch messages, bytes by kind against the formula, what the server receives, and the usual
 * metrics. State: ./state.ts. No learning happens here; every number shown comes from an engine
 * event.
 */
import type { EngineEvent, RoundMetrics } from '~/engine/types';
import type { WidgetContext } from '~/runtime/widget';
import { totalBytes } from '~/engine/comm';
import { create as createNetwork } from '../renderers/network';
import { TRAIN_TEST, createEpochCharts, type LinePoint } from '../renderers/line-chart';
import { create as createPixels, squareUp } from '../renderers/pixels';
import { create as createByteTable, type ByteRow } from '../renderers/byte-table';
import { throttled } from '../renderers/plot-image';
import { KIND_LABELS, KIND_ORDER } from '../renderers/kinds';
import { Run } from '../kit/run';
import { runSentence } from '../kit/status';
import { EPOCH_COLUMNS, epochRow, runJson } from '../kit/export';
import { choiceLabel } from '../controls/params';
import { count, formatBytes, num, pct } from '../renderers/format';
import { BATCH_PACE, FLIGHT, PACE, params, type SplitParams, type SplitValues } from './params';
import { cutText, fixes, networkOf, toRunConfig } from './config';
import { initSplit, reduceSplit, type SplitState } from './state';
import { setText } from '../renderers/outputs';

/** Training and test, and the run before this one in grey. */
const SERIES = [...TRAIN_TEST, { key: 'prev', label: '이전', color: '#8a8f98', dashed: true }];

export function mount(ctx: WidgetContext<SplitParams>) {
  const { q, own } = ctx;
  const netStatus = q('[data-net-status]')!;
  const bytesNote = q('[data-bytes-note]')!;
  const sampleNote = q('[data-sample-note]')!;
  const compareNote = q('[data-compare-note]')!;
  const cutInput = q<HTMLInputElement>('input[data-param="cut"]')!;

  // Settings that cannot run together are corrected before anything is drawn (with a notice).
  function applyFixes(): boolean {
    const list = fixes(ctx.values);
    for (const f of list) {
      ctx.notify(f.message);
      ctx.set(f.key, f.value);
    }
    return list.length > 0;
  }
  applyFixes();

  const network = own(createNetwork(q('[data-view="network"]')!, {
    label: '층별로 그린 신경망과 분할 지점: 왼쪽은 클라이언트, 오른쪽은 서버',
    onCut: (c) => ctx.set('cut', c),
    cutText: (c) => cutText(c, networkOf({ ...ctx.values, cut: c })),
  }));
  const bytes = own(createByteTable(q('[data-view="bytes"]')!, { caption: '종류별로 오간 바이트: 이번 에폭, 공식, 누적' }));
  const sample = own(createPixels(q('[data-view="sample"]')!, { cell: 14, maxWidth: 180 }));
  const charts = own(createEpochCharts(q('[data-view="loss"]')!, q('[data-view="accuracy"]')!, SERIES));

  /** The run before this one: its rows and settings, for the comparison lines. */
  let previous: { rows: readonly RoundMetrics[]; settings: SplitValues } | null = null;
  let runSettings: SplitValues = ctx.values;
  /**
   * The smashed-data sample and its note follow the batches at most every 150 ms (the picture is
   * aria-busy while one waits): drawn in every frame that brought a batch, they held a phone (the
   * jank bench's profile) near 40 frames a second while it trained.
   */
  const sampleRedraw = throttled(drawSample, 150, q('[data-view="sample"]')!);

  const run: Run<SplitParams, SplitState> = new Run(ctx, {
    unit: '에폭',
    config: () => toRunConfig(ctx.values),
    init: initSplit,
    reduce: reduceSplit,
    onReset: (last) => {
      // Keep the run being replaced for comparison, if it got anywhere.
      if (last.rows.length > 0) previous = { rows: last.rows, settings: runSettings };
      runSettings = ctx.values;
    },
    onEvent,
    onEnd: (s) => {
      if (s !== 'finished') return;
      network.setActive(null);
      setNetStatus(`학습을 마쳤습니다: 에폭 ${run.state.rows.length}개, 모두 ${formatBytes(totalBytes(run.state.totals))}가 오갔습니다.`, true);
    },
    pace: () => [PACE[ctx.values.speed], BATCH_PACE[ctx.values.speed]],
    summary,
    exports: {
      tables: {
        'export-csv': {
          file: 'split-metrics',
          columns: () => [...EPOCH_COLUMNS, ...kindsUsed().map((k) => `bytes_${k}`)],
          rows: () =>
            run.state.rows.map((r) => ({
              ...epochRow(r),
              ...Object.fromEntries(kindsUsed().map((k) => [`bytes_${k}`, r.bytesByKind[k] ?? 0])),
            })),
        },
      },
      json: runJson('split-config', 'split-playground', () => ctx.values, () => run.backend, () => ({
        config: run.config() ?? toRunConfig(ctx.values),
        parameters: run.state.start?.parameters ?? 0,
        clientParameters: run.state.start?.clientParameters ?? 0,
        cutWidth: run.state.start?.cutWidth ?? 0,
        formulaPerEpoch: run.state.formula,
      })),
      prefix: 'split',
      views: { network: () => network.toSvg(), sample: () => sample.toSvg(), loss: charts.loss, accuracy: charts.accuracy },
    },
  });

  const kindsUsed = () => KIND_ORDER.filter((k) => run.state.rows.some((r) => (r.bytesByKind[k] ?? 0) > 0));

  function showNetwork() {
    const net = networkOf(ctx.values);
    network.update(net);
    cutInput.max = String(net.cutMax);
    cutInput.setAttribute('aria-valuemax', String(net.cutMax));
  }

  function drawBytes() {
    const { totals, epochBytes, epochDone, formula, rows, start } = run.state;
    const kinds = KIND_ORDER.filter((k) => (totals[k] ?? 0) > 0 || (epochBytes[k] ?? 0) > 0 || (formula?.[k] ?? 0) > 0);
    const list: ByteRow[] = kinds.map((k) => ({ kind: k, epoch: epochBytes[k] ?? 0, formula: formula?.[k], total: totals[k] ?? 0 }));
    const e = rows.length + (epochDone ? 0 : 1);
    bytes.update({ rows: list, epochDone, epochLabel: epochDone ? `${rows.length}번째 에폭` : `${Math.min(e, start?.config.epochs ?? e)}번째 에폭 (진행 중)` });
  }

  /** How the current run differs from the previous one, in a few words. */
  function difference(a: SplitValues, b: SplitValues): string {
    const keys = (Object.keys(params) as (keyof SplitParams)[]).filter((k) => !(params[k] as { view?: boolean }).view && a[k] !== b[k]);
    if (keys.length === 0) return '같은 설정';
    const named = keys.slice(0, 2).map((k) => `${params[k].label} ${params[k].type === 'choice' ? choiceLabel(params[k], String(b[k])) : String(b[k])}`);
    return named.join(', ') + (keys.length > 2 ? ' 등' : '');
  }

  function drawCharts() {
    const rows = run.state.rows;
    const showPrev = ctx.values.compare && previous && previous.rows.length > 0;
    const prev = showPrev ? previous!.rows : [];
    const xMax = Math.max(run.config()?.epochs ?? ctx.values.epochs, prev.length);
    charts.update(rows, xMax, {
      loss: prev.map((r): LinePoint => ({ x: r.round, y: r.testLoss, series: 'prev' })),
      accuracy: prev.map((r): LinePoint => ({ x: r.round, y: r.testAccuracy, series: 'prev' })),
    });
    compareNote.hidden = !showPrev;
    if (!showPrev) return;
    const n = Math.min(rows.length, prev.length);
    const gap = Math.max(0, ...rows.slice(0, n).map((r, i) => Math.abs(r.testAccuracy - prev[i].testAccuracy)));
    const same = ` 지금까지 ${n}개 에폭 모두에서 두 실행의 테스트 정확도가 같습니다.`;
    const apart = ` 지금까지 ${n}개 에폭에서 두 실행의 테스트 정확도 차이는 최대 ${(gap * 100).toFixed(2)}%p입니다.`;
    setText(compareNote, `회색 점선: 이전 실행(${difference(runSettings, previous!.settings)})의 테스트 곡선.${n === 0 ? '' : gap === 0 ? same : apart}`);
  }

  function summary(): string {
    const v = ctx.values;
    const variant = choiceLabel(params.variant, v.variant);
    const head = `${choiceLabel(params.data, v.data)}, 은닉층 ${v.layers}개(${v.units}개씩), ${variant}, 분할 지점 ${v.cut}번째 층 뒤, 클라이언트 ${v.clients}명`;
    const { rows, totals } = run.state;
    const last = rows.at(-1);
    if (!last) return runSentence(run.status, head, null);
    const sent = KIND_ORDER.filter((k) => (totals[k] ?? 0) > 0)
      .map((k) => `${KIND_LABELS[k]} ${formatBytes(totals[k]!)}`)
      .join(', ');
    return runSentence(run.status, head, (state) =>
      `${state}, 에폭 ${last.round}/${run.total}. 테스트 정확도 ${pct(last.testAccuracy)}, 테스트 손실 ${num(last.testLoss)}. 지금까지 오간 데이터: ${sent}.`,
    );
  }

  function drawSample() {
    const s = run.state.sample;
    if (!s) return;
    const img = squareUp(s.values, s.shape.length === 2 ? [s.shape[0], s.shape[1], 1] : undefined);
    const tanh = ctx.values.act === 'tanh';
    sample.update({
      ...img,
      scale: tanh ? 'diverging' : 'magnitude',
      label: `클라이언트 ${s.client + 1}의 배치 ${s.batch + 1}, 첫 예제의 스매시드 데이터: 값 ${s.values.length}개`,
    });
    setText(sampleNote, `에폭 ${s.epoch} · 클라이언트 ${s.client + 1}의 배치 ${s.batch + 1}, 첫 예제가 분할 지점에서 된 값 ${s.values.length}개(${img.rows}×${img.cols}로 배치, 진할수록 ${tanh ? '절댓값이' : '값이'} 큼). 서버가 이 예제에 대해 받는 것은 이것뿐입니다.`);
  }

  let lastNetStatus = 0;
  function setNetStatus(text: string, force = false) {
    // Per-batch text would change hundreds of times a second; a few times a second is readable.
    const now = performance.now();
    if (!force && now - lastNetStatus < 200) return;
    lastNetStatus = now;
    setText(netStatus, text);
  }

  function onEvent(e: EngineEvent) {
    const s = run.state;
    switch (e.type) {
      case 'run-started': {
        const Nc = e.clientParameters ?? 0;
        const share = e.parameters > 0 ? ` (η_c ≈ ${(Nc / e.parameters).toFixed(2)})` : '';
        const q2 = e.headCutWidth ? `, 두 번째 분할 지점 q₂ = ${e.headCutWidth}` : '';
        run.ui.parameters(`모델 매개변수 ${count(e.parameters)}개 · 클라이언트 쪽 ${count(Nc)}개${share} · 분할 지점의 너비 q = ${e.cutWidth ?? 0}${q2}`);
        const K = e.config.clients;
        bytesNote.textContent =
          e.config.variant === 'vertical'
            ? '공식: 에폭마다 모든 예제에 대해 클라이언트마다 스매시드 데이터와 기울기를 주고받고, 레이블은 클라이언트 1이 보냅니다(src/engine/comm.ts).'
            : `공식: 스매시드 데이터와 기울기가 예제마다 q개씩(p·q·4바이트)${e.config.variant === 'ushaped' ? ', 두 번째 분할 지점에서 q₂개씩 더' : ', 레이블이 예제마다 하나'}${K > 1 ? `, 인계가 에폭마다 ${K}번(클라이언트 쪽 매개변수 × 4바이트${e.config.handoff === 'server' ? ' × 2: 서버를 거치면 두 번 보냄' : ''})` : ''}. 에폭이 끝나면 엔진이 센 바이트와 비교합니다.`;
        network.setActive(null);
        drawCharts();
        setNetStatus('학습을 시작합니다.', true);
        break;
      }
      case 'round-started':
        break;
      case 'smashed-sent': {
        const second = e.from === 'server';
        network.packet('smashed', second ? 2 : 1, !second, e.client);
        if (!second) {
          network.setActive(s.start?.config.variant === 'vertical' ? null : e.client);
          sampleRedraw.schedule();
          const who = s.start?.config.variant === 'vertical' ? '모든 클라이언트' : `클라이언트 ${e.client + 1} 차례`;
          setNetStatus(`에폭 ${e.round} · ${who} · 배치 ${e.batch + 1}: 스매시드 데이터 ${formatBytes(e.bytes)} (${e.shape.join('×')})가 서버로 갑니다.`);
        }
        break;
      }
      case 'gradient-returned': {
        const second = e.from !== undefined && e.from !== 'server';
        network.packet('gradient', second ? 2 : 1, second, e.client);
        break;
      }
      case 'message-sent':
        if (e.kind === 'labels') network.packet('labels', 1, true, typeof e.from === 'number' ? e.from : 0);
        break;
      case 'client-handoff':
        network.handoff(e.from, e.to, e.via);
        setNetStatus(
          `에폭 ${e.round}: 클라이언트 ${e.from + 1}이(가) 클라이언트 쪽 모델을 ${e.via === 'server' ? '서버를 거쳐 ' : ''}클라이언트 ${e.to + 1}에게 넘깁니다 (${formatBytes(e.bytes)}).`,
          true,
        );
        break;
      case 'round-metrics':
        drawCharts();
        break;
      default:
        return;
    }
    // Every event above changes the bytes of the epoch under way (or starts a new one).
    drawBytes();
  }

  showNetwork();
  network.setDuration(FLIGHT[ctx.values.speed]);
  run.start(false);

  return run.controller({
    update(values, changed) {
      if (changed.includes('speed')) network.setDuration(FLIGHT[values.speed]);
      if (changed.includes('compare')) drawCharts();
      if (changed.every((k) => (params[k] as { view?: boolean }).view)) return 'skip';
      // A correction sets a value, which comes back here with the combination fixed.
      if (applyFixes()) return 'skip';
      showNetwork();
    },
    destroy: () => sampleRedraw.cancel(),
    inspect: () => {
      const { rows, totals, formula, seen } = run.state;
      // previous: the previous run's test accuracies, when one is kept for comparison.
      return { ...run.inspectBase(), rows, totals, formula, seen, previous: previous?.rows.map((r) => r.testAccuracy) ?? null, cut: ctx.values.cut };
    },
  });
}
