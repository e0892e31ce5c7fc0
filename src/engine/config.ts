/**
 * Default configuration, limits and validation. validateConfig never throws: it lists every
 * problem with the field and a Korean and an English explanation, so a page can show them beside
 * the controls and the CLI can print one line.
 */
import type { ConfigProblem, RunConfig } from './types';
import { DATASET_INFO, isSynthetic } from './data/index';
import { cutRange, isSplitAlgorithm, layerCount } from './split/cut';
import { BEYOND_DEFAULTS, BEYOND_LIMITS, BEYOND_NAMES, beyondProblems } from './beyond-config';
import { validateRobust } from './attacks/config';
import { SYNTHETIC_CLASSES } from './data/synthetic';
import { choiceProblem, inRange, rangeProblem, type FieldNames } from './problems';

export const ALGORITHMS = ['centralized', 'fedsgd', 'fedavg', 'fedprox', 'dpfedavg', 'scaffold', 'fedavgm', 'fedadam', 'fedyogi', 'fedadagrad', 'split', 'splitfed1', 'splitfed2'] as const;
export const DATASETS = ['circles', 'moons', 'xor', 'spiral', 'blobs', 'digits', 'mnist'] as const;
export const MODELS = ['mlp', 'cnn', '2nn'] as const;
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'linear'] as const;
export const PARTITIONS = ['iid', 'shards', 'dirichlet', 'quantity'] as const;
export const WEIGHTINGS = ['samples', 'uniform'] as const;
export const VARIANTS = ['vanilla', 'ushaped', 'vertical'] as const;
export const HANDOFFS = ['p2p', 'server'] as const;
export const DP_SAMPLINGS = ['poisson', 'fixed'] as const;

/**
 * Inclusive numeric ranges of the fields (what the controls should offer). `int` marks integer
 * fields. Ranges are generous: they exclude nonsense, not unusual experiments.
 */
export const LIMITS = {
  'dataset.noise': { min: 0, max: 1, int: false },
  /** 2D sets: points per split. Images: a cap on the training set, 0 = all. */
  'dataset.size': { min: 20, max: 5000, int: true },
  'model.hidden': { min: 1, max: 1024, int: true },
  /** Number of hidden layers of the MLP. */
  'model.hidden.length': { min: 0, max: 6, int: true },
  'partition.alpha': { min: 0.001, max: 1000, int: false },
  'partition.shardsPerClient': { min: 1, max: 100, int: true },
  clients: { min: 1, max: 1000, int: true },
  fraction: { min: 0.001, max: 1, int: false },
  localEpochs: { min: 1, max: 100, int: true },
  epochs: { min: 1, max: 10000, int: true },
  batchSize: { min: 1, max: 100000, int: true },
  lr: { min: 1e-6, max: 10, int: false },
  rounds: { min: 1, max: 10000, int: true },
  mu: { min: 0, max: 100, int: false },
  clip: { min: 0, max: 1e6, int: false },
  noise: { min: 0, max: 100, int: false },
  /** DP-FedAvg q (0 is excluded: nobody would ever train). */
  sampleRate: { min: 0.0001, max: 1, int: false },
  /** DP-FedAvg ŵ in examples (0 = uniform weights). */
  weightCap: { min: 0, max: 1e6, int: false },
  seed: { min: 0, max: 4294967295, int: true },
  /** Split family: the cut layer c (the model's own layer count bounds it further). */
  cut: { min: 1, max: 6, int: true },
  ...BEYOND_LIMITS,
} as const;

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

/**
 * A complete, valid configuration (FedAvg on circles), with any fields overridden. Naming an
 * image dataset without a size gives size 0 (all its examples), not the 2D default.
 */
export function defaultConfig(overrides: DeepPartial<RunConfig> = {}): RunConfig {
  const base: RunConfig = {
    algorithm: 'fedavg',
    dataset: { name: 'circles', noise: 0.1, size: 400 },
    model: { kind: 'mlp', hidden: [8, 8], activation: 'relu' },
    partition: { kind: 'iid', alpha: 0.5, shardsPerClient: 2 },
    clients: 4,
    fraction: 1,
    localEpochs: 2,
    epochs: 20,
    batchSize: 10,
    lr: 0.1,
    rounds: 20,
    weighting: 'samples',
    mu: 0.01,
    clip: 0,
    noise: 0,
    dpSampling: 'poisson',
    sampleRate: 1,
    weightCap: 0,
    delta: 1e-5,
    cut: 1,
    variant: 'vanilla',
    handoff: 'p2p',
    shuffle: true,
    seed: 1,
    ...BEYOND_DEFAULTS,
  };
  const { dataset, model, partition, ...rest } = overrides;
  return {
    ...base,
    ...(rest as Partial<RunConfig>),
    // A size given for the 2D sets would cap an image set: images default to all examples.
    dataset: { ...base.dataset, ...dataset, size: dataset?.size ?? (isSynthetic(dataset?.name ?? base.dataset.name) ? base.dataset.size : 0) },
    model: { ...base.model, ...(model as Partial<RunConfig['model']>), hidden: [...(model?.hidden ?? base.model.hidden)] },
    partition: { ...base.partition, ...partition },
  };
}

/** Korean and English names of the fields, for the messages. */
const NAMES: FieldNames = {
  algorithm: ['알고리즘', 'algorithm'],
  'dataset.name': ['데이터셋', 'dataset'],
  'dataset.noise': ['노이즈', 'noise level'],
  'dataset.size': ['데이터 크기', 'dataset size'],
  'model.kind': ['모델', 'model'],
  'model.hidden': ['은닉층 크기', 'hidden layer sizes'],
  'model.activation': ['활성화 함수', 'activation'],
  'partition.kind': ['데이터 분할 방식', 'partition'],
  'partition.alpha': ['디리클레 집중도 α', 'Dirichlet concentration α'],
  'partition.shardsPerClient': ['클라이언트당 샤드 수', 'shards per client'],
  clients: ['클라이언트 수 K', 'number of clients K'],
  fraction: ['참여 비율 C', 'client fraction C'],
  localEpochs: ['로컬 에폭 E', 'local epochs E'],
  epochs: ['에폭 수', 'epochs'],
  batchSize: ['배치 크기 B', 'batch size B'],
  lr: ['학습률 η', 'learning rate η'],
  rounds: ['라운드 수', 'rounds'],
  weighting: ['가중 방식', 'weighting'],
  mu: ['근접항 계수 μ', 'proximal coefficient μ'],
  clip: ['클리핑 노름 S', 'clip norm S'],
  noise: ['노이즈 배수 z', 'noise multiplier z'],
  dpSampling: ['클라이언트 표집 방식', 'client sampling'],
  sampleRate: ['참여 확률 q', 'sample rate q'],
  weightCap: ['가중치 상한 ŵ', 'weight cap ŵ'],
  delta: ['δ', 'δ'],
  seed: ['시드', 'seed'],
  shuffle: ['셔플', 'shuffle'],
  cut: ['분할 지점 c', 'cut layer c'],
  variant: ['분할 학습 구성', 'split variant'],
  handoff: ['인계 방식', 'hand-off route'],
  ...BEYOND_NAMES,
};

/** Training examples the dataset will have (the Node maximum for MNIST), for cross-field checks. */
function trainSizeOf(c: RunConfig): number {
  const d = c.dataset;
  if (isSynthetic(d.name)) return d.size;
  const info = DATASET_INFO[d.name as 'digits' | 'mnist'];
  return d.size > 0 ? Math.min(d.size, info.train) : info.train;
}

/**
 * Every problem with a configuration (empty = valid). `implemented` lists the algorithms the
 * engine can run; others are reported as not available.
 */
export function validateConfig(config: RunConfig, implemented: readonly string[] = ALGORITHMS): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const c = config as RunConfig | undefined;
  if (!c || typeof c !== 'object') {
    return [{ field: '', ko: '설정이 비어 있습니다.', en: 'the configuration is missing.' }];
  }
  const check = (field: keyof typeof LIMITS, v: unknown) => {
    if (!inRange(v, LIMITS[field])) out.push(rangeProblem(NAMES, field, LIMITS[field]));
  };
  const choice = (field: string, v: unknown, valid: readonly string[]) => {
    if (!valid.includes(v as string)) out.push(choiceProblem(NAMES, field, valid));
  };

  choice('algorithm', c.algorithm, ALGORITHMS);
  if (ALGORITHMS.includes(c.algorithm) && !implemented.includes(c.algorithm)) {
    out.push({
      field: 'algorithm',
      ko: `알고리즘 ${c.algorithm}은(는) 아직 이 엔진에서 실행할 수 없습니다.`,
      en: `algorithm ${c.algorithm} is not available in this engine yet.`,
    });
  }

  const d = c.dataset ?? ({} as RunConfig['dataset']);
  choice('dataset.name', d.name, DATASETS);
  check('dataset.noise', d.noise);
  const synthetic = (DATASETS as readonly string[]).includes(d.name) && isSynthetic(d.name);
  if (synthetic) check('dataset.size', d.size);
  else if (!(Number.isInteger(d.size) && d.size >= 0)) {
    out.push({
      field: 'dataset.size',
      ko: '데이터 크기: 0(전체) 이상의 정수여야 합니다.',
      en: 'dataset size must be an integer ≥ 0 (0 = all).',
    });
  }

  const m = c.model ?? ({} as RunConfig['model']);
  choice('model.kind', m.kind, MODELS);
  choice('model.activation', m.activation, ACTIVATIONS);
  if (!Array.isArray(m.hidden)) {
    out.push({ field: 'model.hidden', ko: '은닉층 크기: 정수 목록이어야 합니다.', en: 'hidden layer sizes must be a list of integers.' });
  } else {
    if (m.hidden.length > LIMITS['model.hidden.length'].max) {
      out.push({
        field: 'model.hidden',
        ko: `은닉층은 ${LIMITS['model.hidden.length'].max}개까지입니다.`,
        en: `at most ${LIMITS['model.hidden.length'].max} hidden layers.`,
      });
    }
    if (m.hidden.some((h) => !inRange(h, LIMITS['model.hidden']))) out.push(rangeProblem(NAMES, 'model.hidden', LIMITS['model.hidden']));
  }
  if (m.kind === 'cnn' && synthetic) {
    out.push({
      field: 'model.kind',
      ko: 'CNN은 이미지 데이터셋(digits, mnist)에서만 쓸 수 있습니다.',
      en: 'the cnn model needs an image dataset (digits or mnist).',
    });
  }

  const p = c.partition ?? ({} as RunConfig['partition']);
  choice('partition.kind', p.kind, PARTITIONS);
  check('partition.alpha', p.alpha);
  check('partition.shardsPerClient', p.shardsPerClient);

  check('clients', c.clients);
  check('fraction', c.fraction);
  check('localEpochs', c.localEpochs);
  check('epochs', c.epochs);
  if (c.batchSize !== 'all' && !inRange(c.batchSize, LIMITS.batchSize)) {
    const { min, max } = LIMITS.batchSize;
    out.push({
      field: 'batchSize',
      ko: `배치 크기 B: ${min} 이상 ${max} 이하의 정수이거나 'all'(전체를 한 배치로)이어야 합니다.`,
      en: `batch size B must be an integer from ${min} to ${max}, or 'all' (the whole set as one batch).`,
    });
  }
  check('lr', c.lr);
  check('rounds', c.rounds);
  choice('weighting', c.weighting, WEIGHTINGS);
  check('mu', c.mu);
  check('clip', c.clip);
  check('noise', c.noise);
  check('seed', c.seed);
  if (typeof c.shuffle !== 'boolean') out.push({ field: 'shuffle', ko: '셔플: true 또는 false여야 합니다.', en: 'shuffle must be true or false.' });
  choice('variant', c.variant, VARIANTS);
  choice('handoff', c.handoff, HANDOFFS);
  const splitFamily = isSplitAlgorithm(c.algorithm);
  if (splitFamily) check('cut', c.cut);
  for (const f of Object.keys(BEYOND_LIMITS) as (keyof typeof BEYOND_LIMITS)[]) check(f, c[f]);

  if (c.algorithm === 'dpfedavg') out.push(...dpProblems(c));
  if (c.algorithm === 'dpfedavg' && c.noise > 0 && !(c.clip > 0)) {
    out.push({
      field: 'noise',
      ko: '노이즈 배수 z를 쓰려면 클리핑 노름 S가 0보다 커야 합니다 (노이즈 표준편차가 S에 비례합니다).',
      en: 'a noise multiplier z needs a clip norm S > 0 (the noise scale is proportional to S).',
    });
  }

  // Poisoning and robust aggregation (attacks/config.ts); the class count bounds a backdoor's target.
  if ((DATASETS as readonly string[]).includes(d.name)) out.push(...validateRobust(c, synthetic ? SYNTHETIC_CLASSES[d.name as keyof typeof SYNTHETIC_CLASSES] : DATASET_INFO[d.name as 'digits' | 'mnist'].classes));

  // Cross-field checks only make sense once the fields themselves are valid.
  if (out.length === 0) {
    const n = trainSizeOf(c);
    if (c.clients > n) {
      out.push({
        field: 'clients',
        ko: `클라이언트 수 K(${c.clients})가 학습 예제 수(${n})보다 많습니다.`,
        en: `more clients (${c.clients}) than training examples (${n}).`,
      });
    } else if (p.kind === 'shards' && c.clients * p.shardsPerClient > n) {
      out.push({
        field: 'partition.shardsPerClient',
        ko: `샤드 수 K·S(${c.clients * p.shardsPerClient})가 학습 예제 수(${n})보다 많습니다.`,
        en: `K·S = ${c.clients * p.shardsPerClient} shards exceed the ${n} training examples.`,
      });
    }
    if (splitFamily) out.push(...splitProblems(c));
    out.push(...beyondProblems(c));
  }
  return out;
}

/** DP-FedAvg's own fields (checked only for dpfedavg, so other runs need not carry them). */
function dpProblems(c: RunConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  if (!DP_SAMPLINGS.includes(c.dpSampling)) out.push(choiceProblem(NAMES, 'dpSampling', DP_SAMPLINGS));
  if (!inRange(c.sampleRate, LIMITS.sampleRate)) out.push(rangeProblem(NAMES, 'sampleRate', LIMITS.sampleRate));
  if (!inRange(c.weightCap, LIMITS.weightCap)) out.push(rangeProblem(NAMES, 'weightCap', LIMITS.weightCap));
  if (!(typeof c.delta === 'number' && c.delta > 0 && c.delta < 1)) {
    out.push({ field: 'delta', ko: 'δ: 0보다 크고 1보다 작은 수여야 합니다.', en: 'δ must be a number strictly between 0 and 1.' });
  }
  return out;
}

/** Split family: the cut against the model's layers, and what each variant needs. */
function splitProblems(c: RunConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const L = layerCount(c.model);
  const { max } = cutRange(c.model, c.variant);
  if (c.variant === 'vertical' && c.algorithm !== 'split') {
    out.push({
      field: 'variant',
      ko: '수직 구성은 분할 학습(split)에서만 쓸 수 있습니다. SplitFed는 클라이언트마다 서로 다른 예제를 가진다고 가정합니다.',
      en: 'the vertical variant works with split only; SplitFed assumes clients hold different examples.',
    });
  }
  if (max < 1) {
    const need = c.variant === 'ushaped' ? 3 : 2;
    out.push({
      field: 'cut',
      ko: `이 모델은 층이 ${L}개뿐이라 ${c.variant === 'ushaped' ? 'U자형으로 ' : ''}나눌 수 없습니다. 층이 ${need}개 이상이 되도록 은닉층을 추가하세요.`,
      en: `a model of ${L} layer(s) cannot be split${c.variant === 'ushaped' ? ' U-shaped' : ''}; add hidden layers to reach ${need}.`,
    });
  } else if (c.cut > max) {
    const why =
      c.variant === 'ushaped'
        ? ['U자형 구성에서는 클라이언트가 출력층을 머리 부분으로 가지므로, 분할 지점과 출력층 사이에 서버가 맡을 층이 적어도 하나 있어야 합니다', 'U-shaped keeps the output layer on the client, and the server needs at least one layer before it']
        : ['서버에 적어도 한 층이 남아야 합니다', 'the server needs at least one layer'];
    out.push({
      field: 'cut',
      ko: `분할 지점 c: 이 모델(층 ${L}개)에서는 1 이상 ${max} 이하여야 합니다. ${why[0]}.`,
      en: `cut layer c must be from 1 to ${max} for this model of ${L} layers (${why[1]}).`,
    });
  }
  if (c.variant === 'vertical') {
    const rows = isSynthetic(c.dataset.name) ? 2 : DATASET_INFO[c.dataset.name as 'digits' | 'mnist'].inputShape[0];
    if (c.clients > rows) {
      out.push({
        field: 'clients',
        ko: `수직 구성: 클라이언트 수 K(${c.clients})가 입력을 나눠 가질 수 있는 ${isSynthetic(c.dataset.name) ? '특성' : '이미지 행'} 수(${rows})보다 많습니다.`,
        en: `vertical split: ${c.clients} clients cannot share the ${rows} ${isSynthetic(c.dataset.name) ? 'features' : 'image rows'} of the input.`,
      });
    }
  }
  return out;
}

/** Thrown by run() for an invalid configuration; carries the problems. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.en}`).join(' '));
    this.name = 'ConfigError';
  }
}
