/**
 * Weight averaging made visible, mounted when the widget nears the viewport. The engine trains
 * and averages (FedAvg, every client every round) and sends every weight vector it produces:
 * the clients' local models (client-trained) and the global model before and after averaging
 * (models-averaged); the kit's federated-round reducer gathers them. The page only projects
 * those vectors to a plane (the engine's pca.ts) and writes a few of their numbers out; the sum
 * it shows is the engine's own result.
 */
import type { WidgetContext } from '~/runtime/widget';
import { create as createMap, clientColor, type XY } from '../renderers/weight-map';
import { Run } from '../kit/run';
import { runJson } from '../kit/export';
import { runSentence } from '../kit/status';
import { byClient, initRounds, reduceRounds, type RoundRecord, type RoundsState } from '~/engine/rounds';
import { choiceLabel } from '../controls/params';
import { pct, signed, subscript } from '../renderers/format';
import { dataTable, span, swatch } from '../renderers/data-table';
import { setText, textElement } from '../renderers/outputs';
import { phaseDuration, phaseSteps } from '../renderers/phase-steps';
import { PHASE_MS, params, type AvgParams } from './params';
import { averagedNote, HIDDEN, LOCAL_NOTE, SHOWN, toRunConfig } from './config';
import { fitPca, project, type Projection } from '~/engine/pca';

const PHASES = ['local', 'average'] as const;

const fmt = (x: number) => signed(x, 3);

/** A round's local models (clients that sent weights), by client, with their aggregation coefficients. */
function locals(r: RoundRecord) {
  return byClient(r)
    .filter(([, c]) => c.weights)
    .map(([k, c]) => ({ k, n: c.n, accuracy: c.accuracy, weights: c.weights!, c: r.coefficients[r.selected.indexOf(k)] ?? 0 }));
}

/** The position of a map mark (its `translate(x,y)`), or null. */
function markAt(g: Element | null): { x: number; y: number } | null {
  const m = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(g?.getAttribute('transform') ?? '');
  return m ? { x: Number(m[1]), y: Number(m[2]) } : null;
}

export function mount(ctx: WidgetContext<AvgParams>) {
  const { root, q } = ctx;
  const mapView = q('[data-view="map"]')!;
  const mathView = q('[data-view="math"]')!;
  const markPhase = phaseSteps(root, PHASES);
  const map = ctx.own(createMap(mapView, { label: '로컬 모델과 글로벌 모델의 매개변수를 2차원에 투영한 지도' }));

  // What the current run drew.
  /** The projection, the round it was last fitted for and the rounds done before that one. */
  let fit: { rec: RoundRecord; done: RoundRecord[]; projection: Projection } | null = null;
  let showing: { rec: RoundRecord; phase: number } | null = null;

  const phaseMs = () => phaseDuration(PHASE_MS[ctx.values.speed], 900);
  const classes = () => run.state.data?.numClasses ?? 2;
  /** The numbers in the arithmetic panel: per shown parameter, the terms and the result (null before the average). */
  const mathOf = (rec: RoundRecord, averaged: boolean) =>
    SHOWN.map((s) => ({
      name: s.name,
      terms: locals(rec).map((l) => ({ k: l.k, c: l.c, w: l.weights[s.index] })),
      result: averaged ? rec.after![s.index] : null,
    }));

  const run: Run<AvgParams, RoundsState, RoundRecord> = new Run(ctx, {
    config: () => toRunConfig(ctx.values),
    options: () => ({ emitWeights: true }),
    init: initRounds,
    reduce: reduceRounds,
    player: { phases: PHASES.length, phaseMs, rounds: (s) => s.rounds, round: (r) => r.round, show },
    onReset: () => {
      fit = null;
      showing = null;
      markPhase(null);
    },
    onStart: () => run.ui.parameters(`모델 매개변수 ${run.state.parameters}개 (입력 2 → 은닉 ${HIDDEN.join('·')} → 출력 ${classes()}, tanh)`),
    summary,
    exports: {
      tables: {
        'export-csv': {
          file: 'avg-weights',
          columns: () => ['round', 'model', 'n', 'coefficient', 'local_accuracy', ...SHOWN.map((_, i) => `p${i + 1}`)],
          rows: () => {
            /** A weight vector's shown parameters, by column (p1, p2, …). */
            const ps = (w: Float32Array) => Object.fromEntries(SHOWN.map((s, i) => [`p${i + 1}`, w[s.index]]));
            return run.history.flatMap((r) => [
              ...locals(r).map((l) => ({ round: r.round, model: `client ${l.k + 1}`, n: l.n, coefficient: l.c, local_accuracy: l.accuracy, ...ps(l.weights) })),
              { round: r.round, model: 'global (after averaging)', n: locals(r).reduce((s, l) => s + l.n, 0), coefficient: 1, ...ps(r.after!) },
            ]);
          },
        },
      },
      json: runJson('avg-config', 'weight-averaging', () => ctx.values, () => run.backend, () => ({
        config: run.config() ?? toRunConfig(ctx.values),
        parameters: run.state.parameters,
        shownParameters: SHOWN.map((s, i) => ({ column: `p${i + 1}`, ...s })),
      })),
      prefix: 'avg',
      views: { map: () => (showing ? map.toSvg() : null) },
    },
  });

  function show(rec: RoundRecord, phase: number, duration: number) {
    showing = { rec, phase };
    markPhase(phase);
    if (fit?.rec !== rec) refit(rec);
    drawMap(duration);
    drawMath(rec, phase === PHASES.length - 1);
  }

  /** Refits the projection on every weight vector of the run up to `rec` (presentation only). */
  function refit(rec: RoundRecord) {
    const done = run.history.filter((r) => r.round < rec.round);
    // The first starting point, then each round's local models and the average they made.
    const vectors = [(done[0] ?? rec).before!, ...[...done, rec].flatMap((r) => [...locals(r).map((l) => l.weights), r.after!])];
    fit = { rec, done, projection: fitPca(vectors, 2, fit?.projection) };
    const [a, b] = fit.projection.explained;
    setText(
      q('[data-map-note]')!,
      `이 실험의 모든 매개변수 벡터(${vectors.length}개, 각 ${run.state.parameters}차원)를 주성분 분석(PCA)으로 2차원에 투영했습니다. ` +
        `두 축이 전체 분산의 ${pct(a + b, 0)}를 설명합니다. 투영은 선형이라서, 가중 평균의 투영은 투영한 점들의 가중 평균과 같습니다.`,
    );
  }

  function drawMap(duration: number) {
    if (!showing || !fit) return;
    const { projection: p, done } = fit;
    const { rec, phase } = showing;
    const path: XY[] = [project(p, (done[0] ?? rec).before!), ...done.map((r) => project(p, r.after!))];
    const clients = locals(rec).map((l) => ({ k: l.k, at: project(p, l.weights), n: l.n, c: l.c }));
    const next = project(p, rec.after!);
    const ghosts = done.flatMap((r) => locals(r).map((l) => ({ k: l.k, at: project(p, l.weights) })));
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
    const list = locals(rec);
    const weighted = run.config()?.weighting !== 'uniform';
    const total = list.reduce((s, l) => s + l.n, 0);
    const coefficientSum = rec.coefficients.reduce((a, b) => a + b, 0);
    const table = dataTable({
      caption: `라운드 ${rec.round}: 매개변수 ${SHOWN.length}개와 가중치(${weighted ? 'n_k / m_t' : '1 / m'})`,
      captionClass: '',
      className: 'fw__table',
      columns: ['모델', 'n_k', '가중치', ...SHOWN.map((s) => s.name)],
      rows: [
        { head: `출발점 w${subscript(rec.round - 1)}`, className: 'fw__row-prev', cells: ['', '', ...SHOWN.map((s) => fmt(rec.before![s.index]))] },
        ...list.map((l) => ({
          // A client's row head: its colour on the map, then its number.
          head: span('', swatch('fw__swatch', clientColor(l.k)), `${l.k + 1}`),
          cells: [String(l.n), l.c.toFixed(3), ...SHOWN.map((s) => fmt(l.weights[s.index]))],
        })),
      ],
      foot: {
        head: `새 글로벌 w${subscript(rec.round)}`,
        cells: [weighted ? `m_t=${total}` : '', coefficientSum.toFixed(3), ...SHOWN.map((s) => (averaged ? fmt(rec.after![s.index]) : '?'))],
      },
    });
    const wrap = Object.assign(document.createElement('div'), { className: 'fw__table-wrap', tabIndex: 0 });
    wrap.setAttribute('role', 'region');
    wrap.setAttribute('aria-label', '로컬 모델 매개변수 표');
    wrap.append(table);

    const formulas = mathOf(rec, averaged).map((m, i) => {
      const sum = m.terms.map((t) => `${t.c.toFixed(3)}×(${fmt(t.w)})`).join(' + ');
      const p = textElement('p', `${m.name}: ${sum} = ${m.result === null ? '?' : signed(m.result, 4)}`, 'fw__formula');
      p.title = SHOWN[i].what;
      return p;
    });
    const afterNote = averagedNote(weighted, list.length);
    // The note alternates between the two every round: under it, invisible, the longer one keeps
    // its room, so the panel does not change height (by a line at some widths) at each phase.
    const note = document.createElement('div');
    note.className = 'fw__stack';
    const longer = afterNote.length >= LOCAL_NOTE.length ? afterNote : LOCAL_NOTE;
    const sizer = textElement('p', longer, 'fw__muted fw__sizer');
    sizer.setAttribute('aria-hidden', 'true');
    note.append(textElement('p', averaged ? afterNote : LOCAL_NOTE, 'fw__muted'), sizer);
    mathView.replaceChildren(wrap, ...formulas, note);
  }

  function summary(): string {
    const v = ctx.values;
    const head = `${choiceLabel(params.data, v.data)}, ${choiceLabel(params.partition, v.partition)}, 클라이언트 ${v.clients}명, ${v.weighted ? '데이터 수로 가중' : '산술 평균'}`;
    const last = run.history.at(-1);
    const m = last?.metrics;
    if (!last || !m) return runSentence(run.status, head, null);
    const weights = locals(last)
      .map((l) => `클라이언트 ${l.k + 1}(n=${l.n}) ${l.c.toFixed(2)}`)
      .join(', ');
    return runSentence(run.status, head, (state) =>
      `${state}, 라운드 ${last.round}/${run.total}. 집계 가중치: ${weights}. 글로벌 모델 테스트 정확도 ${pct(m.testAccuracy)}.`,
    );
  }

  run.start(false);

  return run.controller({
    update(_values, changed) {
      if (changed.includes('zoom')) drawMap(0);
    },
    inspect: () => {
      const next = mapView.querySelector('g.weight-map__next');
      return {
        ...run.inspectBase(),
        rounds: run.history.map((r) => ({
          round: r.round,
          coefficients: Object.fromEntries(r.selected.map((k, i) => [k, r.coefficients[i]])),
          sizes: Object.fromEntries(locals(r).map((l) => [l.k, l.n])),
          testAccuracy: r.metrics?.testAccuracy ?? NaN,
        })),
        /** The round and phase on screen. */
        showing: showing ? { round: showing.rec.round, phase: PHASES[showing.phase] } : null,
        /** Screen positions of the map's marks, for checking the picture against the numbers. */
        map: {
          clients: [...mapView.querySelectorAll('g.weight-map__client')].map((g) => ({
            k: Number(g.querySelector('text')?.textContent ?? 0) - 1,
            ...markAt(g),
            r: Number(g.querySelector('circle')?.getAttribute('r')),
          })),
          next: next?.getAttribute('opacity') === '0' ? null : markAt(next),
        },
        math: showing ? mathOf(showing.rec, showing.phase === PHASES.length - 1) : [],
        parameters: run.state.parameters,
      };
    },
  });
}
