/**
 * "Try this" presets and teacher locks: pure functions over a widget's parameter table, shared by
 * the build (which rejects a bad preset in the MDX), the page (which applies one) and the tests.
 *
 * A preset is written the way the address writes settings, without the namespace:
 * `layers=0&lr=0.0001`. Applying it sets exactly that state: the listed keys take the listed
 * values and every other key its default, so a preset means the same thing whatever the reader
 * did before. A preset must name values the table accepts as written (no clamping or snapping):
 * the prose next to it says "학습률 0.0001", and the button must do exactly that.
 *
 * A lock (`?central.lock=lr,batch`) fixes settings and hides their controls, so a teacher can hand
 * out an experiment with one knob. `*` locks everything; `-key` after it leaves one key open:
 * `?central.lock=*,-lr` shows only the learning rate.
 */
import { LOCK_KEY, checkValue, defaults, formatValue, type ParamTable, type Values } from './url-state';

export { LOCK_KEY };

/** One problem of a preset, for the build's error message. */
export interface PresetProblem {
  /** The key as written (or '' when the preset itself is malformed). */
  key: string;
  message: string;
}

/** `a=1&b=x` as ordered pairs; a leading `?` is allowed. */
export function presetPairs(text: string): [string, string][] {
  return [...new URLSearchParams(text.trim().replace(/^\?/, ''))];
}

/** Everything wrong with a preset for this table; empty when it is exact and complete. */
export function presetProblems(table: ParamTable, text: string): PresetProblem[] {
  const pairs = presetPairs(text);
  if (pairs.length === 0) return [{ key: '', message: 'empty preset (write it as key=value&key=value)' }];
  const problems: PresetProblem[] = [];
  const seen = new Set<string>();
  for (const [key, raw] of pairs) {
    if (seen.has(key)) problems.push({ key, message: `key "${key}" appears twice` });
    seen.add(key);
    const spec = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
    if (!spec) {
      problems.push({ key, message: `unknown key "${key}" (known: ${Object.keys(table).join(', ')})` });
      continue;
    }
    const checked = checkValue(spec, raw);
    if (checked.reason) {
      const allowed =
        spec.type === 'choice'
          ? spec.choices.map((c) => c.value).join(', ')
          : spec.type === 'boolean'
            ? '0, 1'
            : spec.values
              ? spec.values.join(', ')
              : `${spec.min}…${spec.max}${spec.step ? ` step ${spec.step}` : ''}`;
      problems.push({ key, message: `value "${raw}" for "${key}" is not allowed as written (${checked.reason}; allowed: ${allowed})` });
    }
  }
  return problems;
}

/**
 * The state a preset sets: defaults, then the preset's values. Keys in `locked` keep their value
 * from `current` (a teacher's lock wins over a button). Unknown or bad entries are skipped: the
 * build has already rejected them, and the page must never throw over one.
 */
export function presetValues<T extends ParamTable>(
  table: T,
  text: string,
  current: Values<T> = defaults(table),
  locked: ReadonlySet<string> = new Set(),
): Values<T> {
  const out = defaults(table) as Record<string, unknown>;
  for (const [key, raw] of presetPairs(text)) {
    if (!Object.prototype.hasOwnProperty.call(table, key)) continue;
    const checked = checkValue(table[key], raw);
    if (!checked.reason) out[key] = checked.value;
  }
  for (const key of locked) if (key in table) out[key] = (current as Record<string, unknown>)[key];
  return out as Values<T>;
}

/** A preset as a short text, e.g. for a button's title: `은닉층 수 0층, 학습률 0.0001`. */
export function presetSummary(table: ParamTable, text: string, readout: (key: string, value: string) => string): string {
  return presetPairs(text)
    .filter(([key]) => key in table)
    .map(([key, raw]) => readout(key, formatValue(table[key], checkValue(table[key], raw).value)))
    .join(', ');
}

/**
 * The keys a lock list fixes. `lr,batch` → {lr, batch}; `*` → every key; `*,-lr` → every key but
 * lr. Unknown keys are dropped (reported by `lockProblems`).
 */
export function parseLock(table: ParamTable, raw: string | null | undefined): Set<string> {
  const out = new Set<string>();
  if (!raw) return out;
  const parts = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of parts) {
    if (p === '*') for (const k of Object.keys(table)) out.add(k);
    else if (p.startsWith('-')) out.delete(p.slice(1));
    else if (Object.prototype.hasOwnProperty.call(table, p)) out.add(p);
  }
  return out;
}

/** Names in a lock list that the table does not have (shown to the reader as a notice). */
export function lockProblems(table: ParamTable, raw: string | null | undefined): string[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((s) => s.trim().replace(/^-/, ''))
    .filter((p) => p && p !== '*' && !Object.prototype.hasOwnProperty.call(table, p));
}

/** The lock list as read from an address, for a namespace. */
export function lockFromSearch(namespace: string, search: string | URLSearchParams): string | null {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  return params.get(`${namespace}.${LOCK_KEY}`);
}
