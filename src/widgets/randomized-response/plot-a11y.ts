/**
 * Observable Plot labels its mark groups with aria-label (`<g aria-label="dot">`). On a <g>
 * without a role that attribute is not allowed (axe: aria-prohibited-attr), and a screen reader
 * gains nothing from "dot" or "tick". The privacy widgets' charts are one image each, named by
 * the chart's own label and described by the widget's text summary, so: role="img" on the SVG,
 * and the inner labels removed.
 */
export function asImage<E extends Element>(chart: E): E {
  const svg = chart instanceof SVGSVGElement ? chart : chart.querySelector('svg');
  if (svg) {
    svg.setAttribute('role', 'img');
    for (const el of svg.querySelectorAll('[aria-label], [aria-description]')) {
      el.removeAttribute('aria-label');
      el.removeAttribute('aria-description');
    }
  }
  return chart;
}
