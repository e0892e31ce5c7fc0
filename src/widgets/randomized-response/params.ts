/**
 * The randomized-response widget's settings (`?rr.…`): one table for the URL, the
 * server-rendered controls and the simulation.
 */
import type { PanelOf, ParamTable, Values } from '~/runtime/url-state';
import { SEED } from '../controls/params';

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
  n: { type: 'number', label: '응답자 수', default: 1000, min: 100, max: 10000, values: [100, 200, 500, 1000, 2000, 5000, 10000], unit: '명' },
  rate: { type: 'number', label: '참 비율 (실제로 "예"인 사람)', default: 30, min: 0, max: 100, step: 1, unit: '%' },
  runs: { type: 'number', label: '오차 차트의 반복 횟수', default: 100, min: 20, max: 200, values: [20, 50, 100, 200], unit: '회' },
  seed: SEED,
  reveal: { type: 'boolean', label: '조사자가 모르는 것(참값, 동전)도 보기', default: true },
} as const satisfies ParamTable;

export type RrParams = typeof params;
export type RrValues = Values<RrParams>;

/** The settings panel; f and π belong to one form of the mechanism each. */
export const panel: PanelOf<RrParams> = {
  groups: [
    { title: '설문', settings: ['n', 'rate', 'seed'] },
    { title: '무작위 응답', settings: ['form', 'f', 'pi'] },
    { title: '보기', settings: ['reveal', 'runs'] },
  ],
  hints: {
    rate: '조사자는 이 값을 모릅니다. 추정해야 할 값입니다.',
    f: '확률 f로는 동전을 한 번 더 던져 나온 대로 답하고, 1 − f로는 참값을 답합니다.',
    pi: '확률 π로는 참값을, 1 − π로는 그 반대를 답합니다.',
  },
  showWhen: {
    f: 'form=coin',
    pi: 'form=pi',
  },
};

/** How many people the grid draws (the rest are counted, not drawn). */
export const GRID_PEOPLE = 400;
