/**
 * How many clients a federated round asks. Imports nothing, so the pages use the same
 * arithmetic as the engine on the main thread (the algorithm modules import tfjs).
 */

/** m = max(⌊C·K⌋, 1): the number of clients per round of FedAvg, FedSGD and FedProx. */
export function clientsPerRound(fraction: number, clients: number): number {
  // 1e-9 keeps C·K = 0.3·10 (2.9999…) from rounding down to 2.
  return Math.max(Math.floor(fraction * clients + 1e-9), 1);
}
