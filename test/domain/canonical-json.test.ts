import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalRecord, sortedKeys } from '../../src/domain/canonical-json.ts';

// Expected strings were produced by Python:
// json.dumps(v, sort_keys=True, separators=(',', ':'), ensure_ascii=True, default=str)
describe('canonicalJson matches Python json.dumps golden vectors', () => {
  it('sorts keys and escapes non-ASCII', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'é'] })).toBe('{"a":[true,null,"\\u00e9"],"b":1}');
  });

  it('writes astral characters as a lowercase surrogate pair', () => {
    expect(canonicalJson('😀')).toBe('"\\ud83d\\ude00"');
  });

  it('escapes control characters and DEL like Python', () => {
    expect(canonicalJson('\u0000\u001f\u007f\b\f\n\r\t')).toBe(
      '"\\u0000\\u001f\\u007f\\b\\f\\n\\r\\t"',
    );
  });

  it('sorts nested keys, escapes quote and backslash, leaves slash alone', () => {
    expect(canonicalJson({ z: { y: 1, b: [{ d: 1, c: 2 }] }, a: 'x/y"\\' })).toBe(
      '{"a":"x/y\\"\\\\","z":{"b":[{"c":2,"d":1}],"y":1}}',
    );
  });

  it('sorts keys by code point, not UTF-16 unit (astral after U+E000)', () => {
    expect(canonicalJson({ '\ue000': 1, '😀': 2, a: 3, B: 4 })).toBe(
      '{"B":4,"a":3,"\\ue000":1,"\\ud83d\\ude00":2}',
    );
  });

  it('formats floats like Python repr', () => {
    expect(canonicalJson([1e-5, 0.0001, 1.5e-7, 123.456, -2.5e-10, 1 / 3, 1e16 / 3])).toBe(
      '[1e-05,0.0001,1.5e-07,123.456,-2.5e-10,0.3333333333333333,3333333333333333.5]',
    );
  });

  it('formats floats like Python repr around the exponent thresholds', () => {
    expect(canonicalJson([0.0001, -0.0001, 9.99e-5, 0.00012345, 123456789012345.6, -0.5, 2.5e-300, 5e-324])).toBe(
      '[0.0001,-0.0001,9.99e-05,0.00012345,123456789012345.6,-0.5,2.5e-300,5e-324]',
    );
  });

  it('writes integral numbers as Python ints (1.0 becomes 1, 1e21 stays digits)', () => {
    expect(canonicalJson([1.0, -0, 1e21])).toBe('[1,0,1000000000000000000000]');
  });
});

describe('canonicalJson JS-specific values', () => {
  it('rejects NaN and Infinity', () => {
    expect(() => canonicalJson({ a: NaN })).toThrow(RangeError);
    expect(() => canonicalJson([Infinity])).toThrow(RangeError);
  });

  it('writes Date as its ISO string', () => {
    expect(canonicalJson({ at: new Date(Date.UTC(2024, 10, 26, 12, 0, 0, 5)) })).toBe(
      '{"at":"2024-11-26T12:00:00.005Z"}',
    );
  });

  it('writes bigint as a number literal', () => {
    expect(canonicalJson({ n: 12345678901234567890n })).toBe('{"n":12345678901234567890}');
  });

  it('skips undefined object values and writes undefined array items as null', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });

  it('falls back to String() for other values, like default=str', () => {
    expect(canonicalJson([Symbol('s'), new Map()])).toBe('["Symbol(s)","[object Map]"]');
  });

  it('keeps a "__proto__" key as data', () => {
    expect(canonicalJson(JSON.parse('{"__proto__":{"x":1},"a":2}'))).toBe(
      '{"__proto__":{"x":1},"a":2}',
    );
  });

  it('throws on circular references instead of recursing forever', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => canonicalJson(a)).toThrow(/circular/);
  });

  it('allows the same object twice when it is not its own ancestor', () => {
    const shared = { x: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });
});

describe('sortedKeys and canonicalRecord', () => {
  const KEYS = ['z', 'a', '\ue000', '😀', 'é', 'A', '', 'aa', 'a\u0000', 'b', '\ud7ff', '\uffff'];

  it('sorts keys in code point order, for few keys and for many', () => {
    const byCodePoint = (keys: string[]) => [...keys].sort((x, y) => {
      const a = [...x].map((c) => c.codePointAt(0)!);
      const b = [...y].map((c) => c.codePointAt(0)!);
      for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
      return a.length - b.length;
    });
    const few = Object.fromEntries(KEYS.map((k) => [k, 1]));
    const many = Object.fromEntries([...KEYS, ...Array.from({ length: 30 }, (_, i) => `k${(i * 7) % 30}`)].map((k) => [k, 1]));
    expect(sortedKeys(few)).toEqual(byCodePoint(Object.keys(few)));
    expect(sortedKeys(many)).toEqual(byCodePoint(Object.keys(many)));
  });

  it('encodes a record as canonicalJson does, unset values left out', () => {
    const encode = canonicalRecord(KEYS);
    const record = Object.fromEntries(KEYS.map((k, i) => [k, i % 3 === 0 ? undefined : { v: i, list: [i, null, 'é'] }]));
    expect(encode(record)).toBe(canonicalJson(record));
    expect(encode(Object.fromEntries(KEYS.map((k) => [k, undefined])))).toBe('{}');
  });
});
