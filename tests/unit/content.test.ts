/**
 * Text checks on the book's sources (content/), without building the site:
 *
 * - chapters 2–6 have the figures the plan gives them, found by the widget component each Figure
 *   contains, and every figure has a caption, a "try this" part and a conclusion;
 * - every citation in the prose, "(McMahan et al., 2017)" or "McMahan et al. (2017)", names an
 *   entry of that chapter's `references` front matter, and every entry is cited;
 * - every glossary link points at an existing glossary id;
 * - every relative link resolves to a page of the site (and its anchor, where it has one);
 * - no placeholder text is left (figure slots, TODO, FIXME, 준비 중, lorem ipsum).
 *
 * The e2e suite checks the built site's links again; these checks name the source file and line.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import GithubSlugger from 'github-slugger';
import { describe, expect, test } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const contentDir = path.join(root, 'content');

// ---------------------------------------------------------------------------------------------
// Reading the sources

interface Reference {
  id: string;
  authors: string;
  year: number;
}

interface Source {
  /** 'chapters' or 'pages'. */
  kind: 'chapters' | 'pages';
  /** File name without .mdx: the chapter slug or the page id. */
  id: string;
  /** Path relative to the repository, for messages. */
  file: string;
  front: Record<string, string | number>;
  references: Reference[];
  /** The MDX after the front matter. */
  body: string;
  /** Line number (1-based) in the file of the body's first line. */
  bodyLine: number;
  /** The site path the page is served at, e.g. /chapters/federated/. */
  url: string;
}

/** A YAML scalar as written in our front matter: plain, 'single' or "double" quoted. */
function scalar(raw: string, where: string): string | number {
  const v = raw.trim();
  if (v.startsWith('"')) {
    if (!v.endsWith('"') || v.length < 2) throw new Error(`${where}: unterminated string ${v}`);
    return JSON.parse(v) as string;
  }
  if (v.startsWith("'")) {
    if (!v.endsWith("'") || v.length < 2) throw new Error(`${where}: unterminated string ${v}`);
    return v.slice(1, -1).replace(/''/g, "'");
  }
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (v === '' || /^[[{>|&*!%@`]/.test(v)) throw new Error(`${where}: front matter value "${v}" is not a plain scalar; extend the reader in tests/unit/content.test.ts`);
  return v;
}

/**
 * The front matter of our MDX files: top-level `key: scalar` lines and a `references:` list of
 * maps with scalar values. Anything else throws, so that a new shape is noticed here instead of
 * being half-read and passing by accident.
 */
function readFrontMatter(lines: string[], file: string): { front: Record<string, string | number>; references: Reference[] } {
  const front: Record<string, string | number> = {};
  const references: Reference[] = [];
  let inRefs = false;
  let current: Record<string, string | number> | null = null;
  const flush = () => {
    if (!current) return;
    const { id, authors, year } = current;
    if (typeof id !== 'string' || typeof authors !== 'string' || typeof year !== 'number') {
      throw new Error(`${file}: a reference needs id, authors and a numeric year (got ${JSON.stringify(current)})`);
    }
    references.push({ id, authors, year });
    current = null;
  };
  lines.forEach((line, i) => {
    const where = `${file}:${i + 2}`;
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^([A-Za-z][\w-]*):\s*(.*)$/))) {
      flush();
      inRefs = m[1] === 'references';
      if (inRefs) {
        if (m[2].trim() !== '') throw new Error(`${where}: references must be a block list`);
      } else front[m[1]] = scalar(m[2], where);
    } else if (inRefs && (m = line.match(/^\s*-\s+([A-Za-z][\w-]*):\s*(.*)$/))) {
      flush();
      current = { [m[1]]: scalar(m[2], where) };
    } else if (inRefs && current && (m = line.match(/^\s+([A-Za-z][\w-]*):\s*(.*)$/))) {
      current[m[1]] = scalar(m[2], where);
    } else {
      throw new Error(`${where}: unexpected front matter line: ${line}`);
    }
  });
  flush();
  return { front, references };
}

function readSource(kind: 'chapters' | 'pages', name: string): Source {
  const file = path.join('content', kind, name);
  const text = readFileSync(path.join(root, file), 'utf8');
  const lines = text.split('\n');
  if (lines[0] !== '---') throw new Error(`${file}: no front matter`);
  const end = lines.indexOf('---', 1);
  if (end < 0) throw new Error(`${file}: front matter not closed`);
  const { front, references } = readFrontMatter(lines.slice(1, end), file);
  const id = name.replace(/\.mdx$/, '');
  return {
    kind,
    id,
    file,
    front,
    references,
    body: lines.slice(end + 1).join('\n'),
    bodyLine: end + 2,
    url: kind === 'chapters' ? `/chapters/${id}/` : `/${id}/`,
  };
}

const mdx = (dir: string) =>
  readdirSync(path.join(contentDir, dir))
    .filter((f) => f.endsWith('.mdx'))
    .sort();
const chapters = mdx('chapters').map((f) => readSource('chapters', f));
const pages = mdx('pages').map((f) => readSource('pages', f));
const sources = [...chapters, ...pages];
const chapterByOrder = new Map(chapters.map((c) => [Number(c.front.order), c]));
const glossary = JSON.parse(readFileSync(path.join(contentDir, 'glossary.json'), 'utf8')) as Array<{ id: string }>;
const glossaryIds = new Set(glossary.map((g) => g.id));

/** The body with fenced code blocks and inline code blanked (same length, so offsets hold). */
function prose(body: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  return body.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, blank).replace(/`[^`\n]*`/g, blank);
}

/** "file:line" of an offset in a source's body. */
function at(src: Source, offset: number): string {
  return `${src.file}:${src.bodyLine + src.body.slice(0, offset).split('\n').length - 1}`;
}

/** Text of some MDX/HTML: tags, JSX expressions and markup removed. */
function textOf(s: string): string {
  return s
    .replace(/\{\/\*[\s\S]*?\*\/\}/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Figures

interface FigureBlock {
  offset: number;
  attrs: Record<string, string>;
  inner: string;
}

/** Attributes of a JSX tag: name="…", name='…', name={…} (one level of braces) or bare name. */
function attributes(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/([\w:-]+)(?:=(?:"([^"]*)"|'([^']*)'|\{((?:[^{}]|\{[^{}]*\})*)\}))?/g)) {
    out[m[1]] = m[2] ?? m[3] ?? m[4] ?? 'true';
  }
  return out;
}

const OPEN_TAG = /<Figure((?:\s+[\w:-]+(?:=(?:"[^"]*"|'[^']*'|\{(?:[^{}]|\{[^{}]*\})*\}))?)*)\s*(\/?)>/g;

function figures(src: Source): FigureBlock[] {
  const body = prose(src.body);
  const out: FigureBlock[] = [];
  for (const m of body.matchAll(OPEN_TAG)) {
    const start = m.index! + m[0].length;
    if (m[2] === '/') {
      out.push({ offset: m.index!, attrs: attributes(m[1]), inner: '' });
      continue;
    }
    const close = body.indexOf('</Figure>', start);
    if (close < 0) throw new Error(`${at(src, m.index!)}: <Figure> is never closed`);
    out.push({ offset: m.index!, attrs: attributes(m[1]), inner: src.body.slice(start, close) });
  }
  return out;
}

/** The content of the element carrying slot="name" (nested elements of the same tag allowed). */
function slot(inner: string, name: string): string | null {
  const open = new RegExp(`<([A-Za-z][\\w.-]*)\\b[^>]*\\bslot=(?:"${name}"|'${name}')[^>]*>`).exec(inner);
  if (!open) return null;
  const tag = open[1];
  const re = new RegExp(`<(/?)${tag}\\b[^>]*?(/?)>`, 'g');
  re.lastIndex = open.index + open[0].length;
  let depth = 1;
  for (let m = re.exec(inner); m; m = re.exec(inner)) {
    if (m[1] === '/') depth--;
    else if (m[2] !== '/') depth++;
    if (depth === 0) return inner.slice(open.index + open[0].length, m.index);
  }
  return null;
}

/** Local component name → widget folder, from `import X from '~/widgets/<folder>/….astro'`. */
function widgetImports(src: Source): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of src.body.matchAll(/^import\s+(\w+)\s+from\s+['"]~\/widgets\/([\w-]+)\/[^'"]+\.astro['"];?\s*$/gm)) map.set(m[1], m[2]);
  return map;
}

/** Widget folders used inside a figure (by the components it contains). */
function widgetsIn(fig: FigureBlock, imports: Map<string, string>): string[] {
  const used: string[] = [];
  for (const m of fig.inner.matchAll(/<([A-Z][\w]*)\b/g)) {
    const folder = imports.get(m[1]);
    if (folder && !used.includes(folder)) used.push(folder);
  }
  return used;
}

/** The plan: the widgets each chapter (by its order) shows in figures. */
const EXPECTED_FIGURES: Record<number, string[]> = {
  2: ['central-playground'],
  3: ['fed-playground', 'weight-averaging', 'client-drift', 'fedsgd-vs-fedavg', 'personalization'],
  4: ['split-playground', 'server-view'],
  5: ['comm-cost', 'three-way'],
  6: ['gradient-inversion', 'poisoning'],
  7: ['randomized-response', 'rappor', 'dp-fedavg', 'secure-aggregation'],
};

describe('figures', () => {
  const expected = Object.entries(EXPECTED_FIGURES).flatMap(([order, widgets]) => widgets.map((w) => [Number(order), w] as const));
  test.each(expected)('chapter %i shows the %s widget in a figure', (order, widget) => {
    const chapter = chapterByOrder.get(order);
    expect(chapter, `no chapter with order ${order}`).toBeDefined();
    const imports = widgetImports(chapter!);
    const found = figures(chapter!).filter((f) => widgetsIn(f, imports).includes(widget));
    expect(found.length, `${chapter!.file}: no <Figure> contains the ${widget} widget (imported from ~/widgets/${widget}/)`).toBe(1);
  });

  test.each(chapters.map((c) => [c.file, c] as const))('%s: every figure has a caption, a try-this part and a conclusion', (_file, chapter) => {
    const problems: string[] = [];
    for (const fig of figures(chapter)) {
      const where = at(chapter, fig.offset);
      const caption = slot(fig.inner, 'caption');
      const captionText = textOf(caption ?? '') || (fig.attrs.caption ?? '').trim();
      if (!captionText) problems.push(`${where}: figure without a caption (slot="caption" or caption=…)`);
      for (const part of ['try', 'takeaway']) {
        const content = slot(fig.inner, part);
        if (content === null) problems.push(`${where}: figure without slot="${part}"`);
        else if (!textOf(content)) problems.push(`${where}: empty slot="${part}"`);
      }
      if (!fig.attrs.title?.trim() && fig.attrs.number === undefined) problems.push(`${where}: figure with neither a number nor a title`);
    }
    expect(problems).toEqual([]);
  });

  test('figure numbers and ids are unique within each chapter', () => {
    const problems: string[] = [];
    for (const chapter of chapters) {
      const seen = new Set<string>();
      for (const fig of figures(chapter)) {
        const anchor = fig.attrs.id ?? (fig.attrs.number !== undefined ? `fig-${fig.attrs.number}` : undefined);
        if (anchor && seen.has(anchor)) problems.push(`${at(chapter, fig.offset)}: a second figure with anchor #${anchor}`);
        if (anchor) seen.add(anchor);
      }
    }
    expect(problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Citations

const NAME = String.raw`\p{Lu}[\p{L}'’-]*`;
/** "McMahan et al.", "Gupta & Raskar", "LeCun, Cortes & Burges", "Warner". */
const AUTHORS = String.raw`${NAME}(?: et al\.|(?:, ${NAME})*(?: & ${NAME}))?`;
const YEAR = String.raw`(?:1[89]|20)\d\d[a-z]?`;

interface Citation {
  offset: number;
  text: string;
  surnames: string[];
  etAl: boolean;
  year: number;
}

function parseAuthors(s: string): { surnames: string[]; etAl: boolean } {
  const etAl = /\s+et al\.$/.test(s);
  const names = s
    .replace(/\s+et al\.$/, '')
    .split(/\s*(?:,|&)\s*/)
    .filter(Boolean);
  return { surnames: names, etAl };
}

/** Parenthetical "(A et al., 2017; B & C, 2018)" and narrative "A et al. (2017)" citations. */
function citations(src: Source): Citation[] {
  const body = prose(src.body);
  const out: Citation[] = [];
  const item = new RegExp(String.raw`^(${AUTHORS}),\s*(${YEAR})$`, 'u');
  for (const m of body.matchAll(/\(([^()\n]*?\b(?:1[89]|20)\d\d[a-z]?)\)/gu)) {
    const parts = m[1].split(/\s*;\s*/);
    const parsed = parts.map((p) => item.exec(p.trim()));
    // Only groups made entirely of "Name(s), YEAR" items are citations; "(2017)" after a name is
    // a narrative citation handled below, and "(그림 3, 2019년)" is not a citation at all.
    if (parsed.some((p) => !p)) continue;
    for (const p of parsed) out.push({ offset: m.index!, text: p![0], ...parseAuthors(p![1]), year: parseInt(p![2], 10) });
  }
  const narrative = new RegExp(String.raw`(${AUTHORS})\s?\((${YEAR})\)`, 'gu');
  for (const m of body.matchAll(narrative)) {
    out.push({ offset: m.index!, text: m[0], ...parseAuthors(m[1]), year: parseInt(m[2], 10) });
  }
  return out;
}

/** Surnames of a reference's authors ("H. Brendan McMahan" → McMahan); "et al." marks more. */
function referenceAuthors(ref: Reference): { surnames: string[]; more: boolean } {
  const names = ref.authors.split(/\s*,\s*/).filter(Boolean);
  const more = names.some((n) => /^et al\.?$/.test(n));
  return { surnames: names.filter((n) => !/^et al\.?$/.test(n)).map((n) => n.split(/\s+/).pop()!), more };
}

function matches(c: Citation, ref: Reference): boolean {
  if (c.year !== ref.year) return false;
  const { surnames, more } = referenceAuthors(ref);
  if (c.etAl) return surnames[0] === c.surnames[0] && (surnames.length >= 3 || more);
  return !more && surnames.length === c.surnames.length && surnames.every((s, i) => s === c.surnames[i]);
}

/** A made-up chapter whose body starts at line `bodyLine`, for the readers' self-checks. */
function sampleSource(bodyLine: number, body: string): Source {
  return { kind: 'chapters', id: 'x', file: 'x.mdx', front: {}, references: [], body, bodyLine, url: '/x/' };
}

/** <Cite id="…"> components, which link to #ref-<id>. */
function citeIds(src: Source): Array<{ offset: number; id: string }> {
  return [...prose(src.body).matchAll(/<Cite\s+id=["']([^"']+)["']/g)].map((m) => ({ offset: m.index!, id: m[1] }));
}

describe('citations', () => {
  test('the reader finds the citations it should (self-check on a sample)', () => {
    const sample = sampleSource(1, '가 (McMahan et al., 2017). 나 Gupta & Raskar(2018)은 (Gupta & Raskar, 2018; Vepakomma et al., 2018). LeCun, Cortes & Burges (1998), Warner (1965), Erdoğan et al.(2022). (그림 3, 2019년) `(Fake et al., 2000)`');
    expect(citations(sample).map((c) => `${c.surnames.join('|')}${c.etAl ? '+' : ''} ${c.year}`)).toEqual([
      'McMahan+ 2017',
      'Gupta|Raskar 2018',
      'Vepakomma+ 2018',
      'Gupta|Raskar 2018',
      'LeCun|Cortes|Burges 1998',
      'Warner 1965',
      'Erdoğan+ 2022',
    ]);
    const ref = { id: 'gupta2018', authors: 'Otkrist Gupta, Ramesh Raskar', year: 2018 };
    expect(matches(citations(sample)[1], ref)).toBe(true);
    expect(matches(citations(sample)[0], ref)).toBe(false);
  });

  test.each(chapters.map((c) => [c.file, c] as const))('%s: every citation has a reference and every reference is cited', (_file, chapter) => {
    const problems: string[] = [];
    const cited = new Set<string>();
    for (const c of citations(chapter)) {
      const refs = chapter.references.filter((r) => matches(c, r));
      if (refs.length === 0) problems.push(`${at(chapter, c.offset)}: "${c.text}" matches no entry of the references front matter`);
      if (refs.length > 1) problems.push(`${at(chapter, c.offset)}: "${c.text}" matches several references (${refs.map((r) => r.id).join(', ')}); add a/b to the years`);
      for (const r of refs) cited.add(r.id);
    }
    for (const { offset, id } of citeIds(chapter)) {
      if (!chapter.references.some((r) => r.id === id)) problems.push(`${at(chapter, offset)}: <Cite id="${id}"> has no reference`);
      cited.add(id);
    }
    const ids = chapter.references.map((r) => r.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) problems.push(`${chapter.file}: reference id ${id} appears twice`);
    });
    for (const r of chapter.references) if (!cited.has(r.id)) problems.push(`${chapter.file}: reference ${r.id} (${r.authors}, ${r.year}) is never cited in the text`);
    expect(problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Links

interface Link {
  offset: number;
  target: string;
}

/** Markdown link targets, JSX/HTML href attributes and <Term id> components. */
function links(src: Source): Link[] {
  const body = prose(src.body).replace(/\{\/\*[\s\S]*?\*\/\}/g, (s) => s.replace(/[^\n]/g, ' '));
  const out: Link[] = [];
  for (const m of body.matchAll(/\]\(\s*<?([^()\s<>]+(?:\([^()\s]*\)[^()\s<>]*)*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) out.push({ offset: m.index!, target: m[1] });
  for (const m of body.matchAll(/\bhref=(?:"([^"]*)"|'([^']*)')/g)) out.push({ offset: m.index!, target: m[1] ?? m[2] });
  for (const m of body.matchAll(/<Term\s+id=["']([^"']+)["']/g)) out.push({ offset: m.index!, target: `/glossary/#${m[1]}` });
  return out;
}

const isExternal = (t: string) => /^[a-z][a-z0-9+.-]*:/i.test(t) || t.startsWith('//');

/** Anchors a source's page will have: figure anchors, explicit ids, #ref-<id>, heading slugs. */
function anchorsOf(src: Source): Set<string> {
  const out = new Set<string>();
  for (const fig of figures(src)) {
    const a = fig.attrs.id ?? (fig.attrs.number !== undefined ? `fig-${fig.attrs.number}` : undefined);
    if (a) out.add(a);
  }
  for (const m of src.body.matchAll(/\bid=["']([^"']+)["']/g)) out.add(m[1]);
  for (const r of src.references) out.add(`ref-${r.id}`);
  const slugger = new GithubSlugger();
  for (const m of prose(src.body).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) out.add(slugger.slug(textOf(m[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'))));
  return out;
}

/** Site paths (with a trailing slash) that exist, and the anchors each has (null: not checked). */
const routes = new Map<string, Set<string> | null>([
  ['/', null],
  ['/glossary/', glossaryIds],
  ['/search/', null],
  ...sources.map((s) => [s.url, anchorsOf(s)] as const),
]);

/** Where a relative link from a page lands; null when it leaves the site root. */
function resolveLink(from: string, target: string): { path: string; hash: string } {
  const hashAt = target.indexOf('#');
  const rawPath = hashAt < 0 ? target : target.slice(0, hashAt);
  const hash = hashAt < 0 ? '' : decodeURIComponent(target.slice(hashAt + 1));
  const url = new URL(rawPath || from, `https://site.invalid${from}`);
  return { path: decodeURIComponent(url.pathname), hash };
}

describe('links', () => {
  test.each(sources.map((s) => [s.file, s] as const))('%s: glossary links name existing glossary ids', (_file, src) => {
    const problems: string[] = [];
    for (const l of links(src)) {
      if (isExternal(l.target)) continue;
      const { path: p, hash } = resolveLink(src.url, l.target);
      if (p !== '/glossary/' || !hash) continue;
      if (!glossaryIds.has(hash)) problems.push(`${at(src, l.offset)}: glossary link to #${hash}, which content/glossary.json does not define`);
    }
    expect(problems).toEqual([]);
  });

  test.each(sources.map((s) => [s.file, s] as const))('%s: relative links resolve to pages of the site', (_file, src) => {
    const problems: string[] = [];
    for (const l of links(src)) {
      if (isExternal(l.target)) continue;
      if (l.target.startsWith('/')) {
        problems.push(`${at(src, l.offset)}: "${l.target}" is absolute; use a relative link so the site works under a sub-path`);
        continue;
      }
      const { path: p, hash } = resolveLink(src.url, l.target);
      if (routes.has(p)) {
        const anchors = routes.get(p)!;
        if (hash && anchors && !anchors.has(hash) && p !== '/glossary/') problems.push(`${at(src, l.offset)}: "${l.target}" → ${p} has no anchor #${hash}`);
        continue;
      }
      if (!p.endsWith('/') && existsSync(path.join(root, 'public', p))) continue;
      problems.push(`${at(src, l.offset)}: "${l.target}" → ${p}, which is not a page of the site${routes.has(p + '/') ? ' (missing trailing slash)' : ''}`);
    }
    expect(problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Placeholders

const PLACEHOLDERS: Array<[RegExp, string]> = [
  [/\{\/\*\s*figure:/g, 'an unfilled figure slot ({/* figure: … */})'],
  [/\bTODO\b/g, 'TODO'],
  [/\bFIXME\b/g, 'FIXME'],
  [/\bXXX\b/g, 'XXX'],
  [/준비\s*중/g, '"준비 중"'],
  [/lorem\b|ipsum\b/gi, 'lorem ipsum'],
];

describe('placeholders', () => {
  const files = [...sources.map((s) => s.file), path.join('content', 'glossary.json')];
  test.each(files)('%s has no placeholder text', (file) => {
    const text = readFileSync(path.join(root, file), 'utf8');
    const problems: string[] = [];
    for (const [re, what] of PLACEHOLDERS) {
      for (const m of text.matchAll(re)) problems.push(`${file}:${text.slice(0, m.index).split('\n').length}: ${what}`);
    }
    expect(problems).toEqual([]);
  });

  test('every glossary entry has a definition and a chapter that exists', () => {
    const entries = JSON.parse(readFileSync(path.join(contentDir, 'glossary.json'), 'utf8')) as Array<Record<string, string>>;
    const slugs = new Set(chapters.map((c) => c.id));
    const problems = entries.flatMap((e) => [
      ...(e.definition?.trim() ? [] : [`${e.id}: empty definition`]),
      ...(slugs.has(e.chapter) ? [] : [`${e.id}: chapter "${e.chapter}" does not exist`]),
    ]);
    const ids = entries.map((e) => e.id);
    ids.forEach((id, i) => ids.indexOf(id) !== i && problems.push(`${id}: defined twice`));
    expect(problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Korean terms: the English in parentheses once per chapter, at first use, never for loanwords

interface GlossaryEntry {
  id: string;
  ko: string;
  en: string;
  /** The Korean term is the English word written in Hangul (서버, 클라이언트): no English after it. */
  loanword?: boolean;
}
const glossaryEntries = JSON.parse(readFileSync(path.join(contentDir, 'glossary.json'), 'utf8')) as GlossaryEntry[];
const glossaryById = new Map(glossaryEntries.map((e) => [e.id, e]));

interface TextLine {
  /** Line number in the file (1-based). */
  line: number;
  /** The line as a reader sees it: links and <Term> replaced by their text, tags and math blanked. */
  text: string;
}

/**
 * The prose a reader reads, line by line: no front matter, imports, headings, code, display or
 * inline math, JSX comments or tag attributes. `[text](url)` becomes its text and <Term> its
 * glossary term, with "(English)" when it has `en`, so a gloss reads the same however written.
 */
function readerLines(src: Source): TextLine[] {
  const out: TextLine[] = [];
  let fence: string | null = null;
  let math = false;
  const body = src.body.replace(/\{\/\*[\s\S]*?\*\/\}/g, (s) => s.replace(/[^\n]/g, ' '));
  body.split('\n').forEach((raw, i) => {
    const line = src.bodyLine + i;
    const fenceMark = raw.match(/^\s*(```|~~~)/);
    if (fence) {
      if (fenceMark && fenceMark[1] === fence) fence = null;
      return;
    }
    if (fenceMark) {
      fence = fenceMark[1];
      return;
    }
    if (raw.trim().startsWith('$$')) {
      const rest = raw.trim().slice(2);
      if (!(rest.includes('$$'))) math = !math;
      return;
    }
    if (math || /^\s*#{1,6}\s/.test(raw) || /^\s*(import|export)\s/.test(raw)) return;
    const text = raw
      .replace(/`[^`]*`/g, ' ')
      .replace(/\$[^$]+\$/g, ' ')
      .replace(/<Term\s+id=["']([^"']+)["']([^>]*?)\/>/g, (_s, id: string, rest: string) => {
        const e = glossaryById.get(id);
        if (!e) return ' ';
        return /\ben\b/.test(rest) ? `${e.ko}(${e.en})` : e.ko;
      })
      .replace(/<Term\s+id=["'][^"']+["'][^>]*>([^<]*)<\/Term>/g, '$1')
      .replace(/!?\[([^\]]*)\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+"[^"]*")?\)/g, '$1')
      .replace(/<[^>]*>/g, ' ')
      .replace(/\{[^{}]*\}/g, ' ')
      // The site's name is a title, not a use of the terms in it.
      .replace(/연합 학습과 분할 학습 노트북/g, (name) => ' '.repeat(name.length));
    out.push({ line, text });
  });
  return out;
}

interface Gloss {
  line: number;
  /** Column of the "(" in the reader's text of the line. */
  col: number;
  /** The Hangul text just before the parenthesis (up to 30 characters). */
  before: string;
  english: string;
}

/**
 * English in parentheses right after Hangul: "연합 학습(federated learning)". Citations (with a
 * year), formulas ("C = 0.1") and single letters ("(K)") are not glosses.
 */
function glossesOf(lines: TextLine[]): Gloss[] {
  const out: Gloss[] = [];
  for (const { line, text } of lines) {
    for (const m of text.matchAll(/(?<=\p{Script=Hangul})\(([A-Za-z][^()]*(?:\([^()]*\)[^()]*)*)\)/gu)) {
      const english = m[1].trim();
      if (/(?:1[89]|20)\d\d/.test(english) || /[=<>≤≥]/.test(english) || !/[A-Za-z]{2,}/.test(english)) continue;
      out.push({ line, col: m.index!, before: text.slice(Math.max(0, m.index! - 30), m.index!), english });
    }
  }
  return out;
}

const hasHangul = (s: string) => /\p{Script=Hangul}/u.test(s);
const hasLatin = (s: string) => /[A-Za-z]/.test(s);
/** "server (central server)" → "server"; "noise multiplier (z)" → "noise multiplier". */
const mainEnglish = (en: string) => en.replace(/\s*\([^)]*\)\s*$/, '').trim().toLowerCase();

/** Where each glossary term is first used in a source, longer terms that contain it excluded. */
function firstUses(lines: TextLine[]): Map<string, { line: number; col: number; text: string }> {
  const byLength = [...glossaryEntries].sort((a, b) => b.ko.length - a.ko.length);
  const first = new Map<string, { line: number; col: number; text: string }>();
  for (const { line, text } of lines) {
    for (const e of byLength) {
      if (first.has(e.id)) continue;
      // Blank the longer terms that contain this one ("분할 연합 학습" is not a use of "연합 학습").
      let masked = text;
      for (const longer of byLength) {
        if (longer.ko.length > e.ko.length && longer.ko.includes(e.ko)) masked = masked.split(longer.ko).join(' '.repeat(longer.ko.length));
      }
      const col = masked.indexOf(e.ko);
      if (col >= 0) first.set(e.id, { line, col, text });
    }
  }
  return first;
}

describe('Korean terms', () => {
  test('the gloss reader finds glosses and uses (self-check on a sample)', () => {
    const body = [
      '## 연합 학습',
      '[연합 학습](../../glossary/#federated-learning)(federated learning)은 서버(server)와 <Term id="client-drift" en />를 다룹니다 (McMahan et al., 2017).',
      '클라이언트 수(K)와 비율(C = 0.1), `코드(code)`, $f(x)$. 분할 연합 학습(SplitFed).',
    ];
    const sample = sampleSource(10, body.join('\n'));
    const lines = readerLines(sample);
    expect(glossesOf(lines).map((g) => `${g.line}:${g.english}`)).toEqual(['11:federated learning', '11:server', '11:client drift', '12:SplitFed']);
    const uses = firstUses(lines);
    expect(uses.get('federated-learning')?.line).toBe(11);
    expect(uses.get('splitfed')?.line).toBe(12);
    expect(uses.has('split-learning')).toBe(false);
  });

  test('no English note such as "(unverified)" is left in the prose', () => {
    const problems: string[] = [];
    for (const src of sources) {
      for (const { line, text } of readerLines(src)) {
        if (/\((?:unverified|not verified|unconfirmed|citation needed|tbd|sic)\)/i.test(text)) problems.push(`${src.file}:${line}: an English note in parentheses; say in Korean, once, in a note, what could not be checked`);
      }
    }
    expect(problems).toEqual([]);
  });

  test.each(sources.map((s) => [s.file, s] as const))('%s: each term has its English once, at first use, and loanwords have none', (_file, src) => {
    const problems: string[] = [];
    const lines = readerLines(src);
    const glosses = glossesOf(lines);
    const seen = new Map<string, number>();
    for (const g of glosses) {
      const key = g.english.toLowerCase();
      if (seen.has(key)) problems.push(`${src.file}:${g.line}: "(${g.english})" again; the English is given once per chapter (line ${seen.get(key)})`);
      else seen.set(key, g.line);
      // The term the English follows: the longest glossary term the text before it ends with.
      const loan = glossaryEntries
        .filter((e) => g.before.endsWith(e.ko))
        .sort((a, b) => b.ko.length - a.ko.length)
        .find((e, i) => i === 0 && e.loanword && g.english.toLowerCase().includes(mainEnglish(e.en)));
      if (loan) problems.push(`${src.file}:${g.line}: "${loan.ko}(${g.english})": ${loan.ko} is a loanword and takes no English`);
    }
    for (const [id, use] of firstUses(lines)) {
      const e = glossaryById.get(id)!;
      if (e.loanword || !hasHangul(e.ko) || hasLatin(e.ko)) continue;
      const after = use.text.slice(use.col + e.ko.length);
      const gloss = after.match(/^\(([^()]*(?:\([^()]*\)[^()]*)*)\)/);
      const en = mainEnglish(e.en);
      // The English may be shortened to the abbreviation the glossary gives ("SGD").
      const names = (g: string) => g.toLowerCase().includes(en) || (g.length > 1 && e.en.toLowerCase().includes(g.toLowerCase()));
      if (!gloss || !names(gloss[1])) {
        const later = glosses.find((g) => names(g.english));
        problems.push(
          `${src.file}:${use.line}: first use of ${e.ko} without "(${e.en})"` + (later ? ` (it is given later, at line ${later.line})` : ''),
        );
      }
    }
    expect(problems).toEqual([]);
  });
});
