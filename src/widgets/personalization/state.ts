/**
 * What one side of the personalization figure knows, as a pure reducer over engine events:
 * `reduce(state, event)` returns the next state and never mutates the old one, so it is tested in
 * Node and the view only draws what it returns.
 */
import type { EngineEvent } from '~/engine/types';

export interface ClientBar {
  client: number;
  trainN: number;
  testN: number;
  /** Accuracy of the global model on the client's own test split. */
  before: number;
  /** Accuracy of the client's fine-tuned model on the same split. */
  after: number;
  /** The client's most frequent classes (training examples), for the label under its bars. */
  topClasses: number[];
}

export type Phase = 'idle' | 'training' | 'personalizing' | 'done' | 'diverged' | 'cancelled';

export interface SideState {
  phase: Phase;
  /** Rounds the run will take, and the last one finished. */
  rounds: number;
  round: number;
  /** Test accuracy of the global model after each round. */
  accuracy: number[];
  /** Per-client label histograms, from run-started. */
  histograms: number[][];
  clients: ClientBar[];
  meanBefore: number | null;
  meanAfter: number | null;
  /** The Korean message of a diverged run. */
  message: string | null;
}

export const initialState = (rounds = 0): SideState => ({
  phase: 'idle',
  rounds,
  round: 0,
  accuracy: [],
  histograms: [],
  clients: [],
  meanBefore: null,
  meanAfter: null,
  message: null,
});

/** The classes holding at least a quarter of a client's examples, most frequent first (at most 3). */
export function topClasses(histogram: number[]): number[] {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return [];
  return histogram
    .map((n, c) => ({ n, c }))
    .filter((x) => x.n > 0 && x.n >= total / 4)
    .sort((a, b) => b.n - a.n || a.c - b.c)
    .slice(0, 3)
    .map((x) => x.c);
}

export function reduce(s: SideState, e: EngineEvent): SideState {
  switch (e.type) {
    case 'run-started':
      return { ...initialState(e.config.rounds), phase: 'training', histograms: e.data.histograms.map((h) => [...h]) };
    case 'round-metrics': {
      const accuracy = [...s.accuracy, e.metrics.testAccuracy];
      return { ...s, round: e.metrics.round, accuracy, phase: e.metrics.round >= s.rounds ? 'personalizing' : 'training' };
    }
    case 'client-personalized': {
      const bar: ClientBar = { client: e.client, trainN: e.trainN, testN: e.testN, before: e.before, after: e.after, topClasses: topClasses(s.histograms[e.client] ?? []) };
      return { ...s, phase: 'personalizing', clients: [...s.clients.filter((c) => c.client !== e.client), bar].sort((a, b) => a.client - b.client) };
    }
    case 'personalized':
      return { ...s, meanBefore: e.meanBefore, meanAfter: e.meanAfter };
    case 'run-finished':
      return { ...s, phase: 'done' };
    case 'run-diverged':
      return { ...s, phase: 'diverged', message: e.message };
    case 'run-cancelled':
      return { ...s, phase: 'cancelled' };
    default:
      return s;
  }
}

/** One Korean sentence summing a finished side up (the chart's text alternative). */
export function summary(name: string, s: SideState): string {
  if (s.meanBefore === null || s.meanAfter === null) return `${name}: 아직 결과가 없습니다.`;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const tested = s.clients.filter((c) => c.testN > 0);
  const better = tested.filter((c) => c.after > c.before).length;
  const worse = tested.filter((c) => c.after < c.before).length;
  return `${name}: 클라이언트 ${tested.length}명의 자기 테스트 데이터 정확도 평균이 글로벌 모델 ${pct(s.meanBefore)}에서 미세 조정 후 ${pct(s.meanAfter)}가 되었습니다. ${better}명은 좋아졌고 ${worse}명은 나빠졌습니다.`;
}
