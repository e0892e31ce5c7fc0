/**
 * Attacks run in the training worker through the same messages as training: a start message
 * whose config carries `attack` ('inversion' or 'inversion-sweep') is handed to the attack engine
 * instead of run(). Its events cross the boundary like training events (plain data), and cancel
 * works the same way (the attack watches the run's signal and frees its tensors).
 *
 * A widget sends such a config with `TrainingHost.start(asWireConfig(config), …)` and reads the
 * events back with `asAttackEvent`.
 */
import type { EngineEvent, RunConfig } from '../engine/types';
import { runInversion, runInversionSweep } from '../engine/attacks/inversion';
import type { InversionConfig, InversionEvent, InversionSweepConfig } from '../engine/attacks/inversion-config';
import type { RunFn } from './trainer';

export type AttackConfig = InversionConfig | InversionSweepConfig;

/** The engine's run(), extended to attack configs. */
export function withAttacks(run: RunFn): RunFn {
  return (config, options) => {
    const attack = (config as unknown as Partial<AttackConfig>).attack;
    if (attack === 'inversion') return runInversion(config as unknown as InversionConfig, options) as unknown as ReturnType<RunFn>;
    if (attack === 'inversion-sweep') return runInversionSweep(config as unknown as InversionSweepConfig, options) as unknown as ReturnType<RunFn>;
    return run(config, options);
  };
}

/** An attack config as the start message carries it (the worker tells them apart by `attack`). */
export const asWireConfig = (c: AttackConfig): RunConfig => c as unknown as RunConfig;

/** An event of an attack run, as the host delivers it. */
export const asAttackEvent = (e: EngineEvent): InversionEvent => e as unknown as InversionEvent;
