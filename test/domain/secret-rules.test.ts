import { describe, expect, it } from 'vitest';
import { redactJson, redactText, wouldRedact } from '../../src/domain/redact.ts';
import { goRegexToJs } from '../../src/domain/secret-rules/go-regex.ts';
import { SECRET_RULES } from '../../src/domain/secret-rules/scanner.ts';
import { RULES_WITHOUT_SAMPLE, SECRET_SAMPLES } from '../secret-samples.ts';

describe('gitleaks rules', () => {
  it('has a sample secret for every rule, found by that rule itself', () => {
    expect(SECRET_RULES.length).toBeGreaterThan(200);
    expect(RULES_WITHOUT_SAMPLE).toEqual([]);
    expect(SECRET_SAMPLES).toHaveLength(SECRET_RULES.length);
  });

  it.each(SECRET_SAMPLES.map((s) => [s.ruleId, s] as const))('redacts a %s sample, idempotently', (_id, sample) => {
    const once = redactText(`before ${sample.text} after`);
    expect(once).not.toContain(sample.secret);
    expect(once).toMatch(/^before .*<REDACTED.* after$/s);
    expect(redactText(once)).toBe(once);
  });

  it('redacts every sample when they share one text and one JSON document', () => {
    const text = SECRET_SAMPLES.map((s) => s.text).join('\n');
    const out = redactText(text);
    const json = JSON.stringify(redactJson({ notes: SECRET_SAMPLES.map((s) => ({ note: s.text })) }));
    for (const s of SECRET_SAMPLES) {
      expect(out).not.toContain(s.secret);
      expect(json).not.toContain(s.secret);
    }
  });
});

describe('redaction beyond gitleaks', () => {
  it.each([
    ['postgres://admin:s3cr3t-pw@db.internal:5432/app', 'postgres://admin:<REDACTED>@db.internal:5432/app'],
    ['mysql://root:hunter2@localhost/x', 'mysql://root:<REDACTED>@localhost/x'],
    ['amqp://guest:pa@ss@10.0.0.7:5672/', 'amqp://guest:<REDACTED>@10.0.0.7:5672/'],
    ['redis://:only-pass@cache/0', 'redis://:<REDACTED>@cache/0'],
    ['see https://user:tok3n@git.example.org/repo.git', 'see https://user:<REDACTED>@git.example.org/repo.git'],
  ])('credentials in a URL: %s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it.each([
    ['Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic <REDACTED>'],
    ['sent Basic dXNlcjpwYXNzd29yZA== upstream', 'sent Basic <REDACTED> upstream'],
    ['authorization=Token abcdef123456', 'authorization=Token <REDACTED>'],
    ['Authorization: Digest username="bob", realm="x", nonce="abc", response="6629fae4"', 'Authorization: Digest <REDACTED>'],
    ['"Authorization": "Bearer abc.def"', '"Authorization": "<REDACTED>"'],
  ])('HTTP credentials: %s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it.each([
    'password', 'pwd', 'passwd', 'passphrase', 'secret', 'client_secret', 'api_key', 'apikey', 'token',
    'access_token', 'auth', 'credentials', 'private_key', 'DB_PASSWORD', 'x-api-key', 'pass',
  ])('%s=value and %s: value in prose', (key) => {
    expect(redactText(`login ${key}=Zq9-x_7 ok`)).toBe(`login ${key}=<REDACTED> ok`);
    expect(redactText(`login ${key}: "two words" ok`)).toBe(`login ${key}: "<REDACTED>" ok`);
    expect(redactText(`{'${key}': 'v4lue'}`)).toBe(`{'${key}': '<REDACTED>'}`);
  });

  it.each([
    'The basic idea: use a token bucket with max_tokens=100 and tokens: 1500.',
    'Basic configuration is fine; Digest of the news.',
    'GET https://api.example.com/v1/items?page=2&limit=50',
    'trace 550e8400-e29b-41d4-a716-446655440000 at 2026-12-03T09:22:24.123Z took 812 ms',
    'model gpt-4o-2024-08-06, provider openai, skill search_kb, outcome OK',
    'key: the main point; author: Jane; token_count=12; api_key_id=k_1',
    'Refund of 42.50 EUR approved for order 12345 after checking the policy.',
  ])('keeps clean text: %s', (input) => {
    expect(redactText(input)).toBe(input);
    expect(wouldRedact(input)).toBe(false);
  });
});

describe('goRegexToJs', () => {
  it.each([
    ['\\b(LTAI(?i)[a-z0-9]{20})', '\\b(LTAI[A-Za-z0-9]{20})'],
    ['(?i)ab(?-i:Cd)e', '[aA][bB](?:Cd)[eE]'],
    ['x(?i:[a-f_-]{3})y', 'x(?:[A-Fa-f_-]{3})y'],
    ['(?P<alg>a)\\z', '(?<alg>a)$'],
    ['pat[[:alnum:]]{14}', 'pat[a-zA-Z0-9]{14}'],
    ['a(?s:.){0,3}b.', 'a(?:[\\s\\S]){0,3}b.'],
    ['[^]]+', '[^\\]]+'],
  ])('%s → %s', (go, js) => {
    expect(goRegexToJs(go)).toBe(js);
  });

  it('matches case-insensitively only where gitleaks does', () => {
    const re = new RegExp(goRegexToJs('\\bLTAI(?i)[a-z]{3}\\b'));
    expect(re.test('LTAIaBc')).toBe(true);
    expect(re.test('ltaiabc')).toBe(false);
  });
});
