/**
 * A federated client's weight update, drawn: the first layer's change laid out as one tile per
 * unit (a dense unit's incoming weights in the input's shape, or a conv filter's k×k kernel).
 * For an update computed from one example the tiles show the example itself, which is why a
 * single-example update gives the input away.
 */
import type { ServerView } from '~/engine/types';
import type { PixelImage } from './pixels';

/** At most this many first-layer units are drawn as tiles of the update. */
const MAX_TILES = 32;

/**
 * The first layer's weight update laid out as one tile per unit (dense: the unit's incoming
 * weights in the input's shape; conv: each filter's k×k kernel), NaN gaps between tiles.
 */
export function updateTiles(view: ServerView, update: Float32Array): { image: Omit<PixelImage, 'scale' | 'label'>; tiles: number; firstLayer: number } | null {
  const layer = view.layers.find((l) => l.shapes.length > 0);
  if (!layer) return null;
  const kernel = layer.shapes[0];
  let th: number;
  let tw: number;
  let count: number;
  let at: (tile: number, y: number, x: number) => number;
  if (kernel.length === 2) {
    const [inputs, units] = kernel;
    const [h, w] = view.inputShape.length === 3 ? view.inputShape : [1, inputs];
    if (h * w * (view.inputShape[2] ?? 1) !== inputs) return null;
    th = h;
    tw = w;
    count = Math.min(units, MAX_TILES);
    // Dense kernel [in, out] row-major: unit j's weight from pixel (y, x) of channel 0.
    at = (j, y, x) => update[layer.start + (y * w + x) * (view.inputShape[2] ?? 1) * units + j];
  } else if (kernel.length === 4) {
    const [k, k2, cin, cout] = kernel;
    th = k;
    tw = k2;
    count = Math.min(cout, MAX_TILES);
    // Conv kernel [kh, kw, in, out] (HWIO): filter j on input channel 0.
    at = (j, y, x) => update[layer.start + ((y * k2 + x) * cin) * cout + j];
  } else return null;
  const per = Math.ceil(Math.sqrt(count));
  const rowsT = Math.ceil(count / per);
  const cols = per * (tw + 1) - 1;
  const rows = rowsT * (th + 1) - 1;
  const values = new Float32Array(rows * cols).fill(NaN);
  for (let j = 0; j < count; j++) {
    const r0 = Math.floor(j / per) * (th + 1);
    const c0 = (j % per) * (tw + 1);
    for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) values[(r0 + y) * cols + c0 + x] = at(j, y, x);
  }
  return { image: { values, rows, cols }, tiles: count, firstLayer: layer.end - layer.start };
}
