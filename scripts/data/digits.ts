/**
 * Builds public/data/digits.bin.gz from scikit-learn's copy of the UCI optdigits test set.
 *
 *   npx tsx scripts/data/digits.ts [path/to/digits.csv.gz]
 *
 * Without an argument it fetches Debian's python3-sklearn package with `apt-get download` into a
 * temporary directory and unpacks it with `dpkg-deb -x` (the package ships
 * sklearn/datasets/data/digits.csv.gz: 1,797 rows of 64 pixels 0…16 and the label).
 *
 * The split is fixed: a permutation drawn from Rng(1797, 'digits-split'); the first 1,437 examples
 * are the training set, the last 360 the test set. Runs with any seed see the same split.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Rng } from '../../src/engine/rng';
import { encodeImageSet } from '../../src/engine/data/format';
import { PUBLIC_DATA_DIR } from '../../src/engine/node';

const TEST = 360;

function fetchFromDebian(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sklearn-'));
  execFileSync('apt-get', ['download', 'python3-sklearn'], { cwd: dir, stdio: 'inherit' });
  const deb = readdirSync(dir).find((f) => f.endsWith('.deb'));
  if (!deb) throw new Error('apt-get download produced no .deb');
  const version = execFileSync('dpkg-deb', ['-f', path.join(dir, deb), 'Version']).toString().trim();
  console.error(`python3-sklearn ${version} (${deb})`);
  execFileSync('dpkg-deb', ['-x', path.join(dir, deb), path.join(dir, 'x')]);
  return path.join(dir, 'x/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz');
}

const src = process.argv[2] ?? fetchFromDebian();
const gz = readFileSync(src);
console.error(`source sha256 ${createHash('sha256').update(gz).digest('hex')}`);
const rows = gunzipSync(gz)
  .toString('utf8')
  .trim()
  .split('\n')
  .map((line) => line.split(',').map(Number));
if (rows.length !== 1797 || rows.some((r) => r.length !== 65 || r.some((v) => !Number.isInteger(v)))) {
  throw new Error('unexpected digits.csv layout');
}

const order = new Rng(1797, 'digits-split').permutation(rows.length);
const labels = new Uint8Array(rows.length);
const pixels = new Uint8Array(rows.length * 64);
order.forEach((src, dst) => {
  const r = rows[src];
  for (let j = 0; j < 64; j++) {
    if (r[j] < 0 || r[j] > 16) throw new Error('pixel out of range');
    pixels[dst * 64 + j] = r[j];
  }
  labels[dst] = r[64];
});

const bin = encodeImageSet({
  height: 8,
  width: 8,
  channels: 1,
  numClasses: 10,
  maxValue: 16,
  trainCount: rows.length - TEST,
  testCount: TEST,
  labels,
  pixels,
});
const out = path.join(PUBLIC_DATA_DIR, 'digits.bin.gz');
const packed = gzipSync(bin, { level: 9 });
writeFileSync(out, packed);
console.error(`wrote ${path.relative(process.cwd(), out)}: ${packed.length} bytes (${bin.length} unpacked)`);
