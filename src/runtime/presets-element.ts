/**
 * `<fig-presets>`: the buttons of a figure's "직접 해 보기" box (src/components/Presets.astro).
 * A click hands the preset to the figure's widget (`applyPreset`, src/runtime/widget.ts), which
 * sets exactly that state, writes the address and restarts the run; then the widget is brought
 * into view if it is not already on screen. A few hundred bytes, loaded with the page.
 */

/** What a widget element offers to preset buttons. */
interface PresetTarget extends HTMLElement {
  applyPreset(text: string | null): string;
}

/** Height hidden under a sticky site header, so a scrolled-to widget is not covered by it. */
function headerOffset(): number {
  const header = document.querySelector<HTMLElement>('body > header, .site-header');
  if (!header) return 0;
  const pos = getComputedStyle(header).position;
  return pos === 'sticky' || pos === 'fixed' ? header.getBoundingClientRect().height : 0;
}

/** Scrolls so that the widget's top is visible, unless a good part of it already is. */
function bringIntoView(el: HTMLElement) {
  const rect = el.getBoundingClientRect();
  const top = headerOffset();
  const visibleTop = rect.top >= top - 1 && rect.top < innerHeight * 0.6;
  if (visibleTop) return;
  const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
  scrollTo({ top: Math.max(0, scrollY + rect.top - top - 8), behavior: smooth ? 'smooth' : 'auto' });
}

class FigPresets extends HTMLElement {
  connectedCallback() {
    this.addEventListener('click', (e) => void this.onClick(e));
  }

  private target(): HTMLElement | null {
    const tag = this.dataset.tag;
    if (!tag) return null;
    // The widget of this figure first; a preset box outside a figure finds the page's one.
    return this.closest('figure')?.querySelector<HTMLElement>(tag) ?? document.querySelector<HTMLElement>(tag);
  }

  private async onClick(e: Event) {
    const button = (e.target as Element | null)?.closest<HTMLButtonElement>('button[data-preset], button[data-preset-defaults]');
    if (!button || !this.contains(button)) return;
    const el = this.target();
    if (!el) return;
    await customElements.whenDefined(el.localName);
    const widget = el as PresetTarget;
    if (typeof widget.applyPreset !== 'function') return;
    widget.applyPreset(button.dataset.preset ?? null);
    for (const b of this.querySelectorAll('button[aria-current]')) b.removeAttribute('aria-current');
    if (button.dataset.preset !== undefined) button.setAttribute('aria-current', 'true');
    bringIntoView(el);
  }
}

if (typeof customElements !== 'undefined' && !customElements.get('fig-presets')) customElements.define('fig-presets', FigPresets);
