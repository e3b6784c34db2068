import { describe, expect, it } from 'vitest';
import {
  isSensitiveKey,
  REDACTED,
  redactJson,
  redactOptionalText,
  redactText,
} from '../../src/domain/redact.ts';

const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const HEX32 = '0123456789abcdef0123456789abcdef';

describe('redactText patterns', () => {
  it.each([
    [
      'PEM private key',
      'key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\nabc+/=\n-----END RSA PRIVATE KEY-----\ndone',
      'key:\n<REDACTED_PRIVATE_KEY>\ndone',
    ],
    ['JWT', `token=${JWT};`, 'token=<REDACTED_JWT>;'],
    ['Bearer header', 'Authorization: Bearer abc.DEF-123_~+/=', 'Authorization: Bearer <REDACTED>'],
    ['bearer, any case', 'sent bearer  s3cr3tValue', 'sent Bearer <REDACTED>'],
    ['AWS access key', 'aws AKIAIOSFODNN7EXAMPLE here', 'aws <REDACTED_AWS_KEY> here'],
    [
      'GitHub classic token',
      'ghp_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ used',
      '<REDACTED_GITHUB_TOKEN> used',
    ],
    [
      'GitHub fine-grained token',
      'pat github_pat_11ABCDEFG0123456789_abcdefghij',
      'pat <REDACTED_GITHUB_TOKEN>',
    ],
    [
      'Slack token',
      'slack xoxb-123456789012-1234567890123-AbCdEfGhIjKl end',
      'slack <REDACTED_SLACK_TOKEN> end',
    ],
    ['OpenAI project key', 'OPENAI=sk-proj-abcdefghijklmnopqrstuvwx12', 'OPENAI=<REDACTED_API_KEY>'],
    ['Anthropic key', 'k sk-ant-api03-abcdefghijklmnopqrstuvwx', 'k <REDACTED_API_KEY>'],
    ['our own API key', 'x-api-key aos_ab12cd34_abcdefghijklmnop1234', 'x-api-key <REDACTED_API_KEY>'],
    ['email', 'mail jane.doe+test@example.co.uk now', 'mail <REDACTED_EMAIL> now'],
    ['SSN', 'ssn is 123-45-6789.', 'ssn is <REDACTED_SSN>.'],
  ])('%s', (_name, input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('redacts a JSON password pair inside text and keeps other pairs', () => {
    expect(redactText('{"password": "hunter2", "user": "bob"}')).toBe(
      '{"password": "<REDACTED>", "user": "bob"}',
    );
  });

  it('redacts the whole value when it contains escaped quotes', () => {
    expect(redactText('{"api_key":"ab\\"cd"}')).toBe('{"api_key":"<REDACTED>"}');
  });

  it('applies the key-word rule to pairs in text (openai_api_key, not max_tokens)', () => {
    expect(redactText('{"openai_api_key":"v1","max_tokens":"100"}')).toBe(
      '{"openai_api_key":"<REDACTED>","max_tokens":"100"}',
    );
  });

  it('redacts JSON serialised inside a JSON string', () => {
    expect(redactText('{"body":"{\\"token\\":\\"t0p\\",\\"n\\":\\"1\\"}"}')).toBe(
      '{"body":"{\\"token\\":\\"<REDACTED>\\",\\"n\\":\\"1\\"}"}',
    );
  });

  it('redacts a secret value cut off by truncation', () => {
    expect(redactText('{"secret": "abcdef')).toBe('{"secret": "<REDACTED>"');
  });

  it('B16: redacts a hex "key" pair in text', () => {
    expect(redactText(`{"key": "${HEX32}"}`)).toBe('{"key": "<REDACTED_KEY>"}');
  });

  it('B16: redacts an SSN in a trace string', () => {
    expect(redactText('user 078-05-1120 failed')).toBe('user <REDACTED_SSN> failed');
  });

  it.each([
    ['Visa with spaces', 'charged 4111 1111 1111 1111 ok'],
    ['Visa with dashes', 'charged 4111-1111-1111-1111 ok'],
    ['Mastercard 2-series', 'charged 2223003122003222 ok'],
    ['Amex', 'charged 3782 822463 10005 ok'],
    ['Discover', 'charged 6011111111111117 ok'],
    ['JCB', 'charged 3530111333300000 ok'],
    ['Diners', 'charged 36227206271667 ok'],
  ])('B16: redacts a card number in a trace string (%s)', (_name, input) => {
    expect(redactText(input)).toBe('charged <REDACTED_CARD> ok');
  });

  it('redacts a private key block cut off before its END line to the end of the text', () => {
    expect(redactText('k -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg')).toBe('k <REDACTED_PRIVATE_KEY>');
  });

  it('redacts a card followed by a group glued to letters', () => {
    expect(redactText('pay 4111 1111 1111 1111 12ab')).toBe('pay <REDACTED_CARD> 12ab');
  });

  it('B16: redacts a card written next to its CVV', () => {
    expect(redactText('card 4111 1111 1111 1111 123')).toBe('card <REDACTED_CARD> 123');
  });

  it.each([
    ['epoch milliseconds', 'at 1732646400000 ms'],
    ['epoch milliseconds that pass Luhn', 'at 1732646400009 ms'],
    ['Visa prefix failing Luhn', 'id 4111111111111112'],
    ['uuid', 'id 550e8400-e29b-41d4-a716-446655440000'],
    ['sha256 digest with a card inside', `h a${'4111111111111111'}b${HEX32}`],
    ['date and phone number', 'on 2024-11-26 call +1 555-123-4567'],
    ['20-digit id', 'id 41111111111111111111'],
  ])('keeps %s', (_name, input) => {
    expect(redactText(input)).toBe(input);
  });

  it('is idempotent', () => {
    const once = redactText(`Bearer ${JWT} 4111111111111111 a@b.io {"token":"x"}`);
    expect(redactText(once)).toBe(once);
  });
});

describe('redactOptionalText', () => {
  it('passes null and undefined through and redacts strings', () => {
    expect(redactOptionalText(null)).toBeNull();
    expect(redactOptionalText(undefined)).toBeUndefined();
    expect(redactOptionalText('a@b.io')).toBe('<REDACTED_EMAIL>');
  });
});

describe('isSensitiveKey', () => {
  it.each([
    'password', 'openai_api_key', 'x-api-key', 'X-Api-Key', 'githubToken', 'db_password',
    'userPassword', 'stripe_secret_key', 'Authorization', 'API_KEY', 'APIKEY', 'apiKey',
    'openaiApiKey', 'set-cookie', 'Cookie', 'cvv', 'client_secret', 'sessionToken', 'pwd',
    'access_token', 'ssn', 'credit_card_number', 'passphrase', 'ssh_key', 'password_hash',
  ])('%s is sensitive', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });

  it.each([
    'max_tokens', 'token_count', 'tokenLimit', 'api_key_id', 'secret_name', 'secret_key_id',
    'token_type', 'access_token_expires', 'input_tokens', 'key', 'credit', 'session_id',
    'card_type', 'cookie_name', 'auth_token_ttl', 'user', 'monkey',
  ])('%s is not sensitive', (key) => {
    expect(isSensitiveKey(key)).toBe(false);
  });
});

function nest(levels: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = { child: v };
  return v;
}

describe('redactJson', () => {
  it('B16: redacts openai_api_key and x-api-key values of any type', () => {
    const out = redactJson({
      openai_api_key: 'sk-whatever',
      headers: { 'x-api-key': 12345, Authorization: { scheme: 'Basic' } },
    });
    expect(out).toEqual({
      openai_api_key: REDACTED,
      headers: { 'x-api-key': REDACTED, Authorization: REDACTED },
    });
  });

  it('keeps metadata keys such as max_tokens and token_count', () => {
    const input = { max_tokens: 100, token_count: 7, usage: { total_tokens: 9 }, tokenLimit: 5 };
    expect(redactJson(input)).toEqual(input);
  });

  it('B16: redacts a hex "key" value', () => {
    expect(redactJson({ key: HEX32, other: { key: 'short' } })).toEqual({
      key: '<REDACTED_KEY>',
      other: { key: 'short' },
    });
  });

  it('runs every string value and array element through redactText', () => {
    expect(
      redactJson({ note: 'mail a@b.io', list: ['4111 1111 1111 1111', 'ok', 3], ts: '1732646400000' }),
    ).toEqual({ note: 'mail <REDACTED_EMAIL>', list: ['<REDACTED_CARD>', 'ok', 3], ts: '1732646400000' });
  });

  it('keeps a uuid string', () => {
    const id = '550e8400-e29b-41d4-a716-446655440000';
    expect(redactJson({ id })).toEqual({ id });
  });

  it('redacts card numbers stored as numbers but keeps timestamps and ids', () => {
    expect(
      redactJson({ card: 4111111111111111, amex: 378282246310005, ts: 1732646400009, n: 42, f: 4.5 }),
    ).toEqual({ card: '<REDACTED_CARD>', amex: '<REDACTED_CARD>', ts: 1732646400009, n: 42, f: 4.5 });
    expect(redactJson([4111111111111111n, 7n])).toEqual(['<REDACTED_CARD>', 7n]);
  });

  it('B16: content nested 40 levels deep is replaced, not passed through', () => {
    const out = redactJson(nest(40, { note: 'deep-secret-value' }));
    const text = JSON.stringify(out);
    expect(text).not.toContain('deep-secret-value');
    expect(text).toContain(REDACTED);
  });

  it('walks exactly maxDepth levels and replaces the next one', () => {
    // nest(n) has objects at depths 0..n-1
    expect(redactJson(nest(3, 'x'), 2)).toEqual(nest(3, 'x'));
    expect(redactJson(nest(4, 'x'), 2)).toEqual(nest(3, REDACTED));
    expect(redactJson([[['x']]], 1)).toEqual([[REDACTED]]);
    expect(redactJson({ a: 1 }, 0)).toEqual({ a: 1 });
    expect(redactJson({ a: {} }, 0)).toEqual({ a: REDACTED });
  });

  it('does not mutate its input', () => {
    const input = { password: 'p', nested: { email: 'a@b.io', list: ['x@y.io'] } };
    const copy = structuredClone(input);
    const out = redactJson(input);
    expect(input).toEqual(copy);
    expect(out).not.toBe(input);
  });

  it('turns Dates into redacted ISO strings', () => {
    expect(redactJson({ at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)) })).toEqual({
      at: '2024-01-02T03:04:05.006Z',
    });
    expect(redactJson(new Date(NaN))).toBe(REDACTED);
  });

  it('replaces non-JSON values with REDACTED', () => {
    class Thing {
      secret = 'x';
    }
    expect(
      redactJson({ f: () => 1, s: Symbol('s'), m: new Map([['password', 'x']]), t: new Thing() }),
    ).toEqual({ f: REDACTED, s: REDACTED, m: REDACTED, t: REDACTED });
  });

  it('keeps null, booleans and object keys as they are', () => {
    expect(redactJson({ 'a@b.io': null, ok: true })).toEqual({ 'a@b.io': null, ok: true });
  });

  it('returns the parts that need no redaction as they are, and copies only what changes', () => {
    const clean = { a: [1, 'two', { b: null }], c: { d: true } };
    expect(redactJson(clean)).toBe(clean);
    const mixed = { clean: clean.c, list: ['ok', 'a@b.io'], sparse: [1, , 2], password: 'x' };
    const out = redactJson(mixed) as typeof mixed;
    expect(out).toEqual({ clean: { d: true }, list: ['ok', '<REDACTED_EMAIL>'], sparse: [1, undefined, 2], password: REDACTED });
    expect(out.clean).toBe(clean.c);
    expect(1 in out.sparse).toBe(true);
  });

  it('keeps a "__proto__" key as data when the object around it is copied', () => {
    const out = redactJson(JSON.parse('{"__proto__":{"a":1},"password":"x"}')) as object;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ a: 1 });
  });

  it('keeps a "__proto__" key as data', () => {
    const out = redactJson(JSON.parse('{"__proto__":{"password":"x"}}')) as object;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ password: REDACTED });
  });
});
