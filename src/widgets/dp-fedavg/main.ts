/**
 * The DP-FedAvg widget, mounted when it nears the viewport: the training host (the engine runs
 * 'dpfedavg' in the runtime's worker), the renderers, and the glue between engine events and
 * pictures. Learning happens only in the engine. What is computed here is for drawing: each
 * update's direction in a fixed 2D projection, and the lengths of the server's step split into
 * the mean clipped update and the noise (the difference between the step the engine took and
 * that mean).
 */
import type { EngineEvent, RoundMetrics, RunConfig } from '~/engine/types';
import type { BackendInfo } from '~/runtime/protocol';
import type { WidgetContext, WidgetController } from '~/runtime/widget';
import { TrainingHost } from '~/runtime/host';
import { validateConfig } from '~/engine/config';
import { Rng } from '~/engine/rng';
import { downloadCsv, downloadJson, downloadPng, downloadSvg, stamp, svgDocument } from '~/runtime/export';
import { create as createUpdates, type ClientArrow, type ServerStep } from './updates-view';
import { createCurves, createEpsilon, createNoise } from './accuracy-charts';
import { DELTA, NOISE_GRID, PACE_MS, params, type DpParams, type DpValues } from './params';
import { curveKey, perRound, sigmaOf, toRunConfig } from './config';
import { transportAction, type TransportTarget } from '../controls/transport';

type Status = 'loading' | 'running' | 'paused' | 'finished' | 'diverged' | 'error' | 'invalid';

/** One round's clipping and noise, for the CSV and the tests. */
interface RoundClip {
  round: number;
  participants: number;
  clipped: number;
  meanUpdateNorm: number;
  meanNorm: number;
  noiseNorm: number;
  appliedNorm: number;
}

/** What tests read. */
export interface DpInspection {
  runId: number;
  status: Status;
  config: RunConfig | null;
  rows: RoundMetrics[];
  clips: RoundClip[];
  arrows: ClientArrow[];
  server: ServerStep | null;
  /** Final accuracy and ε (null: z = 0, no guarantee) by z for the current settings (other than z). */
  curve: { z: number; accuracy: number; epsilon: number | null }[];
  sweeping: boolean;
  backend: BackendInfo | null;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function describeBackend(info: BackendInfo): { text: string; warn: boolean } {
  const where = info.thread === 'worker' ? '작업자 스레드(Web Worker)' : '이 페이지의 메인 스레드';
  if (info.backend === 'wasm') return { text: `계산: WebAssembly${info.simd ? ' (SIMD)' : ''} · ${where}`, warn: info.thread === 'main' };
  const why = info.fallback ? ' — WebAssembly를 쓸 수 없어 더 느린 방식으로 학습합니다.' : '';
  return { text: `계산: CPU (JavaScript) · ${where}${why}`, warn: Boolean(info.fallback) || info.thread === 'main' };
}

/** Two orthonormal random directions in R^n, fixed for every run (seeded by n only). */
function projection(n: number): [Float64Array, Float64Array] {
  const rng = new Rng(n, 'dpfed/projection');
  const a = Float64Array.from({ length: n }, () => rng.normal());
  const b = Float64Array.from({ length: n }, () => rng.normal());
  const dot = (x: Float64Array, y: Float64Array) => x.reduce((s, v, i) => s + v * y[i], 0);
  const na = Math.sqrt(dot(a, a)) || 1;
  for (let i = 0; i < n; i++) a[i] /= na;
  const ab = dot(a, b);
  for (let i = 0; i < n; i++) b[i] -= ab * a[i];
  const nb = Math.sqrt(dot(b, b)) || 1;
  for (let i = 0; i < n; i++) b[i] /= nb;
  return [a, b];
}

function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

export function mount(ctx: WidgetContext<DpParams>): WidgetController<DpParams> & { inspect(): DpInspection } {
  const root = ctx.root;
  const q = <E extends Element = HTMLElement>(sel: string) => root.querySelector<E & Element>(sel);
  const playButton = q<HTMLButtonElement>('[data-action="toggle-play"]');
  const progress = q<HTMLProgressElement>('[data-progress]');
  const progressText = q('[data-progress-text]');
  const alertBox = q('[data-alert]');
  const backendLine = q('[data-backend]');
  const threadNotice = q('[data-thread-notice]');
  const sweepStatus = q('[data-sweep-status]');
  const sigmaLine = q('[data-sigma]');

  const updatesView = createUpdates(q('[data-view="updates"]')!, { label: '이번 라운드 클라이언트 변화량의 클리핑 전후 길이와 방향, 서버가 더한 노이즈의 크기' });
  const curves = createCurves(q('[data-view="curves"]')!, { label: '노이즈 배수 z별 라운드마다의 테스트 정확도', grid: NOISE_GRID });
  const noiseChart = createNoise(q('[data-view="noise"]')!, { label: '프라이버시–정확도 곡선: z마다 학습을 마친 뒤의 ε과 테스트 정확도' });
  const epsilonChart = createEpsilon(q('[data-view="epsilon"]')!, { label: '라운드마다 쌓이는 프라이버시 예산 ε', grid: NOISE_GRID });

  let status: Status = 'loading';
  let playing = true;
  let config: RunConfig | null = null;
  let rows: RoundMetrics[] = [];
  let clips: RoundClip[] = [];
  let arrows: ClientArrow[] = [];
  let server: ServerStep | null = null;
  let backend: BackendInfo | null = null;
  let proj: [Float64Array, Float64Array] | null = null;
  /** client-trained events of the round in progress (its `before` comes with models-averaged). */
  let pending: Extract<EngineEvent, { type: 'client-trained' }>[] = [];
  /** Finished runs: curve key → z → test accuracy and ε (engine's accountant) per round. */
  const cache = new Map<string, Map<number, { accuracy: number[]; epsilon: (number | null)[] }>>();
  /** The z values still to train in a sweep (the last one is the reader's own z). */
  let sweep: number[] = [];
  let sweepTotal = 0;
  /** Set while the sweep itself moves the z slider, so that update() does not cancel the sweep. */
  let sweepMoving = false;

  const host = new TrainingHost({
    onEvent: (e) => onEvent(e),
    onBackend: (info) => {
      backend = info;
      const d = describeBackend(info);
      if (backendLine) {
        backendLine.textContent = d.text;
        backendLine.classList.toggle('is-warning', d.warn);
      }
      root.dataset.backend = `${info.backend}:${info.thread}`;
      if (threadNotice) threadNotice.hidden = info.thread !== 'main';
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
      if (label) label.textContent = showPlaying ? '일시정지' : s === 'finished' || s === 'diverged' || s === 'error' ? '다시 학습' : '재생';
    }
  }

  function showAlert(message: string | null) {
    if (!alertBox) return;
    alertBox.hidden = !message;
    alertBox.textContent = message ?? '';
  }

  function setProgress(done: number, total: number) {
    const text = `라운드 ${done} / ${total}`;
    if (progress) {
      progress.max = Math.max(1, total);
      progress.value = done;
      progress.setAttribute('aria-valuetext', text);
    }
    if (progressText) progressText.textContent = text;
  }

  function showSigma() {
    const v = ctx.values;
    const m = perRound(v);
    if (sigmaLine) sigmaLine.textContent = `라운드마다 평균 qK = ${Number(m.toPrecision(3))}명 참여, 노이즈 표준편차 σ = z·S/(qK) = ${Number(sigmaOf(v).toPrecision(3))}`;
  }

  function cached(): Map<number, { accuracy: number[]; epsilon: (number | null)[] }> {
    const key = curveKey(ctx.values);
    let m = cache.get(key);
    if (!m) {
      m = new Map();
      cache.set(key, m);
    }
    return m;
  }

  function drawCurves() {
    const z = config?.noise ?? ctx.values.noise;
    const done = cached();
    const list = [...done.entries()].filter(([cz]) => cz !== z).map(([cz, run]) => ({ z: cz, accuracy: run.accuracy, current: false }));
    list.push({ z, accuracy: rows.map((r) => r.testAccuracy), current: true });
    curves.update({ curves: list, rounds: config?.rounds ?? ctx.values.rounds });
    epsilonChart.update({ epsilon: rows.flatMap((r) => (typeof r.epsilon === 'number' ? [r.epsilon] : [])), rounds: config?.rounds ?? ctx.values.rounds, z });
    noiseChart.update({
      points: [...done.entries()].map(([cz, run]) => ({ z: cz, accuracy: run.accuracy[run.accuracy.length - 1], epsilon: run.epsilon[run.epsilon.length - 1] ?? null })),
      grid: NOISE_GRID,
      current: ctx.values.noise,
    });
  }

  function summary(): string {
    const v = ctx.values;
    const data = params.data.choices.find((c) => c.value === v.data)?.label ?? v.data;
    const head = `${data} 데이터, 클라이언트 ${v.clients}명이 라운드마다 확률 ${v.fraction}로 참여(평균 ${Number(perRound(v).toPrecision(3))}명), S = ${v.clip}, z = ${v.noise} (σ = ${Number(sigmaOf(v).toPrecision(3))})`;
    if (status === 'invalid') return `${head}: 이 설정으로는 학습할 수 없습니다.`;
    if (status === 'diverged') return `${head}: 학습이 발산해 멈췄습니다.`;
    const last = rows[rows.length - 1];
    if (!last) return `${head}: 학습을 준비하고 있습니다.`;
    const state = status === 'finished' ? '학습을 마쳤습니다' : status === 'paused' ? '일시정지' : '학습 중';
    const c = clips[clips.length - 1];
    const clipText = c ? ` 이번 라운드 ${c.participants}명 중 ${c.clipped}명의 변화량이 잘렸고, 노이즈의 크기는 평균 변화량의 ${(c.noiseNorm / Math.max(c.meanNorm, 1e-12)).toFixed(1)}배입니다.` : '';
    const eps = typeof last.epsilon === 'number' ? ` 지금까지 쓴 프라이버시 예산은 ε = ${last.epsilon.toFixed(2)} (δ = 10⁻⁵)입니다.` : ' 노이즈나 클리핑이 없어 차분 프라이버시 보장은 없습니다.';
    return `${head}: ${state}, 라운드 ${last.round}/${config?.rounds ?? v.rounds}, 테스트 정확도 ${pct(last.testAccuracy)}.${eps}${clipText}`;
  }

  function onRoundAveraged(e: Extract<EngineEvent, { type: 'models-averaged' }>) {
    const before = e.before;
    const after = e.after;
    if (!before || !after) return;
    if (!proj || proj[0].length !== before.length) proj = projection(before.length);
    const [r1, r2] = proj;
    const n = before.length;
    const mean = new Float64Array(n);
    arrows = [];
    e.clients.forEach((k, i) => {
      const t = pending.find((p) => p.client === k);
      if (!t || !t.weights || t.updateNorm === undefined || t.clippedNorm === undefined) return;
      let x = 0;
      let y = 0;
      const scale = t.updateNorm > 0 ? t.clippedNorm / t.updateNorm : 0;
      for (let j = 0; j < n; j++) {
        const d = t.weights[j] - before[j];
        x += d * r1[j];
        y += d * r2[j];
        mean[j] += e.coefficients[i] * scale * d;
      }
      arrows.push({ client: k, angle: Math.atan2(y, x), norm: t.updateNorm, clipped: t.clippedNorm });
    });
    const applied = Float64Array.from(after, (a, j) => a - before[j]);
    const noise = Float64Array.from(applied, (a, j) => a - mean[j]);
    server = { mean: norm(mean), noise: norm(noise), applied: norm(applied) };
    clips.push({
      round: e.round,
      participants: arrows.length,
      clipped: arrows.filter((a) => a.norm > a.clipped + 1e-12).length,
      meanUpdateNorm: arrows.reduce((s, a) => s + a.norm, 0) / Math.max(1, arrows.length),
      meanNorm: server.mean,
      noiseNorm: server.noise,
      appliedNorm: server.applied,
    });
    updatesView.update({ round: e.round, clip: config?.clip ?? ctx.values.clip, clients: arrows, server });
    pending = [];
  }

  function onEvent(e: EngineEvent) {
    switch (e.type) {
      case 'run-started':
        config = e.config;
        rows = [];
        clips = [];
        pending = [];
        showAlert(null);
        setProgress(0, e.config.rounds);
        drawCurves();
        if (status !== 'paused') setStatus(playing && ctx.visible ? 'running' : 'paused');
        root.dataset.runId = String(host.runId);
        ctx.announce(summary());
        return;
      case 'client-trained':
        pending.push(e);
        return;
      case 'models-averaged':
        onRoundAveraged(e);
        return;
      case 'round-metrics':
        rows.push(e.metrics);
        setProgress(e.metrics.round, config?.rounds ?? ctx.values.rounds);
        drawCurves();
        root.dataset.round = String(e.metrics.round);
        ctx.announce(summary());
        return;
      case 'run-finished':
        if (config) cached().set(config.noise, { accuracy: rows.map((r) => r.testAccuracy), epsilon: rows.map((r) => r.epsilon ?? null) });
        setStatus('finished');
        drawCurves();
        ctx.announce(summary(), true);
        nextSweepRun();
        return;
      case 'run-diverged':
        setStatus('diverged');
        showAlert(`${e.message} 설정을 바꾸거나 ‘다시 학습’을 누르면 새로 시작합니다.`);
        stopSweep('학습이 발산해 z 바꿔 보기를 멈췄습니다.');
        ctx.announce(summary(), true);
        return;
      default:
        return;
    }
  }

  const wireOptions = { emitWeights: true, divergeFactor: 10 };
  const shouldRun = () => playing && ctx.visible;

  /** Starts a run of the current settings, or explains why it cannot. */
  function newRun(debounced: boolean) {
    showSigma();
    const cfg = toRunConfig(ctx.values);
    const problems = validateConfig(cfg);
    if (problems.length) {
      host.cancel();
      setStatus('invalid');
      showAlert(problems.map((p) => p.ko).join(' '));
      stopSweep(null);
      ctx.announce(summary(), true);
      return;
    }
    showAlert(null);
    setStatus('loading');
    if (debounced) host.restart(() => toRunConfig(ctx.values), wireOptions, { paused: () => !shouldRun() });
    else host.start(cfg, wireOptions, { paused: !shouldRun() });
  }

  function showSweep() {
    if (!sweepStatus) return;
    sweepStatus.textContent = sweepTotal ? `z 바꿔 보기: ${sweepTotal - sweep.length}/${sweepTotal} (지금 z = ${ctx.values.noise})` : '';
    root.dataset.sweep = sweepTotal ? 'running' : 'idle';
  }

  function startSweep() {
    const own = ctx.values.noise;
    const done = cached();
    sweep = NOISE_GRID.filter((z) => z !== own && !done.has(z));
    // End on the reader's own z, so the widget is left showing their setting.
    sweep.push(own);
    sweepTotal = sweep.length;
    playing = true;
    nextSweepRun(true);
  }

  function nextSweepRun(first = false) {
    if (!sweepTotal) return;
    if (!first && sweep.length === 0) {
      sweepTotal = 0;
      showSweep();
      ctx.announce('z를 바꿔 가며 학습을 모두 마쳤습니다. ' + summary(), true);
      return;
    }
    if (!first) sweep.shift();
    if (sweep.length === 0) return nextSweepRun();
    const z = sweep[0];
    showSweep();
    if (z === ctx.values.noise) {
      newRun(false);
      return;
    }
    sweepMoving = true;
    ctx.set('noise', z);
    sweepMoving = false;
  }

  function stopSweep(message: string | null) {
    if (!sweepTotal) return;
    sweep = [];
    sweepTotal = 0;
    showSweep();
    if (message) ctx.notify(message);
  }

  function exportView(kind: 'png' | 'svg', target: string) {
    const svg = target === 'updates' ? updatesView.svg() : target === 'curves' ? curves.svg() : target === 'epsilon' ? epsilonChart.svg() : noiseChart.svg();
    if (!svg) return;
    const text = svgDocument(svg);
    const name = `dp-fedavg-${target}-${stamp()}`;
    if (kind === 'svg') downloadSvg(text, `${name}.svg`);
    else void downloadPng(text, `${name}.png`).catch((err) => ctx.notify(String(err instanceof Error ? err.message : err)));
  }

  host.setPace(PACE_MS);
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
    noStep: ['finished', 'diverged', 'invalid'],
    frozen: ['invalid'],
    restartPlays: false,
  };

  return {
    update(_values: DpValues, _changed) {
      if (!sweepMoving) stopSweep(sweepTotal ? '설정이 바뀌어 z 바꿔 보기를 멈췄습니다.' : null);
      playing = true;
      newRun(!sweepMoving);
    },
    action(name, trigger) {
      // A restart also ends a noise sweep; play after the end starts a run without ending one.
      if (name === 'restart') stopSweep(null);
      if (transportAction(name, transport)) return;
      switch (name) {
        case 'sweep':
          if (status === 'invalid') return;
          startSweep();
          return;
        case 'export-csv':
          downloadCsv(
            rows.map((r, i) => ({
              round: r.round,
              test_accuracy: r.testAccuracy,
              test_loss: r.testLoss,
              train_loss: r.trainLoss,
              epsilon: r.epsilon ?? '',
              participants: clips[i]?.participants,
              clipped: clips[i]?.clipped,
              mean_update_norm: clips[i]?.meanUpdateNorm,
              mean_clipped_norm: clips[i]?.meanNorm,
              noise_norm: clips[i]?.noiseNorm,
              step_norm: clips[i]?.appliedNorm,
            })),
            ['round', 'test_accuracy', 'test_loss', 'train_loss', 'epsilon', 'participants', 'clipped', 'mean_update_norm', 'mean_clipped_norm', 'noise_norm', 'step_norm'],
            `dp-fedavg-rounds-${stamp()}.csv`,
          );
          return;
        case 'export-noise-csv':
          downloadCsv(
            [...cached().entries()].sort((a, b) => a[0] - b[0]).map(([z, run]) => ({ z, epsilon: run.epsilon[run.epsilon.length - 1] ?? 'inf', final_test_accuracy: run.accuracy[run.accuracy.length - 1], rounds: run.accuracy.length })),
            ['z', 'epsilon', 'final_test_accuracy', 'rounds'],
            `dp-fedavg-noise-${stamp()}.csv`,
          );
          return;
        case 'export-json':
          downloadJson({ widget: 'dp-fedavg', settings: ctx.values, config: config ?? toRunConfig(ctx.values), sigma: sigmaOf(ctx.values), delta: DELTA, epsilon: rows.at(-1)?.epsilon ?? null, backend }, `dp-fedavg-${stamp()}.json`);
          return;
        case 'export-png':
        case 'export-svg':
          exportView(name === 'export-png' ? 'png' : 'svg', trigger.dataset.target ?? 'updates');
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
      updatesView.destroy();
      curves.destroy();
      noiseChart.destroy();
      epsilonChart.destroy();
    },
    inspect() {
      return {
        runId: host.runId,
        status,
        config,
        rows: [...rows],
        clips: [...clips],
        arrows: [...arrows],
        server,
        curve: [...cached().entries()].map(([z, run]) => ({ z, accuracy: run.accuracy[run.accuracy.length - 1], epsilon: run.epsilon[run.epsilon.length - 1] ?? null })).sort((a, b) => a.z - b.z),
        sweeping: sweepTotal > 0,
        backend,
      };
    },
  };
}
