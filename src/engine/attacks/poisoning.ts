/**
 * Poisoning attacks on federated learning: a fixed set of malicious clients, chosen from the
 * run's seed, that do one of
 *
 * - labelflip  train honestly on flipped labels y → C − 1 − y (a data-poisoning attack);
 * - signflip   train honestly, send −s·Δ instead of their update Δ (Δ = w_k − w_t);
 * - scale      train honestly, send s·Δ;
 * - backdoor   train on their examples plus a copy of every example not of the target class with
 *              a pixel pattern stamped on it and relabelled to the target (Bagdasaryan et al. 2020,
 *              arXiv:1807.00459, whose pixel-pattern backdoor mixes clean and triggered inputs so
 *              the model keeps its main-task accuracy); they send s·Δ, and with s > 1 this is the
 *              paper's model replacement (the paper scales by γ = n/η; here s is set directly).
 *
 * Labelflip and backdoor send s·Δ too (s defaults to 1 for them, 4 for signflip and scale).
 * The success of a backdoor is the share of triggered test inputs, not of the target class,
 * that the global model classifies as the target.
 *
 * tfjs-free: plain arrays in and out (src/engine/robust-server.ts makes tensors of them).
 */
import type { ConfigProblem, PoisonConfig, PoisonKind, RunConfig } from '../types';
import { Rng } from '../rng';
import { isSynthetic } from '../data/index';
import { choiceProblem, inRange, rangeProblem, type FieldNames } from '../problems';

export const POISONS: readonly PoisonKind[] = ['labelflip', 'signflip', 'scale', 'backdoor'];

/** s when none is given: signflip and scale exaggerate by 4, the others send their update as is. */
export function defaultPoisonScale(kind: PoisonKind): number {
  return kind === 'signflip' || kind === 'scale' ? 4 : 1;
}

export function defaultPoison(kind: PoisonKind, fraction = 0.3): PoisonConfig {
  return { fraction, kind, scale: defaultPoisonScale(kind), target: 0 };
}

export const POISON_LIMITS = {
  fraction: { min: 0, max: 0.9, int: false },
  scale: { min: 0.01, max: 100, int: false },
} as const;

const NAMES: FieldNames = {
  'poison.kind': ['오염 공격 종류', 'poisoning attack'],
  'poison.fraction': ['악의적 클라이언트 비율 f', 'malicious fraction f'],
  'poison.scale': ['공격 배율 s', 'poison scale s'],
  'poison.target': ['백도어 목표 클래스', 'backdoor target class'],
};

/** ⌊f·K⌋ malicious clients, drawn from the seed's 'malicious' stream (ascending). */
export function maliciousClients(seed: number, clients: number, fraction: number): number[] {
  const count = Math.min(clients, Math.floor(fraction * clients + 1e-9));
  return new Rng(seed, 'malicious').sample(clients, count);
}

/** The factor a malicious client multiplies its update by. */
export function poisonFactor(p: PoisonConfig): number {
  return p.kind === 'signflip' ? -p.scale : p.scale;
}

/** y → C − 1 − y. */
export function flipLabel(y: number, classes: number): number {
  return classes - 1 - y;
}

/**
 * Pixel positions (row, col) of the trigger: a 3×3 checkerboard (five pixels) one pixel in from
 * the bottom-right corner; on an image of side < 6 it sits in the corner itself.
 */
export function triggerPixels(height: number, width: number): Array<[number, number]> {
  const inset = Math.min(height, width) >= 6 ? 1 : 0;
  const out: Array<[number, number]> = [];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      if ((i + j) % 2 === 0) out.push([height - 1 - inset - i, width - 1 - inset - j]);
    }
  }
  return out;
}

/** Stamps the trigger (value 1, the brightest pixel) on one image in place; every channel. */
export function stampTrigger(image: Float32Array, inputShape: number[], offset = 0): void {
  const [h, w, c = 1] = inputShape;
  for (const [r, col] of triggerPixels(h, w)) {
    for (let ch = 0; ch < c; ch++) image[offset + (r * w + col) * c + ch] = 1;
  }
}

/**
 * What a malicious client trains on: labelflip flips every label; backdoor appends a triggered
 * copy, labelled `target`, of each example not of the target class. Other attacks train on the
 * client's own data (null).
 */
export function poisonedExamples(
  kind: PoisonKind,
  features: Float32Array,
  labels: Int32Array,
  inputShape: number[],
  classes: number,
  target: number,
): { features: Float32Array; labels: Int32Array } | null {
  if (kind === 'labelflip') return { features, labels: labels.map((y) => flipLabel(y, classes)) };
  if (kind !== 'backdoor') return null;
  const d = features.length / Math.max(1, labels.length);
  const copies = Array.from(labels.keys()).filter((i) => labels[i] !== target);
  const outF = new Float32Array(features.length + copies.length * d);
  outF.set(features);
  const outL = new Int32Array(labels.length + copies.length);
  outL.set(labels);
  copies.forEach((i, t) => {
    const at = features.length + t * d;
    outF.set(features.subarray(i * d, i * d + d), at);
    stampTrigger(outF, inputShape, at);
    outL[labels.length + t] = target;
  });
  return { features: outF, labels: outL };
}

/**
 * The backdoor test set: every test example not of the target class, triggered, labelled with the
 * target. A model's accuracy on it is the attack's success rate.
 */
export function backdoorTestExamples(features: Float32Array, labels: Int32Array, inputShape: number[], target: number): { features: Float32Array; labels: Int32Array } {
  const d = features.length / Math.max(1, labels.length);
  const keep = Array.from(labels.keys()).filter((i) => labels[i] !== target);
  const f = new Float32Array(keep.length * d);
  keep.forEach((i, t) => {
    f.set(features.subarray(i * d, i * d + d), t * d);
    stampTrigger(f, inputShape, t * d);
  });
  return { features: f, labels: new Int32Array(keep.length).fill(target) };
}

/** Problems with config.poison (none when absent). */
export function validatePoison(c: RunConfig, classes: number): ConfigProblem[] {
  const p = c.poison;
  if (p === undefined) return [];
  const out: ConfigProblem[] = [];
  if (!p || typeof p !== 'object') return [{ field: 'poison', ko: '오염 공격 설정이 올바르지 않습니다.', en: 'the poisoning configuration is malformed.' }];
  if (!POISONS.includes(p.kind)) out.push(choiceProblem(NAMES, 'poison.kind', POISONS));
  const { fraction, scale } = POISON_LIMITS;
  if (!inRange(p.fraction, fraction)) out.push(rangeProblem(NAMES, 'poison.fraction', fraction));
  if (!inRange(p.scale, scale)) out.push(rangeProblem(NAMES, 'poison.scale', scale));
  const target = { min: 0, max: classes - 1, int: true };
  if (!inRange(p.target, target)) out.push(rangeProblem(NAMES, 'poison.target', target));
  if (p.kind === 'backdoor' && c.dataset && isSynthetic(c.dataset.name)) {
    out.push({
      field: 'poison.kind',
      ko: '픽셀 패턴 백도어는 이미지 데이터셋(digits, mnist)에서만 쓸 수 있습니다.',
      en: 'the pixel-pattern backdoor needs an image dataset (digits or mnist).',
    });
  }
  return out;
}
