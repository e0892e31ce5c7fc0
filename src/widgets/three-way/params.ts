/**
 * The three-way comparison's settings (`?threeway.…`). Every method trains the same model from
 * the same initial weights on the same clients' data; these settings change all of them at once.
 */
import type { PanelOf, ParamTable, Values } from '~/runtime/url-state';
import { PARTITION, SEED } from '../controls/params';

export const params = {
  /** Client counts: up to 40 so that the crossover of this model (K* ≈ 19–24) is inside the range. */
  clients: { type: 'number', label: '클라이언트 수 K', default: 4, min: 2, max: 40, values: [2, 3, 4, 6, 8, 10, 15, 20, 30, 40], unit: '명' },
  partition: {
    ...PARTITION,
    choices: [
      { value: 'iid', label: 'IID (골고루 섞어서)' },
      { value: 'dirichlet', label: 'Non-IID: 디리클레 α = 0.3' },
      { value: 'shards', label: 'Non-IID: 레이블 샤드 2개씩' },
    ],
  },
  local: { type: 'number', label: '로컬 에폭 E (FedAvg, SplitFed)', default: 1, min: 1, max: 5, step: 1, unit: '에폭' },
  epochs: { type: 'number', label: '학습 데이터를 훑는 횟수', default: 10, min: 2, max: 30, step: 1, unit: '에폭' },
  cut: { type: 'number', label: '분할 지점 (분할 학습, SplitFed)', default: 1, min: 1, max: 2, step: 1, unit: '번째 층 뒤' },
  sfl: {
    type: 'choice',
    label: 'SplitFed 변형',
    default: 'splitfed1',
    choices: [
      { value: 'splitfed1', label: 'V1 (서버 쪽 모델도 평균)' },
      { value: 'splitfed2', label: 'V2 (서버 쪽 모델 하나를 차례로)' },
    ],
  },
  lr: { type: 'number', label: '학습률', default: 0.1, min: 0.01, max: 1, values: [0.01, 0.03, 0.1, 0.3, 1] },
  seed: SEED,
} as const satisfies ParamTable;

export type ThreeWayParams = typeof params;
export type ThreeWayValues = Values<ThreeWayParams>;

/** The settings panel; every setting applies to all four methods. */
export const panel: PanelOf<ThreeWayParams> = {
  title: '실험 설정 (네 방식 모두에 적용)',
  groups: [
    { title: '클라이언트와 데이터', settings: ['clients', 'partition', 'seed'] },
    { title: '학습', settings: ['epochs', 'local', 'cut', 'sfl', 'lr'] },
  ],
  hints: {
    epochs: '모든 방식이 학습 데이터를 적어도 이만큼 훑습니다.',
  },
};
