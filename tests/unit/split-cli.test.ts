/**
 * The simulate CLI's split flags: parsing, one-line errors, and properties 1 and 2 of
 * tests/unit/split-properties.test.ts (split learning equals centralized SGD, for every cut)
 * through the real command (spawned like `npm run simulate`), plus the --leakage report.
 */
import { describe, expect, it } from 'vitest';
import { simulate, usageOf } from './cli-helpers';
import { parseArgs, type JsonReport } from '../../scripts/simulate';
import { maxAbsDiff } from './engine-helpers';

const usage = (args: string) => usageOf(() => parseArgs(args.split(' ')));

describe('simulate: split flags', () => {
  it('maps --cut, --variant, --handoff, --no-shuffle and --leakage', () => {
    const o = parseArgs('--algorithm split --dataset digits --hidden 32,16,8 --cut 2 --variant ushaped --handoff server --no-shuffle --leakage'.split(' '));
    expect(o.config).toMatchObject({ algorithm: 'split', cut: 2, variant: 'ushaped', handoff: 'server', shuffle: false });
    expect(o.leakage).toBe(true);
    // --leakage trains with split learning unless told otherwise
    expect(parseArgs(['--leakage']).config.algorithm).toBe('split');
    expect(parseArgs(['--leakage', '--algorithm', 'centralized']).config.algorithm).toBe('centralized');
    expect(parseArgs(['--algorithm', 'splitfed2']).config.algorithm).toBe('splitfed2');
  });

  it.each([
    ['--algorithm split --hidden 32,16 --cut 3', /^--cut: cut layer c must be from 1 to 2 for this model of 3 layers/],
    ['--algorithm split --cut 1.5', /^--cut: cut layer c must be an integer from 1 to 6/],
    ['--algorithm split --variant diagonal', /^--variant must be one of vanilla\|ushaped\|vertical/],
    ['--algorithm split --handoff pigeon', /^--handoff must be one of p2p\|server/],
    ['--algorithm splitfed1 --variant vertical', /^--variant: the vertical variant works with split only/],
    ['--algorithm split --variant vertical --clients 3', /^--clients: vertical split: 3 clients cannot share the 2 features/],
    ['--leakage --variant vertical --dataset digits', /^--leakage needs one model over the whole input/],
  ])('%s → one line naming the flag', (args, message) => {
    expect(usage(args)).toMatch(message);
  });
});

describe('simulate: split through the command line', () => {
  it('properties 1 and 2: --algorithm split --no-shuffle equals centralized --no-shuffle, for --cut 1 and 2', async () => {
    const common = '--dataset digits --size 300 --hidden 32,16 --clients 3 --batch 10 --epochs 2 --no-shuffle --weights --json';
    const [c, s1, s2, table] = await Promise.all([
      simulate(`--algorithm centralized ${common}`),
      simulate(`--algorithm split --cut 1 ${common}`),
      simulate(`--algorithm split --cut 2 --handoff server ${common}`),
      simulate('--algorithm split --dataset digits --size 300 --hidden 32,16 --clients 3 --epochs 1 --variant ushaped'),
    ]);
    for (const r of [c, s1, s2]) expect(r.code, r.stderr).toBe(0);
    const [rc, r1, r2] = [c, s1, s2].map((r) => JSON.parse(r.stdout) as JsonReport);
    expect(maxAbsDiff(r1.finalWeights!, rc.finalWeights!)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(r2.finalWeights!, rc.finalWeights!)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(r1.finalWeights!, r2.finalWeights!)).toBeLessThanOrEqual(1e-5);
    // The JSON adds the cut's width, the client part's size and the bytes by kind per epoch.
    expect([r1.cutWidth, r1.clientParameters, r2.cutWidth, r2.clientParameters]).toEqual([32, 64 * 32 + 32, 16, 64 * 32 + 32 + 32 * 16 + 16]);
    expect(rc.cutWidth).toBeUndefined();
    expect(r1.rounds).toHaveLength(2);
    expect(r1.rounds[0].bytesByKind).toEqual({ smashed: 300 * 32 * 4, labels: 300 * 4, gradient: 300 * 32 * 4, handoff: 3 * (64 * 32 + 32) * 4 });
    expect(r2.rounds[1].bytesByKind.handoff).toBe(2 * 3 * (64 * 32 + 32 + 32 * 16 + 16) * 4);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^split · digits \(300 train \/ 360 test\) · mlp \[32,16\] relu · 2778 parameters\nK=3 epochs=1 /);
    expect(table.stdout).toMatch(/\ncut=1 variant=ushaped handoff=p2p · q=32 q2=16 floats per example at the cut · client part 2250 parameters\n/);
    expect(table.stdout).toMatch(/\n epoch +test acc/);
  });

  it('--leakage prints the decoder error per cut, growing with the cut', async () => {
    const [j, t] = await Promise.all([
      simulate('--leakage --dataset digits --model mlp --hidden 32,16 --epochs 3 --json'),
      simulate('--leakage --dataset digits --model mlp --hidden 32,16 --epochs 1'),
    ]);
    expect(j.code, j.stderr).toBe(0);
    const report = JSON.parse(j.stdout) as JsonReport;
    expect(report.config.algorithm).toBe('split');
    expect(report.leakage!.map((l) => l.cut)).toEqual([1, 2]);
    expect(report.leakage![1].reconstructionError).toBeGreaterThan(report.leakage![0].reconstructionError);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/linear decoder from each cut back to the input[^\n]*\n +cut +width +reconstruction error +mse\n +1 +32 +0\.\d{4} +0\.\d{5}\n +2 +16 +0\.\d{4}/);
  });
});
