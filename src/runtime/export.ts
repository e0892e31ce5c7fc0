/**
 * Downloads: metrics as CSV, charts as SVG and PNG, a run's configuration as JSON.
 * Everything is made in the page from what is on screen; nothing is sent anywhere.
 */

/** Saves a blob under a file name (an <a download> click; revoked after the click). */
export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** One CSV field: quoted when it holds a comma, quote or newline (RFC 4180). */
function csvField(v: unknown): string {
  const s = v === undefined || v === null ? '' : typeof v === 'number' && !Number.isFinite(v) ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows of objects as CSV text, columns in the given order. */
export function toCsv<R extends Record<string, unknown>>(rows: readonly R[], columns: readonly (keyof R & string)[]): string {
  const lines = [columns.map(csvField).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvField(r[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function downloadCsv<R extends Record<string, unknown>>(rows: readonly R[], columns: readonly (keyof R & string)[], filename: string): void {
  // The BOM makes spreadsheet programs read the file as UTF-8 (Korean headers, if any).
  download(new Blob(['\ufeff', toCsv(rows, columns)], { type: 'text/csv;charset=utf-8' }), filename);
}

export function downloadJson(value: unknown, filename: string): void {
  download(new Blob([JSON.stringify(value, null, 2) + '\n'], { type: 'application/json' }), filename);
}

/** Marks a style the page keeps once in <head> for its inline SVGs (Plot's: renderers/plot-image.ts). */
export const SHARED_SVG_STYLE = 'data-svg-style';

/**
 * The font families an on-screen SVG's text is drawn in: the page's, by a stylesheet rule over
 * the SVG's own attribute (controls/widget-layout.css). A file has no page around it, so it names
 * them itself, and a downloaded picture sets its labels as the reader saw them.
 */
export function drawnFontFamily(svg: Element): string {
  return (svg.isConnected && getComputedStyle(svg).fontFamily) || 'sans-serif';
}

/**
 * A standalone SVG document from an on-screen SVG: namespaces set, size fixed, a background
 * painted, `currentColor` resolved to the colour the reader sees (in a file there is no page to
 * inherit it from), its text in the font the page drew it in, and the chart style the page keeps
 * once in <head> (`data-svg-style`, Plot's fixed style: renderers/plot-image.ts) written into the
 * file as Plot wrote it into the chart.
 */
export function svgDocument(svg: SVGSVGElement, background = '#ffffff', color = '#1a1a1a'): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink');
  const box = svg.viewBox.baseVal;
  const width = box && box.width ? box.width : svg.clientWidth;
  const height = box && box.height ? box.height : svg.clientHeight;
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('color', color);
  clone.setAttribute('font-family', drawnFontFamily(svg));
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', background);
  clone.insertBefore(bg, clone.firstChild);
  for (const shared of document.head.querySelectorAll(`style[${SHARED_SVG_STYLE}]`)) {
    const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
    style.textContent = shared.textContent;
    clone.insertBefore(style, clone.firstChild);
  }
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(clone);
}

export function downloadSvg(svgText: string, filename: string): void {
  download(new Blob([svgText], { type: 'image/svg+xml' }), filename);
}

/** How long the browser may take to read the SVG or encode the PNG before the reader is told. */
const PNG_WAIT_MS = 10_000;

/** `promise`, or a rejection with `message` after PNG_WAIT_MS (a download must not hang in silence). */
function inTime<T>(promise: Promise<T>, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), PNG_WAIT_MS)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Rasterises an SVG document (at `scale`× its size) to a PNG blob. */
export async function svgToPng(svgText: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'async';
    const loaded = new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('SVG를 그림으로 바꾸지 못했습니다.'));
      img.src = url;
    });
    await inTime(loaded, 'SVG를 그림으로 바꾸는 데 너무 오래 걸립니다. 다시 눌러 주세요.');
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('캔버스를 만들 수 없습니다.');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const encoded = new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG를 만들지 못했습니다.'))), 'image/png'),
    );
    return await inTime(encoded, 'PNG를 만드는 데 너무 오래 걸립니다. 다시 눌러 주세요.');
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function downloadPng(svgText: string, filename: string, scale = 2): Promise<void> {
  download(await svgToPng(svgText, scale), filename);
}

/** A file-name stamp like 2024-05-01-1530, in the reader's local time. */
export function stamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
}
