/**
 * Browser/worker only: registers tfjs-core's gradient definitions, which run() needs. Import it
 * once in the worker before the first run. (Node gets them from initNodeBackend in ./node,
 * because Node cannot load this ES-module file; see the note there.)
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
