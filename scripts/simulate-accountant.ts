/**
 * `npm run simulate -- --accountant --sample-rate q --noise z --steps T [--delta δ] [--json]`:
 * the privacy accountant alone, no training. Prints the ε that T steps of the Poisson-subsampled
 * Gaussian mechanism (sampling rate q, noise multiplier z) spend at δ, and the RDP order that
 * gives it; with --json one object:
 *
 *   {"epsilon":1.0354900660363435,"order":17}
 *
 * --conversion classic reports the older conversion that published figures used (Abadi et al.
 * 2016: q = 0.01, z = 4, T = 10000 → 1.26); the default is the improved one (1.04 there). See
 * src/engine/privacy/accountant.ts. scripts/simulate.ts hands any argv with --accountant to main()
 * here. Bad values (q outside (0, 1], z ≤ 0, T < 1, δ outside (0, 1)) print one line and exit 2.
 */
import { bool, choice, commandLine, flagHelp, flagsByField, num, readFlags, UsageError, type Flag, type FlagWords } from './cli';
import { privacySpent, validateAccountantQuery, type AccountantQuery, type Conversion } from '../src/engine/privacy/accountant';

export const ACCOUNTANT_FLAGS: Record<string, Flag> = {
  accountant: { type: bool, help: 'compute ε only (no training)' },
  'sample-rate': { type: num, field: 'sampleRate', help: 'q, the probability that one participant joins a step, in (0, 1]' },
  noise: { type: num, field: 'noiseMultiplier', help: 'z > 0, the noise multiplier (noise std / sensitivity)' },
  steps: { type: num, field: 'steps', help: 'T ≥ 1, the number of steps (DP-FedAvg rounds, DP-SGD batches)' },
  delta: { type: num, field: 'delta', help: 'δ in (0, 1) (default 1e-5)' },
  conversion: { type: choice(['improved', 'classic']), help: 'RDP to (ε, δ): improved (Balle et al. 2020, default) or classic (Mironov 2017)' },
  json: { type: bool, help: 'print {"epsilon":…,"order":…}' },
  help: { type: bool, help: 'show this help' },
};

const FIELD_TO_FLAG = flagsByField(ACCOUNTANT_FLAGS);

const WORDS: FlagWords = { help: '--accountant --help', unknown: (name, valid) => `--${name} does not apply to --accountant (its flags: ${valid})` };

/** The query fields the number flags set. */
type Field = 'sampleRate' | 'noiseMultiplier' | 'steps' | 'delta';

export interface AccountantOptions {
  query: AccountantQuery;
  conversion: Conversion;
  json: boolean;
  help: boolean;
}

/** Parses argv (with --accountant somewhere); throws UsageError with one line. */
export function parseAccountantArgs(argv: string[]): AccountantOptions {
  const values: Partial<Record<Field, number>> = {};
  const opts: AccountantOptions = { query: { sampleRate: NaN, noiseMultiplier: NaN, steps: NaN, delta: 1e-5 }, conversion: 'improved', json: false, help: false };
  for (const { name, value } of readFlags(argv, ACCOUNTANT_FLAGS, WORDS)) {
    const field = ACCOUNTANT_FLAGS[name].field as Field | undefined;
    if (name === 'json' || name === 'help') opts[name] = true;
    else if (name === 'conversion') opts.conversion = value as Conversion;
    else if (field) values[field] = value as number;
  }
  if (opts.help) return opts;
  const missing = (['sampleRate', 'noiseMultiplier', 'steps'] as const).filter((f) => values[f] === undefined).map((f) => '--' + FIELD_TO_FLAG.get(f));
  if (missing.length) throw new UsageError(`--accountant needs ${missing.join(', ')}`);
  opts.query = { sampleRate: values.sampleRate!, noiseMultiplier: values.noiseMultiplier!, steps: values.steps!, delta: values.delta ?? 1e-5 };
  const problems = validateAccountantQuery(opts.query);
  if (problems.length) throw new UsageError(problems.map((p) => `--${FIELD_TO_FLAG.get(p.field)}: ${p.en.replace(/\.$/, '')}`).join('; '));
  return opts;
}

export function accountantHelp(): string {
  return `usage: npm run simulate -- --accountant --sample-rate q --noise z --steps T [--delta δ] [--json]\n\n${flagHelp(ACCOUNTANT_FLAGS)}\n`;
}

/** 1e-5 rather than 0.00001. */
export function formatDelta(d: number): string {
  return d < 1e-3 ? d.toExponential() : String(d);
}

export function main(argv: string[]): number {
  const opts = commandLine('simulate', argv, parseAccountantArgs, accountantHelp);
  if (typeof opts === 'number') return opts;
  const { epsilon, order } = privacySpent({ ...opts.query, conversion: opts.conversion });
  if (opts.json) {
    process.stdout.write(JSON.stringify({ epsilon, order }) + '\n');
  } else {
    const q = opts.query;
    process.stdout.write(
      `ε = ${epsilon.toFixed(4)} at δ = ${formatDelta(q.delta)} (RDP order α = ${order}; q = ${q.sampleRate}, z = ${q.noiseMultiplier}, T = ${q.steps} steps, ${opts.conversion} conversion)\n`,
    );
  }
  return 0;
}
