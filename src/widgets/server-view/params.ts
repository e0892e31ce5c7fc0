/**
 * The "what the server sees" widget's settings (`?serverview.…`): the model trained on the
 * digits, and which digit and cut layer to look at. Digit and cut only choose what is shown: the
 * engine computes every cut and one example per digit in one go.
 */
import type { PanelOf, ParamTable, Values } from '~/runtime/url-state';
import { ACTIVATION, SEED } from '../controls/params';

export const params = {
  digit: {
    type: 'choice',
    label: '숫자',
    view: true,
    default: '3',
    choices: Array.from({ length: 10 }, (_, d) => ({ value: String(d) as `${number}`, label: `${d}` })),
  },
  cut: { type: 'number', label: '분할 지점', default: 1, min: 1, max: 6, step: 1, unit: '번째 층 뒤', view: true },
  model: {
    type: 'choice',
    label: '모델',
    default: 'mlp',
    choices: [
      { value: 'mlp', label: '완전 연결 신경망 (MLP)' },
      { value: 'cnn', label: '합성곱 신경망 (CNN)' },
    ],
  },
  layers: { type: 'number', label: '은닉층 수 (MLP)', default: 3, min: 1, max: 4, step: 1, unit: '층' },
  units: { type: 'number', label: '층마다 뉴런 수 (MLP)', default: 32, min: 8, max: 64, values: [8, 16, 32, 64], unit: '개' },
  act: ACTIVATION,
  epochs: { type: 'number', label: '학습 에폭', default: 10, min: 1, max: 40, step: 1, unit: '에폭' },
  seed: SEED,
} as const satisfies ParamTable;

export type ServerViewParams = typeof params;
export type ServerViewValues = Values<ServerViewParams>;

/** The settings panel: what to look at, then the model that was trained. */
export const panel: PanelOf<ServerViewParams> = {
  title: '보기 설정',
  groups: [
    { title: '무엇을 볼까', settings: ['digit', 'cut'] },
    { title: '학습한 모델', settings: ['model', 'layers', 'units', 'act', 'epochs', 'seed'] },
  ],
  hints: {
    digit: '테스트 데이터에서 이 숫자의 첫 예제를 봅니다(학습에 쓰지 않은 이미지).',
  },
};

