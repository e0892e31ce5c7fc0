/**
 * The RAPPOR widget, mounted when it nears the viewport. One person's reports and the
 * population's aggregate are simulated by src/engine/privacy/rappor.ts (seeded, pure); the
 * population runs in slices between frames so the page stays responsive.
 */
import type { WidgetContext, WidgetController } from '~/runtime/widget';
import { slicedJobs } from '~/runtime/sliced-job';
import {
  PopulationSimulation,
  decodeSimulated,
  epsilonInfinity,
  epsilonOne,
  pStar,
  personReports,
  qStar,
  rapporSetup,
  validateRappor,
  zipfCounts,
  type RapporEncoding,
  type RapporParams,
  type RapporReport,
  type ScoredEstimate,
} from '~/engine/privacy/rappor';
import { create as createBits } from './report-bits';
import { create as createFrequency } from './frequency-chart';
import { CANDIDATES, HELD, type RapporParamsTable, type RapporValues } from './params';
import { bits, lifeText } from './life';
import { exportAction, runJson, type ExportSpec } from '../kit/export';
import { statusView } from '../kit/status';
import { count } from '../renderers/format';
import { outputs, textElement } from '../renderers/outputs';

/** What tests read: what the widget's inspect() returns. */
export type RapporInspection = ReturnType<ReturnType<typeof mount>['inspect']>;

/** A finished population: its decoding, and the decoding held against the truth. */
type Decoded = ReturnType<typeof decodeSimulated>;

/** A report's three bit strings, under the names the downloads give them. */
const reportBits = (r: RapporReport) => ({ bloom: bits(r.bloom), permanent: bits(r.prr), sent: bits(r.irr) });
/** A decoded candidate as the estimates' CSV writes it. */
const frequencyRow = ({ value, truth, estimate, stdError, detected }: ScoredEstimate) =>
  ({ value, true_count: truth, estimate, std_error: stdError, detected: detected ? 1 : 0 });
const fmtEps = (e: number) => (Number.isFinite(e) ? e.toFixed(3) : e === Infinity ? '∞ (보호 없음)' : '—');

export function mount(ctx: WidgetContext<RapporParamsTable>) {
  const { root, q, own } = ctx;
  const out = outputs(root);
  /** The alert box: the training widgets' own (kit/status.ts). */
  const { alert: showAlert } = statusView(root);
  const progress = q<HTMLProgressElement>('[data-pop-progress]');
  const bitsView = own(createBits(q('[data-view="life"]')!, { label: '한 사람의 보고: 블룸 필터, 영구 무작위 응답, 순간 무작위 응답의 비트들' }));
  const freqView = own(createFrequency(q('[data-view="population"]')!, { label: '후보 값마다 실제 사용자 수(막대)와 추정값(점, 95% 구간)' }));
  const bitstrings = q('[data-bitstrings]')!;
  const lifeNote = q('[data-life-note]')!;

  let setup = rapporSetup(ctx.values, CANDIDATES);
  /** The person whose reports are shown: their cohort and reports. */
  let person: ReturnType<typeof personReports> = { cohort: 0, reports: [] };
  let problems: string[] = [];
  /** The population is simulated in slices of about 25 ms (100,000 reports take a few frames). */
  const popJobs = slicedJobs();
  /** The current settings' population, and its decoding once the simulation is done. */
  let pop: { key: string; sim: PopulationSimulation; decoded: Decoded | null } | null = null;

  function drawNumbers(params: RapporParams) {
    const ok = problems.length === 0;
    out('epsInf', ok ? fmtEps(epsilonInfinity(params)) + (Math.abs(params.f - 0.5) < 1e-12 ? ` = ${2 * params.h} ln 3` : '') : '—');
    out('epsOne', ok ? fmtEps(epsilonOne(params)) : '—');
    out('qStar', ok ? qStar(params).toFixed(4) : '—');
    out('pStar', ok ? pStar(params).toFixed(4) : '—');
  }

  function drawLife(v: RapporValues, params: RapporParams) {
    const { cohort, reports } = person;
    const last = reports[reports.length - 1];
    if (!last) return;
    bitsView.update({ ...last, k: params.k, reports: reports.map((r) => r.irr) });
    const life = lifeText(v.person, cohort, reports, params);
    q('[data-life-title]')!.textContent = life.title;
    bitstrings.replaceChildren(...life.rows.flatMap(([k, val]) => [textElement('dt', k), textElement('dd', val)]));
    lifeNote.textContent = life.note;
  }

  function startPopulation(v: RapporValues, params: RapporParams, encoding: RapporEncoding) {
    const key = JSON.stringify([encoding.kind, params, v.n, v.seed]);
    if (key === pop?.key) return;
    const trueCounts = [...zipfCounts(v.n, HELD, 1), ...new Array(CANDIDATES.length - HELD).fill(0)];
    const running = new PopulationSimulation({ params, encoding, values: [...CANDIDATES], trueCounts, seed: v.seed });
    const current: NonNullable<typeof pop> = { key, sim: running, decoded: null };
    pop = current;
    root.dataset.population = 'computing';
    if (progress) Object.assign(progress, { hidden: false, max: running.total, value: 0 });
    out('total', '모으는 중…');
    const after = (done: boolean) => {
      if (progress) progress.value = running.done;
      if (!done) return;
      // The decoding (a regression over every candidate) runs in a task of its own, after the
      // last slice of reports: together they were one task of 31 ms on a desktop and 70-90 ms on
      // the phone profile of the jank bench.
      setTimeout(() => {
        if (pop !== current) return;
        if (progress) progress.hidden = true;
        current.decoded = decodeSimulated(running.aggregate(), encoding);
        drawPopulation(current.decoded);
        root.dataset.population = 'done';
        ctx.announce(summary());
      });
    };
    // Slices of about 16 ms (a frame's worth), 1,000 reports a call.
    popJobs.start(() => running.advance(1000), { sliceMs: 16, after });
  }

  function drawPopulation({ decoding: d, score: s }: Decoded) {
    freqView.update(s.rows);
    out('total', `${count(d.total)}개`);
    out('found', `${s.found}개`);
    out('falsePos', `${s.falsePositives}개`);
    out('mae', `${count(s.meanAbsError)}명`);
    if (d.ambiguous) showAlert('후보 값 가운데 블룸 필터 패턴이 모든 코호트에서 같은 것이 있어 둘을 구별할 수 없습니다. k나 코호트 수를 늘려 보세요.');
  }

  function summary(): string {
    const v = ctx.values;
    const { params, encoding } = setup;
    if (problems.length) return `설정을 쓸 수 없습니다: ${problems.join(' ')}`;
    const how = encoding.kind === 'basic' ? `기본 RAPPOR(범주 ${params.k}개)` : `블룸 필터 k = ${params.k}, h = ${params.h}, 코호트 ${params.cohorts}개`;
    const head = `${how}, f = ${params.f}, p = ${params.p}, q = ${params.q}`;
    const eps = `ε∞ = ${fmtEps(epsilonInfinity(params))}, ε₁ = ${fmtEps(epsilonOne(params))}`;
    const life = `한 사람의 값 ${v.value}, 보고 ${v.reports}번: 영구 응답 B′은 그대로이고 보낸 비트 S는 보고마다 다릅니다.`;
    const d = pop?.decoded;
    const found = d
      ? `보고 ${count(d.decoding.total)}개에서 실제로 쓰는 값 ${HELD}개 가운데 ${d.score.found}개를 찾아냈고, 아무도 쓰지 않는 값을 잘못 찾아낸 경우는 ${d.score.falsePositives}개입니다.`
      : '인구 전체의 보고를 모으는 중입니다.';
    return `${head}. ${eps}. ${life} ${found}`;
  }

  function render(changed: string[] | null) {
    const v = ctx.values;
    setup = rapporSetup(v, CANDIDATES);
    const { params, encoding } = setup;
    problems = validateRappor(params, encoding).map((p) => p.ko);
    showAlert(problems.length ? problems.join(' ') : null);
    drawNumbers(params);
    person = personReports(params, encoding, v.seed, v.person, v.value, v.reports);
    drawLife(v, params);
    const lifeOnly = changed !== null && changed.every((k) => k === 'value' || k === 'reports' || k === 'person');
    if (problems.length) {
      popJobs.cancel();
      pop = null;
      if (progress) progress.hidden = true;
      freqView.update([]);
      root.dataset.population = 'invalid';
    } else if (!lifeOnly) {
      startPopulation(v, params, encoding);
    }
    ctx.announce(summary());
  }

  const exports: ExportSpec = {
    tables: {
      'export-csv': {
        file: 'rappor-frequencies',
        columns: ['value', 'true_count', 'estimate', 'std_error', 'detected'],
        rows: () => (pop?.decoded?.score.rows ?? []).map(frequencyRow),
      },
      'export-reports-csv': {
        file: 'rappor-reports',
        columns: ['report', 'cohort', 'value', 'bloom', 'permanent', 'sent'],
        rows: () => person.reports.map((r) => ({ report: r.index, cohort: r.cohort, value: r.value, ...reportBits(r) })),
      },
    },
    // Computed in the page: no backend to name.
    json: runJson('rappor', 'rappor', () => ctx.values, () => undefined, () => {
      const { params, encoding } = setup;
      const d = pop?.decoded;
      return {
        params,
        encoding: encoding.kind,
        epsilonInfinity: epsilonInfinity(params),
        epsilonOne: epsilonOne(params),
        person: { cohort: person.cohort, reports: person.reports.map(reportBits) },
        population: d ? { total: d.decoding.total, trueCounts: d.score.rows.map((r) => r.truth), estimates: d.decoding.estimates } : null,
      };
    }),
    prefix: 'rappor',
    views: { life: bitsView, population: freqView },
  };

  render(null);

  return {
    update: (_values, changed) => render(changed),
    action(name, trigger) {
      const v = ctx.values;
      if (name === 'report-again') {
        if (v.reports >= ctx.table.reports.max) ctx.notify(`보고 횟수는 ${ctx.table.reports.max}번까지 볼 수 있습니다.`);
        else ctx.set('reports', v.reports + 1);
      } else if (name === 'new-person') ctx.set('person', (v.person % ctx.table.person.max) + 1);
      // The estimates' CSV: nothing to write before the population has been decoded.
      else if (name !== 'export-csv' || pop?.decoded) exportAction(name, trigger, exports, ctx.notify);
    },
    destroy: () => popJobs.cancel(),
    inspect() {
      const { params, encoding } = setup;
      const { cohort, reports } = person;
      const last = reports[reports.length - 1];
      return {
        params,
        encoding: encoding.kind,
        epsInf: epsilonInfinity(params),
        epsOne: epsilonOne(params),
        cohort,
        bloom: last ? bits(last.bloom) : '',
        prr: last ? bits(last.prr) : '',
        reports: reports.map((r) => bits(r.irr)),
        population: pop
          ? {
              key: pop.key,
              done: pop.decoded !== null,
              total: pop.sim.total,
              estimates: pop.decoded?.score.rows.map((r) => ({ value: r.value, count: r.estimate, truth: r.truth, detected: r.detected })) ?? [],
            }
          : null,
        problems,
      };
    },
  } satisfies WidgetController<RapporParamsTable> & { inspect(): unknown };
}
