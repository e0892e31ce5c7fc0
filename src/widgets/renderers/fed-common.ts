/**
 * Older names of the kit's status helpers, for widgets not yet on the kit's run controller
 * (src/widgets/kit/run.ts). New code imports from src/widgets/kit/ directly.
 */
import { exportAction, type SvgSource } from '../kit/export';

export { statusView as statusUi, formatBytes, pct, num, choiceLabel, DATA_URL, type Status } from '../kit/status';

/** Downloads one view as SVG or PNG (the kit's export registry with a single view). */
export function exportView(kind: 'png' | 'svg', name: string, source: SvgSource, notify: (m: string) => void): void {
  const dash = name.indexOf('-');
  const [prefix, target] = dash > 0 ? [name.slice(0, dash), name.slice(dash + 1)] : [name, 'figure'];
  exportAction(`export-${kind}`, undefined, { prefix, views: { [target]: () => source } }, notify);
}
