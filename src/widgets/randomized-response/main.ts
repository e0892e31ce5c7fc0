/**
 * The randomized-response widget, mounted when it nears the viewport. The survey is simulated by
 * src/engine/privacy (seeded, pure); this module only turns settings into calls and results into
 * pictures and words.
 */
import type { WidgetContext, WidgetController } from '~/runtime/widget';
import { simulateSurvey, surveyCounts, type RrErrorPoint, type RrSurvey } from '~/engine/privacy/randomized-response';
import { slicedJobs } from '~/runtime/sliced-job';
import { TABLE_COLUMNS, TABLE_ROWS, peopleNote as peopleNoteText, tableCaption } from './texts';
import { create as createGrid } from './people-grid';
import { create as createEstimate } from './estimate-chart';
import { create as createError } from './error-chart';
import { runErrorJob, type ErrorJob, type ErrorReply } from './error-job';
import { throttled } from '../renderers/plot-image';
import { EPSILON_GRID, GRID_PEOPLE, type RrParams, type RrValues } from './params';
import { exportAction, runJson, type ExportSpec } from '../kit/export';
import { showTable } from '../renderers/data-table';
import { count, pct } from '../renderers/format';
import { outputs } from '../renderers/outputs';

/** What tests read (also handy in the console): what the widget's inspect() returns. */
export type RrInspection = ReturnType<ReturnType<typeof mount>['inspect']>;

/** The survey the settings describe (f counts in the coin form, π in the other). */
const surveyOf = (v: RrValues): RrSurvey =>
  simulateSurvey({ n: v.n, rate: v.rate / 100, mechanism: v.form === 'coin' ? { form: 'coin', f: v.f } : { form: 'pi', pi: v.pi }, seed: v.seed });

/** "1.099 = ln 3" — ε with the likelihood ratio it bounds. */
function describeEpsilon(eps: number): string {
  const ratio = Math.exp(eps);
  const r = Math.abs(ratio - Math.round(ratio)) < 1e-9 ? String(Math.round(ratio)) : ratio.toFixed(2);
  return `${eps.toFixed(3)} = ln ${r}`;
}

export function mount(ctx: WidgetContext<RrParams>) {
  const { root, q, own } = ctx;
  const out = outputs(root);

  const grid = own(createGrid(q('[data-view="people"]')!, { label: '응답자 한 사람이 네모 하나: 색은 응답, 점은 실제 "예", 파란 테두리는 동전이 정한 답' }));
  const estimateChart = own(createEstimate(q('[data-view="estimate"]')!, { label: '참 비율, 단순 추정, 보정한 추정값과 95% 신뢰 구간' }));
  const errorChart = own(createError(q('[data-view="error"]')!, { label: '프라이버시 예산 ε에 따른 추정 오차' }));
  const tableBox = q('[data-view="table"]')!;
  const peopleNote = q('[data-people-note]')!;

  let survey: RrSurvey;
  let errorPoints: RrErrorPoint[] = [];
  let errorKey = '';
  /** The current error computation's id (replies of older ones are ignored). */
  let errorJob = 0;
  /** The error computation in the page, where the worker could not start. */
  const pageJobs = slicedJobs();

  function drawTable(s: RrSurvey) {
    // Counts of (truth, answer): the surveyor sees only the column totals.
    const c = surveyCounts(s);
    const reveal = ctx.values.reveal;
    const cell = (x: number) => (reveal ? count(x) : '?');
    const rows = [
      { head: TABLE_ROWS[0], cells: [c[1][1], c[1][0], c[1][0] + c[1][1]].map(cell) },
      { head: TABLE_ROWS[1], cells: [c[0][1], c[0][0], c[0][0] + c[0][1]].map(cell) },
      { head: TABLE_ROWS[2], cells: [c[0][1] + c[1][1], c[0][0] + c[1][0], s.n].map(count) },
    ];
    const note = reveal
      ? `실제로 "아니요"인데 "예"라고 답한 사람이 ${count(c[0][1])}명 있어 단순 "예" 비율이 참 비율과 다릅니다.`
      : '조사자는 맨 아래 줄만 봅니다. 누가 참말을 했는지는 알 수 없습니다.';
    showTable(tableBox, { caption: tableCaption(s.n), columns: TABLE_COLUMNS, rows }, note);
  }

  /** A new survey of the settings: its numbers, pictures and table; then the error chart, if what it depends on changed. */
  function recompute() {
    const v = ctx.values;
    survey = surveyOf(v);
    const e = survey.estimate;
    out('epsilon', describeEpsilon(survey.epsilon));
    out('truth', pct(survey.trueRate));
    out('naive', `${pct(e.naive)} (${count(survey.yes)}명)`);
    out('estimate', pct(e.estimate));
    out('ci', `${pct(e.lower)} ~ ${pct(e.upper)}`);
    const drawn = Math.min(GRID_PEOPLE, survey.n);
    grid.update({ ...survey, count: drawn, reveal: v.reveal });
    peopleNote.textContent = peopleNoteText(survey.n, drawn);
    for (const el of root.querySelectorAll<HTMLElement>('[data-reveal-legend]')) el.hidden = !v.reveal;
    drawTable(survey);
    estimateChart.update({ ...e, truth: survey.trueRate });
    drawErrors();
    root.dataset.estimate = e.estimate.toFixed(6);
    ctx.announce(summary());
    computeErrors();
  }

  function summary(): string {
    const v = ctx.values;
    const e = survey.estimate;
    const how = v.form === 'coin' ? `동전에 맡길 확률 f = ${v.f}` : `참말 확률 π = ${v.pi}`;
    const outside = e.estimate < 0 || e.estimate > 1 ? ' 표본이 작아 추정값이 0~100% 밖으로 나갔습니다.' : '';
    return (
      `응답자 ${count(survey.n)}명, 참 비율 ${pct(survey.trueRate)}, ${how}, ε = ${survey.epsilon.toFixed(2)}. ` +
      `"예" 응답 ${pct(e.naive)}, 보정한 추정값 ${pct(e.estimate)}, 95% 신뢰 구간 ${pct(e.lower)}에서 ${pct(e.upper)}.${outside}`
    );
  }

  /** The error chart's surveys run in a worker; null once it failed (then in the page). */
  let worker: Worker | null = startWorker();
  const drawErrors = () => errorChart.update({ points: [...errorPoints], current: survey.epsilon });
  /** Redraws of the error chart while points arrive, at most one per 200 ms (and the last). */
  const errorRedraw = throttled(drawErrors, 200);

  function startWorker(): Worker | null {
    if (typeof Worker === 'undefined') return null;
    try {
      const w = new Worker(new URL('./error.worker.ts', import.meta.url), { type: 'module', name: 'rr-error' });
      w.addEventListener('message', (e: MessageEvent<ErrorReply>) => received(e.data));
      w.addEventListener('error', (e) => {
        // The worker could not start: the current job is redone in the page.
        e.preventDefault();
        w.terminate();
        worker = null;
        errorKey = '';
        computeErrors();
      });
      return w;
    } catch {
      return null;
    }
  }

  function received({ id, point }: ErrorReply) {
    if (id !== errorJob) return;
    errorPoints.push(point);
    if (errorPoints.length < EPSILON_GRID.length) return errorRedraw.schedule();
    errorRedraw.now();
    root.dataset.errorState = 'done';
  }

  /** Recomputes the error chart when what it depends on changed, one ε at a time. */
  function computeErrors() {
    const v = ctx.values;
    const key = `${v.n}|${v.rate}|${v.runs}|${v.seed}`;
    if (key === errorKey) return;
    const job: ErrorJob = { id: ++errorJob, n: v.n, rate: v.rate / 100, runs: v.runs, seed: v.seed, epsilons: [...EPSILON_GRID] };
    errorKey = key;
    errorPoints = [];
    root.dataset.errorState = 'computing';
    errorRedraw.cancel();
    drawErrors();
    if (worker) worker.postMessage(job);
    else runErrorJob(job, pageJobs, received);
  }

  const HOW = ['참값', '거짓', '동전: 예', '동전: 아니요'];

  const exports: ExportSpec = {
    tables: {
      'export-csv': {
        file: 'randomized-response-answers',
        columns: ['person', 'truth', 'answer', 'how'],
        rows: () => Array.from({ length: survey.n }, (_, i) => ({ person: i + 1, truth: survey.truth[i], answer: survey.answer[i], how: HOW[survey.path[i]] })),
      },
      'export-error-csv': {
        file: 'randomized-response-error',
        columns: ['epsilon', 'pi', 'rmse', 'mean_abs_error', 'mean_estimate', 'theoretical_sd', 'coverage_95'],
        // The engine's points (the CSV writes only its columns), under the CSV's names where they differ.
        rows: () =>
          errorPoints.map((p) => ({ ...p, mean_abs_error: p.meanAbsError, mean_estimate: p.meanEstimate, theoretical_sd: p.theoreticalSd, coverage_95: p.coverage })),
      },
    },
    // Computed in the page: no backend to name.
    json: runJson('randomized-response', 'randomized-response', () => ctx.values, () => undefined, () => ({
      result: { n: survey.n, trueYes: survey.trueYes, yes: survey.yes, pi: survey.pi, epsilon: survey.epsilon, estimate: survey.estimate },
    })),
    prefix: 'randomized-response',
    views: { people: grid, estimate: estimateChart, error: errorChart },
  };

  recompute();

  return {
    update: recompute,
    action: (name, trigger) => exportAction(name, trigger, exports, ctx.notify),
    destroy() {
      errorJob++;
      pageJobs.cancel();
      errorRedraw.cancel();
      worker?.terminate();
    },
    inspect: () => ({
      n: survey.n,
      trueYes: survey.trueYes,
      yes: survey.yes,
      epsilon: survey.epsilon,
      estimate: survey.estimate.estimate,
      lower: survey.estimate.lower,
      upper: survey.estimate.upper,
      /** Answers of the first people, as a string of 0/1 (for determinism checks). */
      answers: Array.from(survey.answer.subarray(0, 200)).join(''),
      errorPoints: errorPoints.map((p) => ({ epsilon: p.epsilon, rmse: p.rmse })),
      errorKey,
    }),
  } satisfies WidgetController<RrParams> & { inspect(): unknown };
}
