/**
 * The RAPPOR widget's settings (`?rappor.…`) and the made-up population it reports on: the home
 * page people use, sixteen candidate sites of which ten are in use (Zipf-distributed) and six
 * are not, so the decoder's false positives are visible too.
 */
import type { PanelOf, ParamTable, Values } from '~/runtime/url-state';
import { SEED } from '../controls/params';

/** Candidate values the server decodes; the first HELD are held by someone. */
export const CANDIDATES = [
  'news.example',
  'mail.example',
  'shop.example',
  'video.example',
  'map.example',
  'blog.example',
  'game.example',
  'bank.example',
  'music.example',
  'photo.example',
  'wiki.example',
  'cafe.example',
  'book.example',
  'travel.example',
  'sport.example',
  'weather.example',
] as const;

/** How many of the candidates somebody holds. */
export const HELD = 10;

export const params = {
  encoding: {
    type: 'choice',
    label: '값을 비트로 바꾸는 방법',
    default: 'bloom',
    choices: [
      { value: 'bloom', label: '블룸 필터 (해시 h개)' },
      { value: 'basic', label: '기본 RAPPOR (범주당 1비트)' },
    ],
  },
  k: { type: 'number', label: '블룸 필터 크기 k', default: 16, min: 4, max: 64, values: [4, 8, 16, 32, 64], unit: '비트' },
  h: { type: 'number', label: '해시 함수 개수 h', default: 2, min: 1, max: 8, step: 1, unit: '개' },
  m: { type: 'number', label: '코호트 수 m', default: 64, min: 1, max: 128, values: [1, 2, 4, 8, 16, 32, 64, 128], unit: '개' },
  f: { type: 'number', label: '영구 단계의 f', default: 0.5, min: 0, max: 0.95, step: 0.05 },
  p: { type: 'number', label: '순간 단계의 p (B′ = 0일 때 1을 보낼 확률)', default: 0.5, min: 0, max: 1, step: 0.05 },
  q: { type: 'number', label: '순간 단계의 q (B′ = 1일 때 1을 보낼 확률)', default: 0.75, min: 0, max: 1, step: 0.05 },
  n: { type: 'number', label: '모으는 보고 수 N', default: 30000, min: 1000, max: 100000, values: [1000, 3000, 10000, 30000, 100000], unit: '개' },
  value: {
    type: 'choice',
    label: '이 사람의 값',
    default: 'news.example',
    choices: CANDIDATES.map((c) => ({ value: c, label: c })),
  },
  reports: { type: 'number', label: '같은 값을 보고한 횟수', default: 3, min: 1, max: 12, step: 1, unit: '번' },
  /** Which simulated person (their cohort and coins); changed by the "다른 사람으로" button. */
  person: { type: 'number', label: '사람 번호', default: 1, min: 1, max: 999, step: 1 },
  seed: SEED,
} as const satisfies ParamTable;

export type RapporParamsTable = typeof params;
export type RapporValues = Values<RapporParamsTable>;

/** The settings panel; basic RAPPOR fixes k, h and m, so their controls show only for the Bloom filter. */
export const panel: PanelOf<RapporParamsTable> = {
  groups: [
    { title: '값을 비트로', settings: ['encoding', 'k', 'h', 'm'] },
    { title: '무작위 응답', settings: ['f', 'p', 'q'] },
    { title: '한 사람', settings: ['value', 'reports'] },
    { title: '인구 전체', settings: ['n', 'seed'] },
  ],
  hints: {
    encoding: `기본 RAPPOR에서는 k = 범주 수(${CANDIDATES.length}), h = 1, 코호트 1개로 정해집니다.`,
  },
  showWhen: { k: 'encoding=bloom', h: 'encoding=bloom', m: 'encoding=bloom' },
};
