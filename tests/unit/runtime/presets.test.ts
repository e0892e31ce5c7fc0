import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compile } from '@mdx-js/mdx';
import remarkMath from 'remark-math';
import { VFile } from 'vfile';
import { describe, expect, test } from 'vitest';
import { remarkPresets } from '~/build/remark-presets';
import { lockFromSearch, lockProblems, parseLock, presetProblems, presetValues } from '~/runtime/presets';
import { defaults, parse, serialize } from '~/runtime/url-state';
import { params as central } from '~/widgets/central-playground/params';
import { WIDGETS } from '~/widgets/registry';

/** Compiles MDX the way the site's build does, with the preset check, from a named file. */
async function compileAs(path: string, source: string) {
  return compile(new VFile({ path: resolve(path), cwd: process.cwd(), value: source }), { remarkPlugins: [remarkMath, remarkPresets] });
}

const figure = (set: string, ns = 'central') => `
import Presets from '~/components/Presets.astro';

<div>
  <p slot="try">은닉층 수를 0으로 줄여 보세요.</p>
  <Presets slot="presets" for="${ns}">
    <Preset set="data=moons">반달</Preset>
    <Preset set="${set}">은닉층 0개</Preset>
  </Presets>
</div>
`;

describe('presets in MDX are checked at build time', () => {
  test('a valid preset compiles', async () => {
    await expect(compileAs('content/chapters/sample.mdx', figure('layers=0&lr=0.0001'))).resolves.toBeDefined();
  });

  test('a misspelt key fails with the file, the line and the key', async () => {
    const err = await compileAs('content/chapters/sample.mdx', figure('lyers=0')).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toContain('content/chapters/sample.mdx:8');
    expect(err!.message).toContain('key "lyers"');
    expect(err!.message).toContain('unknown key');
  });

  test('a value the table would clamp or snap fails too, as does an unknown widget', async () => {
    const clamp = await compileAs('content/chapters/a.mdx', figure('layers=9')).catch((e: Error) => e.message);
    expect(clamp).toMatch(/a\.mdx:8: .*key "layers".*above/);
    const snap = await compileAs('content/chapters/a.mdx', figure('lr=0.02')).catch((e: Error) => e.message);
    expect(snap).toMatch(/key "lr".*snapped/);
    const widget = await compileAs('content/chapters/a.mdx', figure('layers=0', 'centrl')).catch((e: Error) => e.message);
    expect(widget).toMatch(/a\.mdx:6: .*"centrl"/);
  });

  test('every figure whose prompt names settings has presets: one <Presets> per "try" box', () => {
    for (const dir of ['content/chapters', 'content/pages']) {
      for (const name of readdirSync(dir).filter((n) => n.endsWith('.mdx'))) {
        const source = readFileSync(join(dir, name), 'utf8');
        const tries = (source.match(/slot="try"/g) ?? []).length;
        const boxes = (source.match(/<Presets slot="presets"/g) ?? []).length;
        expect(boxes, `${dir}/${name}`).toBe(tries);
      }
    }
  });

  test("every preset in the book's content is valid", async () => {
    const dirs = ['content/chapters', 'content/pages'];
    let presetCount = 0;
    for (const dir of dirs) {
      for (const name of readdirSync(dir).filter((n) => n.endsWith('.mdx'))) {
        const source = readFileSync(join(dir, name), 'utf8');
        await compileAs(join(dir, name), source);
        presetCount += (source.match(/<Preset\s/g) ?? []).length;
      }
    }
    expect(presetCount).toBeGreaterThan(0);
  });
});

describe('presetProblems / presetValues', () => {
  test('exact values pass; unknown keys, repeats, clamped, snapped and unreadable values do not', () => {
    expect(presetProblems(central, 'layers=0&lr=0.0001&batch=all&test=1')).toEqual([]);
    expect(presetProblems(central, '').map((p) => p.key)).toEqual(['']);
    expect(presetProblems(central, 'layers=0&layers=1').map((p) => p.key)).toEqual(['layers']);
    expect(presetProblems(central, 'units=0').map((p) => p.message)).toEqual([expect.stringContaining('below')]);
    expect(presetProblems(central, 'noise=0.12').map((p) => p.message)).toEqual([expect.stringContaining('snapped')]);
    expect(presetProblems(central, 'data=moon').map((p) => p.message)).toEqual([expect.stringContaining('circles, moons')]);
    expect(presetProblems(central, 'test=yes')).toHaveLength(1);
  });

  test('a preset sets exactly its keys and the defaults elsewhere, whatever came before', () => {
    const before = { ...defaults(central), lr: 3, units: 20, data: 'spiral' as const };
    const v = presetValues(central, 'layers=0&batch=all', before);
    expect(v).toEqual({ ...defaults(central), layers: 0, batch: 'all' });
    // Not trivially the defaults: the preset's keys did change.
    expect(v).not.toEqual(defaults(central));
  });

  test('locked keys keep their current value; bad entries are skipped, not thrown', () => {
    const before = { ...defaults(central), lr: 3 };
    expect(presetValues(central, 'lr=0.0001&layers=0', before, new Set(['lr']))).toEqual({ ...defaults(central), lr: 3, layers: 0 });
    expect(presetValues(central, 'nope=1&layers=99&units=5')).toEqual({ ...defaults(central), units: 5 });
  });
});

describe('teacher locks', () => {
  test('lists, "*" and exceptions', () => {
    expect([...parseLock(central, 'lr,batch')]).toEqual(['lr', 'batch']);
    expect(parseLock(central, '*').size).toBe(Object.keys(central).length);
    const allButLr = parseLock(central, '*,-lr');
    expect(allButLr.has('lr')).toBe(false);
    expect(allButLr.size).toBe(Object.keys(central).length - 1);
    expect(parseLock(central, '').size).toBe(0);
    expect(parseLock(central, null).size).toBe(0);
    expect([...parseLock(central, 'lr,nope,,')]).toEqual(['lr']);
    expect(lockProblems(central, 'lr,nope,-zip,*')).toEqual(['nope', 'zip']);
  });

  test('the lock list is not a setting: no notice, and writing the address keeps it', () => {
    const search = 'central.lock=lr%2Cbatch&central.lr=1&other=1';
    expect(parse('central', central, search).notices).toEqual([]);
    expect(lockFromSearch('central', search)).toBe('lr,batch');
    const written = serialize('central', central, { ...defaults(central), lr: 0.3 }, search);
    expect(lockFromSearch('central', written)).toBe('lr,batch');
    expect(new URLSearchParams(written).get('central.lr')).toBe('0.3');
    expect(new URLSearchParams(written).get('other')).toBe('1');
  });
});

describe('registry', () => {
  test('names, tags and namespaces are unique, and no table uses the reserved key', () => {
    for (const field of ['name', 'tag', 'namespace'] as const) {
      expect(new Set(WIDGETS.map((w) => w[field])).size).toBe(WIDGETS.length);
    }
    for (const w of WIDGETS) expect(Object.keys(w.params)).not.toContain('lock');
  });

  test('every widget element in the source is in the registry with the same namespace', () => {
    const root = 'src/widgets';
    const found: [string, string][] = [];
    for (const dir of readdirSync(root)) {
      let files: string[] = [];
      try {
        files = readdirSync(join(root, dir)).filter((f) => /element\.ts$/.test(f));
      } catch {
        continue;
      }
      for (const f of files) {
        const src = readFileSync(join(root, dir, f), 'utf8');
        const tag = src.match(/tag:\s*'([^']+)'/)?.[1];
        const ns = src.match(/namespace:\s*'([^']+)'/)?.[1];
        if (tag && ns) found.push([tag, ns]);
      }
    }
    expect(found.length).toBeGreaterThan(10);
    for (const [tag, ns] of found) expect(WIDGETS.find((w) => w.tag === tag)?.namespace, tag).toBe(ns);
  });
});
