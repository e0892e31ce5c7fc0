import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, run, validateConfig } from '~/engine/index';
import type { RunConfig } from '~/engine/types';
import { setup } from './engine-helpers';

beforeAll(setup);

const HANGUL = /[가-힣]/;
const fields = (c: RunConfig) => validateConfig(c).map((p) => p.field);

describe('defaultConfig and validateConfig', () => {
  it('default config is valid; overrides merge into nested objects', () => {
    expect(validateConfig(defaultConfig())).toEqual([]);
    const c = defaultConfig({ dataset: { name: 'digits' }, model: { hidden: [32] }, partition: { kind: 'dirichlet' }, rounds: 3 });
    // an image set named without a size uses all its examples, not the 2D sets' 400 points
    expect(c.dataset).toEqual({ name: 'digits', noise: 0.1, size: 0 });
    expect(defaultConfig({ dataset: { name: 'mnist', size: 300 } }).dataset.size).toBe(300);
    expect(defaultConfig({ dataset: { name: 'spiral' } }).dataset.size).toBe(400);
    expect(c.model).toEqual({ kind: 'mlp', hidden: [32], activation: 'relu' });
    expect(c.partition.kind).toBe('dirichlet');
    expect(c.partition.alpha).toBe(0.5);
    expect(c.rounds).toBe(3);
    // defaults are not shared between calls
    c.model.hidden.push(1);
    expect(defaultConfig().model.hidden).toEqual([8, 8]);
  });

  it('explains every problem with a field, Korean and English, without throwing', () => {
    const problems = validateConfig(defaultConfig({ lr: 0, batchSize: 0, fraction: 1.5, rounds: 2.5, dataset: { noise: -1 } }));
    expect(problems.map((p) => p.field).sort()).toEqual(['batchSize', 'dataset.noise', 'fraction', 'lr', 'rounds']);
    for (const p of problems) {
      expect(p.ko).toMatch(HANGUL);
      expect(p.en).toMatch(/^[ -~·αη→≥…]+$/);
    }
    expect(problems.find((p) => p.field === 'lr')!.ko).toBe('학습률 η: 0.000001 이상 10 이하의 수여야 합니다.');
    expect(problems.find((p) => p.field === 'batchSize')!.en).toContain("'all'");
  });

  it.each<[string, Partial<RunConfig> | Record<string, unknown>, string]>([
    ['unknown algorithm', { algorithm: 'magic' }, 'algorithm'],
    ['unknown dataset', { dataset: { name: 'cifar', noise: 0, size: 0 } }, 'dataset.name'],
    ['NaN learning rate', { lr: Number.NaN }, 'lr'],
    ['string clients', { clients: '10' }, 'clients'],
    ['hidden not a list', { model: { kind: 'mlp', hidden: 16, activation: 'relu' } }, 'model.hidden'],
    ['zero-width layer', { model: { kind: 'mlp', hidden: [8, 0], activation: 'relu' } }, 'model.hidden'],
    ['CNN on 2D data', { model: { kind: 'cnn', hidden: [], activation: 'relu' } }, 'model.kind'],
    ['bad activation', { model: { kind: 'mlp', hidden: [4], activation: 'swish' } }, 'model.activation'],
    ['α of zero', { partition: { kind: 'dirichlet', alpha: 0, shardsPerClient: 2 } }, 'partition.alpha'],
    ['more clients than examples', { clients: 500, dataset: { name: 'circles', noise: 0, size: 100 } }, 'clients'],
    ['too many shards', { clients: 60, partition: { kind: 'shards', alpha: 1, shardsPerClient: 10 }, dataset: { name: 'moons', noise: 0, size: 500 } }, 'partition.shardsPerClient'],
    ['noise without clipping', { algorithm: 'dpfedavg', noise: 1, clip: 0 }, 'noise'],
    ['negative seed', { seed: -1 }, 'seed'],
    ['shuffle not boolean', { shuffle: 'yes' }, 'shuffle'],
  ])('reports %s', (_, over, field) => {
    const c = { ...defaultConfig(), ...over } as RunConfig;
    expect(fields(c)).toContain(field);
  });

  it('accepts the edge values it advertises', () => {
    expect(validateConfig(defaultConfig({ batchSize: 'all', fraction: 1, lr: 10, clients: 1 }))).toEqual([]);
    expect(validateConfig(defaultConfig({ dataset: { name: 'mnist', size: 0 }, model: { kind: 'cnn' }, clients: 100 }))).toEqual([]);
    expect(validateConfig(defaultConfig({ algorithm: 'dpfedavg', clip: 1, noise: 1 }))).toEqual([]);
  });

  it('never throws on garbage', () => {
    expect(validateConfig(undefined as unknown as RunConfig)).toHaveLength(1);
    expect(validateConfig({} as RunConfig).length).toBeGreaterThan(5);
    expect(validateConfig({ algorithm: 'fedavg', dataset: null, model: null, partition: null } as unknown as RunConfig).length).toBeGreaterThan(5);
  });

  it('run() refuses an invalid config with the problems attached', async () => {
    const it = run(defaultConfig({ lr: -1 }));
    const err = await it.next().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems[0].field).toBe('lr');
  });
});
