// Ingest redacts and canonicalises a step's JSON in one walk (redactToCanonicalJson) instead of
// redactJson and then canonicalJson; the text is hashed and stored, so it must be exactly what
// the two steps give, for every kind of value either of them treats specially.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/canonical-json.ts';
import { redactJson, redactToCanonicalJson } from '../../src/domain/redact.ts';
import { candidateRules, SECRET_RULES } from '../../src/domain/secret-rules/scanner.ts';
import { ALL_SAMPLES } from '../secret-samples.ts';

const twoSteps = (value: unknown, maxDepth?: number) => canonicalJson(redactJson(value, maxDepth));

function nested(depth: number): unknown {
  let value: unknown = { leaf: 'password=hunter2' };
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { level: value };
  return value;
}

const sparse: unknown[] = [1];
sparse[3] = 'alice@example.com';

const protoKey = JSON.parse('{"__proto__": {"password": "x"}, "b": 1}') as unknown;

const CASES: [string, unknown][] = [
  ['an empty object', {}],
  ['scalars', { s: 'plain', n: 42, f: 0.1, tiny: 1e-7, small: 0.00001, big: 1e21, huge: 1.2345e25, neg: -0, t: true, z: null }],
  ['keys in code point order, astral and private use', { z: 1, a: 2, '\ue000': 3, '😀': 4, é: 5, A: 6, '': 7 }],
  ['escapes', { q: 'x/y"\\\n\u007f\u0001\t', u: 'é😀\ud800' }],
  ['sensitive keys, also with unset values', { password: 'hunter2', api_key: undefined, token: null, nested: { secret: { deep: 1 } }, ok: undefined }],
  ['the hex key rule', { key: 'a'.repeat(40), Key: 'ABCDEF0123456789abcdef0123456789', kEy: 'short', key2: 'a'.repeat(40) }],
  ['secrets in text', { text: 'mail alice@example.com, card 4111 1111 1111 1111, ssn 078-05-1120, Bearer abc.def.ghi', url: 'postgres://u:pw@host/db' }],
  ['card numbers as numbers and bigints', { card: 4111111111111111, notCard: 1234567890123, big: 4111111111111111n, small: 12n }],
  ['arrays with holes and undefined', { list: sparse, u: [undefined, null, () => 1] }],
  ['dates', { at: new Date('2026-01-01T00:00:00Z'), bad: new Date(Number.NaN) }],
  ['objects that are not plain', { map: new Map([[1, 2]]), set: new Set([1]), re: /x/, fn: () => 1, sym: Symbol('s'), nullProto: Object.assign(Object.create(null), { b: 1, a: 2 }) }],
  ['a "__proto__" key', protoKey],
  ['top-level values', 'password=hunter2'],
  ['undefined at the top', undefined],
  ['an array at the top', [{ b: 1, a: [2, { token: 'x' }] }]],
  ['JSON inside text', { body: '{"password": "hunter2", "user": "bob"}' }],
  ['nesting at the depth limit', nested(32)],
  ['nesting past the depth limit', nested(40)],
  ['every sample secret', { notes: ALL_SAMPLES.map((s, i) => ({ [`note_${i}`]: `before ${s.text} after` })) }],
];

describe('redactToCanonicalJson', () => {
  it.each(CASES)('equals canonicalJson(redactJson(value)): %s', (_what, value) => {
    expect(redactToCanonicalJson(value)).toBe(twoSteps(value));
  });

  it('honours another depth limit the same way', () => {
    for (const maxDepth of [0, 1, 5]) expect(redactToCanonicalJson(nested(8), maxDepth)).toBe(twoSteps(nested(8), maxDepth));
  });

  it('fails like canonicalJson on what JSON cannot hold', () => {
    expect(() => twoSteps({ n: Number.NaN })).toThrow(RangeError);
    expect(() => redactToCanonicalJson({ n: Number.NaN })).toThrow(RangeError);
  });

  it('equals the two steps on random payloads', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const words = ['token', 'password', 'api', 'sk-', 'alice@example.com', 'é', '😀', '"', '\\', '078-05-1120', 'plain', 'AKIAIOSFODNN7EXAMPLE', '4111 1111 1111 1111'];
    const value = (depth: number): unknown => {
      const r = rnd();
      if (depth > 4 || r < 0.3) return Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => words[Math.floor(rnd() * words.length)]).join(' ');
      if (r < 0.4) return Math.floor(rnd() * 1e6) / (rnd() < 0.5 ? 1 : 1000);
      if (r < 0.45) return rnd() < 0.5 ? null : rnd() < 0.5;
      if (r < 0.7) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 5) }, () => [words[Math.floor(rnd() * words.length)]!.slice(0, 8), value(depth + 1)]));
    };
    for (let i = 0; i < 300; i++) {
      const v = value(0);
      expect(redactToCanonicalJson(v)).toBe(twoSteps(v));
    }
  });
});

describe('candidateRules', () => {
  // The definition: every rule one of whose keywords the lower-cased text contains, in rule order.
  const byDefinition = (text: string) => {
    const lower = text.toLowerCase();
    return SECRET_RULES.filter((r) => r.keywords.some((k) => lower.includes(k)));
  };

  it('finds exactly the rules whose keywords the text contains, overlapping keywords too', () => {
    const texts = [
      ...ALL_SAMPLES.map((s) => s.text),
      ALL_SAMPLES.map((s) => s.text).join(' '),
      'sk-ant-api03 and sk- and sk',
      'ASIA AKIA abia acca',
      'github_pat_ ghp_ gho_',
      'a token, a password and an api key',
      // Lower-casing maps the Kelvin sign to an ASCII k, and İ to two characters.
      'KEY \u212Aey İkey',
      'nothing to see here',
      '',
      'x',
    ];
    for (const text of texts) expect(candidateRules(text).map((r) => r.id), text.slice(0, 60)).toEqual(byDefinition(text).map((r) => r.id));
  });
});
