/**
 * Split learning's equivalences: round-robin split learning without shuffling is centralized SGD
 * on the same batch sequence for every cut (property 1), hence independent of the cut (property 2),
 * and SplitFed with one client is split learning with one client (property 5). Real wasm training.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { layerCount } from '~/engine/index';
import { defaultConfig, finalWeights, maxAbsDiff, setup } from './engine-helpers';

beforeAll(setup);

// 300 digits in 3 IID clients of 100: batches of 10 never straddle two clients, so the
// centralized run without shuffling sees exactly the split run's batch sequence.
const digits = (over: Parameters<typeof defaultConfig>[0] = {}) =>
  defaultConfig({ dataset: { name: 'digits', noise: 0, size: 300 }, model: { kind: 'mlp', hidden: [32, 16] }, clients: 3, batchSize: 10, lr: 0.1, epochs: 2, shuffle: false, ...over });

describe('property 1: split learning without shuffling is centralized SGD, for every cut', () => {
  it('MLP, vanilla, p2p and server hand-off, every cut', async () => {
    const central = await finalWeights(digits({ algorithm: 'centralized' }));
    const L = layerCount({ kind: 'mlp', hidden: [32, 16] });
    for (let cut = 1; cut < L; cut++) {
      for (const handoff of ['p2p', 'server'] as const) {
        const split = await finalWeights(digits({ algorithm: 'split', cut, handoff }));
        expect(maxAbsDiff(split, central), `cut ${cut} ${handoff}`).toBeLessThanOrEqual(1e-5);
      }
    }
    // Not trivially true: reshuffling changes the batch sequence and so the weights.
    const shuffled = await finalWeights(digits({ algorithm: 'split', shuffle: true }));
    expect(maxAbsDiff(shuffled, central)).toBeGreaterThan(1e-3);
  });

  it('CNN (convolutions, pooling, flatten on either side), every cut, and U-shaped', async () => {
    const cnn = (over: Parameters<typeof defaultConfig>[0]) => digits({ model: { kind: 'cnn' }, epochs: 1, lr: 0.05, ...over });
    const central = await finalWeights(cnn({ algorithm: 'centralized' }));
    for (let cut = 1; cut < layerCount({ kind: 'cnn', hidden: [] }); cut++) {
      expect(maxAbsDiff(await finalWeights(cnn({ algorithm: 'split', cut })), central), `cut ${cut}`).toBeLessThanOrEqual(1e-5);
    }
    for (const cut of [2, 5]) {
      expect(maxAbsDiff(await finalWeights(cnn({ algorithm: 'split', variant: 'ushaped', cut })), central), `U-shaped cut ${cut}`).toBeLessThanOrEqual(1e-5);
    }
  });

  it('client sizes that are not multiples of B: the batch sequence is still per client', async () => {
    // Quantity skew gives unequal clients and B = 7 divides none of them evenly, so a centralized
    // run that batched the concatenated data would straddle clients and differ.
    const over = { partition: { kind: 'quantity' as const, alpha: 1, shardsPerClient: 2 }, batchSize: 7, epochs: 1 };
    const central = await finalWeights(digits({ algorithm: 'centralized', ...over }));
    for (const cut of [1, 2]) {
      expect(maxAbsDiff(await finalWeights(digits({ algorithm: 'split', cut, ...over })), central), `cut ${cut}`).toBeLessThanOrEqual(1e-5);
    }
  });

  it('U-shaped MLP (labels stay with the client) equals centralized too', async () => {
    const model = { kind: 'mlp' as const, hidden: [32, 16, 16] };
    const central = await finalWeights(digits({ algorithm: 'centralized', model }));
    for (const cut of [1, 2]) {
      expect(maxAbsDiff(await finalWeights(digits({ algorithm: 'split', variant: 'ushaped', cut, model })), central)).toBeLessThanOrEqual(1e-5);
    }
  });
});

describe('property 2: the cut layer does not change what is learned', () => {
  it('--cut 1 equals --cut 2, also with shuffling (each client draws the same permutations)', async () => {
    for (const shuffle of [false, true]) {
      const a = await finalWeights(digits({ algorithm: 'split', cut: 1, shuffle, epochs: 3 }));
      const b = await finalWeights(digits({ algorithm: 'split', cut: 2, shuffle, epochs: 3 }));
      expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(1e-5);
    }
  });
});

describe('property 5: SplitFed with one client is split learning with one client', () => {
  it.each(['splitfed1', 'splitfed2'] as const)('%s, R = 2 rounds of E = 2 against 4 epochs', async (algorithm) => {
    for (const variant of ['vanilla', 'ushaped'] as const) {
      const one = { clients: 1, cut: 1, variant, shuffle: true };
      const split = await finalWeights(digits({ algorithm: 'split', epochs: 4, ...one }));
      const fed = await finalWeights(digits({ algorithm, rounds: 2, localEpochs: 2, fraction: 1, ...one }));
      expect(maxAbsDiff(fed, split), variant).toBeLessThanOrEqual(1e-5);
    }
  });

  it('with more clients SplitFed is not split learning, and V1 differs from V2', async () => {
    const split = await finalWeights(digits({ algorithm: 'split', epochs: 2 }));
    const v1 = await finalWeights(digits({ algorithm: 'splitfed1', rounds: 2, localEpochs: 1 }));
    const v2 = await finalWeights(digits({ algorithm: 'splitfed2', rounds: 2, localEpochs: 1 }));
    expect(maxAbsDiff(v1, split)).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(v2, split)).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(v1, v2)).toBeGreaterThan(1e-3);
  });
});
