/**
 * SCAFFOLD (Karimireddy et al. 2020, arXiv:1910.06378, Algorithm 1) with the "option II" client
 * control variate. The server keeps x and c; client i keeps c_i (0 until it first trains). A
 * selected client starts at y = x and takes K local steps y ← y − η_l(g_i(y) − c_i + c) (the
 * correction goes to localTrain), then
 *
 *   c_i⁺ = c_i − c + (x − y) / (K η_l)        Δy = y − x,  Δc = c_i⁺ − c_i,  c_i ← c_i⁺
 *
 * and the server sets x ← x + η_g Σ_k a_k Δy_k and c ← c + (1/N) Σ_k Δc_k, N = all clients.
 *
 * One difference from the paper: the Δy are weighted by the run's aggregation coefficients a_k
 * (n_k / m_t, or 1/|S| with uniform weighting, which is the paper's (η_g/|S|) Σ Δy), so that with
 * the same weighting SCAFFOLD at c = 0 is exactly the FedAvg this engine runs. With one client and
 * η_g = 1 it then equals FedAvg: c = c_1 after the first round and the correction c − c_1 is 0.
 *
 * K is the number of steps the client actually took (a straggler takes fewer).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '../train';

export class Scaffold {
  /** The server's control variate c. */
  private c: Params;
  /** The clients' control variates c_i; a client that never trained has none (= 0). */
  private readonly ci = new Map<number, Params>();
  /** Σ Δc_k over the clients that came back this round. */
  private deltaSum: Params | null = null;

  constructor(
    template: Params,
    /** N: all clients (not only the selected ones) divide Σ Δc. */
    private readonly clients: number,
  ) {
    this.c = template.map((t) => tf.zerosLike(t));
  }

  /** c − c_i for client k, the constant added to each of its gradients (caller disposes). */
  correction(k: number): Params {
    const ci = this.ci.get(k);
    return tf.tidy(() => this.c.map((c, j) => (ci ? tf.sub(c, ci[j]) : c.clone())));
  }

  /**
   * Option II after client k took `steps` steps with rate `lr` from x to y: stores c_i⁺ and adds
   * Δc = c_i⁺ − c_i = (x − y)/(K η_l) − c to this round's sum. No steps (no examples): no change.
   */
  clientUpdate(k: number, x: Params, y: Params, steps: number, lr: number): void {
    if (steps <= 0) return;
    const inv = 1 / (steps * lr);
    const old = this.ci.get(k);
    const delta = tf.tidy(() => x.map((xj, j) => tf.sub(tf.mul(tf.sub(xj, y[j]), inv), this.c[j])));
    const next = tf.tidy(() => delta.map((d, j) => (old ? tf.add(old[j], d) : d.clone())));
    if (old) tf.dispose(old);
    this.ci.set(k, next);
    const sum = this.deltaSum;
    this.deltaSum = sum ? tf.tidy(() => sum.map((s, j) => tf.add(s, delta[j]))) : delta;
    if (sum) tf.dispose([...sum, ...delta]);
  }

  /** Ends the round: c ← c + (1/N) Σ Δc. */
  finishRound(): void {
    const sum = this.deltaSum;
    if (!sum) return;
    const next = tf.tidy(() => this.c.map((c, j) => tf.add(c, tf.mul(sum[j], 1 / this.clients))));
    tf.dispose([...this.c, ...sum]);
    this.c = next;
    this.deltaSum = null;
  }

  /** x + η_g (Σ a_k y_k − x), the server step from the weighted mean of the clients' models. */
  static serverStep(x: Params, mean: Params, serverLr: number): Params {
    return tf.tidy(() => x.map((xj, j) => tf.add(xj, tf.mul(tf.sub(mean[j], xj), serverLr))));
  }

  dispose(): void {
    tf.dispose(this.c);
    for (const p of this.ci.values()) tf.dispose(p);
    this.ci.clear();
    if (this.deltaSum) tf.dispose(this.deltaSum);
    this.deltaSum = null;
  }
}
