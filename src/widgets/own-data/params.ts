/**
 * The own-data figure's settings (`?owndata.…`). The reader's file itself is never in the
 * address (it never leaves the browser); `data` names one of our two sample tables, which a
 * dropped file replaces until the reader picks a sample again.
 */
import type { PanelOf, ParamTable, Values } from '~/runtime/url-state';
import { SEED } from '../controls/params';

export const params = {
  data: {
    type: 'choice',
    label: '예제 데이터',
    default: 'iris',
    choices: [
      { value: 'iris', label: '붓꽃 (Iris, 150줄)' },
      { value: 'wine', label: '와인 (Wine, 178줄)' },
    ],
  },
  clients: { type: 'number', label: '클라이언트 수 K', default: 4, min: 2, max: 10, step: 1, unit: '명' },
  partition: {
    type: 'choice',
    label: '데이터 나누기',
    default: 'iid',
    choices: [
      { value: 'iid', label: 'IID (고르게 섞어서)' },
      { value: 'dirichlet', label: '레이블 불균형 (디리클레)' },
      { value: 'column', label: '고른 열의 값대로 (사일로)' },
    ],
  },
  alpha: { type: 'number', label: '디리클레 α', default: 0.3, min: 0.1, max: 10, values: [0.1, 0.3, 1, 10] },
  rounds: { type: 'number', label: '라운드(에폭)', default: 30, min: 5, max: 100, step: 5, unit: '회' },
  local: { type: 'number', label: '로컬 에폭 E', default: 2, min: 1, max: 10, step: 1, unit: '에폭' },
  lr: { type: 'number', label: '학습률', default: 0.3, min: 0.01, max: 1, values: [0.01, 0.03, 0.1, 0.3, 1] },
  units: { type: 'number', label: '은닉층 뉴런 수', default: 16, min: 4, max: 64, step: 4, unit: '개' },
  seed: SEED,
} as const satisfies ParamTable;

export type OwnDataParams = typeof params;
export type OwnDataValues = Values<OwnDataParams>;

/**
 * The settings panel. The file field and the two column choices depend on the reader's file,
 * not on the table: the widget gives them as the slots `file`, `label` and `group`.
 */
export const panel: PanelOf<OwnDataParams> = {
  groups: [
    { title: '데이터', settings: [{ slot: 'file' }, 'data', { slot: 'label' }] },
    { title: '클라이언트', settings: ['partition', { slot: 'group' }, 'clients', 'alpha'] },
    { title: '학습', settings: ['rounds', 'local', 'lr', 'units', 'seed'] },
  ],
  hints: {
    data: '파일을 고르지 않으면 이 예제를 씁니다.',
  },
};
