/**
 * The privacy chapter's mathematics (spec §6): randomized response, RAPPOR and secure
 * aggregation. Pure functions over plain numbers and the seeded generator; no tfjs, no DOM, so
 * the privacy widgets compute in the page and the unit tests run them in Node. (DP-FedAvg is a
 * training algorithm and lives with the others in ../algorithms/federated.ts.)
 */
export * from './randomized-response';
export * from './rappor';
export * from './secure-aggregation';
export { normalQuantile, zForConfidence, leastSquares, erfc, type LeastSquares } from './stats';
