/**
 * Split learning, SplitFed and what the server sees.
 *
 * The trainers plug into the engine's registry (algorithms/index.ts): `split` (round-robin,
 * vanilla or U-shaped, or vertical), `splitfed1` and `splitfed2`. Everything else a page needs is
 * plain data from `run()`: per-batch smashed-sent / gradient-returned / message-sent(labels)
 * events, client-handoff events, round-metrics with bytesByKind, and (RunOptions.serverView) a
 * server-view event. The communication formulas live in ../comm.ts.
 */
import type { EngineEvent } from '../types';
import type { RunContext } from '../context';
import type { Params } from '../train';
import { roundRobin, splitNetOf } from './roundrobin';
import { verticalNetOf, verticalSplit } from './vertical';
import { splitFed } from './splitfed';

export { SplitNet, VerticalNet, Wire, type Parts, type Transmission } from './protocol';
export { CommLedger } from './ledger';
export { computeServerView, cholesky, choleskySolve, MAX_DECODER_FEATURES, RIDGE_GRID } from './leakage';
export { SPLIT_ALGORITHMS, isSplitAlgorithm, layerCount, cutRange, headStart, verticalBlocks, verticalRows } from './cut';
export { sampleOf, SAMPLE_MAX } from './events';

/** What run-started reports for the split family (the shape of Trainer.startInfo). */
export interface SplitStartInfo {
  parameters?: number;
  clientParameters?: number;
  cutWidth?: number;
  headCutWidth?: number;
  layers?: Array<{ kind: 'dense' | 'conv2d' | 'maxpool' | 'flatten'; outShape: number[]; parameters: number }>;
}

export function splitStartInfo(ctx: RunContext): SplitStartInfo {
  if (ctx.config.variant === 'vertical' && ctx.config.algorithm === 'split') {
    const net = verticalNetOf(ctx);
    return {
      parameters: net.paramCount,
      clientParameters: net.clientParams.reduce((a, b) => a + b, 0),
      cutWidth: net.widths.reduce((a, b) => a + b, 0),
    };
  }
  const net = splitNetOf(ctx);
  return {
    clientParameters: net.clientParams,
    cutWidth: net.q,
    ...(net.variant === 'ushaped' ? { headCutWidth: net.q2 } : {}),
    layers: ctx.model.layers.map((l) => ({ kind: l.spec.kind, outShape: l.outShape.slice(), parameters: l.paramCount })),
  };
}

/** Round-robin split learning, or vertical split learning when config.variant says so. */
export function split(ctx: RunContext): AsyncGenerator<EngineEvent, Params> {
  return ctx.config.variant === 'vertical' ? verticalSplit(ctx) : roundRobin(ctx);
}
split.startInfo = splitStartInfo;

/** SplitFed V1 or V2, by config.algorithm. */
export function splitfed(ctx: RunContext): AsyncGenerator<EngineEvent, Params> {
  return splitFed(ctx);
}
splitfed.startInfo = splitStartInfo;
