/**
 * The communication-cost widget's settings (`?comm.…`): the four variables of the communication formulas (Singh et al. 2019) on
 * log grids that include the chapter's worked example (MNIST, the 2NN cut after its first hidden
 * layer), and the cut width of the small model the page trains to measure real bytes.
 */
import type { PanelOf, ParamTable, Values } from '~/runtime/url-state';

/** Model sizes N: a 1-2-5 grid with the paper models' own sizes (2NN 199,210; CNN 1,663,370). */
export const MODEL_SIZES = [1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 199_210, 500_000, 1_000_000, 1_663_370, 5_000_000, 10_000_000, 50_000_000, 100_000_000] as const;
/** Training examples p (MNIST has 60,000). */
export const DATA_SIZES = [1000, 2000, 5000, 10_000, 20_000, 60_000, 100_000, 200_000, 500_000, 1_000_000, 10_000_000] as const;
/** Floats per example at the cut q (the 2NN's hidden layer: 200). */
export const CUT_WIDTHS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000] as const;
/** Client shares η_c: steps of 0.05, plus the worked example's 157,000 / 199,210 ≈ 0.788. */
export const CLIENT_SHARES = [0.01, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.788, 0.8, 0.85, 0.9, 0.95, 0.99] as const;

export const params = {
  n: { type: 'number', label: '모델 크기 N', default: 199_210, min: MODEL_SIZES[0], max: MODEL_SIZES[MODEL_SIZES.length - 1], values: MODEL_SIZES, unit: '개', view: true },
  p: { type: 'number', label: '데이터 수 p', default: 60_000, min: DATA_SIZES[0], max: DATA_SIZES[DATA_SIZES.length - 1], values: DATA_SIZES, unit: '개', view: true },
  q: { type: 'number', label: '분할 지점의 너비 q', default: 200, min: CUT_WIDTHS[0], max: CUT_WIDTHS[CUT_WIDTHS.length - 1], values: CUT_WIDTHS, unit: '개', view: true },
  eta: { type: 'number', label: '클라이언트 쪽 비율 η_c', default: 0.788, min: CLIENT_SHARES[0], max: CLIENT_SHARES[CLIENT_SHARES.length - 1], values: CLIENT_SHARES, view: true },
  /** Hidden width of the measured model's first layer (its cut width). */
  mw: { type: 'number', label: '실측 모델의 분할 지점 너비', default: 32, min: 8, max: 64, values: [8, 16, 32, 64], unit: '개' },
} as const satisfies ParamTable;

export type CommParams = typeof params;
export type CommValues = Values<CommParams>;

/** The settings panel: the formula's variables with what each one is. */
export const panel: PanelOf<CommParams> = {
  title: '공식의 변수',
  groups: [
    { title: '모델과 데이터', settings: ['n', 'p'] },
    { title: '분할 지점', settings: ['q', 'eta'] },
  ],
  hints: {
    n: '모델 전체의 매개변수 수. 199,210은 2NN, 1,663,370은 CNN입니다.',
    p: '모든 클라이언트의 학습 예제 수(MNIST는 60,000).',
    q: '예제 하나가 분할 지점에서 만드는 값의 수.',
    eta: '매개변수 가운데 클라이언트 쪽 모델의 몫.',
  },
};

