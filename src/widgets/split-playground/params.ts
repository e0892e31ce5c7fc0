/**
 * The split-learning playground's settings: one table for the URL (`?split.…`), the
 * server-rendered controls and the engine configuration.
 */
import type { PanelOf, ParamTable, Values } from '~/runtime/url-state';
import { ACTIVATION, SEED, SPEED, plainChoices } from '../controls/params';

export const params = {
  data: {
    type: 'choice',
    label: '데이터셋',
    default: 'digits',
    choices: [
      { value: 'digits', label: '손글씨 숫자 (8×8)' },
      { value: 'moons', label: '반달 두 개 (2D)' },
      { value: 'spiral', label: '나선 (2D)' },
      { value: 'circles', label: '동심원 (2D)' },
    ],
  },
  variant: {
    type: 'choice',
    label: '구성',
    default: 'vanilla',
    choices: [
      { value: 'vanilla', label: '기본 (레이블을 서버로)' },
      { value: 'ushaped', label: 'U자형 (레이블은 클라이언트에)' },
      { value: 'vertical', label: '수직 (특성을 나눠 가짐)' },
    ],
  },
  cut: { type: 'number', label: '분할 지점', default: 1, min: 1, max: 5, step: 1, unit: '번째 층 뒤' },
  layers: { type: 'number', label: '은닉층 수', default: 2, min: 1, max: 4, step: 1, unit: '층' },
  /** Units per hidden layer on a doubling grid (the diagram reads well up to 64). */
  units: { type: 'number', label: '층마다 뉴런 수', default: 16, min: 4, max: 64, values: [4, 8, 16, 32, 64], unit: '개' },
  act: ACTIVATION,
  clients: { type: 'number', label: '클라이언트 수', default: 3, min: 1, max: 8, step: 1, unit: '명' },
  handoff: {
    type: 'choice',
    label: '인계 경로',
    default: 'p2p',
    choices: [
      { value: 'p2p', label: '클라이언트끼리 직접 (P2P)' },
      { value: 'server', label: '서버를 거쳐서' },
    ],
  },
  /** Learning rates on a roughly ×3 grid; the largest makes the network diverge. */
  lr: { type: 'number', label: '학습률', default: 0.1, min: 0.001, max: 10, values: [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10] },
  batch: { type: 'choice', label: '배치 크기', default: '32', choices: plainChoices('8', '16', '32', '64') },
  epochs: { type: 'number', label: '에폭', default: 20, min: 2, max: 60, step: 1, unit: '에폭' },
  seed: SEED,
  speed: SPEED,
  compare: { type: 'boolean', label: '이전 실행의 곡선도 보기', default: true, view: true },
} as const satisfies ParamTable;

export type SplitParams = typeof params;
export type SplitValues = Values<SplitParams>;

/** The settings panel: groups in reading order, then the switch that adds the comparison run. */
export const panel: PanelOf<SplitParams> = {
  groups: [
    { title: '분할', settings: ['variant', 'cut', 'clients', 'handoff'] },
    { title: '데이터와 모델', settings: ['data', 'layers', 'units', 'act', 'seed'] },
    { title: '학습', settings: ['lr', 'batch', 'epochs'] },
  ],
  after: ['compare'],
  hints: {
    cut: '그림의 ⇔ 손잡이를 끌거나, 손잡이에 초점을 두고 화살표 키로도 옮길 수 있습니다.',
  },
};

/** Milliseconds between epochs per speed. */
export const PACE: Record<SplitValues['speed'], number> = { slow: 900, normal: 120, fast: 0 };

/**
 * Milliseconds between two batches per speed: slow lets every batch be watched (smashed data
 * over, then the gradient back); otherwise batches run as fast as they train.
 */
export const BATCH_PACE: Record<SplitValues['speed'], number> = { slow: 700, normal: 0, fast: 0 };

/** Milliseconds a message takes to cross the cut in the drawing, per speed. */
export const FLIGHT: Record<SplitValues['speed'], number> = { slow: 320, normal: 300, fast: 200 };

