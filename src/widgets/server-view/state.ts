/**
 * The server-view widget's state, a pure reducer: the model's last test accuracy and, once the
 * run has finished, the engine's server view (every cut, one test example per digit).
 */
import type { EngineEvent, ServerView } from '~/engine/types';

/** What the run has said (its configuration is the kit's): the last test accuracy, and the server's view once computed. */
export interface ViewState {
  parameters: number;
  accuracy: number | null;
  view: ServerView | null;
}

/** Pure: the state after one engine event. */
export function reduceView(s: ViewState, e: EngineEvent): ViewState {
  if (e.type === 'run-started') return { parameters: e.parameters, accuracy: null, view: null };
  if (e.type === 'round-metrics') return { ...s, accuracy: e.metrics.testAccuracy };
  if (e.type === 'server-view') return { ...s, view: e };
  return s;
}
