/**
 * The simulate CLI's flags for SCAFFOLD, the server optimizers, dropouts, stragglers and
 * personalization: parsing, one-line errors (exit 2), and the equivalences to FedAvg through the
 * real command.
 */
import { describe, expect, it } from 'vitest';
import { expectUsageLine, simulate } from './cli-helpers';
import { parseArgs, type JsonReport } from '../../scripts/simulate';
import { maxAbsDiff } from './engine-helpers';

describe('simulate: beyond-FedAvg flags', () => {
  it('maps every flag onto the config', () => {
    const { config } = parseArgs(
      '--algorithm fedyogi --server-lr 0.02 --server-momentum 0.5 --beta1 0.8 --beta2 0.95 --tau 0.01 --dropout 0.2 --stragglers 0.4 --personalize-epochs 3'.split(' '),
    );
    expect(config).toMatchObject({ algorithm: 'fedyogi', serverLr: 0.02, serverMomentum: 0.5, beta1: 0.8, beta2: 0.95, tau: 0.01, dropout: 0.2, stragglers: 0.4, personalizeEpochs: 3 });
    for (const a of ['scaffold', 'fedavgm', 'fedadam', 'fedyogi', 'fedadagrad']) expect(parseArgs(['--algorithm', a]).config.algorithm).toBe(a);
  });

  it.each([
    [['--server-lr', '0'], /^--server-lr: server learning rate η_g must be a number from 0\.000001 to 10\.$/],
    [['--server-momentum', '1'], /^--server-momentum: server momentum β must be a number from 0 to 0\.999\.$/],
    [['--beta1', '-0.1'], /^--beta1: first-moment decay β₁ must be a number from 0 to 0\.999\.$/],
    [['--beta2', '1'], /^--beta2: second-moment decay β₂ must be a number from 0 to 0\.9999\.$/],
    [['--tau', '0'], /^--tau: adaptivity τ must be a number from 1e-9 to 10\.$/],
    [['--dropout', '1'], /^--dropout: dropout probability must be a number from 0 to 0\.95\.$/],
    [['--dropout', 'some'], /^--dropout needs a number/],
    [['--stragglers', '2'], /^--stragglers: straggler probability must be a number from 0 to 1\.$/],
    [['--personalize-epochs', '1.5'], /^--personalize-epochs: personalization epochs must be an integer from 0 to 100\.$/],
    [['--algorithm', 'centralized', '--dropout', '0.3'], /^--dropout: dropouts apply to the federated algorithms only/],
    [['--algorithm', 'split', '--personalize-epochs', '2'], /^--personalize-epochs: personalization applies to the federated algorithms only|^--personalize-epochs: personalization apply/],
    [['--algorithm', 'fedsgd', '--stragglers', '0.5'], /^--stragglers: FedSGD clients send one gradient/],
  ])('%j → one line naming the flag', (args, message) => {
    expectUsageLine(() => parseArgs(args), message);
  });
});

describe('simulate: beyond-FedAvg through the command', () => {
  it('SCAFFOLD with one client and FedAvgM(β = 0, η_g = 1) equal FedAvg; --dropout 0 changes nothing; the byte ledger', async () => {
    const base = '--dataset digits --size 300 --hidden 16 --local-epochs 2 --batch 8 --rounds 3 --lr 0.1 --weights --json';
    const skew = '--clients 5 --fraction 0.6 --partition dirichlet --alpha 0.3';
    const runs = await Promise.all([
      simulate(`--algorithm fedavg --clients 1 ${base}`),
      simulate(`--algorithm scaffold --clients 1 --server-lr 1 ${base}`),
      simulate(`--algorithm fedavg ${skew} ${base}`),
      simulate(`--algorithm fedavgm --server-momentum 0 --server-lr 1 ${skew} ${base}`),
      simulate(`--algorithm fedavg --dropout 0 ${skew} ${base}`),
      simulate(`--algorithm scaffold --dropout 0.4 ${skew} ${base}`),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    // runs[4] (dropout 0) is compared with runs[2] as text below.
    const [fed1, scaffold1, fed, fedavgm, , scaffoldDrop] = runs.map((r) => JSON.parse(r.stdout) as JsonReport);
    expect(maxAbsDiff(scaffold1.finalWeights!, fed1.finalWeights!)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(fedavgm.finalWeights!, fed.finalWeights!)).toBeLessThanOrEqual(1e-5);
    expect(runs[4].stdout.replace(/"dropout":0,/, '')).toBe(runs[2].stdout.replace(/"dropout":0,/, ''));
    // the ledger: FedAvg sends the model (N floats) each way per client; SCAFFOLD twice that, and
    // a dropped client's model went down but nothing came back.
    const N = fed.parameters;
    for (const r of fed.rounds) expect([r.bytesDown, r.bytesUp, r.dropped]).toEqual([3 * N * 4, 3 * N * 4, []]);
    let dropped = 0;
    for (const r of scaffoldDrop.rounds) {
      const back = 3 - r.dropped!.length;
      expect(r.bytesByKind).toEqual({ 'weights-down': 3 * N * 4, 'control-variate': (3 + back) * N * 4, ...(back ? { 'weights-up': back * N * 4 } : {}) });
      expect([r.bytesDown, r.bytesUp]).toEqual([2 * 3 * N * 4, 2 * back * N * 4]);
      dropped += r.dropped!.length;
    }
    expect(dropped).toBeGreaterThan(0);
  });

  it('--personalize-epochs adds "personalized" to the JSON', async () => {
    const args = '--algorithm fedavg --dataset digits --size 300 --hidden 16 --clients 4 --partition dirichlet --alpha 0.1 --rounds 2 --personalize-epochs 2';
    const p = (JSON.parse((await simulate(`${args} --json`)).stdout) as JsonReport).personalized!;
    expect(p.epochs).toBe(2);
    expect(p.clients.map((c) => c.client)).toEqual([0, 1, 2, 3]);
    expect(p.meanAfter).toBeGreaterThan(p.meanBefore);
  });
});
