/**
 * The simulate CLI's poisoning and robust-aggregation flags: mapping onto the config, a one-line
 * usage error (exit 2) for every bad value or combination, and the JSON of a real run.
 */
import { describe, expect, it } from 'vitest';
import { simulate, usageOf } from './cli-helpers';
import { parseArgs, type JsonReport } from '../../scripts/simulate';

const usage = (args: string) => usageOf(() => parseArgs(['--dataset', 'digits', ...args.split(' ')]));

describe('simulate: poisoning and aggregation flags', () => {
  it('maps the flags onto config.poison and config.aggregation, with the defaults', () => {
    const a = parseArgs('--dataset digits --malicious 0.2 --poison backdoor --poison-scale 10 --backdoor-target 7 --aggregator krum --trim 0.2 --krum-m 3'.split(' ')).config;
    expect(a.poison).toEqual({ fraction: 0.2, kind: 'backdoor', scale: 10, target: 7 });
    expect(a.aggregation).toEqual({ rule: 'krum', trim: 0.2, krumM: 3, clipNorm: 0, secure: false });
    const b = parseArgs('--dataset digits --poison signflip --aggregator centered --clip-norm 0.5'.split(' ')).config;
    expect(b.poison).toEqual({ fraction: 0.3, kind: 'signflip', scale: 4, target: 0 });
    expect(b.aggregation).toMatchObject({ rule: 'centered', clipNorm: 0.5 });
    expect(parseArgs('--dataset digits --poison labelflip'.split(' ')).config.poison!.scale).toBe(1);
    const c = parseArgs('--dataset digits --poison scale --secure-aggregation'.split(' ')).config;
    expect(c.aggregation).toMatchObject({ rule: 'mean', secure: true });
    const none = parseArgs(['--dataset', 'digits']).config;
    expect(none.poison).toBeUndefined();
    expect(none.aggregation).toBeUndefined();
  });

  it('every bad value or combination is one line naming the flag', () => {
    const cases: Array<[string, RegExp]> = [
      ['--malicious 0.3', /^--malicious needs --poison/],
      ['--poison nothing', /^--poison must be one of labelflip\|signflip\|scale\|backdoor/],
      ['--poison signflip --malicious 0.95', /^--malicious: .*0 to 0\.9/],
      ['--poison signflip --malicious x', /^--malicious needs a number/],
      ['--poison scale --poison-scale 0', /^--poison-scale: /],
      ['--poison-scale 2', /^--poison-scale needs --poison/],
      ['--poison signflip --backdoor-target 3', /^--backdoor-target applies to --poison backdoor only/],
      ['--poison backdoor --backdoor-target 10', /^--backdoor-target: .*0 to 9/],
      ['--aggregator average', /^--aggregator must be one of mean\|median\|trimmed\|krum\|clip\|centered/],
      ['--aggregator trimmed --trim 0.5', /^--trim: /],
      ['--aggregator median --trim 0.1', /^--trim applies to --aggregator trimmed\|krum only \(got median\)/],
      ['--aggregator krum --krum-m 0', /^--krum-m: /],
      ['--aggregator trimmed --krum-m 2', /^--krum-m applies to --aggregator krum only/],
      ['--aggregator clip --clip-norm -1', /^--clip-norm: /],
      ['--clip-norm 1', /^--clip-norm applies to --aggregator clip\|centered only \(got mean\)/],
      ['--aggregator krum --secure-aggregation', /^--secure-aggregation: secure aggregation shows the server only the sum/],
      ['--secure-aggregation=yes', /^--secure-aggregation takes no value/],
      ['--algorithm dpfedavg --aggregator median', /^--algorithm: poisoning and robust aggregation run with fedavg, fedprox, fedsgd only/],
    ];
    for (const [args, re] of cases) {
      const msg = usage(args);
      expect(msg, args).toMatch(re);
      expect(msg!.includes('\n'), args).toBe(false);
    }
  });

  it('a backdoor needs images', () => {
    expect(() => parseArgs('--poison backdoor'.split(' '))).toThrow(/--poison: the pixel-pattern backdoor needs an image dataset/);
  });

  it('the real command: exit 2 with one line, and the JSON of an attacked run', async () => {
    const bad = await simulate(['--dataset', 'digits', '--aggregator', 'median', '--secure-aggregation']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const { code, stdout } = await simulate('--dataset digits --hidden 16 --clients 10 --rounds 2 --local-epochs 1 --malicious 0.3 --poison backdoor --aggregator trimmed --json'.split(' '));
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.status).toBe('finished');
    expect(report.config.aggregation!.rule).toBe('trimmed');
    expect(report.rounds).toHaveLength(2);
    for (const r of report.rounds) {
      expect(r.malicious).toHaveLength(3);
      expect(r.backdoorSuccess).toBeGreaterThanOrEqual(0);
      expect(r.backdoorSuccess).toBeLessThanOrEqual(1);
    }
  });
});
