/**
 * The gradient inversion widget's settings (`?inversion.…`): the client's data and model, what
 * it sends (b images, E local steps), the attacker's budget, and three defences that can be
 * combined. `sweep` picks the defence whose strength the chart varies. The ranges stay inside
 * the engine's INVERSION_LIMITS (not imported: this file loads with the page).
 */
import type { PanelOf, ParamTable, Values } from '~/runtime/url-state';
import { SEED } from '../controls/params';

export const params = {
  data: {
    type: 'choice',
    label: '데이터셋',
    default: 'digits',
    choices: [
      { value: 'digits', label: '손글씨 숫자 8×8' },
      { value: 'mnist', label: 'MNIST 28×28' },
    ],
  },
  hidden: { type: 'number', label: '은닉층 뉴런 수', default: 32, min: 8, max: 128, values: [8, 16, 32, 64, 128], unit: '개' },
  act: {
    type: 'choice',
    label: '활성화 함수',
    default: 'sigmoid',
    choices: [
      { value: 'sigmoid', label: '시그모이드 (sigmoid)' },
      { value: 'tanh', label: 'tanh' },
      { value: 'relu', label: 'ReLU' },
    ],
  },
  batch: { type: 'number', label: '배치 크기 b', default: 1, min: 1, max: 8, step: 1, unit: '장' },
  local: { type: 'number', label: '로컬 스텝 E', default: 1, min: 1, max: 10, step: 1, unit: '번' },
  steps: { type: 'number', label: '공격 스텝', default: 200, min: 50, max: 1000, values: [50, 100, 200, 300, 500, 1000], unit: '번' },
  labels: {
    type: 'choice',
    label: '레이블',
    default: 'infer',
    choices: [
      { value: 'infer', label: '업데이트에서 읽기 (iDLG)' },
      { value: 'optimize', label: '이미지와 함께 찾기 (DLG)' },
    ],
  },
  noise: { type: 'number', label: '노이즈 배수 z', default: 0, min: 0, max: 1, values: [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1] },
  clip: { type: 'number', label: '클리핑 노름 S', default: 0.3, min: 0.01, max: 3, values: [0.01, 0.03, 0.1, 0.3, 1, 3] },
  secagg: { type: 'number', label: '보안 집계 K', default: 1, min: 1, max: 16, values: [1, 2, 4, 8, 16], unit: '명' },
  topk: { type: 'number', label: '보내는 비율 (top-k)', default: 1, min: 0.01, max: 1, values: [0.01, 0.03, 0.1, 0.3, 1] },
  sweep: {
    type: 'choice',
    label: '세기를 바꿔 볼 방어',
    default: 'noise',
    choices: [
      { value: 'noise', label: '차분 프라이버시 노이즈 z' },
      { value: 'secureAgg', label: '보안 집계 K' },
      { value: 'topk', label: 'top-k 비율' },
    ],
  },
  seed: SEED,
} as const satisfies ParamTable;

export type InversionParams = typeof params;
export type InversionValues = Values<InversionParams>;

/** The settings panel: what the client sends, what the attacker does, and the defences. */
export const panel: PanelOf<InversionParams> = {
  title: '공격 설정',
  groups: [
    { title: '클라이언트가 보내는 것', settings: ['data', 'batch', 'local', 'hidden', 'act'] },
    { title: '공격자(서버)', settings: ['steps', 'labels', 'seed'] },
    { title: '방어', settings: ['noise', 'clip', 'secagg', 'topk'] },
  ],
  hints: {
    batch: '클라이언트 한 명이 한 번에 쓰는 이미지 수입니다.',
    local: '1이면 기울기(FedSGD), 2 이상이면 그만큼 학습한 뒤의 변화량(FedAvg)을 보냅니다.',
    noise: '0이 아니면 클라이언트가 업데이트를 S로 클리핑하고 표준편차 z·S인 노이즈를 더해 보냅니다.',
    secagg: '서버는 K명의 업데이트 합만 봅니다.',
    topk: '절댓값이 큰 좌표만 이 비율만큼 보냅니다.',
  },
};

/** Settings that change only what the sweep chart varies, not the attack shown. */
export const SWEEP_ONLY: readonly (keyof InversionParams)[] = ['sweep'];
