/**
 * The centralized-training widget, mounted when it nears the viewport: renderers, the training
 * host, and the glue between engine events and what is drawn. No learning happens here; every
 * number shown comes from an engine event.
 */
import type { DataSummary, EngineEvent, RoundMetrics, RunConfig } from '~/engine/types';
import type { WidgetContext, WidgetController } from '~/runtime/widget';
import type { BackendInfo } from '~/runtime/protocol';
import { TrainingHost } from '~/runtime/host';
import { downloadCsv, downloadJson, downloadPng, downloadSvg, stamp, svgDocument } from '~/runtime/export';
import { create as createBoundary } from '../renderers/boundary';
import { create as createLineChart, type LinePoint } from '../renderers/line-chart';
import { create as createDataflow } from '../renderers/dataflow';
import { SERIES_COLORS } from '../renderers/colors';
import { PACE, VIEW_ONLY, params, type CentralParams, type CentralValues } from './params';
import { BOUNDARY_GRID, toRunConfig } from './config';
import { transportAction, type TransportTarget } from '../kit/transport';
import { describeBackend } from '../renderers/run-status';

type Status = 'loading' | 'running' | 'paused' | 'finished' | 'diverged' | 'error';

/** What tests and the benchmark read (also handy in the console). */
export interface CentralInspection {
  runId: number;
  status: Status;
  config: RunConfig | null;
  rows: RoundMetrics[];
  backend: BackendInfo | null;
  parameters: number;
  memory: () => Promise<{ numTensors: number; numBytes: number }>;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—');

export function mount(ctx: WidgetContext<CentralParams>): WidgetController<CentralParams> & { inspect(): CentralInspection } {
  const root = ctx.root;
  const q = <E extends Element = HTMLElement>(sel: string) => root.querySelector<E & Element>(sel);
  const views = {
    boundary: q('[data-view="boundary"]')!,
    loss: q('[data-view="loss"]')!,
    accuracy: q('[data-view="accuracy"]')!,
    dataflow: q('[data-view="dataflow"]')!,
  };
  const playButton = q<HTMLButtonElement>('[data-action="toggle-play"]');
  const progress = q<HTMLProgressElement>('[data-progress]');
  const progressText = q('[data-progress-text]');
  const backendLine = q('[data-backend]');
  const threadNotice = q('[data-thread-notice]');
  const alertBox = q('[data-alert]');
  const paramCount = q('[data-parameters]');

  const boundary = createBoundary(views.boundary, { label: '데이터 점과 모델의 결정 경계' });
  const loss = createLineChart(views.loss, {
    label: '에폭별 손실',
    xLabel: '에폭',
    yLabel: '손실',
    series: [
      { key: 'train', label: '학습', color: SERIES_COLORS.train },
      { key: 'test', label: '테스트', color: SERIES_COLORS.test, dashed: true },
    ],
  });
  const accuracy = createLineChart(views.accuracy, {
    label: '에폭별 정확도',
    xLabel: '에폭',
    yLabel: '정확도',
    yDomain: [0, 1],
    yPercent: true,
    series: [
      { key: 'train', label: '학습', color: SERIES_COLORS.train },
      { key: 'test', label: '테스트', color: SERIES_COLORS.test, dashed: true },
    ],
  });
  const dataflow = createDataflow(views.dataflow, { label: '클라이언트의 원본 데이터가 중앙 서버로 모이는 모습' });

  let status: Status = 'loading';
  /** The reader's intent; the run also holds while the widget is off screen. */
  let playing = true;
  let config: RunConfig | null = null;
  let rows: RoundMetrics[] = [];
  let data: DataSummary | null = null;
  let parameters = 0;
  let backend: BackendInfo | null = null;
  /** performance.now() of the last settings change not yet drawn (the benchmark reads marks). */
  let changeAt = 0;

  const host = new TrainingHost({
    onEvent: (e) => onEvent(e),
    onBackend: (info) => {
      backend = info;
      const d = describeBackend(info);
      if (backendLine) {
        backendLine.textContent = d.text;
        backendLine.classList.toggle('is-warning', d.warn);
      }
      root.dataset.compute = `${info.backend}:${info.thread}`;
      if (threadNotice) {
        threadNotice.hidden = info.thread !== 'main';
      }
    },
    onPaused: (p) => {
      if (status === 'running' || status === 'paused') setStatus(p ? 'paused' : 'running');
    },
    onError: (message) => {
      setStatus('error');
      showAlert(message);
    },
  });

  function setStatus(s: Status) {
    status = s;
    root.dataset.status = s;
    const showPlaying = s === 'running' || (s === 'loading' && playing);
    if (playButton) {
      playButton.dataset.playing = String(showPlaying);
      const label = playButton.querySelector('[data-label]');
      if (label) label.textContent = showPlaying ? '일시정지' : s === 'finished' || s === 'diverged' ? '다시 학습' : '재생';
    }
  }

  function showAlert(message: string | null) {
    if (!alertBox) return;
    alertBox.hidden = !message;
    alertBox.textContent = message ?? '';
  }

  function setProgress(done: number, total: number) {
    if (progress) {
      progress.max = Math.max(1, total);
      progress.value = done;
      progress.setAttribute('aria-valuetext', `에폭 ${done} / ${total}`);
    }
    if (progressText) progressText.textContent = `에폭 ${done} / ${total}`;
  }

  function drawCharts() {
    const lossPts: LinePoint[] = [];
    const accPts: LinePoint[] = [];
    for (const r of rows) {
      lossPts.push({ x: r.round, y: r.trainLoss, series: 'train' }, { x: r.round, y: r.testLoss, series: 'test' });
      if (r.trainAccuracy !== undefined) accPts.push({ x: r.round, y: r.trainAccuracy, series: 'train' });
      accPts.push({ x: r.round, y: r.testAccuracy, series: 'test' });
    }
    const xMax = config?.epochs ?? ctx.values.epochs;
    loss.update({ points: lossPts, xMax });
    accuracy.update({ points: accPts, xMax });
  }

  function summary(): string {
    const v = ctx.values;
    const dataLabel = params.data.choices.find((c) => c.value === v.data)?.label ?? v.data;
    const model = v.layers === 0 ? '은닉층 없음' : `은닉층 ${v.layers}개(층마다 뉴런 ${v.units}개)`;
    const head = `${dataLabel} 데이터, ${model}, 학습률 ${v.lr}`;
    const last = rows[rows.length - 1];
    if (status === 'diverged') return `${head}: 학습이 발산해 멈췄습니다.`;
    if (!last) return `${head}: 학습을 준비하고 있습니다.`;
    const total = config?.epochs ?? v.epochs;
    const train = last.trainAccuracy !== undefined ? `, 학습 정확도 ${pct(last.trainAccuracy)}` : '';
    const state = status === 'finished' ? '학습을 마쳤습니다' : status === 'paused' ? '일시정지' : '학습 중';
    return `${head}: ${state}, 에폭 ${last.round}/${total}. 학습 손실 ${num(last.trainLoss)}, 테스트 손실 ${num(last.testLoss)}${train}, 테스트 정확도 ${pct(last.testAccuracy)}.`;
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
      case 'run-started':
        config = e.config;
        data = e.data;
        parameters = e.parameters;
        rows = [];
        showAlert(null);
        for (const item of root.querySelectorAll<HTMLElement>('.cp__legend-item')) item.hidden = Number(item.dataset.class) >= data.numClasses;
        if (paramCount) paramCount.textContent = `모델 파라미터 ${parameters.toLocaleString('ko-KR')}개`;
        boundary.update({
          extent: data.extent,
          train: data.points ? { xy: data.points.xy, labels: data.points.labels } : null,
          test: data.testPoints ?? null,
          showTest: ctx.values.test,
          boundary: null,
        });
        if (data.points && data.extent) {
          dataflow.update({ clients: e.config.clients, points: { ...data.points, extent: data.extent }, serverStatus: '원본 데이터를 모으는 중' });
        }
        setProgress(0, e.config.epochs);
        drawCharts();
        markDrawn();
        if (status !== 'paused') setStatus(playing && ctx.visible ? 'running' : 'paused');
        root.dataset.runId = String(host.runId);
        ctx.announce(summary());
        return;
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
      case 'round-metrics': {
        rows.push(e.metrics);
        const total = config?.epochs ?? ctx.values.epochs;
        setProgress(e.metrics.round, total);
        dataflow.update({ serverStatus: `서버에서 학습 중 · 에폭 ${e.metrics.round}` });
        drawCharts();
        root.dataset.epoch = String(e.metrics.round);
        ctx.announce(summary());
        return;
      }
      case 'run-finished':
        loss.flush();
        accuracy.flush();
        setStatus('finished');
        dataflow.update({ serverStatus: `학습 완료 · 에폭 ${rows.length}` });
        ctx.announce(summary(), true);
        return;
      case 'run-diverged':
        loss.flush();
        accuracy.flush();
        setStatus('diverged');
        showAlert(`${e.message} 설정을 바꾸거나 ‘다시 학습’을 누르면 새로 시작합니다.`);
        dataflow.update({ serverStatus: '학습이 발산해 멈췄습니다' });
        ctx.announce(summary(), true);
        return;
      default:
        return;
    }
  }

  // A loss ten times that of guessing is a run that has blown up (see WireRunOptions).
  const wireOptions = { boundaryGrid: BOUNDARY_GRID, divergeFactor: 10 };
  const shouldRun = () => playing && ctx.visible;

  /** A new run of the current settings: at once, or after the debounce (settings changes). */
  function newRun(debounced: boolean) {
    changeAt = performance.now();
    showAlert(null);
    setStatus('loading');
    if (debounced) host.restart(() => toRunConfig(ctx.values), wireOptions, { paused: () => !shouldRun() });
    else host.start(toRunConfig(ctx.values), wireOptions, { paused: !shouldRun() });
  }

  function exportView(kind: 'png' | 'svg', target: string) {
    const name = `central-${target}-${stamp()}`;
    let svgText: string | null = null;
    if (target === 'boundary') svgText = boundary.toSvg();
    else if (target === 'dataflow') svgText = dataflow.toSvg();
    else {
      const chart = (target === 'loss' ? loss : accuracy).svg();
      if (chart) svgText = svgDocument(chart);
    }
    if (!svgText) return;
    if (kind === 'svg') downloadSvg(svgText, `${name}.svg`);
    else void downloadPng(svgText, `${name}.png`).catch((err) => ctx.notify(String(err instanceof Error ? err.message : err)));
  }

  host.setPace(PACE[ctx.values.speed]);
  newRun(false);

  const transport: TransportTarget = {
    status: () => status,
    playing: () => playing,
    setPlaying: (on) => (playing = on),
    setStatus,
    fresh: () => newRun(false),
    resumeOrHold: () => {
      if (shouldRun()) host.resume();
      else host.pause();
    },
    step: () => host.step(),
    noStep: ['finished', 'diverged'],
    restartPlays: false,
  };

  return {
    update(values: CentralValues, changed) {
      if (changed.includes('speed')) host.setPace(PACE[values.speed]);
      if (changed.includes('test')) boundary.update({ showTest: values.test });
      if (changed.every((k) => VIEW_ONLY.includes(k))) return;
      playing = true;
      newRun(true);
    },
    action(name, trigger) {
      if (transportAction(name, transport)) return;
      switch (name) {
        case 'export-csv':
          downloadCsv(
            rows.map((r) => ({
              epoch: r.round,
              train_loss: r.trainLoss,
              test_loss: r.testLoss,
              train_accuracy: r.trainAccuracy,
              test_accuracy: r.testAccuracy,
              bytes_up: r.bytesUp,
              bytes_down: r.bytesDown,
            })),
            ['epoch', 'train_loss', 'test_loss', 'train_accuracy', 'test_accuracy', 'bytes_up', 'bytes_down'],
            `central-metrics-${stamp()}.csv`,
          );
          return;
        case 'export-json':
          downloadJson(
            { widget: 'central-playground', settings: ctx.values, config: config ?? toRunConfig(ctx.values), parameters, backend },
            `central-config-${stamp()}.json`,
          );
          return;
        case 'export-png':
        case 'export-svg':
          exportView(name === 'export-png' ? 'png' : 'svg', trigger.dataset.target ?? 'boundary');
          return;
      }
    },
    setVisible(visible) {
      if (status !== 'running' && status !== 'paused' && status !== 'loading') return;
      if (visible && playing) host.resume();
      else host.pause();
    },
    destroy() {
      host.dispose();
      boundary.destroy();
      loss.destroy();
      accuracy.destroy();
      dataflow.destroy();
    },
    inspect() {
      return { runId: host.runId, status, config, rows: [...rows], backend, parameters, memory: () => host.memory() };
    },
  };
}
