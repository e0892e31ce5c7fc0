/**
 * The DP-FedAvg widget, mounted when it nears the viewport: the engine runs 'dpfedavg' in the
 * kit's worker; ./state.ts turns its events into what is drawn (update directions in a fixed 2D
 * projection, the server's step split into mean clipped update and noise). Learning happens only
 * in the engine. The page keeps finished runs' accuracy and ε by z for the privacy–utility curve;
 * ε itself comes from the engine's accountant with every round's metrics.
 */
import type { WidgetContext } from '~/runtime/widget';
import { validateConfig } from '~/engine/config';
import { create as createUpdates } from './updates-view';
import { createCurves, createEpsilon, createNoise, type AccuracyData } from './accuracy-charts';
import { DELTA, NOISE_GRID, PACE_MS, params, type DpParams } from './params';
import { sigmaOf, sigmaText, three, toRunConfig } from './config';
import { initDp, reduceDp, type DpState } from './state';
import { Run } from '../kit/run';
import { runSentence } from '../kit/status';
import { choiceLabel } from '../controls/params';
import { formatDelta, pct } from '../renderers/format';
import { setText } from '../renderers/outputs';

/** What tests read: what the widget's inspect() returns. */
export type DpInspection = ReturnType<ReturnType<typeof mount>['inspect']>;

/** A finished run's test accuracy per round, and its final ε (engine's accountant; null: no guarantee). */
type Finished = { accuracy: number[]; epsilon: number | null };

export function mount(ctx: WidgetContext<DpParams>) {
  const { root, q, own } = ctx;
  const sweepStatus = q('[data-sweep-status]')!;
  const sigmaLine = q('[data-sigma]')!;

  const updatesView = createUpdates(q('[data-view="updates"]')!, { label: '이번 라운드 클라이언트 변화량의 클리핑 전후 길이와 방향, 서버가 더한 노이즈의 크기' });
  /** The charts drawn from the finished runs and the current one (accuracy-charts.ts). */
  const charts = {
    curves: createCurves(q('[data-view="curves"]')!, { label: '노이즈 배수 z별 라운드마다의 테스트 정확도', grid: NOISE_GRID }),
    epsilon: createEpsilon(q('[data-view="epsilon"]')!, { label: '라운드마다 쌓이는 프라이버시 예산 ε', grid: NOISE_GRID }),
    noise: createNoise(q('[data-view="noise"]')!, { label: '프라이버시–정확도 곡선: z마다 학습을 마친 뒤의 ε과 테스트 정확도', grid: NOISE_GRID }),
  };
  const views = { updates: updatesView, ...charts };
  for (const view of Object.values(views)) own(view);

  /** Finished runs by their settings. */
  const cache = new Map<string, Finished>();
  /** The current settings with noise multiplier `z`: runs that differ only in z belong on one curve. */
  const keyOf = (z: number) => JSON.stringify({ ...ctx.values, noise: z });
  /** A z sweep: the z values still to train (the last one is the reader's own z), of how many. */
  let sweep: { left: number[]; total: number } | null = null;
  /** Set while the sweep itself moves the z slider, so that update() does not cancel the sweep. */
  let sweepMoving = false;

  const run: Run<DpParams, DpState> = new Run(ctx, {
    config: () => toRunConfig(ctx.values),
    // The clients' and the server's weights of each round, and only the events the reducer reads.
    options: () => ({ emitWeights: true, events: ['client-trained', 'models-averaged', 'round-metrics'] }),
    validate: () => {
      const problems = validateConfig(toRunConfig(ctx.values));
      if (!problems.length) return null;
      stopSweep(null);
      return problems.map((p) => p.ko).join(' ');
    },
    init: initDp,
    reduce: reduceDp,
    onReset: () => setText(sigmaLine, sigmaText(ctx.values)),
    onEvent: (e) => {
      if (e.type === 'run-started' || e.type === 'round-metrics') drawCurves();
      else if (e.type === 'models-averaged' && run.state.server) {
        updatesView.update({ round: e.round, clip: run.config()?.clip ?? ctx.values.clip, clients: [...run.state.arrows], server: run.state.server });
      }
    },
    onEnd: (s) => {
      if (s === 'diverged') return stopSweep('학습이 발산해 z 바꿔 보기를 멈췄습니다.');
      const config = run.config();
      if (config) cache.set(keyOf(config.noise), { accuracy: run.state.rows.map((r) => r.testAccuracy), epsilon: run.state.rows.at(-1)?.epsilon ?? null });
      drawCurves();
      nextSweepRun();
    },
    pace: () => PACE_MS,
    summary,
    exports: {
      tables: {
        'export-csv': {
          file: 'dp-fedavg-rounds',
          columns: ['round', 'test_accuracy', 'test_loss', 'train_loss', 'epsilon', 'participants', 'clipped', 'mean_update_norm', 'mean_clipped_norm', 'noise_norm', 'step_norm'],
          rows: () =>
            run.state.rows.map((r, i) => {
              const c = run.state.clips[i];
              return {
                round: r.round,
                test_accuracy: r.testAccuracy,
                test_loss: r.testLoss,
                train_loss: r.trainLoss,
                epsilon: r.epsilon ?? '',
                participants: c?.participants,
                clipped: c?.clipped,
                mean_update_norm: c?.meanUpdateNorm,
                mean_clipped_norm: c?.meanNorm,
                noise_norm: c?.noiseNorm,
                step_norm: c?.appliedNorm,
              };
            }),
        },
        'export-noise-csv': {
          file: 'dp-fedavg-noise',
          columns: ['z', 'epsilon', 'final_test_accuracy', 'rounds'],
          rows: () => finals().map((p) => ({ z: p.z, epsilon: p.epsilon ?? 'inf', final_test_accuracy: p.accuracy, rounds: p.rounds })),
        },
      },
      json: { file: 'dp-fedavg', value: () => ({ widget: 'dp-fedavg', settings: ctx.values, config: run.config() ?? toRunConfig(ctx.values), sigma: sigmaOf(ctx.values), delta: DELTA, epsilon: run.state.rows.at(-1)?.epsilon ?? null, backend: run.backend }) },
      prefix: 'dp-fedavg',
      views,
    },
  });

  /** The finished runs of the current settings other than z, by z (ascending). */
  const cached = () => NOISE_GRID.filter((z) => cache.has(keyOf(z))).map((z) => ({ z, ...cache.get(keyOf(z))! }));

  /** The finished runs of the current settings by z: final test accuracy and ε (null: z = 0). */
  const finals = () => cached().map(({ z, accuracy, epsilon }) => ({ z, accuracy: accuracy[accuracy.length - 1], epsilon, rounds: accuracy.length }));

  function drawCurves() {
    const rows = run.state.rows;
    const z = run.config()?.noise ?? ctx.values.noise;
    const curves: AccuracyData['curves'] = cached().filter((c) => c.z !== z);
    curves.push({ z, accuracy: rows.map((r) => r.testAccuracy) });
    const epsilon = rows.flatMap((r) => (typeof r.epsilon === 'number' ? [r.epsilon] : []));
    const data = { curves, epsilon, points: finals(), rounds: run.config()?.rounds ?? ctx.values.rounds, z };
    for (const chart of Object.values(charts)) chart.update(data);
  }

  function summary(): string {
    const v = ctx.values;
    const status = run.status;
    const sampling = `클라이언트 ${v.clients}명이 라운드마다 확률 ${v.fraction}로 참여(평균 ${three(v.fraction * v.clients)}명)`;
    const head = `${choiceLabel(params.data, v.data)} 데이터, ${sampling}, S = ${v.clip}, z = ${v.noise} (σ = ${three(sigmaOf(v))})`;
    if (status === 'invalid') return `${head}: 이 설정으로는 학습할 수 없습니다.`;
    const { rows, clips } = run.state;
    const last = rows[rows.length - 1];
    if (!last) return runSentence(status, head, null);
    const c = clips[clips.length - 1];
    const clipText = c ? ` 이번 라운드 ${c.participants}명 중 ${c.clipped}명의 변화량이 잘렸고, 노이즈의 크기는 평균 변화량의 ${(c.noiseNorm / Math.max(c.meanNorm, 1e-12)).toFixed(1)}배입니다.` : '';
    const eps =
      typeof last.epsilon === 'number'
        ? ` 지금까지 쓴 프라이버시 예산은 ε = ${last.epsilon.toFixed(2)} (δ = ${formatDelta(DELTA)})입니다.`
        : ' 노이즈나 클리핑이 없어 차분 프라이버시 보장은 없습니다.';
    return runSentence(status, head, (state) => `${state}, 라운드 ${last.round}/${run.config()?.rounds ?? v.rounds}, 테스트 정확도 ${pct(last.testAccuracy)}.${eps}${clipText}`);
  }

  function showSweep() {
    setText(sweepStatus, sweep ? `z 바꿔 보기: ${sweep.total - sweep.left.length}/${sweep.total} (지금 z = ${ctx.values.noise})` : '');
    root.dataset.sweep = sweep ? 'running' : 'idle';
  }

  function startSweep() {
    const own = ctx.values.noise;
    // The z not trained yet with these settings, ending on the reader's own z, so the widget is left showing their setting.
    const left = [...NOISE_GRID.filter((z) => z !== own && !cache.has(keyOf(z))), own];
    sweep = { left, total: left.length };
    run.playing = true;
    trainSweep();
  }

  /** Trains the sweep's next z: moving the slider starts its run (the reader's own z starts now). */
  function trainSweep() {
    showSweep();
    const z = sweep!.left[0];
    if (z === ctx.values.noise) return run.start(false);
    sweepMoving = true;
    ctx.set('noise', z);
    sweepMoving = false;
  }

  /** A run finished: the sweep trains its next z, or ends when none is left. */
  function nextSweepRun() {
    if (!sweep) return;
    sweep.left.shift();
    if (sweep.left.length) return trainSweep();
    stopSweep(null);
    ctx.announce('z를 바꿔 가며 학습을 모두 마쳤습니다. ' + summary(), true);
  }

  /** Ends the sweep (`message`: a notice why, when it is cut short). */
  function stopSweep(message: string | null) {
    if (!sweep) return;
    sweep = null;
    showSweep();
    if (message) ctx.notify(message);
  }

  run.start(false);

  return run.controller({
    update() {
      if (!sweepMoving) stopSweep('설정이 바뀌어 z 바꿔 보기를 멈췄습니다.');
      return sweepMoving ? 'now' : undefined;
    },
    action(name) {
      // A restart also ends a noise sweep; play after the end starts a run without ending one.
      if (name === 'restart') stopSweep(null);
      if (name !== 'sweep') return false;
      if (run.status !== 'invalid') startSweep();
      return true;
    },
    inspect: () => ({
      ...run.inspectBase(),
      rows: [...run.state.rows],
      clips: [...run.state.clips],
      arrows: [...run.state.arrows],
      server: run.state.server,
      /** Final accuracy and ε (null: z = 0, no guarantee) by z for the current settings (other than z). */
      curve: finals(),
      sweeping: sweep !== null,
    }),
  });
}
