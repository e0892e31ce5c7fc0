/**
 * The server side of a federated round when clients may be malicious or the server uses a robust
 * rule: it keeps every client's update Δ_k (a robust rule needs each one, not the running sum),
 * lets the malicious clients poison theirs, and combines them with the configured rule.
 *
 * federated.ts uses it through four calls: clientData (what a client trains on), receive (the
 * update the client sends), aggregate (the next global model) and backdoorSuccess. Without an
 * attack and with the mean, federated.ts does not create one and keeps its running sum.
 */
import type { AggregatorRule } from './types';
import type { RunContext } from './context';
import { evaluate, ExampleSet, type Params } from './train';
import { aggregate, AGGREGATORS, DEFAULT_AGGREGATOR_OPTIONS, type AggregatorOptions } from './aggregators';
import { backdoorTestExamples, maliciousClients, poisonedExamples, poisonFactor } from './attacks/poisoning';

export interface RobustRound {
  next: Params;
  rule: AggregatorRule;
  chosen?: number[];
  candidates?: Array<{ rule: AggregatorRule; after: Float32Array }>;
}

export class RobustServer {
  readonly malicious: ReadonlySet<number>;
  private readonly rule: AggregatorRule;
  private readonly opts: AggregatorOptions;
  private readonly factor: number;
  private readonly poisoned = new Map<number, ExampleSet>();
  private backdoorSet: ExampleSet | null = null;
  /** Client updates of this round, in the order received, and the clients that sent them. */
  private updates: Float32Array[] = [];
  private senders: number[] = [];
  private start: Float32Array | null = null;
  private previous: Float32Array | null = null;

  constructor(private readonly ctx: RunContext) {
    const { config } = ctx;
    const p = config.poison;
    this.malicious = new Set(p && p.fraction > 0 ? maliciousClients(config.seed, config.clients, p.fraction) : []);
    this.factor = p ? poisonFactor(p) : 1;
    const a = config.aggregation;
    this.rule = a?.rule ?? 'mean';
    this.opts = a ? { trim: a.trim, krumM: a.krumM, clipNorm: a.clipNorm, iterations: DEFAULT_AGGREGATOR_OPTIONS.iterations } : DEFAULT_AGGREGATOR_OPTIONS;
  }

  isMalicious(k: number): boolean {
    return this.malicious.has(k);
  }

  maliciousIn(selected: number[]): number[] {
    return selected.filter((k) => this.malicious.has(k));
  }

  /** What client k trains on: its own examples, or the poisoned ones of a malicious client. */
  clientData(k: number): ExampleSet {
    const own = this.ctx.clientData(k);
    const p = this.ctx.config.poison;
    if (!p || !this.malicious.has(k) || own.n === 0) return own;
    let set = this.poisoned.get(k);
    if (!set) {
      const d = this.ctx.dataset;
      const ex = poisonedExamples(p.kind, own.features, own.labelArray, d.inputShape, d.numClasses, p.target);
      if (!ex) return own;
      set = new ExampleSet(ex.features, ex.labels, d.inputSize, d.numClasses);
      this.poisoned.set(k, set);
    }
    return set;
  }

  /**
   * Client k's contribution (fedavg/fedprox: its trained weights; fedsgd: its gradient) as the
   * update it sends, poisoned if it is malicious; kept for aggregate(). Returns the update sent.
   */
  receive(k: number, contribution: Params, params: Params): Float32Array {
    const model = this.ctx.model;
    this.start ??= model.exportParams(params);
    const c = model.exportParams(contribution);
    const delta = new Float32Array(c.length);
    if (this.ctx.config.algorithm === 'fedsgd') {
      const lr = this.ctx.config.lr;
      for (let j = 0; j < c.length; j++) delta[j] = -lr * c[j];
    } else {
      for (let j = 0; j < c.length; j++) delta[j] = c[j] - this.start[j];
    }
    if (this.malicious.has(k) && this.factor !== 1) for (let j = 0; j < delta.length; j++) delta[j] *= this.factor;
    this.updates.push(delta);
    this.senders.push(k);
    return delta;
  }

  /** w_t + Δ as a flat vector (what the map draws for a client). */
  weightsOf(delta: Float32Array): Float32Array {
    const out = new Float32Array(delta.length);
    for (let j = 0; j < delta.length; j++) out[j] = this.start![j] + delta[j];
    return out;
  }

  /**
   * The next global model from this round's updates with the configured rule; with `candidates`,
   * also where every rule would have put it. Resets the round.
   */
  aggregate(params: Params, coefficients: number[], candidates: boolean): RobustRound {
    const start = this.start ?? this.ctx.model.exportParams(params);
    const updates = this.updates;
    const secure = this.ctx.config.aggregation?.secure === true;
    const result = aggregate(this.rule, updates, coefficients, this.opts, this.previous);
    const plus = (v: Float32Array) => {
      const out = new Float32Array(v.length);
      for (let j = 0; j < v.length; j++) out[j] = start[j] + v[j];
      return out;
    };
    const out: RobustRound = {
      next: this.ctx.model.importParams(plus(result.value)),
      rule: this.rule,
      ...(result.chosen ? { chosen: result.chosen.map((i) => this.senders[i]) } : {}),
    };
    if (candidates) {
      // Under secure aggregation the server could compute only the mean.
      const rules = secure ? (['mean'] as AggregatorRule[]) : AGGREGATORS;
      out.candidates = rules.map((r) => ({ rule: r, after: plus(r === this.rule ? result.value : aggregate(r, updates, coefficients, this.opts, this.previous).value) }));
    }
    this.previous = result.value;
    this.updates = [];
    this.senders = [];
    this.start = null;
    return out;
  }

  /** Backdoor attacks: the success rate of the trigger on the global model `params`. */
  async backdoorSuccess(params: Params): Promise<number | undefined> {
    const p = this.ctx.config.poison;
    if (!p || p.kind !== 'backdoor' || p.fraction <= 0) return undefined;
    if (!this.backdoorSet) {
      const t = this.ctx.dataset.test;
      const d = this.ctx.dataset;
      const ex = backdoorTestExamples(t.features(), t.labels, d.inputShape, p.target);
      this.backdoorSet = new ExampleSet(ex.features, ex.labels, d.inputSize, d.numClasses);
    }
    return (await evaluate(this.ctx.model, params, this.backdoorSet)).accuracy;
  }

  dispose(): void {
    for (const s of this.poisoned.values()) s.dispose();
    this.poisoned.clear();
    this.backdoorSet?.dispose();
    this.backdoorSet = null;
  }
}
