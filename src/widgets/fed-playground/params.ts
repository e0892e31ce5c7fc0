/**
 * The federated playground's settings (chapter 3): one table for the URL (`?fed.…`), the
 * server-rendered controls and the engine configuration.
 */
import type { PanelOf, ParamTable, Values } from '~/runtime/url-state';
import { PARTITION, SEED, SPEED, choicesOf, plainChoices } from '../controls/params';

export const params = {
  data: {
    type: 'choice',
    label: '데이터셋',
    default: 'moons',
    choices: [
      ...choicesOf('circles', 'moons', 'xor', 'blobs'),
      { value: 'digits', label: '손글씨 숫자 8×8 (digits)' },
    ],
  },
  clients: { type: 'number', label: '클라이언트 수 K', default: 8, min: 2, max: 16, step: 1, unit: '명' },
  fraction: { type: 'number', label: '참여 비율 C', default: 0.5, min: 0.1, max: 1, values: [0.1, 0.2, 0.25, 0.3, 0.5, 0.75, 1] },
  partition: {
    ...PARTITION,
    choices: [
      { value: 'iid', label: 'IID (고르게 섞어서)' },
      { value: 'dirichlet', label: '레이블 불균형 (디리클레 α)' },
      { value: 'shards', label: '레이블 샤드 (극단적 Non-IID)' },
      { value: 'quantity', label: '데이터 양 불균형' },
    ],
  },
  alpha: { type: 'number', label: '디리클레 α', default: 0.5, min: 0.05, max: 100, values: [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 100] },
  shards: { type: 'number', label: '클라이언트당 샤드 수', default: 2, min: 1, max: 4, step: 1, unit: '개' },
  algo: {
    type: 'choice',
    label: '알고리즘',
    default: 'fedavg',
    choices: [
      { value: 'fedavg', label: 'FedAvg' },
      { value: 'fedsgd', label: 'FedSGD (E = 1, B = ∞)' },
      { value: 'fedprox', label: 'FedProx (근접항 μ)' },
      { value: 'scaffold', label: 'SCAFFOLD (제어 변량)' },
      { value: 'fedavgm', label: 'FedAvgM (서버 모멘텀)' },
      { value: 'fedadam', label: 'FedAdam (서버 Adam)' },
      { value: 'fedyogi', label: 'FedYogi (서버 Yogi)' },
      { value: 'fedadagrad', label: 'FedAdagrad (서버 Adagrad)' },
    ],
  },
  slr: { type: 'number', label: '서버 학습률 η_g', default: 1, min: 0.1, max: 2, values: [0.1, 0.3, 0.5, 1, 1.5, 2] },
  momentum: { type: 'number', label: '서버 모멘텀 β', default: 0.9, min: 0, max: 0.95, values: [0, 0.5, 0.7, 0.9, 0.95] },
  alr: { type: 'number', label: '서버 학습률 η (적응형)', default: 0.03, min: 0.003, max: 0.3, values: [0.003, 0.01, 0.03, 0.1, 0.3] },
  dropout: { type: 'number', label: '이탈 확률', default: 0, min: 0, max: 0.7, values: [0, 0.1, 0.2, 0.3, 0.5, 0.7] },
  stragglers: { type: 'number', label: '느린 클라이언트 비율', default: 0, min: 0, max: 1, values: [0, 0.25, 0.5, 0.75, 1] },
  mu: { type: 'number', label: '근접항 계수 μ', default: 0.1, min: 0.001, max: 1, values: [0.001, 0.01, 0.1, 1] },
  epochs: { type: 'number', label: '로컬 에폭 E', default: 2, min: 1, max: 20, step: 1, unit: '에폭' },
  batch: {
    type: 'choice',
    label: '로컬 배치 크기 B',
    default: '10',
    choices: [...plainChoices('5', '10', '20', '50'), { value: 'all', label: '∞ (로컬 데이터 전체)' }],
  },
  /** Learning rates roughly ×3 apart; FedSGD takes one step per round and wants the larger ones. */
  lr: { type: 'number', label: '학습률 η', default: 0.3, min: 0.003, max: 10, values: [0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10] },
  weighting: {
    type: 'choice',
    label: '집계 가중치',
    default: 'samples',
    choices: [
      { value: 'samples', label: '데이터 수에 비례 (n_k / m_t)' },
      { value: 'uniform', label: '모두 같게 (1 / m)' },
    ],
  },
  rounds: { type: 'number', label: '라운드 수', default: 30, min: 5, max: 100, step: 5, unit: '라운드' },
  seed: SEED,
  speed: SPEED,
} as const satisfies ParamTable;

export type FedParams = typeof params;
export type FedValues = Values<FedParams>;

/** The algorithms whose clients train locally for E epochs in batches of B (all but FedSGD). */
const LOCAL_EPOCHS = 'algo=fedavg|fedprox|scaffold|fedavgm|fedadam|fedyogi|fedadagrad';

/** The settings panel: groups in reading order, help lines, and knobs shown only when they act. */
export const panel: PanelOf<FedParams> = {
  groups: [
    { title: '데이터와 클라이언트', settings: ['data', 'clients', 'partition', 'alpha', 'shards', 'seed'] },
    { title: '연합 학습', settings: ['algo', 'mu', 'slr', 'momentum', 'alr', 'fraction', 'weighting', 'rounds'] },
    { title: '로컬 학습', settings: ['epochs', 'batch', 'lr'] },
    { title: '이탈과 낙오', settings: ['dropout', 'stragglers'] },
  ],
  hints: {
    alpha: '작을수록 치우칩니다. 100이면 거의 IID입니다.',
    slr: '평균 변화량에 곱하는 서버의 걸음. 1이면 FedAvg와 같은 걸음입니다.',
    momentum: '0이고 η_g = 1이면 FedAvg와 같습니다.',
    alr: '좌표마다 대략 η만큼 움직입니다. β₁ = 0.9, β₂ = 0.99, τ = 0.001.',
    fraction: '한 라운드에 뽑히는 수: m = max(⌊C·K⌋, 1)',
    dropout: '뽑힌 클라이언트가 모델을 받고도 결과를 돌려보내지 않을 확률',
    stragglers: 'E 에폭 대신 1~E 에폭만 학습하고 보내는 클라이언트의 비율',
  },
  showWhen: {
    alpha: 'partition=dirichlet|quantity',
    shards: 'partition=shards',
    mu: 'algo=fedprox',
    slr: 'algo=scaffold|fedavgm',
    momentum: 'algo=fedavgm',
    alr: 'algo=fedadam|fedyogi|fedadagrad',
    epochs: LOCAL_EPOCHS,
    batch: LOCAL_EPOCHS,
    stragglers: LOCAL_EPOCHS,
  },
};

/**
 * Milliseconds per phase of a round (send, train, upload, aggregate) by speed; 0 draws each round
 * as soon as it is computed, without the phases.
 */
export const PHASE_MS: Record<FedValues['speed'], number> = { slow: 900, normal: 380, fast: 0 };

