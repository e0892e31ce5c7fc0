/**
 * Names and colours of what travels (message kinds) and of the training methods, shared by the
 * split-learning and comparison widgets so that "스매시드 데이터" or "연합 학습" looks the same in
 * every chart, counter and table. Colours are from the Okabe–Ito palette (distinguishable with
 * the common colour-vision deficiencies); every chart also writes the name beside the colour.
 */
import type { MessageKind } from '~/engine/types';

/** Korean name of each message kind (as in the chapters' text). */
export const KIND_LABELS: Record<MessageKind, string> = {
  'raw-data': '원본 데이터',
  'weights-down': '모델 내려받기',
  'weights-up': '모델 올리기',
  smashed: '스매시드 데이터',
  gradient: '기울기',
  labels: '레이블',
  handoff: '인계',
  'control-variate': '제어 변량',
};

export const KIND_COLORS: Record<MessageKind, string> = {
  'raw-data': '#7f7f7f',
  'weights-down': '#e69f00',
  'weights-up': '#f0c35a',
  smashed: '#0072b2',
  gradient: '#d55e00',
  labels: '#009e73',
  handoff: '#cc79a7',
  'control-variate': '#56b4e9',
};

/** The order in which kinds are listed (what split learning sends first, then the rest). */
export const KIND_ORDER: readonly MessageKind[] = ['smashed', 'gradient', 'labels', 'handoff', 'weights-down', 'weights-up', 'control-variate', 'raw-data'];

/** The methods the comparison widgets set side by side. */
export type Method = 'centralized' | 'fl' | 'sl' | 'slHandoff' | 'splitfed';

export const METHOD_LABELS: Record<Method, string> = {
  centralized: '중앙 집중식',
  fl: '연합 학습',
  sl: '분할 학습',
  slHandoff: '분할 학습 (인계)',
  splitfed: 'SplitFed',
};

export const METHOD_COLORS: Record<Method, string> = {
  centralized: '#7f7f7f',
  fl: '#e69f00',
  sl: '#0072b2',
  slHandoff: '#56b4e9',
  splitfed: '#009e73',
};

/**
 * Large counts the way the chapter writes them: 3,970만, 3억 9,842만. Below 10,000 the number
 * itself.
 */
export function formatKoreanCount(n: number): string {
  const x = Math.round(n);
  if (Math.abs(x) < 10_000) return x.toLocaleString('ko-KR');
  const eok = Math.floor(x / 100_000_000);
  const man = Math.round((x % 100_000_000) / 10_000);
  if (eok === 0) return `${man.toLocaleString('ko-KR')}만`;
  return man === 0 ? `${eok.toLocaleString('ko-KR')}억` : `${eok.toLocaleString('ko-KR')}억 ${man.toLocaleString('ko-KR')}만`;
}
