/**
 * Every training widget, while it trains, writes a text or an attribute only when it changes.
 * Writing the same text again replaces its text node, which the browser lays out and paints
 * again; a status line, a note or a chart label rewritten at every round cost a phone (the jank
 * bench's profile) frames it did not have. The poisoning lab is watched in its own test
 * (attacks-poisoning.test.ts), through a whole sequence of runs.
 */
import { expect, test } from 'vitest';
import { browserForSuite, openPage } from './harness';
import { watchRewrites } from './widget-helpers';

const browser = browserForSuite();

const WIDGETS: [path: string, tag: string][] = [
  ['chapters/centralized/', 'central-playground'],
  ['chapters/federated/', 'fed-playground'],
  ['chapters/federated/', 'weight-averaging'],
  ['chapters/federated/', 'fedsgd-vs-fedavg'],
  ['chapters/federated/', 'client-drift'],
  ['chapters/privacy/', 'dp-fedavg'],
  ['chapters/split/', 'split-playground'],
  ['chapters/split/', 'server-view'],
  ['chapters/comparison/', 'comm-cost'],
  ['chapters/comparison/', 'three-way'],
  ['chapters/attacks/', 'gradient-inversion'],
  ['reproduction/', 'reproduction-live'],
];

test.each(WIDGETS)('%s %s writes nothing again unchanged while it trains', async (path, tag) => {
  const visit = await openPage(browser, path);
  try {
    const { page } = visit;
    await page.locator(tag).scrollIntoViewIfNeeded();
    const rewrites = await watchRewrites(page, tag);
    // Four seconds from the widget's arrival on screen: its module loads, it mounts and trains.
    await page.waitForTimeout(4000);
    const seen = await rewrites();
    expect(seen.same, `${tag} wrote again what it already showed`).toEqual([]);
    // The watch saw the widget work: its figures, notes and labels changed.
    expect(seen.changed).toBeGreaterThan(20);
  } finally {
    await visit.close();
  }
});
