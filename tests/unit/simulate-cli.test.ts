/**
 * The simulate CLI: flag parsing (in-process) and the real command (spawned like `npm run
 * simulate`): one-line usage errors with exit code 2, the JSON shape, identical output for the same
 * command (property 4) and property 1 through the command line.
 */
import { describe, expect, it } from 'vitest';
import { expectUsageLine, simulate, usageOf } from './cli-helpers';
import { parseArgs, type JsonReport } from '../../scripts/simulate';
import { maxAbsDiff } from './engine-helpers';

const usage = (args: string[]) => usageOf(() => parseArgs(args));

describe('simulate: flags', () => {
  it('maps every flag onto the config', () => {
    const { config, json, weights, mnist } = parseArgs(
      ('--algorithm fedprox --dataset digits --size 500 --model mlp --hidden 16,8 --activation tanh --clients 20 --fraction 0.25 ' +
        '--local-epochs 3 --epochs 7 --batch all --lr 0.05 --rounds 9 --partition shards --alpha 0.3 --shards-per-client 3 --mu 0.5 ' +
        '--clip 2 --noise 0.1 --weighting uniform --seed 42 --no-shuffle --mnist subset --json --weights').split(' '),
    );
    expect(config).toMatchObject({
      algorithm: 'fedprox',
      dataset: { name: 'digits', size: 500, noise: 0.1 },
      model: { kind: 'mlp', hidden: [16, 8], activation: 'tanh' },
      clients: 20,
      fraction: 0.25,
      localEpochs: 3,
      epochs: 7,
      batchSize: 'all',
      lr: 0.05,
      rounds: 9,
      partition: { kind: 'shards', alpha: 0.3, shardsPerClient: 3 },
      mu: 0.5,
      clip: 2,
      noise: 0.1,
      weighting: 'uniform',
      seed: 42,
      shuffle: false,
    });
    expect([json, weights, mnist]).toEqual([true, true, 'subset']);
    expect(parseArgs(['--batch=32', '--hidden=']).config).toMatchObject({ batchSize: 32, model: { hidden: [] } });
    // images use every example unless --size caps them
    expect(parseArgs(['--dataset', 'mnist']).config.dataset.size).toBe(0);
    expect(parseArgs(['--dataset', 'mnist', '--size', '600']).config.dataset.size).toBe(600);
    expect(parseArgs([]).config.dataset.size).toBe(400);
  });

  it.each([
    [['--bogus'], /unknown flag --bogus \(valid flags: .*--algorithm/],
    [['--algorithm', 'sgd'], /--algorithm must be one of centralized\|fedsgd\|fedavg\|fedprox\|dpfedavg.* \(got 'sgd'\)/],
    [['--dataset', 'cifar'], /--dataset must be one of circles\|moons\|xor\|spiral\|blobs\|digits\|mnist/],
    [['--batch', 'ten'], /--batch must be a positive integer or 'all'/],
    [['--lr'], /--lr needs a value \(a number\)/],
    [['--lr', 'fast'], /--lr needs a number/],
    [['--lr', '0'], /--lr: learning rate η must be a number from 0\.000001 to 10/],
    [['--hidden', '16,x'], /--hidden must be comma-separated positive integers/],
    [['--clients', '0'], /--clients: number of clients K must be an integer from 1 to 1000/],
    [['--model', 'cnn'], /--model: the cnn model needs an image dataset/],
    [['--json=yes'], /--json takes no value/],
    [['rounds'], /unexpected argument 'rounds'/],
  ])('%j → one line naming the flag', (args, message) => {
    expectUsageLine(() => parseArgs(args), message);
  });
});

describe('simulate: the command', () => {
  it('a bad flag prints one line on stderr and exits with 2', async () => {
    const r = await simulate(['--fraction', '2']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^simulate: --fraction: client fraction C must be a number from 0\.001 to 1\.\n$/);
  });

  it('a Dirichlet partition that leaves a client empty prints one line and exits with 2', async () => {
    const r = await simulate(['--dataset', 'digits', '--partition', 'dirichlet', '--alpha', '0.001', '--clients', '20', '--rounds', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^simulate: --alpha: Dirichlet partition: in 1000 draws with α = 0\.001 and 20 clients some client always got no examples .*raise α or use fewer clients\.\n$/);
  });

  it('--json prints one object of the documented shape, the same for the same command', async () => {
    const args = ['--dataset', 'moons', '--clients', '3', '--rounds', '3', '--seed', '5', '--json'];
    const [a, b] = await Promise.all([simulate(args), simulate(args)]);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(a.stdout.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(a.stdout) as JsonReport;
    expect(Object.keys(report)).toEqual(['config', 'parameters', 'rounds', 'status']);
    expect(report.config).toMatchObject({ algorithm: 'fedavg', clients: 3, seed: 5, dataset: { name: 'moons' } });
    expect(report.parameters).toBe(114);
    expect(report.status).toBe('finished');
    expect(report.rounds.map((r) => r.round)).toEqual([1, 2, 3]);
    for (const r of report.rounds) {
      expect(Object.keys(r)).toEqual(['round', 'testAccuracy', 'testLoss', 'trainLoss', 'bytesUp', 'bytesDown', 'bytesByKind', 'dropped']);
      expect(r.dropped).toEqual([]);
      expect(r.bytesUp).toBe(3 * 114 * 4);
      expect(r.bytesByKind).toEqual({ 'weights-down': 3 * 114 * 4, 'weights-up': 3 * 114 * 4 });
    }
    const other = await simulate([...args.slice(0, -3), '--seed', '6', '--json']);
    expect(other.stdout).not.toBe(a.stdout);
  });

  it('--sequential trains the clients one by one and prints the same rounds and weights', async () => {
    const args = '--dataset moons --clients 4 --rounds 2 --seed 5 --weights --json'.split(' ');
    expect(parseArgs(args).sequential).toBe(false);
    expect(parseArgs([...args, '--sequential']).sequential).toBe(true);
    expect(usage(['--sequential=yes'])).toBe('--sequential takes no value');
    const [v, s] = await Promise.all([simulate(args), simulate([...args, '--sequential'])]);
    const a = JSON.parse(v.stdout) as JsonReport;
    const b = JSON.parse(s.stdout) as JsonReport;
    expect(maxAbsDiff(a.finalWeights!, b.finalWeights!)).toBeLessThanOrEqual(1e-5);
    expect(b.rounds.map((r) => r.bytesUp)).toEqual(a.rounds.map((r) => r.bytesUp));
    b.rounds.forEach((r, i) => expect(Math.abs(r.testAccuracy - a.rounds[i].testAccuracy)).toBeLessThanOrEqual(1e-5));
  });

  it('property 1 through the command line, and the table output', async () => {
    const fed = simulate('--algorithm fedavg --dataset xor --clients 1 --fraction 1 --local-epochs 2 --batch 10 --rounds 3 --weights --json'.split(' '));
    const central = simulate('--algorithm centralized --dataset xor --clients 1 --epochs 6 --batch 10 --weights --json'.split(' '));
    const table = simulate('--algorithm centralized --dataset xor --epochs 2'.split(' '));
    const [f, c, t] = await Promise.all([fed, central, table]);
    const wf = (JSON.parse(f.stdout) as JsonReport).finalWeights!;
    const wc = (JSON.parse(c.stdout) as JsonReport).finalWeights!;
    expect(wf).toHaveLength(114);
    expect(maxAbsDiff(wf, wc)).toBeLessThanOrEqual(1e-5);
    expect((JSON.parse(c.stdout) as JsonReport).rounds).toHaveLength(6);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^centralized · xor \(400 train \/ 400 test\)/);
    expect(t.stdout).toMatch(/\n epoch +test acc +test loss +train loss +up +down\n +1 +\d+\.\d\d% /);
    expect(t.stdout).toMatch(/finished after 2 epochs in [\d.]+ s/);
  });
});
