/**
 * Who comes back, and with how much work: client dropouts and stragglers.
 *
 * - Dropout p: each selected client, independently, fails to return its update with probability
 *   p. It received the model (those bytes are spent) but sends nothing, and the server averages
 *   over the clients that returned, the coefficients renormalised over them.
 * - Stragglers p: each selected client, independently, is a straggler with probability p and runs
 *   a number of local epochs drawn uniformly from {1, …, E} instead of E. This is the "partial
 *   work" FedProx accepts (Li et al. 2020, arXiv:1812.06127, whose
 *   experiments give stragglers a random, smaller amount of local work); its update is averaged
 *   like any other. A straggler may draw E itself, so on average it runs (E + 1)/2 epochs.
 *
 * Each draw has its own random stream ('dropout', 'stragglers'), so with p = 0 nothing is drawn
 * and every other stream (sampling, shuffles) sees the same numbers as a run without them.
 */
import { Rng } from './rng';

export interface RoundFate {
  /** dropped[i]: the i-th selected client does not return. */
  dropped: boolean[];
  /** epochs[i]: local epochs the i-th selected client runs (E unless it is a straggler). */
  epochs: number[];
}

export class Participation {
  private readonly dropRng: Rng;
  private readonly stragglerRng: Rng;

  constructor(
    seed: number,
    private readonly dropout: number,
    private readonly stragglers: number,
  ) {
    this.dropRng = new Rng(seed, 'dropout');
    this.stragglerRng = new Rng(seed, 'stragglers');
  }

  /** The fate of this round's selected clients, drawn in their order. */
  draw(selected: number[], localEpochs: number): RoundFate {
    const dropped = selected.map(() => this.dropout > 0 && this.dropRng.next() < this.dropout);
    const epochs = selected.map(() => (this.stragglers > 0 && this.stragglerRng.next() < this.stragglers ? 1 + this.stragglerRng.int(localEpochs) : localEpochs));
    return { dropped, epochs };
  }
}
