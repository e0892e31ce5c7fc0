/**
 * Poisoning and robust aggregation, mounted when the widget nears the viewport. The engine runs
 * FedAvg on digits once per aggregation rule — same data, seed, initial weights and malicious
 * clients — one after another in the training worker, and reports per round the clients' models
 * (malicious ones marked), where every rule's aggregate would land, the test accuracy and, with a
 * backdoor, its success rate. The page reduces those events (./state.ts), projects each round to
 * a plane (./projection.ts) and draws.
 *
 * Secure aggregation on: the server sees only the sum, so only the mean can run; the other rules'
 * panels say why instead of showing a curve (the engine's own configuration error).
 */
import type { AggregatorRule, EngineEvent, RunConfig } from '~/engine/types';
import type { WidgetContext, WidgetController } from '~/runtime/widget';
import type { BackendInfo, WireRunOptions } from '~/runtime/protocol';
import { validateConfig } from '~/engine/config';
import { DEFAULT_DIVERGE_FACTOR } from '~/engine/divergence';
import { TrainingHost } from '~/runtime/host';
import { downloadCsv, downloadJson, stamp } from '~/runtime/export';
import { create as createLineChart, type LineChartRenderer } from '../renderers/line-chart';
import { create as createMap } from '../renderers/robust-map';
import { DATA_URL, exportView, pct, statusUi, type Status } from '../renderers/fed-common';
import { params, RULE_CHOICES, VIEW_ONLY, type PoisonParams, type PoisonValues } from './params';
import { CLIENTS, HIDDEN, RULES, toRunConfig } from './config';
import { initRule, reduceRule, type RuleState } from './state';

const LABEL: Record<string, string> = Object.fromEntries(RULE_CHOICES.map((c) => [c.value, c.label]));
/** Short names for the map's diamonds. */
const SHORT: Record<AggregatorRule, string> = { mean: '평균', median: '중앙값', trimmed: '절사', krum: 'Krum', clip: '클리핑', centered: '중심' };
const ATTACK: Record<PoisonValues['attack'], string> = Object.fromEntries(params.attack.choices.map((c) => [c.value, c.label])) as Record<PoisonValues['attack'], string>;

export interface PoisonInspection {
  runId: number;
  status: Status;
  rules: Array<{ rule: AggregatorRule; status: RuleState['status']; malicious: number[]; accuracy: number[]; backdoor: number[]; message: string | null }>;
  map: { rule: AggregatorRule; round: number; clients: Array<{ k: number; malicious: boolean; x: number; y: number }>; aggregates: Array<{ rule: string; x: number; y: number }> } | null;
  backend: BackendInfo | null;
  config: RunConfig | null;
}

export function mount(ctx: WidgetContext<PoisonParams>): WidgetController<PoisonParams> & { inspect(): PoisonInspection } {
  const root = ctx.root;
  const ui = statusUi(root);
  const mapView = root.querySelector<HTMLElement>('[data-view="map"]')!;
  const tableView = root.querySelector<HTMLElement>('[data-view="table"]')!;
  const mapNote = root.querySelector<HTMLElement>('[data-map-note]');
  const map = createMap(mapView, { label: '한 라운드의 클라이언트 업데이트와 규칙별 집계 결과를 평면에 투영한 지도' });
  const charts = new Map<AggregatorRule, LineChartRenderer>();
  for (const rule of RULES) {
    const el = root.querySelector<HTMLElement>(`[data-chart="${rule}"]`)!;
    charts.set(
      rule,
      createLineChart(el, {
        label: `${LABEL[rule]}: 라운드별 테스트 정확도와 백도어 성공률`,
        xLabel: '라운드',
        yLabel: '',
        yDomain: [0, 1],
        yPercent: true,
        height: 150,
        series: [
          { key: 'acc', label: '정확도', color: '#0072b2' },
          { key: 'bd', label: '백도어', color: '#c62828', dashed: true },
        ],
      }),
    );
  }

  let status: Status = 'loading';
  let playing = true;
  let backend: BackendInfo | null = null;
  let states = new Map<AggregatorRule, RuleState>(RULES.map((r) => [r, initRule(r)]));
  let jobs: AggregatorRule[] = [];
  let jobIndex = 0;
  let shownMap: PoisonInspection['map'] = null;

  const active = () => playing && ctx.visible;
  const options = (): WireRunOptions => ({ emitWeights: true, dataUrl: DATA_URL, divergeFactor: DEFAULT_DIVERGE_FACTOR });

  const host = new TrainingHost({
    onEvent: (e) => onEvent(e),
    onBackend: (info) => {
      backend = info;
      ui.backend(info);
    },
    onDone: (runId) => {
      if (runId !== host.runId || status === 'error') return;
      jobIndex++;
      startJob(false);
    },
    onError: (message) => {
      setStatus('error');
      ui.alert(message);
    },
  });

  function setStatus(s: Status) {
    status = s;
    ui.status(s, playing);
  }

  function onEvent(e: EngineEvent) {
    const rule = jobs[jobIndex];
    if (!rule) return;
    if (e.type === 'run-started') root.dataset.runId = String(host.runId);
    const next = reduceRule(states.get(rule)!, e);
    states.set(rule, next);
    if (e.type === 'round-metrics') {
      drawRule(rule);
      if (rule === mapRule()) drawMap();
      drawTable();
      ctx.announce(summary());
    } else if (e.type === 'run-finished' || e.type === 'run-diverged') {
      drawRule(rule);
      drawTable();
    }
  }

  function startJob(debounced: boolean) {
    const rule = jobs[jobIndex];
    ui.progress(Math.min(jobIndex, jobs.length), jobs.length, `실험 ${Math.min(jobIndex, jobs.length)} / ${jobs.length}`);
    if (!rule) {
      setStatus('finished');
      drawTable();
      drawMap();
      ctx.announce(summary(), true);
      return;
    }
    states.set(rule, initRule(rule, 'running'));
    drawRule(rule);
    if (debounced) host.restart(() => toRunConfig(ctx.values, rule), options(), { paused: () => !active() });
    else host.start(toRunConfig(ctx.values, rule), options(), { paused: !active() });
  }

  /** Every rule again from the start: the blocked ones say why, the others queue up. */
  function startAll(debounced: boolean) {
    ui.alert(null);
    states = new Map(
      RULES.map((r) => {
        const problems = validateConfig(toRunConfig(ctx.values, r));
        return [r, problems.length ? initRule(r, 'blocked', problems.map((p) => p.ko).join(' ')) : initRule(r)];
      }),
    );
    jobs = RULES.filter((r) => states.get(r)!.status === 'waiting');
    jobIndex = 0;
    shownMap = null;
    delete root.dataset.runId;
    for (const r of RULES) drawRule(r);
    drawTable();
    drawMap();
    setStatus(active() ? 'running' : 'paused');
    startJob(debounced);
  }

  function drawRule(rule: AggregatorRule) {
    const s = states.get(rule)!;
    const panel = root.querySelector<HTMLElement>(`.pz__rule[data-rule="${rule}"]`);
    if (panel) panel.dataset.status = s.status;
    const points = s.rounds.flatMap((r) => [
      { x: r.round, y: r.testAccuracy, series: 'acc' },
      ...(r.backdoorSuccess !== undefined ? [{ x: r.round, y: r.backdoorSuccess, series: 'bd' }] : []),
    ]);
    charts.get(rule)!.update({ points, xMax: ctx.values.rounds });
    const note = root.querySelector<HTMLElement>(`[data-note="${rule}"]`);
    if (!note) return;
    const last = s.rounds[s.rounds.length - 1];
    if (s.status === 'blocked') note.textContent = `실행할 수 없음: ${s.message}`;
    else if (s.status === 'diverged') note.textContent = `발산해 멈췄습니다 (${s.rounds.length}라운드).`;
    else if (!last) note.textContent = s.status === 'running' ? '학습 중입니다.' : '차례를 기다리는 중입니다.';
    else note.textContent = `${last.round}라운드 정확도 ${pct(last.testAccuracy)}${last.backdoorSuccess !== undefined ? `, 백도어 성공률 ${pct(last.backdoorSuccess)}` : ''}`;
  }

  function drawTable() {
    const backdoor = ctx.values.attack === 'backdoor' && ctx.values.malicious > 0;
    const table = document.createElement('table');
    table.className = 'pz__table';
    const cap = document.createElement('caption');
    cap.className = 'fw__muted';
    cap.textContent = `같은 데이터·시드·공격자, 규칙만 다름 (클라이언트 ${CLIENTS}명)`;
    table.append(cap);
    const head = table.createTHead().insertRow();
    for (const h of ['규칙', '정확도', ...(backdoor ? ['백도어'] : []), '상태']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = h;
      head.append(th);
    }
    const body = table.createTBody();
    for (const rule of RULES) {
      const s = states.get(rule)!;
      const last = s.rounds[s.rounds.length - 1];
      const row = body.insertRow();
      row.dataset.rule = rule;
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = LABEL[rule];
      row.append(th);
      row.insertCell().textContent = last ? pct(last.testAccuracy) : '—';
      if (backdoor) row.insertCell().textContent = last?.backdoorSuccess !== undefined ? pct(last.backdoorSuccess) : '—';
      row.insertCell().textContent = { waiting: '대기', running: '학습 중', finished: '완료', diverged: '발산', blocked: '실행 불가' }[s.status];
    }
    tableView.replaceChildren(table);
  }

  /** The run the map shows: the chosen one, or the mean's when the chosen rule could not run. */
  function mapRule(): AggregatorRule {
    const f = ctx.values.focus as AggregatorRule;
    return states.get(f)?.status === 'blocked' ? 'mean' : f;
  }

  function drawMap() {
    const rule = mapRule();
    const s = states.get(rule)!;
    const withPlane = s.rounds.filter((r) => r.plane);
    const want = ctx.values.round;
    const rec = want > 0 ? withPlane.find((r) => r.round === Math.min(want, withPlane.length ? withPlane[withPlane.length - 1].round : want)) : withPlane[withPlane.length - 1];
    if (!rec?.plane) {
      shownMap = null;
      if (mapNote) mapNote.textContent = '이 실험의 첫 라운드가 끝나면 지도가 나옵니다.';
      return;
    }
    const plane = rec.plane;
    const kept = new Set(rec.chosen ?? []);
    map.update({
      clients: plane.clients.map((c) => ({ ...c, kept: kept.has(c.k) })),
      aggregates: plane.aggregates.map((a) => ({ ...a, label: SHORT[a.rule as AggregatorRule] ?? a.rule, used: a.rule === rule })),
      xLabel: '정직한 업데이트들의 평균 방향 →',
      yLabel: '그에 수직인 흩어짐 방향',
    });
    shownMap = { rule, round: rec.round, clients: plane.clients.map((c) => ({ ...c })), aggregates: plane.aggregates.map((a) => ({ ...a })) };
    const fallback = rule !== ctx.values.focus ? ` (${LABEL[ctx.values.focus]}은(는) 보안 집계에서 실행할 수 없어 평균 실험을 보여 줍니다)` : '';
    const mal = plane.clients.filter((c) => c.malicious).map((c) => c.k + 1);
    if (mapNote) {
      mapNote.textContent =
        `${LABEL[rule]} 실험의 ${rec.round}라운드${fallback}. 원점은 이 라운드의 출발 모델 w_t이고, 각 점은 클라이언트가 보낸 업데이트 Δ입니다. ` +
        `가로축 한 칸의 길이는 정직한 업데이트 평균의 길이(${plane.honestNorm.toFixed(3)})를 기준으로 합니다. ` +
        (mal.length ? `악의적 클라이언트: ${mal.join(', ')}번. ` : '악의적 클라이언트는 없습니다. ') +
        (kept.size ? `Krum이 고른 클라이언트(굵은 테두리): ${[...kept].map((k) => k + 1).join(', ')}번.` : '');
    }
  }

  function summary(): string {
    const v = ctx.values;
    const attack = v.attack === 'none' || v.malicious === 0 ? '공격 없음' : `${ATTACK[v.attack]}, 악의적 클라이언트 ${Math.round(v.malicious * CLIENTS)}명, s=${v.scale}`;
    const parts = RULES.map((r) => {
      const s = states.get(r)!;
      if (s.status === 'blocked') return `${LABEL[r]} 실행 불가`;
      const last = s.rounds[s.rounds.length - 1];
      if (!last) return null;
      return `${LABEL[r]} ${pct(last.testAccuracy)}${last.backdoorSuccess !== undefined ? `(백도어 ${pct(last.backdoorSuccess)})` : ''}`;
    }).filter(Boolean);
    const state = status === 'finished' ? '모든 실험을 마쳤습니다' : status === 'paused' ? '일시정지' : '학습 중';
    return `${attack}${v.secure ? ', 보안 집계' : ''}: ${state}. 마지막 라운드 테스트 정확도: ${parts.join(', ') || '아직 없음'}.`;
  }

  ui.parameters(`모델: 입력 64 → 은닉 ${HIDDEN.join('·')} (ReLU) → 출력 10, digits 8×8, FedAvg(E = 1, B = 10, η = 0.1), 클라이언트 ${CLIENTS}명 모두 매 라운드 참여`);
  startAll(false);

  return {
    update(_values: PoisonValues, changed) {
      if (changed.every((k) => VIEW_ONLY.includes(k))) {
        drawMap();
        return;
      }
      playing = true;
      startAll(true);
    },
    action(name, trigger) {
      switch (name) {
        case 'toggle-play':
          if (status === 'finished' || status === 'diverged' || status === 'error') {
            playing = true;
            startAll(false);
            return;
          }
          playing = !playing;
          if (active()) host.resume();
          else host.pause();
          setStatus(active() ? 'running' : 'paused');
          return;
        case 'step':
          playing = false;
          host.step();
          setStatus('paused');
          return;
        case 'restart':
          playing = true;
          startAll(false);
          return;
        case 'export-csv':
          downloadCsv(
            RULES.flatMap((r) => states.get(r)!.rounds.map((x) => ({ rule: r, round: x.round, test_accuracy: x.testAccuracy, backdoor_success: x.backdoorSuccess }))),
            ['rule', 'round', 'test_accuracy', 'backdoor_success'],
            `poisoning-rounds-${stamp()}.csv`,
          );
          return;
        case 'export-json':
          downloadJson({ widget: 'poisoning', settings: ctx.values, configs: RULES.map((r) => toRunConfig(ctx.values, r)), backend }, `poisoning-config-${stamp()}.json`);
          return;
        case 'export-png':
        case 'export-svg':
          exportView(name === 'export-png' ? 'png' : 'svg', `poisoning-${trigger.dataset.target ?? 'map'}`, shownMap ? map.svg() : null, ctx.notify);
          return;
      }
    },
    setVisible(visible) {
      if (status !== 'running' && status !== 'paused') return;
      if (visible && playing) {
        host.resume();
        setStatus('running');
      } else {
        host.pause();
        setStatus('paused');
      }
    },
    destroy() {
      host.dispose();
      map.destroy();
      for (const c of charts.values()) c.destroy();
    },
    inspect() {
      return {
        runId: host.runId,
        status,
        rules: RULES.map((r) => {
          const s = states.get(r)!;
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
        backend,
        config: jobs[jobIndex] ? toRunConfig(ctx.values, jobs[jobIndex]) : null,
      };
    },
  };
}
