/**
 * The live reproduction's settings: one table for the URL (`?repro.…`), the server-rendered
 * controls and the engine configurations (./config.ts).
 */
import type { PanelOf, ParamTable, Values } from '~/runtime/url-state';
import { PARTITION, SEED } from '../controls/params';
import { CURVE } from './results-params';

/** The FedAvg settings the reader can add to the race against FedSGD, as in the paper's Table 2. */
export const FEDAVG_SETTINGS = [
  { key: 'e1b10', localEpochs: 1, batchSize: 10 },
  { key: 'e1b50', localEpochs: 1, batchSize: 50 },
  { key: 'e5ball', localEpochs: 5, batchSize: 'all' },
  { key: 'e5b10', localEpochs: 5, batchSize: 10 },
] as const;

export const params = {
  partition: {
    ...PARTITION,
    choices: [
      { value: 'iid', label: 'IID (섞어서 고르게)' },
      { value: 'shards', label: '극단적 Non-IID (샤드 2개씩)' },
    ],
  },
  clients: { type: 'number', label: '클라이언트 수 K', default: 50, min: 20, max: 100, values: [20, 50, 100], unit: '명' },
  target: { type: 'number', label: '목표 정확도', default: 90, min: 80, max: 94, values: [80, 85, 88, 90, 92, 94], unit: '%' },
  rounds: { type: 'number', label: '설정마다 최대 라운드', default: 100, min: 25, max: 400, values: [25, 50, 100, 200, 400], unit: '라운드' },
  e1b10: { type: 'boolean', label: 'FedAvg E=1, B=10', default: true },
  e1b50: { type: 'boolean', label: 'FedAvg E=1, B=50', default: false },
  e5ball: { type: 'boolean', label: 'FedAvg E=5, B=∞', default: true },
  e5b10: { type: 'boolean', label: 'FedAvg E=5, B=10', default: false },
  lrScale: { type: 'number', label: '학습률 배율', default: 1, min: 0.25, max: 4, values: [0.25, 0.5, 1, 2, 4], unit: '배' },
  seed: SEED,
  curve: { ...CURVE, view: true },
} as const satisfies ParamTable;

export type ReproParams = typeof params;
export type ReproValues = Values<ReproParams>;

/** The live reproduction's settings panel (the chart's `curve` choice sits above the chart). */
export const panel: PanelOf<ReproParams> = {
  groups: [
    { title: '데이터와 클라이언트', settings: ['partition', 'clients', 'seed'] },
    { title: 'FedSGD와 겨룰 FedAvg 설정', settings: ['e1b10', 'e1b50', 'e5ball', 'e5b10'] },
    { title: '측정', settings: ['target', 'rounds', 'lrScale'] },
  ],
  hints: {
    clients: 'MNIST 1만 장을 K명이 똑같이 나눠 갖고, 라운드마다 10%가 참여합니다.',
    rounds: '목표에 닿으면 그 설정은 멈추고 다음 설정으로 넘어갑니다.',
    lrScale: '설정마다 정해 둔 학습률에 곱합니다.',
  },
};

