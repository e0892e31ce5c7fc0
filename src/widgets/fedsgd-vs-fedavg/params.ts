/**
 * The FedSGD-against-FedAvg widget's settings (chapter 3): one table for the URL (`?versus.…`)
 * and the server-rendered controls. Everything else about the experiment is fixed in ./config.ts,
 * so that a shared link always means the same grid of runs.
 */
import type { PanelOf, ParamTable, Values } from '~/runtime/url-state';
import { PARTITION, SEED } from '../controls/params';

export const params = {
  partition: {
    ...PARTITION,
    choices: [
      { value: 'iid', label: 'IID (고르게 섞어서)' },
      { value: 'shards', label: '극단적 Non-IID (숫자 2개씩)' },
    ],
  },
  target: {
    type: 'choice',
    label: '목표 테스트 정확도',
    default: '0.9',
    choices: [
      { value: '0.85', label: '85%' },
      { value: '0.9', label: '90%' },
      { value: '0.93', label: '93%' },
    ],
  },
  seed: SEED,
} as const satisfies ParamTable;

export type VersusParams = typeof params;
export type VersusValues = Values<VersusParams>;

/** The settings panel; the widget adds the conditions it keeps fixed after the group. */
export const panel: PanelOf<VersusParams> = {
  groups: [{ title: '비교 조건', settings: ['partition', 'target', 'seed'] }],
};
