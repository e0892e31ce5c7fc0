/**
 * Per-round cost of the algorithms beyond FedAvg against FedAvg itself (Node, wasm backend), on
 * one configuration: digits, 10 clients (Dirichlet α = 0.5), C = 1, E = 2, B = 10, η = 0.05, an
 * MLP [64, 64], 4 rounds. Each trial runs every case once, in an order rotated from trial to trial,
 * and measures the CPU time (not wall time: the machine is shared) from the first round's start to
 * the last round's metrics, so that loading the data and building the run are not counted. The
 * ratio is a case's median over FedAvg's median. SCAFFOLD does one extra vector addition per local
 * step and a few per client; its target is < 1.5× FedAvg. Dropouts and stragglers are timed too
 * (less local work, so they should cost less); personalization is reported as the CPU time of the
 * fine-tuning phase (one epoch on every client) over one FedAvg round.
 */
import type { BenchResult, BenchSuite } from '../bench';
import { initNodeBackend, nodeDataSource } from '../../src/engine/node';
import { defaultConfig, run, type RunConfig } from '../../src/engine/index';

const TRIALS = 7;
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
    rounds: 4,
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

const cpuNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

/** CPU seconds of the rounds (first round-started → last round-metrics), and of personalization. */
async function cpuSeconds(config: RunConfig): Promise<{ rounds: number; personalize: number }> {
  let start = 0;
  let roundsEnd = 0;
  let end = 0;
  for await (const e of run(config, { data: nodeDataSource() })) {
    if (e.type === 'run-diverged') throw new Error(`${config.algorithm} diverged`);
    if (e.type === 'round-started' && e.round === 1) start = cpuNow();
    if (e.type === 'round-metrics' && e.metrics.round === config.rounds) roundsEnd = cpuNow();
    if (e.type === 'personalized') end = cpuNow();
  }
  return { rounds: roundsEnd - start, personalize: end ? end - roundsEnd : 0 };
}

const suite: BenchSuite = {
  title: 'beyond FedAvg: per-round cost against FedAvg (wasm, CPU time)',
  async run(log) {
    await initNodeBackend('wasm');
    const times = CASES.map(() => [] as number[]);
    const personalize: number[] = [];
    for (const c of CASES) await cpuSeconds(c.config); // warm-up
    for (let t = 0; t < TRIALS; t++) {
      for (let j = 0; j < CASES.length; j++) {
        const i = (j + t) % CASES.length;
        const took = await cpuSeconds(CASES[i].config);
        times[i].push(took.rounds);
        if (CASES[i].config.personalizeEpochs > 0) personalize.push(took.personalize);
      }
      log(`  trial ${t + 1}: ` + CASES.map((c, i) => `${c.name} ${(times[i][t] * 1000).toFixed(0)} ms`).join(', '));
    }
    const fedavg = median(times[0]);
    const perRound = (x: number, rounds: number) => `${((x / rounds) * 1000).toFixed(0)} ms`;
    const results = CASES.slice(1).map((c, j): BenchResult => {
      const ratio = median(times[j + 1]) / fedavg;
      return {
        name: `${c.name}-vs-fedavg`,
        ratio,
        detail: `median CPU time per round of ${TRIALS} runs (digits, K = 10, E = 2, B = 10, MLP [64, 64]): ${perRound(median(times[j + 1]), c.config.rounds)} against FedAvg's ${perRound(fedavg, c.config.rounds)}`,
        ...(c.target !== undefined ? { target: `< ${c.target}`, ok: ratio < c.target } : {}),
      };
    });
    const rounds = CASES[0].config.rounds;
    results.push({
      name: 'personalize-epoch-vs-fedavg-round',
      ratio: median(personalize) / (fedavg / rounds),
      detail: `CPU time of one fine-tuning epoch on every client (both evaluations included): ${(median(personalize) * 1000).toFixed(0)} ms against one FedAvg round (E = 2) of ${perRound(fedavg, rounds)}`,
    });
    return results;
  },
};

export default suite;
