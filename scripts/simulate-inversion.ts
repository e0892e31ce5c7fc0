/**
 * `npm run simulate -- --attack inversion [flags]`: the gradient inversion attack in Node (see
 * src/engine/attacks/inversion.ts). Prints a short report, or with --json one object:
 *
 *   {"config":{…},"status":"finished"|"diverged"|"cancelled",
 *    "inversion":{"psnr":[…],"meanPsnr":…,"labelAccuracy":…,"analyticPsnr":…,"labels":[…],
 *                 "originalLabels":[…],"steps":…,"updateNorm":…,"sentCoordinates":…,"epsilon":…}}
 *
 * psnr has one entry per image of the attacked client (dB, against its matched reconstruction);
 * epsilon is present with --noise. scripts/simulate.ts hands any argv with --attack to main()
 * here. A bad flag or value prints one line and exits with code 2.
 */
import { defaultInversionConfig, runInversion, validateInversion, INVERSION_ACTIVATIONS, INVERSION_DATASETS, INVERSION_LABELS, type InversionConfig } from '../src/engine/attacks/inversion';
import { initNodeBackend, nodeDataSource } from '../src/engine/node';
import type { ConfigProblem } from '../src/engine/types';
import { bool, choice, commandLine, flagHelp, flagsByField, list, num, readFlags, UsageError, type Flag, type FlagWords } from './cli';

export const INVERSION_FLAGS: Record<string, Flag> = {
  attack: { type: choice(['inversion']), help: 'the attack to run' },
  dataset: { type: choice(INVERSION_DATASETS), field: 'dataset', help: 'the images the client holds' },
  model: { type: choice(['mlp']), help: 'the attacked model (an MLP)' },
  hidden: { type: list('32 or 32,16'), field: 'hidden', help: 'MLP hidden widths, e.g. 32 or 32,16' },
  activation: { type: choice(INVERSION_ACTIVATIONS), field: 'activation', help: 'MLP activation (sigmoid and tanh are twice differentiable)' },
  'attack-batch': { type: num, field: 'batch', help: 'b, images in the client’s batch' },
  'attack-steps': { type: num, field: 'attackSteps', help: 'optimisation steps of the attacker' },
  'local-steps': { type: num, field: 'localSteps', help: 'E, local gradient steps before sending (1 = FedSGD)' },
  lr: { type: num, field: 'lr', help: 'η, the client’s learning rate' },
  'attack-lr': { type: num, field: 'attackLr', help: 'Adam step size of the attacker' },
  tv: { type: num, field: 'tv', help: 'weight of the total-variation prior (0 = none)' },
  labels: { type: choice(INVERSION_LABELS), field: 'labels', help: 'infer labels from the update (iDLG) or optimise them (DLG)' },
  clip: { type: num, field: 'clip', help: 'DP defence: clip the update to norm S (0 = none)' },
  noise: { type: num, field: 'noise', help: 'DP defence: Gaussian noise multiplier z (σ = z·S; needs --clip)' },
  'secure-agg': { type: num, field: 'secureAgg', help: 'secure aggregation: the server sees the sum of K clients (1 = off)' },
  topk: { type: num, field: 'topk', help: 'top-k sparsification: fraction of coordinates sent (1 = off)' },
  seed: { type: num, field: 'seed', help: 'random seed' },
  mnist: { type: choice(['full', 'subset']), help: 'MNIST: all 60000 training images (default) or the browser subset' },
  backend: { type: choice(['wasm', 'cpu']), help: 'tfjs backend (default wasm)' },
  json: { type: bool, help: 'print one JSON object' },
  help: { type: bool, help: 'show this help' },
};

const FIELD_TO_FLAG = flagsByField(INVERSION_FLAGS);

const WORDS: FlagWords = { help: '--attack inversion --help', unknown: (name, valid) => `--${name} is not a flag of --attack inversion (valid: ${valid})` };

interface Options {
  config: InversionConfig;
  json: boolean;
  help: boolean;
  mnist: 'full' | 'subset';
  backend: 'wasm' | 'cpu';
}

function problemLine(p: ConfigProblem): string {
  const flag = FIELD_TO_FLAG.get(p.field.split('.')[0]);
  return flag ? `--${flag}: ${p.en}` : `${p.field}: ${p.en}`;
}

/** Parses argv (containing --attack inversion); throws UsageError with one line. */
export function parseInversionArgs(argv: string[]): Options {
  const config = defaultInversionConfig();
  const opts: Options = { config, json: false, help: false, mnist: 'full', backend: 'wasm' };
  for (const { name, value } of readFlags(argv, INVERSION_FLAGS, WORDS)) {
    const field = INVERSION_FLAGS[name].field;
    if (name === 'json' || name === 'help') opts[name] = true;
    else if (name === 'mnist') opts.mnist = value as Options['mnist'];
    else if (name === 'backend') opts.backend = value as Options['backend'];
    else if (field) (config as unknown as Record<string, unknown>)[field] = value;
  }
  const problems = validateInversion(config);
  if (problems.length) throw new UsageError(problems.map(problemLine).join('; '));
  return opts;
}

function helpText(): string {
  return `usage: npm run simulate -- --attack inversion [flags]\n\n${flagHelp(INVERSION_FLAGS)}\n`;
}

export interface InversionReport {
  config: InversionConfig;
  status: 'finished' | 'diverged' | 'cancelled';
  message?: string;
  inversion: {
    psnr: number[];
    meanPsnr: number;
    labelAccuracy: number;
    analyticPsnr: number;
    labels: number[];
    originalLabels: number[];
    steps: number;
    updateNorm: number;
    sentCoordinates: number;
    epsilon?: number;
  };
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

export async function main(argv: string[]): Promise<number> {
  const opts = commandLine('simulate', argv, parseInversionArgs, helpText);
  if (typeof opts === 'number') return opts;
  await initNodeBackend(opts.backend);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const out = (s: string) => process.stdout.write(s + '\n');
  const c = opts.config;
  const report: InversionReport = {
    config: c,
    status: 'finished',
    inversion: { psnr: [], meanPsnr: 0, labelAccuracy: 0, analyticPsnr: 0, labels: [], originalLabels: [], steps: 0, updateNorm: 0, sentCoordinates: 0 },
  };
  const inv = report.inversion;
  const started = performance.now();
  try {
    for await (const e of runInversion(c, { signal: controller.signal, data: nodeDataSource({ mnistFull: opts.mnist === 'full' }) })) {
      if (e.type === 'inversion-started') {
        Object.assign(inv, { analyticPsnr: round(e.analytic.psnr), originalLabels: e.originalLabels, updateNorm: round(e.updateNorm, 6), sentCoordinates: e.sentCoordinates });
        if (e.epsilon !== undefined) inv.epsilon = round(e.epsilon);
        if (!opts.json) {
          out(`gradient inversion · ${c.dataset} · mlp [${c.hidden}] ${c.activation} · ${e.parameters} parameters · b=${c.batch} E=${c.localSteps} η=${c.lr} · labels=${c.labels} · seed=${c.seed}`);
          const defences = [c.clip > 0 ? `clip S=${c.clip}` : '', c.noise > 0 ? `noise z=${c.noise} (ε=${inv.epsilon} at δ=1e-5)` : '', c.secureAgg > 1 ? `secure aggregation K=${c.secureAgg}` : '', c.topk < 1 ? `top-k ${c.topk} (${e.sentCoordinates}/${e.updateSize} coordinates)` : ''].filter(Boolean);
          out(`defences: ${defences.length ? defences.join(', ') : 'none'} · ‖Δ‖ = ${e.updateNorm.toPrecision(3)} · analytic first-layer recovery ${e.analytic.psnr.toFixed(1)} dB`);
          out('');
          out('  step      loss   mean PSNR   labels');
        }
      } else if (e.type === 'inversion-step') {
        if (!opts.json) out(`${String(e.step).padStart(6)}  ${e.loss.toFixed(5).padStart(8)}  ${e.meanPsnr.toFixed(2).padStart(8)} dB  ${(100 * e.labelAccuracy).toFixed(0)}%`);
      } else if (e.type === 'inversion-finished') {
        Object.assign(inv, { psnr: e.psnr.map((p) => round(p)), meanPsnr: round(e.meanPsnr), labelAccuracy: e.labelAccuracy, labels: e.match.map((r) => e.labels[r]), steps: e.steps });
      } else if (e.type === 'inversion-diverged') {
        report.status = 'diverged';
        report.message = e.messageEn;
        inv.steps = e.step;
      } else if (e.type === 'inversion-cancelled') {
        report.status = 'cancelled';
        inv.steps = e.step;
      }
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  if (opts.json) process.stdout.write(JSON.stringify(report) + '\n');
  else {
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    out('');
    if (report.status === 'diverged') out(`diverged: ${report.message}`);
    else out(`${report.status} after ${inv.steps} steps in ${secs} s · PSNR per image ${inv.psnr.map((p) => p.toFixed(1)).join(', ')} dB (mean ${inv.meanPsnr.toFixed(2)}) · labels ${inv.labels.join(',')} for ${inv.originalLabels.join(',')}`);
  }
  return report.status === 'cancelled' ? 130 : 0;
}
