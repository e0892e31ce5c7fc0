import { describe, expect, test } from 'vitest';
import {
  KEY_GENERATOR,
  KEY_PRIME,
  aggregate,
  maskTotal,
  modPow,
  prg,
  serverOutcome,
  setupRound,
  shamirCombine,
  shamirSplit,
  signedResidue,
} from '~/engine/privacy';
import { Rng } from '~/engine/rng';

describe('number theory', () => {
  test('modular powers', () => {
    expect(modPow(7, 5)).toBe(16807);
    // Fermat: a^(P−1) = 1 for a prime P.
    expect(modPow(123456789, KEY_PRIME - 1)).toBe(1);
    // 7 is a primitive root of 2³¹ − 1: its order is not a proper divisor of P − 1 = 2·3²·7·11·31·151·331.
    for (const d of [2, 3, 7, 11, 31, 151, 331]) expect(modPow(KEY_GENERATOR, (KEY_PRIME - 1) / d)).not.toBe(1);
  });

  test('Shamir: any t shares give the secret back, t − 1 do not', () => {
    const rng = new Rng(1, 'shamir');
    const secret = 987654321;
    const shares = shamirSplit(secret, 6, 3, rng);
    expect(shamirCombine([shares[0], shares[2], shares[5]])).toBe(secret);
    expect(shamirCombine([shares[1], shares[3], shares[4]])).toBe(secret);
    expect(shamirCombine(shares)).toBe(secret);
    expect(shamirCombine([shares[0], shares[1]])).not.toBe(secret);
  });

  test('signed residues', () => {
    expect(signedResidue(65535, 65536)).toBe(-1);
    expect(signedResidue(5, 65536)).toBe(5);
  });
});

describe('masking', () => {
  test('both ends of every pair derive the same seed (Diffie–Hellman)', () => {
    const r = setupRound({ clients: 5, dim: 3, seed: 9 });
    for (const c of r.clients) {
      for (const pm of c.pairMasks) {
        const back = r.clients[pm.partner].pairMasks.find((x) => x.partner === c.index)!;
        expect(back.seed).toBe(pm.seed);
        expect(back.sign).toBe(-pm.sign as 1 | -1);
        expect(Array.from(back.mask)).toEqual(Array.from(pm.mask));
      }
    }
  });

  test.each([2, 3, 4, 7])('the pairwise masks of %i clients cancel exactly', (n) => {
    for (let seed = 0; seed < 20; seed++) {
      const r = setupRound({ clients: n, dim: 6, seed });
      expect(Array.from(maskTotal(r))).toEqual(new Array(6).fill(0));
      const res = aggregate(r, r.clients.map((c) => c.index));
      expect(res.naive).toEqual(res.trueSum);
    }
  });

  test('a masked update looks uniform whatever the update', () => {
    // Same update (all zeros) for every client over many seeds: masked residues should still
    // spread over Z_R like uniform draws.
    const R = 65536;
    const values: number[] = [];
    for (let seed = 0; seed < 400; seed++) {
      const r = setupRound({ clients: 3, dim: 4, seed, updates: [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]] });
      for (const c of r.clients) values.push(...c.masked);
    }
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = R / Math.sqrt(12) / Math.sqrt(values.length);
    expect(Math.abs(mean - R / 2)).toBeLessThan(4 * sd);
    const lowQuarter = values.filter((v) => v < R / 4).length / values.length;
    expect(Math.abs(lowQuarter - 0.25)).toBeLessThan(4 * Math.sqrt(0.25 * 0.75 / values.length));
  });

  test('PRG is a pure function of its seed', () => {
    expect(Array.from(prg(12345, 8, 65536))).toEqual(Array.from(prg(12345, 8, 65536)));
    expect(Array.from(prg(12345, 8, 65536))).not.toEqual(Array.from(prg(12346, 8, 65536)));
  });

  test('deterministic under a seed', () => {
    const a = setupRound({ clients: 4, dim: 5, seed: 3 });
    const b = setupRound({ clients: 4, dim: 5, seed: 3 });
    const c = setupRound({ clients: 4, dim: 5, seed: 4 });
    expect(a.clients.map((x) => Array.from(x.masked))).toEqual(b.clients.map((x) => Array.from(x.masked)));
    expect(a.clients.map((x) => Array.from(x.masked))).not.toEqual(c.clients.map((x) => Array.from(x.masked)));
  });

  test('given updates are used on the fixed-point grid', () => {
    const r = setupRound({ clients: 3, dim: 2, seed: 1, updates: [[0.5, -0.25], [0.123, 1], [-1, 0]] });
    expect(r.clients[1].update).toEqual([0.12, 1]);
    expect(Array.from(r.clients[0].encoded)).toEqual([50, 65536 - 25]);
    expect(aggregate(r, [0, 1, 2]).naive).toEqual([-0.38, 0.75]);
  });
});

describe('dropouts', () => {
  test('without recovery the sum is garbage; with it the sum is exact', () => {
    for (let seed = 0; seed < 10; seed++) {
      const r = setupRound({ clients: 5, dim: 4, seed });
      const received = [0, 1, 3, 4];
      const bare = aggregate(r, received);
      expect(bare.dropped).toEqual([2]);
      expect(bare.sum).toBeNull();
      expect(bare.naive).not.toEqual(bare.trueSum);
      const fixed = aggregate(r, received, { recover: true });
      expect(fixed.recovered).toBe(true);
      expect(fixed.sum).toEqual(fixed.trueSum);
      // The server rebuilt exactly the dropped client's secret key from the survivors' shares.
      expect(fixed.reconstructed).toEqual([{ client: 2, kind: 'key', value: r.clients[2].secretKey, shares: 4 }]);
    }
  });

  test("the server's outcome: the naive sum without recovery, the recovered one with it", () => {
    const r = setupRound({ clients: 5, dim: 4, seed: 3 });
    expect(serverOutcome(aggregate(r, [0, 1, 2, 3, 4]))).toEqual({ value: aggregate(r, [0, 1, 2, 3, 4]).trueSum, exact: true });
    const bare = aggregate(r, [0, 1, 3, 4]);
    expect(serverOutcome(bare)).toEqual({ value: bare.naive, exact: false });
    const fixed = aggregate(r, [0, 1, 3, 4], { recover: true });
    expect(serverOutcome(fixed)).toEqual({ value: fixed.sum, exact: true });
    // Recovery that fails leaves the server with nothing.
    expect(serverOutcome(aggregate(r, [0, 4], { recover: true }))).toEqual({ value: null, exact: false });
  });

  test('several dropouts are recovered as long as t survivors answer', () => {
    const r = setupRound({ clients: 7, dim: 3, seed: 21 });
    expect(r.threshold).toBe(4);
    const res = aggregate(r, [0, 2, 4, 6], { recover: true });
    expect(res.dropped).toEqual([1, 3, 5]);
    expect(res.sum).toEqual(res.trueSum);
  });

  test('fewer than t survivors: recovery fails, with a Korean explanation', () => {
    const r = setupRound({ clients: 5, dim: 3, seed: 2 });
    const res = aggregate(r, [0, 4], { recover: true });
    expect(res.recovered).toBe(false);
    expect(res.sum).toBeNull();
    expect(res.failure).toMatch(/최소 3명/);
    // Survivors that stop answering in the unmasking round count against t as well.
    const late = aggregate(r, [0, 1, 2, 4], { recover: true, responders: [0, 1] });
    expect(late.recovered).toBe(false);
  });

  test('double masking: even without dropouts the server must unmask, and then the sum is exact', () => {
    const r = setupRound({ clients: 4, dim: 3, seed: 5, doubleMasking: true });
    const all = aggregate(r, [0, 1, 2, 3]);
    expect(all.naive).not.toEqual(all.trueSum);
    const rec = aggregate(r, [0, 1, 2, 3], { recover: true });
    expect(rec.sum).toEqual(rec.trueSum);
    expect(rec.reconstructed.every((x) => x.kind === 'self')).toBe(true);
    const drop = aggregate(r, [0, 1, 3], { recover: true });
    expect(drop.sum).toEqual(drop.trueSum);
    expect(drop.reconstructed.map((x) => `${x.kind}${x.client}`).sort()).toEqual(['key2', 'self0', 'self1', 'self3']);
  });

  test('rejects impossible settings', () => {
    expect(() => setupRound({ clients: 1, dim: 3, seed: 0 })).toThrow(RangeError);
    expect(() => setupRound({ clients: 3, dim: 0, seed: 0 })).toThrow(RangeError);
    expect(() => setupRound({ clients: 3, dim: 2, seed: 0, threshold: 4 })).toThrow(RangeError);
  });
});
