/**
 * Entries that many widgets' parameter tables share, written once: the run's seed and the speed
 * at which a live run is watched (a view setting: it paces the worker, the run goes on).
 */
export const SEED = { type: 'number', control: 'seed', label: '시드', default: 1, min: 0, max: 99999, step: 1 } as const;

export const SPEED = {
  type: 'choice',
  control: 'speed',
  view: true,
  label: '속도',
  default: 'normal',
  choices: [
    { value: 'slow', label: '느리게' },
    { value: 'normal', label: '보통' },
    { value: 'fast', label: '빠르게' },
  ],
} as const;
