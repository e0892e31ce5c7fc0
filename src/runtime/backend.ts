/**
 * Loads tfjs (core + cpu + wasm backends, nothing of tfjs-layers) and picks the backend.
 *
 * The three .wasm binaries are imported as asset URLs, so the build copies them next to the
 * scripts with hashed names and the URLs carry the site's base path: they are always fetched
 * from our own origin, under a sub-path too. tfjs requires all three names in the map even
 * though, without cross-origin isolation, only the SIMD (or plain) file is fetched.
 *
 * `setBackend` reports failure by returning false (e.g. when the CSP lacks 'wasm-unsafe-eval')
 * and throws in other cases (no WebAssembly at all): both end on the cpu backend, and the
 * reason is returned so that the widget can say why it is slower.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// run() needs tfjs-core's gradient definitions registered before the first step.
import '../engine/gradients';
// Chained tensor methods (x.toFloat(), …) are not registered: the engine calls ops as
// functions, and leaving them out keeps 9 kB (gzip) out of the worker. Node registers them
// (the union package), so a chained call that slipped in would pass unit tests and fail
// here: the e2e tests train in the browser to catch exactly that.
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendInfo, BackendPreference } from './protocol';

/** Absolute URLs: tfjs resolves relative paths against the worker script, not the page. */
const absolute = (u: string) => new URL(u, self.location.href).href;

/** Initialises tfjs once; later calls return the same answer. */
export async function initBackend(prefer: BackendPreference, thread: BackendInfo['thread']): Promise<BackendInfo> {
  let fallback: BackendInfo['fallback'];
  if (prefer === 'wasm') {
    if (typeof WebAssembly === 'undefined') {
      fallback = 'no-webassembly';
    } else {
      try {
        setWasmPaths({
          'tfjs-backend-wasm.wasm': absolute(wasmPlain),
          'tfjs-backend-wasm-simd.wasm': absolute(wasmSimd),
          'tfjs-backend-wasm-threaded-simd.wasm': absolute(wasmThreaded),
        });
        if (await tf.setBackend('wasm')) {
          await tf.ready();
          const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
          return { backend: 'wasm', simd, thread };
        }
        fallback = 'wasm-failed';
      } catch {
        fallback = 'wasm-failed';
      }
    }
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('tfjs의 cpu 백엔드를 시작하지 못했습니다.');
  await tf.ready();
  return { backend: 'cpu', fallback, thread };
}

/** tfjs memory figures of the active backend. */
export function memory(): { numTensors: number; numBytes: number } {
  const m = tf.memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes };
}
