/**
 * Controls that only matter for some settings (α only for the Dirichlet and quantity splits, μ
 * only for FedProx) are wrapped in an element with `data-show-when="key=v1|v2"` (several
 * conditions joined by `;` must all hold). This hides them while they would do nothing, so the
 * reader is not offered a knob without effect. Tiny on purpose: it runs with the page script,
 * before the widget's heavy code has loaded. A widget declares the rules beside its table (the
 * panel's `showWhen`); controls/Setting.astro writes them into the page.
 */
import { showWhenHolds } from '~/runtime/url-state';

function valueOf(root: Element, key: string): string | null {
  const fields = root.querySelectorAll<HTMLInputElement | HTMLSelectElement>(`[data-param="${CSS.escape(key)}"]`);
  for (const f of fields) {
    if (f instanceof HTMLInputElement && f.type === 'radio') {
      if (f.checked) return f.value;
      continue;
    }
    if (f instanceof HTMLInputElement && f.type === 'checkbox') return f.checked ? '1' : '0';
    return f.value;
  }
  return null;
}

/** Shows or hides every `[data-show-when]` element inside `root` for the current field values. */
export function applyDependents(root: Element): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-show-when]')) {
    el.hidden = !showWhenHolds(el.dataset.showWhen ?? '', (key) => valueOf(root, key));
  }
}

/** Keeps every element named `tag` up to date (the widget's own handlers run first). */
export function watchDependents(tag: string): void {
  if (typeof document === 'undefined') return;
  const update = (e: Event) => {
    const root = (e.target as Element | null)?.closest?.(tag);
    // After the runtime has handled the change (a reset to defaults sets every field).
    if (root) queueMicrotask(() => applyDependents(root));
  };
  for (const root of document.querySelectorAll(tag)) {
    applyDependents(root);
    root.addEventListener('change', update);
    root.addEventListener('input', update);
    root.addEventListener('click', update);
  }
}
