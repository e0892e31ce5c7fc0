/**
 * The suite must be able to fail. Each case below serves a copy of the built home page with one
 * deliberate fault (from a temporary directory, never part of the real build) and runs the very
 * checks pages.test.ts and links.test.ts run; the case passes only if the check reports that
 * fault, i.e. only if the real test would fail on such a page. A clean copy must report nothing,
 * so the faults, not the copying, cause the reports.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditPage, auditProblems, COLOUR_RULES, launchBrowser, site, type BrowserSession } from './harness';
import { serveStatic, type StaticServer } from './server';
import { linkProblems, pageScripts } from './site-files';

interface Fault {
  name: string;
  /** Edits the home page HTML. */
  edit: (html: string) => string;
  /** Extra files, relative to the site root. */
  files?: Record<string, string>;
  /** A line auditProblems must report. */
  expect: RegExp;
}

const addToHead = (snippet: string) => (html: string) => html.replace('</head>', `${snippet}</head>`);
const addToBody = (snippet: string) => (html: string) => html.replace('</main>', `${snippet}</main>`);
const dropCsp = (html: string) => html.replace(/<meta http-equiv="content-security-policy"[^>]*>/i, '');

const FAULTS: Fault[] = [
  {
    name: 'a script logs an error',
    edit: addToHead('<script type="module" src="/fixture/log.js"></script>'),
    files: { 'fixture/log.js': "console.error('fixture: deliberate console error');" },
    expect: /^console error: fixture: deliberate console error/,
  },
  {
    name: 'a script throws',
    edit: addToHead('<script type="module" src="/fixture/throw.js"></script>'),
    files: { 'fixture/throw.js': "throw new Error('fixture: deliberate throw');" },
    expect: /^page error: Error: fixture: deliberate throw/,
  },
  {
    name: 'a worker logs an error',
    edit: addToHead('<script type="module" src="/fixture/start-worker.js"></script>'),
    files: {
      'fixture/start-worker.js': "new Worker('/fixture/worker.js');",
      'fixture/worker.js': "console.error('fixture: error inside a worker');",
    },
    expect: /^console error: \[worker .*\] fixture: error inside a worker/,
  },
  {
    name: 'the page requests another origin (no CSP to stop it)',
    edit: (html) => addToBody('<img src="https://example.com/fixture.png" alt="">')(dropCsp(html)),
    expect: /^request to another origin: https:\/\/example\.com\/fixture\.png/,
  },
  {
    name: 'the CSP blocks a third-party image',
    edit: addToBody('<img src="https://example.com/fixture.png" alt="">'),
    expect: /^CSP violation: img-src blocked https:\/\/example\.com\/fixture\.png/,
  },
  {
    name: 'an inline script without a hash',
    edit: addToBody("<script>document.title = 'x';</script>"),
    expect: /^CSP violation: script-src-elem blocked inline/,
  },
  {
    name: 'a missing asset',
    edit: addToHead('<script type="module" src="/fixture/missing.js"></script>'),
    expect: /^failed response: 404 .*\/fixture\/missing\.js/,
  },
  {
    name: 'an image without alt text',
    edit: addToBody('<img src="/favicon.svg" width="16" height="16">'),
    expect: /^axe: image-alt /,
  },
  {
    name: 'focus rings switched off',
    edit: addToHead('<link rel="stylesheet" href="/fixture/no-focus.css">'),
    files: { 'fixture/no-focus.css': '*:focus-visible { outline: none !important; box-shadow: none !important; }' },
    expect: /^focus: no visible focus indicator on a\.skip-link/,
  },
  {
    name: 'a page not in Korean',
    edit: (html) => html.replace('<html lang="ko">', '<html lang="en">'),
    expect: /^<html lang="en">, expected "ko"/,
  },
  {
    name: 'a page wider than a phone',
    edit: addToBody('<div style="width: 900px; height: 1px"></div>'),
    expect: /px wider than the viewport$/,
  },
  {
    name: 'a select too narrow for its choice, in a folded group',
    edit: addToBody('<details><summary>설정</summary><label>방식 <select style="width: 7rem"><option>꽤 긴 선택지 이름이 잘립니다</option></select></label></details>'),
    expect: /^select cuts off a choice: .*"꽤 긴 선택지 이름이 잘립니다" is \d+ px in \d+$/,
  },
];

/**
 * Text that reads well on the light background and not on the dark one, beside an image without
 * alt text: pages.test.ts's dark pass (colour rules only) must report the first and not repeat
 * the second, which the light pass reports.
 */
const DARK_FAULT = {
  edit: (html: string) =>
    addToHead('<link rel="stylesheet" href="/fixture/dark.css">')(addToBody('<p class="fixture-dark">어두운 테마에서만 읽기 어려운 글</p><img src="/favicon.svg" width="16" height="16">')(html)),
  files: { 'fixture/dark.css': '.fixture-dark { color: #333 !important; }' },
};

let root: string;
let server: StaticServer;
let browser: BrowserSession;
let home: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'e2e-fixture-'));
  const dist = site().distDir;
  for (const part of ['_astro', 'favicon.svg', 'favicon.ico', '404.html']) cpSync(join(dist, part), join(root, part), { recursive: true });
  home = readFileSync(join(dist, 'index.html'), 'utf8');
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  write('index.html', home);
  write('clean/index.html', home);
  write('dark-fault/index.html', DARK_FAULT.edit(home));
  for (const [rel, text] of Object.entries(DARK_FAULT.files)) write(rel, text);
  FAULTS.forEach((f, i) => {
    const html = f.edit(home);
    if (html === home) throw new Error(`fault "${f.name}" did not change the page`);
    write(`fault-${i}/index.html`, html);
    for (const [rel, text] of Object.entries(f.files ?? {})) write(rel, text);
  });
  // The home page's chapter links point into the real site; the copy only needs its own pages.
  server = await serveStatic({ root });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

test('an unmodified copy of the home page passes every check', async () => {
  const audit = await auditPage(browser, 'clean/', { baseUrl: server.baseUrl, viewport: 'mobile' });
  expect(auditProblems(audit)).toEqual([]);
});

describe('the page checks report', () => {
  test.each(FAULTS.map((f, i) => [f.name, i] as const))('%s', async (_name, i) => {
    const audit = await auditPage(browser, `fault-${i}/`, { baseUrl: server.baseUrl, viewport: 'mobile' });
    const lines = auditProblems(audit);
    expect(lines.some((l) => FAULTS[i].expect.test(l)), lines.join('\n')).toBe(true);
  });
});

test('the dark pass reports a colour that fails only in the dark theme, and only colour rules', async () => {
  const audit = await auditPage(browser, 'dark-fault/', { baseUrl: server.baseUrl, viewport: 'mobile', darkAxe: { rules: COLOUR_RULES } });
  const lines = auditProblems(audit);
  expect(lines.some((l) => /^axe: dark: color-contrast .*fixture-dark/.test(l)), lines.join('\n')).toBe(true);
  expect(lines.some((l) => /^axe: color-contrast/.test(l)), lines.join('\n')).toBe(false);
  expect(lines.some((l) => /^axe: image-alt/.test(l)), lines.join('\n')).toBe(true);
  expect(lines.some((l) => /^axe: dark: image-alt/.test(l)), lines.join('\n')).toBe(false);
});

describe('the file checks report', () => {
  test('a broken link, a bad fragment, a third-party stylesheet and a missing CSP', () => {
    const dir = mkdtempSync(join(tmpdir(), 'e2e-links-'));
    try {
      writeFileSync(
        join(dir, 'index.html'),
        dropCsp(home)
          .replace('</head>', '<link rel="stylesheet" href="https://cdn.example.com/x.css"></head>')
          .replace('</main>', '<a href="/nowhere/">x</a><a href="#no-such-id">y</a></main>'),
      );
      cpSync(join(site().distDir, '_astro'), join(dir, '_astro'), { recursive: true });
      const problems = linkProblems(dir, '/').join('\n');
      expect(problems).toMatch(/index\.html: <a href="\/nowhere\/"> does not resolve/);
      expect(problems).toMatch(/has no #no-such-id on its page/);
      expect(problems).toMatch(/third-party resource <link href="https:\/\/cdn\.example\.com\/x\.css">/);
      expect(problems).toMatch(/index\.html: no Content-Security-Policy meta tag/);
      // The same page built for the root does not work under a sub-path.
      expect(linkProblems(dir, '/sub/').join('\n')).toMatch(/does not resolve/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the JavaScript counter follows static imports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'e2e-size-'));
    try {
      const big = `export const x = "${Array.from({ length: 40_000 }, (_, i) => (i * 7919) % 10007).join(',')}";`;
      writeFileSync(join(dir, 'index.html'), '<html><head><script type="module" src="/a.js"></script></head></html>');
      writeFileSync(join(dir, 'a.js'), 'import{x}from"./b.js";console.log(x);');
      writeFileSync(join(dir, 'b.js'), big);
      const s = pageScripts(dir, join(dir, 'index.html'), '/');
      expect(s.files.sort()).toEqual(['a.js', 'b.js']);
      expect(s.gzipBytes).toBeGreaterThan(15 * 1024);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
