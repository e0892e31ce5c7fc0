// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { PLOT_STYLE_HASH } from './src/runtime/csp-hashes.mjs';
import { remarkPresets } from './src/build/remark-presets.ts';

// BASE_PATH and SITE_URL let the same tree deploy at a domain root or under a sub-path
// (GitHub Pages project sites live under /<repo>/).
const base = withSlashes(process.env.BASE_PATH || '/');
const site = process.env.SITE_URL || 'https://example.org';

/** '/sub' and 'sub/' both mean '/sub/'; Astro joins `base` and paths by plain concatenation. */
function withSlashes(/** @type {string} */ p) {
  return `/${p.replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');
}

/**
 * Build-time fixes on the HTML of every Markdown/MDX page:
 * - Prose authors write site links root-relative (`/glossary/#client-drift`, `/chapters/split/`).
 *   They get the `base` prefix here, so content does not need to know where the site is
 *   deployed. Covers Markdown links/images and literal `href`/`src` on JSX elements in MDX.
 * - Display math, code blocks and tables scroll sideways on a 360 px screen. A scrolling box must
 *   be reachable by keyboard (WCAG 2.1.1), so they get tabindex="0"; tables get a wrapper
 *   region because a <table> itself should keep its table semantics.
 */
function rehypeSiteFixups() {
  const fix = (/** @type {unknown} */ v) =>
    base !== '/' && typeof v === 'string' && v.startsWith('/') && !v.startsWith('//') && !v.startsWith(base)
      ? base + v.slice(1)
      : v;
  const classes = (/** @type {any} */ node) => {
    const c = node.properties?.className;
    return Array.isArray(c) ? c : typeof c === 'string' ? c.split(/\s+/) : [];
  };
  /** @param {any} node */
  const visit = (node) => {
    if (node.type === 'element' && node.properties) {
      for (const key of ['href', 'src']) if (key in node.properties) node.properties[key] = fix(node.properties[key]);
      if (node.tagName === 'pre' || classes(node).includes('katex-display')) node.properties.tabIndex = 0;
    } else if ((node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && Array.isArray(node.attributes)) {
      for (const attr of node.attributes) {
        if (attr.type === 'mdxJsxAttribute' && (attr.name === 'href' || attr.name === 'src')) attr.value = fix(attr.value);
      }
    }
    if (!Array.isArray(node.children)) return;
    if (!classes(node).includes('table-wrap')) node.children = node.children.map((/** @type {any} */ child) =>
      child.type === 'element' && child.tagName === 'table'
        ? {
            type: 'element',
            tagName: 'div',
            properties: { className: ['table-wrap'], tabIndex: 0, role: 'region', ariaLabel: '표' },
            children: [child],
          }
        : child,
    );
    node.children.forEach(visit);
  };
  return (/** @type {any} */ tree) => visit(tree);
}

/**
 * The theme must be on <html> before the first paint, or a dark-mode reader sees a white flash.
 * That needs a classic inline script in <head>. Astro's CSP only hashes inline scripts it knows
 * about; an integration's `head-inline` script is one of them, so it lands in the meta tag's
 * script-src without a hand-maintained hash. Kept tiny and dependency-free on purpose.
 */
const themeInit = {
  name: 'theme-init',
  hooks: {
    'astro:config:setup': (/** @type {any} */ { injectScript }) => {
      injectScript(
        'head-inline',
        "try{var t=localStorage.getItem('theme');if(t==='light'||t==='dark')document.documentElement.dataset.theme=t}catch(e){}",
      );
    },
  },
};

/**
 * Vite's preload helper adds a <link rel=modulepreload> for each chunk of a widget's module when
 * the widget nears the viewport; the 14 links of one widget took 57 ms of one task on the phone
 * profile (`npm run bench -- --only=jank`). The browser fetches the same chunks from the imports
 * themselves, and a widget's module is fetched while it is still a few screens away. Astro sets
 * the client build's options itself, so this is said to that environment directly.
 */
const noModulePreload = {
  name: 'no-module-preload',
  configEnvironment(/** @type {string} */ name) {
    if (name === 'client') return { build: { modulePreload: false } };
  },
};

export default defineConfig({
  site,
  base,
  trailingSlash: 'always',
  integrations: [mdx(), themeInit],
  // Chapter pages are few and small; prefetch scripts would only add JavaScript.
  prefetch: false,
  markdown: {
    // Astro 7 no longer runs remark by default; KaTeX needs the unified pipeline.
    processor: unified({ remarkPlugins: [remarkMath, remarkPresets], rehypePlugins: [rehypeKatex, rehypeSiteFixups] }),
    // Prism emits class names only; Shiki writes style="" colours that the CSP would have to allow.
    syntaxHighlight: 'prism',
  },
  build: {
    // Inline <style> blocks from components inside MDX are not hashed into the CSP meta tag,
    // so every stylesheet goes to a file under 'self'.
    inlineStylesheets: 'never',
  },
  security: {
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ],
      scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"] },
      // KaTeX (and d3 transitions) write style="" attributes; only attributes are let through.
      styleDirective: {
        resources: [
          { resource: "'self'", kind: 'element' },
          { resource: "'unsafe-inline'", kind: 'attribute' },
        ],
        // Observable Plot's fixed <style> inside each chart (see src/runtime/csp-hashes.mjs).
        hashes: [{ hash: PLOT_STYLE_HASH, kind: 'element' }],
      },
    },
  },
  vite: {
    // Small fonts would otherwise become data: URLs, which font-src 'self' refuses.
    build: { assetsInlineLimit: 0 },
    plugins: [noModulePreload],
    worker: { format: 'es' },
    optimizeDeps: {
      include: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu', '@observablehq/plot', 'd3'],
    },
  },
});
