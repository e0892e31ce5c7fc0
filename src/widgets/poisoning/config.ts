/**
 * From the widget's settings to one engine RunConfig per aggregation rule. Every rule's run has
 * the same data, partition, seed, initial weights and malicious clients; only the server's rule
 * differs. Imports only tfjs-free engine modules, so it runs on the page.
 */
import { defaultConfig } from '~/engine/config';
import { defaultAggregation } from '~/engine/attacks/config';
import { defaultPoison } from '~/engine/attacks/poisoning';
import type { AggregatorRule, RunConfig } from '~/engine/types';
import type { PoisonValues } from './params';

export const RULES: readonly AggregatorRule[] = ['mean', 'median', 'trimmed', 'krum', 'clip', 'centered'];

/** Ten clients, all in every round: 30% malicious means the same three every round. */
export const CLIENTS = 10;
export const HIDDEN = [32];

export function toRunConfig(v: PoisonValues, rule: AggregatorRule): RunConfig {
  const c = defaultConfig({
    algorithm: 'fedavg',
    dataset: { name: 'digits', noise: 0, size: 0 },
    model: { kind: 'mlp', hidden: HIDDEN, activation: 'relu' },
    partition: { kind: v.partition, alpha: 0.5, shardsPerClient: 2 },
    clients: CLIENTS,
    fraction: 1,
    localEpochs: 1,
    batchSize: 10,
    lr: 0.1,
    rounds: v.rounds,
    weighting: 'samples',
    seed: v.seed,
    shuffle: true,
  });
  c.aggregation = { ...defaultAggregation(rule), trim: v.trim, secure: v.secure };
  if (v.attack !== 'none' && v.malicious > 0) c.poison = { ...defaultPoison(v.attack, v.malicious), scale: v.scale };
  return c;
}

/** The rules table's caption. */
export const TABLE_CAPTION = `같은 데이터·시드·공격자, 규칙만 다름 (클라이언트 ${CLIENTS}명)`;
