/**
 * The federated playground, mounted when it nears the viewport. The engine computes one round at
 * a time in the worker (the run is held between rounds and let go one round ahead of the
 * picture); the page replays each round's events as four phases — send, train, return, average —
 * at the chosen speed. No learning happens here: every number and picture comes from an event.
 */
import type { DataSummary, EngineEvent, RoundMetrics, RunConfig } from '~/engine/types';
import type { WidgetContext, WidgetController } from '~/runtime/widget';
import type { BackendInfo } from '~/runtime/protocol';
import { TrainingHost } from '~/runtime/host';
import { downloadCsv, downloadJson, stamp } from '~/runtime/export';
import { prefersReducedMotion } from '~/runtime/lazy';
import { create as createBoundary, type BoundaryRenderer } from '../renderers/boundary';
import { create as createLineChart } from '../renderers/line-chart';
import { create as createBandChart } from '../renderers/band-chart';
import { create as createDiagram, type Phase } from '../renderers/fed-diagram';
import { create as createLabelBars, type LabelBarsRenderer } from '../renderers/label-bars';
import { SERIES_COLORS } from '../renderers/colors';
import { RoundPlayer, playerTransport } from '../renderers/round-player';
import { DATA_URL, choiceLabel, exportView, formatBytes, num, pct, statusUi, type Status } from '../renderers/fed-common';
import { PHASE_MS, VIEW_ONLY, params, type FedParams, type FedValues } from './params';
import { BOUNDARY_GRID, isImages, toRunConfig } from './config';
import { transportAction } from '../controls/transport';

/** A client's part of one round, from its client-trained (and boundary) events. */
interface ClientResult {
  n: number;
  loss: number;
  accuracy: number;
  boundary?: { grid: number; classes: number; probs: Float32Array };
}

/** Everything one round reported, gathered until its round-metrics closes it. */
interface RoundRecord {
  round: number;
  selected: number[];
  clients: Map<number, ClientResult>;
  coefficients: number[];
  global: { grid: number; classes: number; probs: Float32Array } | null;
  metrics: RoundMetrics | null;
  /** Bytes of one model copy (from the first weights-down message). */
  modelBytes: number;
}

const PHASES: Exclude<Phase, 'idle'>[] = ['broadcast', 'train', 'upload', 'aggregate'];

/** What tests read (also handy in the console). */
export interface FedInspection {
  runId: number;
  status: Status;
  config: RunConfig | null;
  /** Rounds fully shown (their aggregate phase reached), with the per-round figures drawn. */
  shown: { round: number; selected: number[]; testAccuracy: number; clientAccuracy: [number, number] | null; coefficients: number[] }[];
  /** Rounds computed but not yet shown. */
  queued: number;
  phase: string;
  backend: BackendInfo | null;
  parameters: number;
  histograms: number[][];
}

export function mount(ctx: WidgetContext<FedParams>): WidgetController<FedParams> & { inspect(): FedInspection } {
  const root = ctx.root;
  const q = <E extends Element = HTMLElement>(sel: string) => root.querySelector<E & Element>(sel);
  const ui = statusUi(root);
  const views = {
    diagram: q('[data-view="diagram"]')!,
    global: q('[data-view="global"]')!,
    clients: q('[data-view="clients"]')!,
    accuracy: q('[data-view="accuracy"]')!,
    loss: q('[data-view="loss"]')!,
    bytes: q('[data-view="bytes"]')!,
  };
  const globalNote = q('[data-global-note]');
  const bytesNote = q('[data-bytes-note]');
  const phaseSteps = [...root.querySelectorAll<HTMLElement>('[data-phase-step]')];
  const phaseNoteLine = q('[data-phase-note]');

  const diagram = createDiagram(views.diagram, { label: '서버와 클라이언트 사이에 모델이 오가는 한 라운드의 도식' });
  const accuracy = createBandChart(views.accuracy, {
    label: '라운드별 글로벌 모델의 테스트 정확도와 클라이언트 로컬 정확도의 범위',
    xLabel: '라운드',
    yLabel: '정확도',
    yDomain: [0, 1],
    yPercent: true,
    lines: [
      { key: 'global', label: '글로벌', color: SERIES_COLORS.train },
      { key: 'local', label: '로컬 평균', color: SERIES_COLORS.test, dashed: true },
    ],
    bands: [{ key: 'local', label: '로컬 범위', color: SERIES_COLORS.test }],
  });
  const loss = createLineChart(views.loss, {
    label: '라운드별 손실',
    xLabel: '라운드',
    yLabel: '손실',
    series: [
      { key: 'test', label: '글로벌 (테스트)', color: SERIES_COLORS.train },
      { key: 'train', label: '로컬 학습', color: SERIES_COLORS.test, dashed: true },
    ],
  });
  const bytes = createLineChart(views.bytes, {
    label: '라운드별 누적 통신량',
    xLabel: '라운드',
    yLabel: 'kB',
    series: [{ key: 'total', label: '보낸 양 + 받은 양', color: '#6a3d9a' }],
  });

  // Per-run state.
  let status: Status = 'loading';
  /** The reader's intent; the animation also holds while the widget is off screen. */
  let playing = true;
  let config: RunConfig | null = null;
  let data: DataSummary | null = null;
  let parameters = 0;
  let backend: BackendInfo | null = null;
  let building: RoundRecord | null = null;
  /** Rounds drawn in their end state (or skipped over), in order: what the charts show. */
  const history: RoundRecord[] = [];
  let boundaries: BoundaryRenderer[] = [];
  let labelBars: LabelBarsRenderer[] = [];
  let globalBoundary: BoundaryRenderer | null = null;
  let clientCards: HTMLElement[] = [];

  const host = new TrainingHost({
    onEvent: (e) => onEvent(e),
    onBackend: (info) => {
      backend = info;
      ui.backend(info);
    },
    onError: (message) => {
      setStatus('error');
      ui.alert(message);
    },
  });
  host.setPace(0);

  const player = new RoundPlayer<RoundRecord>({
    phases: PHASES.length,
    phaseMs: () => phaseMs(),
    active: () => active(),
    request: () => host.step(),
    show: (rec, phase, duration) => show(rec, phase, duration),
    onSkip: (rec) => record(rec),
    onDone: () => {
      setStatus('finished');
      ctx.announce(summary(), true);
    },
  });

  const phaseMs = () => (prefersReducedMotion() && PHASE_MS[ctx.values.speed] > 0 ? Math.max(PHASE_MS[ctx.values.speed], 600) : PHASE_MS[ctx.values.speed]);
  const animated = () => PHASE_MS[ctx.values.speed] > 0;
  const active = () => playing && ctx.visible;

  function setStatus(s: Status) {
    status = s;
    ui.status(s, playing);
  }

  function onEvent(e: EngineEvent) {
    switch (e.type) {
      case 'run-started':
        onRunStarted(e);
        return;
      case 'round-started':
        building = { round: e.round, selected: e.selected, clients: new Map(), coefficients: [], global: null, metrics: null, modelBytes: 0 };
        return;
      case 'message-sent':
        if (building && e.kind === 'weights-down' && !building.modelBytes) building.modelBytes = e.bytes;
        return;
      case 'client-trained':
        building?.clients.set(e.client, { n: e.n, loss: e.loss, accuracy: e.accuracy });
        return;
      case 'boundary':
        if (!building) return;
        if (e.owner === 'global') building.global = { grid: e.grid, classes: e.classes, probs: e.probs };
        else {
          const c = building.clients.get(e.owner);
          if (c) c.boundary = { grid: e.grid, classes: e.classes, probs: e.probs };
        }
        return;
      case 'models-averaged':
        if (building) building.coefficients = e.coefficients;
        return;
      case 'round-metrics': {
        if (!building) return;
        building.metrics = e.metrics;
        const rec = building;
        building = null;
        const last = !!config && e.metrics.round >= config.rounds;
        // Nothing more to hold the run for: let it finish and free its tensors.
        if (last) host.resume();
        player.push(rec, last);
        return;
      }
      case 'run-diverged':
        player.stop();
        // What was computed before the blow-up is shown at once; then the message.
        player.flush();
        setStatus('diverged');
        ui.alert(`${e.message} 설정을 바꾸거나 ‘다시 학습’을 누르면 새로 시작합니다.`);
        ctx.announce(summary(), true);
        return;
      default:
        return;
    }
  }

  function onRunStarted(e: Extract<EngineEvent, { type: 'run-started' }>) {
    config = e.config;
    data = e.data;
    parameters = e.parameters;
    root.dataset.runId = String(host.runId);
    ui.parameters(`모델 매개변수 ${parameters.toLocaleString('ko-KR')}개 · 모델 한 벌 ${formatBytes(parameters * 4)} (float32)`);
    buildPanels();
    const sizes = e.data.histograms.map((h) => h.reduce((a, b) => a + b, 0));
    diagram.update({ clients: e.config.clients, sizes });
    const idle = '라운드를 시작하면 서버가 참여할 클라이언트를 무작위로 뽑습니다.';
    diagram.update({ phase: { round: 0, phase: 'idle', selected: [], duration: 0, note: idle } });
    if (phaseNoteLine) phaseNoteLine.textContent = idle;
    markPhase(-1);
    const m = Math.max(Math.floor(e.config.fraction * e.config.clients + 1e-9), 1);
    if (bytesNote) {
      bytesNote.textContent = `한 라운드에 모델 한 벌(${formatBytes(parameters * 4)})이 참여 클라이언트 ${m}명에게 내려가고 ${m}개가 올라옵니다: 라운드마다 ${formatBytes(2 * m * parameters * 4)}.`;
    }
    drawCharts();
    ui.progress(0, e.config.rounds, `라운드 0 / ${e.config.rounds}`);
    setStatus(active() ? 'running' : 'paused');
    ctx.announce(summary());
    player.start();
  }

  /** Client cards (label bars and local model) and the global panel for a new run. */
  function buildPanels() {
    for (const b of boundaries) b.destroy();
    for (const l of labelBars) l.destroy();
    globalBoundary?.destroy();
    boundaries = [];
    labelBars = [];
    globalBoundary = null;
    clientCards = [];
    views.clients.replaceChildren();
    views.global.replaceChildren();
    if (!data || !config) return;
    const d = data;
    const images = !d.points;
    const hist = d.histograms;
    const max = Math.max(1, ...hist.flat());
    for (let k = 0; k < hist.length; k++) {
      const card = document.createElement('div');
      card.className = 'fw-client';
      card.dataset.client = String(k);
      const n = hist[k].reduce((a, b) => a + b, 0);
      const head = document.createElement('div');
      head.className = 'fw-client__head';
      head.innerHTML = `<span>${k + 1}</span><span class="fw-client__n">n=${n}</span>`;
      const bars = document.createElement('div');
      bars.className = 'fw-client__bars';
      const model = document.createElement('div');
      model.className = 'fw-client__model';
      const stat = document.createElement('p');
      stat.className = 'fw-client__stat';
      stat.textContent = '아직 학습 전';
      card.append(head, bars);
      if (images) {
        // Ten bars without axis labels do not say which digits; name the ones the client has.
        const held = hist[k].map((c, cls) => [c, cls]).filter(([c]) => c >= Math.max(1, 0.1 * n)).map(([, cls]) => cls);
        const classes = document.createElement('p');
        classes.className = 'fw-client__stat fw-client__classes';
        classes.textContent = held.length >= 10 ? '숫자 0–9 모두' : `숫자 ${held.join('·')}`;
        card.append(classes);
      }
      card.append(model, stat);
      views.clients.append(card);
      clientCards.push(card);
      const lb = createLabelBars(bars, { label: `클라이언트 ${k + 1}의 레이블 분포`, classColors: !images });
      lb.update({ counts: hist[k], max });
      labelBars.push(lb);
      if (!images && d.points && d.extent) {
        const b = createBoundary(model, { label: `클라이언트 ${k + 1}의 데이터와 로컬 모델의 결정 경계`, size: 120 });
        b.update({ extent: d.extent, train: pointsOf(d, k), boundary: null });
        boundaries.push(b);
      } else {
        const meter = document.createElement('div');
        meter.className = 'fw-client__meter';
        meter.setAttribute('aria-hidden', 'true');
        meter.append(document.createElement('span'));
        meter.firstElementChild!.setAttribute('style', 'width:0%');
        model.append(meter);
      }
    }
    if (!images && d.points && d.extent) {
      globalBoundary = createBoundary(views.global, { label: '전체 데이터와 글로벌 모델의 결정 경계' });
      globalBoundary.update({ extent: d.extent, train: { xy: d.points.xy, labels: d.points.labels }, boundary: null });
      if (globalNote) globalNote.textContent = '점은 모든 클라이언트의 데이터를 함께 그린 것입니다(서버는 이 점들을 보지 못합니다). 배경색은 글로벌 모델의 결정 경계입니다.';
    } else {
      const big = document.createElement('div');
      big.className = 'fw-big';
      big.innerHTML = '<span class="fw-big__value" data-global-accuracy>—</span><span class="fw-big__label">글로벌 모델의 테스트 정확도</span>';
      views.global.append(big);
      if (globalNote) globalNote.textContent = `테스트 이미지 ${d.testSize}장으로 잰 정확도입니다. 서버는 학습 이미지를 한 장도 보지 못합니다.`;
    }
  }

  function pointsOf(d: DataSummary, k: number) {
    const p = d.points!;
    let count = 0;
    for (let i = 0; i < p.client.length; i++) if (p.client[i] === k) count++;
    const xy = new Float32Array(2 * count);
    const labels = new Int32Array(count);
    let j = 0;
    for (let i = 0; i < p.client.length; i++) {
      if (p.client[i] !== k) continue;
      xy[2 * j] = p.xy[2 * i];
      xy[2 * j + 1] = p.xy[2 * i + 1];
      labels[j++] = p.labels[i];
    }
    return { xy, labels };
  }

  /** Draws `rec` at `phase` (the player decides when). */
  function show(rec: RoundRecord, phase: number, duration: number) {
    const name = PHASES[phase];
    root.dataset.phase = name;
    markPhase(phase);
    const note = phaseNote(rec, name);
    diagram.update({ phase: { round: rec.round, phase: name, selected: rec.selected, duration, note, modelBytes: rec.modelBytes } });
    if (phaseNoteLine) phaseNoteLine.textContent = `${phase + 1}단계 · ${note}`;
    drawClients(rec, phase);
    if (phase === PHASES.length - 1) completeRound(rec);
  }

  function phaseNote(rec: RoundRecord, name: Exclude<Phase, 'idle'>): string {
    const m = rec.selected.length;
    const who = rec.selected.map((k) => k + 1).join(', ');
    switch (name) {
      case 'broadcast':
        return `라운드 ${rec.round}: 클라이언트 ${who}에게 글로벌 모델을 보냅니다 (${formatBytes(rec.modelBytes)} × ${m}).`;
      case 'train':
        return config?.algorithm === 'fedsgd'
          ? '각 클라이언트가 자기 데이터 전체로 기울기를 한 번 계산합니다.'
          : `각 클라이언트가 자기 데이터로 ${config?.localEpochs ?? ''} 에폭 학습합니다.`;
      case 'upload':
        return config?.algorithm === 'fedsgd' ? '기울기를 서버로 보냅니다. 원본 데이터는 그대로 있습니다.' : '학습한 로컬 모델을 서버로 보냅니다. 원본 데이터는 그대로 있습니다.';
      case 'aggregate': {
        const c = rec.coefficients.map((x) => x.toFixed(2)).join(', ');
        return config?.algorithm === 'fedsgd' ? `가중 평균한 기울기로 한 걸음 갑니다 (가중치 ${c}).` : `가중치 ${c}로 평균해 새 글로벌 모델을 만듭니다.`;
      }
    }
  }

  function markPhase(i: number) {
    phaseSteps.forEach((li, j) => {
      if (j === i) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
    });
  }

  /** Client cards for a phase: who takes part, and once training is over, what they learned. */
  function drawClients(rec: RoundRecord, phase: number) {
    const sel = new Set(rec.selected);
    const trained = phase >= 2;
    clientCards.forEach((card, k) => {
      card.classList.toggle('is-selected', sel.has(k));
      card.classList.toggle('is-idle', !sel.has(k));
      const stat = card.querySelector('.fw-client__stat:not(.fw-client__classes)')!;
      const r = rec.clients.get(k);
      if (!sel.has(k)) {
        if (!card.dataset.trained) stat.textContent = '이번 라운드 쉼';
        else stat.textContent = `쉼 · 지난 로컬 ${pct(Number(card.dataset.trained), 0)}`;
        return;
      }
      if (!trained || !r) {
        stat.textContent = phase === 0 ? '모델 받는 중' : config?.algorithm === 'fedsgd' ? '기울기 계산 중' : '로컬 학습 중';
        return;
      }
      card.dataset.trained = String(r.accuracy);
      stat.textContent = config?.algorithm === 'fedsgd' ? `w_t 정확도 ${pct(r.accuracy, 0)}` : `로컬 정확도 ${pct(r.accuracy, 0)}`;
      const b = boundaries[k];
      if (b && r.boundary) b.update({ boundary: r.boundary });
      const bar = card.querySelector<HTMLElement>('.fw-client__meter > span');
      if (bar) bar.style.width = `${Math.round(r.accuracy * 100)}%`;
    });
  }

  function record(rec: RoundRecord) {
    if (!history.includes(rec)) history.push(rec);
  }

  /** The aggregate phase: the new global model, the charts and the summary. */
  function completeRound(rec: RoundRecord) {
    record(rec);
    const total = config?.rounds ?? ctx.values.rounds;
    if (rec.global && globalBoundary) globalBoundary.update({ boundary: rec.global });
    const big = views.global.querySelector('[data-global-accuracy]');
    if (big && rec.metrics) big.textContent = pct(rec.metrics.testAccuracy);
    drawCharts();
    ui.progress(rec.round, total, `라운드 ${rec.round} / ${total}`);
    root.dataset.round = String(rec.round);
    ctx.announce(summary());
  }

  /** The pending staggered chart redraw (see drawCharts). */
  let chartFrame = 0;

  function drawCharts() {
    const lines: { x: number; y: number; series: string }[] = [];
    const bands: { x: number; lo: number; hi: number; band: string }[] = [];
    const lossPts: { x: number; y: number; series: string }[] = [];
    const bytePts: { x: number; y: number; series: string }[] = [{ x: 0, y: 0, series: 'total' }];
    let cum = 0;
    for (const r of history) {
      const m = r.metrics!;
      lines.push({ x: r.round, y: m.testAccuracy, series: 'global' });
      const accs = [...r.clients.values()].filter((c) => c.n > 0).map((c) => c.accuracy);
      if (accs.length) {
        bands.push({ x: r.round, lo: Math.min(...accs), hi: Math.max(...accs), band: 'local' });
        if (m.trainAccuracy !== undefined) lines.push({ x: r.round, y: m.trainAccuracy, series: 'local' });
      }
      lossPts.push({ x: r.round, y: m.testLoss, series: 'test' }, { x: r.round, y: m.trainLoss, series: 'train' });
      cum += m.bytesUp + m.bytesDown;
      bytePts.push({ x: r.round, y: cum / 1000, series: 'total' });
    }
    const xMax = config?.rounds ?? ctx.values.rounds;
    // Each chart redraws in an animation frame of its own; three Plot redraws in one frame made
    // the longest main-thread task of the chapter, so the later two wait one and two frames more.
    cancelAnimationFrame(chartFrame);
    accuracy.update({ lines, bands, xMax });
    chartFrame = requestAnimationFrame(() => {
      loss.update({ points: lossPts, xMax });
      chartFrame = requestAnimationFrame(() => bytes.update({ points: bytePts, xMax }));
    });
  }

  function clientSpread(r: RoundRecord): [number, number] | null {
    const accs = [...r.clients.values()].filter((c) => c.n > 0).map((c) => c.accuracy);
    return accs.length ? [Math.min(...accs), Math.max(...accs)] : null;
  }

  function summary(): string {
    const v = ctx.values;
    const head = `${choiceLabel(params.data, v.data)}, 클라이언트 ${v.clients}명, ${choiceLabel(params.partition, v.partition)}, ${choiceLabel(params.algo, v.algo)}`;
    if (status === 'diverged') return `${head}: 학습이 발산해 멈췄습니다.`;
    const last = history[history.length - 1];
    if (!last?.metrics) return `${head}: 학습을 준비하고 있습니다.`;
    const total = config?.rounds ?? v.rounds;
    const state = status === 'finished' ? '학습을 마쳤습니다' : status === 'paused' ? '일시정지' : '학습 중';
    const spread = clientSpread(last);
    const cum = history.reduce((s, r) => s + r.metrics!.bytesUp + r.metrics!.bytesDown, 0);
    const who = last.selected.map((k) => k + 1).join(', ');
    return (
      `${head}: ${state}, 라운드 ${last.round}/${total}. 참여 클라이언트 ${who}. ` +
      `글로벌 모델 테스트 정확도 ${pct(last.metrics.testAccuracy)}, 테스트 손실 ${num(last.metrics.testLoss)}` +
      (spread ? `, 로컬 정확도 ${pct(spread[0], 0)}–${pct(spread[1], 0)}` : '') +
      `. 누적 통신량 ${formatBytes(cum)}.`
    );
  }

  // A loss ten times that of guessing is a run that has blown up (see WireRunOptions).
  const wireOptions = () => ({
    boundaryGrid: isImages(ctx.values.data) ? 0 : BOUNDARY_GRID,
    clientBoundaries: !isImages(ctx.values.data),
    divergeFactor: 10,
    dataUrl: DATA_URL,
  });

  function resetRunState() {
    player.reset();
    building = null;
    history.length = 0;
    delete root.dataset.round;
    delete root.dataset.phase;
    ui.alert(null);
  }

  /** A new run of the current settings: at once, or after the debounce (settings changes). */
  function newRun(debounced: boolean) {
    resetRunState();
    setStatus('loading');
    // Always started held: the player asks the worker for each round when it needs it.
    if (debounced) host.restart(() => toRunConfig(ctx.values), wireOptions(), { paused: () => true });
    else host.start(toRunConfig(ctx.values), wireOptions(), { paused: true });
  }

  newRun(false);

  const transport = playerTransport(
    player,
    {
      status: () => status,
      playing: () => playing,
      setPlaying: (on) => (playing = on),
      setStatus,
      fresh: () => newRun(false),
    },
    true,
  );

  return {
    update(_values: FedValues, changed) {
      if (changed.includes('speed') && !animated()) {
        // From phases to whole rounds: show what is computed, then go on round by round.
        player.flush();
        player.resume();
      }
      if (changed.every((k) => VIEW_ONLY.includes(k))) return;
      playing = true;
      newRun(true);
    },
    action(name, trigger) {
      if (transportAction(name, transport)) return;
      switch (name) {
        case 'export-csv':
          downloadCsv(
            history.map((r) => {
              const s = clientSpread(r);
              return {
                round: r.round,
                selected_clients: r.selected.map((k) => k + 1).join(' '),
                coefficients: r.coefficients.map((c) => c.toFixed(6)).join(' '),
                test_accuracy: r.metrics!.testAccuracy,
                test_loss: r.metrics!.testLoss,
                local_train_loss: r.metrics!.trainLoss,
                local_accuracy_min: s ? s[0] : undefined,
                local_accuracy_max: s ? s[1] : undefined,
                bytes_up: r.metrics!.bytesUp,
                bytes_down: r.metrics!.bytesDown,
              };
            }),
            ['round', 'selected_clients', 'coefficients', 'test_accuracy', 'test_loss', 'local_train_loss', 'local_accuracy_min', 'local_accuracy_max', 'bytes_up', 'bytes_down'],
            `fed-metrics-${stamp()}.csv`,
          );
          return;
        case 'export-json':
          downloadJson(
            { widget: 'fed-playground', settings: ctx.values, config: config ?? toRunConfig(ctx.values), parameters, backend, histograms: data?.histograms ?? null },
            `fed-config-${stamp()}.json`,
          );
          return;
        case 'export-png':
        case 'export-svg': {
          const target = trigger.dataset.target ?? 'diagram';
          const kind = name === 'export-png' ? 'png' : 'svg';
          const source =
            target === 'diagram'
              ? diagram.toSvg()
              : target === 'global'
                ? (globalBoundary?.toSvg() ?? null)
                : (target === 'accuracy' ? accuracy : target === 'loss' ? loss : bytes).svg();
          exportView(kind, `fed-${target}`, source, ctx.notify);
          return;
        }
      }
    },
    setVisible(visible) {
      if (status !== 'running' && status !== 'paused') return;
      if (visible && playing) {
        setStatus('running');
        player.resume();
      } else {
        player.hold();
        setStatus('paused');
      }
    },
    destroy() {
      cancelAnimationFrame(chartFrame);
      player.reset();
      host.dispose();
      diagram.destroy();
      accuracy.destroy();
      loss.destroy();
      bytes.destroy();
      globalBoundary?.destroy();
      for (const b of boundaries) b.destroy();
      for (const l of labelBars) l.destroy();
    },
    inspect() {
      return {
        runId: host.runId,
        status,
        config,
        shown: history.map((r) => ({
          round: r.round,
          selected: r.selected,
          testAccuracy: r.metrics!.testAccuracy,
          clientAccuracy: clientSpread(r),
          coefficients: r.coefficients,
        })),
        queued: player.queued,
        phase: player.current ? PHASES[player.current.phase] : 'idle',
        backend,
        parameters,
        histograms: data?.histograms ?? [],
      };
    },
  };
}
