/**
 * Where a model can be cut, and how vertical split learning divides the input among clients.
 * Pure functions (no tfjs), so that config validation and the pages can use them.
 */
import type { Algorithm, ModelConfig, SplitVariant } from '../types';

/** The split-learning family of algorithms. */
export const SPLIT_ALGORITHMS = ['split', 'splitfed1', 'splitfed2'] as const;

export const isSplitAlgorithm = (a: Algorithm): a is (typeof SPLIT_ALGORITHMS)[number] => (SPLIT_ALGORITHMS as readonly string[]).includes(a);

/**
 * Number of layers L of the model a config builds (model.ts modelSpecs): an MLP has its hidden
 * layers plus the output layer, the 2NN three layers, both CNNs seven (conv, pool, conv, pool,
 * flatten, dense, output). A unit test keeps this in step with modelSpecs.
 */
export function layerCount(model: Pick<ModelConfig, 'kind' | 'hidden'>): number {
  switch (model.kind) {
    case 'mlp':
      return model.hidden.length + 1;
    case '2nn':
      return 3;
    case 'cnn':
      return 7;
  }
}

/**
 * The cut layers c a variant allows: the client runs layers [0, c), the server at least one layer.
 * U-shaped keeps the output layer on the client as the head, so the server needs c ≤ L − 2.
 */
export function cutRange(model: Pick<ModelConfig, 'kind' | 'hidden'>, variant: SplitVariant): { min: number; max: number } {
  const L = layerCount(model);
  return { min: 1, max: variant === 'ushaped' ? L - 2 : L - 1 };
}

/**
 * U-shaped: the first layer of the client's head. The head is the output layer: it turns the
 * server's activations into logits, so the loss and the labels stay with the client.
 */
export const headStart = (layers: number): number => layers - 1;

/**
 * Vertical split: client i holds a band of the input. Images are cut into K bands of whole rows
 * (row-major, so a band is also a contiguous block of the flat vector); flat inputs (the 2D sets)
 * into K contiguous blocks of features. Sizes differ by at most one row (feature).
 *
 * Returns each client's input shape and its [start, end) range in the flat input vector.
 */
export function verticalBlocks(inputShape: number[], clients: number): Array<{ shape: number[]; start: number; end: number }> {
  const rows = inputShape[0];
  const rowSize = inputShape.slice(1).reduce((a, b) => a * b, 1);
  if (!(clients >= 1) || clients > rows) throw new Error(`vertical split: ${clients} clients cannot share ${rows} rows of input`);
  return Array.from({ length: clients }, (_, i) => {
    const r0 = Math.floor((i * rows) / clients);
    const r1 = Math.floor(((i + 1) * rows) / clients);
    return { shape: [r1 - r0, ...inputShape.slice(1)], start: r0 * rowSize, end: r1 * rowSize };
  });
}

/** Rows a vertical split can divide: image height, or the number of features of a flat input. */
export const verticalRows = (inputShape: number[]): number => inputShape[0];

/**
 * All parameters (weights and biases) of an MLP with layer widths `widths` (input, hidden…,
 * output), held whole (no split): what one model copy sends, for pages that print it before the
 * run has reported it.
 */
export const mlpParameters = (widths: readonly number[]): number => mlpSplitParams(widths, widths.length - 1).reduce((a, b) => a + b, 0);

/**
 * Parameters (weights and biases) of each layer of an MLP with layer widths `widths` (input,
 * hidden…, output) as split learning holds it. Vertical split (`bands`: the input width each
 * client sees): every client has its own copy of the front layers [0, cut), the first seeing only
 * its band of the input, and the server's first layer takes the K fronts' outputs side by side.
 */
export function mlpSplitParams(widths: readonly number[], cut: number, bands?: readonly number[]): number[] {
  const out = widths.slice(1).map((w, i) => widths[i] * w + w);
  if (!bands) return out;
  const K = bands.length;
  out[0] = bands.reduce((s, b) => s + b * widths[1] + widths[1], 0);
  for (let i = 1; i < cut; i++) out[i] *= K;
  if (cut < out.length) out[cut] = K * widths[cut] * widths[cut + 1] + widths[cut + 1];
  return out;
}
