/**
 * The federated playground, mounted when it nears the viewport. The engine computes one round at
 * a time in the worker (the run is held between rounds and let go one round ahead of the
 * picture); the page replays each round's events as four phases — send, train, return, average —
 * at the chosen speed. No learning happens here: every number and picture comes from an event.
 *
 * State: the federated-round record (engine/rounds.ts). Views: the diagram, the client
 * cards, the global model, three charts.
 */
import type { DataSummary } from '~/engine/types';
import type { WidgetContext } from '~/runtime/widget';
import { clientsPerRound } from '~/engine/selection';
import { FLOAT_BYTES, flRoundBytes, totalBytes } from '~/engine/comm';
import { create as createBoundary, type BoundaryRenderer } from '../renderers/boundary';
import { ACCURACY_AXIS, create as createLineChart } from '../renderers/line-chart';
import { create as createBandChart } from '../renderers/band-chart';
import { create as createDiagram, type Phase } from '../renderers/fed-diagram';
import { create as createClientCards, type ClientCards } from '../renderers/client-cards';
import { SERIES_COLORS } from '../renderers/colors';
import { dequeueDraw, enqueueDraw } from '../renderers/plot-image';
import { phaseDuration, phaseSteps } from '../renderers/phase-steps';
import { Run } from '../kit/run';
import { runJson } from '../kit/export';
import { runSentence } from '../kit/status';
import { initRounds, reduceRounds, clientSpread, cumulativeBytes, type ClientResult, type RoundRecord, type RoundsState } from '~/engine/rounds';
import { choiceLabel } from '../controls/params';
import { count, formatBytes, num, pct } from '../renderers/format';
import { PHASE_MS, params, type FedParams } from './params';
import { BOUNDARY_GRID, isImages, serverRule, toRunConfig } from './config';
import { setText } from '../renderers/outputs';

const PHASES: Exclude<Phase, 'idle'>[] = ['broadcast', 'train', 'upload', 'aggregate'];

/** The clients of a round that ran fewer local epochs than E (stragglers), with their results. */
const stragglersOf = (r: RoundRecord) => [...r.clients.entries()].filter(([, c]) => c.epochs !== undefined);

export function mount(ctx: WidgetContext<FedParams>) {
  const { root, q, own } = ctx;
  const view = (name: string) => q(`[data-view="${name}"]`)!;
  const globalView = view('global');
  const globalNote = q('[data-global-note]')!;
  const markPhase = phaseSteps(root, PHASES);
  const phaseNoteLine = q('[data-phase-note]')!;

  const diagram = own(createDiagram(view('diagram'), { label: '서버와 클라이언트 사이에 모델이 오가는 한 라운드의 도식' }));
  const accuracy = own(createBandChart(view('accuracy'), {
    label: '라운드별 글로벌 모델의 테스트 정확도와 클라이언트 로컬 정확도의 범위',
    xLabel: '라운드',
    ...ACCURACY_AXIS,
    lines: [
      { key: 'global', label: '글로벌', color: SERIES_COLORS.train },
      { key: 'local', label: '로컬 평균', color: SERIES_COLORS.test, dashed: true },
    ],
    bands: [{ key: 'local', label: '로컬 범위', color: SERIES_COLORS.test }],
  }));
  const loss = own(createLineChart(view('loss'), {
    label: '라운드별 손실',
    xLabel: '라운드',
    yLabel: '손실',
    series: [
      { key: 'test', label: '글로벌 (테스트)', color: SERIES_COLORS.train },
      { key: 'train', label: '로컬 학습', color: SERIES_COLORS.test, dashed: true },
    ],
  }));
  const bytes = own(createLineChart(view('bytes'), {
    label: '라운드별 누적 통신량',
    xLabel: '라운드',
    yLabel: 'kB',
    series: [{ key: 'total', label: '보낸 양 + 받은 양', color: '#6a3d9a' }],
    yClimbs: true,
  }));

  // What the current run drew: rebuilt for each run.
  let cards: ClientCards | null = null;
  let globalBoundary: BoundaryRenderer | null = null;
  /** The round whose local model each client card shows, and that model's accuracy. */
  let drawn: { round: number; accuracy: number }[] = [];

  const phaseMs = () => phaseDuration(PHASE_MS[ctx.values.speed], 600);

  const run: Run<FedParams, RoundsState, RoundRecord> = new Run(ctx, {
    config: () => toRunConfig(ctx.values),
    options: () => ({
      boundaryGrid: isImages(ctx.values.data) ? 0 : BOUNDARY_GRID,
      clientBoundaries: !isImages(ctx.values.data),
    }),
    init: initRounds,
    reduce: reduceRounds,
    player: { phases: PHASES.length, phaseMs, rounds: (s) => s.rounds, round: (r) => r.round, show },
    onReset: () => markPhase(null),
    onStart: start,
    summary,
    exports: {
      tables: {
        'export-csv': {
          file: 'fed-metrics',
          columns: ['round', 'selected_clients', 'coefficients', 'test_accuracy', 'test_loss', 'local_train_loss', 'local_accuracy_min', 'local_accuracy_max', 'bytes_up', 'bytes_down', 'dropped_clients'],
          rows: () =>
            run.history.map((r) => ({
              round: r.round,
              selected_clients: r.selected.map((k) => k + 1).join(' '),
              coefficients: r.coefficients.map((c) => c.toFixed(6)).join(' '),
              test_accuracy: r.metrics!.testAccuracy,
              test_loss: r.metrics!.testLoss,
              local_train_loss: r.metrics!.trainLoss,
              local_accuracy_min: clientSpread(r)?.[0],
              local_accuracy_max: clientSpread(r)?.[1],
              bytes_up: r.metrics!.bytesUp,
              bytes_down: r.metrics!.bytesDown,
              dropped_clients: r.dropped.map((k) => k + 1).join(' '),
            })),
        },
      },
      json: runJson('fed-config', 'fed-playground', () => ctx.values, () => run.backend, () => ({
        config: run.config() ?? toRunConfig(ctx.values),
        parameters: run.state.parameters,
        histograms: run.state.data?.histograms ?? null,
      })),
      prefix: 'fed',
      views: { diagram: () => diagram.toSvg(), global: () => globalBoundary?.toSvg() ?? null, accuracy, loss, bytes },
    },
  });

  /** The run has started: the model's size, the panels and the idle diagram. */
  function start() {
    const { config, data, parameters } = run.state;
    if (!config || !data) return;
    const model = formatBytes(parameters * FLOAT_BYTES);
    run.ui.parameters(`모델 매개변수 ${count(parameters)}개 · 모델 한 벌 ${model} (float32)`);
    buildPanels(data);
    diagram.update({ clients: config.clients, sizes: data.histograms.map((h) => h.reduce((a, b) => a + b, 0)) });
    const idle = '라운드를 시작하면 서버가 참여할 클라이언트를 무작위로 뽑습니다.';
    diagram.update({ phase: { round: 0, phase: 'idle', selected: [], duration: 0, note: idle } });
    setText(phaseNoteLine, idle);
    const m = clientsPerRound(config.fraction, config.clients);
    // One round's bytes as the engine counts them; SCAFFOLD sends a control variate with each model.
    const perRound = formatBytes(totalBytes(flRoundBytes({ m, N: parameters })) * (config.algorithm === 'scaffold' ? 2 : 1));
    const sent =
      config.algorithm === 'scaffold'
        ? `SCAFFOLD는 모델과 같은 크기의 제어 변량을 함께 주고받습니다: 참여 클라이언트 ${m}명에게 모델 두 벌(${model} × 2)이 내려가고 두 벌씩 올라옵니다. 라운드마다 ${perRound}, FedAvg의 두 배입니다.`
        : `한 라운드에 모델 한 벌(${model})이 참여 클라이언트 ${m}명에게 내려가고 ${m}개가 올라옵니다: 라운드마다 ${perRound}.`;
    const lost = config.dropout > 0 ? ' 이탈한 클라이언트에게 내려간 모델은 돌아오지 않으므로 올라오는 양은 그만큼 줄어듭니다.' : '';
    setText(q('[data-bytes-note]')!, sent + lost);
    drawCharts();
  }

  /** Drops the current run's pictures (their elements are going away). */
  function dropPanels() {
    cards?.destroy();
    if (globalBoundary) dequeueDraw(globalBoundary);
    globalBoundary?.destroy();
    cards = null;
    globalBoundary = null;
  }

  /** Client cards and the global panel for a new run. */
  function buildPanels(d: DataSummary) {
    dropPanels();
    drawn = [];
    globalView.replaceChildren();
    cards = createClientCards(view('clients'), { data: d, model: 'picture', initial: '아직 학습 전' });
    if (d.points && d.extent) {
      const b = createBoundary(globalView, { label: '전체 데이터와 글로벌 모델의 결정 경계' });
      enqueueDraw(b, () => b.update({ extent: d.extent, train: d.points }));
      globalBoundary = b;
      setText(globalNote, '점은 모든 클라이언트의 데이터를 함께 그린 것입니다(서버는 이 점들을 보지 못합니다). 배경색은 글로벌 모델의 결정 경계입니다.');
    } else {
      globalView.innerHTML =
        '<div class="fw-big"><span class="fw-big__value" data-global-accuracy>—</span><span class="fw-big__label">글로벌 모델의 테스트 정확도</span></div>';
      setText(globalNote, `테스트 이미지 ${d.testSize}장으로 잰 정확도입니다. 서버는 학습 이미지를 한 장도 보지 못합니다.`);
    }
  }

  /** Draws `rec` at `phase` (the player decides when). */
  function show(rec: RoundRecord, phase: number, duration: number) {
    const name = PHASES[phase];
    markPhase(phase);
    const note = phaseNote(rec, name);
    const cfg = run.config();
    const rule = cfg ? serverRule(cfg, rec.round) : undefined;
    diagram.update({ phase: { round: rec.round, phase: name, selected: rec.selected, dropped: rec.dropped, duration, note, modelBytes: rec.modelBytes, rule } });
    setText(phaseNoteLine, `${phase + 1}단계 · ${note}`);
    drawClients(rec, phase);
    if (phase === PHASES.length - 1) completeRound(rec);
  }

  function phaseNote(rec: RoundRecord, name: Exclude<Phase, 'idle'>): string {
    const m = rec.selected.length;
    const who = rec.selected.map((k) => k + 1).join(', ');
    const algo = run.config()?.algorithm;
    const scaffold = algo === 'scaffold';
    const gone = rec.dropped.length ? ` 클라이언트 ${rec.dropped.map((k) => k + 1).join(', ')}은(는) 이탈해 아무것도 보내지 않습니다.` : '';
    const stragglers = stragglersOf(rec).map(([k, c]) => `${k + 1}(${c.epochs}에폭)`);
    switch (name) {
      case 'broadcast':
        return `라운드 ${rec.round}: 클라이언트 ${who}에게 글로벌 모델${scaffold ? '과 서버의 제어 변량 c' : ''}을 보냅니다 (${formatBytes(rec.modelBytes)} × ${scaffold ? `2 × ${m}` : m}).`;
      case 'train':
        return algo === 'fedsgd'
          ? `각 클라이언트가 자기 데이터 전체로 기울기를 한 번 계산합니다.${gone}`
          : `각 클라이언트가 자기 데이터로 ${run.config()?.localEpochs ?? ''} 에폭 학습합니다${scaffold ? '(한 걸음마다 c − c_i로 보정)' : ''}.` +
              (stragglers.length ? ` 느린 클라이언트 ${stragglers.join(', ')}는 그만큼만 합니다.` : '') +
              gone;
      case 'upload':
        return (
          (algo === 'fedsgd' ? '기울기를 서버로 보냅니다.' : scaffold ? '학습한 로컬 모델과 제어 변량의 변화량 Δc를 서버로 보냅니다.' : '학습한 로컬 모델을 서버로 보냅니다.') +
          (rec.dropped.length ? ` 이탈한 클라이언트 ${rec.dropped.map((k) => k + 1).join(', ')}에게서는 아무것도 오지 않습니다.` : ' 원본 데이터는 그대로 있습니다.')
        );
      case 'aggregate': {
        const c = rec.coefficients.map((x) => x.toFixed(2)).join(', ');
        if (rec.coefficients.length === 0) return '돌아온 모델이 없어 글로벌 모델이 그대로 남습니다.';
        const renorm = rec.dropped.length ? ' (돌아온 클라이언트만으로 다시 맞춘 가중치)' : '';
        if (algo === 'fedsgd') return `가중 평균한 기울기로 한 걸음 갑니다 (가중치 ${c}${renorm}).`;
        if (algo === 'fedavg' || algo === 'fedprox' || algo === 'dpfedavg') return `가중치 ${c}${renorm}로 평균해 새 글로벌 모델을 만듭니다.`;
        if (scaffold) return `가중치 ${c}${renorm}로 평균한 변화량에 η_g를 곱해 더하고, 제어 변량 c도 갱신합니다.`;
        return `가중치 ${c}${renorm}로 평균한 변화량을 기울기처럼 써서 ${choiceLabel(params.algo, algo ?? 'fedavg')} 한 걸음을 갑니다.`;
      }
    }
  }

  /** Client cards for a phase: who takes part, and once training is over, what they learned. */
  function drawClients(rec: RoundRecord, phase: number) {
    const sel = new Set(rec.selected);
    const gone = new Set(phase >= 1 ? rec.dropped : []);
    const fedsgd = run.config()?.algorithm === 'fedsgd';
    /** What client k's card says: `r` is its result once trained, `last` its latest local accuracy. */
    const statOf = (k: number, r: ClientResult | undefined, last: number | undefined): string => {
      if (gone.has(k)) return '이탈: 모델만 받고 응답 없음';
      if (!sel.has(k)) return last !== undefined ? `쉼 · 지난 로컬 ${pct(last, 0)}` : '이번 라운드 쉼';
      if (r) return `${fedsgd ? 'w_t 정확도' : '로컬 정확도'} ${pct(r.accuracy, 0)}` + (r.epochs !== undefined ? ` · ${r.epochs}에폭만` : '');
      return phase === 0 ? '모델 받는 중' : fedsgd ? '기울기 계산 중' : '로컬 학습 중';
    };
    for (let k = 0; k < (run.state.data?.histograms.length ?? 0); k++) {
      const r = sel.has(k) && !gone.has(k) && phase >= 2 ? rec.clients.get(k) : undefined;
      // The local model is drawn once a round (upload and aggregate show the same one).
      const fresh = r && drawn[k]?.round !== rec.round;
      if (fresh) drawn[k] = { round: rec.round, accuracy: r.accuracy };
      const role = gone.has(k) ? 'dropped' : sel.has(k) ? 'selected' : 'idle';
      cards?.update(k, { role, stat: statOf(k, r, drawn[k]?.accuracy), ...(fresh ? { boundary: r.boundary, accuracy: r.accuracy } : {}) });
    }
  }

  /** The aggregate phase: the new global model and the charts (the kit moves the progress on). */
  function completeRound(rec: RoundRecord) {
    if (rec.global && globalBoundary) globalBoundary.update({ boundary: rec.global });
    const big = globalView.querySelector('[data-global-accuracy]');
    if (big && rec.metrics) setText(big, pct(rec.metrics.testAccuracy));
    drawCharts();
  }

  function drawCharts() {
    const history = run.history;
    const lines: { x: number; y: number; series: string }[] = [];
    const bands: { x: number; lo: number; hi: number; band: string }[] = [];
    const lossPts: { x: number; y: number; series: string }[] = [];
    const bytePts: { x: number; y: number; series: string }[] = [{ x: 0, y: 0, series: 'total' }];
    const cum = cumulativeBytes(history);
    history.forEach((r, i) => {
      const m = r.metrics!;
      lines.push({ x: r.round, y: m.testAccuracy, series: 'global' });
      const spread = clientSpread(r);
      if (spread) {
        bands.push({ x: r.round, lo: spread[0], hi: spread[1], band: 'local' });
        if (m.trainAccuracy !== undefined) lines.push({ x: r.round, y: m.trainAccuracy, series: 'local' });
      }
      lossPts.push({ x: r.round, y: m.testLoss, series: 'test' });
      // A round in which every selected client dropped out has no local loss to show.
      if (r.coefficients.length > 0) lossPts.push({ x: r.round, y: m.trainLoss, series: 'train' });
      bytePts.push({ x: r.round, y: cum[i] / 1000, series: 'total' });
    });
    const xMax = run.config()?.rounds ?? ctx.values.rounds;
    // Each chart redraws in a task of its own, a painted frame apart (the page's draw queue).
    accuracy.update({ lines, bands, xMax });
    loss.update({ points: lossPts, xMax });
    bytes.update({ points: bytePts, xMax });
  }

  function summary(): string {
    const v = ctx.values;
    const head = `${choiceLabel(params.data, v.data)}, 클라이언트 ${v.clients}명, ${choiceLabel(params.partition, v.partition)}, ${choiceLabel(params.algo, v.algo)}`;
    const last = run.history.at(-1);
    const m = last?.metrics;
    if (!last || !m) return runSentence(run.status, head, null);
    const spread = clientSpread(last);
    return runSentence(
      run.status,
      head,
      (state) =>
        `${state}, 라운드 ${last.round}/${run.total}. 참여 클라이언트 ${last.selected.map((k) => k + 1).join(', ')}. ` +
        `글로벌 모델 테스트 정확도 ${pct(m.testAccuracy)}, 테스트 손실 ${num(m.testLoss)}` +
        (spread ? `, 로컬 정확도 ${pct(spread[0], 0)}–${pct(spread[1], 0)}` : '') +
        `. 누적 통신량 ${formatBytes(cumulativeBytes(run.history).at(-1) ?? 0)}.`,
    );
  }

  run.start(false);

  return run.controller({
    destroy: dropPanels,
    inspect: () => ({
      ...run.inspectBase(),
      /** Rounds fully shown (their aggregate phase reached), with the per-round figures drawn. */
      shown: run.history.map((r) => ({
        round: r.round,
        selected: r.selected,
        testAccuracy: r.metrics!.testAccuracy,
        coefficients: r.coefficients,
        /** Selected clients that never answered, and stragglers (fewer local epochs). */
        dropped: r.dropped,
        stragglers: stragglersOf(r).map(([k]) => k),
        bytesUp: r.metrics!.bytesUp,
        bytesDown: r.metrics!.bytesDown,
      })),
      /** Clients drawn as dropped in the diagram now. */
      droppedDrawn: root.querySelectorAll('[data-view="diagram"] .fed-diagram__client.is-dropped').length,
      parameters: run.state.parameters,
      histograms: run.state.data?.histograms ?? [],
    }),
  });
}
