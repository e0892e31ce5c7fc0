/**
 * Serves the built site for the whole e2e run and hands its address to the tests
 * (`site()` in harness.ts). It does not build: `npm test` runs `npm run build` first. Set
 * E2E_DIST to serve another output directory (e.g. a private `astro build --outDir dist-me`),
 * and E2E_BASE to its BASE_PATH if it was built for a sub-path.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { serveStatic } from './server';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const distDir = resolve(process.env.E2E_DIST ?? 'dist');
  if (!existsSync(resolve(distDir, 'index.html'))) {
    throw new Error(`${distDir}/index.html is missing: run \`npm run build\` first (npm test does).`);
  }
  const server = await serveStatic({ root: distDir, mount: process.env.E2E_BASE ?? '/' });
  project.provide('site', { distDir, origin: server.origin, mount: server.mount, baseUrl: server.baseUrl });
  return () => server.close();
}
