/**
 * Pages never evaluate tfjs on their main thread: training and attacks run in the worker, and a
 * widget's code (element.ts with the page, main.ts when it nears the viewport) reaches the engine
 * only through tfjs-free modules. A widget that imported the worker's side of attacks once made
 * the attack page fetch and evaluate 114 kB of tfjs with its main module.
 *
 * Static imports only: the runtime's in-page fallback (`await import('./in-page')`, for browsers
 * without workers) is dynamic on purpose, and type-only imports leave nothing in the bundle.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src');

/** The file a relative or `~/` specifier names, or null for a package. */
function resolveLocal(from: string, spec: string): string | null {
  const base = spec.startsWith('~/') ? path.join(SRC, spec.slice(2)) : spec.startsWith('.') ? path.resolve(path.dirname(from), spec) : null;
  if (!base) return null;
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (existsSync(candidate) && candidate.endsWith('.ts')) return candidate;
  }
  return null;
}

/** Packages reached from `entry` through static, non-type imports, each with the chain that reaches it. */
function staticPackages(entry: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)) {
      if (m[1]) continue;
      const spec = m[2] ?? m[3];
      const local = resolveLocal(file, spec);
      const here = [...chain, path.relative(SRC, file)];
      if (local) walk(local, here);
      else if (!spec.startsWith('.') && !spec.startsWith('~/') && !found.has(spec)) found.set(spec, here);
    }
  };
  walk(entry, []);
  return found;
}

const widgetDir = path.join(SRC, 'widgets');
const entries = readdirSync(widgetDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(path.join(widgetDir, d.name)).filter((f) => /^(.*-)?(main|element)\.ts$/.test(f)).map((f) => path.join(widgetDir, d.name, f)));

describe('widget code on the main thread', () => {
  it('finds the widgets’ entry modules, and the walk sees a package that is imported', () => {
    expect(entries.length).toBeGreaterThanOrEqual(26);
    // Not trivially empty: the worker's side of attacks does reach tfjs.
    expect([...staticPackages(path.join(SRC, 'runtime/attacks.ts')).keys()].some((p) => p.startsWith('@tensorflow/'))).toBe(true);
  });

  it.each(entries.map((e) => [path.relative(SRC, e), e]))('%s imports no tfjs', (_, entry) => {
    const tfjs = [...staticPackages(entry)].filter(([p]) => p.startsWith('@tensorflow/'));
    expect(tfjs.map(([p, chain]) => `${p} via ${chain.join(' → ')}`)).toEqual([]);
  });
});
