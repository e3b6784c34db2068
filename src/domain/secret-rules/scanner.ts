// gitleaks' rules applied to one text: the secret a rule finds is replaced by
// <REDACTED:rule-id>, keeping the words around it ("api_key = <REDACTED:generic-api-key>").
// As in gitleaks, a rule runs only if the lower-cased text contains one of its keywords, its
// secret must reach the rule's entropy, and its allowlists (regexes, stopwords) can spare a
// match; allowlists keyed on file paths do not apply to field values and were left out at import.
import { GITLEAKS } from './gitleaks-rules.ts';
import { goRegexToJs } from './go-regex.ts';
import type { GitleaksAllowlist, GitleaksRule } from './types.ts';

type Allowlist = { target: 'secret' | 'match'; regexes: RegExp[]; stopwords: string[] };

export type SecretRule = {
  id: string;
  /** Global and with indices, so the secret's place inside the match is known. */
  pattern: RegExp;
  keywords: string[];
  entropy: number | undefined;
  secretGroup: number | undefined;
  repeatedGroups: Set<number>;
  /** How many word characters before a match belong to it (see dropLeadingContext). */
  context: number;
  allowlists: Allowlist[];
};

const compileAllowlist = (a: GitleaksAllowlist): Allowlist => ({
  target: a.target,
  regexes: a.regexes.map((r) => new RegExp(goRegexToJs(r))),
  stopwords: a.stopwords.map((w) => w.toLowerCase()),
});

// Many rules start with "[\w.-]{0,50}?" (some twice, nested) so that gitleaks reports the
// identifier before the keyword as part of the match. For finding the secret group it changes
// nothing, but a backtracking engine retries it at every position: on a 20 kB text with a
// keyword present that cost up to 300 ms per rule. It is dropped from the pattern, and the
// identifier is put back (the run of word characters before the match, as leftmost matching
// would have taken it) only where an allowlist looks at the whole match.
const LEADING_CONTEXT = /^(\(\?i\)|\(\?i:)?\[\\w\.-\]\{0,(\d+)\}\?/;

function dropLeadingContext(goSource: string): { source: string; context: number } {
  let source = goSource;
  let context = 0;
  for (let m = LEADING_CONTEXT.exec(source); m; m = LEADING_CONTEXT.exec(source)) {
    context += Number(m[2]);
    source = (m[1] ?? '') + source.slice(m[0].length);
  }
  return { source, context };
}

const compileRule = (r: GitleaksRule): SecretRule => {
  const { source: goSource, context } = dropLeadingContext(r.regex);
  const source = goRegexToJs(goSource);
  return {
    id: r.id,
    context,
    pattern: new RegExp(source, 'gd'),
    repeatedGroups: repeatedGroups(source),
    keywords: r.keywords.map((k) => k.toLowerCase()),
    entropy: r.entropy,
    secretGroup: r.secretGroup,
    allowlists: r.allowlists.map(compileAllowlist),
  };
};

export const SECRET_RULES: readonly SecretRule[] = GITLEAKS.rules.map(compileRule);
const GLOBAL_ALLOWLIST = compileAllowlist(GITLEAKS.allowlist);

// Each keyword once, with the rules it enables; most texts contain none, and then no rule runs.
const RULES_BY_KEYWORD = new Map<string, SecretRule[]>();
for (const rule of SECRET_RULES) {
  for (const keyword of rule.keywords) {
    const list = RULES_BY_KEYWORD.get(keyword) ?? [];
    if (!list.includes(rule)) list.push(rule);
    RULES_BY_KEYWORD.set(keyword, list);
  }
}
const KEYWORDS = [...RULES_BY_KEYWORD.keys()];
/** Every rule's keywords, lower-cased: a text containing none of them (in any case) is left as it is. */
export const SECRET_KEYWORDS: readonly string[] = KEYWORDS;

/** A literal as a regular expression source. */
export const escapeRegExp = (literal: string) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Every keyword is at least this long, so shorter texts skip the scan.
const SHORTEST_KEYWORD = Math.min(...KEYWORDS.map((k) => k.length));
if (SHORTEST_KEYWORD < 2) throw new Error('a gitleaks keyword shorter than 2 characters');

if (KEYWORDS.some((k) => !/^[\x00-\x7f]+$/.test(k))) throw new Error('a non-ASCII gitleaks keyword: lower-casing could not keep offsets');

// Every keyword at once, as one regular expression over the lower-cased text (irregexp scans a
// 500-character text about four times faster than a loop over its characters with a bigram table
// did, and most texts hold no keyword). Longest first: at a position where several keywords
// start, all of them are prefixes of the longest, which the alternation then picks, and
// RULES_FROM reaches the rules of its keyword prefixes too. The next search starts one character
// on, so overlapping keywords are all found.
const ANY_KEYWORD = new RegExp(
  [...KEYWORDS].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'),
  'g',
);
/** The rules of a keyword and of every keyword that is a prefix of it. */
const RULES_FROM = new Map<string, SecretRule[]>(
  KEYWORDS.map((keyword) => [keyword, [...new Set(KEYWORDS.filter((k) => keyword.startsWith(k)).flatMap((k) => RULES_BY_KEYWORD.get(k)!))]]),
);

/**
 * Rules whose keywords the text contains, in rule order (the order of gitleaks' file). A caller
 * that has the text lower-cased already passes it, with the position before which it knows no
 * keyword starts (redactText's one scan for every hint finds the first).
 */
export function candidateRules(text: string, lower?: string, from = 0): SecretRule[] {
  if (text.length < SHORTEST_KEYWORD) return [];
  lower ??= text.toLowerCase();
  let hits: Set<SecretRule> | undefined;
  ANY_KEYWORD.lastIndex = from;
  for (let m = ANY_KEYWORD.exec(lower); m !== null; m = ANY_KEYWORD.exec(lower)) {
    hits ??= new Set();
    for (const rule of RULES_FROM.get(m[0])!) hits.add(rule);
    ANY_KEYWORD.lastIndex = m.index + 1;
  }
  if (!hits) return [];
  return hits.size === 1 ? [...hits] : SECRET_RULES.filter((r) => hits!.has(r));
}

/**
 * Every rule scans the original text and the union of what they find is replaced, so a narrow
 * rule that matches the start of a longer secret (Flutterwave's encryption key inside its secret
 * key) cannot hide the rest of it from the wider rule. An overlap is labelled by its longest find.
 */
export function redactSecrets(text: string, lower?: string, from = 0): string {
  const rules = candidateRules(text, lower, from);
  if (rules.length === 0) return text;
  const finds = rules.flatMap((rule) => findSecrets(rule, text).map((f) => ({ ...f, id: rule.id })));
  if (finds.length === 0) return text;
  finds.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let copied = 0;
  for (let i = 0; i < finds.length; ) {
    let { start, end } = finds[i]!;
    let label = finds[i]!;
    for (i++; i < finds.length && finds[i]!.start < end; i++) {
      if (finds[i]!.end - finds[i]!.start > label.end - label.start) label = finds[i]!;
      end = Math.max(end, finds[i]!.end);
    }
    start = Math.max(start, copied);
    out += `${text.slice(copied, start)}<REDACTED:${label.id}>`;
    copied = end;
  }
  return out + text.slice(copied);
}

/** Replaces every secret the rule finds in the text; returns the text unchanged when none. */
export function applyRule(rule: SecretRule, text: string): string {
  let out = '';
  let copied = 0;
  for (const { start, end } of findSecrets(rule, text)) {
    out += `${text.slice(copied, start)}<REDACTED:${rule.id}>`;
    copied = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Where the rule finds secrets in the text, in order. */
export function findSecrets(rule: SecretRule, text: string): { start: number; end: number; secret: string }[] {
  const { pattern } = rule;
  const found: { start: number; end: number; secret: string }[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m[0] === '') {
      pattern.lastIndex += 1;
      continue;
    }
    const group = secretGroupOf(rule, m);
    const secret = m[group]!;
    if (!isSecret(rule, secret, () => withContext(rule, text, m))) continue;
    const [start, end] = m.indices![group]!;
    found.push({ start, end, secret });
  }
  return found;
}

// gitleaks reports the first non-empty group as the secret. A group under a quantifier is a
// repeated fragment of the structure (a UUID part of a webhook URL), and redacting it would leave
// the rest of the secret readable, so such rules redact their whole match instead.
function secretGroupOf(rule: SecretRule, m: RegExpExecArray): number {
  if (rule.secretGroup !== undefined) return m[rule.secretGroup] ? rule.secretGroup : 0;
  for (let g = 1; g < m.length; g++) {
    if (!m[g]) continue;
    return rule.repeatedGroups.has(g) ? 0 : g;
  }
  return 0;
}

/** Numbers of the capture groups followed by a quantifier in a JS regex source. */
function repeatedGroups(source: string): Set<number> {
  const repeated = new Set<number>();
  const open: (number | null)[] = [];
  let count = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') i += 1;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') {
      const capturing = source[i + 1] !== '?' || source[i + 2] === '<' && source[i + 3] !== '=' && source[i + 3] !== '!';
      open.push(capturing ? ++count : null);
    } else if (c === ')') {
      const group = open.pop();
      if (group != null && /[*+?{]/.test(source[i + 1] ?? '')) repeated.add(group);
    }
  }
  return repeated;
}

function withContext(rule: SecretRule, text: string, m: RegExpExecArray): string {
  let start = m.index;
  const floor = Math.max(0, m.index - rule.context);
  while (start > floor && /[\w.-]/.test(text[start - 1]!)) start -= 1;
  return text.slice(start, m.index + m[0].length);
}

function isSecret(rule: SecretRule, secret: string, match: () => string): boolean {
  if (rule.entropy !== undefined && shannonEntropy(secret) < rule.entropy) return false;
  if (allows(GLOBAL_ALLOWLIST, secret, match)) return false;
  return !rule.allowlists.some((a) => allows(a, secret, match));
}

function allows(a: Allowlist, secret: string, match: () => string): boolean {
  const target = a.target === 'match' ? match() : secret;
  if (a.regexes.some((r) => r.test(target))) return true;
  if (a.stopwords.length === 0) return false;
  const lower = secret.toLowerCase();
  return a.stopwords.some((w) => lower.includes(w));
}

/** Bits per character, as gitleaks computes it. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
