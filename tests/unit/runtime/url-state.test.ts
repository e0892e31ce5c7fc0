import { describe, expect, test } from 'vitest';
import { checkValue, defaults, formatReadout, parse, serialize, snapNumber, validate, type ParamTable } from '~/runtime/url-state';
import { params as central } from '~/widgets/central-playground/params';

const table = {
  lr: { type: 'number', label: '학습률', default: 0.1, min: 0.001, max: 10, values: [0.001, 0.01, 0.1, 1, 10] },
  noise: { type: 'number', label: '노이즈', default: 0.1, min: 0, max: 0.5, step: 0.05 },
  units: { type: 'number', label: '뉴런 수', default: 8, min: 1, max: 32, step: 1 },
  data: { type: 'choice', label: '데이터셋', default: 'circles', choices: [{ value: 'circles', label: '원' }, { value: 'spiral', label: '나선' }] },
  test: { type: 'boolean', label: '테스트', default: false },
} as const satisfies ParamTable;

describe('parse', () => {
  test('reads our namespace and ignores other ones', () => {
    const { values, notices } = parse('central', table, '?central.lr=1&central.data=spiral&other.lr=5&x=1');
    expect(values).toEqual({ lr: 1, noise: 0.1, units: 8, data: 'spiral', test: false });
    expect(notices).toEqual([]);
  });

  test('an empty address gives the defaults without notices', () => {
    expect(parse('central', table, '')).toEqual({ values: defaults(table), notices: [] });
  });

  test('clamps out-of-range numbers and says so in Korean', () => {
    const { values, notices } = parse('central', table, 'central.noise=7&central.units=-3');
    expect(values.noise).toBe(0.5);
    expect(values.units).toBe(1);
    expect(notices.map((n) => n.reason)).toEqual(['above', 'below']);
    expect(notices[0].message).toBe('노이즈: 허용 범위를 넘는 값이라 최댓값으로 맞췄습니다.');
    expect(notices[1].message).toContain('최솟값');
  });

  test('garbage falls back to the default with a notice', () => {
    for (const raw of ['abc', '', ' ', 'NaN', 'Infinity', '-Infinity', '0x10', '1e', '1,5', '１', '%00']) {
      const { values, notices } = parse('central', table, `central.units=${encodeURIComponent(raw)}`);
      expect(values.units, raw).toBe(8);
      expect(notices, raw).toHaveLength(1);
      expect(notices[0].reason).toBe('invalid');
      expect(notices[0].message).toBe('뉴런 수: 주소에 적힌 값을 쓸 수 없어 기본값으로 되돌렸습니다.');
    }
  });

  test('snaps to the grid: steps, integers and listed values', () => {
    const { values, notices } = parse('central', table, 'central.noise=0.12&central.units=3.6&central.lr=0.02');
    expect(values.noise).toBe(0.1);
    expect(values.units).toBe(4);
    expect(values.lr).toBe(0.01); // nearest on a log scale: 0.02 is 2× 0.01 and 5× below 0.1
    expect(notices.map((n) => n.reason)).toEqual(['snapped', 'snapped', 'snapped']);
  });

  test('float noise in a number is not a correction', () => {
    const { values, notices } = parse('central', table, 'central.noise=0.30000000000000004');
    expect(values.noise).toBe(0.3);
    expect(notices).toEqual([]);
  });

  test('choices and booleans', () => {
    expect(parse('central', table, 'central.data=SPIRAL').values.data).toBe('circles');
    expect(parse('central', table, 'central.test=1').values.test).toBe(true);
    expect(parse('central', table, 'central.test=true').values.test).toBe(true);
    expect(parse('central', table, 'central.test=0').values.test).toBe(false);
    const bad = parse('central', table, 'central.test=yes');
    expect(bad.values.test).toBe(false);
    expect(bad.notices[0].reason).toBe('invalid');
  });

  test('unknown keys in the namespace are reported, sanitised', () => {
    const { notices } = parse('central', table, 'central.<img src=x>=1&central.__proto__=1&central.constructor=2');
    expect(notices.map((n) => n.reason)).toEqual(['unknown', 'unknown', 'unknown']);
    for (const n of notices) expect(n.message).not.toMatch(/[<>]/);
  });

  test('prototype keys never leak into values', () => {
    const { values } = parse('central', table, 'central.toString=1&central.hasOwnProperty=2');
    expect(Object.keys(values).sort()).toEqual(['data', 'lr', 'noise', 'test', 'units']);
  });

  test('the first of repeated keys wins', () => {
    expect(parse('central', table, 'central.units=4&central.units=9').values.units).toBe(4);
  });

  test('500 random query strings never throw and always give valid values', () => {
    // A fixed-seed generator: the test is the same every time.
    let s = 12345;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = ['central.', 'lr', 'units', 'noise', 'data', 'test', '=', '&', '%', '%E0%A4%A', '%ZZ', '+', '#', '?', '1', '-', '.', 'e9', 'spiral', '\u0000', '한', '🎲'];
    for (let i = 0; i < 500; i++) {
      let q = '';
      const len = Math.floor(rand() * 20);
      for (let j = 0; j < len; j++) q += alphabet[Math.floor(rand() * alphabet.length)];
      const { values } = parse('central', table, q);
      expect(validate(table, values)).toEqual(values);
    }
  });
});

describe('serialize', () => {
  test('round-trips every value and keeps other parameters', () => {
    const values = { lr: 10, noise: 0.35, units: 32, data: 'spiral', test: true } as const;
    const q = serialize('central', table, values, 'a=1&central.old=2&fed.k=3');
    const p = new URLSearchParams(q);
    expect(p.get('a')).toBe('1');
    expect(p.get('fed.k')).toBe('3');
    expect(p.get('central.old')).toBeNull();
    expect(q).toContain('central.lr=10');
    expect(q).toContain('central.noise=0.35');
    expect(parse('central', table, q)).toEqual({ values, notices: [] });
  });

  test('the widget tables round-trip their defaults and extremes', () => {
    for (const t of [central] as ParamTable[]) {
      const lo: Record<string, unknown> = {};
      const hi: Record<string, unknown> = {};
      for (const [k, spec] of Object.entries(t)) {
        if (spec.type === 'number') {
          lo[k] = spec.values ? spec.values[0] : spec.min;
          hi[k] = spec.values ? spec.values[spec.values.length - 1] : spec.max;
        } else if (spec.type === 'choice') {
          lo[k] = spec.choices[0].value;
          hi[k] = spec.choices[spec.choices.length - 1].value;
        } else {
          lo[k] = false;
          hi[k] = true;
        }
      }
      for (const v of [defaults(t), lo, hi]) {
        const back = parse('w', t, serialize('w', t, v as never));
        expect(back.notices).toEqual([]);
        expect(back.values).toEqual(v);
      }
    }
  });
});

describe('values', () => {
  test('every default of the widget tables is valid on its own table', () => {
    for (const [k, spec] of Object.entries(central as ParamTable)) {
      const raw = spec.type === 'boolean' ? (spec.default ? '1' : '0') : String(spec.default);
      expect(checkValue(spec, raw), k).toEqual({ value: spec.default });
    }
  });

  test('snapNumber keeps listed values and rounds steps without float noise', () => {
    expect(snapNumber(table.noise, 0.15000000001)).toBe(0.15);
    expect(snapNumber(table.lr, 0.5)).toBe(1);
    expect(snapNumber(table.lr, 0.2)).toBe(0.1);
  });

  test('readouts', () => {
    expect(formatReadout(central.lr, 0.0001)).toBe('0.0001');
    expect(formatReadout(central.epochs, 100)).toBe('100 에폭');
    expect(formatReadout(central.data, 'spiral')).toBe('나선');
    expect(formatReadout(central.test, true)).toBe('켬');
  });
});
