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
import { commandLine, UsageError } from './cli';
import { privacySpent, validateAccountantQuery, type AccountantQuery, type Conversion } from '../src/engine/privacy/accountant';

type Kind = { kind: 'number' } | { kind: 'bool' } | { kind: 'choice'; values: readonly string[] };
interface Flag {
  type: Kind;
  help: string;
  field?: 'sampleRate' | 'noiseMultiplier' | 'steps' | 'delta';
}
const num = { kind: 'number' } as const;

export const ACCOUNTANT_FLAGS: Record<string, Flag> = {
  accountant: { type: { kind: 'bool' }, help: 'compute ε only (no training)' },
  'sample-rate': { type: num, field: 'sampleRate', help: 'q, the probability that one participant joins a step, in (0, 1]' },
  noise: { type: num, field: 'noiseMultiplier', help: 'z > 0, the noise multiplier (noise std / sensitivity)' },
  steps: { type: num, field: 'steps', help: 'T ≥ 1, the number of steps (DP-FedAvg rounds, DP-SGD batches)' },
  delta: { type: num, field: 'delta', help: 'δ in (0, 1) (default 1e-5)' },
  conversion: { type: { kind: 'choice', values: ['improved', 'classic'] }, help: 'RDP to (ε, δ): improved (Balle et al. 2020, default) or classic (Mironov 2017)' },
  json: { type: { kind: 'bool' }, help: 'print {"epsilon":…,"order":…}' },
  help: { type: { kind: 'bool' }, help: 'show this help' },
};

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const FIELD_TO_FLAG = new Map(Object.entries(ACCOUNTANT_FLAGS).flatMap(([n, f]) => (f.field ? [[f.field as string, n]] : [])));

export interface AccountantOptions {
  query: AccountantQuery;
  conversion: Conversion;
  json: boolean;
  help: boolean;
}

/** Parses argv (with --accountant somewhere); throws UsageError with one line. */
export function parseAccountantArgs(argv: string[]): AccountantOptions {
  const values: Partial<Record<NonNullable<Flag['field']>, number>> = {};
  const opts: AccountantOptions = { query: { sampleRate: NaN, noiseMultiplier: NaN, steps: NaN, delta: 1e-5 }, conversion: 'improved', json: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}' (flags start with --; see --accountant --help)`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const def = ACCOUNTANT_FLAGS[name];
    if (!def) {
      throw new UsageError(`--${name} does not apply to --accountant (its flags: ${Object.keys(ACCOUNTANT_FLAGS).map((f) => '--' + f).join(' ')})`);
    }
    if (def.type.kind === 'bool') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      if (name === 'json') opts.json = true;
      else if (name === 'help') opts.help = true;
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
      value = argv[++i];
    }
    if (def.type.kind === 'choice') {
      if (!def.type.values.includes(value)) throw new UsageError(`--${name} must be one of ${def.type.values.join('|')} (got '${value}')`);
      opts.conversion = value as Conversion;
      continue;
    }
    if (!NUMBER.test(value)) throw new UsageError(`--${name} needs a number (got '${value}')`);
    values[def.field!] = Number(value);
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
  const rows = Object.entries(ACCOUNTANT_FLAGS).map(([name, d]) => {
    const v = d.type.kind === 'bool' ? '' : d.type.kind === 'choice' ? ` <${d.type.values.join('|')}>` : ' <a number>';
    return `  --${name}${v}\n      ${d.help}`;
  });
  return `usage: npm run simulate -- --accountant --sample-rate q --noise z --steps T [--delta δ] [--json]\n\n${rows.join('\n')}\n`;
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
