/**
 * The 2D synthetic datasets of the playground. Every set lies roughly in [−1, 1]²; `noise`
 * (0…1) adds isotropic Gaussian jitter of standard deviation 0.25·noise (blobs: it also widens the
 * blobs). Training and test points are drawn independently from the same distribution, test
 * size = training size, both from the run's 'data' stream.
 */
import type { Rng } from '../rng';

export type SyntheticName = 'circles' | 'moons' | 'xor' | 'spiral' | 'blobs';

/** Points and labels of one split. */
export interface PointSet {
  /** x0, x1 interleaved. */
  xy: Float32Array;
  labels: Int32Array;
}

/** The square every synthetic set is drawn in; the boundary grid covers it. */
export const SYNTHETIC_EXTENT: [number, number] = [-1.6, 1.6];

export const SYNTHETIC_CLASSES: Record<SyntheticName, number> = {
  circles: 2,
  moons: 2,
  xor: 2,
  spiral: 2,
  blobs: 4,
};

const NOISE_SCALE = 0.25;

type Gen = (rng: Rng, label: number, noise: number) => [number, number];

const generators: Record<SyntheticName, Gen> = {
  // Class 1 fills a disc of radius 0.5, class 0 a ring from 0.7 to 1.0.
  circles(rng, label) {
    const r = label === 1 ? 0.5 * Math.sqrt(rng.next()) : 0.7 + 0.3 * rng.next();
    const t = 2 * Math.PI * rng.next();
    return [r * Math.cos(t), r * Math.sin(t)];
  },
  // scikit-learn's two interleaved half circles, centred and scaled by 0.6.
  moons(rng, label) {
    const t = Math.PI * rng.next();
    const [x, y] = label === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    return [0.6 * (x - 0.5), 0.6 * (y - 0.25)];
  },
  // Quadrants with a small gap around the axes, like the TensorFlow Playground's XOR.
  xor(rng, label) {
    const pad = 0.1;
    let x = pad + (1 - pad) * rng.next();
    let y = pad + (1 - pad) * rng.next();
    if (rng.next() < 0.5) x = -x;
    // label 1 when the signs agree
    y = (x > 0) === (label === 1) ? y : -y;
    return [x, y];
  },
  // Two interleaved arms (the Playground's spiral), radius up to 1.
  spiral(rng, label) {
    const s = rng.next();
    const r = 0.05 + 0.95 * s;
    const t = 1.75 * s * 2 * Math.PI + (label === 1 ? Math.PI : 0);
    return [r * Math.sin(t), r * Math.cos(t)];
  },
  // Four blobs at (±0.5, ±0.5); class = quadrant index.
  blobs(rng, label, noise) {
    const cx = label % 2 === 0 ? -0.5 : 0.5;
    const cy = label < 2 ? 0.5 : -0.5;
    const sd = 0.15 + 0.1 * noise;
    return [cx + sd * rng.normal(), cy + sd * rng.normal()];
  },
};

/** n points with classes in turn (0, 1, 0, 1, … so the classes are balanced), then jittered. */
function draw(name: SyntheticName, rng: Rng, n: number, noise: number): PointSet {
  const classes = SYNTHETIC_CLASSES[name];
  const xy = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  const sd = NOISE_SCALE * noise;
  for (let i = 0; i < n; i++) {
    const label = i % classes;
    const [x, y] = generators[name](rng, label, noise);
    const jx = sd > 0 && name !== 'blobs' ? sd * rng.normal() : 0;
    const jy = sd > 0 && name !== 'blobs' ? sd * rng.normal() : 0;
    xy[2 * i] = x + jx;
    xy[2 * i + 1] = y + jy;
    labels[i] = label;
  }
  return { xy, labels };
}

/** Training and test sets of a synthetic dataset, each of `size` points. */
export function makeSynthetic(
  name: SyntheticName,
  size: number,
  noise: number,
  rng: Rng,
): { train: PointSet; test: PointSet; classes: number } {
  const train = draw(name, rng, size, noise);
  const test = draw(name, rng, size, noise);
  return { train, test, classes: SYNTHETIC_CLASSES[name] };
}
