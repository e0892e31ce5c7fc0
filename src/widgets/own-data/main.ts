/**
 * The own-data figure, mounted near the viewport: reads the reader's file in memory (./table.ts),
 * prepares it (./prepare.ts) and trains the three methods side by side with the widget kit's Run
 * (one worker per method, the table sent with the run options). Nothing is stored unless the
 * reader ticks "보관하기" (IndexedDB, with a delete button).
 */
import type { EngineEvent } from '~/engine/types';
import type { TabularData } from '~/engine/data/tabular';
import type { WidgetContext, WidgetController } from '~/runtime/widget';
import { Run } from '../kit/run';
import { create as lineChart } from '../renderers/line-chart';
import { count } from '../renderers/format';
import { cleanTable, guessLabel, readCsv, TableError, type ColumnInfo, type RawTable } from './table';
import { prepareTabular } from './prepare';
import { METHODS, METHOD_LABEL, TEST_FRACTION, clientsOf, toRunConfig, type OwnMethod } from './config';
import type { OwnDataParams } from './params';
import { initOwnData, reduceOwnData, type OwnState as State } from './state';

const DB = 'fl-sl-own-data';

function idb<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore('files');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('files', mode);
      const req = f(tx.objectStore('files'));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
      tx.oncomplete = () => open.result.close();
    };
  });
}

export function mount(ctx: WidgetContext<OwnDataParams>): WidgetController<OwnDataParams> & { inspect(): unknown } {
  const root = ctx.root;
  const q = <E extends Element>(s: string) => root.querySelector<E>(s)!;
  const labelSel = q<HTMLSelectElement>('[data-label-column]');
  const groupSel = q<HTMLSelectElement>('[data-group-column]');
  const keepBox = q<HTMLInputElement>('[data-keep]');
  const errorBox = q<HTMLElement>('[data-table-error]');
  const summaryBox = q<HTMLElement>('[data-table-summary]');
  const dataUrl = root.dataset.dataUrl ?? '/data/';
  let raw: { table: RawTable; columns: ColumnInfo[]; name: string; bytes: Uint8Array } | null = null;
  let tab: TabularData | null = null;
  let problem: string | null = '데이터를 불러오는 중입니다.';
  /**
   * When the reader's own file (chosen or kept) was opened; the meter counts from there. The
   * examples do not reset it: their first run fetches the engine's files, which is not the
   * reader's data leaving the page.
   */
  let openedAt = Infinity;

  const chart = ctx.own(lineChart(q('[data-view="accuracy"]'), {
    label: '세 방식의 테스트 정확도',
    xLabel: '라운드(에폭)',
    yLabel: '테스트 정확도',
    series: METHODS.map((m, i) => ({ key: m, label: METHOD_LABEL[m], color: ['#0072b2', '#d55e00', '#009e73'][i] })),
    yDomain: [0, 1],
    yPercent: true,
  }));

  function meter() {
    const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    // Requests this page started after the file was opened; a request's body size is not in
    // Resource Timing, so count requests too: any at all would be visible here.
    const after = entries.filter((e) => e.startTime >= openedAt);
    const bytes = after.reduce((n, e) => n + (e.encodedBodySize || 0), 0);
    q('[data-meter-bytes]').textContent = `${count(bytes)} B`;
    q('[data-meter-requests]').textContent = String(after.length);
  }
  const meterTimer = setInterval(meter, 1000);

  function fillSelects() {
    if (!raw) return;
    const opts = (sel: HTMLSelectElement, cols: ColumnInfo[], none: string | null, chosen: number) => {
      sel.replaceChildren();
      if (none !== null) sel.append(new Option(none, '-1'));
      cols.forEach((c, j) => sel.append(new Option(c.name, String(j))));
      sel.value = String(chosen);
    };
    const label = guessLabel(raw.columns);
    opts(labelSel, raw.columns, null, label);
    const textCols = raw.columns.map((c, j) => (c.kind === 'text' && j !== label ? j : -1)).filter((j) => j >= 0);
    opts(groupSel, raw.columns, '(쓰지 않음)', textCols.at(-1) ?? -1);
  }

  function prepare() {
    tab = null;
    if (!raw) return;
    try {
      const group = Number(groupSel.value);
      const clean = cleanTable(raw.table, raw.columns, { label: Number(labelSel.value), group: ctx.values.partition === 'column' ? group : -1 });
      if (ctx.values.partition === 'column' && group < 0) throw new TableError('클라이언트로 나눌 열을 골라 주세요.');
      tab = prepareTabular(clean, { testFraction: TEST_FRACTION, seed: ctx.values.seed, clients: ctx.values.clients, byGroup: ctx.values.partition === 'column', name: raw.name });
      problem = null;
      errorBox.hidden = true;
      summaryBox.textContent = `${raw.name} (${raw.table.encoding}): ${raw.table.rows.length}줄, 특성 ${clean.featureNames.length}개(${clean.featureNames.join(', ')}), 클래스 ${clean.classNames.length}개(${clean.classNames.slice(0, 8).join(', ')}${clean.classNames.length > 8 ? ', …' : ''}). 학습 ${tab.train.y.length}줄, 테스트 ${tab.test.y.length}줄, 특성은 학습 데이터의 평균과 표준편차로 표준화했습니다.${clean.skipped.length ? ` 숫자가 아닌 열 ${clean.skipped.join(', ')}은 특성에서 뺐습니다.` : ''}`;
    } catch (e) {
      if (!(e instanceof TableError)) throw e;
      problem = e.ko;
      errorBox.textContent = e.ko;
      errorBox.hidden = false;
      // The file itself was read: say which one, so that the message is read against it.
      summaryBox.textContent = `${raw.name} (${raw.table.encoding}): ${raw.table.rows.length}줄.`;
    }
  }

  function load(bytes: Uint8Array, name: string, own = false) {
    if (own) openedAt = performance.now();
    try {
      raw = { ...readCsv(bytes), name, bytes };
      fillSelects();
      prepare();
    } catch (e) {
      if (!(e instanceof TableError)) throw e;
      raw = null;
      tab = null;
      problem = e.ko;
      errorBox.textContent = e.ko;
      errorBox.hidden = false;
    }
    run.start(false);
  }

  async function loadSample() {
    const file = ctx.values.data === 'wine' ? 'wine.csv' : 'iris.csv';
    const res = await fetch(dataUrl + file);
    load(new Uint8Array(await res.arrayBuffer()), file);
  }

  const run: Run<OwnDataParams, State> = new Run<OwnDataParams, State>(ctx, {
    sides: METHODS,
    config: (side) => toRunConfig(side as OwnMethod, ctx.values, tab!),
    options: () => ({ tabular: tab! }),
    validate: () => problem ?? (tab && clientsOf(ctx.values, tab) > tab.train.y.length ? '클라이언트 수가 학습 데이터 줄 수보다 많습니다.' : null),
    init: initOwnData,
    reduce: (state, e: EngineEvent, side) => reduceOwnData(state, e, side as OwnMethod),
    onEvent() {
      chart.update({ points: run.state.points, xMax: ctx.values.rounds });
      for (const m of METHODS) {
        const v = run.state.last[m];
        q(`[data-result="${m}"]`).textContent = v === undefined ? '–' : `${(v * 100).toFixed(1)}%`;
      }
    },
    onReset() {
      chart.update({ points: [], xMax: ctx.values.rounds });
      for (const m of METHODS) q(`[data-result="${m}"]`).textContent = '–';
    },
    onEnd: () => chart.flush(),
    // The three runs train side by side: the bar follows the one furthest behind.
    progress: (s) => {
      const done = Math.min(...METHODS.map((m) => s.points.filter((p) => p.series === m).length));
      return { done, total: run.total, text: `라운드 ${done} / ${run.total}` };
    },
    summary(): string {
      const parts: string[] = METHODS.map((m) => `${METHOD_LABEL[m]} ${run.state.last[m] === undefined ? '–' : `${((run.state.last[m] ?? 0) * 100).toFixed(1)}%`}`);
      return problem ? problem : `테스트 정확도: ${parts.join(', ')}.`;
    },
  });

  const onChange = (e: Event) => {
    const t = e.target as HTMLElement;
    if (t.matches('[data-file]')) {
      const f = (t as HTMLInputElement).files?.[0];
      if (f)
        void f.arrayBuffer().then((b) => {
          load(new Uint8Array(b), f.name, true);
          if (raw) keepOpenFile();
        });
    } else if (t.matches('[data-label-column], [data-group-column]')) {
      prepare();
      run.start(false);
    } else if (t.matches('[data-keep]')) {
      if ((t as HTMLInputElement).checked) keepOpenFile();
      else forget();
    }
  };
  /** With the box ticked, the file now open is the one kept (a newly opened file replaces it). */
  function keepOpenFile() {
    if (!raw || !keepBox.checked) return;
    void idb('readwrite', (s) => s.put({ name: raw!.name, bytes: raw!.bytes }, 'last')).then(() => (q<HTMLElement>('[data-forget]').hidden = false));
  }
  function forget() {
    const had = !q<HTMLElement>('[data-forget]').hidden;
    void idb('readwrite', (s) => s.delete('last')).then(() => {
      q<HTMLElement>('[data-forget]').hidden = true;
      keepBox.checked = false;
      if (had) ctx.notify('보관한 파일을 지웠습니다.');
    });
  }
  root.addEventListener('change', onChange);
  void idb<{ name: string; bytes: Uint8Array } | undefined>('readonly', (s) => s.get('last'))
    .then((kept) => {
      if (kept) {
        q<HTMLElement>('[data-forget]').hidden = false;
        keepBox.checked = true;
        load(kept.bytes, kept.name, true);
      } else void loadSample();
    })
    .catch(() => void loadSample());

  return run.controller({
    update(_values, changed) {
      if (changed.includes('data')) {
        void loadSample();
        return 'skip';
      }
      prepare();
    },
    action(name) {
      if (name !== 'forget') return false;
      forget();
      return true;
    },
    destroy() {
      clearInterval(meterTimer);
      root.removeEventListener('change', onChange);
    },
    inspect: () => ({
      ...run.inspectBase(),
      problem,
      last: run.state.last,
      rows: raw?.table.rows.length ?? 0,
      clients: tab ? clientsOf(ctx.values, tab) : 0,
      classes: tab?.numClasses ?? 0,
      kept: keepBox.checked,
    }),
  });
}
