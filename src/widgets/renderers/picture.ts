/**
 * The <svg> of a privacy widget's d3 picture (the people grid, RAPPOR's bits, DP-FedAvg's
 * updates, the pair graph): one image named in Korean, in a sans-serif font that an exported file
 * keeps. With a size it is fixed now, with the rounded panel behind the drawing (white in an
 * exported file, the theme's surface on the page: .ink-panel in privacy.css); without one
 * the picture sets its size as it draws.
 */
import { select, type Selection } from 'd3';

export function pictureSvg(el: HTMLElement, className: string, label: string, size?: { width: number; height: number }): Selection<SVGSVGElement, unknown, null, undefined> {
  const svg = select(el).append('svg').attr('class', className).attr('role', 'img').attr('aria-label', label).attr('font-family', 'sans-serif');
  if (size) {
    svg.attr('viewBox', `0 0 ${size.width} ${size.height}`).attr('width', size.width).attr('height', size.height);
    svg.append('rect').attr('class', 'ink-panel').attr('width', size.width).attr('height', size.height).attr('rx', 6).attr('fill', '#ffffff');
  }
  return svg;
}
