/**
 * "The life of a report" (d3, SVG): one row of k cells per stage — the Bloom filter B, the
 * permanent randomized response B′ (cells the coin decided are framed), each instantaneous report
 * S, and the share of 1s over the reports so far. Colours are attributes, the light palette an
 * exported SVG carries; on the page the classes (renderers/privacy.css, rappor.css) repaint them in
 * the reader's theme.
 */
import type { RapporReport } from '~/engine/privacy/rappor';
import { picture, pictureSvg, put, type Picture } from '../renderers/picture';

/** The last report's B, B′ and how each bit of B′ came about (a frame where the coin decided it). */
export interface ReportBitsData extends Pick<RapporReport, 'bloom' | 'prr' | 'prrPath'> {
  k: number;
  /** S of every report so far, oldest first. */
  reports: Uint8Array[];
}

export const BIT_COLORS = { one: '#0b5394', zero: '#e3e7ec', forced: '#d55e00', text1: '#ffffff', text0: '#3b4350' } as const;

/** The bit indices above the first row, and the rows' names. */
const INDEX = { y: 12, 'text-anchor': 'middle', 'font-size': 8.5, class: 'rappor-bits__index', fill: '#6b7380' };
const ROW_LABEL = { dy: '0.35em', 'font-size': 11, 'font-weight': 600, class: 'ink-muted', fill: '#525a65' };

interface Row {
  label: string;
  /** Cell values in [0, 1] (bits, or the share of 1s). */
  cells: number[];
  kind: 'bits' | 'share';
  forced?: Uint8Array;
  gapBefore?: boolean;
}

export function create(el: HTMLElement, options: { label: string }): Picture<ReportBitsData> {
  const W = 640;
  const labelW = 96;
  const rowH = 22;
  const svg = pictureSvg(el, 'rappor-bits', options.label);
  const g = svg.append('g');

  function draw(d: ReportBitsData) {
    const rows: Row[] = [
      { label: 'B 블룸 필터', cells: Array.from(d.bloom), kind: 'bits' },
      { label: "B′ 영구", cells: Array.from(d.prr), kind: 'bits', forced: d.prrPath },
    ];
    d.reports.forEach((s, r) => rows.push({ label: `S 보고 ${r + 1}`, cells: Array.from(s), kind: 'bits', gapBefore: r === 0 }));
    if (d.reports.length > 0) {
      const share = Array.from({ length: d.k }, (_, i) => d.reports.reduce((a, s) => a + s[i], 0) / d.reports.length);
      rows.push({ label: 'S의 평균', cells: share, kind: 'share', gapBefore: true });
    }
    const cellW = (W - labelW - 8) / d.k;
    const showText = cellW >= 13;

    g.selectAll('*').remove();
    // The panel behind the rows; its height, and the picture's, once the rows are placed.
    const panel = put(g, 'rect', { class: 'ink-panel', width: W, rx: 6, fill: '#ffffff' });
    // Bit indices above the first row.
    if (showText) for (let i = 0; i < d.k; i++) put(g, 'text', { ...INDEX, x: labelW + i * cellW + cellW / 2 }, String(i));
    let y = 18;
    for (const r of rows) {
      if (r.gapBefore) y += 8;
      const row = put(g, 'g', { transform: `translate(0,${y})` });
      y += rowH + 3;
      put(row, 'text', { ...ROW_LABEL, x: 6, y: rowH / 2 }, r.label);
      const share = r.kind === 'share';
      /** The middle of cell i, where its digit goes. */
      const mid = (i: number) => labelW + i * cellW + (cellW - 1.5) / 2;
      const text = { y: rowH / 2, dy: '0.35em', 'text-anchor': 'middle', 'font-size': share ? 8 : 11 };
      const ink = (on: boolean) => ({ class: on ? 'rappor-bits__on' : 'rappor-bits__off', fill: on ? BIT_COLORS.text1 : BIT_COLORS.text0 });
      r.cells.forEach((v, i) => {
        const one = share || v === 1;
        const box = { x: labelW + i * cellW, width: Math.max(1, cellW - 1.5), height: rowH, rx: 2, stroke: r.forced && r.forced[i] ? BIT_COLORS.forced : 'none', 'stroke-width': 2.4 };
        const paint = { fill: one ? BIT_COLORS.one : BIT_COLORS.zero, 'fill-opacity': share ? 0.12 + 0.88 * v : 1 };
        put(row, 'rect', { ...box, ...paint, class: `rappor-bits__cell ${one ? 'is-one' : 'is-zero'}` });
        if (showText && share) put(row, 'text', { ...text, ...ink(v > 0.5), x: mid(i) }, v.toFixed(2).replace(/^0/, ''));
      });
      if (!showText || share) continue;
      // A bit row's digits are two texts, its ones and its zeros, each glyph placed at its cell by
      // a list of x (each starts a chunk of its own, centred there). With a group, a box and a text
      // per cell, the default view was 319 elements to style, lay out and paint at each report;
      // it is 153.
      for (const bit of [1, 0]) {
        const at = r.cells.flatMap((v, i) => (v === bit ? [mid(i).toFixed(1)] : []));
        if (at.length) put(row, 'text', { ...text, ...ink(bit === 1), x: at.join(' ') }, String(bit).repeat(at.length));
      }
    }
    const H = y + 4;
    panel.attr('height', H);
    svg.attr('viewBox', `0 0 ${W} ${H}`).attr('width', W).attr('height', H);
  }

  // Through the page's draw queue (every: 0, no spacing): its few hundred elements then come in a
  // frame of their own, not in the widget's mount (together a layout of 44-67 ms on the phone profile).
  return picture(svg, draw, 0);
}
