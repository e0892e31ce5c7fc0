/**
 * The figures a widget writes above its pictures (ε, an estimate, a count) into the elements its
 * page marks `data-out="<key>"`: `const out = outputs(root); out('epsilon', '1.10')`. And
 * `textElement`, for the lines a widget writes as new elements (a log's items, a note).
 */
export function outputs(root: HTMLElement): (key: string, text: string) => void {
  return (key, text) => {
    const el = root.querySelector(`[data-out="${key}"]`);
    if (el) el.textContent = text;
  };
}

/** A new `tag` element holding `text` (with `className`, if given). */
export function textElement(tag: string, text: string, className?: string): HTMLElement {
  const el = document.createElement(tag);
  if (className) el.className = className;
  el.textContent = text;
  return el;
}
