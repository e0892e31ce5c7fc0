/**
 * The small pieces of page state every training widget shows the same way: the backend line, the
 * play button's label, the progress bar and the alert box. Plain DOM helpers over the shared
 * controls' markup (src/widgets/controls/), so the split-learning and comparison widgets read and
 * behave like the centralized playground.
 */
import type { BackendInfo } from '~/runtime/protocol';

export type RunStatus = 'loading' | 'running' | 'paused' | 'finished' | 'diverged' | 'error';

/** What the backend line says, and whether it is a warning (slower path, or main thread). */
export function describeBackend(info: BackendInfo): { text: string; warn: boolean } {
  const where = info.thread === 'worker' ? '작업자 스레드(Web Worker)' : '이 페이지의 메인 스레드';
  if (info.backend === 'wasm') return { text: `계산: WebAssembly${info.simd ? ' (SIMD)' : ''} · ${where}`, warn: info.thread === 'main' };
  const why =
    info.fallback === 'no-webassembly'
      ? ' — 이 브라우저에서 WebAssembly를 쓸 수 없어 더 느린 방식으로 학습합니다.'
      : info.fallback === 'wasm-failed'
        ? ' — WebAssembly를 시작하지 못해 더 느린 방식으로 학습합니다.'
        : '';
  return { text: `계산: CPU (JavaScript) · ${where}${why}`, warn: Boolean(info.fallback) || info.thread === 'main' };
}

/** Binds the shared status elements inside a widget root. */
export function statusElements(root: HTMLElement) {
  const q = <E extends Element = HTMLElement>(sel: string) => root.querySelector<E & Element>(sel);
  const playButton = q<HTMLButtonElement>('[data-action="toggle-play"]');
  const progress = q<HTMLProgressElement>('[data-progress]');
  const progressText = q('[data-progress-text]');
  const backendLine = q('[data-backend]');
  const threadNotice = q('[data-thread-notice]');
  const alertBox = q('[data-alert]');

  return {
    /** Shows the play button as playing or not, and what pressing it will do. */
    status(s: RunStatus, playing: boolean) {
      root.dataset.status = s;
      const showPlaying = s === 'running' || (s === 'loading' && playing);
      if (!playButton) return;
      playButton.dataset.playing = String(showPlaying);
      const label = playButton.querySelector('[data-label]');
      if (label) label.textContent = showPlaying ? '일시정지' : s === 'finished' || s === 'diverged' || s === 'error' ? '다시 학습' : '재생';
    },
    progress(done: number, total: number, unit = '에폭') {
      const text = `${unit} ${done} / ${total}`;
      if (progress) {
        progress.max = Math.max(1, total);
        progress.value = Math.min(done, total);
        progress.setAttribute('aria-valuetext', text);
      }
      if (progressText) progressText.textContent = text;
    },
    alert(message: string | null) {
      if (!alertBox) return;
      alertBox.hidden = !message;
      alertBox.textContent = message ?? '';
    },
    backend(info: BackendInfo) {
      const d = describeBackend(info);
      if (backendLine) {
        backendLine.textContent = d.text;
        backendLine.classList.toggle('is-warning', d.warn);
      }
      root.dataset.backend = `${info.backend}:${info.thread}`;
      if (threadNotice) threadNotice.hidden = info.thread !== 'main';
    },
  };
}

/** The page's base URL for data files (public/data), as the worker must fetch them. */
export const DATA_URL = `${import.meta.env.BASE_URL.replace(/\/?$/, '/')}data/`;
