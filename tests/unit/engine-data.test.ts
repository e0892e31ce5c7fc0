import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset, loadDigits, loadMnist, loadSynthetic, urlDataSource, SYNTHETIC_EXTENT } from '~/engine/data/index';
import { decodeImageSet, encodeImageSet, gunzipIfNeeded } from '~/engine/data/format';
import { nodeDataSource, PUBLIC_DATA_DIR } from '~/engine/node';
import { gunzipSync } from 'node:zlib';

const counts = (labels: ArrayLike<number>, classes: number) => {
  const h = new Array(classes).fill(0);
  for (let i = 0; i < labels.length; i++) h[labels[i]]++;
  return h;
};

describe('synthetic 2D sets', () => {
  const names = ['circles', 'moons', 'xor', 'spiral', 'blobs'] as const;

  it.each(names)('%s: sizes, balanced classes, inside the extent, reproducible', (name) => {
    const d = loadSynthetic(name, 300, 0.2, 5);
    expect(d.train.n).toBe(300);
    expect(d.test.n).toBe(300);
    expect(d.inputShape).toEqual([2]);
    const c = counts(d.train.labels, d.numClasses);
    expect(Math.max(...c) - Math.min(...c)).toBeLessThanOrEqual(1);
    const xy = d.train.features();
    const [lo, hi] = SYNTHETIC_EXTENT;
    const inside = Array.from({ length: 300 }, (_, i) => xy[2 * i] > lo && xy[2 * i] < hi && xy[2 * i + 1] > lo && xy[2 * i + 1] < hi);
    expect(inside.filter(Boolean).length).toBeGreaterThan(290);
    expect(loadSynthetic(name, 300, 0.2, 5).train.features()).toEqual(xy);
    expect(loadSynthetic(name, 300, 0.2, 6).train.features()).not.toEqual(xy);
    // train and test are different draws
    expect(d.test.features()).not.toEqual(xy);
  });

  it('draws the shapes it claims (noise 0)', () => {
    const c = loadSynthetic('circles', 400, 0, 1);
    const cx = c.train.features();
    for (let i = 0; i < 400; i++) {
      const r = Math.hypot(cx[2 * i], cx[2 * i + 1]);
      if (c.train.labels[i] === 1) expect(r).toBeLessThanOrEqual(0.5 + 1e-6);
      else expect(r >= 0.7 - 1e-6 && r <= 1 + 1e-6).toBe(true);
    }
    const x = loadSynthetic('xor', 400, 0, 1);
    const xx = x.train.features();
    for (let i = 0; i < 400; i++) expect(xx[2 * i] * xx[2 * i + 1] > 0 ? 1 : 0).toBe(x.train.labels[i]);
    expect(loadSynthetic('blobs', 40, 0, 1).numClasses).toBe(4);
  });

  it('noise spreads the points', () => {
    const spread = (noise: number) => {
      const d = loadSynthetic('circles', 500, noise, 2);
      const xy = d.train.features();
      let s = 0;
      for (let i = 0; i < 500; i++) if (d.train.labels[i] === 1) s += Math.max(0, Math.hypot(xy[2 * i], xy[2 * i + 1]) - 0.5);
      return s;
    };
    expect(spread(0)).toBe(0);
    expect(spread(1)).toBeGreaterThan(spread(0.2));
  });
});

describe('image datasets', () => {
  const source = nodeDataSource();

  it('digits: 1,437 training and 360 test images of 8×8, scaled to [0, 1]', async () => {
    const d = await loadDigits(source);
    expect([d.train.n, d.test.n]).toEqual([1437, 360]);
    expect(d.inputShape).toEqual([8, 8, 1]);
    expect(counts(d.train.labels, 10).every((c) => c > 120)).toBe(true);
    const x = d.train.features();
    expect(x.length).toBe(1437 * 64);
    expect(Math.max(...x)).toBe(1);
    expect(Math.min(...x)).toBe(0);
    // every test image is also in the source (no overlap check needed: a permutation was split)
    const total = counts([...d.train.labels, ...d.test.labels], 10);
    expect(total).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]); // load_digits' class counts
    expect((await loadDigits(source, 100)).train.n).toBe(100);
  });

  it('MNIST in Node is the full official split with the published class counts', async () => {
    const d = await loadMnist(source);
    expect([d.train.n, d.test.n]).toEqual([60000, 10000]);
    expect(counts(d.train.labels, 10)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(counts(d.test.labels, 10)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    const x = d.test.features([0]);
    expect(x.length).toBe(784);
    expect(Math.max(...x)).toBe(1);
  });

  it('MNIST browser subset: the first 10,000/2,000 images, same bytes as the full set', async () => {
    const sub = await loadMnist(nodeDataSource({ mnistFull: false }));
    const full = await loadMnist(source);
    expect([sub.train.n, sub.test.n]).toEqual([10000, 2000]);
    expect(counts(sub.train.labels, 10)).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect(Array.from(sub.train.labels.subarray(0, 500))).toEqual(Array.from(full.train.labels.subarray(0, 500)));
    expect(sub.test.features([1999])).toEqual(full.test.features([1999]));
  });

  it('loads through a fetch-based source, gzip or not (as in a worker)', async () => {
    const serve = (decompress: boolean): typeof fetch =>
      (async (url: string | URL | Request) => {
        const name = String(url).replace(/^.*\//, '');
        if (!String(url).startsWith('https://example.test/base/data/')) return new Response('', { status: 404 });
        try {
          const bytes = await readFile(path.join(PUBLIC_DATA_DIR, name));
          return new Response(decompress ? gunzipSync(bytes) : bytes);
        } catch {
          return new Response('', { status: 404 });
        }
      }) as typeof fetch;
    for (const decompress of [false, true]) {
      const src = urlDataSource('https://example.test/base/data', serve(decompress));
      const d = await loadDigits(src);
      expect(d.train.n).toBe(1437);
    }
    const bad = urlDataSource('https://example.test/elsewhere/', serve(false));
    await expect(loadDigits(bad)).rejects.toThrow(/404/);
  });

  it('needs a source for image data, and rejects corrupt files', async () => {
    await expect(loadDataset({ name: 'digits', noise: 0, size: 0 }, 1)).rejects.toThrow(/data source/);
    const good = await gunzipIfNeeded(new Uint8Array(await readFile(path.join(PUBLIC_DATA_DIR, 'digits.bin.gz'))));
    expect(await gunzipIfNeeded(good)).toBe(good);
    expect(() => decodeImageSet(good.subarray(0, good.length - 1))).toThrow(/bytes/);
    const wrong = good.slice();
    wrong[0] = 0;
    expect(() => decodeImageSet(wrong)).toThrow(/FLDS/);
    const set = decodeImageSet(good);
    expect(encodeImageSet(set)).toEqual(good);
  });
});

describe('ExampleSet', () => {
  it('copies the asked rows into batches, keeps its tensors through tf.tidy, frees them on dispose', async () => {
    const { ExampleSet } = await import('~/engine/train');
    const tf = await import('@tensorflow/tfjs-core');
    const { setup } = await import('./engine-helpers');
    await setup();
    const before = tf.memory().numTensors;
    const features = Float32Array.from({ length: 5 * 3 }, (_, i) => i);
    const set = new ExampleSet(features, Int32Array.from([2, 0, 1, 1, 2]), 3, 4);
    const b = set.batch([4, 0, 3, 1, 2], 1, 3); // examples 0 and 3
    expect(Array.from(b.x.dataSync())).toEqual([0, 1, 2, 9, 10, 11]);
    expect(Array.from(b.y.dataSync())).toEqual([0, 0, 1, 0, 0, 1, 0, 0]);
    expect(Array.from(b.labels.dataSync())).toEqual([2, 1]);
    tf.dispose([b.x, b.y, b.labels]);
    const inside = tf.tidy(() => set.x.sum().dataSync()[0]);
    expect(inside).toBe(105);
    expect(set.x.isDisposed).toBe(false);
    const chunks = set.chunks(2);
    expect(chunks.map((c) => c.n)).toEqual([2, 2, 1]);
    expect(set.chunks(2)).toBe(chunks);
    expect(Array.from(chunks[2].x.dataSync())).toEqual([12, 13, 14]);
    set.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
