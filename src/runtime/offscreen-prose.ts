/**
 * A chapter's prose off screen is neither styled, laid out nor painted until it nears the
 * viewport (`content-visibility: auto` on the column's blocks, global.css). A chapter is up to
 * 13,000 elements before its widgets mount, most of them KaTeX spans, and without this every frame
 * a training widget drew paid for walking all of them: on the phone profile of
 * `npm run bench -- --only=jank`, pre-paint, layerization and paint of one frame took 150–290 ms
 * of the main thread on the federated chapter.
 *
 * A skipped block takes the room its placeholder says, so each block's placeholder is its own
 * height, measured once the page and its fonts are laid out: a jump to a widget or a heading (a
 * link, the table of contents) lands where it should. With one guessed height for every block, a
 * jump on a 360 px screen landed 2,500 px off, and a widget never came near enough to load. The
 * heights are measured again when the column's width changes (`auto` then keeps each block's last
 * drawn height).
 */
const BLOCKS = ':scope > :is(p, ul, ol, .katex-display, .table-wrap, pre)';

function sizeBlocks(prose: HTMLElement): void {
  prose.classList.remove('is-sized');
  const blocks = [...prose.querySelectorAll<HTMLElement>(BLOCKS)];
  // Every read first (one layout), then every write.
  const heights = blocks.map((b) => {
    const s = getComputedStyle(b);
    const edges = ['paddingTop', 'paddingBottom', 'borderTopWidth', 'borderBottomWidth'] as const;
    return b.getBoundingClientRect().height - edges.reduce((sum, k) => sum + (parseFloat(s[k]) || 0), 0);
  });
  blocks.forEach((b, i) => b.style.setProperty('contain-intrinsic-block-size', `auto ${Math.max(0, heights[i]).toFixed(1)}px`));
  prose.classList.add('is-sized');
}

function start(): void {
  const prose = document.querySelector<HTMLElement>('.chapter__body.prose');
  if (!prose || !('contentVisibility' in prose.style)) return;
  sizeBlocks(prose);
  let width = prose.clientWidth;
  let timer: ReturnType<typeof setTimeout> | undefined;
  new ResizeObserver(() => {
    if (prose.clientWidth === width) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      width = prose.clientWidth;
      sizeBlocks(prose);
    }, 300);
  }).observe(prose);
}

if (typeof document !== 'undefined') {
  const loaded = document.readyState === 'complete' ? Promise.resolve() : new Promise((resolve) => addEventListener('load', resolve, { once: true }));
  void Promise.all([loaded, document.fonts?.ready]).then(start);
}
