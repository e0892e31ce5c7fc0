/**
 * The draw queue's busy flag: a chart whose new picture waits in the queue says aria-busy until
 * it is drawn, and so does a queued owner that is an element. The end-to-end tests rely on it to
 * read a chart only once it shows the run that ended. Also how long the queue rests after a draw
 * (its share of the main thread, and the cap on a rest). Node has no DOM; the stand-in element below
 * keeps attributes, children, inline style and a picture's markup, which is all plot-image.ts
 * touches. A chart's picture goes in a box of its own (`.plot-box`) inside the chart's element.
 */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { dequeueDraw, enqueueDraw, plotChart, throttled } from '~/widgets/renderers/plot-image';

let made = 0;
class StandIn {
  readonly attrs = new Map<string, string>();
  children: unknown[] = [];
  style: Record<string, string> = {};
  className = '';
  parentNode: StandIn | null = null;
  clientWidth = 320;
  /** Each stand-in draws a picture of its own, unless a test says two are the same. */
  outerHTML = `<picture-${++made}>`;
  get childNodes() {
    return this.children;
  }
  get firstChild() {
    return this.children[0] ?? null;
  }
  get firstElementChild() {
    return this.children[0] ?? null;
  }
  /** How many times an attribute was set, the same value again included. */
  sets = 0;
  setAttribute(k: string, v: string) {
    this.sets++;
    this.attrs.set(k, v);
  }
  removeAttribute(k: string) {
    this.attrs.delete(k);
  }
  getAttribute(k: string) {
    return this.attrs.get(k) ?? null;
  }
  replaceChildren(...c: unknown[]) {
    this.children = c;
    for (const k of c) if (k instanceof StandIn) k.parentNode = this;
  }
  querySelector() {
    return null;
  }
  querySelectorAll() {
    return [];
  }
  get busy() {
    return this.attrs.get('aria-busy') === 'true';
  }
}

/** A chart drawn as an SVG of a given size (Plot's output without a legend). */
class StandInSvg extends StandIn {
  constructor(width: number, height: number) {
    super();
    this.setAttribute('width', String(width));
    this.setAttribute('height', String(height));
  }
}

/** The picture a chart's element shows: the one in its box. */
const shown = (el: StandIn) => (el.children[0] as StandIn | undefined)?.children[0];

const globals = globalThis as Record<string, unknown>;
beforeAll(() => {
  globals.Element = StandIn;
  globals.SVGSVGElement = StandInSvg;
  globals.document = { createElement: () => new StandIn() };
});
afterAll(() => {
  delete globals.Element;
  delete globals.SVGSVGElement;
  delete globals.document;
});

describe('plotChart', () => {
  test('is busy from update() until its latest data is drawn, then not', async () => {
    const el = new StandIn();
    const drawn: number[] = [];
    const chart = plotChart<number>(el as unknown as HTMLElement, { minWidth: 100 }, (d) => {
      drawn.push(d);
      return new StandIn() as unknown as Element;
    });
    // Not busy before anything was asked (no initial state).
    expect(el.busy).toBe(false);
    chart.update(1);
    chart.update(2);
    expect(el.busy).toBe(true);
    expect(drawn).toEqual([]);
    await vi.waitFor(() => expect(el.busy).toBe(false));
    // One draw, of the latest data, and the picture is in the element (in its box).
    expect(drawn).toEqual([2]);
    expect(el.children).toHaveLength(1);
    expect((el.children[0] as StandIn).children).toHaveLength(1);
    chart.destroy();
  });

  test('flush() draws now and clears the flag; destroy() clears a waiting one', () => {
    const el = new StandIn();
    const chart = plotChart<number>(el as unknown as HTMLElement, { minWidth: 100 }, () => new StandIn() as unknown as Element);
    chart.update(1);
    expect(el.busy).toBe(true);
    chart.flush();
    expect(el.busy).toBe(false);
    chart.update(2);
    chart.destroy();
    expect(el.busy).toBe(false);
  });
});

describe('plotChart draws only what changed', () => {
  test('the same data at the same width is not drawn again; other data is, and a same picture stays', () => {
    const el = new StandIn();
    const drawn: number[][] = [];
    const pictures: StandIn[] = [];
    const chart = plotChart<number[]>(el as unknown as HTMLElement, { minWidth: 100 }, (d) => {
      drawn.push(d);
      const p = new StandIn();
      // Data whose last value is 0 draws the picture of [9, 0]: a chart that shows only the last value.
      if (d.at(-1) === 0) p.outerHTML = '<picture-of-zero>';
      pictures.push(p);
      return p as unknown as Element;
    });
    chart.update([1, 2]);
    chart.flush();
    // A new array with the same values: nothing is drawn.
    chart.update([1, 2]);
    chart.flush();
    expect(drawn).toEqual([[1, 2]]);
    chart.update([1, 3]);
    chart.flush();
    expect(drawn).toEqual([[1, 2], [1, 3]]);
    expect(el.children).toHaveLength(1);
    expect(shown(el)).toBe(pictures[1]);
    // Other data, the same picture: drawn, but the page keeps the picture it has.
    chart.update([9, 0]);
    chart.flush();
    chart.update([8, 0]);
    chart.flush();
    expect(drawn).toHaveLength(4);
    expect(el.children).toHaveLength(1);
    expect(shown(el)).toBe(pictures[2]);
    chart.destroy();
  });
});

describe('plotChart: a patch brings the chart on screen up to date', () => {
  test('in place when it can (no draw), and by a draw when it cannot', () => {
    const el = new StandIn();
    const drawn: number[][] = [];
    const patched: [unknown, number[]][] = [];
    // A patch that can add values to a picture of the same first value (new points on the same axes).
    const chart = plotChart<number[]>(
      el as unknown as HTMLElement,
      {
        minWidth: 100,
        patch: (picture, d) => {
          if (d[0] !== drawn.at(-1)?.[0]) return false;
          patched.push([picture, d]);
          return true;
        },
      },
      (d) => {
        drawn.push(d);
        return new StandIn() as unknown as Element;
      },
    );
    chart.update([1]);
    chart.flush();
    const first = shown(el);
    // Nothing on screen yet: the first picture is drawn, not patched.
    expect([drawn, patched]).toEqual([[[1]], []]);
    chart.update([1, 2]);
    chart.flush();
    chart.update([1, 2, 3]);
    chart.flush();
    // Patched twice, the picture on screen each time; nothing drawn, and it is still the one shown.
    expect(drawn).toEqual([[1]]);
    expect(patched).toEqual([[first, [1, 2]], [first, [1, 2, 3]]]);
    expect(shown(el)).toBe(first);
    // The same data again: neither drawn nor patched.
    chart.update([1, 2, 3]);
    chart.flush();
    expect(patched).toHaveLength(2);
    // The patch cannot: the chart is drawn again and the new picture replaces the old.
    chart.update([5, 6]);
    chart.flush();
    expect(drawn).toEqual([[1], [5, 6]]);
    expect(shown(el)).not.toBe(first);
    expect(el.busy).toBe(false);
    chart.destroy();
  });
});

describe('plotChart: the chart box', () => {
  test('is as tall as the SVG shows (scaled down to the room), and sized by it alone; other pictures leave it free', () => {
    const el = new StandIn();
    let next: StandIn = new StandInSvg(480, 200);
    const chart = plotChart<number>(el as unknown as HTMLElement, { minWidth: 400 }, () => next as unknown as Element);
    chart.update(1);
    chart.flush();
    const box = el.children[0] as StandIn;
    expect(box.className).toBe('plot-box');
    // An SVG 480 px wide in 320 px of room (Plot's SVG scales down to fit): it shows 2/3 as tall.
    expect(box.style.height).toMatch(/px$/);
    expect(parseFloat(box.style.height)).toBeCloseTo((200 * 320) / 480, 6);
    expect(box.style.contain).toBe('size layout');
    // A picture that is not a bare SVG (a figure with a legend) sizes the box itself.
    next = new StandIn();
    chart.update(2);
    chart.flush();
    expect(el.children[0]).toBe(box);
    expect([box.style.height, box.style.contain]).toEqual(['', '']);
    chart.destroy();
  });
});

describe('throttled', () => {
  test('marks its element busy once however often a draw is asked for while one waits', () => {
    const el = new StandIn();
    let draws = 0;
    const t = throttled(() => draws++, 150, el as unknown as Element);
    // A widget asks at every batch: hundreds of times a second in the split playground.
    for (let i = 0; i < 50; i++) t.schedule();
    expect(el.busy).toBe(true);
    expect(el.sets).toBe(1);
    t.now();
    expect([draws, el.busy]).toEqual([1, false]);
    t.cancel();
  });
});

describe('enqueueDraw', () => {
  test('an element owner is busy while its draw waits; other owners are left alone', async () => {
    const card = new StandIn();
    const plain = { drawn: false };
    let cardDrawn = false;
    enqueueDraw(card, () => (cardDrawn = true));
    enqueueDraw(plain, () => (plain.drawn = true));
    expect(card.busy).toBe(true);
    expect('aria-busy' in plain).toBe(false);
    await vi.waitFor(() => expect(cardDrawn && plain.drawn).toBe(true));
    expect(card.busy).toBe(false);

    enqueueDraw(card, () => (cardDrawn = false));
    dequeueDraw(card);
    expect(card.busy).toBe(false);
    await new Promise((r) => setTimeout(r, 30));
    // The dropped draw never ran.
    expect(cardDrawn).toBe(true);
  });
});

describe('the draw queue rests', () => {
  test('in proportion to a draw, but never more than a second', async () => {
    // A clock the draws can move: performance.now() is the faked Date plus what draws "took".
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let took = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => Date.now() + took);
    try {
      const ran: string[] = [];
      enqueueDraw({}, () => {
        ran.push('quick');
        took += 20;
      });
      await vi.advanceTimersByTimeAsync(10);
      expect(ran).toEqual(['quick']);
      // After 20 ms of drawing the queue rests about 150 ms (a share of 0.12), not 10.
      enqueueDraw({}, () => ran.push('after quick'));
      await vi.advanceTimersByTimeAsync(100);
      expect(ran).toEqual(['quick']);
      await vi.advanceTimersByTimeAsync(100);
      expect(ran).toEqual(['quick', 'after quick']);
      // A draw that took 500 ms would rest 3.7 s at that share: the queue waits 1 s at most.
      enqueueDraw({}, () => {
        ran.push('slow');
        took += 500;
      });
      await vi.advanceTimersByTimeAsync(2000);
      expect(ran.at(-1)).toBe('slow');
      enqueueDraw({}, () => ran.push('after slow'));
      await vi.advanceTimersByTimeAsync(1050);
      expect(ran.at(-1)).toBe('after slow');
    } finally {
      now.mockRestore();
      vi.useRealTimers();
    }
  });
});
