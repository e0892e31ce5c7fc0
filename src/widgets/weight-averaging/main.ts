/**
 * Weight averaging made visible, mounted when the widget nears the viewport. The engine trains
 * and averages (FedAvg, every client every round) and sends every weight vector it produces:
 * the clients' local models (client-trained) and the global model before and after averaging
 * (models-averaged). The page only projects those vectors to a plane (./pca.ts) and writes a few
 * of their numbers out; the sum it shows is the engine's own result.
 */
import type { EngineEvent, RoundMetrics, RunConfig } from '~/engine/types';
import type { WidgetContext, WidgetController } from '~/runtime/widget';
import type { BackendInfo } from '~/runtime/protocol';
import { TrainingHost } from '~/runtime/host';
import { downloadCsv, downloadJson, stamp } from '~/runtime/export';
import { prefersReducedMotion } from '~/runtime/lazy';
import { create as createMap, clientColor, type XY } from '../renderers/weight-map';
import { RoundPlayer, playerTransport } from '../kit/player';
import { choiceLabel, exportView, pct, statusUi, type Status } from '../renderers/fed-common';
import { PHASE_MS, VIEW_ONLY, params, type AvgParams, type AvgValues } from './params';
import { HIDDEN, shownParameters, toRunConfig } from './config';
import { fitPca, project, type Projection } from './pca';
import { transportAction } from '../kit/transport';

interface LocalModel {
  k: number;
  n: number;
  accuracy: number;
  weights: Float32Array;
}

interface RoundRecord {
  round: number;
  selected: number[];
  locals: LocalModel[];
  coefficients: number[];
  before: Float32Array;
  after: Float32Array;
  metrics: RoundMetrics | null;
}

/** What tests read. */
export interface AvgInspection {
  runId: number;
  status: Status;
  config: RunConfig | null;
  rounds: { round: number; coefficients: Record<number, number>; sizes: Record<number, number>; testAccuracy: number }[];
  /** The round and phase on screen. */
  showing: { round: number; phase: string } | null;
  /** Screen positions of the map's marks, for checking the picture against the numbers. */
  map: { clients: { k: number; x: number; y: number; r: number }[]; next: { x: number; y: number } | null };
  /** The numbers in the arithmetic panel: per shown parameter, the terms and the result. */
  math: { name: string; terms: { k: number; c: number; w: number }[]; result: number | null }[];
  backend: BackendInfo | null;
  parameters: number;
}

const PHASES = ['local', 'average'] as const;

/** Signed numbers with a real minus sign and fixed digits. */
const fmt = (x: number, digits = 3) => (x < 0 ? '−' : '') + Math.abs(x).toFixed(digits);

export function mount(ctx: WidgetContext<AvgParams>): WidgetController<AvgParams> & { inspect(): AvgInspection } {
  const root = ctx.root;
  const q = <E extends Element = HTMLElement>(sel: string) => root.querySelector<E & Element>(sel);
  const ui = statusUi(root);
  const mapView = q('[data-view="map"]')!;
  const mathView = q('[data-view="math"]')!;
  const mapNote = q('[data-map-note]');
  const phaseSteps = [...root.querySelectorAll<HTMLElement>('[data-phase-step]')];
  const map = createMap(mapView, { label: '로컬 모델과 글로벌 모델의 매개변수를 2차원에 투영한 지도' });

  let status: Status = 'loading';
  let playing = true;
  let config: RunConfig | null = null;
  let parameters = 0;
  let classes = 2;
  let backend: BackendInfo | null = null;
  let building: RoundRecord | null = null;
  let pendingLocals: LocalModel[] = [];
  const history: RoundRecord[] = [];
  let projection: Projection | null = null;
  /** The round the projection was last fitted for. */
  let fittedFor: RoundRecord | null = null;
  let showing: { rec: RoundRecord; phase: number } | null = null;
  let mathNumbers: AvgInspection['math'] = [];

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

  const active = () => playing && ctx.visible;
  const phaseMs = () => {
    const ms = PHASE_MS[ctx.values.speed];
    return prefersReducedMotion() && ms > 0 ? Math.max(ms, 900) : ms;
  };

  const player = new RoundPlayer<RoundRecord>({
    phases: PHASES.length,
    phaseMs,
    active,
    request: () => host.step(),
    show: (rec, phase, duration) => show(rec, phase, duration),
    onSkip: (rec) => record(rec),
    onDone: () => {
      setStatus('finished');
      ctx.announce(summary(), true);
    },
  });

  function setStatus(s: Status) {
    status = s;
    ui.status(s, playing);
  }

  function onEvent(e: EngineEvent) {
    switch (e.type) {
      case 'run-started':
        config = e.config;
        parameters = e.parameters;
        classes = e.data.numClasses;
        root.dataset.runId = String(host.runId);
        ui.parameters(`모델 매개변수 ${parameters}개 (입력 2 → 은닉 ${HIDDEN.join('·')} → 출력 ${classes}, tanh)`);
        ui.progress(0, e.config.rounds, `라운드 0 / ${e.config.rounds}`);
        setStatus(active() ? 'running' : 'paused');
        ctx.announce(summary());
        player.start();
        return;
      case 'round-started':
        pendingLocals = [];
        building = null;
        return;
      case 'client-trained':
        if (e.weights) pendingLocals.push({ k: e.client, n: e.n, accuracy: e.accuracy, weights: e.weights });
        return;
      case 'models-averaged':
        if (!e.before || !e.after) return;
        building = { round: e.round, selected: e.clients, locals: pendingLocals, coefficients: e.coefficients, before: e.before, after: e.after, metrics: null };
        return;
      case 'round-metrics': {
        if (!building) return;
        building.metrics = e.metrics;
        const rec = building;
        building = null;
        const last = !!config && e.metrics.round >= config.rounds;
        if (last) host.resume();
        player.push(rec, last);
        return;
      }
      case 'run-diverged':
        player.stop();
        player.flush();
        setStatus('diverged');
        ui.alert(`${e.message} 설정을 바꾸거나 ‘다시 학습’을 누르면 새로 시작합니다.`);
        ctx.announce(summary(), true);
        return;
      default:
        return;
    }
  }

  function record(rec: RoundRecord) {
    if (!history.includes(rec)) history.push(rec);
  }

  const coefficientOf = (rec: RoundRecord, k: number) => rec.coefficients[rec.selected.indexOf(k)] ?? 0;

  function show(rec: RoundRecord, phase: number, duration: number) {
    showing = { rec, phase };
    root.dataset.phase = PHASES[phase];
    phaseSteps.forEach((li, j) => (j === phase ? li.setAttribute('aria-current', 'step') : li.removeAttribute('aria-current')));
    if (fittedFor !== rec) refit(rec);
    drawMap(duration);
    drawMath(rec, phase === PHASES.length - 1);
    if (phase === PHASES.length - 1) {
      record(rec);
      const total = config?.rounds ?? ctx.values.rounds;
      ui.progress(rec.round, total, `라운드 ${rec.round} / ${total}`);
      root.dataset.round = String(rec.round);
      ctx.announce(summary());
    }
  }

  /** Refits the projection on every weight vector of the run up to `rec` (presentation only). */
  function refit(rec: RoundRecord) {
    const done = history.filter((r) => r.round < rec.round);
    const vectors: Float32Array[] = [];
    if (done.length) vectors.push(done[0].before);
    else vectors.push(rec.before);
    for (const r of [...done, rec]) {
      for (const l of r.locals) vectors.push(l.weights);
      vectors.push(r.after);
    }
    projection = fitPca(vectors, 2, projection);
    fittedFor = rec;
    if (mapNote) {
      const [a, b] = projection.explained;
      mapNote.textContent =
        `이 실험의 모든 매개변수 벡터(${vectors.length}개, 각 ${parameters}차원)를 주성분 분석(PCA)으로 2차원에 투영했습니다. ` +
        `두 축이 전체 분산의 ${pct(a + b, 0)}를 설명합니다. 투영은 선형이라서, 가중 평균의 투영은 투영한 점들의 가중 평균과 같습니다.`;
    }
  }

  function drawMap(duration: number) {
    if (!showing || !projection) return;
    const p = projection;
    const { rec, phase } = showing;
    const done = history.filter((r) => r.round < rec.round);
    const path: XY[] = [project(p, (done[0] ?? rec).before), ...done.map((r) => project(p, r.after))];
    const clients = rec.locals.map((l) => ({ k: l.k, at: project(p, l.weights), n: l.n, c: coefficientOf(rec, l.k) }));
    const next = project(p, rec.after);
    const ghosts = done.flatMap((r) => r.locals.map((l) => ({ k: l.k, at: project(p, l.weights) })));
    const prev = path[path.length - 1];
    const frame: XY[] = ctx.values.zoom ? [prev, next, ...clients.map((c) => c.at)] : [...path, next, ...clients.map((c) => c.at), ...ghosts.map((g) => g.at)];
    const [a, b] = p.explained;
    map.update({
      round: rec.round,
      phase: PHASES[phase],
      path,
      next,
      clients,
      ghosts,
      frame,
      xLabel: `주성분 1 (분산의 ${pct(a, 0)})`,
      yLabel: `주성분 2 (${pct(b, 0)})`,
      duration,
    });
  }

  /** The table of a few parameters per client and the weighted sum written out. */
  function drawMath(rec: RoundRecord, averaged: boolean) {
    const shown = shownParameters(HIDDEN[0], classes);
    const locals = [...rec.locals].sort((a, b) => a.k - b.k);
    const weighted = config?.weighting !== 'uniform';
    const total = locals.reduce((s, l) => s + l.n, 0);
    const table = document.createElement('table');
    table.className = 'fw__table';
    const cap = document.createElement('caption');
    cap.textContent = `라운드 ${rec.round}: 매개변수 ${shown.length}개와 가중치(${weighted ? 'n_k / m_t' : '1 / m'})`;
    table.append(cap);
    const head = table.createTHead().insertRow();
    for (const h of ['모델', 'n_k', '가중치', ...shown.map((s) => s.name)]) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = h;
      head.append(th);
    }
    const body = table.createTBody();
    const prevRow = body.insertRow();
    prevRow.className = 'fw__row-prev';
    const prevHead = document.createElement('th');
    prevHead.scope = 'row';
    prevHead.textContent = `출발점 w${sub(rec.round - 1)}`;
    prevRow.append(prevHead);
    prevRow.insertCell().textContent = '';
    prevRow.insertCell().textContent = '';
    for (const s of shown) prevRow.insertCell().textContent = fmt(rec.before[s.index]);
    for (const l of locals) {
      const row = body.insertRow();
      const th = document.createElement('th');
      th.scope = 'row';
      const sw = document.createElement('span');
      sw.className = 'fw__swatch';
      sw.setAttribute('aria-hidden', 'true');
      sw.style.background = clientColor(l.k);
      th.append(sw, `${l.k + 1}`);
      row.append(th);
      row.insertCell().textContent = String(l.n);
      row.insertCell().textContent = coefficientOf(rec, l.k).toFixed(3);
      for (const s of shown) row.insertCell().textContent = fmt(l.weights[s.index]);
    }
    const foot = table.createTFoot().insertRow();
    const fh = document.createElement('th');
    fh.scope = 'row';
    fh.textContent = `새 글로벌 w${sub(rec.round)}`;
    foot.append(fh);
    foot.insertCell().textContent = weighted ? `m_t=${total}` : '';
    foot.insertCell().textContent = (rec.coefficients.reduce((a, b) => a + b, 0)).toFixed(3);
    for (const s of shown) foot.insertCell().textContent = averaged ? fmt(rec.after[s.index]) : '?';

    const wrap = document.createElement('div');
    wrap.className = 'fw__table-wrap';
    wrap.tabIndex = 0;
    wrap.setAttribute('role', 'region');
    wrap.setAttribute('aria-label', '로컬 모델 매개변수 표');
    wrap.append(table);

    mathNumbers = shown.map((s) => ({
      name: s.name,
      terms: locals.map((l) => ({ k: l.k, c: coefficientOf(rec, l.k), w: l.weights[s.index] })),
      result: averaged ? rec.after[s.index] : null,
    }));
    const formulas = mathNumbers.map((m, i) => {
      const p = document.createElement('p');
      p.className = 'fw__formula';
      const sum = m.terms.map((t) => `${t.c.toFixed(3)}×(${fmt(t.w)})`).join(' + ');
      p.textContent = `${m.name}: ${sum} = ${m.result === null ? '?' : fmt(m.result, 4)}`;
      p.title = shown[i].what;
      return p;
    });
    const note = document.createElement('p');
    note.className = 'fw__muted';
    note.textContent = averaged
      ? weighted
        ? `서버가 계산한 값입니다. 데이터가 많은 클라이언트(n_k가 큰 쪽)의 값이 더 크게 반영됩니다. 가중치의 합은 1이므로 새 값은 로컬 값들 사이에 놓입니다.`
        : `모든 클라이언트에 같은 가중치 1/${locals.length}을 주었습니다(산술 평균). 데이터가 적은 클라이언트도 같은 무게로 반영됩니다.`
      : '각 클라이언트가 같은 출발점에서 자기 데이터로 학습한 결과입니다. 다음 단계에서 서버가 가중 평균을 냅니다.';
    mathView.replaceChildren(wrap, ...formulas, note);
  }

  function summary(): string {
    const v = ctx.values;
    const head = `${choiceLabel(params.data, v.data)}, ${choiceLabel(params.partition, v.partition)}, 클라이언트 ${v.clients}명, ${v.weighted ? '데이터 수로 가중' : '산술 평균'}`;
    if (status === 'diverged') return `${head}: 학습이 발산해 멈췄습니다.`;
    const last = history[history.length - 1];
    if (!last?.metrics) return `${head}: 학습을 준비하고 있습니다.`;
    const total = config?.rounds ?? v.rounds;
    const state = status === 'finished' ? '학습을 마쳤습니다' : status === 'paused' ? '일시정지' : '학습 중';
    const weights = [...last.locals]
      .sort((a, b) => a.k - b.k)
      .map((l) => `클라이언트 ${l.k + 1}(n=${l.n}) ${coefficientOf(last, l.k).toFixed(2)}`)
      .join(', ');
    return `${head}: ${state}, 라운드 ${last.round}/${total}. 집계 가중치: ${weights}. 글로벌 모델 테스트 정확도 ${pct(last.metrics.testAccuracy)}.`;
  }

  const wireOptions = () => ({ emitWeights: true, divergeFactor: 10 });

  function newRun(debounced: boolean) {
    player.reset();
    history.length = 0;
    building = null;
    pendingLocals = [];
    projection = null;
    fittedFor = null;
    showing = null;
    mathNumbers = [];
    delete root.dataset.round;
    delete root.dataset.phase;
    ui.alert(null);
    setStatus('loading');
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
    update(values: AvgValues, changed) {
      if (changed.includes('zoom')) drawMap(0);
      if (changed.includes('speed') && PHASE_MS[values.speed] === 0) {
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
        case 'export-csv': {
          const shown = shownParameters(HIDDEN[0], classes);
          const rows: Record<string, unknown>[] = [];
          for (const r of history) {
            for (const l of [...r.locals].sort((a, b) => a.k - b.k)) {
              const row: Record<string, unknown> = { round: r.round, model: `client ${l.k + 1}`, n: l.n, coefficient: coefficientOf(r, l.k), local_accuracy: l.accuracy };
              shown.forEach((s, i) => (row[`p${i + 1}`] = l.weights[s.index]));
              rows.push(row);
            }
            const g: Record<string, unknown> = { round: r.round, model: 'global (after averaging)', n: r.locals.reduce((s, l) => s + l.n, 0), coefficient: 1, local_accuracy: undefined };
            shown.forEach((s, i) => (g[`p${i + 1}`] = r.after[s.index]));
            rows.push(g);
          }
          const cols = ['round', 'model', 'n', 'coefficient', 'local_accuracy', ...shown.map((_, i) => `p${i + 1}`)];
          downloadCsv(rows, cols, `avg-weights-${stamp()}.csv`);
          return;
        }
        case 'export-json':
          downloadJson(
            {
              widget: 'weight-averaging',
              settings: ctx.values,
              config: config ?? toRunConfig(ctx.values),
              parameters,
              shownParameters: shownParameters(HIDDEN[0], classes).map((s, i) => ({ column: `p${i + 1}`, index: s.index, name: s.name, what: s.what })),
              backend,
            },
            `avg-config-${stamp()}.json`,
          );
          return;
        case 'export-png':
        case 'export-svg':
          exportView(name === 'export-png' ? 'png' : 'svg', `avg-${trigger.dataset.target ?? 'map'}`, showing ? map.toSvg() : null, ctx.notify);
          return;
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
      host.dispose();
      map.destroy();
    },
    inspect() {
      const marks = {
        clients: [...mapView.querySelectorAll<SVGGElement>('g.weight-map__client')].map((g) => {
          const m = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(g.getAttribute('transform') ?? '');
          return { k: Number(g.querySelector('text')?.textContent ?? 0) - 1, x: Number(m?.[1]), y: Number(m?.[2]), r: Number(g.querySelector('circle')?.getAttribute('r')) };
        }),
        next: (() => {
          const g = mapView.querySelector<SVGGElement>('g.weight-map__next');
          if (!g || g.getAttribute('opacity') === '0') return null;
          const m = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(g.getAttribute('transform') ?? '');
          return m ? { x: Number(m[1]), y: Number(m[2]) } : null;
        })(),
      };
      return {
        runId: host.runId,
        status,
        config,
        rounds: history.map((r) => ({
          round: r.round,
          coefficients: Object.fromEntries(r.selected.map((k, i) => [k, r.coefficients[i]])),
          sizes: Object.fromEntries(r.locals.map((l) => [l.k, l.n])),
          testAccuracy: r.metrics?.testAccuracy ?? NaN,
        })),
        showing: showing ? { round: showing.rec.round, phase: PHASES[showing.phase] } : null,
        map: marks,
        math: mathNumbers,
        backend,
        parameters,
      };
    },
  };
}

function sub(n: number): string {
  return String(Math.max(0, n)).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);
}
