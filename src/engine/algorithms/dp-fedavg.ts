/**
 * DP-FedAvg as McMahan, Ramage, Talwar and Zhang define it ("Learning Differentially Private
 * Recurrent Language Models", ICLR 2018, arXiv:1710.06963, Algorithm 1), the server's side:
 *
 *   weights      w_k = min(n_k / ŵ, 1) with a public cap ŵ, or w_k = 1 for every client;
 *                W = Σ_k w_k over all K clients
 *   sampling     every round each client joins independently with probability q (Poisson)
 *   estimator    Δ = Σ_{k∈S_t} w_k · clip(Δ_k, S) / (q·W)      (the fixed-denominator estimator)
 *   noise        θ ← θ + Δ + N(0, σ²I),  σ = z·S / (q·W)
 *
 * Why this shape: one client changes Σ w_k·clip(Δ_k, S) by at most w_k·S ≤ S, so the estimator's
 * sensitivity is S/(qW), a number that depends only on public quantities (q, S, ŵ, K and W, which
 * the paper treats as known). The noise therefore reveals nothing about who was sampled or how
 * much data they hold, and each round is one step of the Poisson-subsampled Gaussian mechanism
 * with noise multiplier z: the privacy accountant gives its (ε, δ) after t rounds. Dividing by the
 * expected total weight qW rather than by the weight actually sampled keeps the estimate unbiased
 * and its sensitivity fixed; a round in which nobody is sampled is legitimate and moves the model
 * by noise alone.
 *
 * The engine's earlier DP-FedAvg is kept as `dpSampling: 'fixed'` (federated.ts runs it with
 * FedAvg's own sampling, and this class is not used): exactly m = max(⌊C·K⌋, 1) clients a round,
 * coefficients c_k from `weighting` (n_k/Σn or 1/m) and σ = z·S·max_k c_k. With sample weighting
 * that σ is computed from the selected clients' n_k, private data, so it is not a valid
 * calibration; and sampling a fixed number of clients is not the mechanism the accountant
 * analyses. Fixed mode therefore reports no ε. It remains for comparison with FedAvg's sampling.
 *
 * Plain numbers only (no tfjs): the page's DP-FedAvg figure imports the formulas from here.
 */
import type { RunConfig } from '../types';
import type { Rng } from '../rng';
import { PrivacyAccountant } from '../privacy/accountant';

/** w_k = min(n_k / ŵ, 1) for a cap ŵ > 0; every w_k = 1 when ŵ = 0 (uniform weights). */
export function dpClientWeights(sizes: readonly number[], cap: number): number[] {
  return sizes.map((n) => (cap > 0 ? Math.min(n / cap, 1) : 1));
}

/** Poisson sampling: each of 0…K−1 joins independently with probability q (ascending; may be empty). */
export function poissonSample(rng: Rng, clients: number, q: number): number[] {
  const out: number[] = [];
  // One draw per client in index order, whatever the outcome, so the stream stays aligned.
  for (let k = 0; k < clients; k++) if (rng.next() < q) out.push(k);
  return out;
}

/** σ = z·S/(q·W): the noise standard deviation per parameter of the fixed-denominator estimate. */
export function dpNoiseStd(noise: number, clip: number, q: number, totalWeight: number): number {
  return totalWeight > 0 ? (noise * clip) / (q * totalWeight) : 0;
}

/** What the server does in one DP-FedAvg round. */
export interface DpRoundPlan {
  /** The clients sampled this round, ascending (possibly none). */
  selected: number[];
  /** Coefficient of each selected client's clipped update: w_k/(qW). */
  coefficients: number[];
  /** Standard deviation of the Gaussian noise added to each parameter. */
  sigma: number;
}

/** The sampling, weighting and noise of a DP-FedAvg run (Poisson mode), and its privacy account. */
export class DpFedAvgServer {
  /** w_k for every client. */
  readonly weights: number[];
  /** W = Σ_k w_k. */
  readonly totalWeight: number;
  private readonly accountant: PrivacyAccountant | null;

  constructor(
    private readonly config: RunConfig,
    clientSize: (k: number) => number,
  ) {
    this.weights = dpClientWeights(
      Array.from({ length: config.clients }, (_, k) => clientSize(k)),
      config.weightCap,
    );
    this.totalWeight = this.weights.reduce((a, b) => a + b, 0);
    // A guarantee needs both noise and a bound on each client's influence.
    const guaranteed = config.noise > 0 && config.clip > 0;
    this.accountant = guaranteed ? new PrivacyAccountant(config.sampleRate, config.noise) : null;
  }

  /** Samples the round's clients and fixes their coefficients and the noise. */
  plan(rng: Rng): DpRoundPlan {
    const c = this.config;
    const q = c.sampleRate;
    const selected = poissonSample(rng, c.clients, q);
    const denominator = q * this.totalWeight;
    return {
      selected,
      coefficients: selected.map((k) => (denominator > 0 ? this.weights[k] / denominator : 0)),
      sigma: dpNoiseStd(c.noise, c.clip, q, this.totalWeight),
    };
  }

  /**
   * ε spent after `rounds` rounds at the config's δ; null when there is no guarantee to report
   * (z = 0 or S = 0).
   */
  epsilon(rounds: number): number | null {
    if (!this.accountant) return null;
    const e = this.accountant.spent(rounds, this.config.delta).epsilon;
    return Number.isFinite(e) ? e : null;
  }
}
