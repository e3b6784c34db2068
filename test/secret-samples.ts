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
