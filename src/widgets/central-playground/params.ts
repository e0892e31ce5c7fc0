/**
 * The centralized-training widget's settings: one table for the URL (`?central.…`), the
 * server-rendered controls and the engine configuration.
 */
import type { PanelOf, ParamTable, Values } from '~/runtime/url-state';
import { ACTIVATION, SEED, SPEED, choicesOf, plainChoices } from '../controls/params';

export const params = {
  data: {
    type: 'choice',
    label: '데이터셋',
    default: 'circles',
    choices: choicesOf('circles', 'moons', 'xor', 'spiral', 'blobs'),
  },
  noise: { type: 'number', label: '노이즈', default: 0.1, min: 0, max: 1, step: 0.05 },
  clients: { type: 'number', label: '데이터를 가진 클라이언트', default: 4, min: 1, max: 8, step: 1, unit: '명' },
  layers: { type: 'number', label: '은닉층 수', default: 2, min: 0, max: 4, step: 1, unit: '층' },
  units: { type: 'number', label: '층마다 뉴런 수', default: 8, min: 1, max: 32, step: 1, unit: '개' },
  act: {
    ...ACTIVATION,
    default: 'tanh',
    choices: [
      ...ACTIVATION.choices,
      { value: 'sigmoid', label: '시그모이드 (sigmoid)' },
      { value: 'linear', label: '선형 (없음)' },
    ],
  },
  /** Learning rates on a roughly ×3 grid; the largest makes the MLP diverge (on purpose). */
  lr: { type: 'number', label: '학습률', default: 0.1, min: 0.0001, max: 10, values: [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10] },
  batch: {
    type: 'choice',
    label: '배치 크기',
    default: '16',
    choices: [...plainChoices('1', '4', '16', '64'), { value: 'all', label: '전체 (한 에폭에 한 번)' }],
  },
  epochs: { type: 'number', label: '에폭', default: 100, min: 10, max: 500, step: 10, unit: '에폭' },
  seed: SEED,
  speed: SPEED,
  test: { type: 'boolean', label: '테스트 데이터도 보기', default: false, view: true },
} as const satisfies ParamTable;

export type CentralParams = typeof params;
export type CentralValues = Values<CentralParams>;

/** The settings panel: groups in reading order, then the switch for the test set. */
export const panel: PanelOf<CentralParams> = {
  groups: [
    { title: '데이터', settings: ['data', 'noise', 'clients', 'seed'] },
    { title: '모델', settings: ['layers', 'units', 'act'] },
    { title: '학습', settings: ['lr', 'batch', 'epochs'] },
  ],
  after: ['test'],
  hints: {
    clients: '각 클라이언트가 원본 점을 나눠 갖고 있다가 서버로 보냅니다.',
  },
};

/** Milliseconds between epochs per speed: slow enough to watch, or as fast as it goes. */
export const PACE: Record<CentralValues['speed'], number> = { slow: 300, normal: 60, fast: 0 };

