/**
 * The figures a widget writes above its pictures (ε, an estimate, a count) into the elements its
 * page marks `data-out="<key>"`: `const out = outputs(root); out('epsilon', '1.10')`. And
 * `textElement`, for the lines a widget writes as new elements (a log's items, a note).
 */
export function outputs(root: HTMLElement): (key: string, text: string) => void {
  return (key, text) => {
    const el = root.querySelector(`[data-out="${key}"]`);
    if (el) setText(el, text);
  };
}

/**
 * Writes `text` into `el` only when it differs. Writing the same text still replaces the text
 * node, and the browser lays the line out and paints it again: a status line or a note rewritten
 * at every round kept a phone (the jank bench's profile) under 45 frames a second.
 */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** Sets `data-<key>` only when it differs: the same value written again is still a change of the page to its observers. */
export function setData(el: HTMLElement, key: string, value: string): void {
  if (el.dataset[key] !== value) el.dataset[key] = value;
}

/** Sets each attribute only where its value differs; null removes it (see setText). */
export function setAttrs(el: Element, attrs: Record<string, string | number | null>): void {
  for (const [name, v] of Object.entries(attrs)) {
    const value = v === null ? null : String(v);
    if (el.getAttribute(name) === value) continue;
    if (value === null) el.removeAttribute(name);
    else el.setAttribute(name, value);
  }
}

/** d3's `selection.text(value)`, written only where the text differs (see setText). */
export function putText<D>(sel: { each(f: (this: Element, d: D, i: number) => void): unknown }, value: string | ((d: D, i: number) => string)): void {
  sel.each(function (d, i) {
    setText(this, typeof value === 'function' ? value(d, i) : value);
  });
}

/** `el.replaceChildren(...nodes)`, unless `el` already holds the same markup (see setText). */
export function putChildren(el: Element, ...nodes: Node[]): void {
  const markup = nodes.map((n) => (n instanceof Element ? n.outerHTML : (n.textContent ?? ''))).join('');
  if (el.innerHTML !== markup) el.replaceChildren(...nodes);
}

/** A new `tag` element holding `text` (with `className`, if given). */
export function textElement(tag: string, text: string, className?: string): HTMLElement {
  const el = document.createElement(tag);
  if (className) el.className = className;
  el.textContent = text;
  return el;
}
