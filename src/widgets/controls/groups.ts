/**
 * Collapsible groups of a widget's controls (controls/Group.astro renders them): on a phone the
 * picture and the play button come first and the settings follow, folded into a few groups
 * (데이터, 모델, 학습, …) whose summary line says the current values, so a reader sees what is
 * being trained without opening anything. From 700 px the groups are open (beside the picture
 * once the widget is 50rem wide, widget-layout.css).
 *
 * Nothing here knows a widget: every `details[data-control-group]` on the page is handled the
 * same way, from the markup alone.
 * - Its summary's `[data-group-values]` lists every visible field of the group as
 *   "label value" (a slider's readout, a select's option text, 켬/끔 for a switch, the checked
 *   radio's text under its fieldset's legend; the ticked labels of a list of checkboxes that
 *   are not table settings, or 없음), joined by " · ". A field (or a wrapper of it)
 *   marked `data-summary-skip` is left out; hidden fields (a `data-show-when` knob without
 *   effect, a field a teacher's link locked) are left out too, and a group whose fields are all
 *   locked is hidden.
 * - It follows the fields on `input`, `change` and `click` (presets and "기본값으로" set fields
 *   from a click) and whenever a readout's text changes, batched to one update per frame.
 * - Groups open from 700 px and close below it, when the page loads and when the width crosses
 *   700 px (a phone turned sideways); in between the reader opens and closes them as they like.
 *
 * Runs with the page's first script (a few hundred bytes, no dependencies), before the widget's
 * heavy code, so the folded layout is there from the first screen.
 */

/** From this width the groups are open (widget-layout.css lays them out in columns there). */
export const WIDE_QUERY = '(min-width: 43.75rem)';

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

const text = (el: Element | null | undefined): string => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Whether an element is hidden by markup (not by the group being closed). */
function hiddenByMarkup(el: Element, group: Element): boolean {
  for (let n: Element | null = el; n && n !== group; n = n.parentElement) {
    if ((n as HTMLElement).hidden || n.hasAttribute('data-lock-hidden') || n.hasAttribute('data-summary-skip')) return true;
  }
  return false;
}

/** A field's label: its <label>, else its aria-label. */
function labelOf(field: Field): string {
  return text(field.labels?.[0]) || field.getAttribute('aria-label') || '';
}

/** "label value" for one field, or null when it says nothing worth a summary. */
function describe(field: Field, root: Element): string | null {
  if (field instanceof HTMLSelectElement) {
    const option = field.selectedOptions[0];
    return option ? `${labelOf(field)} ${text(option)}` : null;
  }
  if (field instanceof HTMLTextAreaElement) return null;
  switch (field.type) {
    case 'radio': {
      if (!field.checked) return null;
      const legend = text(field.closest('fieldset')?.querySelector('legend'));
      return `${legend} ${labelOf(field)}`.trim();
    }
    case 'checkbox':
      return `${labelOf(field)} ${field.checked ? '켬' : '끔'}`;
    case 'range': {
      const out = field.id ? root.querySelector(`output[for="${CSS.escape(field.id)}"]`) : null;
      return `${labelOf(field)} ${text(out) || field.getAttribute('aria-valuetext') || field.value}`;
    }
    case 'file':
      return field.files?.[0] ? `${labelOf(field)} ${field.files[0].name}` : null;
    case 'button':
    case 'submit':
    case 'reset':
    case 'hidden':
      return null;
    default:
      return field.value === '' ? null : `${labelOf(field)} ${field.value}`;
  }
}

/** The summary line of one group for the fields' current values. */
export function groupSummary(group: HTMLDetailsElement): string {
  const parts: string[] = [];
  // Checkboxes that are not settings of the table (a list to tick, such as which clients drop
  // out) are summed up as the ticked ones' labels, or 없음.
  const ticked: string[] = [];
  let lists = 0;
  const fields = group.querySelectorAll<Field>('.ctl-group__body input, .ctl-group__body select, .ctl-group__body textarea');
  for (const field of fields) {
    if (hiddenByMarkup(field, group)) continue;
    if (field instanceof HTMLInputElement && field.type === 'checkbox' && !field.dataset.param) {
      lists++;
      if (field.checked) ticked.push(labelOf(field));
      continue;
    }
    const part = describe(field, group);
    if (part) parts.push(part);
  }
  if (lists > 0) parts.push(ticked.length > 0 ? ticked.join(', ') : '없음');
  return parts.join(' · ');
}

const GROUPS = 'details[data-control-group]';

/** Updates the summary of `groups` (and hides a group a teacher's link emptied). */
function refresh(groups: Iterable<HTMLDetailsElement>): void {
  for (const group of groups) {
    const fields = [...group.querySelectorAll<HTMLElement>('[data-param]')];
    const allLocked = fields.length > 0 && fields.every((f) => f.closest('[data-lock-hidden]'));
    if (allLocked !== group.hidden) group.hidden = allLocked;
    const line = group.querySelector<HTMLElement>('[data-group-values]');
    if (!line) continue;
    const next = groupSummary(group);
    if (line.textContent !== next) line.textContent = next;
  }
}

/**
 * Groups whose summary may be stale; only they are rewritten. A chapter has up to fifteen groups, and
 * rewriting all of them whenever one widget wrote a readout took 7–10 ms of a desktop's main
 * thread inside that widget's mount (`npm run bench -- --only=jank`), four times that on a phone.
 */
const dirty = new Set<HTMLDetailsElement>();
let pending = false;

function schedule(groups: Iterable<HTMLDetailsElement>): void {
  for (const g of groups) dirty.add(g);
  if (pending || dirty.size === 0) return;
  pending = true;
  // After every other handler of the event (the runtime writes readouts, shows and hides the
  // knobs that depend on others) and before the next paint.
  requestAnimationFrame(() => {
    pending = false;
    const groups = [...dirty];
    dirty.clear();
    refresh(groups);
  });
}

/** An event inside a widget may change any of its fields (a preset, "기본값으로"); elsewhere, any field. */
function onEvent(e: Event): void {
  const target = e.target instanceof Element ? e.target : null;
  const scope = target?.closest('[data-ns]') ?? document;
  schedule(scope.querySelectorAll<HTMLDetailsElement>(GROUPS));
}

function setOpen(open: boolean): void {
  for (const group of document.querySelectorAll<HTMLDetailsElement>(GROUPS)) group.open = open;
}

function start(): void {
  const wide = matchMedia(WIDE_QUERY);
  setOpen(wide.matches);
  wide.addEventListener('change', () => setOpen(wide.matches));
  refresh(document.querySelectorAll<HTMLDetailsElement>(GROUPS));
  for (const type of ['input', 'change', 'click']) document.addEventListener(type, onEvent, { passive: true });
  // Readouts the widgets write without an event (a preset, a link's values, a reset): only the
  // groups they are in.
  const watch = new MutationObserver((records) => {
    const groups = new Set<HTMLDetailsElement>();
    for (const r of records) {
      const el = r.target instanceof Element ? r.target : r.target.parentElement;
      const group = el?.closest<HTMLDetailsElement>(GROUPS);
      if (group) groups.add(group);
    }
    schedule(groups);
  });
  for (const group of document.querySelectorAll(GROUPS)) {
    watch.observe(group.querySelector('.ctl-group__body') ?? group, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['hidden', 'data-lock-hidden', 'aria-valuetext'],
    });
  }
}

if (typeof document !== 'undefined' && !(window as { __controlGroups?: boolean }).__controlGroups) {
  (window as { __controlGroups?: boolean }).__controlGroups = true;
  // After every widget's element script has put the address's values into the fields: module
  // scripts run before DOMContentLoaded, in document order, so wait for it unless it has passed.
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  if (document.readyState === 'loading' || (nav && nav.domContentLoadedEventStart === 0)) document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
}
