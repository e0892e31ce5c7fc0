/**
 * One export registry per widget: the download buttons (ExportButtons.astro) send
 * `export-csv`, `export-json`, `export-<name>-csv`, and `export-png`/`export-svg` with a
 * `data-target` naming the view. A widget lists its tables, its JSON and its views once; this
 * turns a button into a file.
 *
 * A view is anything with the one `svg()` contract: it returns the drawn picture, either as the
 * on-screen `<svg>` element (Plot charts) or as a standalone SVG document (renderers that build
 * one), or null when nothing is drawn yet.
 */
import type { RoundMetrics } from '~/engine/types';
import { downloadCsv, downloadJson, downloadPng, downloadSvg, stamp, svgDocument } from '~/runtime/export';

/** The columns a per-epoch metrics CSV starts with (centralized and split learning). */
export const EPOCH_COLUMNS = ['epoch', 'train_loss', 'test_loss', 'train_accuracy', 'test_accuracy', 'bytes_up', 'bytes_down'] as const;

/** One epoch's row of those columns. */
export const epochRow = (r: RoundMetrics) => ({
  epoch: r.round,
  train_loss: r.trainLoss,
  test_loss: r.testLoss,
  train_accuracy: r.trainAccuracy,
  test_accuracy: r.testAccuracy,
  bytes_up: r.bytesUp,
  bytes_down: r.bytesDown,
});

/** What a view gives for export. */
export type SvgSource = string | SVGSVGElement | null;

/** A view that can be exported. */
export interface Exportable {
  svg(): SvgSource;
}

export interface Table {
  /** File name before the time stamp: `fed-metrics` → `fed-metrics-20260101-1200.csv`. */
  file: string;
  /** Column order (a function when it depends on the run). */
  columns: readonly string[] | (() => readonly string[]);
  rows(): readonly Record<string, unknown>[];
}

export interface ExportSpec {
  /** Tables by action name: `export-csv` for the main one, `export-noise-csv` for another. */
  tables?: Record<string, Table>;
  /** The run's settings and configuration (`export-json`). */
  json?: { file: string; value(): unknown };
  /** Pictures: `${prefix}-${target}-<stamp>.png|svg`. */
  prefix?: string;
  /** Views by `data-target`; the first one is used when a button names none. */
  views?: Record<string, Exportable | (() => SvgSource)>;
}

const sourceOf = (v: Exportable | (() => SvgSource)): SvgSource => (typeof v === 'function' ? v() : v.svg());

/** Handles `name` if it is an export action of `spec`, and says whether it was. */
export function exportAction(name: string, trigger: HTMLElement | undefined, spec: ExportSpec, notify: (m: string) => void): boolean {
  const table = spec.tables?.[name];
  if (table) {
    const columns = typeof table.columns === 'function' ? table.columns() : table.columns;
    downloadCsv(table.rows() as Record<string, unknown>[], columns as string[], `${table.file}-${stamp()}.csv`);
    return true;
  }
  if (name === 'export-json' && spec.json) {
    downloadJson(spec.json.value(), `${spec.json.file}-${stamp()}.json`);
    return true;
  }
  if ((name === 'export-png' || name === 'export-svg') && spec.views) {
    const target = trigger?.dataset.target && trigger.dataset.target in spec.views ? trigger.dataset.target : Object.keys(spec.views)[0];
    const source = sourceOf(spec.views[target]);
    if (!source) {
      notify('아직 내려받을 그림이 없습니다. 학습이 시작된 뒤에 다시 눌러 주세요.');
      return true;
    }
    const text = typeof source === 'string' ? source : svgDocument(source);
    const file = `${spec.prefix ?? 'figure'}-${target}-${stamp()}`;
    if (name === 'export-svg') downloadSvg(text, `${file}.svg`);
    else void downloadPng(text, `${file}.png`).catch((err) => notify(String(err instanceof Error ? err.message : err)));
    return true;
  }
  return false;
}

/**
 * A run's JSON (`export-json`): the widget, the settings it ran with, what else the widget adds,
 * and the backend that computed it. Getters, because a widget writes its spec before its run exists.
 */
export function runJson(file: string, widget: string, settings: () => unknown, backend: () => unknown, more: () => object): ExportSpec['json'] {
  return { file, value: () => ({ widget, settings: settings(), ...more(), backend: backend() }) };
}
