/**
 * The secure-aggregation widget, mounted when it nears the viewport. Every number comes from
 * src/engine/privacy/secure-aggregation.ts (seeded, pure): the round is set up there, the server's
 * sum and the recovery are computed there; this module lays the results out.
 */
import type { WidgetContext, WidgetController } from '~/runtime/widget';
import { create as createGraph } from './pair-graph';
import { create as createSum } from './sum-chart';
import { MODULUS, SCALE, type SecAggParams } from './params';
import { clientsTable, focusTable, focusTitle as titleOf, roundOf, serverLog, serverTable, verdictLine, verdictOf, viewOf, type SecAggView, type TextTable } from './tables';
import { exportAction, runJson, type ExportSpec } from '../kit/export';
import { showTable } from '../renderers/data-table';
import { textElement } from '../renderers/outputs';

/** What tests read: what the widget's inspect() returns. */
export type SecAggInspection = ReturnType<ReturnType<typeof mount>['inspect']>;

export function mount(ctx: WidgetContext<SecAggParams>) {
  const { root, q, own } = ctx;
  const graph = own(createGraph(q('[data-view="graph"]')!, { label: '클라이언트 쌍마다 하나씩 공유한 마스크: 회색은 상쇄, 빨강은 남음, 초록 점선은 복구됨' }));
  const sumChart = own(createSum(q('[data-view="sum"]')!, { label: '좌표별 실제 합과 서버가 얻은 합' }));
  const serverBox = q('[data-view="server"]')!;
  const logBox = q('[data-view="log"]')!;
  const clientsBox = q('[data-view="clients"]')!;
  const focusBox = q('[data-view="focus"]')!;
  const focusTitle = q('[data-focus-title]')!;
  const verdict = q('[data-verdict]')!;

  /** The round the settings set up, and what the server made of it. */
  let view: SecAggView;
  let roundKey = '';
  /** Whether client `i` (0-based) dropped out: one of the engine's dropouts of the round. */
  const gone = (i: number) => view.result.dropped.includes(i);

  function syncControls() {
    const v = ctx.values;
    for (const item of root.querySelectorAll<HTMLElement>('[data-drop-item]')) item.hidden = Number(item.dataset.dropItem) >= v.clients;
    for (const box of root.querySelectorAll<HTMLInputElement>('[data-drop]')) box.checked = Boolean((v.dropped >>> Number(box.dataset.drop)) & 1);
    // The focus slider runs over the clients there are.
    q<HTMLInputElement>('input[data-param="focus"]')!.max = String(v.clients);
  }

  const show = (box: HTMLElement, t: TextTable) => showTable(box, t, t.note);

  function summary(): string {
    const { round, result } = view;
    const d = result.dropped.map((i) => i + 1);
    const dropped = d.length ? `, 이탈한 클라이언트 ${d.join(', ')}` : ', 이탈 없음';
    const head = `클라이언트 ${round.n}명, 업데이트 길이 ${round.dim}${dropped}${result.recover ? ', 복구 켬' : ''}${round.doubleMasking ? ', 이중 마스킹' : ''}.`;
    return `${head} ${verdictOf(view, '다릅니다.')}`;
  }

  function render() {
    const v = ctx.values;
    // The round is set up again only when its clients, length, masking or seed change.
    const key = `${v.clients}|${v.dim}|${v.double}|${v.seed}`;
    view = viewOf(key === roundKey ? view.round : roundOf(v), v);
    roundKey = key;
    syncControls();
    const { round, result, outcome } = view;
    const focus = Math.min(v.focus, round.n) - 1;
    graph.update({ round, result, focus });
    show(serverBox, serverTable(view));
    logBox.replaceChildren(...serverLog(view).map((t) => textElement('li', t)));
    ({ className: verdict.className, text: verdict.textContent } = verdictLine(view));
    show(clientsBox, clientsTable(view));
    focusTitle.textContent = titleOf(focus);
    show(focusBox, focusTable(view, focus));
    sumChart.update({ trueSum: result.trueSum, server: outcome.value });
    root.dataset.exact = String(outcome.exact);
    ctx.announce(summary());
  }

  // The drop checkboxes are not URL fields themselves: together they are the `dropped` bit mask.
  const onDrop = (e: Event) => {
    const box = e.target;
    if (!(box instanceof HTMLInputElement) || box.dataset.drop === undefined) return;
    const bit = 1 << Number(box.dataset.drop);
    const mask = box.checked ? ctx.values.dropped | bit : ctx.values.dropped & ~bit;
    ctx.set('dropped', mask >>> 0);
  };
  root.addEventListener('change', onDrop);

  const exports: ExportSpec = {
    tables: {
      'export-csv': {
        file: 'secure-aggregation',
        columns: ['client', 'coordinate', 'update', 'encoded', 'masked', 'dropped'],
        rows: () =>
          view.round.clients.flatMap((c) =>
            c.update.map((x, i) => ({
              client: c.index + 1,
              coordinate: i + 1,
              update: x,
              encoded: c.encoded[i],
              masked: gone(c.index) ? '' : c.masked[i],
              dropped: gone(c.index) ? 1 : 0,
            })),
          ),
      },
    },
    // Computed in the page: no backend to name.
    json: runJson('secure-aggregation', 'secure-aggregation', () => ctx.values, () => undefined, () => ({
      modulus: MODULUS,
      scale: SCALE,
      threshold: view.round.threshold,
      received: view.result.received.map((i) => i + 1),
      dropped: view.result.dropped.map((i) => i + 1),
      rawSum: Array.from(view.result.rawSum),
      naive: view.result.naive,
      recoveredSum: view.result.sum,
      trueSum: view.result.trueSum,
      failure: view.result.failure,
    })),
    prefix: 'secure-aggregation',
    views: { graph, sum: sumChart },
  };

  render();

  return {
    update: render,
    action: (name, trigger) => exportAction(name, trigger, exports, ctx.notify),
    destroy: () => root.removeEventListener('change', onDrop),
    inspect: () => ({
      n: view.round.n,
      threshold: view.round.threshold,
      dropped: view.result.dropped,
      masked: view.round.clients.map((c) => Array.from(c.masked)),
      rawSum: Array.from(view.result.rawSum),
      naive: view.result.naive,
      sum: view.result.sum,
      trueSum: view.result.trueSum,
      exact: view.outcome.exact,
      recovered: view.result.recovered,
      failure: view.result.failure,
    }),
  } satisfies WidgetController<SecAggParams> & { inspect(): unknown };
}
