/**
 * The ε calculator's settings (`?eps.…`): the mechanism's sampling rate q and noise multiplier z,
 * the number of rounds T and δ. One table for the URL, the controls and the computation.
 */
import type { PanelOf, ParamTable, Values } from '~/runtime/url-state';

export const SAMPLE_RATES = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1] as const;
export const NOISES = [0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.5, 2, 3, 4, 5, 6, 8, 10, 16] as const;
export const ROUNDS = [1, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] as const;
export const DELTAS = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3] as const;

export const params = {
  q: { type: 'number', label: '라운드마다 한 사람이 뽑힐 확률 q', default: 0.01, min: 0.001, max: 1, values: SAMPLE_RATES },
  z: { type: 'number', label: '노이즈 배수 z', default: 4, min: 0.5, max: 16, values: NOISES },
  rounds: { type: 'number', label: '라운드 수 T', default: 10000, min: 1, max: 10000, values: ROUNDS, unit: '라운드' },
  delta: { type: 'number', label: '실패 확률 δ', default: 1e-5, min: 1e-8, max: 1e-3, values: DELTAS },
} as const satisfies ParamTable;

export type EpsParams = typeof params;
export type EpsValues = Values<EpsParams>;

/** The settings panel: the mechanism, then how long and with which δ. */
export const panel: PanelOf<EpsParams> = {
  title: '계산할 학습',
  groups: [
    { title: '메커니즘', settings: ['q', 'z'] },
    { title: '얼마나, 어떤 보장으로', settings: ['rounds', 'delta'] },
  ],
  hints: {
    q: 'DP-FedAvg에서는 한 클라이언트가 라운드에 참여할 확률, DP-SGD에서는 한 예제가 배치에 들어갈 확률입니다.',
    z: '노이즈 표준편차를 한 사람이 결과를 바꿀 수 있는 최대량(민감도)으로 나눈 값입니다.',
    delta: '보통 데이터를 가진 사람 수의 역수보다 작게 둡니다.',
  },
};
