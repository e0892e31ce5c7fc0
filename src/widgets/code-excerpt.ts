/**
 * Build-time excerpts of the engine's source for the "코드 보기" sections: a widget imports an
 * engine file with `?raw` and shows one declaration of it, so the page always shows the code
 * that actually runs (a rename in the engine fails the build instead of showing stale code).
 */

/**
 * Index just past the brace that closes the block opening at `open` (the index of a `{`).
 * Skips strings, template literals (with nested `${…}`) and comments; enough for our own code.
 */
function closeBrace(src: string, open: number): number {
  let depth = 0;
  // Stack of contexts: a number is a brace depth inside a template `${`, 'tpl' a template body.
  const stack: ('tpl' | number)[] = [];
  let i = open;
  while (i < src.length) {
    const c = src[i];
    const top = stack[stack.length - 1];
    if (top === 'tpl') {
      if (c === '\\') i += 2;
      else if (c === '`') {
        stack.pop();
        i++;
      } else if (c === '$' && src[i + 1] === '{') {
        stack.push(depth);
        depth++;
        i += 2;
      } else i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? src.length : nl + 1;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 2;
    } else if (c === '"' || c === "'") {
      i++;
      while (i < src.length && src[i] !== c) i += src[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '`') {
      stack.push('tpl');
      i++;
    } else if (c === '{') {
      depth++;
      i++;
    } else if (c === '}') {
      depth--;
      i++;
      if (typeof top === 'number' && depth === top) stack.pop();
      else if (depth === 0) return i;
    } else i++;
  }
  throw new Error('unbalanced braces');
}

/**
 * The declaration of `name` (function, async function, generator, class or const) with the doc
 * comment right above it. Throws when it is not there, so a broken excerpt fails the build.
 */
export function extractDeclaration(src: string, name: string): string {
  const decl = new RegExp(`^(export\\s+)?(default\\s+)?(async\\s+)?(function\\s*\\*?\\s*|class\\s+|const\\s+)${name}\\b`, 'm');
  const m = decl.exec(src);
  if (!m) throw new Error(`declaration not found: ${name}`);
  let start = m.index;
  // Include the JSDoc block that ends on the line before.
  const before = src.slice(0, start);
  const open = before.lastIndexOf('/**');
  const close = before.lastIndexOf('*/');
  if (open >= 0 && close > open && before.slice(close + 2).trim() === '') start = open;
  // The body's brace: the first `{` after the parameter list (skip braces in types like `opts: {…}`).
  let i = m.index + m[0].length;
  let paren = 0;
  for (; i < src.length; i++) {
    const c = src[i];
    if (c === '(') paren++;
    else if (c === ')') paren--;
    else if (c === '{' && paren === 0) {
      // For functions, a `{` right after `:` at depth 0 is an object return type: skip it.
      const lead = src.slice(m.index + m[0].length, i);
      if (/\)\s*:\s*$/.test(lead) || /:\s*$/.test(lead)) {
        i = closeBrace(src, i) - 1;
        continue;
      }
      break;
    }
  }
  const end = closeBrace(src, i);
  const tail = src[end] === ';' ? end + 1 : end;
  return src.slice(start, tail).trim() + '\n';
}

/** Removes a common leading indentation and trailing blank lines. */
export function dedent(text: string): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n') + '\n';
}
