/**
 * The ε calculator's plain-Korean reading of (ε, δ): written by main.ts after every change, and
 * for the default settings by EpsilonCalculator.astro on the server, so that the paragraph has its
 * final length before the calculator mounts (a one-line loading note in its place grew by 74 px at
 * 700 px and by 171 px at 360 px when the reading replaced it, pushing the curve down).
 */
import { formatDelta, formatRatio } from '../renderers/format';

/** The plain-Korean reading of (ε, δ). */
export function reading(epsilon: number, delta: number): string {
  const ratio = Math.exp(epsilon);
  const r = formatRatio(ratio);
  const base = 0.01;
  const example = ratio * base < 1 ? ` 예를 들어 그 사람이 없을 때 1%의 확률로 일어나는 일이라면, 그 사람이 있을 때도 많아야 ${(ratio * base * 100).toPrecision(3)}%의 확률로 일어납니다.` : '';
  const weak = epsilon > 10 ? ' 이 정도면 배수가 너무 커서 사실상 보호가 없다고 봐야 합니다.' : epsilon < 1 ? ' 이 정도면 강한 보호로 여겨집니다.' : '';
  return `이 설정의 ε(= ${epsilon.toFixed(2)})이 뜻하는 것: 어떤 한 사람의 데이터가 학습에 들어가든 빠지든, 학습 결과로 일어날 수 있는 어떤 일이든 그 확률이 많아야 e^ε ≈ ${r}배까지만 달라집니다.${example} 이 상한이 지켜지지 않을 확률은 δ = ${formatDelta(delta)} 이하입니다.${weak}`;
}
