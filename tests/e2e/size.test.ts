/**
 * JavaScript budget: a page without a widget ships at most 15 kB of JavaScript (gzip), counting
 * every script it loads up front (see pageScripts in site-files.ts). Widgets are custom elements
 * (<fl-…>, <x-y>), so a page whose HTML has no custom element tag is a page without a widget.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { site } from './harness';
import { htmlFiles, pageScripts } from './site-files';

const BUDGET = 15 * 1024;
/** Hyphenated names the HTML spec reserves for SVG/MathML; never custom elements. */
const RESERVED = new Set(['annotation-xml', 'color-profile', 'font-face', 'font-face-src', 'font-face-uri', 'font-face-format', 'font-face-name', 'missing-glyph']);
const { distDir, mount } = site();

const pages = htmlFiles(distDir).map((file) => {
  const html = readFileSync(file, 'utf8');
  const widgets = [...new Set([...html.matchAll(/<([a-z][a-z0-9]*-[a-z0-9-]*)[\s>]/g)].map((m) => m[1]))].filter(
    (name) => !RESERVED.has(name),
  );
  return { file, name: relative(distDir, file), widgets, scripts: pageScripts(distDir, file, mount) };
});

test('the budget is checked on the pages that must have no widget', () => {
  const widgetFree = pages.filter((p) => p.widgets.length === 0).map((p) => p.name);
  for (const name of ['index.html', 'glossary/index.html', 'search/index.html', '404.html']) expect(widgetFree).toContain(name);
  // The counter sees the search page's module script, so a zero elsewhere is real.
  expect(pages.find((p) => p.name === 'search/index.html')!.scripts.files.length).toBeGreaterThan(0);
  // Pages with widgets fall under the widget runtime's own budget (npm run bench); list them for the log.
  for (const p of pages.filter((q) => q.widgets.length > 0)) {
    console.log(`${p.name}: ${(p.scripts.gzipBytes / 1024).toFixed(1)} kB gzip up front (widgets: ${p.widgets.join(' ')})`);
  }
});

test.each(pages.filter((p) => p.widgets.length === 0).map((p) => [p.name, p] as const))(
  '%s ships ≤ 15 kB of JavaScript (gzip)',
  (_name, p) => {
    expect(p.scripts.gzipBytes, `${p.scripts.files.join(', ')}`).toBeLessThanOrEqual(BUDGET);
  },
);

test('math is rendered at build time: no KaTeX code ships to the browser', () => {
  const html = htmlFiles(distDir).map((f) => readFileSync(f, 'utf8'));
  expect(html.some((h) => h.includes('class="katex"')), 'no page has math to check').toBe(true);
  // Every script in the build, including chunks loaded later, not just the ones loaded up front.
  const jsFiles = readdirSync(join(distDir, '_astro')).filter((f) => /\.m?js$/.test(f));
  expect(jsFiles.length).toBeGreaterThan(0);
  const withKatex = jsFiles.filter((f) => /KaTeX parse error|katex\.render/.test(readFileSync(join(distDir, '_astro', f), 'utf8')));
  expect(withKatex).toEqual([]);
});

test('the formulas are styled by the stylesheet of the KaTeX that rendered them', () => {
  // Two KaTeX versions once met here: the HTML of 0.16 (class "base", "strut") under the
  // stylesheet of 0.19 ("katex-base", "katex-strut"), and subscripts lost their size and nowrap.
  const html = htmlFiles(distDir).map((f) => readFileSync(f, 'utf8')).filter((h) => h.includes('class="katex"'));
  const css = readdirSync(join(distDir, '_astro'))
    .filter((f) => f.endsWith('.css'))
    .map((f) => readFileSync(join(distDir, '_astro', f), 'utf8'))
    .join('\n');
  expect(html.length).toBeGreaterThan(0);
  const used = new Set(html.flatMap((h) => [...h.matchAll(/class="((?:katex-)?(?:base|strut))"/g)].map((m) => m[1])));
  expect([...used].sort(), 'the formulas carry KaTeX\'s base and strut spans').toHaveLength(2);
  for (const cls of used) expect(css, `.katex .${cls} in the stylesheet`).toContain(`.katex .${cls}{`);
});
