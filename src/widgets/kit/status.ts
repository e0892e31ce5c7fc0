/**
 * The one status and alert UI of the training widgets: the run's status (data-status and the
 * play button's label), the progress bar, the alert box, the backend line and the parameter
 * line, over the shared controls' markup (src/widgets/controls/).
 */
import type { BackendInfo } from '~/runtime/protocol';
import { setData, setText } from '../renderers/outputs';

/**
 * Where a run is: `loading` until its first event, then `running` or `paused`, and at the end
 * `finished`, `diverged` (the loss blew up), `error` (outside the engine) or `invalid` (the
 * settings cannot train; nothing runs until they change).
 */
export type Status = 'loading' | 'running' | 'paused' | 'finished' | 'diverged' | 'error' | 'invalid';

/** Statuses after which play starts a fresh run. */
export const ENDED: readonly Status[] = ['finished', 'diverged', 'error'];

/**
 * A training widget's summary sentence: `head` (what is being trained), then where the run is.
 * A diverged run, and one with nothing to report yet (`body` null), end in fixed words; otherwise
 * `body` writes the rest, given the run's state in words.
 */
export function runSentence(status: Status, head: string, body: ((state: string) => string) | null): string {
  if (status === 'diverged') return `${head}: 학습이 발산해 멈췄습니다.`;
  if (!body) return `${head}: 학습을 준비하고 있습니다.`;
  return `${head}: ${body(status === 'finished' ? '학습을 마쳤습니다' : status === 'paused' ? '일시정지' : '학습 중')}`;
}

/** Why training runs on the slower CPU backend, when it does. */
const FALLBACK = {
  'no-webassembly': ' — 이 브라우저에서 WebAssembly를 쓸 수 없어 더 느린 방식으로 학습합니다.',
  'wasm-failed': ' — WebAssembly를 시작하지 못해 더 느린 방식으로 학습합니다.',
};

/** The shared status elements of one widget (any of them may be missing). */
export function statusView(root: HTMLElement) {
  const q = <E extends Element = HTMLElement>(sel: string) => root.querySelector<E & Element>(sel);
  const playButton = q<HTMLButtonElement>('[data-action="toggle-play"]');
  const progress = q<HTMLProgressElement>('[data-progress]');
  const progressText = q('[data-progress-text]');
  const backendLine = q('[data-backend]');
  const threadNotice = q('[data-thread-notice]');
  const alertBox = q('[data-alert]');
  const paramLine = q('[data-parameters]');

  return {
    /** Sets data-status and the play button: "일시정지", "재생", or `restart` after the end. */
    status(s: Status, playing: boolean, restart = '다시 학습') {
      setData(root, 'status', s);
      const showPlaying = s === 'running' || (s === 'loading' && playing);
      if (!playButton) return;
      setData(playButton, 'playing', String(showPlaying));
      const label = playButton.querySelector('[data-label]');
      if (label) setText(label, showPlaying ? '일시정지' : ENDED.includes(s) ? restart : '재생');
    },
    /** The progress bar and its text (e.g. `라운드 3 / 20`). */
    progress(done: number, total: number, text: string) {
      // The text says done and total: unchanged (a sequence's rounds within one run), nothing is
      // written; otherwise only what differs (a sequence's total stays while its step changes).
      if (progressText?.textContent === text) return;
      if (progress) {
        const value = Math.max(0, Math.min(done, total));
        if (progress.max !== Math.max(1, total)) progress.max = Math.max(1, total);
        if (progress.value !== value) progress.value = value;
        if (progress.getAttribute('aria-valuetext') !== text) progress.setAttribute('aria-valuetext', text);
      }
      if (progressText) progressText.textContent = text;
    },
    /** Shows or clears the alert box. */
    alert(message: string | null) {
      if (!alertBox) return;
      alertBox.hidden = !message;
      setText(alertBox, message ?? '');
    },
    /** Where training runs; a warning when it is the slower path or the page's main thread. */
    backend(info: BackendInfo) {
      setData(root, 'backend', `${info.backend}:${info.thread}`);
      if (threadNotice) threadNotice.hidden = info.thread !== 'main';
      if (!backendLine) return;
      const where = info.thread === 'worker' ? '작업자 스레드(Web Worker)' : '이 페이지의 메인 스레드';
      const fallback = info.fallback ? FALLBACK[info.fallback] : '';
      setText(backendLine, info.backend === 'wasm' ? `계산: WebAssembly${info.simd ? ' (SIMD)' : ''} · ${where}` : `계산: CPU (JavaScript) · ${where}${fallback}`);
      backendLine.classList.toggle('is-warning', info.thread === 'main' || (info.backend !== 'wasm' && Boolean(info.fallback)));
    },
    /** The line under the controls about the model's size. */
    parameters(text: string) {
      if (paramLine) paramLine.textContent = text;
    },
  };
}

export type StatusView = ReturnType<typeof statusView>;
