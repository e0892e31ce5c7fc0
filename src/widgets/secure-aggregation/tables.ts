/**
 * What the secure-aggregation widget writes about a round, as plain data (no DOM): the verdict,
 * the server's table and log, the clients' table and one client's masking. main.ts shows them
 * after every change; SecureAggregation.astro writes the default round's on the server, so that
 * the tables are already there, at their final height, before the widget mounts (they were absent
 * and grew the widget from 1,346 to 2,566 px at 360 px when it mounted).
 */
import type { Values } from '~/runtime/url-state';
import { aggregate, serverOutcome, setupRound, type SecAggResult, type SecAggRound } from '~/engine/privacy/secure-aggregation';
import type { TableRow } from '../renderers/data-table';
import { count, signed } from '../renderers/format';
import { MODULUS, SCALE, type SecAggParams } from './params';

const num = (x: number) => signed(x, 2);
const vec = (xs: ArrayLike<number>, f: (x: number) => string) => Array.from(xs, f).join(', ');
/** Whether the Korean reading of a number ends in a consonant (일, 삼, 육, 칠, 팔, 영/십/백…). */
const endsInConsonant = (k: number) => ![2, 4, 5, 9].includes(k % 10);
/** The particle for a number: josa(3, '이', '가') → '이', josa(2, '과', '와') → '와'. */
const josa = (k: number, afterConsonant: string, afterVowel: string) => (endsInConsonant(k) ? afterConsonant : afterVowel);

/** A table as showTable (renderers/data-table.ts) takes it, its cells text only, and its note. */
export interface TextTable {
  caption: string;
  columns: string[];
  rows: (TableRow & { head: string; cells: string[] })[];
  note?: string;
}

/** A round and what the server made of it. */
export interface SecAggView {
  round: SecAggRound;
  result: SecAggResult;
  /** Does the server end with the right sum? (What it ends with: recovered sum, else the naive one.) */
  outcome: ReturnType<typeof serverOutcome>;
}

/** The round the settings set up (its clients, length, masking and seed). */
export function roundOf(v: Values<SecAggParams>): SecAggRound {
  return setupRound({ clients: v.clients, dim: v.dim, seed: v.seed, modulus: MODULUS, scale: SCALE, doubleMasking: v.double });
}

/** What the server makes of `round` with the settings' dropouts and recovery. */
export function viewOf(round: SecAggRound, v: Values<SecAggParams>): SecAggView {
  // Bit i of the `dropped` mask: client i + 1 never sends its masked update.
  const received = round.clients.map((c) => c.index).filter((i) => !((v.dropped >>> i) & 1));
  const result = aggregate(round, received, { recover: v.recover });
  return { round, result, outcome: serverOutcome(result) };
}

/** The outcome in one sentence; `wrong` ends the sentence about a wrong sum. */
export function verdictOf({ result, outcome }: SecAggView, wrong: string): string {
  const { value, exact } = outcome;
  if (exact) return `서버가 얻은 합(${vec(value!, num)})이 실제 합과 정확히 같습니다.`;
  if (!value) return `합을 계산하지 못했습니다. ${result.failure ?? ''}`;
  return `서버가 얻은 값(${vec(value, num)})은 실제 합(${vec(result.trueSum, num)})과 ${wrong}`;
}

/** The verdict line above the pictures: its class and its text. */
export function verdictLine(v: SecAggView): { className: string; text: string } {
  const ok = v.outcome.exact;
  return { className: `sa__verdict ${ok ? 'pw__ok' : 'pw__bad'}`, text: `${ok ? '✓' : '✗'} ${verdictOf(v, '전혀 다른, 쓸모없는 값입니다.')}` };
}

/** The sums the server has: what it received, read as is, recovered, and (for comparison) the truth. */
export function serverTable({ result }: SecAggView): TextTable {
  const rows: [string, string][] = [
    [`받은 값의 합 (mod ${count(MODULUS)})`, vec(result.rawSum, count)],
    ['그대로 읽은 합', vec(result.naive, num)],
  ];
  if (result.recover) rows.push(['마스크를 복구해 뺀 합', result.sum ? vec(result.sum, num) : '복구 실패']);
  rows.push(['실제 합 (비교용, 서버는 모름)', vec(result.trueSum, num)]);
  return { caption: `값을 보낸 클라이언트 ${result.received.length}명의 합`, columns: [], rows: rows.map(([head, value]) => ({ head, cells: [value] })) };
}

/** What happened in the round, one sentence an item. */
export function serverLog({ round, result }: SecAggView): string[] {
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
  return items;
}

/** Each client's true update and the masked value it sent (or that it dropped out). */
export function clientsTable({ round, result }: SecAggView): TextTable {
  const gone = (i: number) => result.dropped.includes(i);
  const rows = round.clients.map((c) => ({
    head: `클라이언트 ${c.index + 1}`,
    cells: [vec(c.update, num), gone(c.index) ? '이탈 (보내지 못함)' : vec(c.masked, count)],
    className: gone(c.index) ? 'sa__row--dropped' : undefined,
  }));
  const columns = ['클라이언트', '실제 업데이트 x (서버는 모름)', '보낸 값 y (서버가 받음)'];
  return { caption: '실제 업데이트는 클라이언트 안에만 있고, 서버는 마스킹된 값만 받습니다', columns, rows };
}

/** The title of the masking of client `f` (0-based). */
export const focusTitle = (f: number) => `클라이언트 ${f + 1}의 마스킹 (값마다 mod ${count(MODULUS)})`;

/** The masking of client `f` (0-based), term by term. */
export function focusTable({ round }: SecAggView, f: number): TextTable {
  const c = round.clients[f];
  const sub = (i: number, j: number) => `m${i + 1},${j + 1}`;
  const rows: TextTable['rows'] = [{ head: 'x (정수로 바꾼 값)', cells: Array.from(c.encoded, (e, i) => `${num(c.update[i])} → ${count(e)}`) }];
  for (const pm of c.pairMasks) {
    const [sign, mask] = pm.sign > 0 ? ['+', sub(c.index, pm.partner)] : ['−', sub(pm.partner, c.index)];
    const shared = `클라이언트 ${pm.partner + 1}${josa(pm.partner + 1, '과', '와')} 공유`;
    rows.push({ head: `${sign} ${mask} (${shared})`, cells: Array.from(pm.mask, (m) => `${sign}${count(m)}`) });
  }
  if (c.selfMask) rows.push({ head: '+ 자기 마스크', cells: Array.from(c.selfMask, (m) => `+${count(m)}`) });
  rows.push({ head: '= y (보내는 값)', cells: Array.from(c.masked, count), className: 'sa__row--total' });
  const caption = `y = x + (번호가 큰 상대와의 마스크) − (번호가 작은 상대와의 마스크)${round.doubleMasking ? ' + 자기 마스크' : ''}`;
  const note = `y만 보면 0부터 ${count(MODULUS - 1)} 사이의 아무 수와 구별되지 않습니다. 예를 들어 마스크 ${sub(0, 1)}는 클라이언트 1이 더하고 클라이언트 2가 빼므로, 모두 더하면 사라집니다.`;
  return { caption, columns: ['항', ...Array.from({ length: round.dim }, (_, i) => `값 ${i + 1}`)], rows, note };
}
