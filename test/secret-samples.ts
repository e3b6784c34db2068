// One sample secret per gitleaks rule, generated from the rule's own regex (gitleaks' rules
// mostly lack examples) with a fixed seed, and kept only if that rule itself redacts it: its
// keywords are present, its entropy is reached and no allowlist spares it. So a sample that only
// another rule would catch is never used to vouch for this one.
import RandExpModule from 'randexp';

// randexp is CommonJS: its class is the module itself at run time, `.default` in its types.
type RandExpClass = typeof RandExpModule.default;
const RandExp = ((RandExpModule as { default?: RandExpClass }).default ?? RandExpModule) as RandExpClass;
import { candidateRules, findSecrets, SECRET_RULES, type SecretRule } from '../src/domain/secret-rules/scanner.ts';

export type SecretSample = { ruleId: string; text: string; secret: string };

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The secret the rule finds in the text, if the rule alone would redact it. */
export function secretFoundBy(rule: SecretRule, text: string): string | undefined {
  if (!candidateRules(text).includes(rule)) return undefined;
  return findSecrets(rule, text)[0]?.secret;
}

function sampleFor(rule: SecretRule, seed: number): SecretSample | undefined {
  const random = prng(seed);
  // Printable ASCII without the quote and backslash, so samples survive JSON and prose alike.
  const gen = new RandExp(rule.pattern.source);
  gen.defaultRange.subtract(0, 127);
  gen.defaultRange.add(0x20, 0x7e);
  gen.defaultRange.subtract(0x22, 0x22);
  gen.defaultRange.subtract(0x5c, 0x5c);
  gen.max = 12;
  gen.randInt = (from: number, to: number) => from + Math.floor(random() * (to - from + 1));
  for (let attempt = 0; attempt < 300; attempt++) {
    const body = gen.gen().replace(/[\r\n\t\f\v]/g, ' ');
    // Some rules' keywords are not implied by their regex (the Airtable PAT rule needs the word
    // "airtable" nearby), as when gitleaks scans a file: every other attempt names the service.
    const text = attempt % 2 === 0 ? `${body} ` : `${rule.keywords[0]} ${body} `;
    const secret = secretFoundBy(rule, text);
    if (secret && secret.length >= 6) return { ruleId: rule.id, text, secret };
  }
  return undefined;
}

export const SECRET_SAMPLES: SecretSample[] = SECRET_RULES.flatMap((rule, i) => sampleFor(rule, 1000 + i) ?? []);
export const RULES_WITHOUT_SAMPLE = SECRET_RULES.filter((r) => !SECRET_SAMPLES.some((s) => s.ruleId === r.id)).map((r) => r.id);

const PROSE_KEYS = [
  'password', 'pwd', 'passwd', 'passphrase', 'secret', 'client_secret', 'api_key', 'apikey', 'token',
  'access_token', 'auth', 'credentials', 'private_key',
];

/** Samples of the redaction rules that are ours rather than gitleaks' (src/domain/redact.ts). */
export const OWN_SAMPLES: SecretSample[] = [
  { ruleId: 'url-credentials', text: 'dsn postgres://app:Pg-s3cret-9x@db.prod.internal:5432/app', secret: 'Pg-s3cret-9x' },
  { ruleId: 'url-credentials-any-host', text: 'amqp://guest:Rabb1t-pw@10.0.0.7:5672/', secret: 'Rabb1t-pw' },
  { ruleId: 'http-basic', text: 'sent Basic YWxpY2U6d29uZGVybGFuZDQy upstream', secret: 'YWxpY2U6d29uZGVybGFuZDQy' },
  { ruleId: 'http-authorization', text: 'Authorization: Token Zm9vYmFyYmF6cXV4MTIz', secret: 'Zm9vYmFyYmF6cXV4MTIz' },
  { ruleId: 'http-digest', text: 'Digest username="bob", response="a1b2c3d4e5f6a7b8c9d0"', secret: 'a1b2c3d4e5f6a7b8c9d0' },
  { ruleId: 'bearer', text: 'Bearer qWx7-Kp2_zR9.mN4', secret: 'qWx7-Kp2_zR9.mN4' },
  { ruleId: 'email', text: 'mail jane.doe@example.com now', secret: 'jane.doe@example.com' },
  { ruleId: 'aws-key', text: 'aws AKIAIOSFODNN7EXAMPLE', secret: 'AKIAIOSFODNN7EXAMPLE' },
  { ruleId: 'jwt', text: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlLXZhbHVl', secret: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlLXZhbHVl' },
  { ruleId: 'aos-key', text: 'key aos_ab12cd34_abcdefghijklmnop1234', secret: 'aos_ab12cd34_abcdefghijklmnop1234' },
  { ruleId: 'ssn', text: 'ssn 078-05-1120', secret: '078-05-1120' },
  { ruleId: 'card', text: 'card 4111 1111 1111 1111', secret: '4111 1111 1111 1111' },
  { ruleId: 'pem', text: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----', secret: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC' },
  ...PROSE_KEYS.flatMap((key) => [
    { ruleId: `prose ${key}=`, text: `login ${key}=Qx7-${key.length}-Vz ok`, secret: `Qx7-${key.length}-Vz` },
    { ruleId: `prose ${key}:`, text: `login ${key}: "w0rd ${key.length} zq"`, secret: `w0rd ${key.length} zq` },
  ]),
];

export const ALL_SAMPLES = [...SECRET_SAMPLES, ...OWN_SAMPLES];

/** The samples whose secret appears in the text, raw or JSON-escaped. */
export function leakedSamples(text: string, samples: readonly SecretSample[] = ALL_SAMPLES): string[] {
  return samples.filter((s) => text.includes(s.secret) || text.includes(JSON.stringify(s.secret).slice(1, -1))).map((s) => s.ruleId);
}

/** Samples joined by `separator` into texts of at most `max` characters. */
export function sampleTexts(max: number, samples: readonly SecretSample[] = ALL_SAMPLES, separator = '\n'): string[] {
  const texts: string[] = [];
  let current = '';
  for (const s of samples) {
    if (current && current.length + s.text.length + separator.length > max) {
      texts.push(current);
      current = '';
    }
    current = current ? `${current}${separator}${s.text}` : s.text;
  }
  if (current) texts.push(current);
  return texts;
}
