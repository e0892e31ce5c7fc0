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
 *
 * A figure is skipped the same way once its widget has mounted (the runtime's `widget-mounted`
 * event) and the figure has been off screen, never before: a widget inside a skipped figure is
 * not laid out, so it would not see the viewport approach and would load late. A mounted widget off screen is paused, and its charts,
 * controls and tables (several hundred elements each, five widgets on the federated chapter) then
 * no longer cost the frames of the widget that trains.
 */
const BLOCKS = ':scope > :is(p, ul, ol, .katex-display, .table-wrap, pre)';

/** A block's content height (what `contain-intrinsic-block-size` stands for) from its border-box height. */
function contentHeight(b: HTMLElement, borderBox: number): number {
  const s = getComputedStyle(b);
  const edges = ['paddingTop', 'paddingBottom', 'borderTopWidth', 'borderBottomWidth'] as const;
  return Math.max(0, borderBox - edges.reduce((sum, k) => sum + (parseFloat(s[k]) || 0), 0));
}

function sizeBlocks(prose: HTMLElement): void {
  prose.classList.remove('is-sized');
  const blocks = [...prose.querySelectorAll<HTMLElement>(BLOCKS)];
  // Every read first (one layout), then every write.
  const heights = blocks.map((b) => contentHeight(b, b.getBoundingClientRect().height));
  blocks.forEach((b, i) => b.style.setProperty('contain-intrinsic-block-size', `auto ${heights[i].toFixed(1)}px`));
  prose.classList.add('is-sized');
}

/**
 * Lets the browser skip a mounted widget's figure once it is off screen, with its drawn height as
 * the placeholder. The switch waits until the figure first leaves the screen: made as the widget
 * mounted, on screen, it cost the mount's frame a pre-paint of the whole widget again (15 ms on
 * the phone profile of the jank bench); off screen the browser only stops drawing it. The height
 * comes from the observer's entry: reading it as the widget mounts forced a layout of the whole
 * chapter in the same task (20 ms of main-thread time per mount on the privacy chapter, desktop
 * profile).
 */
const figureSkipper =
  typeof IntersectionObserver === 'undefined'
    ? null
    : new IntersectionObserver((entries) => {
        for (const e of entries) {
          if (e.isIntersecting) continue;
          const figure = e.target as HTMLElement;
          figureSkipper!.unobserve(figure);
          const height = contentHeight(figure, e.boundingClientRect.height);
          figure.style.setProperty('contain-intrinsic-block-size', `auto ${height.toFixed(1)}px`);
          figure.classList.add('is-mounted');
        }
      });

/**
 * Keeps one element of the chapter where it is while the column above it changes height: `align`
 * puts it at the top of the screen again whenever the column's height changes, until `release`.
 * Sizes come from the observer's entries and scroll positions are read only while something is
 * held: reading them in every scroll event forced a layout per event (up to 51 ms on the federated
 * chapter).
 */
function placeHolder(prose: HTMLElement) {
  let target: HTMLElement | null = null;
  let expectedY = 0;
  let height = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** A firm hold ends on its timer only; a soft one also when the page is scrolled by someone else. */
  let firm = false;
  const align = () => {
    target?.scrollIntoView({ block: 'start', behavior: 'instant' });
    expectedY = scrollY;
  };
  /** When the hold ends at the latest, and how long it lasts after the column's last change. */
  let until = 0;
  let quietMs = 0;
  const column = new ResizeObserver(([entry]) => {
    const h = entry.borderBoxSize[0]?.blockSize ?? entry.contentRect.height;
    if (h === height) return;
    height = h;
    align();
    // The hold lasts until the column has been still for its time (a slow phone mounts widgets
    // near the target for longer than that after the jump), but not past three times it.
    clearTimeout(timer);
    timer = setTimeout(release, Math.max(0, Math.min(quietMs, until - performance.now())));
  });
  const onScroll = () => !firm && Math.abs(scrollY - expectedY) > 2 && release();
  const release = () => {
    if (!target) return;
    target = null;
    clearTimeout(timer);
    column.disconnect();
    removeEventListener('scroll', onScroll);
  };
  return {
    /** Holding firmly now (a width change's hold, which the reader's keys and scrolls do not end). */
    get firm() {
      return target !== null && firm;
    },
    /** What is held now, if anything. */
    get target() {
      return target;
    },
    hold(el: HTMLElement, ms: number, isFirm: boolean) {
      release();
      target = el;
      firm = isFirm;
      quietMs = ms;
      until = performance.now() + 3 * ms;
      timer = setTimeout(release, ms);
      align();
      height = prose.getBoundingClientRect().height;
      column.observe(prose);
      addEventListener('scroll', onScroll, { passive: true });
    },
    /** Aligns once more now, and ends the hold after `ms`. */
    endAfter(ms: number) {
      if (!target) return;
      align();
      clearTimeout(timer);
      quietMs = ms;
      until = performance.now() + ms;
      timer = setTimeout(release, ms);
    },
    release,
  };
}

/**
 * A jump to a place in the chapter (`#id`, from a link or the table of contents) lands there,
 * although the column above the target changes height after the jump: blocks are measured, fonts
 * settle, widgets near the viewport mount. Until the reader moves the page themselves (wheel,
 * touch, keys, a click, or a scroll that is not ours) or the column has been still for ten
 * seconds (thirty at most), the target stays at the top of the screen. Without it, a jump to
 * client drift on a 360 px screen ended 264 px below its place. With a fixed ten seconds, a busy
 * machine (both cores taken) still mounted widgets above the target after the hold had ended: the
 * end-to-end test's jump then ended 40 to 1,600 px off in two of six runs; none in six since.
 */
function holdJumpTarget(holder: ReturnType<typeof placeHolder>): void {
  const hold = () => {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id ? document.getElementById(id) : null;
    if (target) holder.hold(target, 10_000, false);
    else holder.release();
  };
  onReaderMove = () => {
    if (!holder.firm) holder.release();
  };
  addEventListener('hashchange', hold);
  // A reader who moved the page before the chapter was measured keeps their place.
  if (!readerMoved) hold();
}

/**
 * The reader's place across a change of the column's width (a phone turned, a window resized).
 * Chromium keeps the scroll offset there, not what is on screen, and the chapter's height changes
 * with its width (the federated chapter: 24,600 px at 1280 px, 34,000 px at 360 px): a reader
 * looking at the personalization figure at 1280 px found it 6,800 px below the screen at 360 px,
 * and 2,000 px above it on turning back. So the block at the top of the screen is noted when a
 * scroll has been still for 200 ms (one hit test then, nothing read in the scroll events), and
 * when the width changes it is held at the top until the blocks have been measured again.
 */
function keepPlaceOnResize(prose: HTMLElement, holder: ReturnType<typeof placeHolder>): { resized(): void; measured(): void } {
  let place: HTMLElement | null = null;
  let still: ReturnType<typeof setTimeout> | undefined;
  const note = () => {
    place = null;
    if (scrollY < 1) return;
    const x = prose.getBoundingClientRect().left + 1;
    // The column's child at the top of the screen: a paragraph, a heading, a figure (a point in
    // the gap between two blocks hits the column itself; the next one down is tried).
    for (const y of [2, 24, 48, 96, 160]) {
      let el = document.elementFromPoint(x, y);
      while (el && el.parentElement !== prose) el = el.parentElement;
      if (el) {
        place = el as HTMLElement;
        return;
      }
    }
  };
  addEventListener(
    'scroll',
    () => {
      clearTimeout(still);
      still = setTimeout(note, 200);
    },
    { passive: true },
  );
  return {
    resized() {
      // A width change during another's hold (a phone turned and turned back) holds the same block
      // again, until this change's measuring: the first hold's end is no longer due.
      const el = holder.firm ? holder.target : place;
      if (el && scrollY >= 1) holder.hold(el, 10_000, true);
    },
    measured() {
      if (holder.firm) holder.endAfter(500);
    },
  };
}

/** The reader has moved the page themselves since it opened (watched from the first script). */
let readerMoved = false;
let onReaderMove = () => {};

function start(): void {
  const prose = document.querySelector<HTMLElement>('.chapter__body.prose');
  if (!prose || !('contentVisibility' in prose.style)) return;
  sizeBlocks(prose);
  const holder = placeHolder(prose);
  holdJumpTarget(holder);
  const place = keepPlaceOnResize(prose, holder);
  const skipFigureOf = (widget: Element) => {
    const figure = widget.closest<HTMLElement>('.prose > figure');
    if (figure) figureSkipper?.observe(figure);
  };
  prose.addEventListener('widget-mounted', (e) => skipFigureOf(e.target as Element));
  // Widgets that mounted before this ran (the first screen's).
  for (const w of prose.querySelectorAll('[data-state="ready"]')) skipFigureOf(w);
  // The width comes from the observer's entry: reading clientWidth here forced a layout of the
  // whole chapter whenever its height changed in the same frame as a style change (a widget
  // mounting): 15 ms of a mount's task on the phone profile of the jank bench.
  let width = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  new ResizeObserver(([entry]) => {
    const w = entry.contentBoxSize[0]?.inlineSize ?? entry.contentRect.width;
    if (width < 0) width = w;
    if (w === width) return;
    width = w;
    place.resized();
    clearTimeout(timer);
    timer = setTimeout(() => {
      sizeBlocks(prose);
      place.measured();
    }, 300);
  }).observe(prose);
}

if (typeof document !== 'undefined') {
  for (const type of ['wheel', 'touchstart', 'keydown', 'pointerdown']) {
    addEventListener(
      type,
      () => {
        readerMoved = true;
        onReaderMove();
      },
      { passive: true, capture: true },
    );
  }
  const loaded = document.readyState === 'complete' ? Promise.resolve() : new Promise((resolve) => addEventListener('load', resolve, { once: true }));
  void Promise.all([loaded, document.fonts?.ready]).then(start);
}
