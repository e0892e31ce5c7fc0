/**
 * The DP-FedAvg widget, mounted when it nears the viewport: the engine runs 'dpfedavg' in the
 * kit's worker; ./state.ts turns its events into what is drawn (update directions in a fixed 2D
 * projection, the server's step split into mean clipped update and noise). Learning happens only
 * in the engine. The page keeps finished runs' accuracy by z for the accuracy-against-noise curve.
 */
import type { WidgetContext, WidgetController } from '~/runtime/widget';
import { validateConfig } from '~/engine/config';
import { create as createUpdates, type ClientArrow, type ServerStep } from './updates-view';
import { createCurves, createNoise } from './accuracy-charts';
import { NOISE_GRID, PACE_MS, params, type DpParams } from './params';
import { curveKey, perRound, sigmaOf, toRunConfig } from './config';
import { initDp, reduceDp, type DpState, type RoundClip } from './state';
import { createRun, type Run, type RunInspection } from '../kit/run';
import { choiceLabel, pct } from '../kit/status';
import type { RoundMetrics } from '~/engine/types';

/** What tests read. */
export interface DpInspection extends RunInspection {
  rows: RoundMetrics[];
  clips: RoundClip[];
  arrows: ClientArrow[];
  server: ServerStep | null;
  /** Final accuracy by z for the current settings (other than z). */
  curve: { z: number; accuracy: number }[];
  sweeping: boolean;
}

export function mount(ctx: WidgetContext<DpParams>): WidgetController<DpParams> & { inspect(): DpInspection } {
  const root = ctx.root;
  const q = <E extends Element = HTMLElement>(sel: string) => root.querySelector<E & Element>(sel);
  const sweepStatus = q('[data-sweep-status]');
  const sigmaLine = q('[data-sigma]');

  const updatesView = createUpdates(q('[data-view="updates"]')!, { label: '이번 라운드 클라이언트 변화량의 클리핑 전후 길이와 방향, 서버가 더한 노이즈의 크기' });
  const curves = createCurves(q('[data-view="curves"]')!, { label: '노이즈 배수 z별 라운드마다의 테스트 정확도', grid: NOISE_GRID });
  const noiseChart = createNoise(q('[data-view="noise"]')!, { label: '노이즈 배수 z에 따른 마지막 라운드의 테스트 정확도' });

  /** Finished runs: curve key → z → test accuracy per round. */
  const cache = new Map<string, Map<number, number[]>>();
  /** The z values still to train in a sweep (the last one is the reader's own z). */
  let sweep: number[] = [];
  let sweepTotal = 0;
  /** Set while the sweep itself moves the z slider, so that update() does not cancel the sweep. */
  let sweepMoving = false;

  const run: Run<DpParams, DpState> = createRun(ctx, {
    config: () => toRunConfig(ctx.values),
    options: () => ({ emitWeights: true, divergeFactor: 10 }),
    validate: () => {
      const problems = validateConfig(toRunConfig(ctx.values));
      if (!problems.length) return null;
      stopSweep(null);
      return problems.map((p) => p.ko).join(' ');
    },
    init: initDp,
    reduce: (s, e) => reduceDp(s, e),
    onReset: showSigma,
    onEvent: (e) => {
      if (e.type === 'run-started' || e.type === 'round-metrics') drawCurves();
      else if (e.type === 'models-averaged' && run.state.server) {
        updatesView.update({ round: e.round, clip: run.config()?.clip ?? ctx.values.clip, clients: [...run.state.arrows], server: run.state.server });
      }
    },
    onEnd: (s) => {
      if (s === 'diverged') return stopSweep('학습이 발산해 z 바꿔 보기를 멈췄습니다.');
      const config = run.config();
      if (config)
        cached().set(
          config.noise,
          run.state.rows.map((r) => r.testAccuracy),
        );
      drawCurves();
      nextSweepRun();
    },
    pace: () => PACE_MS,
    summary,
    exports: {
      tables: {
        'export-csv': {
          file: 'dp-fedavg-rounds',
          columns: ['round', 'test_accuracy', 'test_loss', 'train_loss', 'participants', 'clipped', 'mean_update_norm', 'mean_clipped_norm', 'noise_norm', 'step_norm'],
          rows: () =>
            run.state.rows.map((r, i) => {
              const c = run.state.clips[i];
              return {
                round: r.round,
                test_accuracy: r.testAccuracy,
                test_loss: r.testLoss,
                train_loss: r.trainLoss,
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
          columns: ['z', 'final_test_accuracy', 'rounds'],
          rows: () => [...cached().entries()].sort((a, b) => a[0] - b[0]).map(([z, acc]) => ({ z, final_test_accuracy: acc[acc.length - 1], rounds: acc.length })),
        },
      },
      json: { file: 'dp-fedavg', value: () => ({ widget: 'dp-fedavg', settings: ctx.values, config: run.config() ?? toRunConfig(ctx.values), sigma: sigmaOf(ctx.values), backend: run.backend }) },
      prefix: 'dp-fedavg',
      views: { updates: updatesView, curves, noise: noiseChart },
    },
  });

  function showSigma() {
    const v = ctx.values;
    if (sigmaLine) sigmaLine.textContent = `라운드마다 m = ${perRound(v)}명, 노이즈 표준편차 σ = z·S/m = ${Number(sigmaOf(v).toPrecision(3))}`;
  }

  function cached(): Map<number, number[]> {
    const key = curveKey(ctx.values);
    let m = cache.get(key);
    if (!m) {
      m = new Map();
      cache.set(key, m);
    }
    return m;
  }

  function drawCurves() {
    const rows = run.state.rows;
    const z = run.config()?.noise ?? ctx.values.noise;
    const done = cached();
    const list = [...done.entries()].filter(([cz]) => cz !== z).map(([cz, acc]) => ({ z: cz, accuracy: acc, current: false }));
    list.push({ z, accuracy: rows.map((r) => r.testAccuracy), current: true });
    curves.update({ curves: list, rounds: run.config()?.rounds ?? ctx.values.rounds });
    noiseChart.update({
      points: [...done.entries()].map(([cz, acc]) => ({ z: cz, accuracy: acc[acc.length - 1] })),
      grid: NOISE_GRID,
      current: ctx.values.noise,
    });
  }

  function summary(): string {
    const v = ctx.values;
    const status = run.status;
    const head = `${choiceLabel(params.data, v.data)} 데이터, 클라이언트 ${v.clients}명 중 라운드마다 ${perRound(v)}명, S = ${v.clip}, z = ${v.noise} (σ = ${Number(sigmaOf(v).toPrecision(3))})`;
    if (status === 'invalid') return `${head}: 이 설정으로는 학습할 수 없습니다.`;
    if (status === 'diverged') return `${head}: 학습이 발산해 멈췄습니다.`;
    const { rows, clips } = run.state;
    const last = rows[rows.length - 1];
    if (!last) return `${head}: 학습을 준비하고 있습니다.`;
    const state = status === 'finished' ? '학습을 마쳤습니다' : status === 'paused' ? '일시정지' : '학습 중';
    const c = clips[clips.length - 1];
    const clipText = c ? ` 이번 라운드 ${c.participants}명 중 ${c.clipped}명의 변화량이 잘렸고, 노이즈의 크기는 평균 변화량의 ${(c.noiseNorm / Math.max(c.meanNorm, 1e-12)).toFixed(1)}배입니다.` : '';
    return `${head}: ${state}, 라운드 ${last.round}/${run.config()?.rounds ?? v.rounds}, 테스트 정확도 ${pct(last.testAccuracy)}.${clipText}`;
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
    run.playing = true;
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
      run.start(false);
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

  run.start(false);

  return run.controller({
    update() {
      if (!sweepMoving) stopSweep(sweepTotal ? '설정이 바뀌어 z 바꿔 보기를 멈췄습니다.' : null);
      return sweepMoving ? 'now' : undefined;
    },
    action(name) {
      // A restart also ends a noise sweep; play after the end starts a run without ending one.
      if (name === 'restart') stopSweep(null);
      if (name !== 'sweep') return false;
      if (run.status !== 'invalid') startSweep();
      return true;
    },
    destroy() {
      updatesView.destroy();
      curves.destroy();
      noiseChart.destroy();
    },
    inspect: () => ({
      ...run.inspectBase(),
      rows: [...run.state.rows],
      clips: [...run.state.clips],
      arrows: [...run.state.arrows],
      server: run.state.server,
      curve: [...cached().entries()].map(([z, acc]) => ({ z, accuracy: acc[acc.length - 1] })).sort((a, b) => a.z - b.z),
      sweeping: sweepTotal > 0,
    }),
  });
}
