import { describe, expect, it } from 'vitest';
import { ConfigError } from '~/engine/config';
import { partition, minClientSize } from '~/engine/partition';
import { loadDigits } from '~/engine/data/index';
import { nodeDataSource } from '~/engine/node';
import { Rng } from '~/engine/rng';
import type { PartitionConfig } from '~/engine/types';

const labels = (await loadDigits(nodeDataSource())).train.labels; // 1,437 labels, 10 classes
const n = labels.length;
const cfg = (kind: PartitionConfig['kind'], over: Partial<PartitionConfig> = {}): PartitionConfig => ({ kind, alpha: 0.5, shardsPerClient: 2, ...over });

function expectExactCover(clients: Int32Array[]) {
  const all = clients.flatMap((c) => Array.from(c)).sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
}

function classesHeld(h: number[]) {
  return h.filter((c) => c > 0).length;
}

/** Mean over clients of the entropy (bits) of their label distribution. */
function meanEntropy(hists: number[][]) {
  return (
    hists.reduce((s, h) => {
      const t = h.reduce((a, b) => a + b, 0);
      return s - h.reduce((e, c) => (c ? e + (c / t) * Math.log2(c / t) : e), 0);
    }, 0) / hists.length
  );
}

describe('partitions', () => {
  it('IID: every example once, sizes within one, histograms match', () => {
    const p = partition(cfg('iid'), labels, 10, 10, new Rng(1, 'partition'));
    expectExactCover(p.clients);
    const sizes = p.clients.map((c) => c.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    p.clients.forEach((c, k) => {
      expect(p.histograms[k].reduce((a, b) => a + b, 0)).toBe(c.length);
      expect(p.histograms[k][labels[c[0]]]).toBeGreaterThan(0);
      expect(classesHeld(p.histograms[k])).toBe(10);
    });
    expect(meanEntropy(p.histograms)).toBeGreaterThan(3.2);
  });

  it('label shards: two shards per client give at most four classes, mostly two', () => {
    const p = partition(cfg('shards', { shardsPerClient: 2 }), labels, 10, 10, new Rng(1, 'partition'));
    expectExactCover(p.clients);
    const held = p.histograms.map(classesHeld);
    expect(Math.max(...held)).toBeLessThanOrEqual(4);
    expect(held.reduce((a, b) => a + b, 0) / held.length).toBeLessThanOrEqual(3);
    const one = partition(cfg('shards', { shardsPerClient: 1 }), labels, 10, 20, new Rng(1, 'partition'));
    expect(Math.max(...one.histograms.map(classesHeld))).toBeLessThanOrEqual(2);
  });

  it('Dirichlet: small α skews labels, large α is close to IID, nobody is starved', () => {
    const skewed = partition(cfg('dirichlet', { alpha: 0.1 }), labels, 10, 10, new Rng(1, 'partition'));
    const even = partition(cfg('dirichlet', { alpha: 100 }), labels, 10, 10, new Rng(1, 'partition'));
    expectExactCover(skewed.clients);
    expectExactCover(even.clients);
    expect(meanEntropy(skewed.histograms)).toBeLessThan(2);
    expect(meanEntropy(even.histograms)).toBeGreaterThan(3.1);
    expect(Math.min(...skewed.clients.map((c) => c.length))).toBeGreaterThanOrEqual(minClientSize(n, 10));
  });

  it('Dirichlet: as α → 0 with more clients than classes it stops with a Korean and English message', () => {
    // Each class goes almost whole to one client, so 20 clients share 10 classes: some get nothing.
    let thrown: unknown = null;
    try {
      partition(cfg('dirichlet', { alpha: 0.001 }), labels, 10, 20, new Rng(1, 'partition'));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const [problem] = (thrown as ConfigError).problems;
    expect(problem.field).toBe('partition.alpha');
    expect(problem.ko).toMatch(/디리클레 분할: α = 0\.001, 클라이언트 20명으로 1000번/);
    expect(problem.ko).toContain('α를 키우거나 클라이언트 수를 줄이세요');
    expect(problem.en).toMatch(/raise α or use fewer clients/);
    // Not a blanket refusal: the same 20 clients with a moderate α, or with few clients and the
    // tiny α, are partitioned, and nobody is left empty.
    const moderate = partition(cfg('dirichlet', { alpha: 0.5 }), labels, 10, 20, new Rng(1, 'partition'));
    expect(Math.min(...moderate.clients.map((c) => c.length))).toBeGreaterThanOrEqual(minClientSize(n, 20));
    const few = partition(cfg('dirichlet', { alpha: 0.001 }), labels, 10, 3, new Rng(1, 'partition'));
    expectExactCover(few.clients);
    expect(Math.min(...few.clients.map((c) => c.length))).toBeGreaterThan(0);
  });

  it('quantity skew: unequal sizes, IID labels, a minimum size', () => {
    const p = partition(cfg('quantity', { alpha: 0.5 }), labels, 10, 10, new Rng(1, 'partition'));
    expectExactCover(p.clients);
    const sizes = p.clients.map((c) => c.length);
    expect(Math.max(...sizes) / Math.min(...sizes)).toBeGreaterThan(3);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(minClientSize(n, 10));
    const biggest = p.histograms[sizes.indexOf(Math.max(...sizes))];
    expect(classesHeld(biggest)).toBe(10);
  });

  it('is a function of the partition stream only', () => {
    for (const kind of ['iid', 'shards', 'dirichlet', 'quantity'] as const) {
      const a = partition(cfg(kind), labels, 10, 7, new Rng(3, 'partition'));
      const b = partition(cfg(kind), labels, 10, 7, new Rng(3, 'partition'));
      const c = partition(cfg(kind), labels, 10, 7, new Rng(4, 'partition'));
      expect(b.clients).toEqual(a.clients);
      expect(c.clients).not.toEqual(a.clients);
    }
  });
});
