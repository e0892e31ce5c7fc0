/**
 * The live reproduction, mounted when it nears the viewport: FedSGD and the chosen FedAvg
 * settings train one after another in the worker; each stops when it reaches the target accuracy
 * (the round is read off the best-so-far curve with linear interpolation, as the paper does) or
 * its round limit. Every number shown comes from an engine event; nothing is precomputed.
 */
import type { EngineEvent, RunConfig } from '~/engine/types';
import type { WidgetContext, WidgetController } from '~/runtime/widget';
import type { BackendInfo } from '~/runtime/protocol';
import { TrainingHost } from '~/runtime/host';
import { downloadCsv, downloadJson, downloadPng, downloadSvg, stamp, svgDocument } from '~/runtime/export';
import { monotone, roundsToTarget } from '~/engine/metrics';
import { speedupAgainst } from '~/data/reproduction';
import { DATA_URL, statusElements, type RunStatus } from '../renderers/run-status';
import { create as createCurves } from './curves-chart';
import { VIEW_ONLY, params, type ReproParams, type ReproValues } from './params';
import { FRACTION, race, toRunConfig, type ChosenLrs, type RaceEntry } from './config';

/** Accuracy before round 1: chance for ten classes (as in the Node reproduction). */
const CHANCE = 0.1;

interface RunRecord {
  entry: RaceEntry;
  config: RunConfig;
  accuracies: number[];
  /** waiting → running → target | cap | diverged. */
  state: 'waiting' | 'running' | 'target' | 'cap' | 'diverged';
  roundsToTarget: number | null;
  message?: string;
}

/** What tests read (also handy in the console). */
export interface ReproInspection {
  runId: number;
  status: RunStatus;
  records: Array<{ id: string; lr: number; state: RunRecord['state']; roundsToTarget: number | null; rounds: number; best: number }>;
  backend: BackendInfo | null;
  memory: () => Promise<{ numTensors: number; numBytes: number }>;
}

const pct = (x: number, d = 1) => (Number.isFinite(x) ? `${(x * 100).toFixed(d)}%` : '—');
const roundsText = (r: RunRecord, cap: number) =>
  r.roundsToTarget !== null ? `${r.roundsToTarget < 100 ? r.roundsToTarget.toFixed(1) : Math.round(r.roundsToTarget)}라운드` : r.state === 'running' || r.state === 'waiting' ? '—' : `${cap}라운드 안에 못 닿음`;

function speedupText(fedsgd: RunRecord | undefined, r: RunRecord, cap: number): string {
  if (!fedsgd || r === fedsgd) return r === fedsgd ? '기준' : '—';
  const done = (x: RunRecord) => x.state !== 'waiting' && x.state !== 'running';
  if (!done(fedsgd) || !done(r)) return '—';
  const s = speedupAgainst({ roundsToTarget: fedsgd.roundsToTarget, cap }, { roundsToTarget: r.roundsToTarget, cap });
  if (s.speedup === null) return '알 수 없음';
  const v = s.speedup >= 100 ? s.speedup.toFixed(0) : s.speedup.toFixed(1);
  return s.speedupBound === 'lower' ? `${v}배 이상` : s.speedupBound === 'upper' ? `${v}배 이하` : `${v}배`;
}

export function mount(ctx: WidgetContext<ReproParams>): WidgetController<ReproParams> & { inspect(): ReproInspection } {
  const root = ctx.root;
  const ui = statusElements(root);
  const chartEl = root.querySelector<HTMLElement>('[data-view="accuracy"]')!;
  const tableEl = root.querySelector<HTMLElement>('[data-view="table"]')!;
  const paramLine = root.querySelector<HTMLElement>('[data-parameters]');
  const chart = createCurves(chartEl, { label: '설정별 라운드에 따른 테스트 정확도' });
  // η chosen by the full-size run, rendered into the page at build time (see the .astro file).
  let chosen: ChosenLrs = {};
  try {
    chosen = JSON.parse(root.dataset.lrs ?? '{}') as ChosenLrs;
  } catch {
    chosen = {};
  }

  let status: RunStatus = 'loading';
  let playing = true;
  let records: RunRecord[] = [];
  let current = 0;
  let backend: BackendInfo | null = null;
  /** The values the current race was started with (the table and summary describe those). */
  let raced: ReproValues = ctx.values;

  const target = () => raced.target / 100;

  function setStatus(s: RunStatus) {
    status = s;
    ui.status(s, playing);
  }

  function draw() {
    const useBest = ctx.values.curve === 'best';
    chart.update({
      series: records
        .filter((r) => r.accuracies.length)
        .map((r) => {
          const ys = useBest ? monotone(r.accuracies) : r.accuracies;
          return { id: r.entry.id, label: `${r.entry.label}, η=${r.entry.lr}`, rounds: ys.map((_, i) => i + 1), accuracy: ys };
        }),
      target: target(),
      xMax: raced.rounds,
      yMin: 0.5,
    });
    drawTable();
  }

  function drawTable() {
    const fedsgd = records.find((r) => r.entry.algorithm === 'fedsgd');
    const table = document.createElement('table');
    table.className = 'lab__table';
    const caption = table.createCaption();
    caption.textContent = `${raced.partition === 'iid' ? 'IID' : '극단적 Non-IID'}, 클라이언트 ${raced.clients}명(라운드마다 ${Math.max(1, Math.floor(FRACTION * raced.clients))}명), 목표 ${raced.target}%`;
    const head = table.createTHead().insertRow();
    for (const h of ['설정', '학습률 η', '목표까지', 'FedSGD 대비', '최고 정확도']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = h;
      head.append(th);
    }
    const body = table.createTBody();
    for (const r of records) {
      const row = body.insertRow();
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = r.entry.label;
      row.append(th);
      const best = r.accuracies.length ? Math.max(...monotone(r.accuracies)) : NaN;
      const state = r.state === 'running' ? `학습 중 (${r.accuracies.length}라운드)` : r.state === 'waiting' ? '대기' : r.state === 'diverged' ? '발산' : roundsText(r, raced.rounds);
      for (const text of [String(r.entry.lr), state, speedupText(fedsgd, r, raced.rounds), pct(best)]) row.insertCell().textContent = text;
    }
    tableEl.replaceChildren(table);
  }

  function summary(): string {
    const head = `${raced.partition === 'iid' ? 'IID' : '극단적 Non-IID'} 분할, 목표 정확도 ${raced.target}%`;
    const fedsgd = records.find((r) => r.entry.algorithm === 'fedsgd');
    const parts = records
      .filter((r) => r.state !== 'waiting')
      .map((r) => {
        if (r.state === 'running') return `${r.entry.label} 학습 중(${r.accuracies.length}라운드, 정확도 ${pct(r.accuracies[r.accuracies.length - 1] ?? NaN)})`;
        if (r.state === 'diverged') return `${r.entry.label} 발산`;
        const sp = r === fedsgd ? '' : `, FedSGD 대비 ${speedupText(fedsgd, r, raced.rounds)}`;
        return `${r.entry.label} ${roundsText(r, raced.rounds)}${sp}`;
      });
    if (status === 'loading' && parts.length === 0) return `${head}: 학습을 준비하고 있습니다.`;
    const tail = status === 'finished' ? ' 모든 설정을 마쳤습니다.' : status === 'paused' ? ' 일시정지.' : '';
    return `${head}: ${parts.join('; ')}.${tail}`;
  }

  const wireOptions = { dataUrl: DATA_URL, divergeFactor: 10 };
  const shouldRun = () => playing && ctx.visible;

  function startNext() {
    if (current >= records.length) {
      // The last run may have reached the target before its round limit: stop it there.
      host.cancel();
      setStatus(records.some((r) => r.state === 'diverged') ? 'diverged' : 'finished');
      ui.progress(records.length, records.length, '실행');
      root.dataset.race = 'done';
      draw();
      ctx.announce(summary(), true);
      return;
    }
    ui.progress(current, records.length, '실행');
    records[current].state = 'running';
    host.start(records[current].config, wireOptions, { paused: !shouldRun() });
  }

  /** The current run is over (target, cap or divergence): on to the next setting. */
  function advance() {
    current++;
    draw();
    startNext();
  }

  function onEvent(e: EngineEvent) {
    const r = records[current];
    if (!r) return;
    switch (e.type) {
      case 'run-started':
        if (paramLine) paramLine.textContent = `2NN 모델 매개변수 ${e.parameters.toLocaleString('ko-KR')}개 · MNIST 학습 ${e.data.trainSize.toLocaleString('ko-KR')}장, 테스트 ${e.data.testSize.toLocaleString('ko-KR')}장`;
        if (status !== 'paused') setStatus(shouldRun() ? 'running' : 'paused');
        root.dataset.runId = String(host.runId);
        return;
      case 'round-metrics': {
        r.accuracies.push(e.metrics.testAccuracy);
        root.dataset.round = String(e.metrics.round);
        ui.progress(current, records.length, `실행 · ${r.entry.label} ${e.metrics.round}라운드`);
        const rtt = roundsToTarget(r.accuracies, target(), CHANCE);
        if (rtt !== null) {
          r.roundsToTarget = rtt;
          r.state = 'target';
          ctx.announce(summary());
          advance();
          return;
        }
        draw();
        ctx.announce(summary());
        return;
      }
      case 'run-finished':
        if (r.state === 'running') r.state = 'cap';
        advance();
        return;
      case 'run-diverged':
        r.state = 'diverged';
        r.message = e.message;
        ui.alert(`${r.entry.label}: ${e.message}`);
        advance();
        return;
      default:
        return;
    }
  }

  const host = new TrainingHost({
    onEvent: (e) => onEvent(e),
    onBackend: (info) => {
      backend = info;
      ui.backend(info);
    },
    onPaused: (p) => {
      if (status === 'running' || status === 'paused') setStatus(p ? 'paused' : 'running');
    },
    onError: (message) => {
      setStatus('error');
      ui.alert(message);
    },
  });

  /** Starts the race over from FedSGD with the current settings. */
  function rerun(debounced: boolean) {
    raced = { ...ctx.values };
    const entries = race(raced, chosen);
    records = entries.map((entry) => ({ entry, config: toRunConfig(entry, raced), accuracies: [], state: 'waiting', roundsToTarget: null }));
    current = 0;
    root.dataset.race = 'running';
    ui.alert(null);
    setStatus('loading');
    draw();
    ctx.announce(summary());
    const first = records[0];
    first.state = 'running';
    ui.progress(0, records.length, '실행');
    if (debounced) host.restart(() => first.config, wireOptions, { paused: () => !shouldRun() });
    else host.start(first.config, wireOptions, { paused: !shouldRun() });
  }

  function exportChart(kind: 'png' | 'svg') {
    const svg = chart.svg();
    if (!svg) return;
    const text = svgDocument(svg);
    const file = `reproduction-accuracy-${stamp()}`;
    if (kind === 'svg') downloadSvg(text, `${file}.svg`);
    else void downloadPng(text, `${file}.png`).catch((err) => ctx.notify(String(err instanceof Error ? err.message : err)));
  }

  rerun(false);

  return {
    update(_values, changed) {
      if (changed.every((k) => VIEW_ONLY.includes(k))) {
        draw();
        return;
      }
      playing = true;
      rerun(true);
    },
    action(name) {
      switch (name) {
        case 'toggle-play':
          if (status === 'finished' || status === 'diverged' || status === 'error') {
            playing = true;
            rerun(false);
          } else {
            playing = !playing;
            setStatus(playing ? 'running' : 'paused');
            if (shouldRun()) host.resume();
            else host.pause();
          }
          ctx.announce(summary(), true);
          return;
        case 'step':
          if (status === 'finished' || status === 'diverged') return;
          playing = false;
          setStatus('paused');
          host.step();
          return;
        case 'restart':
          playing = true;
          rerun(false);
          return;
        case 'export-csv': {
          const rows = records.flatMap((r) => {
            const best = monotone(r.accuracies);
            return r.accuracies.map((a, i) => ({ setting: r.entry.label, lr: r.entry.lr, round: i + 1, test_accuracy: a, best_so_far: best[i] }));
          });
          downloadCsv(rows, ['setting', 'lr', 'round', 'test_accuracy', 'best_so_far'], `reproduction-accuracy-${stamp()}.csv`);
          return;
        }
        case 'export-json':
          downloadJson(
            {
              widget: 'reproduction-live',
              settings: raced,
              target: target(),
              runs: records.map((r) => ({ setting: r.entry.id, label: r.entry.label, config: r.config, state: r.state, roundsToTarget: r.roundsToTarget, rounds: r.accuracies.length })),
              backend,
            },
            `reproduction-${stamp()}.json`,
          );
          return;
        case 'export-png':
        case 'export-svg':
          exportChart(name === 'export-png' ? 'png' : 'svg');
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
      chart.destroy();
    },
    inspect() {
      return {
        runId: host.runId,
        status,
        records: records.map((r) => ({ id: r.entry.id, lr: r.entry.lr, state: r.state, roundsToTarget: r.roundsToTarget, rounds: r.accuracies.length, best: r.accuracies.length ? Math.max(...r.accuracies) : 0 })),
        backend,
        memory: () => host.memory(),
      };
    },
  };
}

/** The parameter table, re-exported for tests that build URLs. */
export { params };
