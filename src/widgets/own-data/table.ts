/**
 * The reader's CSV file, from bytes to a table the engine can train on. Pure functions (no DOM),
 * tested in Node with the same files the browser tests upload.
 *
 * Parsing is Papa Parse's: quoted fields with commas and line breaks, `;`/tab delimiters and
 * CRLF are everyday CSV and easy to get wrong by hand. Decoding tries UTF-8 first and then
 * EUC-KR/CP949 (what Korean Excel writes), both strictly, so a file in neither is refused
 * instead of turning into mojibake. Every refusal is one Korean sentence for the reader.
 */
import Papa from 'papaparse';

/** Largest file accepted, in bytes, and largest number of data rows. */
export const MAX_BYTES = 20 * 1024 * 1024;
export const MAX_ROWS = 200_000;
/** Most classes a label column may have. */
export const MAX_CLASSES = 50;

/** A refusal with the Korean sentence the page shows. */
export class TableError extends Error {
  constructor(readonly ko: string) {
    super(ko);
    this.name = 'TableError';
  }
}

export interface DecodedText {
  text: string;
  encoding: 'UTF-8' | 'EUC-KR';
}

/** Bytes → text: UTF-8 (a BOM is dropped) or EUC-KR/CP949; anything else is refused. */
export function decodeBytes(bytes: Uint8Array): DecodedText {
  if (bytes.length === 0) throw new TableError('빈 파일입니다. 내용이 있는 CSV 파일을 골라 주세요.');
  if (bytes.length > MAX_BYTES) throw new TableError(`파일이 너무 큽니다(${(bytes.length / 1024 / 1024).toFixed(1)} MB). 20 MB 이하의 파일만 읽습니다.`);
  // UTF-16 and binary files have NUL bytes; no CSV in UTF-8 or EUC-KR does.
  if (bytes.includes(0)) throw new TableError('글자 인코딩을 알 수 없습니다. UTF-8이나 EUC-KR(CP949)로 저장한 CSV 파일을 골라 주세요.');
  for (const [label, name] of [['UTF-8', 'utf-8'], ['EUC-KR', 'euc-kr']] as const) {
    try {
      const text = new TextDecoder(name, { fatal: true, ignoreBOM: false }).decode(bytes);
      return { text, encoding: label };
    } catch {
      // not this encoding
    }
  }
  throw new TableError('글자 인코딩을 알 수 없습니다. UTF-8이나 EUC-KR(CP949)로 저장한 CSV 파일을 골라 주세요.');
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/** A cell as a number, or null. Thousands separators are not numbers here (they are ambiguous). */
export function cellNumber(s: string): number | null {
  const t = s.trim();
  if (!NUMBER.test(t)) return null;
  const x = Number(t);
  return Number.isFinite(x) ? x : null;
}

/** A parsed file: column names and rows of strings (all the same length). */
export interface RawTable {
  columns: string[];
  rows: string[][];
  encoding: DecodedText['encoding'];
  delimiter: string;
}

/** Text → header and rows, with the checks every later step relies on. */
export function parseTable(decoded: DecodedText): RawTable {
  const result = Papa.parse<string[]>(decoded.text, { skipEmptyLines: 'greedy', delimiter: '' });
  const data = result.data.filter((r) => r.some((c) => c.trim() !== ''));
  if (data.length === 0) throw new TableError('빈 파일입니다. 내용이 있는 CSV 파일을 골라 주세요.');
  const header = data[0].map((c) => c.trim());
  if (header.length < 2) throw new TableError('열이 하나뿐입니다. 쉼표(,)로 나뉜 열이 둘 이상(특성과 레이블) 있어야 합니다.');
  // A header names columns: no name may be a number, and none may be empty.
  if (header.some((c) => c === '' || cellNumber(c) !== null)) {
    throw new TableError('첫 줄에 열 이름(헤더)이 없습니다. 첫 줄에 각 열의 이름을 적어 주세요(예: 꽃받침길이,꽃받침너비,…,품종).');
  }
  if (new Set(header).size !== header.length) throw new TableError('열 이름이 겹칩니다. 열마다 다른 이름을 붙여 주세요.');
  const rows = data.slice(1);
  if (rows.length === 0) throw new TableError('헤더만 있고 데이터 줄이 없습니다.');
  if (rows.length > MAX_ROWS) throw new TableError(`데이터 줄이 너무 많습니다(${rows.length.toLocaleString('ko-KR')}줄). 200,000줄까지만 읽습니다.`);
  for (let i = 0; i < rows.length; i++) {
    if (rows[i].length !== header.length) {
      throw new TableError(`${i + 2}번째 줄의 칸 수(${rows[i].length})가 헤더의 열 수(${header.length})와 다릅니다. 모든 줄의 칸 수가 같아야 합니다.`);
    }
  }
  return { columns: header, rows: rows.map((r) => r.map((c) => c.trim())), encoding: decoded.encoding, delimiter: result.meta.delimiter };
}

export type ColumnKind = 'numeric' | 'text' | 'mixed';

export interface ColumnInfo {
  name: string;
  kind: ColumnKind;
  /** Distinct values (capped at MAX_CLASSES + 1 for counting). */
  distinct: number;
  /** For a mixed column: the first non-numeric cell and its line (1-based, header = 1). */
  firstBad?: { line: number; value: string };
}

/** What each column holds. */
export function describeColumns(t: RawTable): ColumnInfo[] {
  return t.columns.map((name, j) => {
    let numeric = 0;
    let firstBad: ColumnInfo['firstBad'];
    const seen = new Set<string>();
    for (let i = 0; i < t.rows.length; i++) {
      const v = t.rows[i][j];
      if (seen.size <= 10_000) seen.add(v);
      if (cellNumber(v) !== null) numeric++;
      else if (!firstBad) firstBad = { line: i + 2, value: v };
    }
    const kind: ColumnKind = numeric === t.rows.length ? 'numeric' : numeric === 0 ? 'text' : 'mixed';
    return { name, kind, distinct: seen.size, firstBad: kind === 'mixed' ? firstBad : undefined };
  });
}

/** The column a label most likely is: the last text column, else the last column. */
export function guessLabel(cols: ColumnInfo[]): number {
  for (let j = cols.length - 1; j >= 0; j--) if (cols[j].kind === 'text' && cols[j].distinct <= MAX_CLASSES) return j;
  return cols.length - 1;
}

/** The reader's choices on a parsed table. */
export interface TableChoice {
  label: number;
  /** Column whose values are the clients (silos), or -1. */
  group: number;
}

/** A table ready for the engine: numeric features, labels 0…C−1, optional groups. */
export interface CleanTable {
  featureNames: string[];
  classNames: string[];
  /** Row-major n × d, not yet standardised. */
  x: Float32Array;
  y: Int32Array;
  /** Group of each row (index into groupNames) when a group column was chosen. */
  groups?: Int32Array;
  groupNames?: string[];
  /** Text columns left out of the features (names), for the page to say so. */
  skipped: string[];
  counts: number[];
}

/** Checks the label and features and builds the numeric table; refusals are Korean sentences. */
export function cleanTable(t: RawTable, cols: ColumnInfo[], choice: TableChoice): CleanTable {
  const { label, group } = choice;
  if (label < 0 || label >= cols.length) throw new TableError('레이블 열을 골라 주세요.');
  const featureIdx: number[] = [];
  const skipped: string[] = [];
  for (let j = 0; j < cols.length; j++) {
    if (j === label || j === group) continue;
    const c = cols[j];
    if (c.kind === 'mixed') {
      throw new TableError(`특성 열 ‘${c.name}’의 ${c.firstBad!.line}번째 줄 값 ‘${c.firstBad!.value.slice(0, 20)}’은(는) 숫자가 아닙니다. 특성은 모두 숫자여야 합니다.`);
    }
    if (c.kind === 'text') skipped.push(c.name);
    else featureIdx.push(j);
  }
  if (featureIdx.length === 0) throw new TableError('숫자로 된 특성 열이 없습니다. 레이블 말고도 숫자 열이 하나 이상 있어야 합니다.');
  const names = new Map<string, number>();
  const order: string[] = [];
  for (const r of t.rows) {
    const v = r[label];
    if (!names.has(v)) {
      if (names.size >= MAX_CLASSES) throw new TableError(`레이블 열 ‘${cols[label].name}’의 값이 ${MAX_CLASSES}가지를 넘습니다. 분류할 클래스는 ${MAX_CLASSES}개까지입니다. 다른 열을 레이블로 골라 보세요.`);
      names.set(v, names.size);
      order.push(v);
    }
  }
  if (names.size < 2) throw new TableError(`레이블 열 ‘${cols[label].name}’의 값이 한 가지뿐입니다. 분류하려면 클래스가 둘 이상 있어야 합니다.`);
  // Numeric labels read in numeric order (0, 1, 2, …, 10), text labels in order of appearance.
  const allNumeric = order.every((v) => cellNumber(v) !== null);
  const classNames = allNumeric ? [...order].sort((a, b) => cellNumber(a)! - cellNumber(b)!) : order;
  const classOf = new Map(classNames.map((v, i) => [v, i]));
  const n = t.rows.length;
  const d = featureIdx.length;
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  const counts = new Array<number>(classNames.length).fill(0);
  for (let i = 0; i < n; i++) {
    const r = t.rows[i];
    for (let k = 0; k < d; k++) x[i * d + k] = cellNumber(r[featureIdx[k]])!;
    y[i] = classOf.get(r[label])!;
    counts[y[i]]++;
  }
  const lonely = counts.findIndex((c) => c < 2);
  if (lonely >= 0) {
    throw new TableError(`레이블 ‘${classNames[lonely].slice(0, 20)}’의 예제가 하나뿐입니다. 학습 데이터와 테스트 데이터에 나눠 넣으려면 클래스마다 예제가 둘 이상 있어야 합니다.`);
  }
  const out: CleanTable = { featureNames: featureIdx.map((j) => cols[j].name), classNames, x, y, skipped, counts };
  if (group >= 0) {
    const g = new Map<string, number>();
    const groups = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = t.rows[i][group];
      if (!g.has(v)) g.set(v, g.size);
      groups[i] = g.get(v)!;
    }
    if (g.size < 2 || g.size > 20) {
      throw new TableError(`클라이언트로 나눌 열 ‘${cols[group].name}’의 값은 2가지 이상 20가지 이하여야 합니다(지금 ${g.size}가지).`);
    }
    out.groups = groups;
    out.groupNames = [...g.keys()];
  }
  return out;
}

/** Bytes → parsed table and column descriptions, or a TableError. */
export function readCsv(bytes: Uint8Array): { table: RawTable; columns: ColumnInfo[] } {
  const table = parseTable(decodeBytes(bytes));
  return { table, columns: describeColumns(table) };
}
