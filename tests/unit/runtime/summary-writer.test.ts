/**
 * The widget summary's throttled writer (runtime/widget.ts): the first text at once, then at most
 * one write per interval with the latest text; a function is called only when its text is
 * written, so a run that announces after every round builds its summary a few times a second.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttledText } from '~/runtime/widget';

/** An element as the writer sees it. */
const box = () => ({ isConnected: true, textContent: '' as string | null });

describe('summary writer', () => {
  beforeEach(() => vi.useFakeTimers());
  // The spy comes off before the fake clock does: the clock puts back only a `setTimeout` that is
  // still its own, so a spy left on it stayed in place of the real one for the next test file in
  // this worker (files share a worker), and a timer there never fired.
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('builds a summary given as a function only when it writes it, with the latest one', () => {
    const el = box();
    const write = throttledText(() => el as unknown as Element, 500);
    let built = 0;
    const summary = (round: number) => () => {
      built++;
      return `라운드 ${round}`;
    };
    for (let round = 1; round <= 100; round++) {
      write(summary(round));
      vi.advanceTimersByTime(10);
    }
    // 100 announcements in 1 s: the first at once, then one write per 500 ms.
    vi.runAllTimers();
    expect(el.textContent).toBe('라운드 100');
    expect(built).toBeGreaterThanOrEqual(2);
    expect(built).toBeLessThanOrEqual(4);
  });

  it('keeps one timer while a write waits, and `now` writes at once', () => {
    const el = box();
    const write = throttledText(() => el as unknown as Element, 500);
    write('첫 줄');
    vi.advanceTimersByTime(0);
    expect(el.textContent).toBe('첫 줄');
    const sets = vi.spyOn(globalThis, 'setTimeout');
    for (let i = 0; i < 50; i++) write(`둘째 ${i}`);
    expect(sets).toHaveBeenCalledTimes(1);
    write('끝', true);
    vi.advanceTimersByTime(0);
    expect(el.textContent).toBe('끝');
  });

  it('writes nothing into a widget taken off the page, and does not build its summary', () => {
    const el = { ...box(), isConnected: false };
    const write = throttledText(() => el as unknown as Element, 500);
    const summary = vi.fn(() => '요약');
    write(summary, true);
    vi.runAllTimers();
    expect(summary).not.toHaveBeenCalled();
    expect(el.textContent).toBe('');
  });
});
