/**
 * `npm run simulate -- [flags]`: runs the learning engine in Node (wasm backend) and prints a
 * per-round table (progress bar on stderr when it is a terminal), or with --json one JSON object:
 *
 *   {"config":{…},"parameters":N,"rounds":[{"round":1,"testAccuracy":…,"testLoss":…,
 *    "trainLoss":…,"bytesUp":…,"bytesDown":…},…],"status":"finished"|"diverged"|"cancelled"}
 *
 * plus "finalWeights":[…] with --weights and "message" when the run diverged. Federated rounds list
 * the selected clients that never answered in "dropped":[…] (--dropout), and --personalize-epochs
 * adds "personalized":{"epochs","clients":[{"client","trainN","testN","before","after"},…],
 * "meanBefore","meanAfter"}. Centralized and
 * split runs have one entry per epoch. The split family adds "cutWidth" (floats per example at
 * the cut) and "clientParameters" (η_c·N), and every entry its "bytesByKind":{…}.
 *
 * --malicious f --poison labelflip|signflip|scale|backdoor and --aggregator mean|median|trimmed|
 * krum|clip|centered (scripts/simulate-robust.ts) run a poisoning attack against a robust rule;
 * each entry then has "malicious":[clients] and, with a backdoor, "backdoorSuccess".
 *
 * --leakage measures, after training, how well a least-squares linear decoder rebuilds the input
 * from each cut layer's activations (held-out error; --algorithm defaults to split here) and adds
 * "leakage":[{"cut":1,"reconstructionError":…},…] (a table without --json). A bad flag or value prints one line naming the flag and what is
 * valid, and exits with code 2; so does a setting found impossible only once the data is loaded
 * (a Dirichlet partition that leaves a client with no examples). Exit codes: 0 finished or
 * diverged (see "status"), 1 other errors, 2 usage, 130 interrupted (Ctrl-C stops the run cleanly
 * and prints what it has).
 *
 * --attack inversion runs the gradient inversion attack instead (its own flags and JSON:
 * scripts/simulate-inversion.ts).
 *
 * DP-FedAvg (--algorithm dpfedavg) samples each client with probability --sample-rate q, weights
 * clients min(n_k/ŵ, 1) with --weight-cap ŵ (0 = all 1) and adds noise σ = zS/(qW); every round
 * entry carries "epsilon", the ε spent so far at --delta δ (default 1e-5), or null when there is no
 * guarantee (z = 0 or S = 0, or --dp-sampling fixed, the earlier exactly-m sampling).
 * --accountant computes ε alone, without training (scripts/simulate-accountant.ts).
 */
import type { ConfigProblem, CutLeakage, Personalization, RunConfig, RoundMetrics } from '../src/engine/types';
import { ConfigError, defaultConfig, implementedAlgorithms, isSplitAlgorithm, run, validateConfig, DATASETS, MODELS, ACTIVATIONS, PARTITIONS, WEIGHTINGS, VARIANTS, HANDOFFS, DP_SAMPLINGS, DEFAULT_DIVERGE_FACTOR } from '../src/engine/index';
import { initNodeBackend, nodeDataSource } from '../src/engine/node';
import { applyRobustFlags, ROBUST_FLAGS } from './simulate-robust';
import { formatDelta } from './simulate-accountant';
import { batch, bool, choice, commandLine, flagHelp, flagsByField, list, num, readFlags, runIfMain, UsageError, type Flag, type FlagWords } from './cli';

export { UsageError };

export const FLAGS: Record<string, Flag> = {
  algorithm: { type: choice(implementedAlgorithms), field: 'algorithm', help: 'training algorithm' },
  dataset: { type: choice(() => DATASETS), field: 'dataset.name', help: 'dataset' },
  size: { type: num, field: 'dataset.size', help: '2D sets: points per split; digits/mnist: cap on training examples (0 = all)' },
  'data-noise': { type: num, field: 'dataset.noise', help: 'noise of the 2D sets, 0…1' },
  model: { type: choice(() => MODELS), field: 'model.kind', help: 'model' },
  hidden: { type: list('16,16'), field: 'model.hidden', help: "MLP hidden widths, e.g. 16,16 ('' for none)" },
  activation: { type: choice(() => ACTIVATIONS), field: 'model.activation', help: 'MLP activation' },
  clients: { type: num, field: 'clients', help: 'K, number of clients' },
  fraction: { type: num, field: 'fraction', help: 'C, fraction of clients per round' },
  'local-epochs': { type: num, field: 'localEpochs', help: 'E, local epochs per round' },
  epochs: { type: num, field: 'epochs', help: 'epochs of centralized training and of split learning' },
  batch: { type: batch, field: 'batchSize', help: "B, batch size or 'all'" },
  lr: { type: num, field: 'lr', help: 'η, learning rate' },
  rounds: { type: num, field: 'rounds', help: 'communication rounds' },
  partition: { type: choice(() => PARTITIONS), field: 'partition.kind', help: 'how data is split among clients' },
  alpha: { type: num, field: 'partition.alpha', help: 'Dirichlet α (dirichlet, quantity)' },
  'shards-per-client': { type: num, field: 'partition.shardsPerClient', help: 'shards per client (shards)' },
  mu: { type: num, field: 'mu', help: 'FedProx μ' },
  clip: { type: num, field: 'clip', help: 'DP-FedAvg clip norm S (0 = none)' },
  noise: { type: num, field: 'noise', help: 'DP-FedAvg noise multiplier z' },
  'sample-rate': { type: num, field: 'sampleRate', help: 'DP-FedAvg q: each client joins a round with probability q, in (0, 1]' },
  'weight-cap': { type: num, field: 'weightCap', help: 'DP-FedAvg ŵ: client weight min(n_k/ŵ, 1) (0 = every weight 1)' },
  delta: { type: num, field: 'delta', help: 'DP-FedAvg: the δ at which each round reports the spent ε (default 1e-5)' },
  'dp-sampling': { type: choice(() => DP_SAMPLINGS), field: 'dpSampling', help: 'DP-FedAvg: poisson (the paper) or fixed (exactly m = C·K clients, the earlier calibration, no ε)' },
  weighting: { type: choice(() => WEIGHTINGS), field: 'weighting', help: 'aggregation weights' },
  seed: { type: num, field: 'seed', help: 'random seed' },
  'no-shuffle': { type: bool, field: 'shuffle', help: 'keep batches in order (no reshuffling)' },
  cut: { type: num, field: 'cut', help: 'split family: the client runs the first c layers' },
  variant: { type: choice(() => VARIANTS), field: 'variant', help: 'split: labels to the server (vanilla), kept by the client (ushaped), or feature bands per client (vertical)' },
  handoff: { type: choice(() => HANDOFFS), field: 'handoff', help: 'split: the client part goes to the next client directly (p2p) or via the server' },
  // Beyond FedAvg: server steps, who comes back, personalization.
  'server-lr': { type: num, field: 'serverLr', help: 'scaffold, fedavgm, fedadam, fedyogi, fedadagrad: server step size η_g (default 1; the adaptive ones want ~0.01)' },
  'server-momentum': { type: num, field: 'serverMomentum', help: 'fedavgm: server momentum β (default 0.9)' },
  beta1: { type: num, field: 'beta1', help: 'fedadam, fedyogi, fedadagrad: first-moment decay β₁ (default 0.9)' },
  beta2: { type: num, field: 'beta2', help: 'fedadam, fedyogi: second-moment decay β₂ (default 0.99)' },
  tau: { type: num, field: 'tau', help: 'fedadam, fedyogi, fedadagrad: adaptivity τ (default 0.001)' },
  dropout: { type: num, field: 'dropout', help: 'federated: probability that a selected client never sends its update back' },
  stragglers: { type: num, field: 'stragglers', help: 'federated: probability that a selected client runs only a random 1…E local epochs' },
  'personalize-epochs': { type: num, field: 'personalizeEpochs', help: 'federated: after training, each client fine-tunes for this many epochs (0 = off)' },
  ...ROBUST_FLAGS,
  leakage: { type: bool, help: 'after training, the linear decoder error per cut layer (default algorithm: split)' },
  mnist: { type: choice(() => ['full', 'subset']), help: 'MNIST: all 60000/10000 (default) or the browser subset' },
  backend: { type: choice(() => ['wasm', 'cpu']), help: 'tfjs backend (default wasm)' },
  sequential: { type: bool, help: "train a round's clients one after another instead of together (same results; for comparison)" },
  json: { type: bool, help: 'print one JSON object' },
  weights: { type: bool, help: 'include the final weights' },
  help: { type: bool, help: 'show this help' },
};

const FIELD_TO_FLAG = flagsByField(FLAGS);

const WORDS: FlagWords = { help: '--help', unknown: (name, valid) => `unknown flag --${name} (valid flags: ${valid})`, sayValues: true };

export interface CliOptions {
  config: RunConfig;
  json: boolean;
  weights: boolean;
  help: boolean;
  mnist: 'full' | 'subset';
  backend: 'wasm' | 'cpu';
  leakage: boolean;
  sequential: boolean;
}

function setField(config: RunConfig, field: string, value: unknown): void {
  const [a, b] = field.split('.');
  if (b) (config as unknown as Record<string, Record<string, unknown>>)[a][b] = value;
  else (config as unknown as Record<string, unknown>)[a] = value;
}

/** Parses argv (without node and script) into a config; throws UsageError with one line. */
export function parseArgs(argv: string[]): CliOptions {
  const config = defaultConfig();
  const opts: CliOptions = { config, json: false, weights: false, help: false, mnist: 'full', backend: 'wasm', leakage: false, sequential: false };
  let algorithmGiven = false;
  // Poisoning and robust-aggregation flags: collected, then applied by scripts/simulate-robust.ts.
  const robust: Record<string, unknown> = {};
  for (const { name, value } of readFlags(argv, FLAGS, WORDS)) {
    if (name === 'algorithm') algorithmGiven = true;
    if (name in ROBUST_FLAGS) robust[name] = value;
    else if (name === 'no-shuffle') config.shuffle = false;
    else if (name === 'json' || name === 'weights' || name === 'help' || name === 'leakage' || name === 'sequential') opts[name] = true;
    else if (name === 'mnist') opts.mnist = value as CliOptions['mnist'];
    else if (name === 'backend') opts.backend = value as CliOptions['backend'];
    else setField(config, FLAGS[name].field!, value);
  }
  if (opts.leakage && !algorithmGiven) config.algorithm = 'split';
  // The 2D default size would cap an image set: without --size, images use all examples.
  if (!argv.some((a) => a === '--size' || a.startsWith('--size=')) && (config.dataset.name === 'digits' || config.dataset.name === 'mnist')) {
    config.dataset.size = 0;
  }
  applyRobustFlags(config, robust);
  const problems = validateConfig(config);
  if (problems.length) throw new UsageError(problems.map(problemLine).join('; '));
  if (opts.leakage && config.algorithm === 'split' && config.variant === 'vertical') {
    throw new UsageError('--leakage needs one model over the whole input: not available with --variant vertical');
  }
  return opts;
}

function problemLine(p: ConfigProblem): string {
  const flag = FIELD_TO_FLAG.get(p.field);
  return flag ? `--${flag}: ${p.en}` : `${p.field}: ${p.en}`;
}

/** One line about the attack and the aggregation rule, or '' when there is neither. */
function describeRobust(c: RunConfig): string {
  const parts: string[] = [];
  const p = c.poison;
  if (p && p.fraction > 0) parts.push(`attack ${p.kind}: f=${p.fraction} s=${p.scale}${p.kind === 'backdoor' ? ` target=${p.target}` : ''}`);
  const a = c.aggregation;
  if (a) {
    const extra = a.rule === 'trimmed' ? ` β=${a.trim}` : a.rule === 'krum' ? ` β=${a.trim} m=${a.krumM}` : a.rule === 'clip' || a.rule === 'centered' ? ` radius=${a.clipNorm || 'median norm'}` : '';
    parts.push(`aggregator ${a.rule}${extra}${a.secure ? ' (secure aggregation)' : ''}`);
  }
  return parts.join(' · ');
}

export function helpText(): string {
  const attack =
    '  --attack inversion\n      run the gradient inversion attack instead of training (--attack inversion --help lists its flags)\n' +
    '  --accountant\n      print the ε of --sample-rate q, --noise z, --steps T at --delta δ, no training (--accountant --help lists its flags)';
  return `usage: npm run simulate -- [flags]\n\n${flagHelp(FLAGS)}\n${attack}\n`;
}

export interface JsonReport {
  config: RunConfig;
  parameters: number;
  /** Split family: floats per example at the cut (q), and parameters a client holds (η_c·N). */
  cutWidth?: number;
  clientParameters?: number;
  /** U-shaped: floats per example at the second cut (q₂). */
  headCutWidth?: number;
  /** With --poison: `malicious` = the malicious clients of the round, `backdoorSuccess` with a backdoor. */
  /** DP-FedAvg: `epsilon` = ε spent so far at the config's δ (null: no guarantee). */
  rounds: Array<Pick<RoundMetrics, 'round' | 'testAccuracy' | 'testLoss' | 'trainLoss' | 'bytesUp' | 'bytesDown' | 'bytesByKind' | 'backdoorSuccess' | 'dropped' | 'epsilon'> & { malicious?: number[] }>;
  status: 'finished' | 'diverged' | 'cancelled';
  message?: string;
  finalWeights?: number[];
  /** With --leakage: the decoder's held-out error per cut layer. */
  leakage?: CutLeakage[];
  /** With --personalize-epochs: per-client accuracy on its own test split before and after fine-tuning. */
  personalized?: Personalization;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

function progress(done: number, total: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

export async function main(argv: string[]): Promise<number> {
  // Attacks have flags of their own (scripts/simulate-inversion.ts).
  if (argv.some((a) => a === '--attack' || a.startsWith('--attack='))) return (await import('./simulate-inversion')).main(argv);
  // The privacy accountant alone: no training, its own flags.
  if (argv.includes('--accountant')) return (await import('./simulate-accountant')).main(argv);
  const opts = commandLine('simulate', argv, parseArgs, helpText);
  if (typeof opts === 'number') return opts;
  const { config } = opts;
  await initNodeBackend(opts.backend);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);

  const isCentral = config.algorithm === 'centralized';
  // Centralized and round-robin split learning report per epoch, the federated family per round.
  const perEpoch = isCentral || config.algorithm === 'split';
  const total = perEpoch ? config.epochs : config.rounds;
  const tty = !opts.json && process.stderr.isTTY;
  const report: JsonReport = { config, parameters: 0, rounds: [], status: 'finished' };
  const out = (s: string) => process.stdout.write(s + '\n');
  const started = performance.now();
  let totalUp = 0;
  let totalDown = 0;
  const backdoor = config.poison?.kind === 'backdoor' && config.poison.fraction > 0;
  const dp = config.algorithm === 'dpfedavg';
  const head = [perEpoch ? 'epoch' : 'round', 'test acc', 'test loss', 'train loss', 'up', 'down', ...(backdoor ? ['backdoor'] : []), ...(dp ? [`ε (δ=${formatDelta(config.delta)})`] : [])];
  const widths = [6, 9, 10, 11, 11, 11, ...(backdoor ? [9] : []), 14];
  let malicious: number[] | undefined;
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padStart(widths[i]) : c.padStart(widths[i]))).join('  ');

  try {
    for await (const e of run(config, {
      signal: controller.signal,
      // The pages' rule: a training loss five times that of guessing is a run that has blown up.
      divergeFactor: DEFAULT_DIVERGE_FACTOR,
      data: nodeDataSource({ mnistFull: opts.mnist === 'full' }),
      finalWeights: opts.weights,
      sequential: opts.sequential,
      ...(opts.leakage ? { serverView: { examples: [] } } : {}),
    })) {
      switch (e.type) {
        case 'run-started':
          report.parameters = e.parameters;
          report.config = e.config;
          if (e.cutWidth !== undefined) report.cutWidth = e.cutWidth;
          if (e.clientParameters !== undefined) report.clientParameters = e.clientParameters;
          if (e.headCutWidth !== undefined) report.headCutWidth = e.headCutWidth;
          if (!opts.json) {
            const c = e.config;
            const model = c.model.kind === 'mlp' ? `mlp [${c.model.hidden}] ${c.model.activation}` : c.model.kind;
            const fed = isCentral ? `epochs=${c.epochs}` : c.algorithm === 'split' ? `K=${c.clients} epochs=${c.epochs}` : `K=${c.clients} C=${c.fraction} E=${c.localEpochs} rounds=${c.rounds}`;
            out(`${c.algorithm} · ${c.dataset.name} (${e.data.trainSize} train / ${e.data.testSize} test) · ${model} · ${e.parameters} parameters`);
            out(`${fed} B=${c.batchSize} η=${c.lr} partition=${c.partition.kind} seed=${c.seed}${c.shuffle ? '' : ' no-shuffle'}`);
            if (isSplitAlgorithm(c.algorithm)) {
              const q2 = e.headCutWidth !== undefined ? ` q2=${e.headCutWidth}` : '';
              const route = c.algorithm === 'split' && c.variant !== 'vertical' ? ` handoff=${c.handoff}` : '';
              out(`cut=${c.cut} variant=${c.variant}${route} · q=${e.cutWidth}${q2} floats per example at the cut · client part ${e.clientParameters} parameters`);
            }
            const robustLine = describeRobust(c);
            if (robustLine) out(robustLine);
            if (c.algorithm === 'dpfedavg') {
              const sampling = c.dpSampling === 'poisson' ? `q=${c.sampleRate} (Poisson) ŵ=${c.weightCap || 'none (w_k = 1)'}` : `fixed m=${Math.max(Math.floor(c.fraction * c.clients + 1e-9), 1)} weighting=${c.weighting}`;
              out(`DP-FedAvg: ${sampling} S=${c.clip} z=${c.noise} δ=${formatDelta(c.delta)}`);
            }
            out('');
            out(row(head));
          }
          break;
        case 'round-started':
          malicious = e.malicious;
          break;
        case 'round-metrics': {
          const m = e.metrics;
          report.rounds.push({
            round: m.round,
            testAccuracy: m.testAccuracy,
            testLoss: m.testLoss,
            trainLoss: m.trainLoss,
            bytesUp: m.bytesUp,
            bytesDown: m.bytesDown,
            bytesByKind: m.bytesByKind,
            ...(m.dropped ? { dropped: m.dropped } : {}),
            ...(malicious ? { malicious } : {}),
            ...(m.backdoorSuccess !== undefined ? { backdoorSuccess: m.backdoorSuccess } : {}),
            ...(m.epsilon !== undefined ? { epsilon: m.epsilon } : {}),
          });
          totalUp += m.bytesUp;
          totalDown += m.bytesDown;
          if (!opts.json) {
            if (tty) process.stderr.write('\r\x1b[K');
            out(row([String(m.round), (100 * m.testAccuracy).toFixed(2) + '%', m.testLoss.toFixed(4), m.trainLoss.toFixed(4), bytes(m.bytesUp), bytes(m.bytesDown), ...(m.backdoorSuccess !== undefined ? [(100 * m.backdoorSuccess).toFixed(1) + '%'] : []), ...(dp ? [m.epsilon == null ? 'none' : m.epsilon.toFixed(3)] : [])]) + (m.dropped?.length ? `  dropped ${m.dropped.join(',')}` : ''));
          }
          if (tty) process.stderr.write(progress(m.round, total));
          break;
        }
        case 'server-view':
          report.leakage = e.leakage;
          break;
        case 'personalized': {
          const { type: _t, round: _r, ...p } = e;
          report.personalized = p;
          break;
        }
        case 'run-finished':
          report.status = 'finished';
          if (e.weights) report.finalWeights = Array.from(e.weights);
          break;
        case 'run-diverged':
          report.status = 'diverged';
          report.message = e.messageEn;
          break;
        case 'run-cancelled':
          report.status = 'cancelled';
          break;
      }
    }
  } catch (e) {
    // A problem found only once the data is loaded (a Dirichlet partition that leaves a client
    // empty) is still the user's setting: one line and exit 2, like the checks before the run.
    if (e instanceof ConfigError) {
      if (tty) process.stderr.write('\r\x1b[K');
      process.stderr.write(`simulate: ${e.problems.map(problemLine).join('; ')}\n`);
      return 2;
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', onSigint);
    if (tty) process.stderr.write('\r\x1b[K');
  }

  if (opts.json) {
    process.stdout.write(JSON.stringify(report) + '\n');
  } else {
    out('');
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    const status = report.status === 'diverged' ? `diverged: ${report.message}` : report.status;
    out(`${status} after ${report.rounds.length} ${perEpoch ? 'epochs' : 'rounds'} in ${secs} s · sent up ${bytes(totalUp)}, down ${bytes(totalDown)}`);
    if (report.leakage) {
      out('');
      out('linear decoder from each cut back to the input (held-out test examples):');
      out(['cut', 'width', 'reconstruction error', 'mse'].map((h, i) => h.padStart([4, 6, 21, 9][i])).join('  '));
      for (const l of report.leakage) {
        const width = l.featuresUsed < l.width ? `${l.width}*` : String(l.width);
        out([String(l.cut).padStart(4), width.padStart(6), l.reconstructionError.toFixed(4).padStart(21), l.mse.toFixed(5).padStart(9)].join('  '));
      }
      out('(reconstruction error = Σ‖x̂ − x‖² / Σ‖x − x̄‖²: 0 is perfect, 1 no better than the mean input' + (report.leakage.some((l) => l.featuresUsed < l.width) ? '; * = a random subset of units' : '') + ')');
    }
    if (report.personalized) {
      const p = report.personalized;
      out('');
      out(`personalization: ${p.epochs} epoch(s) of fine-tuning per client, accuracy on each client's own test split`);
      out(['client', 'train', 'test', 'global', 'fine-tuned'].map((h, i) => h.padStart([6, 6, 5, 8, 10][i])).join('  '));
      for (const c of p.clients) {
        out([String(c.client).padStart(6), String(c.trainN).padStart(6), String(c.testN).padStart(5), ((100 * c.before).toFixed(1) + '%').padStart(8), ((100 * c.after).toFixed(1) + '%').padStart(10)].join('  '));
      }
      out(`mean over clients: global ${(100 * p.meanBefore).toFixed(2)}% → fine-tuned ${(100 * p.meanAfter).toFixed(2)}%`);
    }
    if (report.finalWeights) out(JSON.stringify(report.finalWeights));
  }
  return report.status === 'cancelled' ? 130 : 0;
}

runIfMain(import.meta.url, 'simulate', main);
