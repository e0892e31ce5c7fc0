/**
 * Attacks run in the training worker through the same messages as training: a start message
 * whose config carries `attack` ('inversion' or 'inversion-sweep') is handed to the attack engine
 * instead of run(). Its events cross the boundary like training events (plain data), and cancel
 * works the same way (the attack watches the run's signal and frees its tensors).
 *
 * This module runs in the worker (it imports the attack engine, and so tfjs); a widget sends such a
 * config and reads its events through ./attack-config.ts, which a page can import.
 */
import { runInversion, runInversionSweep } from '../engine/attacks/inversion';
import type { InversionConfig, InversionSweepConfig } from '../engine/attacks/inversion-config';
import type { RunFn } from './trainer';
import type { AttackConfig } from './attack-config';

/** The engine's run(), extended to attack configs. */
export function withAttacks(run: RunFn): RunFn {
  return (config, options) => {
    const attack = (config as unknown as Partial<AttackConfig>).attack;
    if (attack === 'inversion') return runInversion(config as unknown as InversionConfig, options) as unknown as ReturnType<RunFn>;
    if (attack === 'inversion-sweep') return runInversionSweep(config as unknown as InversionSweepConfig, options) as unknown as ReturnType<RunFn>;
    return run(config, options);
  };
}
