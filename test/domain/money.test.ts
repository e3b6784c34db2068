import { describe, expect, it } from 'vitest';
import {
  formatCents,
  MICROCENTS_PER_CENT,
  microcentsToUsd,
  parseCents,
  usdToMicrocents,
} from '../../src/domain/money.ts';

describe('parseCents from strings', () => {
  it.each([
    ['12', 12_000_000n],
    ['0.000001', 1n],
    ['1.5', 1_500_000n],
    ['0', 0n],
    [' 7 ', 7_000_000n],
    ['1.50000000', 1_500_000n],
    ['9000000000000', 9_000_000_000_000n * MICROCENTS_PER_CENT],
    ['123456789.123456', 123_456_789_123_456n],
  ])('%s -> %s', (input, micro) => {
    expect(parseCents(input)).toBe(micro);
  });

  it('rejects negative amounts', () => {
    expect(() => parseCents('-3.5')).toThrow(RangeError);
    expect(() => parseCents('-3.5')).toThrow(/negative/);
    expect(parseCents('-0')).toBe(0n);
  });

  it('rejects more than 6 decimal places', () => {
    expect(() => parseCents('0.0000001')).toThrow(/at most 6 decimal places/);
  });

  it('rejects amounts above 9,000,000,000,000 cents', () => {
    expect(() => parseCents('9000000000000.000001')).toThrow(RangeError);
    expect(() => parseCents('90000000000000')).toThrow(/exceeds/);
  });

  it.each(['', 'abc', '1e5', '+1', '.5', '1.', '1,5', '0x10'])('rejects malformed %j', (input) => {
    expect(() => parseCents(input)).toThrow(RangeError);
  });
});

describe('parseCents from numbers', () => {
  it.each([
    [12, 12_000_000n],
    [0.5, 500_000n],
    [1.5e-3, 1_500n],
    [1e-6, 1n],
    [2.5e-6, null],
    [9e12, 9_000_000_000_000_000_000n],
    [-0, 0n],
  ])('%s -> %s', (input, micro) => {
    if (micro === null) expect(() => parseCents(input)).toThrow(/at most 6 decimal places/);
    else expect(parseCents(input)).toBe(micro);
  });

  it('rejects exponent forms that imply more than 6 decimals', () => {
    expect(() => parseCents(1e-7)).toThrow(/at most 6 decimal places/);
    expect(() => parseCents(1.5e-7)).toThrow(/at most 6 decimal places/);
  });

  it('rejects huge exponent forms instead of misreading them', () => {
    expect(() => parseCents(1e21)).toThrow(/exceeds/);
  });

  it('refuses inexact float results rather than rounding them', () => {
    expect(() => parseCents(0.1 + 0.2)).toThrow(/at most 6 decimal places/);
  });

  it('rejects NaN, Infinity and negatives', () => {
    expect(() => parseCents(NaN)).toThrow(RangeError);
    expect(() => parseCents(Infinity)).toThrow(RangeError);
    expect(() => parseCents(-1)).toThrow(/negative/);
  });
});

describe('formatCents', () => {
  it.each([
    [12_000_000n, '12'],
    [1_500_000n, '1.5'],
    [1n, '0.000001'],
    [0n, '0'],
    [10_000_010n, '10.00001'],
    [-1_500_000n, '-1.5'],
  ])('%s -> %s', (micro, text) => {
    expect(formatCents(micro)).toBe(text);
  });

  it.each(['0.000001', '12', '1.5', '999.999999', '9000000000000'])('round trips %s', (text) => {
    expect(formatCents(parseCents(text))).toBe(text);
  });
});

describe('USD conversions', () => {
  it('uses 1 USD = 100 cents', () => {
    expect(usdToMicrocents('1')).toBe(100n * MICROCENTS_PER_CENT);
    expect(usdToMicrocents('0.12')).toBe(parseCents('12'));
    expect(usdToMicrocents('0.00000001')).toBe(1n);
  });

  it('rejects more than 8 decimal places and negatives', () => {
    expect(() => usdToMicrocents('0.000000001')).toThrow(/at most 8 decimal places/);
    expect(() => usdToMicrocents('-1')).toThrow(/negative/);
  });

  it.each([
    [150_000_000n, '1.5'],
    [1n, '0.00000001'],
    [1_000_000n, '0.01'],
    [0n, '0'],
  ])('microcentsToUsd(%s) -> %s', (micro, text) => {
    expect(microcentsToUsd(micro)).toBe(text);
  });

  it('round trips through USD', () => {
    expect(microcentsToUsd(usdToMicrocents('12.34567891'))).toBe('12.34567891');
  });
});
