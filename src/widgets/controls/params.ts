/**
 * Parameter-table entries that many widgets share, written once beside the controls that show
 * them (`control: 'seed'` is Seed.astro, `control: 'speed'` Speed.astro): the run's seed and the
 * speed at which a live run is watched (a view setting: it paces the worker, the run goes on),
 * the data split's label and default, and the Korean names of choices that several tables offer.
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

/** How the clients' data is split: the label and the IID default; each table lists its own choices. */
export const PARTITION = { type: 'choice', label: '데이터 분할', default: 'iid' } as const;

/** Korean names of choices that several tables offer (2D datasets, activations), written once. */
const NAMES = {
  moons: '반달 두 개',
  circles: '동심원',
  xor: 'XOR (네 구역)',
  blobs: '가우스 덩어리 4개',
  spiral: '나선',
  relu: 'ReLU',
  tanh: 'tanh',
} as const;

/** A choice list from the shared names, in the order given: `choicesOf('relu', 'tanh')`. */
export function choicesOf<const K extends keyof typeof NAMES>(...values: K[]): { value: K; label: string }[] {
  return values.map((value) => ({ value, label: NAMES[value] }));
}

/** The activation of a small MLP, ReLU or tanh (the split-learning widgets; the centralized one adds two more). */
export const ACTIVATION = { type: 'choice', label: '활성화 함수', default: 'relu', choices: choicesOf('relu', 'tanh') } as const;

/** Korean label of a choice value from a parameter table entry. */
export function choiceLabel(spec: { choices: readonly { value: string; label: string }[] }, value: string): string {
  return spec.choices.find((c) => c.value === value)?.label ?? value;
}

/** Choices labelled by their own value (batch sizes): `plainChoices('8', '16')`. */
export function plainChoices<const V extends string>(...values: V[]): { value: V; label: string }[] {
  return values.map((value) => ({ value, label: value }));
}
