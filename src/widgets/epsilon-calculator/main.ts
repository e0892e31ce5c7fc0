/**
 * The ε calculator, mounted when it nears the viewport: the privacy accountant
 * (src/engine/privacy/accountant.ts, the same one DP-FedAvg's training reports with) turns
 * (q, z, T, δ) into ε; this module writes the numbers, reads ε out in plain Korean and draws ε
 * against the rounds. No training, no worker: one accountant costs a few milliseconds.
 */
import type { WidgetContext, WidgetController } from '~/runtime/widget';
import { PrivacyAccountant } from '~/engine/privacy/accountant';
import { create as createLine } from '../renderers/line-chart';
import { outputs } from '../renderers/outputs';
import { count, formatDelta, formatRatio } from '../renderers/format';
import type { EpsParams, EpsValues } from './params';
import { reading } from './reading';

/** What tests read: the calculator's state, `compute`'s result. */
export type EpsInspection = ReturnType<typeof compute>;

/** Rounds at which the chart evaluates ε: 1, T and up to ~60 log-spaced points between. */
function curveRounds(T: number): number[] {
  const set = new Set<number>([1, T]);
  for (let i = 0; i <= 60; i++) set.add(Math.max(1, Math.round(T ** (i / 60))));
  for (let i = 1; i <= 20; i++) set.add(Math.max(1, Math.round((T * i) / 20)));
  return [...set].sort((a, b) => a - b);
}

/** Everything the calculator shows for the settings `v`. */
function compute(v: EpsValues) {
  const acc = new PrivacyAccountant(v.q, v.z);
  const spent = acc.spent(v.rounds, v.delta);
  return {
    q: v.q,
    z: v.z,
    rounds: v.rounds,
    delta: v.delta,
    epsilon: spent.epsilon,
    order: spent.order,
    /** e^ε, the bound on how much more likely any outcome becomes. */
    ratio: Math.exp(spent.epsilon),
    /** ε with the older (classic) conversion, for comparison with published figures. */
    classic: new PrivacyAccountant(v.q, v.z, { conversion: 'classic' }).spent(v.rounds, v.delta).epsilon,
    /** ε after t rounds for the chart's points. */
    curve: curveRounds(v.rounds).map((t) => ({ round: t, epsilon: acc.spent(t, v.delta).epsilon })),
    reading: reading(spent.epsilon, v.delta),
  };
}

export function mount(ctx: WidgetContext<EpsParams>): WidgetController<EpsParams> & { inspect(): EpsInspection } {
  const root = ctx.root;
  const out = outputs(root);
  const chart = ctx.own(createLine(ctx.q('[data-view="curve"]')!, {
    label: '라운드 수에 따라 쌓이는 프라이버시 예산 ε',
    xLabel: '라운드 →',
    yLabel: '↑ ε',
    series: [{ key: 'eps', label: 'ε', color: '#0b5394' }],
    height: 200,
  }));
  let state!: EpsInspection;

  function summary(s: EpsInspection): string {
    return `q = ${s.q}, z = ${s.z}, ${count(s.rounds)}라운드, δ = ${formatDelta(s.delta)}: ε = ${s.epsilon.toFixed(2)}, e^ε ≈ ${formatRatio(s.ratio)}배.`;
  }

  function render(v: EpsValues) {
    state = compute(v);
    out('epsilon', state.epsilon.toFixed(2));
    out('ratio', `${formatRatio(state.ratio)}배`);
    out('classic', state.classic.toFixed(2));
    out('order', String(state.order));
    out('reading', state.reading);
    chart.update({ points: state.curve.map((p) => ({ x: p.round, y: p.epsilon, series: 'eps' })), xMax: v.rounds });
    root.dataset.epsilon = state.epsilon.toFixed(6);
    ctx.announce(summary(state));
  }

  render(ctx.values);
  return {
    update(values) {
      render(values);
    },
    inspect: () => state,
  };
}
