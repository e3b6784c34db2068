// checkFields skips a rule for values its quick test accepts: the test must never accept a value
// the rule itself refuses, or bad input would be stored without its error.
import { describe, expect, it } from 'vitest';
import { hexHash, ident, name, nonNegativeInt, numberBetween, quicklyPasses } from '../../src/graphql/validators.ts';

const STRINGS = [
  '', 'a', 'llm.complete', 'trace_x:50', 'a b', 'a@b.example', 'k=v', 'x\u0000y', 'tab\there', 'é', 'AKIAABCDEFGHIJKLMNOP',
  'ghp_' + 'a'.repeat(36), 'password:hunter2', 'e4b6e3e0507b615c55ce68548cf8402f', 'ABC', 'abc', '0123', 'x'.repeat(64), 'x'.repeat(65),
  'x'.repeat(128), 'x'.repeat(129), 'sk-' + 'a'.repeat(24), '123-45-6789', '4111 1111 1111 1111',
];
const NUMBERS = [0, -0, 1, 1.5, -1, 1e6, 1e6 + 1, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 1e12, 1e12 + 1, Number.NaN, Number.POSITIVE_INFINITY, -Number.MIN_VALUE];
const VALUES: unknown[] = [...STRINGS, ...NUMBERS, true, {}, []];

describe('quick passes of the input rules', () => {
  const rules = { ident: ident(), ident50: ident(50), name64: name(64), name128: name(128), int: nonNegativeInt(), int1e6: nonNegativeInt(1_000_000), hex: hexHash(), number: numberBetween(0, 1e12) };
  for (const [label, rule] of Object.entries(rules)) {
    it(`${label}: a value it passes quickly is one the rule accepts, and the usual values pass quickly`, () => {
      let quick = 0;
      for (const value of VALUES) {
        const accepted = !(rule['~standard'].validate(value) as { issues?: unknown[] }).issues?.length;
        if (quicklyPasses(rule, value)) {
          quick += 1;
          expect(accepted, `${label} ${JSON.stringify(value)}`).toBe(true);
        }
        // Where the rule accepts a value of the kind it checks, the quick test accepts it too (it is a fast path, not a second rule).
        if (accepted) expect(quicklyPasses(rule, value), `${label} ${JSON.stringify(value)} accepted by the rule`).toBe(true);
      }
      expect(quick).toBeGreaterThan(0);
    });
  }

  it('a rule derived from one with a quick test has none (its extra check must run)', () => {
    const refined = name(128).refine(() => false, 'never');
    expect(quicklyPasses(refined, 'llm.complete')).toBe(false);
  });
});
