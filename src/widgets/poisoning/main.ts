/**
 * Poisoning and robust aggregation, mounted when the widget nears the viewport. The engine runs
 * FedAvg on digits once per aggregation rule — same data, seed, initial weights and malicious
 * clients — one after another in the training worker, and reports per round where the clients'
 * models (malicious ones marked) and every rule's aggregate lie on a plane (projected in the
 * worker: engine/attacks/projection.ts), the test accuracy and, with a backdoor, its success rate.
 * The kit runs the sequence; a pure reducer (./state.ts) keeps what the runs said; this file draws.
 *
 * Secure aggregation on: the server sees only the sum, so only the mean can run; the other rules'
 * panels say why instead of showing a curve (the engine's own configuration error).
 */
import type { AggregatorRule, RunConfig } from '~/engine/types';
import type { WidgetContext, WidgetController } from '~/runtime/widget';
import { create as createLineChart, type LineChartRenderer } from '../renderers/line-chart';
import { create as createMap } from '../renderers/robust-map';
import { Run, type RunInspection } from '../kit/run';
import { choiceLabel } from '../controls/params';
import { dataTable, putTable } from '../renderers/data-table';
import { pct } from '../renderers/format';
import { setData, setText } from '../renderers/outputs';
import { throttled } from '../renderers/plot-image';
import { params, type PoisonParams } from './params';
import { CLIENTS, HIDDEN, RULES, TABLE_CAPTION, toRunConfig } from './config';
import { currentRule, initPoison, reducePoison, type PoisonState, type RuleState } from './state';

const ruleName = (rule: AggregatorRule) => choiceLabel(params.focus, rule);
/** Short names for the map's diamonds. */
const SHORT: Record<AggregatorRule, string> = { mean: '평균', median: '중앙값', trimmed: '절사', krum: 'Krum', clip: '클리핑', centered: '중심' };

export interface PoisonInspection extends RunInspection {
  rules: Array<{ rule: AggregatorRule; status: RuleState['status']; malicious: number[]; accuracy: number[]; backdoor: number[]; message: string | null }>;
  map: { rule: AggregatorRule; round: number; clients: Array<{ k: number; malicious: boolean; x: number; y: number }>; aggregates: Array<{ rule: string; x: number; y: number }> } | null;
  /** The configuration of the rule under way (or next), null when every rule is done. */
  config: RunConfig | null;
}

export function mount(ctx: WidgetContext<PoisonParams>): WidgetController<PoisonParams> & { inspect(): PoisonInspection } {
  const root = ctx.root;
  const mapView = root.querySelector<HTMLElement>('[data-view="map"]')!;
  const tableView = root.querySelector<HTMLElement>('[data-view="table"]')!;
  const mapNote = root.querySelector<HTMLElement>('[data-map-note]');
  const map = ctx.own(createMap(mapView, { label: '한 라운드의 클라이언트 업데이트와 규칙별 집계 결과를 평면에 투영한 지도' }));
  const charts = new Map<AggregatorRule, LineChartRenderer>();
  for (const rule of RULES) {
    const el = root.querySelector<HTMLElement>(`[data-chart="${rule}"]`)!;
    charts.set(
      rule,
      ctx.own(createLineChart(el, {
        label: `${ruleName(rule)}: 라운드별 테스트 정확도와 백도어 성공률`,
        xLabel: '라운드',
        yLabel: '',
        yDomain: [0, 1],
        yPercent: true,
        height: 150,
        series: [
          { key: 'acc', label: '정확도', color: '#0072b2' },
          { key: 'bd', label: '백도어', color: '#c62828', dashed: true },
        ],
      })),
    );
  }

  let shownMap: PoisonInspection['map'] = null;
  /** The round record and the chosen rule the map was last drawn for. */
  let drawn: { rec: object | null; focus: string } = { rec: null, focus: '' };
  const ruleOf = (r: AggregatorRule) => run.state.rules[r];

  const run: Run<PoisonParams, PoisonState> = new Run(ctx, {
    // The map's plane of each round, computed in the worker (no weight vector comes to the page),
    // and only the events the reducer reads: every client's update and message would be some 550
    // messages a second, each a task on the page (a phone drew 35 frames a second while training).
    options: () => ({ planes: true, events: ['round-started', 'models-averaged', 'round-metrics'] }),
    init: () => initPoison(ctx.values),
    reduce: reducePoison,
    sequence: {
      job: (s) => {
        const rule = currentRule(s);
        return rule ? { key: String(s.current), config: toRunConfig(ctx.values, rule) } : null;
      },
    },
    progress: (s) => ({ done: s.current, total: s.jobs.length, text: `실험 ${s.current} / ${s.jobs.length}` }),
    onReset: () => {
      shownMap = null;
      drawAll();
    },
    onEvent: (e) => {
      const rule = run.state.jobs[run.state.current - (e.type === 'run-finished' || e.type === 'run-diverged' ? 1 : 0)];
      if (!rule) return;
      if (e.type === 'round-metrics' || e.type === 'run-finished' || e.type === 'run-diverged') {
        changed.add(rule);
        texts.schedule();
      }
      // The next rule's panel says it is training.
      const next = currentRule(run.state);
      if (next && next !== rule) drawRule(next);
    },
    onEnd: () => {
      texts.cancel();
      drawAll();
    },
    summary,
    exports: {
      tables: {
        'export-csv': {
          file: 'poisoning-rounds',
          columns: ['rule', 'round', 'test_accuracy', 'backdoor_success'],
          rows: () => RULES.flatMap((r) => ruleOf(r).rounds.map((x) => ({ rule: r, round: x.round, test_accuracy: x.testAccuracy, backdoor_success: x.backdoorSuccess }))),
        },
      },
      json: { file: 'poisoning-config', value: () => ({ widget: 'poisoning', settings: ctx.values, configs: RULES.map((r) => toRunConfig(ctx.values, r)), backend: run.backend }) },
      prefix: 'poisoning',
      views: { map: () => (shownMap ? map.svg() : null) },
    },
  });

  /** The rules with rounds not drawn yet. */
  const changed = new Set<AggregatorRule>();
  /**
   * The rules' notes and charts, the table and the map follow the runs at most once per 150 ms,
   * through the page's draw queue. Rounds come some 20 a second on the phone profile of the jank
   * bench: the table and the map redrawn at every round held it under 20 frames a second, and each
   * round's note alone, a line of text laid out and painted again, kept it near 41.
   */
  const texts = throttled(() => {
    for (const r of changed) drawRule(r);
    changed.clear();
    drawTable();
    drawMap();
  }, 150);

  function drawAll() {
    changed.clear();
    for (const r of RULES) drawRule(r);
    drawTable();
    drawMap();
  }

  function drawRule(rule: AggregatorRule) {
    const s = ruleOf(rule);
    const panel = root.querySelector<HTMLElement>(`.pz__rule[data-rule="${rule}"]`);
    if (panel) setData(panel, 'status', s.status);
    const points = s.rounds.flatMap((r) => [
      { x: r.round, y: r.testAccuracy, series: 'acc' },
      ...(r.backdoorSuccess !== undefined ? [{ x: r.round, y: r.backdoorSuccess, series: 'bd' }] : []),
    ]);
    charts.get(rule)!.update({ points, xMax: ctx.values.rounds });
    const note = root.querySelector<HTMLElement>(`[data-note="${rule}"]`);
    if (note) setText(note, ruleNote(s));
  }

  /** The line under a rule's chart: why it cannot run, that it diverged or waits, or its last round. */
  function ruleNote(s: RuleState): string {
    const last = s.rounds[s.rounds.length - 1];
    if (s.status === 'blocked') return `실행할 수 없음: ${s.message}`;
    if (s.status === 'diverged') return `발산해 멈췄습니다 (${s.rounds.length}라운드).`;
    if (!last) return s.status === 'running' ? '학습 중입니다.' : '차례를 기다리는 중입니다.';
    return `${last.round}라운드 정확도 ${pct(last.testAccuracy)}${last.backdoorSuccess !== undefined ? `, 백도어 성공률 ${pct(last.backdoorSuccess)}` : ''}`;
  }

  function drawTable() {
    const backdoor = ctx.values.attack === 'backdoor' && ctx.values.malicious > 0;
    const rows = RULES.map((rule) => {
      const s = ruleOf(rule);
      const last = s.rounds[s.rounds.length - 1];
      const status = { waiting: '대기', running: '학습 중', finished: '완료', diverged: '발산', blocked: '실행 불가' }[s.status];
      const bd = backdoor ? [last?.backdoorSuccess !== undefined ? pct(last.backdoorSuccess) : '—'] : [];
      return { head: ruleName(rule), data: { rule }, cells: [last ? pct(last.testAccuracy) : '—', ...bd, status] };
    });
    putTable(
      tableView,
      dataTable({
        caption: TABLE_CAPTION,
        captionClass: 'fw__muted',
        className: 'pz__table',
        columns: ['규칙', '정확도', ...(backdoor ? ['백도어'] : []), '상태'],
        rows,
      }),
    );
  }

  /** The run the map shows: the chosen one, or the mean's when the chosen rule could not run. */
  function mapRule(): AggregatorRule {
    const f = ctx.values.focus as AggregatorRule;
    return ruleOf(f)?.status === 'blocked' ? 'mean' : f;
  }

  function drawMap() {
    const rule = mapRule();
    const s = ruleOf(rule);
    const withPlane = s.rounds.filter((r) => r.plane);
    const want = ctx.values.round;
    const rec = want > 0 ? withPlane.find((r) => r.round === Math.min(want, withPlane.length ? withPlane[withPlane.length - 1].round : want)) : withPlane[withPlane.length - 1];
    if (!rec?.plane) {
      shownMap = null;
      if (mapNote) setText(mapNote, '이 실험의 첫 라운드가 끝나면 지도가 나옵니다.');
      return;
    }
    // The map shows one round of the chosen rule: while the other rules train it does not change,
    // and its sixty-odd elements are not built again.
    if (shownMap && rec === drawn.rec && ctx.values.focus === drawn.focus) return;
    drawn = { rec, focus: ctx.values.focus };
    const plane = rec.plane;
    const kept = new Set(rec.chosen ?? []);
    map.update({
      clients: plane.clients.map((c) => ({ ...c, kept: kept.has(c.k) })),
      aggregates: plane.aggregates.map((a) => ({ ...a, label: SHORT[a.rule as AggregatorRule] ?? a.rule, used: a.rule === rule })),
      xLabel: '정직한 업데이트들의 평균 방향 →',
      yLabel: '그에 수직인 흩어짐 방향',
    });
    shownMap = { rule, round: rec.round, clients: plane.clients.map((c) => ({ ...c })), aggregates: plane.aggregates.map((a) => ({ ...a })) };
    const fallback = rule !== ctx.values.focus ? ` (${ruleName(ctx.values.focus)}은(는) 보안 집계에서 실행할 수 없어 평균 실험을 보여 줍니다)` : '';
    const mal = plane.clients.filter((c) => c.malicious).map((c) => c.k + 1);
    if (mapNote) {
      setText(
        mapNote,
        `${ruleName(rule)} 실험의 ${rec.round}라운드${fallback}. 원점은 이 라운드의 출발 모델 w_t이고, 각 점은 클라이언트가 보낸 업데이트 Δ입니다. ` +
        `가로축 한 칸의 길이는 정직한 업데이트 평균의 길이(${plane.honestNorm.toFixed(3)})를 기준으로 합니다. ` +
        (mal.length ? `악의적 클라이언트: ${mal.join(', ')}번. ` : '악의적 클라이언트는 없습니다. ') +
          (kept.size ? `Krum이 고른 클라이언트(굵은 테두리): ${[...kept].map((k) => k + 1).join(', ')}번.` : ''),
      );
    }
  }

  function summary(): string {
    const v = ctx.values;
    const attack = v.attack === 'none' || v.malicious === 0 ? '공격 없음' : `${choiceLabel(params.attack, v.attack)}, 악의적 클라이언트 ${Math.round(v.malicious * CLIENTS)}명, s=${v.scale}`;
    const parts = RULES.map((r) => {
      const s = ruleOf(r);
      if (s.status === 'blocked') return `${ruleName(r)} 실행 불가`;
      const last = s.rounds[s.rounds.length - 1];
      if (!last) return null;
      return `${ruleName(r)} ${pct(last.testAccuracy)}${last.backdoorSuccess !== undefined ? `(백도어 ${pct(last.backdoorSuccess)})` : ''}`;
    }).filter(Boolean);
    const state = run.status === 'finished' ? '모든 실험을 마쳤습니다' : run.status === 'paused' ? '일시정지' : '학습 중';
    return `${attack}${v.secure ? ', 보안 집계' : ''}: ${state}. 마지막 라운드 테스트 정확도: ${parts.join(', ') || '아직 없음'}.`;
  }

  run.ui.parameters(`모델: 입력 64 → 은닉 ${HIDDEN.join('·')} (ReLU) → 출력 10, digits 8×8, FedAvg(E = 1, B = 10, η = 0.1), 클라이언트 ${CLIENTS}명 모두 매 라운드 참여`);
  run.start(false);

  return run.controller<PoisonInspection>({
    update: (_values, changed) => {
      if (changed.every((k) => (ctx.table[k] as { view?: boolean }).view)) drawMap();
    },
    destroy: () => texts.cancel(),
    inspect: () => {
      const rule = currentRule(run.state);
      return {
        ...run.inspectBase(),
        rules: RULES.map((r) => {
          const s = ruleOf(r);
          return {
            rule: r,
            status: s.status,
            malicious: [...s.malicious],
            accuracy: s.rounds.map((x) => x.testAccuracy),
            backdoor: s.rounds.flatMap((x) => (x.backdoorSuccess !== undefined ? [x.backdoorSuccess] : [])),
            message: s.message,
          };
        }),
        map: shownMap,
        config: rule ? toRunConfig(ctx.values, rule) : null,
      };
    },
  });
}
