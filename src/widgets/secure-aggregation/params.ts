/**
 * The secure-aggregation widget's settings (`?secagg.…`). Which clients drop out is one number,
 * a bit mask (bit i = client i + 1 dropped), so that the address stays short; the page shows it
 * as one checkbox per client.
 */
import type { PanelOf, ParamTable } from '~/runtime/url-state';
import { SEED } from '../controls/params';

/** Most clients the widget shows (the checkboxes are rendered for all of them). */
export const MAX_CLIENTS = 8;

export const params = {
  clients: { type: 'number', label: '클라이언트 수', default: 4, min: 3, max: MAX_CLIENTS, step: 1, unit: '명' },
  dim: { type: 'number', label: '업데이트 길이 (값의 개수)', default: 3, min: 1, max: 5, step: 1, unit: '개' },
  dropped: { type: 'number', label: '이탈한 클라이언트', default: 0, min: 0, max: 2 ** MAX_CLIENTS - 1, step: 1 },
  recover: { type: 'boolean', label: '이탈한 클라이언트의 마스크 복구하기', default: false },
  double: { type: 'boolean', label: '자기 마스크도 더하기 (이중 마스킹)', default: false },
  focus: { type: 'number', label: '자세히 볼 클라이언트', default: 1, min: 1, max: MAX_CLIENTS, step: 1, unit: '번' },
  seed: SEED,
} as const satisfies ParamTable;

export type SecAggParams = typeof params;

/** The settings panel; the slot `drops` is the list of clients to drop (one box per client). */
export const panel: PanelOf<SecAggParams> = {
  groups: [
    { title: '참여자', settings: ['clients', 'dim', 'seed'] },
    { title: '이탈시킬 클라이언트', settings: [{ slot: 'drops' }], class: 'sa__drops' },
    { title: '프로토콜', settings: ['recover', 'double', 'focus'] },
  ],
};

/** Masks and encoded updates live in Z_R with this R. */
export const MODULUS = 65536;
/** Updates are sent as round(x · SCALE): two decimals. */
export const SCALE = 100;
