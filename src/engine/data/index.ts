/**
 * Dataset loading: the 2D synthetic sets are generated, digits and MNIST are read from a
 * DataSource (files in Node, fetch in a worker) and cached per source.
 */
import type { DataSource, DatasetConfig, DatasetName } from '../types';
import { Rng } from '../rng';
import { decodeImageSet, gunzipIfNeeded, type ImageSet } from './format';
import { makeSynthetic, SYNTHETIC_CLASSES, SYNTHETIC_EXTENT, type SyntheticName } from './synthetic';

export { SYNTHETIC_EXTENT } from './synthetic';

/** One split of a dataset. Features are produced on demand so that MNIST stays as bytes. */
export interface Split {
  /** Number of examples. */
  n: number;
  /** Class labels, 0 … numClasses−1. */
  labels: Int32Array;
  /** Row-major float features (n × inputSize) of the given examples (default: all, in order). */
  features(indices?: ArrayLike<number>): Float32Array;
}

export interface Dataset {
  name: DatasetName;
  /** Per-example input shape: [2] for 2D data, [height, width, channels] for images. */
  inputShape: number[];
  /** Product of inputShape. */
  inputSize: number;
  numClasses: number;
  train: Split;
  test: Split;
  /** 2D data: the square the points (and the boundary grid) live in. */
  extent?: [number, number];
  /** For the 2D sets: raw points, to show them. */
  points?: { train: { xy: Float32Array; labels: Int32Array }; test: { xy: Float32Array; labels: Int32Array } };
  /** Where the examples came from, e.g. 'mnist (full 60000/10000)'. */
  origin: string;
}

export const SYNTHETIC_NAMES: readonly SyntheticName[] = ['circles', 'moons', 'xor', 'spiral', 'blobs'];

export function isSynthetic(name: DatasetName): name is SyntheticName {
  return (SYNTHETIC_NAMES as readonly string[]).includes(name);
}

/** Per-example input shape and class count of a data set, known before it is loaded. */
export function datasetShape(name: SyntheticName | 'digits' | 'mnist'): { inputShape: number[]; classes: number } {
  if (isSynthetic(name)) return { inputShape: [2], classes: SYNTHETIC_CLASSES[name] };
  return { inputShape: DATASET_INFO[name].inputShape, classes: DATASET_INFO[name].classes };
}

/** Files under public/data the loaders read. */
export const DATA_FILES = { digits: 'digits.bin.gz', mnistSubset: 'mnist-subset.bin.gz' } as const;

/** Known sizes, so a config can be validated before any file is read. */
export const DATASET_INFO: Record<'digits' | 'mnist', { train: number; test: number; browserTrain: number; classes: number; inputShape: number[] }> = {
  digits: { train: 1437, test: 360, browserTrain: 1437, classes: 10, inputShape: [8, 8, 1] },
  mnist: { train: 60000, test: 10000, browserTrain: 10000, classes: 10, inputShape: [28, 28, 1] },
};

/** A DataSource that fetches files from a URL prefix (a worker's view of public/data). */
export function urlDataSource(prefix: string, fetchImpl: typeof fetch = fetch): DataSource {
  const base = prefix.endsWith('/') ? prefix : prefix + '/';
  return {
    async read(file) {
      const res = await fetchImpl(base + file);
      if (!res.ok) throw new Error(`${base + file}: HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    },
  };
}

const imageCache = new WeakMap<DataSource, Map<string, Promise<ImageSet>>>();

function cachedImages(source: DataSource, key: string, load: () => Promise<Uint8Array>): Promise<ImageSet> {
  let m = imageCache.get(source);
  if (!m) imageCache.set(source, (m = new Map()));
  let p = m.get(key);
  if (!p) {
    p = load().then(gunzipIfNeeded).then(decodeImageSet);
    // A failed read should not poison the cache: the next run may have a working network.
    p.catch(() => m.delete(key));
    m.set(key, p);
  }
  return p;
}

function imageSplit(set: ImageSet, from: number, count: number): Split {
  const px = set.height * set.width * set.channels;
  const scale = 1 / set.maxValue;
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) labels[i] = set.labels[from + i];
  return {
    n: count,
    labels,
    features(indices) {
      const m = indices ? indices.length : count;
      const out = new Float32Array(m * px);
      for (let r = 0; r < m; r++) {
        const i = indices ? indices[r] : r;
        const src = (from + i) * px;
        const dst = r * px;
        for (let j = 0; j < px; j++) out[dst + j] = set.pixels[src + j] * scale;
      }
      return out;
    },
  };
}

function imageDataset(name: 'digits' | 'mnist', set: ImageSet, cap: number, origin: string): Dataset {
  const nTrain = cap > 0 ? Math.min(cap, set.trainCount) : set.trainCount;
  return {
    name,
    inputShape: [set.height, set.width, set.channels],
    inputSize: set.height * set.width * set.channels,
    numClasses: set.numClasses,
    train: imageSplit(set, 0, nTrain),
    test: imageSplit(set, set.trainCount, set.testCount),
    origin,
  };
}

/** UCI optdigits (8×8, 0…16 scaled to [0, 1]); 1,437 training and 360 test images. */
export async function loadDigits(source: DataSource, cap = 0): Promise<Dataset> {
  const set = await cachedImages(source, DATA_FILES.digits, () => source.read(DATA_FILES.digits));
  return imageDataset('digits', set, cap, `digits (${set.trainCount}/${set.testCount})`);
}

/**
 * MNIST (28×28, scaled to [0, 1]): the full 60,000/10,000 when the source offers it (Node),
 * otherwise the browser subset (the first 10,000 training and 2,000 test images).
 */
export async function loadMnist(source: DataSource, cap = 0): Promise<Dataset> {
  const full = source.mnistFull;
  const set = full
    ? await cachedImages(source, 'mnist-full', full)
    : await cachedImages(source, DATA_FILES.mnistSubset, () => source.read(DATA_FILES.mnistSubset));
  const kind = full ? 'full' : 'subset';
  return imageDataset('mnist', set, cap, `mnist ${kind} (${set.trainCount}/${set.testCount})`);
}

function pointSplit(xy: Float32Array, labels: Int32Array): Split {
  return {
    n: labels.length,
    labels,
    features(indices) {
      if (!indices) return xy.slice();
      const out = new Float32Array(indices.length * 2);
      for (let r = 0; r < indices.length; r++) {
        out[2 * r] = xy[2 * indices[r]];
        out[2 * r + 1] = xy[2 * indices[r] + 1];
      }
      return out;
    },
  };
}

/** A 2D synthetic set drawn from the 'data' stream of `seed`. */
export function loadSynthetic(name: SyntheticName, size: number, noise: number, seed: number): Dataset {
  const { train, test } = makeSynthetic(name, size, noise, new Rng(seed, 'data'));
  return {
    name,
    inputShape: [2],
    inputSize: 2,
    numClasses: SYNTHETIC_CLASSES[name],
    train: pointSplit(train.xy, train.labels),
    test: pointSplit(test.xy, test.labels),
    extent: [...SYNTHETIC_EXTENT],
    points: { train, test },
    origin: `${name} (${size}/${size}, noise ${noise})`,
  };
}

/** Loads the dataset a config names. Digits and MNIST need a source; the 2D sets do not. */
export async function loadDataset(cfg: DatasetConfig, seed: number, source?: DataSource): Promise<Dataset> {
  if (isSynthetic(cfg.name)) return loadSynthetic(cfg.name, cfg.size, cfg.noise, seed);
  if (!source) {
    throw new Error(`dataset '${cfg.name}' needs a data source (RunOptions.data or RunOptions.dataUrl)`);
  }
  return cfg.name === 'digits' ? loadDigits(source, cfg.size) : loadMnist(source, cfg.size);
}
