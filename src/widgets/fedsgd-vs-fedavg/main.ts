/**
 * FedSGD against FedAvg, mounted when the widget nears the viewport. The grid of runs (./config.ts)
 * executes one run at a time in the worker; each run reports its test accuracy per round, and the
 * rounds to the target come from the engine's own reading of a curve (`roundsToTarget`, spec §1:
 * best so far, first crossing, linear interpolation). The page draws the bars beside the paper's
 * Table 2 and says where the orderings agree.
 */
import type { EngineEvent, RunConfig } from '~/engine/types';
import type { WidgetContext, WidgetController } from '~/runtime/widget';
import type { BackendInfo } from '~/runtime/protocol';
import { TrainingHost } from '~/runtime/host';
import { downloadCsv, downloadJson, stamp } from '~/runtime/export';
import { monotone, roundsToTarget, speedup } from '~/engine/metrics';
import { create as createRankBars, type RankRow } from '../renderers/rank-bars';
import { create as createBandChart } from '../renderers/band-chart';
import { DATA_URL, choiceLabel, exportView, pct, statusUi, type Status } from '../renderers/fed-common';
import { params, type VersusParams, type VersusValues } from './params';
import { CLIENTS, FRACTION, LEARNING_RATES, MAX_ROUNDS, SETTINGS, toRunConfig, type Setting } from './config';

/** One run: a setting at one learning rate. */
interface RunResult {
  lr: number;
  /** Rounds to the target (interpolated), or null if not reached within the cap. */
  rounds: number | null;
  /** Rounds actually trained. */
  trained: number;
  best: number;
  diverged: boolean;
  /** Test accuracy per round. */
  accuracies: number[];
}

interface SettingResult {
  runs: RunResult[];
  /** The fastest run (the setting's answer), once one has reached the target. */
  best: RunResult | null;
  done: boolean;
}

type Grid = Map<string, SettingResult>;

/** Line colours of the settings in the curves chart (Okabe–Ito; FedSGD black). */
const COLORS = ['#1d2127', '#e69f00', '#56b4e9', '#009e73', '#0072b2', '#d55e00'];

/** What tests read. */
export interface VersusInspection {
  status: Status;
  runId: number;
  /** Runs finished so far, in order. */
  runs: { setting: string; lr: number; rounds: number | null; trained: number; best: number; accuracies: number[] }[];
  /** Per setting: rounds to target at its best learning rate (null: not reached or not yet run). */
  results: Record<string, { rounds: number | null; lr: number | null; done: boolean }>;
  /** The bars' ranks: measured and paper, per setting key. */
  ranks: { here: Record<string, number | null>; paper: Record<string, number> };
  current: { setting: string; lr: number; round: number } | null;
  /** The latest run's configuration (null for a grid shown from memory). */
  config: RunConfig | null;
  backend: BackendInfo | null;
  fromCache: boolean;
}

export function mount(ctx: WidgetContext<VersusParams>): WidgetController<VersusParams> & { inspect(): VersusInspection } {
  const root = ctx.root;
  const q = <E extends Element = HTMLElement>(sel: string) => root.querySelector<E & Element>(sel);
  const ui = statusUi(root);
  const now = q('[data-now]');
  const verdict = q('[data-verdict]');
  const hereTitle = q('[data-here-title]');
  const paperTitle = q('[data-paper-title]');
  const runsBody = q<HTMLTableSectionElement>('[data-runs] tbody');
  const curvesView = q('[data-view="curves"]')!;

  const here = createRankBars(q('[data-view="here"]')!, { label: '이 브라우저에서 잰, 설정별로 목표 정확도까지 걸린 라운드 수', color: '#0a7d6c' });
  const paper = createRankBars(q('[data-view="paper"]')!, { label: '논문 표 2의 설정별 라운드 수', color: '#6a3d9a' });
  const curves = createBandChart(curvesView, {
    label: '설정별로 가장 빠른 학습률에서 잰, 지금까지의 최고 테스트 정확도',
    xLabel: '라운드',
    yLabel: '정확도',
    yDomain: [0, 1],
    yPercent: true,
    key: false,
    lines: [
      ...SETTINGS.map((s, i) => ({ key: s.key, label: s.label, color: COLORS[i] })),
      { key: 'target', label: '목표', color: '#888888', dashed: true },
    ],
  });
  const curveKey = document.createElement('ul');
  curveKey.className = 'fw__client-key fw__curve-key';
  curveKey.setAttribute('aria-label', '곡선의 설정');
  curvesView.after(curveKey);
  curveKey.replaceChildren(
    ...[...SETTINGS.map((s, i) => ({ label: s.label, color: COLORS[i], dash: '' })), { label: '목표 정확도', color: '#888888', dash: '5 3' }].map((k) => {
      const li = document.createElement('li');
      const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      svg.setAttribute('class', 'fw__line-key');
      svg.setAttribute('viewBox', '0 0 32 12');
      svg.setAttribute('aria-hidden', 'true');
      const line = document.createElementNS('http://www.w3.org/2000/svg', 'line');
      for (const [a, v] of Object.entries({ x1: '1', x2: '31', y1: '6', y2: '6', stroke: k.color, 'stroke-width': '2.5' })) line.setAttribute(a, v);
      if (k.dash) line.setAttribute('stroke-dasharray', k.dash);
      svg.append(line);
      li.append(svg, k.label);
      return li;
    }),
  );

  let status: Status = 'loading';
  let playing = true;
  let backend: BackendInfo | null = null;
  let grid: Grid = new Map();
  let job: { s: number; lrIndex: number; accuracies: number[]; cap: number; config: RunConfig; over: boolean } | null = null;
  let finishedRuns: { setting: string; run: RunResult }[] = [];
  /** The configuration of the latest run started (tests and the JSON export read it). */
  let lastConfig: RunConfig | null = null;
  let fromCache = false;
  /** Finished grids by settings, so going back to one shows it at once. */
  const cache = new Map<string, { grid: Grid; runs: { setting: string; run: RunResult }[] }>();

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

  const target = () => Number(ctx.values.target);
  const cacheKey = (v: VersusValues) => `${v.partition}|${v.target}|${v.seed}`;
  const active = () => playing && ctx.visible;
  const totalRuns = SETTINGS.length * LEARNING_RATES.length;

  function setStatus(s: Status) {
    status = s;
    ui.status(s, playing, '다시 실행');
  }

  function freshGrid(): Grid {
    return new Map(SETTINGS.map((s) => [s.key, { runs: [], best: null, done: false }]));
  }

  /** Starts the next run of the grid, or finishes. */
  function nextJob() {
    const v = ctx.values;
    for (let s = 0; s < SETTINGS.length; s++) {
      const r = grid.get(SETTINGS[s].key)!;
      if (r.done) continue;
      const lrIndex = r.runs.length;
      if (lrIndex >= LEARNING_RATES.length) {
        r.done = true;
        continue;
      }
      // A rate that has used as many rounds as the best one so far cannot beat it.
      const cap = r.best?.rounds != null ? Math.min(MAX_ROUNDS, Math.max(1, Math.ceil(r.best.rounds))) : MAX_ROUNDS;
      const config = toRunConfig(v, SETTINGS[s], LEARNING_RATES[lrIndex], cap);
      job = { s, lrIndex, accuracies: [], cap, config, over: false };
      lastConfig = config;
      host.start(config, { divergeFactor: 10, dataUrl: DATA_URL }, { paused: !active() });
      root.dataset.runId = String(host.runId);
      describeNow();
      return;
    }
    job = null;
    setStatus('finished');
    cache.set(cacheKey(v), { grid, runs: finishedRuns });
    if (now) now.textContent = `모든 설정을 마쳤습니다 (실행 ${finishedRuns.length}번).`;
    ui.progress(totalRuns, totalRuns, `실행 ${finishedRuns.length}번 완료`);
    draw();
    ctx.announce(summary(), true);
  }

  function describeNow() {
    if (!job) return;
    const s = SETTINGS[job.s];
    const round = job.accuracies.length;
    const best = job.accuracies.length ? Math.max(...job.accuracies) : NaN;
    if (now) {
      now.textContent = `지금: ${s.label}, 학습률 ${LEARNING_RATES[job.lrIndex]} · 라운드 ${round}/${job.cap}${Number.isFinite(best) ? ` · 최고 정확도 ${pct(best)}` : ''}`;
    }
    const done = finishedRuns.length;
    ui.progress(done, totalRuns, `실행 ${done + 1} / 최대 ${totalRuns}`);
    root.dataset.round = String(round);
  }

  function onEvent(e: EngineEvent) {
    if (!job || job.over) return;
    switch (e.type) {
      case 'run-started':
        if (status === 'loading') setStatus(active() ? 'running' : 'paused');
        return;
      case 'round-metrics': {
        job.accuracies.push(e.metrics.testAccuracy);
        const r = roundsToTarget(job.accuracies, target());
        describeNow();
        draw();
        if (r !== null) endJob(r, false);
        else if (job.accuracies.length >= job.cap) endJob(null, false);
        return;
      }
      case 'run-diverged':
        endJob(null, true);
        return;
      case 'run-finished':
        endJob(null, false);
        return;
      default:
        return;
    }
  }

  function endJob(rounds: number | null, diverged: boolean) {
    if (!job || job.over) return;
    job.over = true;
    const s = SETTINGS[job.s];
    const res = grid.get(s.key)!;
    const run: RunResult = {
      lr: LEARNING_RATES[job.lrIndex],
      rounds,
      trained: job.accuracies.length,
      best: job.accuracies.length ? Math.max(...job.accuracies) : NaN,
      diverged,
      accuracies: job.accuracies,
    };
    res.runs.push(run);
    if (rounds !== null && (res.best?.rounds == null || rounds < res.best.rounds)) res.best = run;
    if (res.runs.length >= LEARNING_RATES.length) res.done = true;
    finishedRuns.push({ setting: s.key, run });
    addRunRow(s, run);
    draw();
    // The next run replaces this one in the worker (start cancels it if it is still going).
    nextJob();
  }

  function addRunRow(s: Setting, run: RunResult) {
    if (!runsBody) return;
    const tr = runsBody.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = s.label;
    tr.append(th);
    tr.insertCell().textContent = String(run.lr);
    tr.insertCell().textContent =
      run.rounds !== null ? run.rounds.toFixed(1) : run.diverged ? '발산' : `${run.trained}라운드 안에 도달 못 함`;
    tr.insertCell().textContent = pct(run.best);
  }

  /** Ranks by ascending value; settings without a value get none. */
  function ranksOf(values: (number | null)[]): (number | null)[] {
    const idx = values.map((v, i) => [v, i] as const).filter(([v]) => v !== null).sort((a, b) => a[0]! - b[0]!);
    const out: (number | null)[] = values.map(() => null);
    idx.forEach(([, i], r) => (out[i] = r + 1));
    return out;
  }

  function measured(): (number | null)[] {
    return SETTINGS.map((s) => grid.get(s.key)!.best?.rounds ?? null);
  }

  function draw() {
    const v = ctx.values;
    const values = measured();
    const ranks = ranksOf(values);
    const base = values[0];
    const runningKey = job && !job.over ? SETTINGS[job.s].key : null;
    const rows: RankRow[] = SETTINGS.map((s, i) => {
      const r = grid.get(s.key)!;
      const value = values[i];
      let state: RankRow['state'] = 'waiting';
      let text = '대기';
      if (value !== null) {
        state = 'done';
        const sp = i > 0 ? speedup(base, value) : null;
        text = `${value.toFixed(1)}${sp !== null ? ` · ${sp.toFixed(1)}×` : ''}`;
        if (!r.done) text += ' …';
      } else if (r.done) {
        state = 'missed';
        text = `> ${MAX_ROUNDS}`;
      } else if (runningKey === s.key) {
        state = 'running';
        text = '학습 중';
      }
      return { key: s.key, label: s.label, value, state, text, rank: r.done ? ranks[i] : null, baseline: i === 0 };
    });
    const finite = values.filter((x): x is number => x !== null);
    // A setting that never reached the target is drawn to the cap, so the axis must reach it.
    const missed = rows.some((r) => r.state === 'missed');
    here.update({ rows, max: missed ? MAX_ROUNDS : Math.max(10, ...finite.map((x) => x * 1.05)) });

    const p = SETTINGS.map((s) => s.paper[v.partition]);
    const pr = ranksOf(p);
    paper.update({
      rows: SETTINGS.map((s, i) => ({
        key: s.key,
        label: s.label,
        value: p[i],
        state: 'done',
        text: `${p[i]}${i > 0 ? ` · ${(p[0] / p[i]).toFixed(1)}×` : ''}`,
        rank: pr[i],
        baseline: i === 0,
      })),
      max: Math.max(...p) * 1.05,
    });
    if (hereTitle) hereTitle.textContent = `이 브라우저에서 (digits, 목표 ${pct(Number(v.target), 0)})`;
    if (paperTitle) paperTitle.textContent = `논문 표 2 (MNIST, CNN, 목표 99%, ${v.partition === 'iid' ? 'IID' : '극단적 Non-IID'})`;

    // Curves: each setting's best run so far (or the one running now), as best-so-far accuracy.
    const lines: { x: number; y: number; series: string }[] = [];
    let xMax = 10;
    SETTINGS.forEach((s) => {
      const r = grid.get(s.key)!;
      const acc = runningKey === s.key && job && !r.best ? job.accuracies : (r.best?.accuracies ?? null);
      if (!acc) return;
      monotone(acc).forEach((y, j) => lines.push({ x: j + 1, y, series: s.key }));
      xMax = Math.max(xMax, acc.length);
    });
    lines.push({ x: 0, y: Number(v.target), series: 'target' }, { x: xMax, y: Number(v.target), series: 'target' });
    curves.update({ lines, xMax });
    if (verdict) verdict.textContent = status === 'finished' ? verdictText() : '';
  }

  /** Pairs of settings whose order here agrees with the paper's. */
  function agreement(): { agree: number; pairs: number } {
    const v = ctx.values;
    const m = measured();
    let agree = 0;
    let pairs = 0;
    for (let i = 0; i < SETTINGS.length; i++) {
      for (let j = i + 1; j < SETTINGS.length; j++) {
        const a = m[i] ?? Infinity;
        const b = m[j] ?? Infinity;
        if (a === Infinity && b === Infinity) continue;
        const pa = SETTINGS[i].paper[v.partition];
        const pb = SETTINGS[j].paper[v.partition];
        pairs++;
        if (Math.sign(a - b) === Math.sign(pa - pb)) agree++;
      }
    }
    return { agree, pairs };
  }

  function verdictText(): string {
    const v = ctx.values;
    const m = measured();
    const { agree, pairs } = agreement();
    const base = m[0];
    const most = m[SETTINGS.length - 1];
    const sp = speedup(base, most);
    const paperSp = SETTINGS[0].paper[v.partition] / SETTINGS[SETTINGS.length - 1].paper[v.partition];
    const parts = [`두 설정씩 짝지어 비교하면 ${pairs}쌍 가운데 ${agree}쌍의 순서가 논문과 같습니다.`];
    if (sp !== null) parts.push(`가장 많이 로컬 계산을 하는 E=20, B=10은 FedSGD보다 ${sp.toFixed(1)}배 빨랐습니다(논문 ${paperSp.toFixed(1)}배).`);
    else if (base === null) parts.push(`FedSGD는 ${MAX_ROUNDS}라운드 안에 목표에 닿지 못했습니다.`);
    if (v.partition === 'shards') {
      const e5 = m[1];
      const r = speedup(base, e5);
      parts.push(
        r === null
          ? '논문에서 FedSGD보다 느렸던 E=5, B=∞(0.5배)는 여기서 비교할 수 없었습니다.'
          : r < 1
            ? `논문처럼 E=5, B=∞가 FedSGD보다 느렸습니다(${r.toFixed(1)}배, 논문 0.5배).`
            : `논문에서는 E=5, B=∞가 FedSGD보다 느렸지만(0.5배) 이 작은 실험에서는 ${r.toFixed(1)}배로 오히려 빨랐습니다. 데이터와 모델의 크기, 학습률 후보가 논문과 다르니 모든 순서가 같기를 기대할 수는 없습니다.`,
      );
    }
    return parts.join(' ');
  }

  function summary(): string {
    const v = ctx.values;
    const head = `${choiceLabel(params.partition, v.partition)}, 목표 ${pct(Number(v.target), 0)}`;
    const m = measured();
    const done = SETTINGS.map((s, i) => (grid.get(s.key)!.done ? `${s.label} ${m[i] !== null ? `${m[i]!.toFixed(1)}라운드` : '도달 못 함'}` : null)).filter(Boolean);
    const state = status === 'finished' ? '모든 설정을 마쳤습니다' : status === 'paused' ? '일시정지' : '학습 중';
    return `${head}: ${state}. ${done.length ? `목표까지 걸린 라운드: ${done.join(', ')}.` : ''}${status === 'finished' ? ` ${verdictText()}` : ''}`;
  }

  function start() {
    const v = ctx.values;
    host.cancel();
    job = null;
    lastConfig = null;
    ui.alert(null);
    if (runsBody) runsBody.replaceChildren();
    const hit = cache.get(cacheKey(v));
    if (hit) {
      fromCache = true;
      grid = hit.grid;
      finishedRuns = hit.runs;
      for (const r of finishedRuns) addRunRow(SETTINGS.find((s) => s.key === r.setting)!, r.run);
      setStatus('finished');
      if (now) now.textContent = `이 조건은 이미 실행했습니다 (실행 ${finishedRuns.length}번). ‘처음부터’를 누르면 다시 학습합니다.`;
      ui.progress(totalRuns, totalRuns, `실행 ${finishedRuns.length}번 완료`);
      draw();
      ctx.announce(summary(), true);
      return;
    }
    fromCache = false;
    grid = freshGrid();
    finishedRuns = [];
    setStatus('loading');
    draw();
    nextJob();
  }

  ui.parameters(`클라이언트 ${CLIENTS}명 중 라운드마다 ${Math.max(1, Math.floor(CLIENTS * FRACTION))}명이 참여합니다. 숫자 이미지 1,437장을 나눠 갖고, 테스트 이미지 360장으로 정확도를 잽니다.`);
  start();

  return {
    update(_values: VersusValues) {
      playing = true;
      start();
    },
    action(name, trigger) {
      switch (name) {
        case 'toggle-play':
          if (status === 'finished' || status === 'error') {
            cache.delete(cacheKey(ctx.values));
            playing = true;
            start();
          } else {
            playing = !playing;
            setStatus(playing ? 'running' : 'paused');
            if (active()) host.resume();
            else host.pause();
          }
          return;
        case 'restart':
          cache.delete(cacheKey(ctx.values));
          playing = true;
          start();
          return;
        case 'export-csv': {
          const rows = finishedRuns.map(({ setting, run }) => {
            const s = SETTINGS.find((x) => x.key === setting)!;
            return {
              setting: s.label,
              algorithm: s.algorithm,
              E: s.E,
              B: s.B === 'all' ? 'inf' : s.B,
              lr: run.lr,
              rounds_to_target: run.rounds ?? undefined,
              rounds_trained: run.trained,
              best_accuracy: run.best,
              diverged: run.diverged ? 1 : 0,
              paper_rounds: s.paper[ctx.values.partition],
            };
          });
          downloadCsv(rows, ['setting', 'algorithm', 'E', 'B', 'lr', 'rounds_to_target', 'rounds_trained', 'best_accuracy', 'diverged', 'paper_rounds'], `versus-results-${stamp()}.csv`);
          return;
        }
        case 'export-json':
          downloadJson(
            {
              widget: 'fedsgd-vs-fedavg',
              settings: ctx.values,
              grid: SETTINGS.map((s) => ({ ...s, config: toRunConfig(ctx.values, s, LEARNING_RATES[0], MAX_ROUNDS) })),
              learningRates: LEARNING_RATES,
              maxRounds: MAX_ROUNDS,
              backend,
            },
            `versus-config-${stamp()}.json`,
          );
          return;
        case 'export-png':
        case 'export-svg': {
          const t = trigger.dataset.target ?? 'here';
          const source = t === 'here' ? here.toSvg() : t === 'paper' ? paper.toSvg() : curves.svg();
          exportView(name === 'export-png' ? 'png' : 'svg', `versus-${t}`, source, ctx.notify);
          return;
        }
      }
    },
    setVisible(visible) {
      if (status !== 'running' && status !== 'paused' && status !== 'loading') return;
      if (visible && playing) {
        if (status === 'paused') setStatus('running');
        host.resume();
      } else {
        host.pause();
        if (status === 'running') setStatus('paused');
      }
    },
    destroy() {
      host.dispose();
      here.destroy();
      paper.destroy();
      curves.destroy();
    },
    inspect() {
      const values = measured();
      const hereRanks = ranksOf(values);
      const paperRanks = ranksOf(SETTINGS.map((s) => s.paper[ctx.values.partition]));
      return {
        status,
        runId: host.runId,
        runs: finishedRuns.map(({ setting, run }) => ({ setting, lr: run.lr, rounds: run.rounds, trained: run.trained, best: run.best, accuracies: run.accuracies })),
        results: Object.fromEntries(SETTINGS.map((s) => {
          const r = grid.get(s.key)!;
          return [s.key, { rounds: r.best?.rounds ?? null, lr: r.best?.lr ?? null, done: r.done }];
        })),
        ranks: {
          here: Object.fromEntries(SETTINGS.map((s, i) => [s.key, hereRanks[i]])),
          paper: Object.fromEntries(SETTINGS.map((s, i) => [s.key, paperRanks[i]!])),
        },
        current: job && !job.over ? { setting: SETTINGS[job.s].key, lr: LEARNING_RATES[job.lrIndex], round: job.accuracies.length } : null,
        config: job?.config ?? lastConfig,
        backend,
        fromCache,
      };
    },
  };
}
