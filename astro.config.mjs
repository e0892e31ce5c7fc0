// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';

// BASE_PATH and SITE_URL let the same tree deploy at a domain root or under a sub-path
// (GitHub Pages project sites live under /<repo>/).
const base = process.env.BASE_PATH || '/';
const site = process.env.SITE_URL || 'https://example.org';

export default defineConfig({
  site,
  base,
  trailingSlash: 'always',
  integrations: [mdx()],
  markdown: {
    // Astro 7 no longer runs remark by default; KaTeX needs the unified pipeline.
    processor: unified({ remarkPlugins: [remarkMath], rehypePlugins: [rehypeKatex] }),
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
      },
    },
  },
  vite: {
    // Small fonts would otherwise become data: URLs, which font-src 'self' refuses.
    build: { assetsInlineLimit: 0 },
    worker: { format: 'es' },
    optimizeDeps: {
      include: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu', '@observablehq/plot', 'd3'],
    },
  },
});
