/**
 * The poisoning and robust-aggregation flags of `npm run simulate` (scripts/simulate.ts lists them
 * with the others and hands their values here):
 *
 *   --malicious f --poison labelflip|signflip|scale|backdoor [--poison-scale s] [--backdoor-target c]
 *   --aggregator mean|median|trimmed|krum|clip|centered [--trim β] [--krum-m m] [--clip-norm S]
 *   [--secure-aggregation]
 *
 * --poison without --malicious makes 30% of the clients malicious; s defaults to 4 for signflip
 * and scale, 1 for labelflip and backdoor. A flag that the chosen attack or rule would ignore is a
 * usage error, so a typo cannot silently run a different experiment.
 */
import type { AggregatorRule, PoisonKind, RunConfig } from '../src/engine/types';
import { AGGREGATORS } from '../src/engine/aggregators';
import { defaultPoison, POISONS } from '../src/engine/attacks/poisoning';
import { defaultAggregation } from '../src/engine/attacks/config';
import { bool, choice, num, UsageError, type Flag } from './cli';

/** Flag definitions in the shape scripts/simulate.ts uses; `field` maps validation problems back. */
export const ROBUST_FLAGS: Record<string, Flag> = {
  malicious: { type: num, field: 'poison.fraction', help: 'f, share of malicious clients, 0…0.9 (default 0.3 with --poison)' },
  poison: { type: choice(POISONS), field: 'poison.kind', help: 'what malicious clients do: flip labels, send −s·Δ, send s·Δ, or plant a pixel-pattern backdoor' },
  'poison-scale': { type: num, field: 'poison.scale', help: 's, factor of the malicious update (default 4 for signflip and scale, else 1; backdoor with s > 1: model replacement)' },
  'backdoor-target': { type: num, field: 'poison.target', help: 'backdoor: the class triggered inputs should become (default 0)' },
  aggregator: { type: choice(AGGREGATORS), field: 'aggregation.rule', help: 'how the server combines updates (default mean)' },
  trim: { type: num, field: 'aggregation.trim', help: 'β of the trimmed mean, also Krum’s assumed share of attackers (default 0.3)' },
  'krum-m': { type: num, field: 'aggregation.krumM', help: 'Multi-Krum: average the m best-scored updates (default 1 = Krum)' },
  'clip-norm': { type: num, field: 'aggregation.clipNorm', help: 'radius of clip and centered (default 0 = the median norm of each round)' },
  'secure-aggregation': { type: bool, field: 'aggregation.secure', help: 'the server sees only the sum of the updates (only --aggregator mean can run)' },
};

/**
 * Sets config.poison and config.aggregation from the flags given (name → parsed value); throws
 * UsageError (one line) for a flag without the flag it depends on.
 */
export function applyRobustFlags(config: RunConfig, given: Record<string, unknown>): void {
  const has = (f: string) => f in given;
  const needs = (flag: string, on: string, what: string) => {
    if (has(flag) && !has(on)) throw new UsageError(`--${flag} needs --${on} ${what}`);
  };
  needs('malicious', 'poison', 'labelflip|signflip|scale|backdoor');
  needs('poison-scale', 'poison', 'labelflip|signflip|scale|backdoor');
  needs('backdoor-target', 'poison', 'backdoor');
  if (has('backdoor-target') && given.poison !== 'backdoor') throw new UsageError('--backdoor-target applies to --poison backdoor only');
  if (has('poison')) {
    const p = defaultPoison(given.poison as PoisonKind);
    if (has('malicious')) p.fraction = given.malicious as number;
    if (has('poison-scale')) p.scale = given['poison-scale'] as number;
    if (has('backdoor-target')) p.target = given['backdoor-target'] as number;
    config.poison = p;
  }
  const rule = (given.aggregator as AggregatorRule | undefined) ?? 'mean';
  const only = (flag: string, rules: string[]) => {
    if (has(flag) && !rules.includes(rule)) throw new UsageError(`--${flag} applies to --aggregator ${rules.join('|')} only (got ${rule})`);
  };
  only('trim', ['trimmed', 'krum']);
  only('krum-m', ['krum']);
  only('clip-norm', ['clip', 'centered']);
  if (has('aggregator') || has('secure-aggregation')) {
    const a = defaultAggregation(rule);
    if (has('trim')) a.trim = given.trim as number;
    if (has('krum-m')) a.krumM = given['krum-m'] as number;
    if (has('clip-norm')) a.clipNorm = given['clip-norm'] as number;
    if (has('secure-aggregation')) a.secure = true;
    config.aggregation = a;
  }
}
