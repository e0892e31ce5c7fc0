/**
 * Older names of the kit's status helpers, for widgets not yet on the kit's run controller
 * (src/widgets/kit/run.ts). New code imports from src/widgets/kit/ directly.
 */
import { statusView, type Status } from '../kit/status';

export { describeBackend, DATA_URL } from '../kit/status';
export type RunStatus = Status;

/** The kit's status view, with the progress text written as `<unit> done / total`. */
export function statusElements(root: HTMLElement) {
  const view = statusView(root);
  return { ...view, progress: (done: number, total: number, unit = '에폭') => view.progress(done, total, `${unit} ${done} / ${total}`) };
}
