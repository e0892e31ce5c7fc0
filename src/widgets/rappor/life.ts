/**
 * What the "life of a report" view says about one person, as plain data (no DOM): Rappor.astro
 * writes it for the default settings, so the section is at its height before the widget mounts,
 * and ./main.ts writes it for the reader's settings.
 */
import type { RapporParams, RapporReport } from '~/engine/privacy/rappor';

/** A bit vector as a string of 0s and 1s. */
export const bits = (b: Uint8Array) => Array.from(b).join('');

/** The view's title, bit strings (B, B′, then each report S) and note for one person's reports. */
export function lifeText(person: number, cohort: number, reports: readonly RapporReport[], params: Pick<RapporParams, 'k' | 'p' | 'q'>) {
  const last = reports[reports.length - 1];
  const rows: [string, string][] = [['B', bits(last.bloom)], ['B′', bits(last.prr)], ...reports.map((r, i): [string, string] => [`S${i + 1}`, bits(r.irr)])];
  const forced = last.prrPath.reduce((a, x) => a + (x ? 1 : 0), 0);
  const note =
    `영구 단계에서 ${params.k}비트 가운데 ${forced}비트를 동전이 정했습니다. B′은 이 값에 대해 한 번만 만들어 기억해 두므로 보고를 거듭해도 그대로이고, ` +
    `S는 보고마다 새로 뽑힙니다. 보고가 많아질수록 S의 평균은 B가 아니라 B′ 쪽(1인 비트는 ${params.q}, 0인 비트는 ${params.p})으로 다가갑니다.`;
  return { title: `한 사람(${person}번, 코호트 ${cohort})의 보고가 만들어지는 과정`, rows, note };
}
