/**
 * Per-round cost of the algorithms beyond FedAvg against FedAvg itself (Node, wasm backend), on
 * one configuration: digits, 10 clients (Dirichlet α = 0.5), C = 1, E = 2, B = 10, η = 0.05, an
 * MLP [64, 64], 3 rounds. Each trial runs every algorithm once, in an order rotated from trial to
 * trial; the ratio is the median CPU time of the algorithm over FedAvg's median (CPU time, not
 * wall time: the machine is shared). SCAFFOLD does one extra vector addition per local step and a
 * few per client; its target is < 1.5× FedAvg. Dropouts are timed too (fewer clients train, so
 * they should cost less) and personalization's cost is reported per client.
 */
import type { BenchResult, BenchSuite } from '../bench';
import { initNodeBackend, nodeDataSource } from '../../src/engine/node';
import { defaultConfig, run, type RunConfig } from '../../src/engine/index';

const TRIALS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const base = (over: Partial<RunConfig>): RunConfig =>
  defaultConfig({
    dataset: { name: 'digits', noise: 0, size: 0 },
    model: { kind: 'mlp', hidden: [64, 64], activation: 'relu' },
    partition: { kind: 'dirichlet', alpha: 0.5 },
    clients: 10,
    fraction: 1,
    localEpochs: 2,
    batchSize: 10,
    lr: 0.05,
    rounds: 3,
    seed: 1,
    ...over,
  });

const CASES: Array<{ name: string; config: RunConfig; target?: number }> = [
  { name: 'fedavg', config: base({ algorithm: 'fedavg' }) },
  { name: 'fedprox', config: base({ algorithm: 'fedprox', mu: 0.1 }) },
  { name: 'scaffold', config: base({ algorithm: 'scaffold' }), target: 1.5 },
  { name: 'fedavgm', config: base({ algorithm: 'fedavgm' }) },
  { name: 'fedadam', config: base({ algorithm: 'fedadam', serverLr: 0.03 }) },
  { name: 'fedyogi', config: base({ algorithm: 'fedyogi', serverLr: 0.03 }) },
  { name: 'fedadagrad', config: base({ algorithm: 'fedadagrad', serverLr: 0.03 }) },
  { name: 'fedavg-dropout-0.3', config: base({ algorithm: 'fedavg', dropout: 0.3 }) },
  { name: 'fedavg-stragglers-0.5', config: base({ algorithm: 'fedavg', stragglers: 0.5 }) },
  { name: 'fedavg-personalize-1', config: base({ algorithm: 'fedavg', personalizeEpochs: 1 }) },
];

async function cpuSeconds(config: RunConfig): Promise<number> {
  const c0 = process.cpuUsage();
  for await (const e of run(config, { data: nodeDataSource() })) if (e.type === 'run-diverged') throw new Error(`${config.algorithm} diverged`);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

const suite: BenchSuite = {
  title: 'beyond FedAvg: per-round cost against FedAvg (wasm, CPU time)',
  async run(log) {
    await initNodeBackend('wasm');
    const times = CASES.map(() => [] as number[]);
    for (const c of CASES) await cpuSeconds(c.config); // warm-up
    for (let t = 0; t < TRIALS; t++) {
      for (let j = 0; j < CASES.length; j++) {
        const i = (j + t) % CASES.length;
        times[i].push(await cpuSeconds(CASES[i].config));
      }
      log(`  trial ${t + 1}: ` + CASES.map((c, i) => `${c.name} ${(times[i][t] * 1000).toFixed(0)} ms`).join(', '));
    }
    const fedavg = median(times[0]);
    return CASES.slice(1).map((c, j): BenchResult => {
      const ratio = median(times[j + 1]) / fedavg;
      return {
        name: `${c.name}-vs-fedavg`,
        ratio,
        detail: `median CPU time of ${TRIALS} runs (${c.config.rounds} rounds, digits, K = 10, E = 2, B = 10, MLP [64, 64]): ${(median(times[j + 1]) * 1000).toFixed(0)} ms against FedAvg's ${(fedavg * 1000).toFixed(0)} ms`,
        ...(c.target !== undefined ? { target: `< ${c.target}`, ok: ratio < c.target } : {}),
      };
    });
  },
};

export default suite;
