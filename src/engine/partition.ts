/**
 * How the training set is divided among K clients (IID, Dirichlet label skew, or the paper's shards). Every partition draws from the run's
 * 'partition' stream only, and returns each client's example indices plus its label histogram.
 */
import type { PartitionConfig } from './types';
import type { Rng } from './rng';
import { ConfigError } from './config';

export interface Partition {
  /** clients[k] = indices (into the training set) held by client k, in the client's order. */
  clients: Int32Array[];
  /** histograms[k][c] = number of examples of class c held by client k. */
  histograms: number[][];
}

/** Smallest client the Dirichlet and quantity partitions aim for (10, or less for tiny sets). */
export function minClientSize(n: number, k: number): number {
  return Math.max(1, Math.min(10, Math.floor(n / k / 2)));
}

/** Contiguous near-equal chunks: sizes differ by at most one. */
function chunks(order: ArrayLike<number>, k: number): Int32Array[] {
  const n = order.length;
  return Array.from({ length: k }, (_, j) => Int32Array.from(Array.prototype.slice.call(order, Math.floor((j * n) / k), Math.floor(((j + 1) * n) / k))));
}

/** IID: a random permutation cut into K near-equal parts. */
export function iidPartition(n: number, k: number, rng: Rng): Int32Array[] {
  return chunks(rng.permutation(n), k);
}

/**
 * The paper's pathological split: sort by label, cut into K·S equal shards, give each client S
 * random shards. With S = 2 most clients see only two classes.
 */
export function shardPartition(labels: Int32Array, k: number, shardsPerClient: number, rng: Rng): Int32Array[] {
  const n = labels.length;
  const byLabel = Array.from({ length: n }, (_, i) => i).sort((a, b) => labels[a] - labels[b] || a - b);
  const shards = chunks(byLabel, k * shardsPerClient);
  const order = rng.permutation(shards.length);
  return Array.from({ length: k }, (_, j) => {
    const parts = Array.from(order.subarray(j * shardsPerClient, (j + 1) * shardsPerClient), (s) => shards[s]);
    const out = new Int32Array(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  });
}

/** How many times the Dirichlet partition draws before it gives up or settles. */
export const DIRICHLET_ATTEMPTS = 1000;

/**
 * Dirichlet(α) label skew (Hsu et al. 2019): each class is split among the clients by a fresh
 * Dirichlet(α·1_K) draw; redrawn until every client has at least minClientSize examples. After
 * DIRICHLET_ATTEMPTS failed draws (tiny sets with tiny α) the draw with the largest smallest
 * client is kept, as long as every client has at least one example. When even that fails it
 * throws a ConfigError on partition.alpha: as α → 0 each class goes (almost) whole to one client,
 * so with more clients than classes some client is left with nothing, and no redraw changes that.
 */
export function dirichletPartition(labels: Int32Array, numClasses: number, k: number, alpha: number, rng: Rng): Int32Array[] {
  const n = labels.length;
  const need = minClientSize(n, k);
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < n; i++) byClass[labels[i]].push(i);
  let best: number[][] | null = null;
  let bestMin = -1;
  for (let attempt = 0; attempt < DIRICHLET_ATTEMPTS && bestMin < need; attempt++) {
    const idx: number[][] = Array.from({ length: k }, () => []);
    for (let c = 0; c < numClasses; c++) {
      const members = rng.shuffle(byClass[c].slice());
      const p = rng.dirichlet(alpha, k);
      let cum = 0;
      let start = 0;
      for (let j = 0; j < k; j++) {
        cum += p[j];
        const end = j === k - 1 ? members.length : Math.min(members.length, Math.floor(cum * members.length));
        for (let i = start; i < end; i++) idx[j].push(members[i]);
        start = Math.max(start, end);
      }
    }
    const smallest = Math.min(...idx.map((a) => a.length));
    if (smallest > bestMin) {
      bestMin = smallest;
      best = idx;
    }
  }
  if (bestMin < 1) {
    throw new ConfigError([
      {
        field: 'partition.alpha',
        ko: `디리클레 분할: α = ${alpha}, 클라이언트 ${k}명으로 ${DIRICHLET_ATTEMPTS}번 다시 나눠 봐도 예제를 하나도 받지 못하는 클라이언트가 남습니다. α가 0에 가까우면 클래스마다 예제가 거의 통째로 한 클라이언트에게 가므로, 클라이언트가 클래스 수(${numClasses})보다 많으면 반드시, 그보다 적어도 자주 빈 클라이언트가 생깁니다. α를 키우거나 클라이언트 수를 줄이세요.`,
        en: `Dirichlet partition: in ${DIRICHLET_ATTEMPTS} draws with α = ${alpha} and ${k} clients some client always got no examples (as α → 0 each class goes almost whole to one client, so with more clients than the ${numClasses} classes some always get none); raise α or use fewer clients.`,
      },
    ]);
  }
  return best!.map((a) => Int32Array.from(a));
}

/**
 * Quantity skew: labels IID (one random permutation), client sizes from Dirichlet(α) over the
 * clients, each client first given minClientSize examples so that none is empty.
 */
export function quantityPartition(n: number, k: number, alpha: number, rng: Rng): Int32Array[] {
  const order = rng.permutation(n);
  const floor = minClientSize(n, k);
  const rest = n - floor * k;
  const p = rng.dirichlet(alpha, k);
  const out: Int32Array[] = [];
  let cum = 0;
  let start = 0;
  for (let j = 0; j < k; j++) {
    cum += p[j];
    const end = j === k - 1 ? n : Math.min(n, (j + 1) * floor + Math.floor(cum * rest));
    out.push(order.slice(start, end));
    start = end;
  }
  return out;
}

export function labelHistograms(clients: Int32Array[], labels: Int32Array, numClasses: number): number[][] {
  return clients.map((idx) => {
    const h = new Array<number>(numClasses).fill(0);
    for (const i of idx) h[labels[i]]++;
    return h;
  });
}

export function partition(cfg: PartitionConfig, labels: Int32Array, numClasses: number, k: number, rng: Rng): Partition {
  const n = labels.length;
  let clients: Int32Array[];
  switch (cfg.kind) {
    case 'iid':
      clients = iidPartition(n, k, rng);
      break;
    case 'shards':
      clients = shardPartition(labels, k, cfg.shardsPerClient, rng);
      break;
    case 'dirichlet':
      clients = dirichletPartition(labels, numClasses, k, cfg.alpha, rng);
      break;
    case 'quantity':
      clients = quantityPartition(n, k, cfg.alpha, rng);
      break;
  }
  return { clients, histograms: labelHistograms(clients, labels, numClasses) };
}
