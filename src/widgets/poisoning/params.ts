/**
 * The poisoning widget's settings (the attacks chapter): one table for the URL (`?poison.…`), the
 * server-rendered controls and the engine configurations (one run per aggregation rule).
 */
import type { PanelOf, ParamTable, Values } from '~/runtime/url-state';
import { PARTITION, SEED } from '../controls/params';

export const SCALES = [1, 2, 4, 10] as const;
export const TRIMS = [0.1, 0.2, 0.3, 0.4] as const;

export const RULE_CHOICES = [
  { value: 'mean', label: '평균 (FedAvg)' },
  { value: 'median', label: '좌표별 중앙값' },
  { value: 'trimmed', label: '절사 평균' },
  { value: 'krum', label: 'Krum' },
  { value: 'clip', label: '노름 클리핑' },
  { value: 'centered', label: '중심 클리핑' },
] as const;

export const params = {
  attack: {
    type: 'choice',
    label: '공격',
    default: 'signflip',
    choices: [
      { value: 'none', label: '없음 (모두 정직)' },
      { value: 'labelflip', label: '레이블 뒤집기' },
      { value: 'signflip', label: '부호 뒤집기 (−s·Δ)' },
      { value: 'scale', label: '부풀리기 (s·Δ)' },
      { value: 'backdoor', label: '백도어 (픽셀 패턴 → 0)' },
    ],
  },
  malicious: { type: 'number', label: '악의적 클라이언트 비율 f', default: 0.3, min: 0, max: 0.5, step: 0.1 },
  scale: { type: 'number', label: '공격 배율 s', default: 4, min: 1, max: 10, values: SCALES },
  trim: { type: 'number', label: '절사 비율 β (Krum의 f도)', default: 0.3, min: 0.1, max: 0.4, values: TRIMS },
  partition: {
    ...PARTITION,
    choices: [
      { value: 'iid', label: 'IID (고르게)' },
      { value: 'dirichlet', label: '레이블 불균형 (α = 0.5)' },
    ],
  },
  secure: { type: 'boolean', label: '보안 집계 (서버는 합만 봄)', default: false },
  rounds: { type: 'number', label: '라운드 수', default: 10, min: 5, max: 20, step: 5, unit: '라운드' },
  seed: SEED,
  focus: { type: 'choice', label: '지도에 보일 실험', default: 'median', choices: RULE_CHOICES, view: true },
  round: { type: 'number', label: '지도의 라운드 (0 = 최근)', default: 0, min: 0, max: 20, step: 1, view: true },
} as const satisfies ParamTable;

export type PoisonParams = typeof params;
export type PoisonValues = Values<PoisonParams>;

/** The settings panel (the map's own choices, `focus` and `round`, sit under the map). */
export const panel: PanelOf<PoisonParams> = {
  groups: [
    { title: '공격', settings: ['attack', 'malicious', 'scale'] },
    { title: '서버의 방어', settings: ['trim', 'secure'] },
    { title: '데이터와 학습', settings: ['partition', 'rounds', 'seed'] },
  ],
  hints: {
    malicious: '클라이언트 10명 가운데 이 비율이 매 라운드 공격합니다.',
    scale: '악의적 업데이트에 곱하는 수입니다. 백도어에서 1보다 크면 모델 교체 공격입니다.',
    trim: '절사 평균이 양 끝에서 버리는 비율이자, Krum이 견디도록 가정하는 공격자 비율입니다.',
    secure: '켜면 서버는 업데이트의 합만 봅니다. 업데이트를 하나하나 봐야 하는 규칙은 실행할 수 없습니다.',
  },
};

