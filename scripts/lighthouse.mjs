#!/usr/bin/env node
/**
 * npm run lighthouse [-- --dist dist --pages ,chapters/intro/ --desktop --json report.json]
 *
 * Lighthouse 13 (mobile preset unless --desktop) against every page of the built site, served
 * locally by the same static server the e2e suite uses, in Debian's Chromium (CHROME_PATH,
 * default /usr/bin/chromium). Prints a Markdown table of the four category scores per page and,
 * for any score under its target, the audits that cost points. Exits 1 when a target is missed.
 * Not part of `npm test`: scores vary a little between runs on a busy machine.
 *
 * Targets: accessibility 100, best practices ≥ 95, SEO ≥ 95, performance ≥ 95.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { desktopConfig } from 'lighthouse';
import { serveStatic } from '../tests/e2e/server.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/chromium.ts';

const CATEGORIES = [
  { id: 'performance', label: '성능 Performance', target: 95 },
  { id: 'accessibility', label: '접근성 Accessibility', target: 100 },
  { id: 'best-practices', label: 'Best practices', target: 95 },
  { id: 'seo', label: 'SEO', target: 95 },
];

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = process.argv[i + 1];
  return v === undefined || v.startsWith('--') ? true : v;
}

/** Site paths of built pages ('' = home); 404.html is left out (its status is 404 by design). */
function listPages(dist) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        if (!['pagefind', '_astro', 'data'].includes(name)) walk(full);
      } else if (name === 'index.html') {
        const rel = relative(dist, dir).split(sep).join('/');
        out.push(rel ? `${rel}/` : '');
      }
    }
  };
  walk(dist);
  return out.sort();
}

const dist = resolve(String(arg('dist', 'dist')));
if (!existsSync(join(dist, 'index.html'))) {
  console.error(`${dist}/index.html is missing: run \`npm run build\` first.`);
  process.exit(2);
}
const pagesArg = arg('pages', undefined);
const pages = typeof pagesArg === 'string' ? pagesArg.split(',') : listPages(dist);
const desktop = arg('desktop', false) === true;
const jsonOut = arg('json', undefined);

const server = await serveStatic({ root: dist, mount: process.env.BASE_PATH ?? '/' });
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || CHROMIUM_PATH,
  chromeFlags: ['--headless=new', ...CHROMIUM_ARGS, '--disable-gpu'],
});

const rows = [];
const misses = [];
try {
  for (const page of pages) {
    const url = server.baseUrl + page;
    const started = Date.now();
    const result = await lighthouse(
      url,
      { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES.map((c) => c.id) },
      desktop ? desktopConfig : undefined,
    );
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    const { lhr } = result;
    if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const scores = CATEGORIES.map((c) => Math.round((lhr.categories[c.id]?.score ?? 0) * 100));
    rows.push({ page: `/${page}`, scores, seconds: (Date.now() - started) / 1000, lhr });
    process.stderr.write(`  ${`/${page}`.padEnd(28)} ${scores.join(' ')}\n`);
    CATEGORIES.forEach((c, i) => {
      if (scores[i] >= c.target) return;
      const lost = lhr.categories[c.id].auditRefs
        .filter((r) => r.weight > 0 && (lhr.audits[r.id].score ?? 1) < 1)
        .map((r) => `${r.id} (${lhr.audits[r.id].displayValue ?? lhr.audits[r.id].score})`);
      misses.push(`/${page} ${c.id} ${scores[i]} < ${c.target}: ${lost.join(', ') || 'see the JSON report'}`);
    });
  }
} finally {
  chrome.kill();
  await server.close();
}

const header = `| Page | ${CATEGORIES.map((c) => c.label).join(' | ')} |`;
const rule = `|---|${CATEGORIES.map(() => '---:').join('|')}|`;
console.log(`\nLighthouse ${rows[0]?.lhr.lighthouseVersion ?? ''}, ${desktop ? 'desktop' : 'mobile'} preset, ${rows[0]?.lhr.environment.hostUserAgent.match(/Chrome\/[\d.]+/)?.[0] ?? ''}\n`);
console.log(header);
console.log(rule);
for (const r of rows) console.log(`| ${r.page} | ${r.scores.join(' | ')} |`);
console.log(`\nTargets: ${CATEGORIES.map((c) => `${c.id} ≥ ${c.target}`).join(', ')}.`);

if (typeof jsonOut === 'string') {
  writeFileSync(jsonOut, JSON.stringify(rows.map((r) => ({ page: r.page, scores: r.scores, lhr: r.lhr })), null, 1));
}
if (misses.length > 0) {
  console.log(`\nBelow target:\n${misses.map((m) => `- ${m}`).join('\n')}`);
  process.exit(1);
}
