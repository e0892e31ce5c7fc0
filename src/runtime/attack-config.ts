/**
 * The page's side of attacks in the training worker, without tfjs: a widget sends an attack's
 * config through the training messages (`TrainingHost.start(asWireConfig(config), …)`) and reads
 * the events back with `asAttackEvent`. The worker's side, which runs the attack, is ./attacks.ts;
 * it imports the attack engine and tfjs, which a page must not evaluate on its main thread.
 */
import type { EngineEvent, RunConfig } from '../engine/types';
import type { InversionConfig, InversionEvent, InversionSweepConfig } from '../engine/attacks/inversion-config';

export type AttackConfig = InversionConfig | InversionSweepConfig;

/** An attack config as the start message carries it (the worker tells them apart by `attack`). */
export const asWireConfig = (c: AttackConfig): RunConfig => c as unknown as RunConfig;

/** An event of an attack run, as the host delivers it. */
export const asAttackEvent = (e: EngineEvent): InversionEvent => e as unknown as InversionEvent;
