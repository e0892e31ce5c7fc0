import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { dedent, extractDeclaration } from '~/widgets/code-excerpt';

const read = (p: string) => readFileSync(new URL(`../../../src/${p}`, import.meta.url), 'utf8');

describe('extractDeclaration', () => {
  const src = [
    "import x from 'y';",
    '',
    '/** Adds. */',
    'export function add(a: number, b: { c: number }): { sum: number } {',
    "  const s = `${a + b.c} {`; // a brace in a template and in a comment {",
    "  const t = '}';",
    '  /* } */',
    '  return { sum: a + b.c };',
    '}',
    '',
    'export async function* gen() {',
    '  yield `${`${1}`}`;',
    '}',
    'export const k = { a: 1 };',
  ].join('\n');

  test('takes the doc comment and the whole body, braces in strings and comments ignored', () => {
    const out = extractDeclaration(src, 'add');
    expect(out.startsWith('/** Adds. */\nexport function add(')).toBe(true);
    expect(out.trimEnd().endsWith('return { sum: a + b.c };\n}')).toBe(true);
  });

  test('generators, nested templates and consts', () => {
    expect(extractDeclaration(src, 'gen')).toBe('export async function* gen() {\n  yield `${`${1}`}`;\n}\n');
    expect(extractDeclaration(src, 'k')).toBe('export const k = { a: 1 };\n');
  });

  test('a missing name fails loudly (the build fails rather than show stale code)', () => {
    expect(() => extractDeclaration(src, 'nothere')).toThrow(/not found/);
  });

  test('the excerpts the centralized widget shows exist in the engine', () => {
    const loop = extractDeclaration(read('engine/algorithms/centralized.ts'), 'centralized');
    expect(loop).toMatch(/raw-data/);
    expect(loop).toMatch(/localTrain\(/);
    const step = extractDeclaration(read('engine/train.ts'), 'localTrain');
    expect(step).toMatch(/^\/\*\*[\s\S]*\*\/\nexport async function localTrain\(/);
    // The gradient and the SGD update are in the excerpt (the engine's wording may change).
    expect(step).toMatch(/batchGradients\(/);
    expect(step).toMatch(/tf\.sub\(/);
    expect(step.trimEnd().endsWith('}')).toBe(true);
    const grads = extractDeclaration(read('engine/train.ts'), 'batchGradients');
    expect(grads).toMatch(/backward/);
  });

  test('dedent', () => {
    expect(dedent('    a\n      b\n')).toBe('a\n  b\n');
  });
});
