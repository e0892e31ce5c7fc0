/**
 * The one status and alert UI of the training widgets: the run's status (data-status and the
 * play button's label), the progress bar, the alert box, the backend line and the parameter
 * line, over the shared controls' markup (src/widgets/controls/). Also the few formats every
 * summary uses, so that every chapter prints numbers and bytes the same way.
 */
import type { BackendInfo } from '~/runtime/protocol';

/**
 * Where a run is: `loading` until its first event, then `running` or `paused`, and at the end
 * `finished`, `diverged` (the loss blew up), `error` (outside the engine) or `invalid` (the
 * settings cannot train; nothing runs until they change).
 */
export type Status = 'loading' | 'running' | 'paused' | 'finished' | 'diverged' | 'error' | 'invalid';

/** Statuses after which play starts a fresh run. */
export const ENDED: readonly Status[] = ['finished', 'diverged', 'error'];

/** Where the worker fetches digits and MNIST from (the site's public/data, under its base path). */
export const DATA_URL = `${import.meta.env.BASE_URL.replace(/\/?$/, '/')}data/`;

/** Subscript digits for model names: w₁₂. */
export const subscript = (n: number): string => String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);

export const pct = (x: number, digits = 1) => (Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '—');
export const num = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '—');

/** Byte counts as every chapter prints them, three significant digits: 512 B, 3.20 kB, 45.0 kB, 1.40 MB. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (Math.abs(n) < 1000) return `${Math.round(n)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(Math.abs(v) < 10 ? 2 : Math.abs(v) < 100 ? 1 : 0)} ${units[i]}`;
}

/** Korean label of a choice value from a parameter table entry. */
export function choiceLabel(spec: { choices: readonly { value: string; label: string }[] }, value: string): string {
  return spec.choices.find((c) => c.value === value)?.label ?? value;
}

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
      root.dataset.status = s;
      const showPlaying = s === 'running' || (s === 'loading' && playing);
      if (!playButton) return;
      playButton.dataset.playing = String(showPlaying);
      const label = playButton.querySelector('[data-label]');
      if (label) label.textContent = showPlaying ? '일시정지' : ENDED.includes(s) ? restart : '재생';
    },
    /** The progress bar and its text (e.g. `라운드 3 / 20`). */
    progress(done: number, total: number, text: string) {
      if (progress) {
        progress.max = Math.max(1, total);
        progress.value = Math.max(0, Math.min(done, total));
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
    parameters(text: string) {
      if (paramLine) paramLine.textContent = text;
    },
  };
}

export type StatusView = ReturnType<typeof statusView>;
