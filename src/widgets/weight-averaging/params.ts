/**
 * The weight-averaging widget's settings (chapter 3): one table for the URL (`?avg.…`), the
 * server-rendered controls and the engine configuration.
 */
import type { PanelOf, ParamTable, Values } from '~/runtime/url-state';
import { SEED, SPEED, choicesOf } from '../controls/params';

export const params = {
  data: { type: 'choice', label: '데이터셋', default: 'moons', choices: choicesOf('moons', 'circles', 'xor', 'blobs') },
  partition: {
    type: 'choice',
    label: '데이터 분할',
    default: 'quantity',
    choices: [
      { value: 'iid', label: 'IID (같은 양, 같은 분포)' },
      { value: 'quantity', label: '데이터 양 불균형' },
      { value: 'dirichlet', label: '레이블 불균형 (Non-IID)' },
    ],
  },
  /** Dirichlet α (label skew) or the skew of client sizes (quantity), from strong to none. */
  alpha: { type: 'number', label: '불균형 정도 α', default: 1, min: 0.1, max: 100, values: [0.1, 0.2, 0.5, 1, 2, 5, 100] },
  clients: { type: 'number', label: '클라이언트 수 K', default: 4, min: 2, max: 8, step: 1, unit: '명' },
  epochs: { type: 'number', label: '로컬 에폭 E', default: 2, min: 1, max: 10, step: 1, unit: '에폭' },
  lr: { type: 'number', label: '학습률 η', default: 0.3, min: 0.03, max: 1, values: [0.03, 0.1, 0.3, 1] },
  weighted: { type: 'boolean', label: '데이터 수로 가중 (n_k / m_t)', default: true },
  rounds: { type: 'number', label: '라운드 수', default: 15, min: 5, max: 40, step: 5, unit: '라운드' },
  seed: SEED,
  zoom: { type: 'boolean', label: '이번 라운드만 확대', default: false, view: true },
  speed: SPEED,
} as const satisfies ParamTable;

export type AvgParams = typeof params;
export type AvgValues = Values<AvgParams>;

/** The settings panel (the map's `zoom` switch sits under the map). */
export const panel: PanelOf<AvgParams> = {
  groups: [
    { title: '집계', settings: ['weighted'] },
    { title: '데이터와 클라이언트', settings: ['data', 'partition', 'alpha', 'clients', 'seed'] },
    { title: '로컬 학습', settings: ['epochs', 'lr', 'rounds'] },
  ],
  hints: {
    weighted: '끄면 모든 클라이언트에 같은 가중치 1/m을 줍니다(산술 평균).',
    alpha: '작을수록 치우칩니다. 100이면 거의 고릅니다.',
  },
  showWhen: {
    alpha: 'partition=quantity|dirichlet',
  },
};

/** Milliseconds per phase (clients move out; the mean is taken); 0: whole rounds at once. */
export const PHASE_MS: Record<AvgValues['speed'], number> = { slow: 1200, normal: 600, fast: 0 };

