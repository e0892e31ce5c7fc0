/**
 * The figures a widget writes above its pictures (ε, an estimate, a count) into the elements its
 * page marks `data-out="<key>"`: `const out = outputs(root); out('epsilon', '1.10')`.
 */
export function outputs(root: HTMLElement): (key: string, text: string) => void {
  return (key, text) => {
    const el = root.querySelector(`[data-out="${key}"]`);
    if (el) el.textContent = text;
  };
}
