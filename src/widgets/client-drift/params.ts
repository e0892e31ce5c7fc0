/**
 * The client-drift widget's settings (chapter 3): one table for the URL (`?drift.…`), the
 * server-rendered controls and the two engine configurations (IID and Dirichlet α, or FedAvg and
 * SCAFFOLD or FedProx on the same Dirichlet α split).
 */
import type { PanelOf, ParamTable, Values } from '~/runtime/url-state';
import { SEED, SPEED, choicesOf } from '../controls/params';

export const params = {
  data: { type: 'choice', label: '데이터셋', default: 'moons', choices: choicesOf('moons', 'blobs', 'circles', 'xor') },
  /**
   * What the two sides differ in: the split (IID against Dirichlet α, the same algorithm), or the
   * algorithm (FedAvg against SCAFFOLD or FedProx, both on the Dirichlet α split).
   */
  compare: {
    type: 'choice',
    label: '비교',
    default: 'split',
    choices: [
      { value: 'split', label: 'IID 대 레이블 불균형' },
      { value: 'scaffold', label: 'FedAvg 대 SCAFFOLD (불균형)' },
      { value: 'fedprox', label: 'FedAvg 대 FedProx (불균형)' },
    ],
  },
  alpha: { type: 'number', label: '오른쪽 분할의 디리클레 α', default: 0.1, min: 0.05, max: 100, values: [0.05, 0.1, 0.2, 0.5, 1, 10, 100] },
  epochs: { type: 'number', label: '로컬 에폭 E', default: 5, min: 1, max: 20, step: 1, unit: '에폭' },
  mu: { type: 'number', label: 'FedProx 근접항 μ (0이면 FedAvg)', default: 0, min: 0, max: 1, values: [0, 0.01, 0.1, 1] },
  clients: { type: 'number', label: '클라이언트 수 K', default: 4, min: 2, max: 8, step: 1, unit: '명' },
  lr: { type: 'number', label: '학습률 η', default: 0.1, min: 0.03, max: 1, values: [0.03, 0.1, 0.3, 1] },
  rounds: { type: 'number', label: '라운드 수', default: 20, min: 5, max: 40, step: 5, unit: '라운드' },
  seed: SEED,
  speed: SPEED,
} as const satisfies ParamTable;

export type DriftParams = typeof params;
export type DriftValues = Values<DriftParams>;

/** The settings panel; μ is shown only when a side uses FedProx. */
export const panel: PanelOf<DriftParams> = {
  groups: [
    { title: '치우침과 로컬 학습', settings: ['compare', 'alpha', 'epochs', 'mu'] },
    { title: '데이터와 학습', settings: ['data', 'clients', 'lr', 'rounds', 'seed'] },
  ],
  hints: {
    alpha: '작을수록 클라이언트마다 한두 클래스만 갖습니다.',
    mu: '로컬 모델을 출발점 w_t 쪽으로 당깁니다. 분할을 비교할 때는 두 쪽 모두에, FedProx와 비교할 때는 오른쪽에만 적용됩니다.',
  },
  showWhen: {
    mu: 'compare=split|fedprox',
  },
};

/** Milliseconds each round stays on screen; 0: as fast as the two runs go. */
export const ROUND_MS: Record<DriftValues['speed'], number> = { slow: 900, normal: 350, fast: 0 };
