import { describe, expect, test } from 'vitest';
import { formatValue, showWhenHolds, type ParamTable, type SettingsPanel } from '~/runtime/url-state';

/** Every widget's `params.ts`: its table and the settings panel declared beside it. */
const modules = import.meta.glob<{ params: ParamTable; panel?: SettingsPanel }>('../../../src/widgets/*/params.ts', {
  eager: true,
});
const widgets = Object.entries(modules)
  .filter(([, m]) => m.panel)
  .map(([path, m]) => ({ name: path.split('/').at(-2)!, params: m.params, panel: m.panel! }));

/** The keys a panel places, in order (groups, then the settings after them). */
function placed(panel: SettingsPanel): string[] {
  const inGroups = panel.groups.flatMap((g) => g.settings.filter((s): s is string => typeof s === 'string'));
  return [...inGroups, ...(panel.after ?? [])];
}

describe('showWhenHolds', () => {
  const values: Record<string, string> = { algo: 'fedprox', partition: 'iid', test: '1' };
  const valueOf = (key: string) => values[key] ?? null;

  test('one of the listed values, all rules joined by ;', () => {
    expect(showWhenHolds('algo=fedavg|fedprox', valueOf)).toBe(true);
    expect(showWhenHolds('algo=fedavg|scaffold', valueOf)).toBe(false);
    expect(showWhenHolds('algo=fedprox;test=1', valueOf)).toBe(true);
    expect(showWhenHolds('algo=fedprox;partition=shards', valueOf)).toBe(false);
  });

  test('a key without a value never holds; an empty rule always does', () => {
    expect(showWhenHolds('missing=1', valueOf)).toBe(false);
    expect(showWhenHolds('', valueOf)).toBe(true);
  });
});

describe('every settings panel', () => {
  test('is found for the widgets that have one', () => {
    // Guards the glob above: a renamed folder must not make the checks below pass on nothing.
    expect(widgets.map((w) => w.name)).toEqual(expect.arrayContaining(['fed-playground', 'central-playground', 'own-data']));
    expect(widgets.length).toBeGreaterThanOrEqual(19);
  });

  test.each(widgets)('$name places only its own settings, each once', ({ params, panel }) => {
    const keys = placed(panel);
    for (const key of keys) expect(params, key).toHaveProperty(key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of Object.keys({ ...panel.hints, ...panel.showWhen })) expect(keys).toContain(key);
  });

  test.each(widgets)('$name: each show-when rule names a setting and values it can take', ({ params, panel }) => {
    for (const rule of Object.values(panel.showWhen ?? {})) {
      for (const part of rule!.split(';')) {
        const [key, allowed] = part.split('=');
        const spec = params[key];
        expect(spec, `${rule} names ${key}`).toBeDefined();
        const possible =
          spec.type === 'choice' ? spec.choices.map((c) => c.value) : spec.type === 'boolean' ? ['0', '1'] : null;
        if (possible) for (const v of allowed.split('|')) expect(possible, rule).toContain(v);
      }
    }
  });

  test('the defaults show and hide what the panel says (federated playground)', () => {
    const { params, panel } = widgets.find((w) => w.name === 'fed-playground')!;
    const byDefault = (key: string) => formatValue(params[key], params[key].default);
    const shown = Object.entries(panel.showWhen ?? {})
      .filter(([, rule]) => showWhenHolds(rule!, byDefault))
      .map(([key]) => key);
    // FedAvg on an IID split: local epochs and batches apply; α, shards and FedProx's μ do not.
    expect(shown).toEqual(expect.arrayContaining(['epochs', 'batch', 'stragglers']));
    expect(shown).not.toContain('alpha');
    expect(shown).not.toContain('mu');
  });
});
