/**
 * The widgets' data tables, built one way: a caption (visually hidden unless a class says
 * otherwise), column headers, and rows whose first cell names the row (a row header, which
 * screen readers announce with each value).
 */
import { textElement } from './outputs';

export interface TableRow {
  /** Text, or a node (a formula, a mark). */
  head: string | Node;
  cells: readonly (string | Node)[];
  className?: string;
  /** data-* attributes of the row. */
  data?: Record<string, string>;
}

export interface TableSpec {
  caption: string;
  /** Default 'visually-hidden'; '' shows the caption. */
  captionClass?: string;
  /** Default 'lab__table'. */
  className?: string;
  columns: readonly string[];
  rows: readonly TableRow[];
  /** A closing row (a total, a result), in the table's footer. */
  foot?: TableRow;
}

export function dataTable(spec: TableSpec): HTMLTableElement {
  const table = document.createElement('table');
  table.className = spec.className ?? 'lab__table';
  const cap = table.createCaption();
  const capClass = spec.captionClass ?? 'visually-hidden';
  if (capClass) cap.className = capClass;
  cap.textContent = spec.caption;
  // A table of named rows only (no columns given) has no header row.
  const head = spec.columns.length ? table.createTHead().insertRow() : null;
  for (const t of spec.columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = t;
    head?.append(th);
  }
  const body = table.createTBody();
  for (const r of spec.rows) appendRow(body, r);
  if (spec.foot) appendRow(table.createTFoot(), spec.foot);
  return table;
}

function appendRow(section: HTMLTableSectionElement, r: TableRow) {
  const tr = section.insertRow();
  if (r.className) tr.className = r.className;
  Object.assign(tr.dataset, r.data ?? {});
  const th = document.createElement('th');
  th.scope = 'row';
  th.append(r.head);
  tr.append(th);
  for (const c of r.cells) tr.insertCell().append(c);
}

/**
 * Puts `table` in `box` in place of the table there, keeping the rows whose markup is the same: a
 * table rebuilt at every round is then laid out and painted again only where a row changed.
 */
export function putTable(box: Element, table: HTMLTableElement): void {
  const old = box.querySelector('table');
  if (!old || old.className !== table.className || old.rows.length !== table.rows.length) return box.replaceChildren(table);
  if (table.caption && old.caption && old.caption.outerHTML !== table.caption.outerHTML) old.caption.replaceWith(table.caption);
  const rows = [...table.rows];
  rows.forEach((row, i) => {
    if (old.rows[i].outerHTML !== row.outerHTML) old.rows[i].replaceWith(row);
  });
}

/** A span for a cell or a key: its class (none when empty), then its children in order. */
export function span(className: string, ...children: (string | Node)[]): HTMLSpanElement {
  const s = document.createElement('span');
  if (className) s.className = className;
  s.append(...children);
  return s;
}

/** A patch of `color` before a name, hidden from screen readers (the name says it, so colour is never the only cue). */
export function swatch(className: string, color: string): HTMLSpanElement {
  const sw = span(className);
  sw.style.background = color;
  sw.setAttribute('aria-hidden', 'true');
  return sw;
}

/**
 * The privacy widgets' tables: `box` shows one table, its caption visible, and under it a muted
 * note when there is one.
 */
export function showTable(box: HTMLElement, spec: Omit<TableSpec, 'captionClass' | 'className'>, note?: string): void {
  box.replaceChildren(dataTable({ ...spec, captionClass: '', className: 'pw__table' }));
  if (note !== undefined) box.append(textElement('p', note, 'pw__muted'));
}
