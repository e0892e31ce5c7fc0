/**
 * Horizontal bars for a handful of settings, one row each, with the value and its rank written
 * beside the bar: rounds to a target accuracy per (E, B), measured here or taken from a paper.
 * Rows keep a fixed order (the paper table's), so two charts side by side compare row by row, and
 * the rank says where the ordering differs. A row can be waiting, running, or done without a
 * value (the target was not reached: drawn as a hatched bar to the end of the axis).
 *
 * Shape: `create(el, options) → { update(data), toSvg(), destroy() }`. Plain SVG (d3), a few
 * dozen elements; the SVG scales with its container.
 */
import { scaleLinear, select } from 'd3';
import { svgFile } from './svg-file';
import { putText } from './outputs';

export interface RankRow {
  key: string;
  /** Row label, e.g. "E = 5, B = ∞". */
  label: string;
  /** The bar's length (e.g. rounds); null when not known (yet). */
  value: number | null;
  state: 'waiting' | 'running' | 'done' | 'missed';
  /** Text after the bar, e.g. "34 라운드 · 18.4×" or "150라운드 안에 도달 못 함". */
  text: string;
  /** 1 = best; shown before the label when known. */
  rank?: number | null;
  /** Emphasised row (e.g. the baseline, FedSGD). */
  baseline?: boolean;
}

export interface RankBarsData {
  rows: readonly RankRow[];
  /** Right end of the axis (a missed row's bar reaches it). */
  max: number;
}

export interface RankBarsOptions {
  label: string;
  color: string;
}

export interface RankBarsRenderer {
  update(data: RankBarsData): void;
  toSvg(): string;
  destroy(): void;
}

const W = 340;
const ROW = 34;
const LABEL_W = 100;
const TEXT_W = 84;
const TOP = 6;
let instances = 0;

export function create(el: HTMLElement, options: RankBarsOptions): RankBarsRenderer {
  const id = `rank-bars-${++instances}`;
  const svg = select(el).append('svg').attr('class', 'rank-bars').attr('role', 'img').attr('aria-label', options.label);
  const defs = svg.append('defs');
  const hatch = defs.append('pattern').attr('id', `${id}-hatch`).attr('patternUnits', 'userSpaceOnUse').attr('width', 6).attr('height', 6).attr('patternTransform', 'rotate(45)');
  hatch.append('rect').attr('width', 6).attr('height', 6).attr('fill', options.color).attr('fill-opacity', 0.15);
  hatch.append('line').attr('x1', 0).attr('y1', 0).attr('x2', 0).attr('y2', 6).attr('stroke', options.color).attr('stroke-width', 2);
  const g = svg.append('g');
  const x = scaleLinear();
  let height = TOP + ROW;

  return {
    update(d) {
      height = TOP + d.rows.length * ROW + 4;
      svg.attr('viewBox', `0 0 ${W} ${height}`);
      x.domain([0, Math.max(1, d.max)]).range([LABEL_W, W - TEXT_W]);
      const rows = g
        .selectAll<SVGGElement, RankRow>('g.rank-bars__row')
        .data(d.rows, (r) => r.key)
        .join((enter) => {
          const e = enter.append('g').attr('class', 'rank-bars__row');
          e.append('text').attr('class', 'rank-bars__label').attr('x', LABEL_W - 6).attr('y', ROW / 2 + 4);
          e.append('rect').attr('class', 'rank-bars__track').attr('height', 14).attr('y', ROW / 2 - 7).attr('rx', 2);
          e.append('rect').attr('class', 'rank-bars__bar').attr('height', 14).attr('y', ROW / 2 - 7).attr('rx', 2);
          e.append('text').attr('class', 'rank-bars__value').attr('y', ROW / 2 + 4);
          return e;
        })
        .attr('transform', (_, i) => `translate(0,${TOP + i * ROW})`)
        .attr('data-state', (r) => r.state)
        .classed('is-baseline', (r) => Boolean(r.baseline));
      putText(rows.select('text.rank-bars__label'), (r) => (r.rank ? `${r.rank}. ${r.label}` : r.label));
      rows
        .select('rect.rank-bars__track')
        .attr('x', x(0))
        .attr('width', x(d.max) - x(0));
      rows
        .select('rect.rank-bars__bar')
        .attr('x', x(0))
        .attr('width', (r) => (r.state === 'missed' ? x(d.max) - x(0) : r.value !== null ? Math.max(2, x(Math.min(r.value, d.max)) - x(0)) : 0))
        .attr('fill', (r) => (r.state === 'missed' ? `url(#${id}-hatch)` : options.color));
      const values = rows.select('text.rank-bars__value');
      values.attr('x', (r) => (r.state === 'missed' ? x(d.max) + 4 : r.value !== null ? x(Math.min(r.value, d.max)) + 4 : x(0) + 4));
      putText(values, (r) => r.text);
    },
    toSvg() {
      return svgFile(svg.node()!, {
        width: W,
        height,
        fontSize: 12,
        paint: [
          ['text', { fill: '#1d2127' }],
          ['.rank-bars__label', { 'text-anchor': 'end' }],
          ['.rank-bars__track', { fill: '#f1f2f4' }],
        ],
      });
    },
    destroy() {
      svg.remove();
    },
  };
}
