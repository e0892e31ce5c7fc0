/**
 * The privacy chapter's mathematics: randomized response, RAPPOR, secure aggregation and the
 * privacy accountant (ε of the subsampled Gaussian mechanism that DP-SGD and DP-FedAvg use).
 * Pure functions over plain numbers and the seeded generator; no tfjs, no DOM, so the privacy
 * widgets compute in the page and the unit tests run them in Node. (DP-FedAvg is a training
 * algorithm and lives with the others in ../algorithms/; dp-round.ts takes one of its rounds
 * apart for the chapter's picture.)
 */
export * from './randomized-response';
export * from './rappor';
export * from './secure-aggregation';
export * from './accountant';
export * from './dp-round';
export { normalQuantile, zForConfidence, leastSquares, erfc, logErfc, type LeastSquares } from './stats';
