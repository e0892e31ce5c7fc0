/**
 * "The life of a report" (d3, SVG): one row of k cells per stage — the Bloom filter B, the
 * permanent randomized response B′ (cells the coin decided are framed), each instantaneous report
 * S, and the share of 1s over the reports so far. Colours are attributes, the light palette an
 * exported SVG carries; on the page the classes (renderers/privacy.css, rappor.css) repaint them in
 * the reader's theme.
 *
 * Shape: `create(el, options) → { update(data), svg(), destroy() }`.
 */
import { pictureSvg } from '../renderers/picture';

export interface ReportBitsOptions {
  label: string;
}

export interface ReportBitsData {
  k: number;
  bloom: Uint8Array;
  prr: Uint8Array;
  /** PrrPath per bit: 0 kept, 1 forced to 1, 2 forced to 0. */
  prrPath: Uint8Array;
  /** S of every report so far, oldest first. */
  reports: Uint8Array[];
}

export interface ReportBitsRenderer {
  update(data: ReportBitsData): void;
  svg(): SVGSVGElement | null;
  destroy(): void;
}

export const BIT_COLORS = { one: '#0b5394', zero: '#e3e7ec', forced: '#d55e00', text1: '#ffffff', text0: '#3b4350' } as const;

interface Row {
  label: string;
  /** Cell values in [0, 1] (bits, or the share of 1s). */
  cells: number[];
  kind: 'bits' | 'share';
  forced?: Uint8Array;
  gapBefore?: boolean;
}

export function create(el: HTMLElement, options: ReportBitsOptions): ReportBitsRenderer {
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
    let y = 18;
    const placed = rows.map((r) => {
      if (r.gapBefore) y += 8;
      const at = y;
      y += rowH + 3;
      return { ...r, y: at };
    });
    const H = y + 4;
    svg.attr('viewBox', `0 0 ${W} ${H}`).attr('width', W).attr('height', H);

    g.selectAll('*').remove();
    g.append('rect').attr('class', 'ink-panel').attr('width', W).attr('height', H).attr('rx', 6).attr('fill', '#ffffff');
    // Bit indices above the first row.
    if (showText) {
      g.append('g')
        .selectAll('text')
        .data(Array.from({ length: d.k }, (_, i) => i))
        .join('text')
        .attr('x', (i) => labelW + i * cellW + cellW / 2)
        .attr('y', 12)
        .attr('text-anchor', 'middle')
        .attr('font-size', 8.5)
        .attr('class', 'rappor-bits__index')
        .attr('fill', '#6b7380')
        .text((i) => String(i));
    }
    for (const r of placed) {
      const row = g.append('g').attr('transform', `translate(0,${r.y})`);
      row.append('text').attr('x', 6).attr('y', rowH / 2).attr('dy', '0.35em').attr('font-size', 11).attr('font-weight', 600).attr('class', 'ink-muted').attr('fill', '#525a65').text(r.label);
      const cells = row
        .selectAll('g')
        .data(r.cells.map((v, i) => ({ v, i })))
        .join('g')
        .attr('transform', (c) => `translate(${labelW + c.i * cellW},0)`);
      cells
        .append('rect')
        .attr('class', (c) => `rappor-bits__cell ${r.kind === 'share' || c.v ? 'is-one' : 'is-zero'}`)
        .attr('width', Math.max(1, cellW - 1.5))
        .attr('height', rowH)
        .attr('rx', 2)
        .attr('fill', (c) => (r.kind === 'share' ? BIT_COLORS.one : c.v ? BIT_COLORS.one : BIT_COLORS.zero))
        .attr('fill-opacity', (c) => (r.kind === 'share' ? 0.12 + 0.88 * c.v : 1))
        .attr('stroke', (c) => (r.forced && r.forced[c.i] ? BIT_COLORS.forced : 'none'))
        .attr('stroke-width', 2.4);
      if (showText) {
        cells
          .append('text')
          .attr('x', (cellW - 1.5) / 2)
          .attr('y', rowH / 2)
          .attr('dy', '0.35em')
          .attr('text-anchor', 'middle')
          .attr('font-size', r.kind === 'share' ? 8 : 11)
          .attr('class', (c) => ((r.kind === 'share' ? c.v > 0.5 : c.v) ? 'rappor-bits__on' : 'rappor-bits__off'))
          .attr('fill', (c) => ((r.kind === 'share' ? c.v > 0.5 : c.v) ? BIT_COLORS.text1 : BIT_COLORS.text0))
          .text((c) => (r.kind === 'share' ? c.v.toFixed(2).replace(/^0/, '') : String(c.v)));
      }
    }
  }

  return {
    update: draw,
    svg: () => el.querySelector('svg'),
    destroy() {
      svg.remove();
    },
  };
}
