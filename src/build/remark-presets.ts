/**
 * Build-time check of the "try this" presets in MDX.
 *
 * A chapter declares its buttons next to the prose:
 *
 * ```mdx
 * <Presets for="central">
 *   <Preset set="layers=0">은닉층 0개</Preset>
 *   <Preset set="layers=2&lr=0.0001">학습률을 가장 작게</Preset>
 * </Presets>
 * ```
 *
 * This remark plugin finds every `<Presets>` element, looks up the widget by its namespace in
 * `src/widgets/registry.ts` and checks each `set` against that widget's parameter table. Any
 * problem (an unknown widget, a misspelt key, a value the table would clamp or snap) throws,
 * and the error names the file, the line and the key, so `astro build` stops right there.
 * It runs on the MDX syntax tree, so string attributes are required (no `{…}` expressions).
 */
import { presetProblems } from '../runtime/presets';
import type { ParamTable } from '../runtime/url-state';
import { WIDGETS } from '../widgets/registry';

interface JsxAttribute {
  type: string;
  name?: string;
  value?: unknown;
}
interface Node {
  type: string;
  name?: string | null;
  attributes?: JsxAttribute[];
  children?: Node[];
  position?: { start: { line: number; column: number } };
}
interface VFileLike {
  path?: string;
  cwd?: string;
}

const isJsx = (n: Node) => n.type === 'mdxJsxFlowElement' || n.type === 'mdxJsxTextElement';

/** A string attribute's value; null when missing, 'expression' when written as `{…}`. */
function attr(node: Node, name: string): string | null | { expression: true } {
  const a = node.attributes?.find((x) => x.type === 'mdxJsxAttribute' && x.name === name);
  if (!a) return null;
  return typeof a.value === 'string' ? a.value : { expression: true };
}

/** Visible text of a node (the button's label), for error messages. */
function text(node: Node): string {
  if ('value' in node && typeof (node as { value?: unknown }).value === 'string') return (node as { value: string }).value;
  return (node.children ?? []).map(text).join('').trim();
}

/** Every problem of the presets in one MDX tree, as `file:line: message` lines. */
export function presetErrors(tree: Node, file: string, tables: Record<string, ParamTable>): string[] {
  const errors: string[] = [];
  const where = (n: Node) => `${file}:${n.position?.start.line ?? '?'}`;
  const walk = (node: Node, inside: { ns: string; table: ParamTable } | null) => {
    if (isJsx(node) && node.name === 'Presets') {
      const ns = attr(node, 'for');
      if (typeof ns !== 'string') {
        errors.push(`${where(node)}: <Presets> needs for="<widget namespace>" as a string`);
        return;
      }
      const table = tables[ns];
      if (!table) {
        errors.push(`${where(node)}: <Presets for="${ns}">: no widget has the namespace "${ns}" (known: ${Object.keys(tables).join(', ')})`);
        return;
      }
      let count = 0;
      for (const child of node.children ?? []) {
        walk(child, { ns, table });
        if (isJsx(child) && child.name === 'Preset') count++;
      }
      if (count === 0) errors.push(`${where(node)}: <Presets for="${ns}"> has no <Preset> inside`);
      return;
    }
    if (isJsx(node) && node.name === 'Preset') {
      if (!inside) {
        errors.push(`${where(node)}: <Preset> must be inside <Presets for="…">`);
        return;
      }
      const set = attr(node, 'set');
      const label = text(node) || '(no label)';
      if (typeof set !== 'string') {
        errors.push(`${where(node)}: <Preset> "${label}" needs set="key=value&…" as a string`);
        return;
      }
      if (!text(node)) errors.push(`${where(node)}: <Preset set="${set}"> has no label`);
      for (const p of presetProblems(inside.table, set)) {
        errors.push(`${where(node)}: preset "${label}" for ${inside.ns}${p.key ? `, key "${p.key}"` : ''}: ${p.message}`);
      }
      return;
    }
    for (const child of node.children ?? []) walk(child, inside);
  };
  walk(tree, null);
  return errors;
}

/** The namespaces of the book's widgets and their tables. */
export function registryTables(): Record<string, ParamTable> {
  return Object.fromEntries(WIDGETS.map((w) => [w.namespace, w.params]));
}

/** The remark plugin (`remarkPlugins: [remarkPresets]`). */
export function remarkPresets() {
  const tables = registryTables();
  return (tree: Node, file: VFileLike) => {
    const path = file.path ?? '(unknown file)';
    const cwd = file.cwd ?? '';
    const shown = cwd && path.startsWith(cwd) ? path.slice(cwd.length).replace(/^[\\/]+/, '') : path;
    const errors = presetErrors(tree, shown, tables);
    if (errors.length > 0) throw new Error(`Invalid "try this" preset:\n${errors.join('\n')}`);
  };
}
