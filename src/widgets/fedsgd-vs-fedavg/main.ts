/**
 * FedSGD against FedAvg, mounted when the widget nears the viewport. The grid of runs (./config.ts,
 * ./state.ts) executes one run at a time in the worker; each run reports its test accuracy per
 * round, and the rounds to the target come from the engine's own reading of a curve
 * (`roundsToTarget`: best so far, first crossing, linear interpolation). The page draws the bars
 * beside the paper's Table 2 and says where the orderings agree.
 */
import type { WidgetContext } from '~/runtime/widget';
import { clientsPerRound } from '~/engine/selection';
import { monotone, orderAgreement, ranksOf, speedup } from '~/engine/metrics';
import { create as createRankBars, type RankRow } from '../renderers/rank-bars';
import { create as createBandChart, type BandLineStyle } from '../renderers/band-chart';
import { ACCURACY_AXIS } from '../renderers/line-chart';
import { createLineKey } from '../renderers/line-key';
import { Run } from '../kit/run';
import { runJson } from '../kit/export';
import { choiceLabel } from '../controls/params';
import { pct } from '../renderers/format';
import { dataTable, putTable } from '../renderers/data-table';
import { throttled } from '../renderers/plot-image';
import { params, type VersusParams, type VersusValues } from './params';
import { CLIENTS, FRACTION, LEARNING_RATES, MAX_ROUNDS, SETTINGS, titles, toRunConfig, type Setting } from './config';
import { initVersus, measured, reduceVersus, type VersusState } from './state';
import { setText } from '../renderers/outputs';

/** Line colours of the settings in the curves chart (Okabe–Ito; FedSGD black). */
const COLORS = ['#1d2127', '#e69f00', '#56b4e9', '#009e73', '#0072b2', '#d55e00'];

/** What tests read. */
export type VersusInspection = ReturnType<ReturnType<typeof mount>['inspect']>;

export function mount(ctx: WidgetContext<VersusParams>) {
  const { q, own } = ctx;
  const now = q('[data-now]')!;
  const runsBox = q('[data-runs]')!;

  const here = own(createRankBars(q('[data-view="here"]')!, { label: '이 브라우저에서 잰, 설정별로 목표 정확도까지 걸린 라운드 수', color: '#0a7d6c' }));
  const paper = own(createRankBars(q('[data-view="paper"]')!, { label: '논문 표 2의 설정별 라운드 수', color: '#6a3d9a' }));
  const target = { key: 'target', label: '목표 정확도', color: '#888888', dashed: true };
  const lines: BandLineStyle[] = [...SETTINGS.map((s, i) => ({ key: s.key, label: s.label, color: COLORS[i] })), target];
  const curves = own(createBandChart(q('[data-view="curves"]')!, {
    label: '설정별로 가장 빠른 학습률에서 잰, 지금까지의 최고 테스트 정확도',
    xLabel: '라운드',
    ...ACCURACY_AXIS,
    key: false,
    lines,
  }));
  // The key of those lines is the list under the chart (seven entries would not fit in its top margin).
  createLineKey(q('[data-curve-key]')!).update(lines.map((l) => ({ text: l.label, color: l.color, dash: l.dashed ? '5 3' : undefined })));

  /** Finished grids by settings, so going back to one shows it at once. */
  const cache = new Map<string, VersusState>();
  const cacheKey = (v: VersusValues) => `${v.partition}|${v.target}|${v.seed}`;
  let fromCache = false;
  /** Runs in the table drawn last. */
  let rowsShown = 0;
  const totalRuns = SETTINGS.length * LEARNING_RATES.length;
  const st = () => run.state;
  /** The paper's rounds per setting for the partition chosen now. */
  const paperRounds = () => SETTINGS.map((s) => s.paper[ctx.values.partition]);
  /** A bar's words: its rounds, then for a FedAvg setting (not the first) its speed-up against FedSGD. */
  const barText = (rounds: string, i: number, sp: number | null) => `${rounds}${i > 0 && sp !== null ? ` · ${sp.toFixed(1)}×` : ''}`;

  /**
   * What follows the runs while they train (the line under the progress bar, the runs table, the
   * bars and curves), at most once per 150 ms through the page's draw queue. The grid's rounds
   * come a few milliseconds apart (a FedSGD round is one quick step): drawn at each one, they held
   * a phone (the jank bench's profile, 4× CPU throttling) to 3 frames a second. A draw still
   * waiting when a run ends or restarts draws the state of then, as the end's own draw does.
   */
  const redraw = throttled(() => {
    describeNow();
    drawRows();
    draw();
  }, 150);

  const run: Run<VersusParams, VersusState> = new Run(ctx, {
    init: () => {
      const hit = cache.get(cacheKey(ctx.values));
      fromCache = hit !== undefined;
      return hit ?? initVersus(ctx.values);
    },
    reduce: reduceVersus,
    // Its state reads only round metrics: the worker need not send each client's events.
    options: () => ({ events: ['round-metrics'] }),
    sequence: { job: (s) => (s.job ? { key: String(s.started), config: s.job.config } : null) },
    onReset: () => {
      drawRows(true);
      draw();
    },
    onEvent: (e) => {
      if (e.type === 'round-metrics' || e.type === 'run-started' || e.type === 'run-finished' || e.type === 'run-diverged') redraw.schedule();
    },
    onEnd: () => {
      if (!fromCache) cache.set(cacheKey(ctx.values), st());
      drawRows();
      const runs = st().finished.length;
      setText(now, fromCache ? `이 조건은 이미 실행했습니다 (실행 ${runs}번). ‘처음부터’를 누르면 다시 학습합니다.` : `모든 설정을 마쳤습니다 (실행 ${runs}번).`);
      draw();
    },
    progress: (s) =>
      s.job
        ? { done: s.finished.length, total: totalRuns, text: `실행 ${s.finished.length + 1} / 최대 ${totalRuns}` }
        : { done: totalRuns, total: totalRuns, text: `실행 ${s.finished.length}번 완료` },
    restartLabel: '다시 실행',
    summary,
    exports: {
      tables: {
        'export-csv': {
          file: 'versus-results',
          columns: ['setting', 'algorithm', 'E', 'B', 'lr', 'rounds_to_target', 'rounds_trained', 'best_accuracy', 'diverged', 'paper_rounds'],
          rows: () =>
            st().finished.map(({ setting, run: r }) => {
              const s = SETTINGS.find((x) => x.key === setting)!;
              return {
                setting: s.label,
                algorithm: s.algorithm,
                E: s.E,
                B: s.B === 'all' ? 'inf' : s.B,
                lr: r.lr,
                rounds_to_target: r.rounds ?? undefined,
                rounds_trained: r.trained,
                best_accuracy: r.best,
                diverged: r.diverged ? 1 : 0,
                paper_rounds: s.paper[ctx.values.partition],
              };
            }),
        },
      },
      json: runJson('versus-config', 'fedsgd-vs-fedavg', () => ctx.values, () => run.backend, () => ({
        grid: SETTINGS.map((s) => ({ ...s, config: toRunConfig(ctx.values, s, LEARNING_RATES[0], MAX_ROUNDS) })),
        learningRates: LEARNING_RATES,
        maxRounds: MAX_ROUNDS,
      })),
      prefix: 'versus',
      views: { here: () => here.toSvg(), paper: () => paper.toSvg(), curves },
    },
  });

  function describeNow() {
    const job = st().job;
    if (!job) return;
    const best = Math.max(...job.accuracies);
    setText(now, `지금: ${SETTINGS[job.s].label}, 학습률 ${LEARNING_RATES[job.lrIndex]} · 라운드 ${job.accuracies.length}/${job.cap}${Number.isFinite(best) ? ` · 최고 정확도 ${pct(best)}` : ''}`);
  }

  /** Redraws the runs table when a run has finished since it was last drawn (or when `force`d). */
  function drawRows(force = false) {
    const done = st().finished;
    if (!force && done.length === rowsShown) return;
    rowsShown = done.length;
    const rows = done.map(({ setting, run: r }) => ({
      head: SETTINGS.find((s) => s.key === setting)!.label,
      cells: [String(r.lr), r.rounds !== null ? r.rounds.toFixed(1) : r.diverged ? '발산' : `${r.trained}라운드 안에 도달 못 함`, pct(r.best)],
    }));
    const columns = ['설정', '학습률', '라운드 수', '최고 정확도'];
    putTable(runsBox, dataTable({ caption: '설정과 학습률마다 목표에 도달한 라운드 수', captionClass: '', className: 'fw__table', columns, rows }));
  }

  function draw() {
    const v = ctx.values;
    const values = measured(st());
    const ranks = ranksOf(values);
    const base = values[0];
    const job = st().job;
    const runningKey = job ? SETTINGS[job.s].key : null;
    const rows = SETTINGS.map((s, i): RankRow => {
      const { done } = st().grid[s.key];
      const value = values[i];
      const row = { key: s.key, label: s.label, value, rank: done ? ranks[i] : null, baseline: i === 0 };
      if (value === null && done) return { ...row, state: 'missed', text: `> ${MAX_ROUNDS}` };
      if (value === null) return { ...row, ...(runningKey === s.key ? { state: 'running', text: '학습 중' } : { state: 'waiting', text: '대기' }) };
      return { ...row, state: 'done', text: `${barText(value.toFixed(1), i, speedup(base, value))}${done ? '' : ' …'}` };
    });
    const finite = values.filter((x): x is number => x !== null);
    // A setting that never reached the target is drawn to the cap, so the axis must reach it.
    const missed = rows.some((r) => r.state === 'missed');
    here.update({ rows, max: missed ? MAX_ROUNDS : Math.max(10, ...finite.map((x) => x * 1.05)) });

    const p = paperRounds();
    const pr = ranksOf(p);
    const paperRow = (s: Setting, i: number): RankRow =>
      ({ key: s.key, label: s.label, value: p[i], state: 'done', text: barText(String(p[i]), i, speedup(p[0], p[i])), rank: pr[i], baseline: i === 0 });
    paper.update({ rows: SETTINGS.map(paperRow), max: Math.max(...p) * 1.05 });
    const title = titles(v);
    setText(q('[data-here-title]')!, title.here);
    setText(q('[data-paper-title]')!, title.paper);

    // Curves: each setting's best run so far (or the one running now), as best-so-far accuracy.
    const lines: { x: number; y: number; series: string }[] = [];
    let xMax = 10;
    SETTINGS.forEach((s) => {
      const r = st().grid[s.key];
      const acc = runningKey === s.key && job && !r.best ? job.accuracies : (r.best?.accuracies ?? null);
      if (!acc) return;
      monotone(acc).forEach((y, j) => lines.push({ x: j + 1, y, series: s.key }));
      xMax = Math.max(xMax, acc.length);
    });
    lines.push({ x: 0, y: Number(v.target), series: 'target' }, { x: xMax, y: Number(v.target), series: 'target' });
    curves.update({ lines, xMax });
    setText(q('[data-verdict]')!, run.status === 'finished' ? verdictText() : '');
  }

  function verdictText(): string {
    const m = measured(st());
    const p = paperRounds();
    const { agree, pairs } = orderAgreement(m, p);
    const base = m[0];
    // FedSGD against the setting with the most local computation (E=20, B=10, the last).
    const sp = speedup(base, m[SETTINGS.length - 1]);
    const paperSp = p[0] / p[SETTINGS.length - 1];
    const parts = [`두 설정씩 짝지어 비교하면 ${pairs}쌍 가운데 ${agree}쌍의 순서가 논문과 같습니다.`];
    if (sp !== null) parts.push(`가장 많이 로컬 계산을 하는 E=20, B=10은 FedSGD보다 ${sp.toFixed(1)}배 빨랐습니다(논문 ${paperSp.toFixed(1)}배).`);
    else if (base === null) parts.push(`FedSGD는 ${MAX_ROUNDS}라운드 안에 목표에 닿지 못했습니다.`);
    if (ctx.values.partition === 'shards') {
      const r = speedup(base, m[1]);
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
    const m = measured(st());
    const done = SETTINGS.map((s, i) => (st().grid[s.key].done ? `${s.label} ${m[i] !== null ? `${m[i]!.toFixed(1)}라운드` : '도달 못 함'}` : null)).filter(Boolean);
    const state = run.status === 'finished' ? '모든 설정을 마쳤습니다' : run.status === 'paused' ? '일시정지' : '학습 중';
    return `${head}: ${state}. ${done.length ? `목표까지 걸린 라운드: ${done.join(', ')}.` : ''}${run.status === 'finished' ? ` ${verdictText()}` : ''}`;
  }

  run.ui.parameters(`클라이언트 ${CLIENTS}명 중 라운드마다 ${clientsPerRound(FRACTION, CLIENTS)}명이 참여합니다. 숫자 이미지 1,437장을 나눠 갖고, 테스트 이미지 360장으로 정확도를 잽니다.`);
  run.start(false);

  return run.controller({
    action(name) {
      // A new grid of the same settings: forget the one kept for them.
      if (name === 'restart' || (name === 'toggle-play' && (run.status === 'finished' || run.status === 'error'))) cache.delete(cacheKey(ctx.values));
    },
    destroy: () => redraw.cancel(),
    inspect: () => {
      const s = st();
      const hereRanks = ranksOf(measured(s));
      const paperRanks = ranksOf(paperRounds());
      return {
        ...run.inspectBase(),
        runs: s.finished.map(({ setting, run: r }) => ({ setting, ...r })),
        results: Object.fromEntries(SETTINGS.map((x) => [x.key, { rounds: s.grid[x.key].best?.rounds ?? null, lr: s.grid[x.key].best?.lr ?? null, done: s.grid[x.key].done }])),
        ranks: {
          here: Object.fromEntries(SETTINGS.map((x, i) => [x.key, hereRanks[i]])),
          paper: Object.fromEntries(SETTINGS.map((x, i) => [x.key, paperRanks[i]!])),
        },
        current: s.job ? { setting: SETTINGS[s.job.s].key, lr: LEARNING_RATES[s.job.lrIndex], round: s.job.accuracies.length } : null,
        // inspectBase's config is the last run's: none for a grid shown from memory.
        fromCache,
      };
    },
  });
}
