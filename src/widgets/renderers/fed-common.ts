/**
 * Page-side helpers the federated-learning widgets (chapter 3) share: the status line, the play
 * button, the progress bar, the alert box, chart export, and the few formats every summary uses.
 * Plain DOM over the shared controls' markup (src/widgets/controls/); nothing here learns.
 */
import type { BackendInfo } from '~/runtime/protocol';
import { downloadPng, downloadSvg, stamp, svgDocument } from '~/runtime/export';
import { describeBackend } from './run-status';

export type Status = 'loading' | 'running' | 'paused' | 'finished' | 'diverged' | 'error';

/** Where the worker fetches digits and MNIST from (the site's public/data, under its base path). */
export const DATA_URL = `${import.meta.env.BASE_URL.replace(/\/?$/, '/')}data/`;

export const pct = (x: number, digits = 1) => (Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '—');
export const num = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '—');

/** Korean byte counts: 512 B, 3.2 kB, 1.4 MB. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1000).toFixed(n < 1e4 ? 1 : 0)} kB`;
  return `${(n / 1e6).toFixed(n < 1e7 ? 2 : 1)} MB`;
}

/** The shared status elements of one widget. */
export function statusUi(root: HTMLElement) {
  const q = <E extends Element = HTMLElement>(sel: string) => root.querySelector<E & Element>(sel);
  const playButton = q<HTMLButtonElement>('[data-action="toggle-play"]');
  const progress = q<HTMLProgressElement>('[data-progress]');
  const progressText = q('[data-progress-text]');
  const backendLine = q('[data-backend]');
  const threadNotice = q('[data-thread-notice]');
  const alertBox = q('[data-alert]');
  const paramLine = q('[data-parameters]');

  return {
    /** Sets data-status and the play button ("일시정지", "재생" or "다시 학습"). */
    status(s: Status, playing: boolean, restartLabel = '다시 학습') {
      root.dataset.status = s;
      const showPlaying = s === 'running' || (s === 'loading' && playing);
      if (!playButton) return;
      playButton.dataset.playing = String(showPlaying);
      const label = playButton.querySelector('[data-label]');
      if (label) label.textContent = showPlaying ? '일시정지' : s === 'finished' || s === 'diverged' || s === 'error' ? restartLabel : '재생';
    },
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

/**
 * Downloads one view as SVG or PNG. `source` gives a standalone SVG document (renderers with a
 * toSvg) or an on-screen SVG element (Plot charts), or null when nothing is drawn yet.
 */
export function exportView(kind: 'png' | 'svg', name: string, source: string | SVGSVGElement | null, notify: (m: string) => void): void {
  if (!source) {
    notify('아직 내려받을 그림이 없습니다. 학습이 시작된 뒤에 다시 눌러 주세요.');
    return;
  }
  const text = typeof source === 'string' ? source : svgDocument(source);
  const file = `${name}-${stamp()}`;
  if (kind === 'svg') downloadSvg(text, `${file}.svg`);
  else void downloadPng(text, `${file}.png`).catch((err) => notify(String(err instanceof Error ? err.message : err)));
}

/** Korean label of a choice value from a parameter table entry. */
export function choiceLabel(spec: { choices: readonly { value: string; label: string }[] }, value: string): string {
  return spec.choices.find((c) => c.value === value)?.label ?? value;
}

/**
 * Calls `draw` at most once per animation frame, however often `schedule` is called: events can
 * arrive in bursts of dozens per frame, and the page should paint once.
 */
export function frameScheduler(draw: () => void): { schedule(): void; cancel(): void } {
  let frame = 0;
  return {
    schedule() {
      if (!frame) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          draw();
        });
      }
    },
    cancel() {
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
    },
  };
}
