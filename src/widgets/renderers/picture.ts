/**
 * A privacy widget's d3 picture (the people grid, RAPPOR's bits, DP-FedAvg's updates, the pair
 * graph): its <svg>, one image named in Korean, in a sans-serif font that an exported file
 * keeps. With a size it is fixed now, with the rounded panel behind the drawing (white in an
 * exported file, the theme's surface on the page: .ink-panel in privacy.css); without one
 * the picture sets its size as it draws. `put` appends one element with its attributes.
 */
import { select, type BaseType, type Selection } from 'd3';

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

/** The picture that `draw` draws into `svg`. */
export function picture<D>(svg: Selection<SVGSVGElement, unknown, null, undefined>, draw: (data: D) => void): Picture<D> {
  return { update: draw, svg: () => svg.node(), destroy: () => svg.remove() };
}
