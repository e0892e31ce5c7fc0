/**
 * The data window of a map of points (weight space, update space): the same units per pixel on
 * both axes, so that distances look the same in every direction.
 */
import type { ScaleLinear } from 'd3';

/**
 * Sets the domains of `x` and `y`, drawn on `pxW` × `pxH` pixels, to a window centred on the
 * bounding box of the points (`xs`, `ys`) and `pad` times as large as it needs to be to hold it
 * (1.1: a 10% margin).
 */
export function fitSquare(x: ScaleLinear<number, number>, y: ScaleLinear<number, number>, xs: readonly number[], ys: readonly number[], pxW: number, pxH: number, pad: number): void {
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const span = Math.max((x1 - x0) / pxW, (y1 - y0) / pxH, 1e-9) * pad;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  x.domain([cx - (span * pxW) / 2, cx + (span * pxW) / 2]);
  y.domain([cy - (span * pxH) / 2, cy + (span * pxH) / 2]);
}
