/**
 * A drawn <svg> saved as a file of its own. A file has no stylesheet, so what the page's CSS gives
 * on screen (theme colours, text anchors) is written into attributes — `paint` lists selectors
 * and their attributes, applied in order so that a later rule wins, as in CSS — and a plate goes
 * underneath (white unless said otherwise), so the picture reads the same in any viewer.
 */

import { drawnFontFamily } from '~/runtime/export';

export const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Path data of many small circles of radius `r`, one string per group (a class, a series), groups
 * in ascending order: many dots drawn as a few <path> elements instead of one <circle> each, which
 * the browser styles, lays out and paints far faster. Each circle is two arcs from its left edge.
 */
export function circlesByGroup(dots: Iterable<{ x: number; y: number; group: number }>, r: number): Map<number, { d: string; n: number }> {
  const parts = new Map<number, string[]>();
  for (const { x, y, group } of dots) {
    let list = parts.get(group);
    if (!list) parts.set(group, (list = []));
    list.push(`M${(x - r).toFixed(1)},${y.toFixed(1)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`);
  }
  return new Map([...parts].sort(([a], [b]) => a - b).map(([g, list]) => [g, { d: list.join(''), n: list.length }]));
}

/** Selector → attributes, applied in order. */
export type Paint = ReadonlyArray<readonly [selector: string, attributes: Record<string, string>]>;

export interface SvgFileOptions {
  /** The file's size in user units (the viewBox is kept). */
  width?: number;
  height?: number;
  /** Texts of this size, in user units (always in the font the page drew them in). */
  fontSize?: number;
  paint?: Paint;
  /** Last changes to the copy, after `paint` and before the plate (a caption, an embedded image). */
  edit?(copy: SVGSVGElement): void;
  /** The plate's colour (default white); null: no plate. */
  plate?: string | null;
}

/** The text of a standalone .svg file of `svg` (the page's element is not changed). */
export function svgFile(svg: SVGSVGElement, options: SvgFileOptions = {}): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', SVG_NS);
  if (options.width !== undefined) copy.setAttribute('width', String(options.width));
  if (options.height !== undefined) copy.setAttribute('height', String(options.height));
  copy.setAttribute('font-family', drawnFontFamily(svg));
  if (options.fontSize !== undefined) copy.setAttribute('font-size', String(options.fontSize));
  for (const [selector, attributes] of options.paint ?? []) {
    for (const n of copy.querySelectorAll(selector)) for (const [k, v] of Object.entries(attributes)) n.setAttribute(k, v);
  }
  options.edit?.(copy);
  if (options.plate !== null) {
    const plate = document.createElementNS(SVG_NS, 'rect');
    plate.setAttribute('width', '100%');
    plate.setAttribute('height', '100%');
    plate.setAttribute('fill', options.plate ?? '#ffffff');
    copy.insertBefore(plate, copy.firstChild);
  }
  return serializeSvg(copy);
}

/** An SVG element as file text, with the XML declaration. */
export function serializeSvg(root: Element): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(root);
}
