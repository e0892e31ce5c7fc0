/**
 * Bytes by message kind as a table: what the current epoch has sent so far, what the formula
 * (src/engine/comm.ts) says one epoch sends, and the run's total, with a bar per total. A table
 * rather than a chart because the numbers are the point, and a table reads well to a screen
 * reader; the bars are decoration beside them.
 *
 * Shape: `create(el, options) → { update(data), destroy() }`; updates coalesce to one per frame.
 */
import type { MessageKind } from '~/engine/types';
import { KIND_COLORS, KIND_LABELS } from './kinds';
import { formatBytes } from './format';
import { swatch } from './data-table';
import { throttled } from './plot-image';

export interface ByteRow {
  kind: MessageKind;
  /** Bytes of this kind in the epoch (round) under way, or the last one once it is over. */
  epoch: number;
  /** What the formula says one epoch sends (absent: no formula for this kind). */
  formula?: number;
  /** Bytes of this kind since the run began. */
  total: number;
}

export interface ByteTableData {
  rows: ByteRow[];
  /** The epoch column holds a finished epoch (then it is compared with the formula). */
  epochDone: boolean;
  /** Header of the epoch column, e.g. "3번째 에폭". */
  epochLabel: string;
}

export interface ByteTableOptions {
  caption: string;
}

export interface ByteTableRenderer {
  update(data: ByteTableData): void;
  destroy(): void;
}

export function create(el: HTMLElement, options: ByteTableOptions): ByteTableRenderer {
  const table = document.createElement('table');
  table.className = 'lab__table';
  const caption = table.createCaption();
  caption.className = 'visually-hidden';
  caption.textContent = options.caption;
  const head = table.createTHead().insertRow();
  const cols = ['종류', '이번 에폭', '공식 (에폭당)', '누적'];
  const ths = cols.map((c) => {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = c;
    head.append(th);
    return th;
  });
  const body = table.createTBody();
  const foot = table.createTFoot();
  // The page may have drawn an empty table of the default rows in `el` so that the view does not
  // grow when this one arrives: it stays until the first draw replaces it (an empty table in its
  // place would shrink the view until then).
  if (!el.querySelector('table')) el.append(table);
  let pending: ByteTableData | null = null;
  /**
   * At most one redraw per 150 ms, through the page's draw queue: the table follows every batch
   * of a split-learning run, and rebuilt in nearly every frame it was a third of each frame's
   * script on the phone profile of the jank bench. The table is aria-busy while a draw waits.
   */
  const redraw = throttled(draw, 150, table);

  function draw() {
    const d = pending;
    if (!d) return;
    if (!table.isConnected) el.replaceChildren(table);
    ths[1].textContent = d.epochLabel;
    const max = Math.max(1, ...d.rows.map((r) => r.total));
    body.replaceChildren(
      ...d.rows.map((r) => {
        const tr = document.createElement('tr');
        const name = document.createElement('th');
        name.scope = 'row';
        name.append(...kindName(r.kind));
        const epoch = document.createElement('td');
        epoch.textContent = formatBytes(r.epoch);
        const formula = document.createElement('td');
        if (r.formula === undefined) formula.textContent = '—';
        else {
          formula.textContent = formatBytes(r.formula);
          if (d.epochDone) {
            const same = r.epoch === r.formula;
            const mark = document.createElement('span');
            mark.className = same ? 'lab__ok' : 'lab__off';
            mark.textContent = same ? ' ✓ 일치' : ' ≠';
            formula.append(mark);
          }
        }
        const total = document.createElement('td');
        const bar = document.createElement('span');
        bar.className = 'lab__bar';
        bar.style.width = `${Math.round((r.total / max) * 48)}px`;
        bar.style.background = KIND_COLORS[r.kind];
        bar.setAttribute('aria-hidden', 'true');
        total.append(bar, ' ', formatBytes(r.total));
        tr.append(name, epoch, formula, total);
        return tr;
      }),
    );
    const sum = (f: (r: ByteRow) => number | undefined) => d.rows.reduce((s, r) => s + (f(r) ?? 0), 0);
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = '합계';
    const cells = [sum((r) => r.epoch), d.rows.some((r) => r.formula !== undefined) ? sum((r) => r.formula) : NaN, sum((r) => r.total)].map((v) => {
      const td = document.createElement('td');
      td.textContent = Number.isFinite(v) ? formatBytes(v) : '—';
      return td;
    });
    tr.append(th, ...cells);
    foot.replaceChildren(tr);
  }

  return {
    update(data) {
      pending = data;
      redraw.schedule();
    },
    destroy() {
      redraw.cancel();
      table.remove();
    },
  };
}

/** A message kind's name after a swatch of its colour (so colour is never the only cue). */
export function kindName(kind: MessageKind): [HTMLSpanElement, string] {
  return [swatch('lab__swatch', KIND_COLORS[kind]), KIND_LABELS[kind]];
}
