/**
 * Table-driven URL state, in the spirit of tensorflow/playground's `state.ts`.
 *
 * Each widget declares a table of parameters (type, default, range or choices, Korean label).
 * The table is the single source of truth: the server-rendered controls read their ranges and
 * labels from it, the page reads the query string through it, and every value that enters the
 * widget has been validated by it. Parameters live under a per-widget namespace
 * (`?central.lr=0.1&central.data=spiral`) so that several widgets share one address.
 *
 * Nothing here touches the DOM: parsing and serialising are pure functions, so they are unit
 * tested in Node and cost almost nothing in the page's first script.
 */

/** Fields every parameter has. */
interface BaseSpec<T> {
  /** The Korean label shown beside the control and used in notices. */
  label: string;
  /** The value used when the address says nothing, or something unusable. */
  default: T;
  /** A unit shown after the value (e.g. `에폭`), if any. */
  unit?: string;
  /** Changes only how a run is shown (speed, zoom), not what is trained: no new run. */
  view?: boolean;
}

/** A number in [min, max]; with `values`, one of a fixed list (a slider over the list's index). */
export interface NumberSpec extends BaseSpec<number> {
  type: 'number';
  min: number;
  max: number;
  /** Granularity; values are rounded to it (integers: 1). Ignored when `values` is given. */
  step?: number;
  /** The only allowed values, ascending (e.g. learning rates on a log grid). */
  values?: readonly number[];
  /** Drawn as a number field with a 🎲 button instead of a slider (the run's random seed). */
  control?: 'seed';
}

/** One of a few named options (strings in the address). */
export interface ChoiceSpec<C extends string = string> extends BaseSpec<C> {
  type: 'choice';
  choices: readonly { value: C; label: string }[];
  /** Drawn as a row of radio buttons instead of a select (the playback speed). */
  control?: 'speed';
}

/** On or off (`1`/`0` in the address; `true`/`false` are read too). */
export interface BooleanSpec extends BaseSpec<boolean> {
  type: 'boolean';
}

export type ParamSpec = NumberSpec | ChoiceSpec | BooleanSpec;
export type ParamTable = Record<string, ParamSpec>;

/**
 * How a widget's settings panel is laid out; controls/Settings.astro draws it from this and the
 * table. Written beside the table in the widget's `params.ts`, so that the table says what a
 * setting is and the panel says where it goes, with what help, and when it is shown.
 */
export interface SettingsPanel<K extends string = string> {
  /** The panel's Korean heading; most panels' is 실험 설정, the default. */
  title?: string;
  /** The groups that fold away on a phone, in reading order. */
  groups: readonly SettingsGroup<K>[];
  /** Settings after the groups, outside any group (e.g. a switch that compares two runs). */
  after?: readonly K[];
  /** One line of Korean help under a setting's control, linked to it with aria-describedby. */
  hints?: Partial<Record<K, string>>;
  /**
   * When a setting matters only for some values of another: `key=v1|v2` shows it only while the
   * setting `key` has one of those values (a switch is `1` or `0`); rules joined by `;` must
   * all hold. See `showWhenHolds`.
   */
  showWhen?: Partial<Record<K, string>>;
}

/** One folding group of a settings panel. */
export interface SettingsGroup<K extends string = string> {
  /** The group's Korean title. */
  title: string;
  /**
   * Its settings by key, in order. `{ slot: 'name' }` places the widget's own markup given to
   * Settings.astro with `slot="name"` (a live formula, a file field).
   */
  settings: readonly (K | { slot: string })[];
  /** Extra class on the group, for a widget's own styling of it. */
  class?: string;
}

/** The panel type for a table: its keys are the table's. */
export type PanelOf<T extends ParamTable> = SettingsPanel<Extract<keyof T, string>>;

/**
 * Whether a show-when rule (`key=v1|v2`, rules joined by `;`) holds, given each setting's value
 * as written in the address (`valueOf` returns null for a setting it does not know).
 */
export function showWhenHolds(rule: string, valueOf: (key: string) => string | null): boolean {
  return rule
    .split(';')
    .filter(Boolean)
    .every((part) => {
      const [key, allowed = ''] = part.split('=');
      const v = valueOf(key.trim());
      return v !== null && allowed.split('|').includes(v);
    });
}

/** The validated values of a table: numbers, choice strings, booleans. */
export type Values<T extends ParamTable> = {
  [K in keyof T]: T[K] extends NumberSpec
    ? number
    : T[K] extends ChoiceSpec<infer C>
      ? C
      : T[K] extends BooleanSpec
        ? boolean
        : never;
};

/** Why a value from the address was not used as written. */
export type NoticeReason = 'invalid' | 'above' | 'below' | 'snapped' | 'unknown';

/** A short Korean explanation of one corrected value. */
export interface Notice {
  /** The parameter key (without namespace), or the unknown key as written. */
  key: string;
  reason: NoticeReason;
  /** The Korean sentence shown to the reader. */
  message: string;
}

/** The outcome of validating one raw value. */
export interface Checked<V> {
  value: V;
  /** Set when `value` differs from what was written. */
  reason?: Exclude<NoticeReason, 'unknown'>;
}

/** The key inside a namespace that carries a teacher's lock list (`?central.lock=lr,batch`). */
export const LOCK_KEY = 'lock';

/** Identical to what the table says is a reasonable number literal; no hex, no `Infinity`. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Decimal places of a step such as 0.05 (2), so that 0.1 + 0.2 is written as 0.3. */
function decimalsOf(step: number): number {
  if (!Number.isFinite(step) || step <= 0) return 0;
  const s = String(step);
  const e = s.match(/e-(\d+)$/);
  if (e) return Number(e[1]);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** Rounds to the spec's grid: the nearest listed value, or the nearest multiple of step. */
export function snapNumber(spec: NumberSpec, x: number): number {
  if (spec.values && spec.values.length > 0) {
    let best = spec.values[0];
    // Compare on a log scale when every value is positive: 0.02 is nearer 0.03 than 0.01 there,
    // which is how a learning-rate grid is meant to be read.
    const log = spec.values[0] > 0 && x > 0;
    const d = (a: number) => (log ? Math.abs(Math.log(a) - Math.log(x)) : Math.abs(a - x));
    for (const v of spec.values) if (d(v) < d(best)) best = v;
    return best;
  }
  const clamped = Math.min(spec.max, Math.max(spec.min, x));
  if (!spec.step) return clamped;
  const k = Math.round((clamped - spec.min) / spec.step);
  const snapped = Math.min(spec.max, spec.min + k * spec.step);
  return Number(snapped.toFixed(decimalsOf(spec.step)));
}

/** Validates a raw string from the address against one parameter. */
export function checkValue<S extends ParamSpec>(spec: S, raw: string): Checked<ParamValue<S>> {
  type V = ParamValue<S>;
  const text = raw.trim();
  if (spec.type === 'boolean') {
    const t = text.toLowerCase();
    if (t === '1' || t === 'true') return { value: true as V };
    if (t === '0' || t === 'false') return { value: false as V };
    return { value: spec.default as V, reason: 'invalid' };
  }
  if (spec.type === 'choice') {
    const hit = spec.choices.find((c) => c.value === text);
    return hit ? { value: hit.value as V } : { value: spec.default as V, reason: 'invalid' };
  }
  if (!NUMBER.test(text)) return { value: spec.default as V, reason: 'invalid' };
  const x = Number(text);
  if (!Number.isFinite(x)) return { value: spec.default as V, reason: 'invalid' };
  const lo = spec.values ? spec.values[0] : spec.min;
  const hi = spec.values ? spec.values[spec.values.length - 1] : spec.max;
  if (x > hi) return { value: hi as V, reason: 'above' };
  if (x < lo) return { value: lo as V, reason: 'below' };
  const snapped = snapNumber(spec, x);
  // Tolerate float noise in the address (0.30000000000000004 is 0.3).
  if (Math.abs(snapped - x) > 1e-9 * Math.max(1, Math.abs(x))) return { value: snapped as V, reason: 'snapped' };
  return { value: snapped as V };
}

/** The type of one parameter's value. */
export type ParamValue<S extends ParamSpec> = S extends NumberSpec
  ? number
  : S extends ChoiceSpec<infer C>
    ? C
    : boolean;

/** The Korean sentence for a corrected value. Written so that no particle follows a raw value. */
export function noticeMessage(label: string, reason: NoticeReason): string {
  switch (reason) {
    case 'invalid':
      return `${label}: 주소에 적힌 값을 쓸 수 없어 기본값으로 되돌렸습니다.`;
    case 'above':
      return `${label}: 허용 범위를 넘는 값이라 최댓값으로 맞췄습니다.`;
    case 'below':
      return `${label}: 허용 범위보다 작은 값이라 최솟값으로 맞췄습니다.`;
    case 'snapped':
      return `${label}: 고를 수 있는 값이 아니어서 가장 가까운 값으로 맞췄습니다.`;
    case 'unknown':
      return `알 수 없는 설정(${label})은 무시했습니다.`;
  }
}

/** Numbers as a Korean reader expects them in a readout (no exponent for small rates). */
export function formatReadout(spec: ParamSpec, value: unknown): string {
  if (spec.type === 'number') {
    const x = value as number;
    const text = String(Number(x.toPrecision(6)));
    return spec.unit ? `${text} ${spec.unit}` : text;
  }
  if (spec.type === 'choice') return spec.choices.find((c) => c.value === value)?.label ?? String(value);
  return value ? '켬' : '끔';
}

/** The defaults of a table. */
export function defaults<T extends ParamTable>(table: T): Values<T> {
  const out: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(table)) out[k] = spec.default;
  return out as Values<T>;
}

/**
 * Reads a namespace out of a query string. Other namespaces and foreign parameters are left
 * alone; unknown keys inside our namespace are reported (a typo in a shared link should be
 * visible). Never throws, whatever the string.
 */
export function parse<T extends ParamTable>(
  namespace: string,
  table: T,
  search: string | URLSearchParams,
): { values: Values<T>; notices: Notice[] } {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const values = defaults(table) as Record<string, unknown>;
  const notices: Notice[] = [];
  const prefix = namespace + '.';
  const seen = new Set<string>();
  for (const [fullKey, raw] of params) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    // The first occurrence wins, as with URLSearchParams.get; repeats are ignored silently.
    if (seen.has(key)) continue;
    seen.add(key);
    const spec = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
    // `<ns>.lock` is the teacher's lock list (see presets.ts), not a setting.
    if (!spec && key === LOCK_KEY) continue;
    if (!spec) {
      // Keep the notice short and free of markup, whatever was written.
      const shown = key.replace(/[^\p{L}\p{N}_.-]/gu, '').slice(0, 24) || '?';
      notices.push({ key: shown, reason: 'unknown', message: noticeMessage(shown, 'unknown') });
      continue;
    }
    const checked = checkValue(spec, raw);
    values[key] = checked.value;
    if (checked.reason) notices.push({ key, reason: checked.reason, message: noticeMessage(spec.label, checked.reason) });
  }
  return { values: values as Values<T>, notices };
}

/** One value as written in the address. */
export function formatValue(spec: ParamSpec, value: unknown): string {
  if (spec.type === 'boolean') return value ? '1' : '0';
  if (spec.type === 'choice') return String(value);
  const x = value as number;
  if (spec.values) return String(x);
  return spec.step ? String(Number(x.toFixed(decimalsOf(spec.step)))) : String(x);
}

/**
 * Writes a namespace into a query string, replacing only our keys and keeping every other
 * parameter in place. Every value is written, not only those that differ from the default, so
 * that a shared link keeps its meaning if a default changes later.
 */
export function serialize<T extends ParamTable>(
  namespace: string,
  table: T,
  values: Values<T>,
  search: string | URLSearchParams = '',
): string {
  const params = new URLSearchParams(search);
  const prefix = namespace + '.';
  // The lock list stays: a locked link must stay locked while the reader moves the open knobs.
  for (const key of [...params.keys()]) if (key.startsWith(prefix) && key !== prefix + LOCK_KEY) params.delete(key);
  for (const [k, spec] of Object.entries(table)) params.set(prefix + k, formatValue(spec, (values as Record<string, unknown>)[k]));
  // URLSearchParams writes '.' as is and encodes the rest; the address stays readable.
  return params.toString();
}

/** Validates a whole values object (e.g. after a control changed one field). */
export function validate<T extends ParamTable>(table: T, values: Partial<Values<T>>): Values<T> {
  const out = defaults(table) as Record<string, unknown>;
  for (const [k, spec] of Object.entries(table)) {
    const v = (values as Record<string, unknown>)[k];
    if (v === undefined) continue;
    out[k] = checkValue(spec, typeof v === 'boolean' ? (v ? '1' : '0') : String(v)).value;
  }
  return out as Values<T>;
}

/**
 * The live binding between a table and the page's address: reads it once, then follows the
 * controls with `history.replaceState`, batched so that a dragged slider does not hit the
 * browsers' limit on history updates (Safari throws after 100 in 30 s).
 */
export class UrlState<T extends ParamTable> {
  /** The current, validated values. */
  values: Values<T>;
  /** Corrections made while reading the address (empty when it was clean). */
  readonly notices: Notice[];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** The widget's namespace, e.g. `central`. */
    readonly namespace: string,
    /** The parameter table. */
    readonly table: T,
    /** Milliseconds to wait before writing the address after a change. */
    private readonly writeDelay = 200,
  ) {
    const parsed = parse(namespace, table, typeof location === 'undefined' ? '' : location.search);
    this.values = parsed.values;
    this.notices = parsed.notices;
  }

  /** Sets one value (validated) and schedules the address update; returns the value kept. */
  set<K extends keyof T & string>(key: K, value: Values<T>[K]): Values<T>[K] {
    const spec = this.table[key];
    const raw = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
    const kept = checkValue(spec, raw).value as Values<T>[K];
    this.values = { ...this.values, [key]: kept };
    this.scheduleWrite();
    return kept;
  }

  /** Back to the table's defaults. */
  reset(): Values<T> {
    this.values = defaults(this.table);
    this.scheduleWrite();
    return this.values;
  }

  /** The address with the current values, for the share button. */
  href(): string {
    const url = new URL(location.href);
    url.search = serialize(this.namespace, this.table, this.values, url.search);
    return url.toString();
  }

  /** Writes the address now (also called by the debounce). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (typeof history === 'undefined') return;
    try {
      history.replaceState(history.state, '', this.href());
    } catch {
      // A browser that refuses (rate limit, sandboxed frame) keeps the old address: harmless.
    }
  }

  private scheduleWrite(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.writeDelay);
  }
}
