/**
 * The DP-FedAvg widget's settings (`?dpfed.…`): the federated playground's knobs plus the clip
 * norm S and the noise multiplier z. One table for the URL, the controls and the engine config.
 * `fraction` is the probability q with which each client joins a round (Poisson sampling, as in
 * McMahan et al. 2018); the key keeps its older name so that shared links stay valid.
 */
import type { PanelOf, ParamTable, Values } from '~/runtime/url-state';
import { PARTITION, SEED, choicesOf } from '../controls/params';

/** Noise multipliers offered; the sweep trains once with each. */
export const NOISE_GRID = [0, 0.5, 1, 2, 4, 8, 16] as const;

export const params = {
  data: { type: 'choice', label: '데이터셋', default: 'circles', choices: choicesOf('circles', 'moons', 'xor', 'blobs') },
  partition: {
    ...PARTITION,
    choices: [
      { value: 'iid', label: 'IID (고르게)' },
      { value: 'dirichlet', label: 'Non-IID (디리클레 α = 0.5)' },
    ],
  },
  clients: { type: 'number', label: '클라이언트 수 K', default: 20, min: 5, max: 100, values: [5, 10, 20, 50, 100], unit: '명' },
  fraction: { type: 'number', label: '라운드마다 참여할 확률 q', default: 0.5, min: 0.1, max: 1, values: [0.1, 0.2, 0.5, 1] },
  epochs: { type: 'number', label: '로컬 에폭 E', default: 2, min: 1, max: 5, step: 1, unit: '에폭' },
  lr: { type: 'number', label: '학습률', default: 0.3, min: 0.03, max: 1, values: [0.03, 0.1, 0.3, 1] },
  rounds: { type: 'number', label: '라운드 수', default: 40, min: 10, max: 100, step: 10, unit: '라운드' },
  /** Clip norms offered; 0 switches clipping off (then z must be 0). */
  clip: { type: 'number', label: '클리핑 노름 S', default: 0.3, min: 0, max: 1, values: [0, 0.05, 0.1, 0.2, 0.3, 0.5, 1] },
  noise: { type: 'number', label: '노이즈 배수 z', default: 1, min: 0, max: 16, values: NOISE_GRID },
  seed: SEED,
} as const satisfies ParamTable;

export type DpParams = typeof params;
export type DpValues = Values<DpParams>;

/** The settings panel; the slot `sigma` is the live formula for σ under the noise slider. */
export const panel: PanelOf<DpParams> = {
  groups: [
    { title: '차분 프라이버시', settings: ['clip', 'noise', { slot: 'sigma' }] },
    { title: '연합 학습', settings: ['clients', 'fraction', 'epochs', 'lr', 'rounds'] },
    { title: '데이터', settings: ['data', 'partition', 'seed'] },
  ],
  hints: {
    clip: '0이면 클리핑하지 않습니다(그때는 노이즈도 0이어야 합니다).',
    clients: '클라이언트마다 점 30개씩 가집니다.',
  },
};

/** Training points per client: the data grows with K, so more clients means more people, not thinner slices. */
export const POINTS_PER_CLIENT = 30;

/** The δ at which the widget reports ε (the engine's default). */
export const DELTA = 1e-5;

/** Minimum milliseconds per round: slow enough to watch the clipping picture change. */
export const PACE_MS = 40;
