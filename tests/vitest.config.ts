import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Files that replace a module with `vi.mock`. They run isolated: in a shared module graph the mock
 * would not apply once another file had loaded the real module, and would leak into later files.
 */
const MOCKING = ['tests/unit/widgets/run-sides.test.ts'];

const shared = {
  environment: 'node' as const,
  testTimeout: 120_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  resolve: { alias: { '~': fileURLToPath(new URL('../src', import.meta.url)) } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          ...shared,
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          exclude: MOCKING,
          // Files share their worker's modules instead of importing TensorFlow.js and its wasm
          // backend afresh for each of the 58 files: 118 s → 80 s for the same 726 tests on two
          // cores. The engine keeps no state between runs (each takes its RNG and builds its
          // models), tfjs's one global, the backend, is the same for every file, and the suite
          // passes in a shuffled file order (`--sequence.shuffle.files`).
          isolate: false,
          // …so a file that leaves the clock faked or a timer spied on fails there, not later.
          setupFiles: ['tests/unit/setup-clock.ts'],
        },
      },
      { extends: true, test: { ...shared, name: 'unit-mocking', include: MOCKING } },
    ],
  },
});
