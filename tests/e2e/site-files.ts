/**
 * Checks over the files of a built site, without a browser: internal links and assets resolve
 * (including #fragments), no resource comes from another origin, every page carries the CSP
 * meta tag, and how much JavaScript a page loads before any interaction.
 *
 * The HTML is Astro's own output (attributes always double-quoted), which a few regular
 * expressions read reliably; a full HTML parser would be one more dependency for no gain.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { metaPolicy } from './server';

/** Every .html file under `distDir` (Pagefind's folder excluded), as absolute paths. */
export function htmlFiles(distDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        if (name !== 'pagefind') walk(full);
      } else if (name.endsWith('.html')) out.push(full);
    }
  };
  walk(distDir);
  return out.sort();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" };
const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, e: string) => ENTITIES[e]);

/** One element's tag name and attributes. */
export interface Tag {
  name: string;
  attrs: Record<string, string>;
}

/** Start tags of an HTML document with their (decoded) attributes. */
export function tags(html: string): Tag[] {
  const out: Tag[] = [];
  const body = html.replace(/<!--[\s\S]*?-->/g, '');
  for (const m of body.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)(\s[^>]*)?>/g)) {
    const attrs: Record<string, string> = {};
    for (const a of (m[2] ?? '').matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?/g)) attrs[a[1].toLowerCase()] = decode(a[2] ?? '');
    out.push({ name: m[1].toLowerCase(), attrs });
  }
  return out;
}

/** Site path of a built HTML file: dist/chapters/intro/index.html → `${base}chapters/intro/`. */
export function pagePath(distDir: string, file: string, base: string): string {
  const rel = relative(distDir, file).split(sep).join('/');
  return base + (rel === 'index.html' ? '' : rel.endsWith('/index.html') ? rel.slice(0, -'index.html'.length) : rel);
}

/** Resource-loading attributes; a value pointing to another origin here is a third-party request. */
const RESOURCE_ATTRS: Record<string, string[]> = {
  script: ['src'],
  img: ['src', 'srcset'],
  source: ['src', 'srcset'],
  video: ['src', 'poster'],
  audio: ['src'],
  iframe: ['src'],
  embed: ['src'],
  object: ['data'],
  track: ['src'],
  image: ['href'],
  use: ['href'],
};
const LINK_RESOURCE_RELS = /\b(stylesheet|icon|preload|modulepreload|prefetch|manifest|apple-touch-icon)\b/;

/**
 * Every link/asset problem in a built site served at `base`, as readable lines:
 * - an internal href/src/srcset/action that does not resolve to a built file,
 * - a #fragment with no matching id on its target page,
 * - an internal link that does not start with `base` (it would break under a sub-path),
 * - a resource (script, stylesheet, image, font in CSS, …) from another origin,
 * - a page without the CSP meta tag, or one that allows 'unsafe-eval'.
 * Outbound <a> links to other sites are fine (they are only followed by the reader).
 */
export function linkProblems(distDir: string, base: string): string[] {
  const problems: string[] = [];
  const idsCache = new Map<string, Set<string>>();
  const idsOf = (file: string) => {
    let ids = idsCache.get(file);
    if (!ids) {
      ids = new Set<string>();
      for (const t of tags(readFileSync(file, 'utf8'))) {
        if (t.attrs.id) ids.add(t.attrs.id);
        if (t.name === 'a' && t.attrs.name) ids.add(t.attrs.name);
      }
      idsCache.set(file, ids);
    }
    return ids;
  };
  /** The built file a site pathname maps to, or null. */
  const fileFor = (pathname: string): string | null => {
    if (!pathname.startsWith(base)) return null;
    let rel = pathname.slice(base.length);
    try {
      rel = decodeURIComponent(rel);
    } catch {
      return null;
    }
    const full = join(distDir, rel);
    if (rel === '' || rel.endsWith('/')) return existsSync(join(full, 'index.html')) ? join(full, 'index.html') : null;
    return existsSync(full) && statSync(full).isFile() ? full : null;
  };

  const origin = 'http://site.invalid';
  for (const file of htmlFiles(distDir)) {
    const page = pagePath(distDir, file, base);
    const html = readFileSync(file, 'utf8');
    const where = relative(distDir, file);
    const policy = metaPolicy(html);
    if (!policy) problems.push(`${where}: no Content-Security-Policy meta tag`);
    else if (policy.includes("'unsafe-eval'")) problems.push(`${where}: CSP allows 'unsafe-eval'`);

    for (const t of tags(html)) {
      const refs: { attr: string; value: string; resource: boolean }[] = [];
      for (const attr of ['href', 'src', 'srcset', 'action', 'poster', 'data']) {
        if (!(attr in t.attrs)) continue;
        const isLinkResource = t.name === 'link' && attr === 'href' && LINK_RESOURCE_RELS.test(t.attrs.rel ?? '');
        const resource = isLinkResource || (RESOURCE_ATTRS[t.name] ?? []).includes(attr);
        if (t.name === 'link' && attr === 'href' && !isLinkResource) continue; // canonical, alternate: absolute by design
        const values = attr === 'srcset' ? t.attrs[attr].split(',').map((s) => s.trim().split(/\s+/)[0]) : [t.attrs[attr]];
        for (const value of values) refs.push({ attr, value, resource });
      }
      for (const { attr, value, resource } of refs) {
        if (value === '' && attr === 'action') continue; // a form submitting to its own page
        if (/^(mailto|tel|data|blob):/i.test(value)) continue;
        if (/^javascript:/i.test(value)) {
          problems.push(`${where}: <${t.name} ${attr}="${value}"> (javascript: URLs break the CSP)`);
          continue;
        }
        const url = new URL(value, origin + page);
        if (url.origin !== origin) {
          if (resource) problems.push(`${where}: third-party resource <${t.name} ${attr}="${value}">`);
          continue;
        }
        const target = fileFor(url.pathname);
        if (!target) {
          problems.push(`${where}: <${t.name} ${attr}="${value}"> does not resolve (${url.pathname})`);
          continue;
        }
        if (url.hash.length > 1 && target.endsWith('.html')) {
          const id = decodeURIComponent(url.hash.slice(1));
          if (!idsOf(target).has(id)) problems.push(`${where}: <${t.name} ${attr}="${value}"> has no #${id} on its page`);
        }
      }
    }
  }

  // Fonts and images referenced from stylesheets (KaTeX's fonts) must be ours and exist.
  const assets = join(distDir, '_astro');
  if (existsSync(assets)) {
    for (const name of readdirSync(assets).filter((n) => n.endsWith('.css'))) {
      const css = readFileSync(join(assets, name), 'utf8');
      for (const m of css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)) {
        const value = m[2];
        if (value.startsWith('data:')) continue;
        const url = new URL(value, `${origin}${base}_astro/${name}`);
        if (url.origin !== origin) problems.push(`_astro/${name}: third-party url(${value})`);
        else if (!fileFor(url.pathname)) problems.push(`_astro/${name}: url(${value}) does not resolve`);
      }
      if (/@import\s+(url\()?['"]?https?:/i.test(css)) problems.push(`_astro/${name}: @import from another origin`);
    }
  }
  return [...new Set(problems)];
}

/** JavaScript a page loads up front, with gzip sizes. */
export interface PageScripts {
  /** Entry scripts and everything they import statically, as paths relative to distDir. */
  files: string[];
  /** Bytes of inline <script> content. */
  inlineBytes: number;
  /** Total gzip size in bytes (each file compressed on its own, as a server would send it). */
  gzipBytes: number;
}

/**
 * The JavaScript a page runs at load: <script src>, <link rel="modulepreload">, inline scripts,
 * and the static `import` graph of those modules. Dynamic `import()`s (a widget's code loaded
 * when it nears the viewport, Pagefind on a search) are not counted: they are not loaded up front.
 */
export function pageScripts(distDir: string, htmlFile: string, base: string): PageScripts {
  const html = readFileSync(htmlFile, 'utf8');
  const page = pagePath(distDir, htmlFile, base);
  const origin = 'http://site.invalid';
  const toFile = (url: URL) => join(distDir, decodeURIComponent(url.pathname.slice(base.length)));
  const queue: string[] = [];
  for (const t of tags(html)) {
    if (t.name === 'script' && t.attrs.src) queue.push(toFile(new URL(t.attrs.src, origin + page)));
    if (t.name === 'link' && /\bmodulepreload\b/.test(t.attrs.rel ?? '') && t.attrs.href) queue.push(toFile(new URL(t.attrs.href, origin + page)));
  }
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .filter((m) => !/type="application\/(ld\+)?json"/.test(m[0]))
    .map((m) => m[1]);
  const seen = new Set<string>();
  let gzipBytes = inline.reduce((n, s) => n + (s ? gzipSync(s).length : 0), 0);
  while (queue.length > 0) {
    const file = resolve(queue.shift()!);
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file);
    gzipBytes += gzipSync(code).length;
    const text = code.toString('utf8');
    // Static imports only: `import"./x.js"`, `import{a}from"./x.js"`, `export*from"./x.js"`.
    for (const m of text.matchAll(/(?:^|[;\s}])(?:import|export)\s*(?:[\w${},*\s]+?\s*from\s*)?["']([^"']+\.m?js)["']/g)) {
      queue.push(m[1].startsWith('/') ? toFile(new URL(m[1], origin)) : join(dirname(file), m[1]));
    }
  }
  return {
    files: [...seen].map((f) => relative(distDir, f).split(sep).join('/')),
    inlineBytes: inline.reduce((n, s) => n + Buffer.byteLength(s), 0),
    gzipBytes,
  };
}

/**
 * Builds the site into `outDir` for the given BASE_PATH and indexes it with Pagefind, the same
 * two steps as `npm run build`. Uses this process's Node (24 under `npm run`).
 */
export function buildSite(outDir: string, basePath: string, siteUrl = 'https://example.org'): void {
  // Vitest puts Vite's own variables (BASE_URL='/', MODE='test', NODE_ENV='test', …) into
  // process.env; a child build would pick them up and ignore BASE_PATH. Start from a clean slate.
  const env: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(BASE_URL|MODE|DEV|PROD|SSR|NODE_ENV|TEST|VITEST.*|VITE_.*)$/.test(key)) delete env[key];
  }
  Object.assign(env, { BASE_PATH: basePath, SITE_URL: siteUrl, ASTRO_TELEMETRY_DISABLED: '1' });
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  };
  run([resolve('node_modules/astro/bin/astro.mjs'), 'build', '--outDir', outDir]);
  run([resolve('node_modules/pagefind/lib/runner/bin.cjs'), '--site', outDir]);
}
