/**
 * Server optimizers: the server treats the round's averaged update Δ_t = Σ_k a_k w_k − x_t (the
 * same coefficients a_k FedAvg uses, over the clients that came back) as a pseudo-gradient.
 *
 * - fedavgm   (Hsu et al. 2019, arXiv:1909.06335): m_t = β m_{t−1} + Δ_t, x_{t+1} = x_t + η m_t.
 *             With β = 0 and η = 1 it is FedAvg.
 * - fedadagrad, fedyogi, fedadam (Reddi et al. 2021, arXiv:2003.00295, Algorithm 2):
 *             m_t = β₁ m_{t−1} + (1 − β₁) Δ_t, and
 *             FedAdagrad v_t = v_{t−1} + Δ_t²,
 *             FedYogi    v_t = v_{t−1} − (1 − β₂) Δ_t² sign(v_{t−1} − Δ_t²),
 *             FedAdam    v_t = β₂ v_{t−1} + (1 − β₂) Δ_t²,
 *             x_{t+1} = x_t + η m_t / (√v_t + τ), per coordinate, without Adam's bias
 *             correction (the paper has none). m starts at 0 and v at τ² (the paper's v_{−1} ≥ τ²).
 *
 * A round in which no client came back leaves x and the moments unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from './types';
import type { ServerOptimizerName } from './beyond-config';
import type { Params } from './train';

export class ServerOptimizer {
  private m: Params | null = null;
  private v: Params | null = null;

  constructor(
    readonly kind: ServerOptimizerName,
    private readonly config: Pick<RunConfig, 'serverLr' | 'serverMomentum' | 'beta1' | 'beta2' | 'tau'>,
  ) {}

  /** x_{t+1} from x_t and the weighted mean of the returned models (neither is disposed). */
  step(x: Params, mean: Params): Params {
    const { serverLr: lr, serverMomentum, beta1, beta2, tau } = this.config;
    const prevM = this.m;
    const prevV = this.v;
    const L = x.length;
    // One flat list out of tidy: [x_{t+1}…, m_t…, v_t…] (no v for FedAvgM).
    const flat = tf.tidy(() => {
      const delta = x.map((xj, j) => tf.sub(mean[j], xj));
      if (this.kind === 'fedavgm') {
        const m = delta.map((d, j) => (prevM ? tf.add(tf.mul(prevM[j], serverMomentum), d) : d));
        return [...x.map((xj, j) => tf.add(xj, tf.mul(m[j], lr))), ...m];
      }
      const m = delta.map((d, j) => {
        const fresh = tf.mul(d, 1 - beta1);
        return prevM ? tf.add(tf.mul(prevM[j], beta1), fresh) : fresh;
      });
      const v = delta.map((d, j) => {
        const d2 = tf.square(d);
        const old = prevV ? prevV[j] : tf.fill(d.shape, tau * tau);
        if (this.kind === 'fedadagrad') return tf.add(old, d2);
        if (this.kind === 'fedyogi') return tf.sub(old, tf.mul(tf.mul(d2, tf.sign(tf.sub(old, d2))), 1 - beta2));
        return tf.add(tf.mul(old, beta2), tf.mul(d2, 1 - beta2));
      });
      return [...x.map((xj, j) => tf.add(xj, tf.mul(tf.div(m[j], tf.add(tf.sqrt(v[j]), tau)), lr))), ...m, ...v];
    });
    if (prevM) tf.dispose(prevM);
    if (prevV) tf.dispose(prevV);
    this.m = flat.slice(L, 2 * L);
    this.v = flat.length > 2 * L ? flat.slice(2 * L) : null;
    return flat.slice(0, L);
  }

  dispose(): void {
    if (this.m) tf.dispose(this.m);
    if (this.v) tf.dispose(this.v);
    this.m = this.v = null;
  }
}
