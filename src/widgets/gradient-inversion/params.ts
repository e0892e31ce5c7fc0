/**
 * The gradient inversion widget's settings (`?inversion.…`): the client's data and model, what
 * it sends (b images, E local steps), the attacker's budget, and three defences that can be
 * combined. `sweep` picks the defence whose strength the chart varies. The ranges stay inside
 * the engine's INVERSION_LIMITS (not imported: this file loads with the page).
 */
import type { ParamTable, Values } from '~/runtime/url-state';
import { SEED } from '../kit/params';

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

/** Settings that change only what the sweep chart varies, not the attack shown. */
export const SWEEP_ONLY: readonly (keyof InversionParams)[] = ['sweep'];
