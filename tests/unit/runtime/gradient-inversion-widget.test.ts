/**
 * The gradient inversion widget's pure parts: settings → attack configs (always valid for the
 * engine), the reducers over real attack events, and the worker's dispatch of attack configs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from '~/runtime/url-state';
import { params } from '~/widgets/gradient-inversion/params';
import { formatEpsilon, strengthLabel, toInversionConfig, toSweepConfig } from '~/widgets/gradient-inversion/config';
import { initialAttack, initialInversion, initialSweep, inversionStage, reduceAttack, reduceInversion, reduceSweep, startSweep } from '~/widgets/gradient-inversion/state';
import { validateInversion, type InversionEvent } from '~/engine/attacks/inversion-config';
import { withAttacks } from '~/runtime/attacks';
import { asWireConfig } from '~/runtime/attack-config';
import { run } from '~/engine/index';
import type { RunFn } from '~/runtime/trainer';
import { data, setup } from '../engine-helpers';

beforeAll(setup);

const defaults = (): Record<string, unknown> => Object.fromEntries(Object.entries(params).map(([k, s]) => [k, s.default]));

describe('gradient inversion widget', () => {
  it('every combination of the controls’ extreme values is a valid attack and sweep', () => {
    const ends = (k: keyof typeof params) => {
      const s = params[k];
      if (s.type === 'choice') return s.choices.map((c) => c.value);
      if ('values' in s && s.values) return [s.values[0], s.values[s.values.length - 1]];
      return [s.min, s.max];
    };
    let n = 0;
    for (const batch of ends('batch'))
      for (const noise of ends('noise'))
        for (const secagg of ends('secagg'))
          for (const topk of ends('topk'))
            for (const sweep of ends('sweep'))
              for (const data of ends('data')) {
                const v = { ...defaults(), batch, noise, secagg, topk, sweep, data } as never;
                expect(validateInversion(toInversionConfig(v))).toEqual([]);
                const sc = toSweepConfig(v);
                expect(sc.values!.length).toBeGreaterThan(2);
                n++;
              }
    expect(n).toBe(2 * 2 * 2 * 2 * 3 * 2);
  });

  it('a bad address is clamped by the table', () => {
    const { values, notices } = parse('inversion', params, new URLSearchParams('inversion.batch=99&inversion.noise=abc&inversion.data=cifar'));
    expect(values.batch).toBe(8);
    expect(values.noise).toBe(0);
    expect(values.data).toBe('digits');
    expect(notices.length).toBe(3);
  });

  it('the reducers follow a real attack and a real sweep through the worker’s dispatch', async () => {
    const runFn = withAttacks(run as RunFn);
    let a = initialAttack();
    let both = initialInversion();
    const stages: string[] = [];
    const v = { ...defaults(), steps: 50 } as never;
    for await (const e of runFn(asWireConfig(toInversionConfig(v)), { data })) {
      a = reduceAttack(a, e as unknown as InversionEvent);
      both = reduceInversion(both, e);
      const st = inversionStage(e);
      if (st && st.stage !== stages.at(-1)) stages.push(st.stage);
    }
    expect(a.status).toBe('finished');
    expect(a.history.length).toBeGreaterThan(10);
    expect(a.last!.meanPsnr).toBeGreaterThan(20);
    // The widget's reducer keeps the same attack; the kit sees it start, progress and finish.
    expect(both.attack).toEqual(a);
    expect(stages).toEqual(['started', 'progress', 'finished']);
    let s = initialSweep();
    const sc = { ...toSweepConfig({ ...defaults(), steps: 50, sweep: 'topk' } as never), values: [1, 0.01] };
    both = startSweep(both, sc.defence, sc.base.attackSteps, 2);
    for await (const e of runFn(asWireConfig(sc), { data })) {
      s = reduceSweep(s, e as unknown as InversionEvent);
      both = reduceInversion(both, e);
    }
    expect(s.status).toBe('finished');
    expect(s.points.map((p) => p.value)).toEqual([1, 0.01]);
    expect(s.points[0].meanPsnr).toBeGreaterThan(s.points[1].meanPsnr);
    // The sweep ran after the attack: the attack's pictures are still there.
    expect(both.mode).toBe('sweep');
    expect(both.sweep.points).toEqual(s.points);
    expect(both.attack).toEqual(a);
  });

  it('labels strengths and ε in Korean', () => {
    expect(strengthLabel('noise', 0)).toBe('z = 0 (노이즈 없음)');
    expect(strengthLabel('topk', 0.03)).toBe('3%');
    expect(strengthLabel('secureAgg', 4)).toBe('K = 4');
    expect(formatEpsilon(4.7285)).toBe('4.73');
    expect(formatEpsilon(5611)).toBe('1,000 넘음');
    expect(formatEpsilon(undefined)).toBeNull();
  });
});
