/**
 * The randomized-response widget's settings (`?rr.…`): one table for the URL, the
 * server-rendered controls and the simulation.
 */
import type { ParamTable, Values } from '~/runtime/url-state';
import { SEED } from '../kit/params';

/** Population sizes offered (a slider over this list). */
export const POPULATIONS = [100, 200, 500, 1000, 2000, 5000, 10000] as const;

/** The ε grid of the error chart (π form, π = e^ε / (1 + e^ε)). */
export const EPSILON_GRID = [0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4, 5] as const;

export const params = {
  form: {
    type: 'choice',
    label: '무작위화 방식',
    default: 'coin',
    choices: [
      { value: 'coin', label: '동전 던지기 (f)' },
      { value: 'pi', label: '참말 확률 (π)' },
    ],
  },
  f: { type: 'number', label: '동전에 맡길 확률 f', default: 0.5, min: 0.05, max: 0.95, step: 0.05 },
  pi: { type: 'number', label: '참말을 할 확률 π', default: 0.75, min: 0.55, max: 0.99, step: 0.01 },
  n: { type: 'number', label: '응답자 수', default: 1000, min: POPULATIONS[0], max: POPULATIONS[POPULATIONS.length - 1], values: POPULATIONS, unit: '명' },
  rate: { type: 'number', label: '참 비율 (실제로 "예"인 사람)', default: 30, min: 0, max: 100, step: 1, unit: '%' },
  runs: { type: 'number', label: '오차 차트의 반복 횟수', default: 100, min: 20, max: 200, values: [20, 50, 100, 200], unit: '회' },
  seed: SEED,
  reveal: { type: 'boolean', label: '조사자가 모르는 것(참값, 동전)도 보기', default: true },
} as const satisfies ParamTable;

export type RrParams = typeof params;
export type RrValues = Values<RrParams>;

/** How many people the grid draws (the rest are counted, not drawn). */
export const GRID_PEOPLE = 400;
