/**
 * How the training set is divided among K clients (spec §2). Every partition draws from the run's
 * 'partition' stream only, and returns each client's example indices plus its label histogram.
 */
import type { PartitionConfig } from './types';
import type { Rng } from './rng';

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

/**
 * Dirichlet(α) label skew (Hsu et al. 2019): each class is split among the clients by a fresh
 * Dirichlet(α·1_K) draw; redrawn until every client has at least minClientSize examples. After
 * 1,000 failed draws (tiny sets with tiny α) the draw with the largest smallest client is kept.
 */
export function dirichletPartition(labels: Int32Array, numClasses: number, k: number, alpha: number, rng: Rng): Int32Array[] {
  const n = labels.length;
  const need = minClientSize(n, k);
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < n; i++) byClass[labels[i]].push(i);
  let best: number[][] | null = null;
  let bestMin = -1;
  for (let attempt = 0; attempt < 1000 && bestMin < need; attempt++) {
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
