/**
 * A privacy widget's d3 picture (the people grid, RAPPOR's bits, DP-FedAvg's updates, the pair
 * graph): its <svg>, one image named in Korean, in a sans-serif font that an exported file
 * keeps. With a size it is fixed now, with the rounded panel behind the drawing (white in an
 * exported file, the theme's surface on the page: .ink-panel in privacy.css); without one
 * the picture sets its size as it draws. `put` appends one element with its attributes.
 */
import { select, type BaseType, type Selection } from 'd3';
import { throttled } from './plot-image';

/** SVG attributes by name; null or undefined leaves one out. */
export type Attrs = Record<string, string | number | null | undefined>;

/**
 * Appends a `tag` element with `attrs` (and `text`, if given) to `parent`: one call instead of a
 * chain of `.attr()`s, for the pictures' fixed elements (titles, rules, bars, arrows).
 */
export function put<P extends BaseType>(
  parent: Selection<P, unknown, null, undefined>,
  tag: string,
  attrs: Attrs,
  text?: string,
): Selection<BaseType, unknown, null, undefined> {
  const el = parent.append<BaseType>(tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== null && value !== undefined) el.attr(name, value);
  if (text !== undefined) el.text(text);
  return el;
}

export function pictureSvg(el: HTMLElement, className: string, label: string, size?: { width: number; height: number }): Selection<SVGSVGElement, unknown, null, undefined> {
  const svg = select(el).append('svg').attr('class', className).attr('role', 'img').attr('aria-label', label).attr('font-family', 'sans-serif');
  if (size) {
    svg.attr('viewBox', `0 0 ${size.width} ${size.height}`).attr('width', size.width).attr('height', size.height);
    svg.append('rect').attr('class', 'ink-panel').attr('width', size.width).attr('height', size.height).attr('rx', 6).attr('fill', '#ffffff');
  }
  return svg;
}

/** What such a picture gives its widget: a redraw with new data, its <svg> for export, removal. */
export interface Picture<D> {
  update(data: D): void;
  svg(): SVGSVGElement | null;
  destroy(): void;
}

/**
 * The picture that `draw` draws into `svg`: at once, as the reader's action asks for it. A picture
 * redrawn from a streaming run gives `every`: its draws then go through the page's draw queue
 * (plot-image.ts), at most one per `every` ms, the latest data always drawn, and the picture is
 * aria-busy while a draw waits. Drawn at once from every round (DP-FedAvg's updates, 25 rounds a
 * second), it changed the page in nearly every frame: the widget trained at 36–42 frames a second
 * on the phone profile of the jank bench.
 */
export function picture<D>(svg: Selection<SVGSVGElement, unknown, null, undefined>, draw: (data: D) => void, every?: number): Picture<D> {
  if (every === undefined) return { update: draw, svg: () => svg.node(), destroy: () => svg.remove() };
  const node = svg.node()!;
  let latest: { data: D } | null = null;
  const redraw = throttled(() => latest && draw(latest.data), every, node);
  return {
    update(data) {
      latest = { data };
      redraw.schedule();
    },
    svg() {
      redraw.settle();
      return node;
    },
    destroy() {
      redraw.cancel();
      svg.remove();
    },
  };
}
