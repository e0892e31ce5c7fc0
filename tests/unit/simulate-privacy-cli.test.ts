/**
 * The simulate CLI's privacy parts: DP-FedAvg's flags (--sample-rate, --weight-cap, --delta,
 * --dp-sampling), ε in every round's JSON, the accountant alone (--accountant), one-line usage
 * errors with exit code 2, and DP-FedAvg with q = 1, uniform weights, S = 0, z = 0 equal to FedAvg
 * with uniform weighting through the command line.
 */
import { describe, expect, it } from 'vitest';
import { expectUsageLine, simulate } from './cli-helpers';
import { parseArgs, type JsonReport } from '../../scripts/simulate';
import { parseAccountantArgs } from '../../scripts/simulate-accountant';
import { privacySpent } from '~/engine/privacy/accountant';
import { maxAbsDiff } from './engine-helpers';

describe('DP-FedAvg flags', () => {
  it('map onto the config', () => {
    const { config } = parseArgs('--algorithm dpfedavg --sample-rate 0.2 --weight-cap 30 --delta 1e-6 --clip 1 --noise 1.1'.split(' '));
    expect(config).toMatchObject({ algorithm: 'dpfedavg', sampleRate: 0.2, weightCap: 30, delta: 1e-6, dpSampling: 'poisson', clip: 1, noise: 1.1 });
    expect(parseArgs('--algorithm dpfedavg --dp-sampling fixed'.split(' ')).config.dpSampling).toBe('fixed');
    expect(parseArgs(['--algorithm', 'dpfedavg']).config.delta).toBe(1e-5);
  });

  it.each([
    ['--sample-rate 0', /^--sample-rate: sample rate q must be a number from 0\.0001 to 1\.?$/],
    ['--sample-rate 1.5', /^--sample-rate: /],
    ['--delta 1', /^--delta: δ must be a number strictly between 0 and 1\.?$/],
    ['--delta 0', /^--delta: /],
    ['--weight-cap -3', /^--weight-cap: /],
    ['--dp-sampling some', /^--dp-sampling must be one of poisson\|fixed/],
  ])('%s is one line naming the flag', (args, pattern) => {
    expectUsageLine(() => parseArgs(['--algorithm', 'dpfedavg', ...args.split(' ')]), pattern);
  });
});

describe('--accountant', () => {
  const parse = (args: string) => parseAccountantArgs(['--accountant', ...args.split(' ')]);

  it('parses q, z, T and δ (default 1e-5)', () => {
    expect(parse('--sample-rate 0.01 --noise 4 --steps 10000').query).toEqual({ sampleRate: 0.01, noiseMultiplier: 4, steps: 10000, delta: 1e-5 });
    expect(parse('--sample-rate=1 --noise=0.5 --steps=3 --delta=0.5 --conversion classic --json')).toMatchObject({ query: { sampleRate: 1, delta: 0.5 }, conversion: 'classic', json: true });
  });

  it.each([
    ['--sample-rate 0 --noise 1 --steps 10', /^--sample-rate: the sample rate q must be in \(0, 1\]$/],
    ['--sample-rate 1.01 --noise 1 --steps 10', /^--sample-rate: /],
    ['--sample-rate 0.1 --noise 0 --steps 10', /^--noise: the noise multiplier z must be > 0/],
    ['--sample-rate 0.1 --noise -2 --steps 10', /^--noise: /],
    ['--sample-rate 0.1 --noise 1 --steps 0', /^--steps: the number of steps T must be an integer ≥ 1$/],
    ['--sample-rate 0.1 --noise 1 --steps 2.5', /^--steps: /],
    ['--sample-rate 0.1 --noise 1 --steps 10 --delta 0', /^--delta: δ must be in \(0, 1\)$/],
    ['--sample-rate 0.1 --noise 1 --steps 10 --delta 1', /^--delta: /],
    ['--noise 1', /^--accountant needs --sample-rate, --steps$/],
    ['--sample-rate 0.1 --noise 1 --steps 10 --rounds 4', /^--rounds does not apply to --accountant/],
    ['--sample-rate x --noise 1 --steps 10', /^--sample-rate needs a number \(got 'x'\)$/],
    ['--sample-rate 0.1 --noise 1 --steps 10 --conversion exact', /^--conversion must be one of improved\|classic/],
  ])('%s', (args, pattern) => {
    expectUsageLine(() => parse(args), pattern);
  });
});

describe('the command', () => {
  it('--accountant --json prints {"epsilon","order"}; a bad value exits 2 with one line', async () => {
    const [improved, classic, bad] = await Promise.all([
      simulate(['--accountant', '--sample-rate', '0.01', '--noise', '4', '--steps', '10000', '--delta', '1e-5', '--json']),
      simulate(['--accountant', '--sample-rate', '0.01', '--noise', '4', '--steps', '10000', '--conversion', 'classic', '--json']),
      simulate(['--accountant', '--sample-rate', '0.01', '--noise', '0', '--steps', '10000']),
    ]);
    expect(improved.code).toBe(0);
    const a = JSON.parse(improved.stdout) as { epsilon: number; order: number };
    expect(Object.keys(a)).toEqual(['epsilon', 'order']);
    expect(a.epsilon).toBeCloseTo(1.0355, 4);
    expect(a.order).toBe(17);
    // Abadi et al. 2016's ε ≈ 1.26 with the classic conversion.
    expect(JSON.parse(classic.stdout).epsilon).toBeCloseTo(1.2586, 4);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^simulate: --noise: /);
  });

  it('every DP-FedAvg round carries the ε spent so far; q = 1, uniform, S = 0, z = 0 is FedAvg (uniform)', async () => {
    const common = ['--dataset', 'digits', '--size', '300', '--hidden', '16', '--clients', '6', '--partition', 'dirichlet', '--alpha', '0.3', '--rounds', '3', '--local-epochs', '1', '--json'];
    const [noisy, dp, uniform, samples] = await Promise.all([
      simulate([...common, '--algorithm', 'dpfedavg', '--sample-rate', '0.5', '--clip', '0.5', '--noise', '1.2', '--delta', '1e-4']),
      simulate([...common, '--algorithm', 'dpfedavg', '--sample-rate', '1', '--weight-cap', '0', '--clip', '0', '--noise', '0', '--weights']),
      simulate([...common, '--algorithm', 'fedavg', '--weighting', 'uniform', '--weights']),
      simulate([...common, '--algorithm', 'fedavg', '--weighting', 'samples', '--weights']),
    ]);
    const r = JSON.parse(noisy.stdout) as JsonReport;
    expect(r.status).toBe('finished');
    expect(r.rounds).toHaveLength(3);
    r.rounds.forEach((round, i) => {
      expect(round.epsilon).toBeCloseTo(privacySpent({ sampleRate: 0.5, noiseMultiplier: 1.2, steps: i + 1, delta: 1e-4 }).epsilon, 10);
    });
    expect(r.rounds[2].epsilon!).toBeGreaterThan(r.rounds[0].epsilon!);

    const d = JSON.parse(dp.stdout) as JsonReport;
    const u = JSON.parse(uniform.stdout) as JsonReport;
    const s = JSON.parse(samples.stdout) as JsonReport;
    // No noise, no guarantee: ε is null (JSON has no Infinity); FedAvg rounds have no ε at all.
    expect(d.rounds.every((x) => x.epsilon === null)).toBe(true);
    expect(u.rounds.every((x) => !('epsilon' in x))).toBe(true);
    expect(maxAbsDiff(d.finalWeights!, u.finalWeights!)).toBeLessThanOrEqual(1e-5);
    // Not trivially true: sample weighting on these unequal clients ends elsewhere.
    expect(maxAbsDiff(s.finalWeights!, u.finalWeights!)).toBeGreaterThan(1e-3);
  });
});
