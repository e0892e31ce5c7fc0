/**
 * The widget's settings → the engine's attack configs, and the Korean labels of their values.
 * No tfjs, no DOM.
 */
import { defaultInversionConfig, DEFENCE_STRENGTHS, type InversionConfig, type InversionDefence, type InversionSweepConfig } from '~/engine/attacks/inversion-config';
import type { InversionValues } from './params';

export function toInversionConfig(v: InversionValues): InversionConfig {
  return defaultInversionConfig({
    dataset: v.data,
    hidden: [v.hidden],
    activation: v.act,
    batch: v.batch,
    localSteps: v.local,
    attackSteps: v.steps,
    labels: v.labels,
    clip: v.noise > 0 ? v.clip : 0,
    noise: v.noise,
    secureAgg: v.secagg,
    topk: v.topk,
    seed: v.seed,
  });
}

/**
 * The sweep behind the chart: the shown attack with its other defences off and this one at each
 * strength. Fewer attack steps than the shown attack (at most 150) keep the chart quick; the
 * points are comparable with each other, and the chart says how many steps they used.
 */
export function toSweepConfig(v: InversionValues): InversionSweepConfig {
  const base = { ...toInversionConfig(v), attackSteps: Math.min(150, v.steps), clip: v.clip };
  return { attack: 'inversion-sweep', base, defence: v.sweep as InversionDefence, values: [...DEFENCE_STRENGTHS[v.sweep as InversionDefence]] };
}

/** How a defence strength reads in Korean (axis ticks, table, summary). */
export function strengthLabel(defence: InversionDefence, value: number): string {
  if (defence === 'noise') return value === 0 ? 'z = 0 (노이즈 없음)' : `z = ${value}`;
  if (defence === 'secureAgg') return value === 1 ? 'K = 1 (보안 집계 없음)' : `K = ${value}`;
  return value === 1 ? '전부 보냄' : `${Math.round(value * 1000) / 10}%`;
}

/** ε to show: a number with sensible digits, or '매우 큼' beyond 1,000. */
export function formatEpsilon(eps: number | undefined): string | null {
  if (eps === undefined) return null;
  if (!Number.isFinite(eps) || eps > 1000) return '1,000 넘음';
  return eps >= 10 ? eps.toFixed(0) : eps.toFixed(2);
}
