/**
 * Personalization by local fine-tuning: after the last round every client copies the global
 * model, trains it on its own training examples for a few epochs (plain SGD, the run's B and η),
 * and keeps the copy. Each client's accuracy is measured on its own test split before (the global
 * model) and after (its fine-tuned copy).
 *
 * Local test splits follow each client's label distribution: for every class c, the test examples
 * of class c are shuffled and cut among the clients in proportion to how many training examples
 * of c each holds (the same cumulative-floor cut as the Dirichlet partition). A client that has no
 * examples of c gets none of its test examples, so a skewed client is tested on the classes it
 * actually sees. The splits are disjoint; every test example whose class some client holds goes
 * to one client.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EngineEvent, Personalization } from './types';
import type { RunContext } from './context';
import { Rng } from './rng';
import { evaluate, ExampleSet, localTrain, type Params } from './train';

/**
 * Test-set indices for each client: class by class, in proportion to histograms[k][c]. Draws from
 * `rng` (one permutation per class).
 */
export function localTestSplits(histograms: number[][], testLabels: Int32Array, numClasses: number, rng: Rng): Int32Array[] {
  const K = histograms.length;
  const out: number[][] = Array.from({ length: K }, () => []);
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  testLabels.forEach((c, i) => byClass[c].push(i));
  for (let c = 0; c < numClasses; c++) {
    const idx = byClass[c];
    const order = rng.permutation(idx.length);
    const total = histograms.reduce((s, h) => s + h[c], 0);
    if (total === 0) continue;
    let cum = 0;
    let from = 0;
    for (let k = 0; k < K; k++) {
      cum += histograms[k][c];
      const to = k === K - 1 ? idx.length : Math.floor((cum / total) * idx.length);
      for (let r = from; r < to; r++) out[k].push(idx[order[r]]);
      from = to;
    }
  }
  return out.map((a) => Int32Array.from(a.sort((x, y) => x - y)));
}

/** Fine-tunes a copy of `global` (not disposed) on every client; events per client, then the summary. */
export async function* personalize(ctx: RunContext, global: Params): AsyncGenerator<EngineEvent, Personalization> {
  const { config, model, dataset } = ctx;
  const epochs = config.personalizeEpochs;
  const splits = localTestSplits(ctx.partition.histograms, dataset.test.labels, dataset.numClasses, new Rng(config.seed, 'personal-test'));
  const clients: Personalization['clients'] = [];
  for (let k = 0; k < config.clients; k++) {
    const idx = splits[k];
    const test = new ExampleSet(dataset.test.features(idx), Int32Array.from(idx, (i) => dataset.test.labels[i]), dataset.inputSize, dataset.numClasses);
    let tuned: Params | null = null;
    try {
      const trainN = ctx.clientSize(k);
      let before = 0;
      let after = 0;
      if (test.n > 0) before = (await evaluate(model, global, test)).accuracy;
      if (trainN > 0 && test.n > 0) {
        const res = await localTrain(model, global, ctx.clientData(k), {
          epochs,
          batch: config.batchSize,
          lr: config.lr,
          shuffle: config.shuffle ? ctx.rng.shuffle(k) : null,
          tick: ctx.tick,
        });
        tuned = res.params;
        ctx.assertFinite(res.loss);
        after = (await evaluate(model, tuned, test)).accuracy;
      } else {
        after = before;
      }
      const row = { client: k, trainN, testN: test.n, before, after };
      clients.push(row);
      yield { type: 'client-personalized', round: ctx.round, ...row };
    } finally {
      if (tuned) tf.dispose(tuned);
      test.dispose();
    }
    await ctx.tick();
  }
  const tested = clients.filter((c) => c.testN > 0);
  const mean = (f: (c: (typeof clients)[number]) => number) => (tested.length ? tested.reduce((s, c) => s + f(c), 0) / tested.length : 0);
  const result: Personalization = { epochs, clients, meanBefore: mean((c) => c.before), meanAfter: mean((c) => c.after) };
  yield { type: 'personalized', round: ctx.round, ...result };
  return result;
}
