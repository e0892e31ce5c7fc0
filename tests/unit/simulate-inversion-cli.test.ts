/**
 * `npm run simulate -- --attack inversion`: every flag reaches the config, every bad value is one
 * line with exit code 2, and the real command prints the documented JSON.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from './cli-helpers';
import { parseInversionArgs, type InversionReport } from '../../scripts/simulate-inversion';

describe('simulate --attack inversion', () => {
  it('maps every flag onto the config', () => {
    const { config, json, mnist, backend } = parseInversionArgs(
      ('--attack inversion --dataset mnist --model mlp --hidden 16,8 --activation tanh --attack-batch 3 --attack-steps 40 --local-steps 4 ' +
        '--lr 0.2 --attack-lr 0.05 --tv 0.01 --labels optimize --clip 2 --noise 0.5 --secure-agg 4 --topk 0.1 --seed 9 --mnist subset --backend cpu --json').split(' '),
    );
    expect(config).toEqual({
      attack: 'inversion', dataset: 'mnist', hidden: [16, 8], activation: 'tanh', batch: 3, attackSteps: 40, localSteps: 4, lr: 0.2, attackLr: 0.05,
      tv: 0.01, labels: 'optimize', clip: 2, noise: 0.5, secureAgg: 4, topk: 0.1, seed: 9,
    });
    expect([json, mnist, backend]).toEqual([true, 'subset', 'cpu']);
  });

  it.each([
    [['--attack-batch', '0'], /^--attack-batch: attack batch b must be an integer from 1 to 8\.$/],
    [['--attack-batch', '1.5'], /^--attack-batch: /],
    [['--attack-steps', 'x'], /^--attack-steps needs a number/],
    [['--local-steps', '0'], /^--local-steps: /],
    [['--topk', '0'], /^--topk: /],
    [['--topk', '1.5'], /^--topk: /],
    [['--secure-agg', '17'], /^--secure-agg: /],
    [['--clip', '-1'], /^--clip: /],
    [['--noise', '0.5'], /^--noise: noise multiplier z needs a clip norm/],
    [['--hidden', '32,a'], /^--hidden must be comma-separated/],
    [['--hidden', ''], /^--hidden: /],
    [['--model', 'cnn'], /^--model must be one of mlp/],
    [['--activation', 'linear'], /^--activation must be one of sigmoid\|tanh\|relu/],
    [['--dataset', 'moons'], /^--dataset must be one of digits\|mnist/],
    [['--labels', 'guess'], /^--labels must be one of/],
    [['--rounds', '3'], /^--rounds is not a flag of --attack inversion/],
    [['--seed'], /^--seed needs a value$/],
    [['--json=1'], /^--json takes no value$/],
  ])('%j is rejected', (args, message) => {
    expect(() => parseInversionArgs(['--attack', 'inversion', ...args])).toThrow(message);
  });

  it('prints the JSON report; a bad value exits with 2 and one line', async () => {
    const ok = await simulate('--attack inversion --dataset digits --model mlp --hidden 32 --activation sigmoid --attack-batch 1 --attack-steps 60 --seed 3 --json'.split(' '));
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout) as InversionReport;
    expect(report.status).toBe('finished');
    expect(report.inversion.psnr).toHaveLength(1);
    expect(report.inversion.meanPsnr).toBeGreaterThan(20);
    expect(report.inversion.labelAccuracy).toBe(1);
    expect(report.inversion.analyticPsnr).toBeGreaterThan(60);
    const dp = await simulate('--attack inversion --attack-batch 2 --attack-steps 5 --clip 1 --noise 1 --json'.split(' '));
    expect((JSON.parse(dp.stdout) as InversionReport).inversion.epsilon).toBeCloseTo(4.7285, 3);
    const bad = await simulate(['--attack', 'inversion', '--topk', '2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
