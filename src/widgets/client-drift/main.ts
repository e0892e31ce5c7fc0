/**
 * Client drift, mounted when the widget nears the viewport. Two runs of the same federated
 * experiment train side by side in two workers — an IID split and a Dirichlet(α) label skew —
 * held in lock-step: round t is drawn when both have computed it. Each round shows every
 * client's local boundary (a line) over the global model's (the heatmap).
 *
 * Learning happens only in the engine. The page compares the models' predicted classes on the
 * boundary grid the engine sends (how much of the plane a client's model labels differently from
 * the global model): a reading of the pictures, not a training metric.
 */
import type { DataSummary, EngineEvent, RoundMetrics, RunConfig } from '~/engine/types';
import type { WidgetContext, WidgetController } from '~/runtime/widget';
import type { BackendInfo } from '~/runtime/protocol';
import { TrainingHost } from '~/runtime/host';
import { downloadCsv, downloadJson, stamp } from '~/runtime/export';
import { create as createOverlay, argmaxGrid, type BoundaryOverlayRenderer } from '../renderers/boundary-overlay';
import { create as createLineChart } from '../renderers/line-chart';
import { clientColor } from '../renderers/weight-map';
import { RoundPlayer, playerTransport } from '../renderers/round-player';
import { choiceLabel, exportView, pct, statusUi, type Status } from '../renderers/fed-common';
import { ROUND_MS, VIEW_ONLY, params, type DriftParams, type DriftValues } from './params';
import { BOUNDARY_GRID, toRunConfig, type Side } from './config';
import { transportAction } from '../controls/transport';

type Grid = { grid: number; classes: number; probs: Float32Array };

interface ClientRound {
  n: number;
  accuracy: number;
  boundary: Grid | null;
}

/** One side's round: what its run reported, and what the page read off the grids. */
interface SideRound {
  round: number;
  clients: Map<number, ClientRound>;
  global: Grid | null;
  metrics: RoundMetrics | null;
  /** Share of the plane where client k's model picks another class than the global model. */
  disagreement: Map<number, number>;
}

interface PairRound {
  round: number;
  iid: SideRound;
  skew: SideRound;
}

/** Dash patterns that, with the colours, tell the clients' lines apart. */
const DASHES = ['', '7 3', '2 3', '9 3 2 3', '4 4', '1 2', '12 4', '6 2 1 2'];

const SIDES: Side[] = ['iid', 'skew'];
const SIDE_NAME: Record<Side, string> = { iid: 'IID', skew: '레이블 불균형' };

/** What tests read. */
export interface DriftInspection {
  status: Status;
  runIds: Record<Side, number>;
  configs: Record<Side, RunConfig | null>;
  rounds: { round: number; iid: { accuracy: number; disagreement: number }; skew: { accuracy: number; disagreement: number } }[];
  histograms: Record<Side, number[][]>;
  /** Lines drawn per side on the current picture (one per client whose model has a boundary). */
  lines: Record<Side, number>;
  backend: BackendInfo | null;
}

interface SideState {
  host: TrainingHost;
  config: RunConfig | null;
  data: DataSummary | null;
  building: SideRound | null;
  ready: SideRound[];
  started: boolean;
  view: BoundaryOverlayRenderer;
  stat: HTMLElement;
  key: HTMLElement;
  title: HTMLElement;
}

export function mount(ctx: WidgetContext<DriftParams>): WidgetController<DriftParams> & { inspect(): DriftInspection } {
  const root = ctx.root;
  const q = <E extends Element = HTMLElement>(sel: string) => root.querySelector<E & Element>(sel);
  const ui = statusUi(root);
  let status: Status = 'loading';
  let playing = true;
  let backend: BackendInfo | null = null;
  const history: PairRound[] = [];

  const disagreementChart = createLineChart(q('[data-view="disagreement"]')!, {
    label: '라운드별로 로컬 결정 경계가 글로벌 결정 경계와 다른 영역의 평균 비율',
    xLabel: '라운드',
    yLabel: '다른 영역',
    yPercent: true,
    series: [
      { key: 'iid', label: 'IID', color: '#0072b2' },
      { key: 'skew', label: '레이블 불균형', color: '#d55e00', dashed: true },
    ],
  });
  const accuracyChart = createLineChart(q('[data-view="accuracy"]')!, {
    label: '라운드별 글로벌 모델의 테스트 정확도',
    xLabel: '라운드',
    yLabel: '정확도',
    yDomain: [0, 1],
    yPercent: true,
    series: [
      { key: 'iid', label: 'IID', color: '#0072b2' },
      { key: 'skew', label: '레이블 불균형', color: '#d55e00', dashed: true },
    ],
  });

  function makeSide(side: Side): SideState {
    const section = q(`[data-side="${side}"]`)!;
    const host = new TrainingHost({
      onEvent: (e) => onEvent(side, e),
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
    return {
      host,
      config: null,
      data: null,
      building: null,
      ready: [],
      started: false,
      view: createOverlay(section.querySelector<HTMLElement>(`[data-view="${side}"]`)!, {
        label: side === 'iid' ? 'IID 분할: 글로벌 모델의 결정 경계와 클라이언트들의 로컬 결정 경계' : '레이블 불균형 분할: 글로벌 모델의 결정 경계와 클라이언트들의 로컬 결정 경계',
      }),
      stat: section.querySelector<HTMLElement>('[data-side-stat]')!,
      key: section.querySelector<HTMLElement>('[data-client-key]')!,
      title: section.querySelector<HTMLElement>('[data-side-title]')!,
    };
  }
  const sides: Record<Side, SideState> = { iid: makeSide('iid'), skew: makeSide('skew') };

  const active = () => playing && ctx.visible;
  const player = new RoundPlayer<PairRound>({
    phases: 1,
    phaseMs: () => ROUND_MS[ctx.values.speed],
    active,
    request: () => {
      for (const s of SIDES) sides[s].host.step();
    },
    show: (pair) => show(pair),
    onSkip: (pair) => record(pair),
    onDone: () => {
      setStatus('finished');
      ctx.announce(summary(), true);
    },
  });

  function setStatus(s: Status) {
    status = s;
    ui.status(s, playing);
  }

  function onEvent(side: Side, e: EngineEvent) {
    const st = sides[side];
    switch (e.type) {
      case 'run-started':
        st.config = e.config;
        st.data = e.data;
        st.started = true;
        root.dataset[side === 'iid' ? 'runIid' : 'runSkew'] = String(st.host.runId);
        if (e.data.points && e.data.extent) {
          st.view.update({ extent: e.data.extent, train: { xy: e.data.points.xy, labels: e.data.points.labels }, boundary: null, overlays: [] });
        }
        drawKey(side, null);
        if (SIDES.every((s) => sides[s].started)) {
          ui.parameters(`두 실험 모두 클라이언트 ${e.config.clients}명 전원이 매 라운드 참여, 로컬 배치 10, 모델 매개변수 ${e.parameters}개`);
          ui.progress(0, e.config.rounds, `라운드 0 / ${e.config.rounds}`);
          setStatus(active() ? 'running' : 'paused');
          ctx.announce(summary());
          player.start();
        }
        return;
      case 'round-started':
        st.building = { round: e.round, clients: new Map(), global: null, metrics: null, disagreement: new Map() };
        return;
      case 'client-trained':
        st.building?.clients.set(e.client, { n: e.n, accuracy: e.accuracy, boundary: null });
        return;
      case 'boundary': {
        const b = st.building;
        if (!b) return;
        const grid = { grid: e.grid, classes: e.classes, probs: e.probs };
        if (e.owner === 'global') b.global = grid;
        else {
          const c = b.clients.get(e.owner);
          if (c) c.boundary = grid;
        }
        return;
      }
      case 'round-metrics': {
        const b = st.building;
        if (!b) return;
        b.metrics = e.metrics;
        st.building = null;
        measure(b);
        st.ready.push(b);
        pair();
        return;
      }
      case 'run-diverged':
        player.stop();
        player.flush();
        setStatus('diverged');
        ui.alert(`${SIDE_NAME[side]} 쪽: ${e.message} 설정을 바꾸거나 ‘다시 학습’을 누르면 새로 시작합니다.`);
        ctx.announce(summary(), true);
        return;
      default:
        return;
    }
  }

  /** How much of the plane each client's model labels differently from the global model. */
  function measure(b: SideRound) {
    if (!b.global) return;
    const g = argmaxGrid(b.global.probs, b.global.classes);
    for (const [k, c] of b.clients) {
      if (!c.boundary) continue;
      const l = argmaxGrid(c.boundary.probs, c.boundary.classes);
      let diff = 0;
      for (let i = 0; i < g.length; i++) if (g[i] !== l[i]) diff++;
      b.disagreement.set(k, diff / g.length);
    }
  }

  /** Hands a round to the player once both runs have it. */
  function pair() {
    while (sides.iid.ready.length && sides.skew.ready.length) {
      const iid = sides.iid.ready.shift()!;
      const skew = sides.skew.ready.shift()!;
      const total = sides.iid.config?.rounds ?? ctx.values.rounds;
      const last = iid.round >= total;
      if (last) for (const s of SIDES) sides[s].host.resume();
      player.push({ round: iid.round, iid, skew }, last);
    }
  }

  const meanDisagreement = (b: SideRound) => {
    const xs = [...b.disagreement.values()];
    return xs.length ? xs.reduce((a, x) => a + x, 0) / xs.length : NaN;
  };

  function record(p: PairRound) {
    if (!history.includes(p)) history.push(p);
  }

  function show(p: PairRound) {
    record(p);
    for (const side of SIDES) {
      const st = sides[side];
      const b = p[side];
      const overlays = [...b.clients.entries()]
        .filter(([, c]) => c.boundary)
        .sort(([a], [b2]) => a - b2)
        .map(([k, c]) => ({ key: String(k), color: clientColor(k), dash: DASHES[k % DASHES.length], ...c.boundary! }));
      st.view.update({ boundary: b.global, overlays });
      st.stat.textContent = `글로벌 테스트 정확도 ${pct(b.metrics?.testAccuracy ?? NaN)} · 로컬과 다른 영역 평균 ${pct(meanDisagreement(b), 0)}`;
      drawKey(side, b);
    }
    drawCharts();
    const total = sides.iid.config?.rounds ?? ctx.values.rounds;
    ui.progress(p.round, total, `라운드 ${p.round} / ${total}`);
    root.dataset.round = String(p.round);
    ctx.announce(summary());
  }

  /** The list under a picture: each client's line, data and disagreement. */
  function drawKey(side: Side, b: SideRound | null) {
    const st = sides[side];
    const hist = st.data?.histograms ?? [];
    const items = hist.map((h, k) => {
      const li = document.createElement('li');
      li.dataset.client = String(k);
      const n = h.reduce((a, x) => a + x, 0);
      const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      svg.setAttribute('class', 'fw__line-key');
      svg.setAttribute('viewBox', '0 0 32 12');
      svg.setAttribute('aria-hidden', 'true');
      const line = document.createElementNS('http://www.w3.org/2000/svg', 'line');
      line.setAttribute('x1', '1');
      line.setAttribute('x2', '31');
      line.setAttribute('y1', '6');
      line.setAttribute('y2', '6');
      line.setAttribute('stroke', clientColor(k));
      line.setAttribute('stroke-width', '2.5');
      if (DASHES[k % DASHES.length]) line.setAttribute('stroke-dasharray', DASHES[k % DASHES.length]);
      svg.append(line);
      const major = h.map((c, cls) => [c, cls]).filter(([c]) => c >= Math.max(1, 0.15 * n)).map(([, cls]) => cls);
      let text = `클라이언트 ${k + 1} · n=${n} · 주로 클래스 ${major.join(', ')}`;
      const c = b?.clients.get(k);
      if (b && c?.boundary) {
        const only = onlyClass(c.boundary);
        text += only !== null ? ` · 어디서나 클래스 ${only}로 예측` : ` · 글로벌과 다른 영역 ${pct(b.disagreement.get(k) ?? NaN, 0)}`;
      }
      li.append(svg, text);
      return li;
    });
    st.key.replaceChildren(...items);
    st.title.textContent = side === 'iid' ? 'IID 분할' : `레이블 불균형: 디리클레 α = ${ctx.values.alpha}`;
  }

  /** The class a model predicts everywhere on the grid, or null when it has a boundary. */
  function onlyClass(g: Grid): number | null {
    const a = argmaxGrid(g.probs, g.classes);
    for (let i = 1; i < a.length; i++) if (a[i] !== a[0]) return null;
    return a[0];
  }

  function drawCharts() {
    const dis: { x: number; y: number; series: string }[] = [];
    const acc: { x: number; y: number; series: string }[] = [];
    for (const p of history) {
      for (const side of SIDES) {
        dis.push({ x: p.round, y: meanDisagreement(p[side]), series: side });
        acc.push({ x: p.round, y: p[side].metrics?.testAccuracy ?? NaN, series: side });
      }
    }
    const xMax = sides.iid.config?.rounds ?? ctx.values.rounds;
    disagreementChart.update({ points: dis, xMax });
    accuracyChart.update({ points: acc, xMax });
  }

  function summary(): string {
    const v = ctx.values;
    const head = `${choiceLabel(params.data, v.data)}, 클라이언트 ${v.clients}명, 로컬 에폭 ${v.epochs}, ${v.mu > 0 ? `FedProx μ = ${v.mu}` : 'FedAvg'}`;
    if (status === 'diverged') return `${head}: 학습이 발산해 멈췄습니다.`;
    const last = history[history.length - 1];
    if (!last) return `${head}: 학습을 준비하고 있습니다.`;
    const total = sides.iid.config?.rounds ?? v.rounds;
    const state = status === 'finished' ? '학습을 마쳤습니다' : status === 'paused' ? '일시정지' : '학습 중';
    const part = (side: Side, name: string) =>
      `${name}: 글로벌 테스트 정확도 ${pct(last[side].metrics?.testAccuracy ?? NaN)}, 로컬 경계가 글로벌 경계와 다른 영역 평균 ${pct(meanDisagreement(last[side]), 0)}`;
    return `${head}: ${state}, 라운드 ${last.round}/${total}. ${part('iid', 'IID')}. ${part('skew', `디리클레 α = ${v.alpha}`)}.`;
  }

  const wireOptions = { boundaryGrid: BOUNDARY_GRID, clientBoundaries: true, divergeFactor: 10 };

  function newRun(debounced: boolean) {
    player.reset();
    history.length = 0;
    ui.alert(null);
    delete root.dataset.round;
    setStatus('loading');
    for (const side of SIDES) {
      const st = sides[side];
      st.started = false;
      st.building = null;
      st.ready = [];
      st.config = null;
      if (debounced) st.host.restart(() => toRunConfig(ctx.values, side), wireOptions, { paused: () => true });
      else st.host.start(toRunConfig(ctx.values, side), wireOptions, { paused: true });
    }
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
    false,
  );

  return {
    update(values: DriftValues, changed) {
      if (changed.includes('speed') && ROUND_MS[values.speed] === 0) player.flush();
      if (changed.includes('speed')) player.resume();
      if (changed.every((k) => VIEW_ONLY.includes(k))) return;
      playing = true;
      newRun(true);
    },
    action(name, trigger) {
      if (transportAction(name, transport)) return;
      switch (name) {
        case 'export-csv': {
          const rows: Record<string, unknown>[] = [];
          for (const p of history) {
            for (const side of SIDES) {
              const b = p[side];
              for (const [k, c] of [...b.clients.entries()].sort(([a], [b2]) => a - b2)) {
                rows.push({ round: p.round, split: side, client: k + 1, n: c.n, local_accuracy: c.accuracy, disagreement: b.disagreement.get(k), global_test_accuracy: b.metrics?.testAccuracy });
              }
            }
          }
          downloadCsv(rows, ['round', 'split', 'client', 'n', 'local_accuracy', 'disagreement', 'global_test_accuracy'], `drift-metrics-${stamp()}.csv`);
          return;
        }
        case 'export-json':
          downloadJson(
            {
              widget: 'client-drift',
              settings: ctx.values,
              configs: { iid: sides.iid.config ?? toRunConfig(ctx.values, 'iid'), skew: sides.skew.config ?? toRunConfig(ctx.values, 'skew') },
              histograms: { iid: sides.iid.data?.histograms ?? null, skew: sides.skew.data?.histograms ?? null },
              backend,
            },
            `drift-config-${stamp()}.json`,
          );
          return;
        case 'export-png':
        case 'export-svg': {
          const target = trigger.dataset.target ?? 'iid';
          const kind = name === 'export-png' ? 'png' : 'svg';
          const source =
            target === 'iid' || target === 'skew'
              ? history.length
                ? sides[target].view.toSvg()
                : null
              : (target === 'accuracy' ? accuracyChart : disagreementChart).svg();
          exportView(kind, `drift-${target}`, source, ctx.notify);
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
      player.reset();
      for (const side of SIDES) {
        sides[side].host.dispose();
        sides[side].view.destroy();
      }
      disagreementChart.destroy();
      accuracyChart.destroy();
    },
    inspect() {
      const lines = (side: Side) => root.querySelectorAll(`[data-view="${side}"] .boundary__line`).length;
      return {
        status,
        runIds: { iid: sides.iid.host.runId, skew: sides.skew.host.runId },
        configs: { iid: sides.iid.config, skew: sides.skew.config },
        rounds: history.map((p) => ({
          round: p.round,
          iid: { accuracy: p.iid.metrics?.testAccuracy ?? NaN, disagreement: meanDisagreement(p.iid) },
          skew: { accuracy: p.skew.metrics?.testAccuracy ?? NaN, disagreement: meanDisagreement(p.skew) },
        })),
        histograms: { iid: sides.iid.data?.histograms ?? [], skew: sides.skew.data?.histograms ?? [] },
        lines: { iid: lines('iid'), skew: lines('skew') },
        backend,
      };
    },
  };
}
