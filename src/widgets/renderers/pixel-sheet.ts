/**
 * Several pixel pictures (./pixels.ts) saved as one standalone SVG file: columns left to right,
 * each column's pictures one under another, a title over a column when it has one. The cells stay
 * sharp (no smoothing between pixels) in any viewer.
 */

export interface SheetColumn {
  /** The pictures' on-screen <svg> elements, top to bottom. */
  pictures: readonly SVGSVGElement[];
  title?: string;
}

export interface SheetOptions {
  /** Space between columns (default 12). */
  gap?: number;
  /** A column is at least this wide (room for its title). */
  minWidth?: number;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The file's text, or null while any picture is not drawn yet. */
export function pixelSheet(columns: readonly SheetColumn[], options: SheetOptions = {}): string | null {
  const all = columns.flatMap((c) => c.pictures);
  const size = (s: SVGSVGElement) => [Number(s.getAttribute('width')), Number(s.getAttribute('height'))];
  if (all.length === 0 || all.some((s) => !size(s)[0])) return null;
  const top = columns.some((c) => c.title) ? 28 : 10;
  const parts: string[] = [];
  let x = 10;
  let height = 0;
  for (const column of columns) {
    if (column.title) parts.push(`<text x="${x}" y="18" font-size="12" font-weight="700" fill="#1d2127">${escapeXml(column.title)}</text>`);
    let y = top;
    let widest = 0;
    for (const s of column.pictures) {
      const [w, h] = size(s);
      const inner = s.innerHTML.replace('<image ', '<image style="image-rendering:pixelated" ');
      parts.push(`<svg x="${x}" y="${y}" width="${w}" height="${h}" viewBox="${s.getAttribute('viewBox')}" shape-rendering="crispEdges">${inner}</svg>`);
      y += h + 8;
      widest = Math.max(widest, w);
    }
    height = Math.max(height, y + 4);
    x += Math.max(widest, options.minWidth ?? 0) + (options.gap ?? 12);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${x}" height="${height}" viewBox="0 0 ${x} ${height}">`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg}<rect width="100%" height="100%" fill="#ffffff"/>${parts.join('')}</svg>`;
}
