/**
 * Configuration of what goes beyond plain FedAvg: SCAFFOLD's and the server optimizers' settings,
 * client dropouts and stragglers, and personalization. Kept apart from config.ts (which spreads
 * these tables into its own) so that the rest of the engine's configuration stays readable.
 * tfjs-free: pages import it for the ranges and the lists of algorithms.
 */
import type { Algorithm, ConfigProblem, RunConfig } from './types';

/** Algorithms whose server treats the averaged update as a pseudo-gradient (Hsu et al. 2019; Reddi et al. 2021). */
export const SERVER_OPTIMIZERS = ['fedavgm', 'fedadam', 'fedyogi', 'fedadagrad'] as const;
export type ServerOptimizerName = (typeof SERVER_OPTIMIZERS)[number];

/** The federated family: a server sends a model to sampled clients each round. */
export const FEDERATED_ALGORITHMS = ['fedsgd', 'fedavg', 'fedprox', 'dpfedavg', 'scaffold', ...SERVER_OPTIMIZERS] as const;

export function isServerOptimizer(a: Algorithm): a is ServerOptimizerName {
  return (SERVER_OPTIMIZERS as readonly string[]).includes(a);
}

export function isFederated(a: Algorithm): boolean {
  return (FEDERATED_ALGORITHMS as readonly string[]).includes(a);
}

/** Federated algorithms whose clients run local epochs (all but FedSGD): stragglers apply to them. */
export function hasLocalEpochs(a: Algorithm): boolean {
  return isFederated(a) && a !== 'fedsgd';
}

/** Inclusive ranges (config.ts merges them into LIMITS). */
export const BEYOND_LIMITS = {
  serverLr: { min: 1e-6, max: 10, int: false },
  /** β < 1: with β = 1 the momentum never forgets and grows without bound. */
  serverMomentum: { min: 0, max: 0.999, int: false },
  beta1: { min: 0, max: 0.999, int: false },
  beta2: { min: 0, max: 0.9999, int: false },
  /** τ > 0: the first round divides by √v + τ with v = τ², and a zero update must not give 0/0. */
  tau: { min: 1e-9, max: 10, int: false },
  /** Below 1: with p = 1 no update ever comes back and the model never changes. */
  dropout: { min: 0, max: 0.95, int: false },
  stragglers: { min: 0, max: 1, int: false },
  personalizeEpochs: { min: 0, max: 100, int: true },
} as const;

/**
 * Defaults: the server step 1 and β = 0.9 of FedAvgM as Hsu et al. use it; β₁ = 0.9, β₂ = 0.99,
 * τ = 10⁻³ as in Reddi et al.'s experiments. The adaptive optimizers need a much smaller server
 * step than 1 (Reddi et al. tune it on a grid around 10⁻²); a caller choosing one sets serverLr.
 */
export const BEYOND_DEFAULTS = {
  serverLr: 1,
  serverMomentum: 0.9,
  beta1: 0.9,
  beta2: 0.99,
  tau: 1e-3,
  dropout: 0,
  stragglers: 0,
  personalizeEpochs: 0,
} satisfies Pick<RunConfig, keyof typeof BEYOND_LIMITS>;

/** Korean and English names of the fields, for the messages. */
export const BEYOND_NAMES: Record<keyof typeof BEYOND_LIMITS, [string, string]> = {
  serverLr: ['서버 학습률 η_g', 'server learning rate η_g'],
  serverMomentum: ['서버 모멘텀 β', 'server momentum β'],
  beta1: ['1차 모멘트 감쇠 β₁', 'first-moment decay β₁'],
  beta2: ['2차 모멘트 감쇠 β₂', 'second-moment decay β₂'],
  tau: ['적응도 τ', 'adaptivity τ'],
  dropout: ['이탈 확률', 'dropout probability'],
  stragglers: ['느린 클라이언트 비율', 'straggler probability'],
  personalizeEpochs: ['개인화 에폭', 'personalization epochs'],
};

/** Cross-field problems (called once every field is in range). */
export function beyondProblems(c: RunConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const federated = isFederated(c.algorithm);
  if (!federated) {
    const fields: Array<[keyof typeof BEYOND_LIMITS, string, string]> = [
      ['dropout', '이탈', 'dropouts'],
      ['stragglers', '느린 클라이언트', 'stragglers'],
      ['personalizeEpochs', '개인화', 'personalization'],
    ];
    for (const [field, ko, en] of fields) {
      if (c[field] > 0) {
        out.push({
          field,
          ko: `${ko}은(는) 연합 학습 알고리즘(fedavg, fedprox, scaffold 등)에서만 쓸 수 있습니다.`,
          en: `${en} apply to the federated algorithms only (fedavg, fedprox, scaffold, …), not to ${c.algorithm}.`,
        });
      }
    }
  } else if (c.algorithm === 'fedsgd' && c.stragglers > 0) {
    out.push({
      field: 'stragglers',
      ko: 'FedSGD의 클라이언트는 로컬 에폭 없이 기울기 한 번만 보내므로 느린 클라이언트(일부 에폭만 수행)를 설정할 수 없습니다.',
      en: 'FedSGD clients send one gradient and run no local epochs, so stragglers (fewer epochs) do not apply.',
    });
  }
  return out;
}
