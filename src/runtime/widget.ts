/**
 * The part of every widget that loads with the page: a custom element that binds the
 * server-rendered controls to URL state, and loads the widget's heavy module (renderers, tfjs
 * worker) only when the widget comes near the viewport.
 *
 * Adding a widget:
 *
 * ```ts
 * // src/widgets/my-widget/element.ts (referenced by a <script> in MyWidget.astro)
 * import { defineWidget } from '~/runtime/widget';
 * import { params } from './params';
 * defineWidget({ tag: 'my-widget', namespace: 'mine', params, load: () => import('./main') });
 * ```
 *
 * `./main` exports `mount(ctx)` returning a {@link WidgetController}. Controls inside the
 * element are found by `data-param="<key>"` (the shared controls in src/widgets/controls/ set
 * it), buttons by `data-action="<name>"`. The runtime handles `share`, `defaults` and `reseed`;
 * every other action goes to the controller.
 */
import { UrlState, checkValue, formatReadout, formatValue, serialize, showWhenHolds, type ParamTable, type Values } from './url-state';
import { lockFromSearch, lockProblems, parseLock, presetValues } from './presets';
import { warmNumberFormat, watchProximity, yieldToMain } from './lazy';
import { copyText } from './clipboard';

/** What the runtime gives a mounted widget. */
export interface WidgetContext<T extends ParamTable> {
  /** The widget's element (controls, views and status regions are inside). */
  root: HTMLElement;
  /** The first element inside the widget that matches `selector` (null when there is none). */
  q<E extends Element = HTMLElement>(selector: string): E | null;
  namespace: string;
  table: T;
  /** Current validated values. */
  readonly values: Values<T>;
  /** On screen and the tab visible (training should pause otherwise). */
  readonly visible: boolean;
  /** Sets a value as if the reader had changed the control. */
  set<K extends keyof T & string>(key: K, value: Values<T>[K]): void;
  /** Updates the aria-live summary (throttled unless `now`; a function is called when it is written). */
  announce(text: Announcement, now?: boolean): void;
  /** Shows a short Korean notice under the controls. */
  notify(message: string): void;
  /** Ties a view to the widget: its destroy() runs when the widget leaves the page. Returns the view. */
  own<D extends { destroy(): void }>(view: D): D;
}

/** What a widget's lazily loaded module returns from `mount`. */
export interface WidgetController<T extends ParamTable> {
  /** Settings changed; `changed` lists the keys (all of them after a reset to defaults). */
  update(values: Values<T>, changed: (keyof T & string)[]): void;
  /** A `data-action` button other than share/defaults/reseed was pressed. */
  action?(name: string, trigger: HTMLElement): void;
  /** Scrolled into or out of view (or tab shown/hidden). */
  setVisible?(visible: boolean): void;
  destroy?(): void;
}

/** The module a widget loads lazily. */
export interface WidgetModule<T extends ParamTable> {
  mount(ctx: WidgetContext<T>): WidgetController<T> | Promise<WidgetController<T>>;
}

export interface WidgetDefinition<T extends ParamTable> {
  /** Custom element name, e.g. `central-playground`. */
  tag: string;
  /** URL namespace, e.g. `central`. */
  namespace: string;
  params: T;
  /** `() => import('./main')`: the heavy part, fetched on idle when near, mounted when nearer. */
  load: () => Promise<WidgetModule<T>>;
  /** Milliseconds between two aria-live updates (default 3000). */
  announceEvery?: number;
}

type Field = HTMLInputElement | HTMLSelectElement;

/** Milliseconds between two updates of a summary's visible line (its aria-live twin waits longer). */
const SUMMARY_MS = 500;

/** A summary's text, or a function that writes it when it is due (see `throttledText`). */
export type Announcement = string | (() => string);

/**
 * Writes text into the element `find` gives, at most once per `every` ms: the first at once, the
 * latest of those that come sooner when its time comes (`now` writes at once). A function is
 * called only when its text is written: a run announces after every round, and its summary (a
 * dozen numbers formatted in Korean) and a new timer for each announcement were 5-7% of the
 * main thread's work while the communication-cost widget measured, on the jank bench's phone
 * profile. A call that comes while a write waits only changes what that write will say.
 */
export function throttledText(find: () => Element | null, every: number): (text: Announcement, now?: boolean) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = 0;
  let latest: Announcement = '';
  const write = () => {
    timer = undefined;
    last = Date.now();
    const el = find();
    // A widget taken off the page writes nothing (its summary may read what it has let go).
    if (!el?.isConnected) return;
    const text = typeof latest === 'function' ? latest() : latest;
    if (el.textContent !== text) el.textContent = text;
  };
  return (text, now = false) => {
    latest = text;
    if (timer !== undefined && !now) return;
    clearTimeout(timer);
    timer = setTimeout(write, now ? 0 : Math.max(0, last + every - Date.now()));
  };
}

/**
 * Lets `el` grow but not shrink back while its width stays (a new width starts over): the summary
 * line sits above the footer and the figure's preset buttons, and as a run reports, its text gets
 * a line longer and shorter again. Each change moved those buttons, and a click whose press and
 * release landed on either side of a move was lost (an end-to-end test of the presets failed so).
 */
function keepRoom(el: HTMLElement | null): ResizeObserver | null {
  if (!el || typeof ResizeObserver === 'undefined') return null;
  let width = -1;
  let tallest = 0;
  const room = new ResizeObserver(([entry]) => {
    const { inlineSize, blockSize } = entry.contentBoxSize[0];
    if (inlineSize !== width) {
      width = inlineSize;
      tallest = 0;
      // Pinned at another width: let it find its height at this one (the next entry pins that).
      if (el.style.minHeight) {
        el.style.minHeight = '';
        return;
      }
    }
    if (blockSize > tallest + 0.5) {
      tallest = blockSize;
      el.style.minHeight = `${blockSize}px`;
    }
  });
  room.observe(el);
  return room;
}

/** Whether this page has paid for its first Intl.NumberFormat (lazy.ts: `warmNumberFormat`). */
let numbersReady = false;

/** Registers the custom element (once; a second call with the same tag is ignored). */
export function defineWidget<T extends ParamTable>(def: WidgetDefinition<T>): void {
  if (typeof customElements === 'undefined' || customElements.get(def.tag)) return;
  if (!numbersReady) {
    numbersReady = true;
    warmNumberFormat();
  }

  class Widget extends HTMLElement {
    private state!: UrlState<T>;
    private controller: WidgetController<T> | null = null;
    private loading: Promise<WidgetModule<T>> | null = null;
    private stopWatching: (() => void) | null = null;
    private summaryRoom: ResizeObserver | null = null;
    private isVisible = false;
    /** The summary's visible line and its aria-live region, each written at most every so often. */
    private readonly summaryLine = throttledText(() => this.querySelector('[data-summary]'), SUMMARY_MS);
    private readonly liveRegion = throttledText(() => this.querySelector('[data-live]'), def.announceEvery ?? 3000);
    private readonly abort = new AbortController();
    /** What the widget's module tied to it (`ctx.own`): destroyed after its controller. */
    private readonly owned: { destroy(): void }[] = [];
    /** Keys fixed by a teacher's link (`?<ns>.lock=…`): controls hidden, never changed by the page. */
    private locked: ReadonlySet<string> = new Set();

    /** Test and benchmark hook: the mounted controller, once there is one. */
    get widgetController(): WidgetController<T> | null {
      return this.controller;
    }

    connectedCallback() {
      if (this.state) return;
      this.state = new UrlState(def.namespace, def.params);
      this.dataset.ns = def.namespace;
      for (const key of Object.keys(def.params)) this.showValue(key);
      this.showDependents();
      for (const n of this.state.notices) this.notify(n.message);
      this.applyLock();
      this.summaryRoom = keepRoom(this.querySelector<HTMLElement>('[data-summary]'));
      const signal = this.abort.signal;
      this.addEventListener('input', (e) => this.onField(e), { signal });
      this.addEventListener('change', (e) => this.onField(e), { signal });
      this.addEventListener('click', (e) => this.onClick(e), { signal });
      this.dataset.state = 'waiting';
      this.stopWatching = watchProximity(this, {
        onPrefetch: () => {
          performance.mark(`widget:prefetch:${def.namespace}`);
          void this.fetchModule().catch(() => {});
        },
        onNear: () => void this.mountNow(),
        onVisible: (v) => {
          this.isVisible = v;
          this.controller?.setVisible?.(v);
        },
      });
    }

    disconnectedCallback() {
      this.abort.abort();
      this.stopWatching?.();
      this.summaryRoom?.disconnect();
      this.controller?.destroy?.();
      this.controller = null;
      for (const view of this.owned.splice(0)) view.destroy();
      this.state?.flush();
    }

    private fetchModule() {
      return (this.loading ??= def.load());
    }

    private async mountNow() {
      performance.mark(`widget:near:${def.namespace}`);
      this.dataset.state = 'loading';
      try {
        const mod = await this.fetchModule();
        // The module was just evaluated in this task (its imports too: Plot, d3, the kit); mount
        // in the next one, so that evaluation and the first render are two tasks, not one.
        await yieldToMain();
        this.controller = await mod.mount(this.context());
        this.dataset.state = 'ready';
        this.controller.setVisible?.(this.isVisible);
        performance.mark(`widget:mounted:${def.namespace}`);
        // The page may now skip the widget's rendering while it is off screen (offscreen-prose.ts).
        this.dispatchEvent(new Event('widget-mounted', { bubbles: true }));
      } catch (err) {
        this.loading = null;
        this.dataset.state = 'error';
        this.notify(`실험을 불러오지 못했습니다. 새로고침해 보세요. (${err instanceof Error ? err.message : String(err)})`);
      }
    }

    private context(): WidgetContext<T> {
      const self = this;
      return {
        root: this,
        q: <E extends Element>(selector: string) => this.querySelector<E>(selector),
        namespace: def.namespace,
        table: def.params,
        get values() {
          return self.state.values;
        },
        get visible() {
          return self.isVisible;
        },
        set: (key, value) => {
          if (this.locked.has(key)) return;
          this.state.set(key, value);
          this.showValue(key);
          this.changed([key]);
        },
        announce: (text, now) => this.announce(text, now),
        notify: (message) => this.notify(message),
        own: (view) => {
          this.owned.push(view);
          return view;
        },
      };
    }

    /** The fields bound to a parameter (a radio group has several). */
    private fields(key: string): Field[] {
      return [...this.querySelectorAll<Field>(`[data-param="${CSS.escape(key)}"]`)];
    }

    /** Puts a value into its control and readout. */
    private showValue(key: string) {
      const spec = def.params[key];
      const value = (this.state.values as Record<string, unknown>)[key];
      const text = formatReadout(spec, value);
      for (const f of this.fields(key)) {
        if (f instanceof HTMLInputElement && f.type === 'checkbox') f.checked = Boolean(value);
        else if (f instanceof HTMLInputElement && f.type === 'radio') f.checked = f.value === String(value);
        else if (spec.type === 'number' && spec.values && f instanceof HTMLInputElement && f.type === 'range') {
          f.value = String(spec.values.indexOf(value as number));
        } else f.value = formatValue(spec, value);
        if (f instanceof HTMLInputElement && f.type === 'range') f.setAttribute('aria-valuetext', text);
      }
      for (const out of this.querySelectorAll<HTMLElement>(`[data-readout="${CSS.escape(key)}"]`)) out.textContent = text;
    }

    /**
     * Shows a setting that only matters for some others (α only for the Dirichlet and quantity
     * splits, μ only for FedProx) only while its panel's show-when rule holds: controls/Setting.astro
     * wraps it in `data-show-when="key=v1|v2"`, hidden when the defaults do not meet the rule.
     */
    private showDependents() {
      const valueOf = (key: string) => (key in def.params ? formatValue(def.params[key], (this.state.values as Record<string, unknown>)[key]) : null);
      for (const el of this.querySelectorAll<HTMLElement>('[data-show-when]')) el.hidden = !showWhenHolds(el.dataset.showWhen ?? '', valueOf);
    }

    /** Reads a control's value as the table's type. */
    private readField(key: string, f: Field): string {
      const spec = def.params[key];
      if (f instanceof HTMLInputElement && f.type === 'checkbox') return f.checked ? '1' : '0';
      if (spec.type === 'number' && spec.values && f instanceof HTMLInputElement && f.type === 'range') {
        const i = Math.round(Number(f.value));
        return String(spec.values[Math.min(spec.values.length - 1, Math.max(0, i))]);
      }
      return f.value;
    }

    private onField(e: Event) {
      const f = e.target;
      if (f instanceof HTMLInputElement && f.matches('[data-embed-lock]')) {
        this.fillEmbed();
        return;
      }
      if (!(f instanceof HTMLInputElement || f instanceof HTMLSelectElement)) return;
      const key = f.dataset.param;
      if (!key || !(key in def.params)) return;
      // Text-like fields commit on change (a half-typed seed is not a setting); others live.
      const live = f instanceof HTMLSelectElement || ['range', 'checkbox', 'radio'].includes(f.type);
      if (e.type === 'input' && !live) return;
      if (f instanceof HTMLInputElement && f.type === 'radio' && !f.checked) return;
      const spec = def.params[key];
      const raw = this.readField(key, f);
      const checked = checkValue(spec, raw);
      // Something unreadable typed into a field (an empty seed box) keeps the previous value.
      if (checked.reason === 'invalid') {
        this.showValue(key);
        return;
      }
      const prev = (this.state.values as Record<string, unknown>)[key];
      this.state.set(key as keyof T & string, checked.value as Values<T>[keyof T & string]);
      this.showValue(key);
      if (checked.value !== prev) this.changed([key as keyof T & string]);
    }

    private async onClick(e: Event) {
      const button = (e.target as Element | null)?.closest<HTMLElement>('[data-action]');
      if (!button || !this.contains(button)) return;
      const name = button.dataset.action!;
      if (name === 'share') {
        this.state.flush();
        const href = this.state.href();
        const ok = await copyText(href);
        this.notify(ok ? '이 설정의 링크를 복사했습니다.' : `링크를 복사하지 못했습니다. 직접 복사하세요: ${href}`);
      } else if (name === 'defaults') {
        this.applyPreset(null);
      } else if (name === 'embed') {
        const panel = this.querySelector<HTMLElement>('[data-embed-panel]');
        if (!panel) return;
        panel.hidden = !panel.hidden;
        button.setAttribute('aria-expanded', String(!panel.hidden));
        if (!panel.hidden) this.fillEmbed();
      } else if (name === 'embed-copy') {
        this.fillEmbed();
        const code = this.querySelector<HTMLTextAreaElement>('[data-embed-code]')?.value ?? '';
        const ok = await copyText(code);
        this.notify(ok ? '삽입 코드를 복사했습니다.' : '코드를 복사하지 못했습니다. 상자에서 직접 복사하세요.');
      } else if (name === 'reseed') {
        const key = button.dataset.for ?? 'seed';
        const spec = def.params[key];
        if (spec?.type !== 'number') return;
        // A new seed is a UI choice, not part of any computation: Math.random is fine here.
        const lo = Math.ceil(spec.min);
        const seed = lo + Math.floor(Math.random() * (Math.floor(spec.max) - lo + 1));
        this.state.set(key as keyof T & string, seed as Values<T>[keyof T & string]);
        this.showValue(key);
        this.changed([key as keyof T & string]);
      } else {
        this.controller?.action?.(name, button);
      }
    }

    /**
     * Sets exactly the state a "try this" preset names (`layers=0&lr=0.0001`; null: the table's
     * defaults), every other key at its default and locked keys untouched; writes the address at
     * once and restarts the run. Returns the address written. Used by <fig-presets> buttons and
     * the widget's own "기본값으로".
     */
    applyPreset(text: string | null): string {
      const next = presetValues(def.params, text ?? '', this.state.values, this.locked);
      const keys = Object.keys(def.params) as (keyof T & string)[];
      for (const key of keys) this.state.set(key, next[key]);
      this.state.flush();
      for (const key of keys) this.showValue(key);
      this.clearNotices();
      if (text) this.notify('그림 아래 버튼의 설정으로 바꾸고 다시 학습합니다.');
      this.changed(keys);
      return this.state.href();
    }

    /**
     * The address of this widget's embed page with the current settings (this namespace only,
     * with its lock list, or everything locked when the panel's checkbox is on).
     */
    embedHref(lockAll = false): string {
      const base = this.querySelector<HTMLElement>('[data-embed-base]')?.dataset.embedBase ?? '/embed/';
      const url = new URL(`${base}${def.tag}/`, location.href);
      const own = new URLSearchParams();
      const lock = lockAll ? '*' : lockFromSearch(def.namespace, location.search);
      if (lock) own.set(`${def.namespace}.lock`, lock);
      url.search = serialize(def.namespace, def.params, this.state.values, own);
      return url.toString();
    }

    /** Writes the <iframe> code into the embed panel. */
    private fillEmbed() {
      const box = this.querySelector<HTMLTextAreaElement>('[data-embed-code]');
      if (!box) return;
      const lockAll = this.querySelector<HTMLInputElement>('[data-embed-lock]')?.checked ?? false;
      const title = (this.closest('figure')?.querySelector('.figure__title')?.textContent ?? document.title).trim();
      const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
      box.value = `<iframe src="${esc(this.embedHref(lockAll))}" title="${esc(title)}" width="100%" height="820" style="border:0" loading="lazy"></iframe>`;
    }

    /** Hides the controls of locked keys and says which settings the link fixed. */
    private applyLock() {
      const raw = lockFromSearch(def.namespace, location.search);
      this.locked = parseLock(def.params, raw);
      for (const bad of lockProblems(def.params, raw)) this.notify(`고정할 수 없는 설정(${bad.replace(/[^\p{L}\p{N}_.-]/gu, '').slice(0, 24) || '?'})은 무시했습니다.`);
      if (this.locked.size === 0) return;
      this.dataset.locked = [...this.locked].join(',');
      for (const key of this.locked) {
        for (const f of this.fields(key)) {
          f.disabled = true;
          // An attribute with a !important rule (controls.css): widgets' own `display` rules
          // would otherwise win over `hidden`.
          (f.closest<HTMLElement>('.ctl') ?? f).setAttribute('data-lock-hidden', '');
        }
        for (const b of this.querySelectorAll<HTMLElement>(`[data-action="reseed"][data-for="${CSS.escape(key)}"]`)) b.setAttribute('data-lock-hidden', '');
      }
      // A group left without a visible control would show only its title.
      for (const group of this.querySelectorAll<HTMLElement>('fieldset')) {
        const controls = [...group.querySelectorAll<HTMLElement>('[data-param]')];
        if (controls.length > 0 && controls.every((c) => c.closest('[data-lock-hidden]'))) group.setAttribute('data-lock-hidden', '');
      }
      const parts = [...this.locked].map((key) => `${def.params[key].label} ${formatReadout(def.params[key], (this.state.values as Record<string, unknown>)[key])}`);
      const note = document.createElement('p');
      note.className = 'ctl-locked';
      note.dataset.lockedNote = '';
      note.textContent = `이 링크가 고정한 설정: ${parts.join(', ')}.`;
      const box = this.querySelector<HTMLElement>('[data-notices]');
      if (box) box.before(note);
      else this.prepend(note);
    }

    private changed(keys: (keyof T & string)[]) {
      this.showDependents();
      if (this.querySelector<HTMLElement>('[data-embed-panel]')?.hidden === false) this.fillEmbed();
      this.controller?.update(this.state.values, keys);
    }

    private notify(message: string) {
      const box = this.querySelector<HTMLElement>('[data-notices]');
      if (!box) return;
      // The same notice twice in a row says nothing new.
      if (box.lastElementChild?.textContent === message) return;
      const p = document.createElement('p');
      p.textContent = message;
      box.append(p);
      while (box.childElementCount > 4) box.firstElementChild?.remove();
    }

    private clearNotices() {
      this.querySelector<HTMLElement>('[data-notices]')?.replaceChildren();
    }

    private announce(text: Announcement, now = false) {
      this.summaryLine(text, now);
      this.liveRegion(text, now);
    }
  }

  customElements.define(def.tag, Widget);
}
