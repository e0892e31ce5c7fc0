/**
 * The secure-aggregation widget, mounted when it nears the viewport. Every number comes from
 * src/engine/privacy/secure-aggregation.ts (seeded, pure): the round is set up there, the server's
 * sum and the recovery are computed there; this module lays the results out.
 */
import type { WidgetContext, WidgetController } from '~/runtime/widget';
import { aggregate, serverOutcome, setupRound, type SecAggResult, type SecAggRound } from '~/engine/privacy/secure-aggregation';
import { create as createGraph } from './pair-graph';
import { create as createSum } from './sum-chart';
import { MODULUS, SCALE, type SecAggParams } from './params';
import { exportAction, runJson, type ExportSpec } from '../kit/export';
import { showTable, type TableRow } from '../renderers/data-table';
import { count } from '../renderers/format';
import { textElement } from '../renderers/outputs';

/** What tests read: what the widget's inspect() returns. */
export type SecAggInspection = ReturnType<ReturnType<typeof mount>['inspect']>;

const num = (x: number) => (Object.is(x, -0) ? 0 : x).toFixed(2).replace('-', '−');
const vec = (xs: ArrayLike<number>, f: (x: number) => string) => Array.from(xs, f).join(', ');
/** Whether the Korean reading of a number ends in a consonant (일, 삼, 육, 칠, 팔, 영/십/백…). */
const endsInConsonant = (k: number) => ![2, 4, 5, 9].includes(k % 10);
/** The particle for a number: josa(3, '이', '가') → '이', josa(2, '과', '와') → '와'. */
const josa = (k: number, afterConsonant: string, afterVowel: string) => (endsInConsonant(k) ? afterConsonant : afterVowel);

export function mount(ctx: WidgetContext<SecAggParams>) {
  const root = ctx.root;
  const q = <E extends Element = HTMLElement>(sel: string) => root.querySelector<E & Element>(sel);
  const graph = createGraph(q('[data-view="graph"]')!, { label: '클라이언트 쌍마다 하나씩 공유한 마스크: 회색은 상쇄, 빨강은 남음, 초록 점선은 복구됨' });
  const sumChart = createSum(q('[data-view="sum"]')!, { label: '좌표별 실제 합과 서버가 얻은 합' });
  const views = { graph, sum: sumChart };
  const serverBox = q('[data-view="server"]')!;
  const logBox = q('[data-view="log"]')!;
  const clientsBox = q('[data-view="clients"]')!;
  const focusBox = q('[data-view="focus"]')!;
  const focusTitle = q('[data-focus-title]')!;
  const verdict = q('[data-verdict]')!;

  let round: SecAggRound;
  let result: SecAggResult;
  /** Does the server end with the right sum? (What it ends with: recovered sum, else the naive one.) */
  let outcome: ReturnType<typeof serverOutcome>;
  let roundKey = '';
  /** Whether client `i` (0-based) dropped out: one of the engine's dropouts of the round. */
  const gone = (i: number) => result.dropped.includes(i);

  /** The outcome in one sentence; `wrong` ends the sentence about a wrong sum. */
  function verdictOf(wrong: string): string {
    const { value, exact } = outcome;
    if (exact) return `서버가 얻은 합(${vec(value!, num)})이 실제 합과 정확히 같습니다.`;
    if (!value) return `합을 계산하지 못했습니다. ${result.failure ?? ''}`;
    return `서버가 얻은 값(${vec(value, num)})은 실제 합(${vec(result.trueSum, num)})과 ${wrong}`;
  }

  function syncControls() {
    const v = ctx.values;
    for (const item of root.querySelectorAll<HTMLElement>('[data-drop-item]')) item.hidden = Number(item.dataset.dropItem) >= v.clients;
    for (const box of root.querySelectorAll<HTMLInputElement>('[data-drop]')) box.checked = Boolean((v.dropped >>> Number(box.dataset.drop)) & 1);
    // The focus slider runs over the clients there are.
    q<HTMLInputElement>('input[data-param="focus"]')!.max = String(v.clients);
  }

  function drawServer() {
    const rows: [string, string][] = [
      [`받은 값의 합 (mod ${count(MODULUS)})`, vec(result.rawSum, count)],
      ['그대로 읽은 합', vec(result.naive, num)],
    ];
    if (result.recover) rows.push(['마스크를 복구해 뺀 합', result.sum ? vec(result.sum, num) : '복구 실패']);
    rows.push(['실제 합 (비교용, 서버는 모름)', vec(result.trueSum, num)]);
    showTable(serverBox, { caption: `값을 보낸 클라이언트 ${result.received.length}명의 합`, columns: [], rows: rows.map(([head, value]) => ({ head, cells: [value] })) });

    const items: string[] = [];
    if (result.dropped.length === 0) items.push('모든 클라이언트가 값을 보냈습니다. 쌍별 마스크는 모두 짝이 맞아 상쇄됩니다.');
    else items.push(`클라이언트 ${result.dropped.map((d) => d + 1).join(', ')}${josa(result.dropped[result.dropped.length - 1] + 1, '이', '가')} 값을 보내기 전에 이탈했습니다. 이 클라이언트와 공유한 마스크가 다른 클라이언트의 값에 남아 있습니다.`);
    if (round.doubleMasking) items.push('각 클라이언트가 자기 마스크도 더했으므로, 서버는 값을 보낸 클라이언트의 자기 마스크를 복원해 빼야 합니다.');
    if (result.recover) {
      if (result.failure) items.push(result.failure);
      for (const r of result.reconstructed) {
        const original = r.kind === 'key' ? round.clients[r.client].secretKey : round.clients[r.client].selfSeed;
        const what = r.kind === 'key' ? '비밀 키' : '자기 마스크 시드';
        const check = r.value === original ? '원래 값과 같음' : '원래 값과 다름';
        items.push(`남은 클라이언트 ${r.shares}명의 조각으로 클라이언트 ${r.client + 1}의 ${what}를 복원했습니다 (${check}).`);
      }
      if (result.recovered && result.reconstructed.some((r) => r.kind === 'key')) {
        items.push('복원한 키로 이탈한 클라이언트와 남은 클라이언트 사이의 마스크를 다시 계산해 합에서 뺐습니다.');
      }
    } else if (result.dropped.length > 0 || round.doubleMasking) {
      items.push('복구를 켜지 않았으므로 서버는 받은 값을 더하기만 합니다.');
    }
    logBox.replaceChildren(...items.map((t) => textElement('li', t)));

    verdict.className = `sa__verdict ${outcome.exact ? 'pw__ok' : 'pw__bad'}`;
    verdict.textContent = `${outcome.exact ? '✓' : '✗'} ${verdictOf('전혀 다른, 쓸모없는 값입니다.')}`;
  }

  function drawClients() {
    const rows = round.clients.map((c) => ({
      head: `클라이언트 ${c.index + 1}`,
      cells: [vec(c.update, num), gone(c.index) ? '이탈 (보내지 못함)' : vec(c.masked, count)],
      className: gone(c.index) ? 'sa__row--dropped' : undefined,
    }));
    const columns = ['클라이언트', '실제 업데이트 x (서버는 모름)', '보낸 값 y (서버가 받음)'];
    showTable(clientsBox, { caption: '실제 업데이트는 클라이언트 안에만 있고, 서버는 마스킹된 값만 받습니다', columns, rows });
  }

  /** The masking of client `f` (0-based), term by term. */
  function drawFocus(f: number) {
    const c = round.clients[f];
    const sub = (i: number, j: number) => `m${i + 1},${j + 1}`;
    focusTitle.textContent = `클라이언트 ${f + 1}의 마스킹 (값마다 mod ${count(MODULUS)})`;
    const rows: TableRow[] = [{ head: 'x (정수로 바꾼 값)', cells: Array.from(c.encoded, (e, i) => `${num(c.update[i])} → ${count(e)}`) }];
    for (const pm of c.pairMasks) {
      const [sign, mask] = pm.sign > 0 ? ['+', sub(c.index, pm.partner)] : ['−', sub(pm.partner, c.index)];
      const shared = `클라이언트 ${pm.partner + 1}${josa(pm.partner + 1, '과', '와')} 공유`;
      rows.push({ head: `${sign} ${mask} (${shared})`, cells: Array.from(pm.mask, (m) => `${sign}${count(m)}`) });
    }
    if (c.selfMask) rows.push({ head: '+ 자기 마스크', cells: Array.from(c.selfMask, (m) => `+${count(m)}`) });
    rows.push({ head: '= y (보내는 값)', cells: Array.from(c.masked, count), className: 'sa__row--total' });
    const caption = `y = x + (번호가 큰 상대와의 마스크) − (번호가 작은 상대와의 마스크)${round.doubleMasking ? ' + 자기 마스크' : ''}`;
    const note = `y만 보면 0부터 ${count(MODULUS - 1)} 사이의 아무 수와 구별되지 않습니다. 예를 들어 마스크 ${sub(0, 1)}는 클라이언트 1이 더하고 클라이언트 2가 빼므로, 모두 더하면 사라집니다.`;
    showTable(focusBox, { caption, columns: ['항', ...Array.from({ length: round.dim }, (_, i) => `값 ${i + 1}`)], rows }, note);
  }

  function summary(): string {
    const d = result.dropped.map((i) => i + 1);
    const dropped = d.length ? `, 이탈한 클라이언트 ${d.join(', ')}` : ', 이탈 없음';
    const head = `클라이언트 ${round.n}명, 업데이트 길이 ${round.dim}${dropped}${result.recover ? ', 복구 켬' : ''}${round.doubleMasking ? ', 이중 마스킹' : ''}.`;
    return `${head} ${verdictOf('다릅니다.')}`;
  }

  function render() {
    const v = ctx.values;
    // The round is set up again only when its clients, length, masking or seed change.
    const key = `${v.clients}|${v.dim}|${v.double}|${v.seed}`;
    if (key !== roundKey) {
      round = setupRound({ clients: v.clients, dim: v.dim, seed: v.seed, modulus: MODULUS, scale: SCALE, doubleMasking: v.double });
      roundKey = key;
    }
    // Bit i of the `dropped` mask: client i + 1 never sends its masked update.
    const received = round.clients.map((c) => c.index).filter((i) => !((v.dropped >>> i) & 1));
    result = aggregate(round, received, { recover: v.recover });
    outcome = serverOutcome(result);
    syncControls();
    const focus = Math.min(v.focus, round.n) - 1;
    graph.update({ round, result, focus });
    drawServer();
    drawClients();
    drawFocus(focus);
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
          round.clients.flatMap((c) =>
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
      threshold: round.threshold,
      received: result.received.map((i) => i + 1),
      dropped: result.dropped.map((i) => i + 1),
      rawSum: Array.from(result.rawSum),
      naive: result.naive,
      recoveredSum: result.sum,
      trueSum: result.trueSum,
      failure: result.failure,
    })),
    prefix: 'secure-aggregation',
    views,
  };

  render();

  return {
    update: render,
    action: (name, trigger) => exportAction(name, trigger, exports, ctx.notify),
    destroy() {
      root.removeEventListener('change', onDrop);
      for (const view of Object.values(views)) view.destroy();
    },
    inspect: () => ({
      n: round.n,
      threshold: round.threshold,
      dropped: result.dropped,
      masked: round.clients.map((c) => Array.from(c.masked)),
      rawSum: Array.from(result.rawSum),
      naive: result.naive,
      sum: result.sum,
      trueSum: result.trueSum,
      exact: outcome.exact,
      recovered: result.recovered,
      failure: result.failure,
    }),
  } satisfies WidgetController<SecAggParams> & { inspect(): unknown };
}
