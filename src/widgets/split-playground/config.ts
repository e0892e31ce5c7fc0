/**
 * From the playground's settings to the engine's RunConfig, the shape of the network to draw,
 * and the corrections a combination of settings needs (a cut the model does not have, U-shaped
 * with too few layers, more vertical clients than rows). Imports only pure engine modules (no
 * tfjs), so it runs on the page.
 */
import { defaultConfig } from '~/engine/config';
import { cutRange, mlpSplitParams, verticalBlocks } from '~/engine/split/cut';
import { datasetShape } from '~/engine/data/index';
import type { RunConfig } from '~/engine/types';
import type { NetColumn, NetworkData } from '../renderers/network';
import type { SplitValues } from './params';

/** Training points of the 2D sets (digits use all 1,437 training images). */
export const POINTS_2D = 400;

export const hiddenOf = (v: Pick<SplitValues, 'layers' | 'units'>): number[] => Array.from({ length: v.layers }, () => v.units);

export function toRunConfig(v: SplitValues): RunConfig {
  return defaultConfig({
    algorithm: 'split',
    dataset: { name: v.data, noise: 0.15, size: v.data === 'digits' ? 0 : POINTS_2D },
    model: { kind: 'mlp', hidden: hiddenOf(v), activation: v.act },
    clients: v.clients,
    epochs: v.epochs,
    batchSize: Number(v.batch),
    lr: v.lr,
    cut: v.cut,
    variant: v.variant,
    handoff: v.handoff,
    seed: v.seed,
  });
}

/**
 * The corrections the current settings need, in the order to apply them (layers first: the cut
 * range depends on them): each a setting the widget changes so the combination can run, with the
 * Korean reason. Empty when the settings can run as they are.
 */
export function fixes(v: SplitValues) {
  const out: { key: 'layers' | 'cut' | 'clients'; value: number; message: string }[] = [];
  let layers = v.layers;
  if (v.variant === 'ushaped' && layers < 2) {
    layers = 2;
    out.push({ key: 'layers', value: 2, message: 'U자형 구성은 서버에 한 층, 클라이언트의 머리에 출력층이 있어야 하므로 은닉층을 2개로 늘렸습니다.' });
  }
  const { max } = cutRange({ kind: 'mlp', hidden: hiddenOf({ layers, units: v.units }) }, v.variant);
  if (v.cut > max) {
    out.push({
      key: 'cut',
      value: max,
      message: `이 모델에서 분할 지점은 ${max}번째 층 뒤까지입니다${v.variant === 'ushaped' ? ' (U자형은 출력층이 클라이언트에 남으므로 서버에 적어도 한 층이 있어야 합니다)' : ' (서버에 적어도 한 층이 남아야 합니다)'}. 분할 지점을 ${max}(으)로 옮겼습니다.`,
    });
  }
  if (v.variant === 'vertical') {
    const rows = datasetShape(v.data).inputShape[0];
    if (v.clients > rows) {
      out.push({
        key: 'clients',
        value: rows,
        message: `수직 구성에서는 클라이언트가 입력의 ${v.data === 'digits' ? '행' : '특성'}을 나눠 가지므로 ${rows}명까지입니다. 클라이언트 수를 ${rows}(으)로 줄였습니다.`,
      });
    }
  }
  return out;
}

/** The network to draw for these settings. */
export function networkOf(v: SplitValues): NetworkData {
  const { inputShape, classes } = datasetShape(v.data);
  const widths = [inputShape.reduce((a, b) => a * b, 1), ...hiddenOf(v), classes];
  const columns: NetColumn[] = widths.map((width, i) => ({
    label: i === 0 ? '입력' : i === widths.length - 1 ? '출력' : `은닉 ${i}`,
    width,
  }));
  const range = cutRange({ kind: 'mlp', hidden: hiddenOf(v) }, v.variant);
  const cutMax = Math.max(range.min, range.max);
  const cut = Math.max(range.min, Math.min(cutMax, v.cut));
  const clients = v.variant === 'vertical' ? Math.min(v.clients, inputShape[0]) : v.clients;
  const bands = v.variant === 'vertical' ? verticalBlocks(inputShape, clients).map((b) => b.end - b.start) : undefined;
  return { columns, layerParams: mlpSplitParams(widths, cut, bands), variant: v.variant, cut, cutMin: range.min, cutMax, clients, bands };
}

/** "1번째 층 뒤 (클라이언트 1개 층, 서버 2개 층)" — what the cut handle says. */
export function cutText(cut: number, net: NetworkData): string {
  const L = net.columns.length - 1;
  const head = net.variant === 'ushaped' ? 1 : 0;
  return `${cut}번째 층 뒤: 클라이언트 ${cut}개 층${head ? ' + 머리 1개 층' : ''}, 서버 ${L - cut - head}개 층`;
}
