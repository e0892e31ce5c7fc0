/**
 * The poisoning widget's math and reducer: the plane keeps weighted means (the mean rule's
 * diamond sits at the weighted mean of the clients' points), sign-flipped updates land behind the
 * origin, the worker's `planeEvents` gives each round the same plane the weights give and sends no
 * weight vector, the reducer turns a real engine run into rounds with planes, and the lab's
 * reducer runs the rules one after another (blocked ones left out) on real runs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { planeEvents, projectRound } from '~/engine/attacks/projection';
import type { EngineEvent } from '~/engine/types';
import { currentRule, initPoison, initRule, reducePoison, reduceRule } from '~/widgets/poisoning/state';
import { toRunConfig } from '~/widgets/poisoning/config';
import { params } from '~/widgets/poisoning/params';
import { defaults } from '~/runtime/url-state';
import { collect, setup } from './engine-helpers';

describe('projectRound', () => {
  const before = Float32Array.from([1, 2, 3, 4]);
  const deltas = [
    [1, 0, 0, 0],
    [0.8, 0.2, 0, 0],
    [1.2, -0.2, 0.1, 0],
    [-4, 0, 0, 0], // malicious, sign flipped
  ];
  const clients = deltas.map((d, k) => ({ k, malicious: k === 3, weights: Float32Array.from(d, (x, j) => before[j] + x) }));
  const c = [0.1, 0.2, 0.3, 0.4];
  const mean = Float32Array.from(before, (b, j) => b + deltas.reduce((s, d, i) => s + c[i] * d[j], 0));

  it('is linear through w_t: the mean lands at the weighted mean of the points', () => {
    const p = projectRound(before, clients, [{ rule: 'mean', after: mean }]);
    const x = p.clients.reduce((s, q, i) => s + c[i] * q.x, 0);
    const y = p.clients.reduce((s, q, i) => s + c[i] * q.y, 0);
    expect(p.aggregates[0].x).toBeCloseTo(x, 5);
    expect(p.aggregates[0].y).toBeCloseTo(y, 5);
    // the honest mean Δ = (1, 0, 0.0333, 0) lies on the x axis at its own length
    expect(p.honestNorm).toBeCloseTo(Math.hypot(1, 0, 0.1 / 3, 0), 5);
    const honestX = p.clients.slice(0, 3).reduce((s, q) => s + q.x, 0) / 3;
    expect(honestX).toBeCloseTo(p.honestNorm, 5);
    expect(p.clients[3].x).toBeLessThan(-3.9);
  });
});

/** A run's events as the worker sends them to a page that asks for planes. */
const asSent = (events: EngineEvent[]) => events.map(planeEvents());

describe('planeEvents, in the worker', () => {
  beforeAll(setup);
  it('gives each round the plane its weights give, and sends no weight vector', async () => {
    const v = { ...defaults(params), rounds: 2 };
    const events = await collect(toRunConfig(v, 'median'), { emitWeights: true });
    const sent = asSent(events);
    expect(sent).toHaveLength(events.length);
    let clients: Array<{ k: number; malicious: boolean; weights: Float32Array }> = [];
    let planes = 0;
    events.forEach((e, i) => {
      const out = sent[i];
      expect(out.type).toBe(e.type);
      if (e.type === 'round-started') clients = [];
      if (e.type === 'client-trained' && e.weights) clients.push({ k: e.client, malicious: !!e.malicious, weights: e.weights });
      if (e.type === 'models-averaged' && out.type === 'models-averaged') {
        planes++;
        expect(out.plane).toEqual(projectRound(e.before!, clients, e.candidates!));
        expect(out.plane!.clients).toHaveLength(10);
      }
      // Nothing of the model's size leaves the worker.
      for (const value of Object.values(out)) expect(value).not.toBeInstanceOf(Float32Array);
      if (out.type === 'models-averaged') expect(out.candidates).toBeUndefined();
    });
    expect(planes).toBe(2);
    // Not trivially true: the engine's own events do carry the weights.
    expect(events.some((e) => e.type === 'client-trained' && e.weights instanceof Float32Array)).toBe(true);
  });
});

describe('reduceRule on a real run', () => {
  beforeAll(setup);
  it('collects accuracy, malicious clients and one plane per round', async () => {
    const v = { ...defaults(params), rounds: 5 };
    const events = asSent(await collect(toRunConfig(v, 'krum'), { emitWeights: true }));
    const s = events.reduce(reduceRule, initRule('krum'));
    expect(s.status).toBe('finished');
    expect(s.rounds).toHaveLength(5);
    expect(s.malicious).toHaveLength(3);
    for (const r of s.rounds) {
      expect(r.plane!.clients).toHaveLength(10);
      expect(r.plane!.aggregates.map((a) => a.rule)).toEqual(['mean', 'median', 'trimmed', 'krum', 'clip', 'centered']);
      expect(r.chosen).toHaveLength(1);
    }
  });
});

describe('reducePoison: the rules one after another', () => {
  beforeAll(setup);
  it('secure aggregation blocks every rule but the mean, with the engine\'s Korean reason', () => {
    const s = initPoison({ ...defaults(params), secure: true });
    expect(s.jobs).toEqual(['mean']);
    expect(s.rules.mean.status).toBe('running');
    for (const r of ['median', 'trimmed', 'krum', 'clip', 'centered'] as const) {
      expect(s.rules[r].status).toBe('blocked');
      expect(s.rules[r].message).toContain('합만');
    }
    // Not every setting blocks: without it all six queue up.
    expect(initPoison(defaults(params)).jobs).toHaveLength(6);
  });

  it('each real run fills its rule; its end starts the next; past the last nothing changes', async () => {
    const v = { ...defaults(params), rounds: 2 };
    let s = initPoison(v);
    for (const rule of ['mean', 'median'] as const) {
      expect(currentRule(s)).toBe(rule);
      const events = asSent(await collect(toRunConfig(v, rule), { emitWeights: true }));
      s = events.reduce(reducePoison, s);
      expect(s.rules[rule].status).toBe('finished');
      expect(s.rules[rule].rounds).toHaveLength(2);
      expect(s.rules[rule].malicious).toHaveLength(3);
    }
    // Under sign flipping the median holds where the mean does not.
    expect(s.rules.median.rounds[1].testAccuracy).toBeGreaterThan(s.rules.mean.rounds[1].testAccuracy);
    expect(s.rules.trimmed.status).toBe('running');
    expect(s.rules.krum.status).toBe('waiting');
    const done = { ...s, current: s.jobs.length };
    expect(reducePoison(done, { type: 'run-finished', rounds: 2 })).toBe(done);
  });
});
