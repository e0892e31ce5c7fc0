/**
 * Observable Plot inserts a fixed <style> element into every chart. The CSP allows exactly that
 * text by its hash (src/runtime/csp-hashes.mjs → astro.config.mjs). This recomputes the hash
 * from the installed Plot and fails when an upgrade changed the style (the charts would then be
 * unstyled and the browser would log CSP violations). The e2e test checks the same in Chromium.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { PLOT_STYLE_HASH } from '~/runtime/csp-hashes.mjs';


test("Plot's inline chart style matches the hash the CSP allows", () => {
  // The package exports no package.json; read the installed sources directly.
  const dir = fileURLToPath(new URL('../../../node_modules/@observablehq/plot/', import.meta.url));
  const plotSrc = readFileSync(path.join(dir, 'src/plot.js'), 'utf8');
  const styleSrc = readFileSync(path.join(dir, 'src/style.js'), 'utf8');
  const className = /if \(name === undefined\) return "([^"]+)";/.exec(styleSrc)?.[1];
  expect(className, 'default class name in style.js').toBeTruthy();
  const template = /svg\.append\("style"\)\.text\(\s*`([\s\S]*?)`\s*\)/.exec(plotSrc)?.[1];
  expect(template, 'the style template in plot.js').toBeTruthy();
  const text = template!.replaceAll('${className}', className!);
  expect(text).not.toContain('${');
  const hash = 'sha256-' + createHash('sha256').update(text, 'utf8').digest('base64');
  expect(hash).toBe(PLOT_STYLE_HASH);
});

test('the hash is wired into the site configuration', () => {
  const config = readFileSync(new URL('../../../astro.config.mjs', import.meta.url), 'utf8');
  expect(config).toMatch(/hashes:\s*\[\{\s*hash:\s*PLOT_STYLE_HASH,\s*kind:\s*'element'\s*\}\]/);
});
