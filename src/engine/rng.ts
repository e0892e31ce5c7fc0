/**
 * Seeded randomness with independent named streams.
 *
 * Every random choice a run makes draws from a stream named after its purpose ('init', 'data',
 * 'partition', 'shuffle/3', 'sampling', 'dp-noise'). A stream's sequence depends only on the run
 * seed and its name, never on how much another stream has been used. That is what lets two
 * algorithms run with the same seed start from the same weights on the same data, and what makes
 * FedAvg with one client replay centralized training batch for batch: both draw client 0's
 * shuffles from 'shuffle/0'.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's small fast counting generator, 128-bit state),
 * seeded through cyrb128. Both use only 32-bit integer arithmetic, so the sequences are identical
 * in every JavaScript engine; the derived floats (normal, gamma) use Math.log/cos/pow, which V8
 * computes the same way in Node and in Chromium.
 */

/** Hashes a string to four 32-bit words (cyrb128); used only to seed streams. */
function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** One deterministic stream of random numbers. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** A cached second normal deviate from Box–Muller (NaN when empty). */
  private spare = Number.NaN;

  /**
   * @param seed the run seed (any integer; reduced to uint32)
   * @param name the stream's purpose; different names give independent sequences
   */
  constructor(
    readonly seed: number,
    readonly name: string,
  ) {
    [this.a, this.b, this.c, this.d] = cyrb128(`${seed >>> 0}/${name}`);
    // Discard the first outputs: sfc32 mixes a fresh state poorly for a few steps.
    for (let i = 0; i < 15; i++) this.uint32();
  }

  /** An independent stream derived from the same seed, e.g. rng.stream('shuffle/3'). */
  stream(name: string): Rng {
    return new Rng(this.seed, name);
  }

  /** Next 32-bit unsigned integer (sfc32). */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling). */
  int(n: number): number {
    if (!(n >= 1) || n > 4294967296) throw new RangeError(`Rng.int: bad range ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    let x = this.uint32();
    while (x >= limit) x = this.uint32();
    return x % n;
  }

  /** Standard normal deviate (Box–Muller, both deviates used). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = Number.NaN;
      return s;
    }
    const u = 1 - this.next(); // (0, 1]: log(u) is finite
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Gamma(shape, 1) deviate (Marsaglia–Tsang; shape < 1 by the u^(1/shape) boost). */
  gamma(shape: number): number {
    if (!(shape > 0)) throw new RangeError(`Rng.gamma: shape must be > 0, got ${shape}`);
    if (shape < 1) {
      const u = 1 - this.next();
      return this.gamma(shape + 1) * Math.pow(u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /**
   * Dirichlet(α·1_k) sample via normalised Gammas. For tiny α every Gamma can underflow to 0;
   * then the mass goes to one uniformly chosen component, which is the α → 0 limit.
   */
  dirichlet(alpha: number, k: number): number[] {
    const g = Array.from({ length: k }, () => this.gamma(alpha));
    const sum = g.reduce((s, x) => s + x, 0);
    if (!(sum > 0) || !Number.isFinite(sum)) {
      const out = new Array<number>(k).fill(0);
      out[this.int(k)] = 1;
      return out;
    }
    return g.map((x) => x / sum);
  }

  /** Shuffles in place (Fisher–Yates) and returns the array. */
  shuffle<T extends { length: number; [i: number]: unknown }>(arr: T): T {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = arr[i];
      arr[i] = arr[j];
      arr[j] = t;
    }
    return arr;
  }

  /** A uniformly random permutation of 0…n−1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** m distinct integers from 0…n−1, uniformly without replacement, sorted ascending. */
  sample(n: number, m: number): number[] {
    if (m > n || m < 0) throw new RangeError(`Rng.sample: cannot draw ${m} of ${n}`);
    const p = Array.from({ length: n }, (_, i) => i);
    // Partial Fisher–Yates: only the first m positions are needed.
    for (let i = 0; i < m; i++) {
      const j = i + this.int(n - i);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p.slice(0, m).sort((x, y) => x - y);
  }
}
