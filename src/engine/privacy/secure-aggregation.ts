/**
 * Secure aggregation with pairwise masks — Bonawitz et al. 2017, "Practical Secure Aggregation
 * for Privacy-Preserving Machine Learning" (CCS 2017, https://eprint.iacr.org/2017/281).
 *
 * Every pair of clients u < v agrees on a seed s_uv (Diffie–Hellman: s_uv = A_v^{a_u} = A_u^{a_v}).
 * A pseudo-random generator expands it into a mask vector PRG(s_uv) over Z_R; u adds it and v
 * subtracts it, so in the sum of all masked updates y_u = x_u + Σ_{v>u} PRG(s_uv) − Σ_{v<u} PRG(s_vu)
 * (mod R) every mask meets its negative and the server learns Σ x_u exactly, and nothing else.
 *
 * Dropouts: if client d never sends y_d, the masks it shares with the others stay in the sum and
 * the result is noise. The protocol therefore has every client split its secret key a_u into
 * t-of-n Shamir shares, one for each other client, before anyone sends an update. When d drops
 * out, at least t survivors send the server their shares of a_d; the server reconstructs a_d,
 * recomputes s_dv for every survivor v, and removes those masks. With fewer than t survivors
 * nothing can be reconstructed — which is also what stops a server from unmasking one client by
 * pretending everyone else dropped out.
 *
 * With `doubleMasking` each client also adds a self-mask PRG(b_u), b_u shared the same way. The
 * server then asks, for each client, either for shares of b_u (it sent its update) or for shares
 * of a_u (it dropped out), never both, so an update that arrives late after its pairwise masks
 * were reconstructed still stays hidden. (The paper's protocol also signs and encrypts the
 * shares; that is not modelled here.)
 *
 * The numbers are toy-sized so the page can show them: the key exchange runs in the
 * multiplicative group modulo the prime P = 2³¹ − 1 with generator 7, and the masks live in
 * Z_R with R = 2¹⁶ by default. Real deployments use elliptic-curve keys and larger groups. Updates
 * are real numbers encoded in fixed point (round(x·scale) mod R); the sum is decoded as a signed
 * residue, which is exact as long as |Σ round(x·scale)| < R/2.
 */
import { Rng } from '../rng';

/** The prime modulus of the toy key exchange and of the Shamir field, 2³¹ − 1. */
export const KEY_PRIME = 2147483647;
/** A primitive root modulo KEY_PRIME (the Park–Miller generator's base). */
export const KEY_GENERATOR = 7;

const P = BigInt(KEY_PRIME);

/** b^e mod P with BigInt (products of two 31-bit numbers do not fit a double). */
export function modPow(base: number, exp: number, mod = KEY_PRIME): number {
  let b = BigInt(base) % BigInt(mod);
  let e = BigInt(exp);
  const m = BigInt(mod);
  let r = 1n;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return Number(r);
}

/** One Shamir share: the polynomial evaluated at x (x = client index + 1, never 0). */
export interface Share {
  x: number;
  y: number;
}

/** Splits `secret` (in [0, P)) into n shares, any t of which recover it (degree t − 1 polynomial). */
export function shamirSplit(secret: number, n: number, t: number, rng: Rng): Share[] {
  const coeffs = [BigInt(secret)];
  for (let i = 1; i < t; i++) coeffs.push(BigInt(rng.int(KEY_PRIME)));
  const shares: Share[] = [];
  for (let x = 1; x <= n; x++) {
    let y = 0n;
    const bx = BigInt(x);
    for (let i = coeffs.length - 1; i >= 0; i--) y = (y * bx + coeffs[i]) % P;
    shares.push({ x, y: Number(y) });
  }
  return shares;
}

/** Lagrange interpolation at 0 over GF(P). Needs at least t distinct shares to give the secret. */
export function shamirCombine(shares: Share[]): number {
  let acc = 0n;
  for (let i = 0; i < shares.length; i++) {
    let num = 1n;
    let den = 1n;
    const xi = BigInt(shares[i].x);
    for (let j = 0; j < shares.length; j++) {
      if (j === i) continue;
      const xj = BigInt(shares[j].x);
      num = (num * ((P - xj) % P)) % P;
      den = (den * ((((xi - xj) % P) + P) % P)) % P;
    }
    const inv = BigInt(modPow(Number(den), KEY_PRIME - 2));
    acc = (acc + ((BigInt(shares[i].y) * num) % P) * inv) % P;
  }
  return Number(acc);
}

/** PRG(seed): a mask vector of `dim` residues in Z_R, a pure function of the seed. */
export function prg(seed: number, dim: number, modulus: number): Uint32Array {
  const rng = new Rng(seed, 'secagg/prg');
  const out = new Uint32Array(dim);
  for (let i = 0; i < dim; i++) out[i] = rng.int(modulus);
  return out;
}

/** Settings of one round of secure aggregation. */
export interface SecAggOptions {
  /** n: number of clients (2…64). */
  clients: number;
  /** Length of each update vector (1…64). */
  dim: number;
  seed: number;
  /** R: masks and encoded updates live in Z_R (power of two not required; default 2¹⁶). */
  modulus?: number;
  /** Fixed-point scale: x is sent as round(x·scale) (default 100: two decimals). */
  scale?: number;
  /** t: shares needed to reconstruct a key (default ⌊n/2⌋ + 1, the paper's honest-majority choice). */
  threshold?: number;
  /** Add self-masks b_u (the paper's double masking). Default false. */
  doubleMasking?: boolean;
  /**
   * The clients' real updates (n × dim). Default: drawn from 'secagg/updates', uniform in [−1, 1]
   * rounded to the fixed-point grid.
   */
  updates?: number[][];
}

/** The mask a client adds for one partner. */
export interface PairMask {
  /** The other client. */
  partner: number;
  /** +1 when this client has the smaller index (adds the mask), −1 otherwise (subtracts it). */
  sign: 1 | -1;
  /** s_uv, the agreed seed. */
  seed: number;
  /** PRG(s_uv) in Z_R (before the sign). */
  mask: Uint32Array;
}

/** Everything one client holds and sends. */
export interface SecAggClient {
  index: number;
  /** x_u: the real update. */
  update: number[];
  /** round(x_u·scale) mod R. */
  encoded: Uint32Array;
  /** a_u, the secret key; A_u = g^{a_u} mod P, the public key. */
  secretKey: number;
  publicKey: number;
  pairMasks: PairMask[];
  /** b_u and PRG(b_u) with double masking, else null. */
  selfSeed: number | null;
  selfMask: Uint32Array | null;
  /** y_u: what the server receives. Looks uniformly random on its own. */
  masked: Uint32Array;
  /** The Shamir shares of a_u (and b_u), share j held by client j. */
  keyShares: Share[];
  selfShares: Share[] | null;
}

/** A set-up round: all clients with their masked updates. */
export interface SecAggRound {
  n: number;
  dim: number;
  modulus: number;
  scale: number;
  threshold: number;
  doubleMasking: boolean;
  clients: SecAggClient[];
}

function checkOptions(o: SecAggOptions): { modulus: number; scale: number; threshold: number } {
  const modulus = o.modulus ?? 65536;
  const scale = o.scale ?? 100;
  const threshold = o.threshold ?? Math.floor(o.clients / 2) + 1;
  if (!Number.isInteger(o.clients) || o.clients < 2 || o.clients > 64) throw new RangeError('secure aggregation: clients must be an integer in 2…64');
  if (!Number.isInteger(o.dim) || o.dim < 1 || o.dim > 64) throw new RangeError('secure aggregation: dim must be an integer in 1…64');
  if (!Number.isInteger(modulus) || modulus < 2 || modulus > 2 ** 32) throw new RangeError('secure aggregation: modulus must be an integer in 2…2^32');
  if (!(scale > 0)) throw new RangeError('secure aggregation: scale must be positive');
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > o.clients) throw new RangeError('secure aggregation: threshold must be in 1…clients');
  return { modulus, scale, threshold };
}

/** x mod R in [0, R). */
function mod(x: number, R: number): number {
  const r = x % R;
  return r < 0 ? r + R : r;
}

/** A residue read as a signed integer in [−R/2, R/2). */
export function signedResidue(r: number, modulus: number): number {
  return r >= modulus / 2 ? r - modulus : r;
}

/** Sets up one round: keys, pairwise seeds, masks, shares and every masked update. */
export function setupRound(opts: SecAggOptions): SecAggRound {
  const { modulus, scale, threshold } = checkOptions(opts);
  const n = opts.clients;
  const dim = opts.dim;
  const doubleMasking = opts.doubleMasking ?? false;
  const root = new Rng(opts.seed, 'secagg');

  const updateRng = root.stream('secagg/updates');
  const updates = Array.from({ length: n }, (_, u) =>
    Array.from({ length: dim }, (_, i) => {
      const given = opts.updates?.[u]?.[i];
      const x = given !== undefined && Number.isFinite(given) ? given : updateRng.uniform(-1, 1);
      return Math.round(x * scale) / scale;
    }),
  );

  // Each client's key pair and self-mask seed from its own stream: adding a client does not change
  // the others' keys.
  const secretKeys = Array.from({ length: n }, (_, u) => 1 + root.stream(`secagg/key/${u}`).int(KEY_PRIME - 2));
  const publicKeys = secretKeys.map((a) => modPow(KEY_GENERATOR, a));
  const selfSeeds = doubleMasking ? Array.from({ length: n }, (_, u) => root.stream(`secagg/self/${u}`).int(KEY_PRIME)) : null;

  const clients: SecAggClient[] = [];
  for (let u = 0; u < n; u++) {
    const encoded = new Uint32Array(dim);
    for (let i = 0; i < dim; i++) encoded[i] = mod(Math.round(updates[u][i] * scale), modulus);
    const masked = encoded.slice();
    const pairMasks: PairMask[] = [];
    for (let v = 0; v < n; v++) {
      if (v === u) continue;
      const seed = modPow(publicKeys[v], secretKeys[u]);
      const mask = prg(seed, dim, modulus);
      const sign: 1 | -1 = u < v ? 1 : -1;
      for (let i = 0; i < dim; i++) masked[i] = mod(masked[i] + sign * mask[i], modulus);
      pairMasks.push({ partner: v, sign, seed, mask });
    }
    let selfMask: Uint32Array | null = null;
    if (selfSeeds) {
      selfMask = prg(selfSeeds[u], dim, modulus);
      for (let i = 0; i < dim; i++) masked[i] = mod(masked[i] + selfMask[i], modulus);
    }
    const shareRng = root.stream(`secagg/shares/${u}`);
    clients.push({
      index: u,
      update: updates[u],
      encoded,
      secretKey: secretKeys[u],
      publicKey: publicKeys[u],
      pairMasks,
      selfSeed: selfSeeds ? selfSeeds[u] : null,
      selfMask,
      masked,
      keyShares: shamirSplit(secretKeys[u], n, threshold, shareRng),
      selfShares: selfSeeds ? shamirSplit(selfSeeds[u], n, threshold, shareRng) : null,
    });
  }
  return { n, dim, modulus, scale, threshold, doubleMasking, clients };
}

/** The mask client u's update carries for partner v (with its sign), recomputed from a seed. */
function signedPairMask(u: number, v: number, seed: number, dim: number, modulus: number): Float64Array {
  const m = prg(seed, dim, modulus);
  const out = new Float64Array(dim);
  for (let i = 0; i < dim; i++) out[i] = u < v ? m[i] : -m[i];
  return out;
}

/** How the server's unmasking went. */
export interface SecAggResult {
  /** Clients whose masked update reached the server (U1). */
  received: number[];
  /** Clients that dropped out before sending (not in U1). */
  dropped: number[];
  /** Σ_{u∈U1} y_u mod R: what simply adding the received updates gives. */
  rawSum: Uint32Array;
  /** rawSum decoded as if it were the answer: the true sum only without dropouts (and self-masks). */
  naive: number[];
  /** Whether recovery was attempted. */
  recover: boolean;
  /** Recovery succeeded: every needed secret was reconstructed from at least t shares. */
  recovered: boolean;
  /** The secrets the server reconstructed: dropped clients' keys, survivors' self-mask seeds. */
  reconstructed: { client: number; kind: 'key' | 'self'; value: number; shares: number }[];
  /** The recovered sum (decoded), or null when recovery was not attempted or failed. */
  sum: number[] | null;
  /** Σ_{u∈U1} x_u, the answer the protocol should give. */
  trueSum: number[];
  /** Korean explanation of a failed recovery, else null. */
  failure: string | null;
}

/**
 * The server's side. `received` (U1) sent masked updates; `responders` (U2 ⊆ U1, default U1) answer
 * in the unmasking round with their shares. Without `recover` the server just adds what it got.
 */
export function aggregate(round: SecAggRound, received: number[], opts: { recover?: boolean; responders?: number[] } = {}): SecAggResult {
  const { n, dim, modulus, scale, threshold, clients } = round;
  const U1 = [...new Set(received)].filter((u) => u >= 0 && u < n).sort((a, b) => a - b);
  const inU1 = new Set(U1);
  const dropped = clients.map((c) => c.index).filter((u) => !inU1.has(u));
  const U2 = (opts.responders ?? U1).filter((u) => inU1.has(u));
  const recover = opts.recover ?? false;

  const rawSum = new Uint32Array(dim);
  const trueInt = new Float64Array(dim);
  for (const u of U1) {
    for (let i = 0; i < dim; i++) {
      rawSum[i] = mod(rawSum[i] + clients[u].masked[i], modulus);
      trueInt[i] += Math.round(clients[u].update[i] * scale);
    }
  }
  const decode = (r: ArrayLike<number>) => Array.from(r, (x) => signedResidue(x, modulus) / scale);
  const naive = decode(rawSum);
  const trueSum = Array.from(trueInt, (x) => x / scale);
  const result: SecAggResult = { received: U1, dropped, rawSum, naive, recover, recovered: false, reconstructed: [], sum: null, trueSum, failure: null };
  if (!recover) return result;

  const needed = dropped.length + (round.doubleMasking ? U1.length : 0);
  if (needed > 0 && U2.length < threshold) {
    result.failure = `응답한 클라이언트가 ${U2.length}명뿐이라 비밀을 복원할 수 없습니다(최소 ${threshold}명의 조각이 필요합니다).`;
    return result;
  }
  if (U1.length === 0) {
    result.failure = '마스킹된 업데이트를 보낸 클라이언트가 없습니다.';
    return result;
  }

  const acc = Float64Array.from(rawSum);
  // Dropped clients: rebuild a_d from the survivors' shares, recompute s_dv = A_v^{a_d} and take
  // out the mask each survivor v added for d.
  for (const d of dropped) {
    const shares = U2.map((v) => clients[d].keyShares[v]);
    const a = shamirCombine(shares);
    result.reconstructed.push({ client: d, kind: 'key', value: a, shares: shares.length });
    for (const v of U1) {
      const seed = modPow(clients[v].publicKey, a);
      const m = signedPairMask(v, d, seed, dim, modulus);
      for (let i = 0; i < dim; i++) acc[i] -= m[i];
    }
  }
  // Survivors' self-masks (double masking): rebuild b_u and take PRG(b_u) out.
  if (round.doubleMasking) {
    for (const u of U1) {
      const shares = U2.map((v) => clients[u].selfShares![v]);
      const b = shamirCombine(shares);
      result.reconstructed.push({ client: u, kind: 'self', value: b, shares: shares.length });
      const m = prg(b, dim, modulus);
      for (let i = 0; i < dim; i++) acc[i] -= m[i];
    }
  }
  result.recovered = true;
  result.sum = decode(Array.from(acc, (x) => mod(x, modulus)));
  return result;
}

/**
 * What the server ends with: the recovered sum when recovery ran (null if it failed), else the
 * naive one; and whether that is the true sum (to rounding).
 */
export function serverOutcome(result: Pick<SecAggResult, 'recover' | 'sum' | 'naive' | 'trueSum'>): { value: number[] | null; exact: boolean } {
  const value = result.recover ? result.sum : result.naive;
  const exact = value !== null && value.length === result.trueSum.length && value.every((x, i) => Math.abs(x - result.trueSum[i]) < 1e-9);
  return { value, exact };
}

/** Σ over all clients of their signed pairwise masks, mod R: the zero vector (the masks cancel). */
export function maskTotal(round: SecAggRound): Uint32Array {
  const out = new Uint32Array(round.dim);
  for (const c of round.clients) for (const pm of c.pairMasks) for (let i = 0; i < round.dim; i++) out[i] = mod(out[i] + pm.sign * pm.mask[i], round.modulus);
  return out;
}
