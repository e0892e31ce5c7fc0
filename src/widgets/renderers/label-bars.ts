/**
 * One client's label distribution as a small bar chart: one bar per class, its height the number
 * of examples of that class the client holds. With `max` shared across clients the bars of
 * different clients compare by height, so quantity skew shows as well as label skew.
 *
 * Shape: `create(el, options) → { update(data), destroy() }`. Plain SVG, a few dozen elements.
 */
import { classColor } from './colors';

export interface LabelBarsData {
  /** counts[c] = examples of class c. */
  counts: readonly number[];
  /** The count that fills the full height (the largest over every client). */
  max: number;
}

export interface LabelBarsOptions {
  /** Accessible name prefix, e.g. "클라이언트 3의 레이블 분포". */
  label: string;
  /** Colour bars by class (2D data) or draw them in one colour with class numbers (digits). */
  classColors?: boolean;
}

export interface LabelBarsRenderer {
  update(data: LabelBarsData): void;
  destroy(): void;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const W = 100;
const H = 34;

export function create(el: HTMLElement, options: LabelBarsOptions): LabelBarsRenderer {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'label-bars');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('preserveAspectRatio', 'none');
  el.append(svg);

  return {
    update({ counts, max }) {
      const k = counts.length;
      const gap = k > 6 ? 1.5 : 3;
      const bw = (W - gap * (k - 1)) / Math.max(1, k);
      const text = counts.map((c, i) => `${i}: ${c}`).join(', ');
      svg.setAttribute('aria-label', `${options.label} (클래스별 예제 수 ${text})`);
      const kids: SVGElement[] = [];
      for (let c = 0; c < k; c++) {
        const h = max > 0 ? (counts[c] / max) * (H - 2) : 0;
        const r = document.createElementNS(SVG_NS, 'rect');
        r.setAttribute('x', String(c * (bw + gap)));
        r.setAttribute('y', String(H - Math.max(h, counts[c] > 0 ? 1 : 0)));
        r.setAttribute('width', String(bw));
        r.setAttribute('height', String(Math.max(h, counts[c] > 0 ? 1 : 0)));
        r.setAttribute('class', options.classColors ? 'label-bars__bar' : 'label-bars__bar label-bars__bar--plain');
        if (options.classColors) r.setAttribute('fill', classColor(c));
        kids.push(r);
      }
      const base = document.createElementNS(SVG_NS, 'line');
      base.setAttribute('x1', '0');
      base.setAttribute('x2', String(W));
      base.setAttribute('y1', String(H - 0.25));
      base.setAttribute('y2', String(H - 0.25));
      base.setAttribute('class', 'label-bars__base');
      svg.replaceChildren(...kids, base);
    },
    destroy() {
      svg.remove();
    },
  };
}
