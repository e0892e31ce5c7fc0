/**
 * The compact binary form in which image datasets (digits, MNIST) are stored and served.
 *
 * Layout (all integers little-endian):
 *
 *   0  4 bytes  magic "FLDS"
 *   4  u8       version (1)
 *   5  u8       height      6  u8  width      7  u8  channels
 *   8  u8       number of classes
 *   9  u8       maxValue: pixel p means p / maxValue in [0, 1] (16 for digits, 255 for MNIST)
 *  10  u16      reserved (0)
 *  12  u32      trainCount
 *  16  u32      testCount
 *  20  u8[trainCount + testCount]                    labels, training examples first
 *  …   u8[(trainCount + testCount)·height·width·channels]  pixels, row-major, same order
 *
 * Files may be gzip-compressed as a whole (the .gz files under public/data); the reader detects
 * the gzip magic rather than trusting the name, because some servers undo the compression on
 * the way (Content-Encoding) and some do not.
 */

export interface ImageSet {
  height: number;
  width: number;
  channels: number;
  numClasses: number;
  maxValue: number;
  trainCount: number;
  testCount: number;
  /** trainCount + testCount labels, training first. */
  labels: Uint8Array;
  /** (trainCount + testCount) · height · width · channels pixels. */
  pixels: Uint8Array;
}

const MAGIC = [0x46, 0x4c, 0x44, 0x53]; // "FLDS"
const HEADER = 20;

export function encodeImageSet(set: ImageSet): Uint8Array {
  const n = set.trainCount + set.testCount;
  const px = set.height * set.width * set.channels;
  if (set.labels.length !== n || set.pixels.length !== n * px) {
    throw new Error('encodeImageSet: labels/pixels do not match the counts');
  }
  const out = new Uint8Array(HEADER + n + n * px);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out[4] = 1;
  out[5] = set.height;
  out[6] = set.width;
  out[7] = set.channels;
  out[8] = set.numClasses;
  out[9] = set.maxValue;
  view.setUint32(12, set.trainCount, true);
  view.setUint32(16, set.testCount, true);
  out.set(set.labels, HEADER);
  out.set(set.pixels, HEADER + n);
  return out;
}

export function decodeImageSet(bytes: Uint8Array): ImageSet {
  if (bytes.length < HEADER || MAGIC.some((m, i) => bytes[i] !== m)) {
    throw new Error('decodeImageSet: not an FLDS dataset file');
  }
  if (bytes[4] !== 1) throw new Error(`decodeImageSet: unsupported version ${bytes[4]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const set = {
    height: bytes[5],
    width: bytes[6],
    channels: bytes[7],
    numClasses: bytes[8],
    maxValue: bytes[9],
    trainCount: view.getUint32(12, true),
    testCount: view.getUint32(16, true),
  };
  const n = set.trainCount + set.testCount;
  const px = set.height * set.width * set.channels;
  if (bytes.length !== HEADER + n + n * px) {
    throw new Error(`decodeImageSet: expected ${HEADER + n + n * px} bytes, got ${bytes.length}`);
  }
  return {
    ...set,
    labels: bytes.subarray(HEADER, HEADER + n),
    pixels: bytes.subarray(HEADER + n),
  };
}

/** Undoes gzip when the bytes start with the gzip magic; returns other bytes unchanged. */
export async function gunzipIfNeeded(bytes: Uint8Array): Promise<Uint8Array> {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  // DecompressionStream exists in Node ≥ 18 and in every browser with module workers.
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
