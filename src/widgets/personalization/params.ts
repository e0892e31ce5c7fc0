/**
 * The personalization figure's settings (chapter 3): one table for the URL (`?pers.…`), the
 * server-rendered controls and the two engine configurations (IID and Dirichlet α).
 */
import type { PanelOf, ParamTable, Values } from '~/runtime/url-state';
import { SEED } from '../controls/params';

export const ALPHAS = [0.05, 0.1, 0.2, 0.5, 1, 10, 100] as const;
export const LEARNING_RATES = [0.03, 0.1, 0.3] as const;

export const params = {
  alpha: { type: 'number', label: '오른쪽 분할의 디리클레 α', default: 0.1, min: ALPHAS[0], max: 100, values: ALPHAS },
  personalize: { type: 'number', label: '개인화(미세 조정) 에폭', default: 2, min: 1, max: 10, step: 1, unit: '에폭' },
  clients: { type: 'number', label: '클라이언트 수 K', default: 8, min: 2, max: 12, step: 1, unit: '명' },
  rounds: { type: 'number', label: '연합 학습 라운드 수', default: 5, min: 1, max: 30, step: 1, unit: '라운드' },
  epochs: { type: 'number', label: '로컬 에폭 E', default: 1, min: 1, max: 10, step: 1, unit: '에폭' },
  lr: { type: 'number', label: '학습률 η', default: 0.1, min: LEARNING_RATES[0], max: 0.3, values: LEARNING_RATES },
  seed: SEED,
} as const satisfies ParamTable;

export type PersParams = typeof params;
export type PersValues = Values<PersParams>;

/** The settings panel: the skew and the fine-tuning, then the federated run itself. */
export const panel: PanelOf<PersParams> = {
  groups: [
    { title: '치우침과 개인화', settings: ['alpha', 'personalize'] },
    { title: '연합 학습 (FedAvg, digits)', settings: ['clients', 'rounds', 'epochs', 'lr', 'seed'] },
  ],
  hints: {
    alpha: '작을수록 클라이언트마다 한두 숫자만 갖습니다.',
    personalize: '클라이언트가 자기 학습 데이터를 몇 번 훑으며 미세 조정할지 정합니다.',
    lr: '미세 조정도 같은 학습률과 배치 크기 10으로 합니다.',
  },
};
