import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that run longest, longest first, so that the two workers finish at about the same time:
 * vitest's own order is by the durations of an earlier run, which a clean checkout does not have,
 * and otherwise by file size, which put pages.test.ts (short, with a test per page) last and left
 * it running alone for three minutes. The rest follow in vitest's order. Measured on a full run
 * (seconds per file on two busy cores): pages 229, central playground 131, mobile layout 105,
 * federated playground 100, client drift 82, FedSGD vs FedAvg 75, presets 72, split playground 71;
 * links.test.ts builds the site a second time.
 */
const LONGEST = [
  'pages.test.ts',
  'central-playground.test.ts',
  'mobile-layout.test.ts',
  'fed-playground.test.ts',
  'links.test.ts',
  'fed-client-drift.test.ts',
  'fed-fedsgd-vs-fedavg.test.ts',
  'presets.test.ts',
  'split-playground.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONGEST.findIndex((name) => f.moduleId.endsWith(`/${name}`));
      return i < 0 ? LONGEST.length : i;
    };
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
  }
}

// End-to-end tests: real Chromium against the built site. Two files run at a time, each with its
// own browser. A file spends most of its time waiting on the page (a run paced for the eye, the
// network going quiet, charts drawn a few frames later): run one after another, the whole suite
// kept two cores about a quarter busy (16 min wall for 9 min CPU), so a second file at a time
// nearly halves the wall time. With two, both cores are about 97 % busy (vmstat over a full run):
// a third file at a time would not help. Tests wait on events and state, never on wall-clock
// budgets, so sharing the cores makes them slower, not wrong.
export default defineConfig({
  resolve: { alias: { '~': fileURLToPath(new URL('../../src', import.meta.url)) } },
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/e2e/global-setup.ts'],
    fileParallelism: true,
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
