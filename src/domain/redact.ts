// One walker for every JSON payload and free-text field before storage. The reference (B16)
// redacted only some paths, matched key names exactly, applied only 5 patterns to trace strings
// and returned content deeper than 20 levels unredacted; here every string gets every pattern
// and anything too deep is dropped, never passed through. Besides our own patterns below, every
// string passes gitleaks' maintained rule set (secret-rules/, issue 11).
import { encodeNumber, encodeString, pushString, sortedKeys } from './canonical-json.ts';
import { isCardNumber, redactCardsInText, REDACTED_CARD } from './payment-card.ts';
import { escapeRegExp, redactSecrets, SECRET_KEYWORDS } from './secret-rules/scanner.ts';
import { isSensitiveKey } from './sensitive-keys.ts';

export { isSensitiveKey };

export const REDACTED = '<REDACTED>';
const REDACTED_KEY = '<REDACTED_KEY>';

type Replacer = string | ((match: string, ...groups: string[]) => string);

/**
 * A pattern, its replacement, and a hint every text it can match passes: a literal it must
 * contain, or a (non-global) regular expression it must match. A hint never decides what is
 * redacted, only what is not scanned. The hints are data rather than functions so that one
 * regular expression can be built from all of them (ANY_HINT below).
 */
type TextRule = readonly [pattern: RegExp, replacement: Replacer, hint: string | RegExp];

const passes = (hint: string | RegExp, text: string) => (typeof hint === 'string' ? text.includes(hint) : hint.test(text));

// name=value and name: value in prose, logs and config text, for the same key names as JSON
// (password, pwd, passphrase, client_secret, api_key, token, auth...): a key, an optional closing
// quote and a separator. The value is read only after a sensitive key, so that a quoted value of
// another key cannot swallow the pair that follows it.
const PROSE_KEY = /(?<![\w.-])([A-Za-z][\w.-]{0,63}?)(["']?[ \t]*(?:=>|:=|[:=])[ \t]*)/g;
const PROSE_VALUE = /"[^"\n]*"|'[^'\n]*'|[^\s"',;&<>]+/y;
// Every sensitive key name contains one of these.
const PROSE_KEY_HINT = /pass|pwd|secret|token|key|auth|bearer|cred|ssn|social|card|cvv|cvc|cookie/i;
// The scheme of an Authorization value is kept; the rules above redact what follows it.
const AUTH_SCHEMES = new Set(['basic', 'digest', 'bearer', 'token', 'negotiate', 'ntlm', 'aws4-hmac-sha256']);

function redactProsePairs(text: string): string {
  if ((!text.includes('=') && !text.includes(':')) || !PROSE_KEY_HINT.test(text)) return text;
  let out = '';
  let copied = 0;
  PROSE_KEY.lastIndex = 0;
  for (let m = PROSE_KEY.exec(text); m !== null; m = PROSE_KEY.exec(text)) {
    if (!isSensitiveKey(m[1]!)) continue;
    PROSE_VALUE.lastIndex = PROSE_KEY.lastIndex;
    const value = PROSE_VALUE.exec(text)?.[0];
    if (!value || value.includes(REDACTED.slice(0, 9)) || AUTH_SCHEMES.has(value.toLowerCase())) continue;
    const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
    out += `${text.slice(copied, PROSE_KEY.lastIndex)}${quote}${REDACTED}${quote}`;
    copied = PROSE_KEY.lastIndex + value.length;
    PROSE_KEY.lastIndex = copied;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function basicRedactor(match: string, encoded: string): string {
  const decoded = Buffer.from(encoded, 'base64').toString('latin1');
  return /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(decoded) ? `Basic ${REDACTED}` : match;
}

// Order matters: whole structures (PEM blocks, JWTs) go first so later, narrower patterns do not
// leave half of them behind.
const TEXT_RULES: ReadonlyArray<TextRule> = [
  // A block cut off before its END line is redacted to the end of the text (fail closed); this
  // also keeps matching linear, since no later BEGIN is rescanned for an END that is not there.
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----|[\s\S]*$)/g,
    '<REDACTED_PRIVATE_KEY>',
    '-----BEGIN ',
  ],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g, '<REDACTED_JWT>', 'eyJ'],
  // scheme://user:password@host for any scheme and host. The password may hold an unencoded "@",
  // so it runs to the last "@" before the path.
  [/\b([A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/[^\s:/?#@"'<>]*:)[^\s/?#"'<>]+@/g, `$1${REDACTED}@`, '://'],
  // An Authorization header's credentials: one token after the scheme (Digest and AWS4 carry a
  // parameter list, redacted below).
  [
    /\b(Authorization["']?[ \t]*[:=][ \t]*["']?(?:Basic|Bearer|Token|Negotiate|NTLM)[ \t]+)[^\s"',;]+/gi,
    `$1${REDACTED}`,
    /authorization/i,
  ],
  // Basic credentials outside a header: only base64 that decodes to "user:password", so that
  // "Basic configuration" in prose is kept.
  [/\bBasic[ \t]+([A-Za-z0-9+/]{6,}={0,2})(?![A-Za-z0-9+/=])/g, basicRedactor, 'Basic'],
  [
    /\b(Digest|AWS4-HMAC-SHA256)[ \t]+[A-Za-z][\w-]*[ \t]*=[ \t]*(?:"[^"]*"|[^\s,"]+)(?:[ \t]*,[ \t]*[A-Za-z][\w-]*[ \t]*=[ \t]*(?:"[^"]*"|[^\s,"]+))*/g,
    `$1 ${REDACTED}`,
    /Digest|AWS4-/,
  ],
  [/Bearer\s+[A-Za-z0-9\-_.~+/=]+/gi, 'Bearer <REDACTED>', /bearer/i],
  [/AKIA[0-9A-Z]{16}/g, '<REDACTED_AWS_KEY>', 'AKIA'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/g, '<REDACTED_GITHUB_TOKEN>', 'gh'],
  [/github_pat_[A-Za-z0-9_]{22,}/g, '<REDACTED_GITHUB_TOKEN>', 'github_pat_'],
  [/xox[baprs]-[A-Za-z0-9-]+/g, '<REDACTED_SLACK_TOKEN>', 'xox'],
  [/\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}/g, '<REDACTED_API_KEY>', 'sk-'],
  [/\baos_[A-Za-z0-9]{8,}_[A-Za-z0-9_-]{16,}/g, '<REDACTED_API_KEY>', 'aos_'],
  // The lookbehind makes matching start only at the beginning of a local part; without it, long
  // runs like "a.a.a..." with no "@" are rescanned from every position (quadratic time).
  [/(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '<REDACTED_EMAIL>', '@'],
  // JSON serialised into text gets the same key rule as structured payloads. The escaped form
  // (JSON inside a JSON string) goes first, since the plain form consumes the outer string whole.
  // Escaped quotes inside a value are consumed so no tail of the secret survives, and a value cut
  // off by truncation is redacted up to the end of the text.
  [/(\\"([^"\\\n]{1,200})\\"\s*:\s*)\\"(?:[^"\\]|\\\\)*(?:\\"|$)/g, pairRedactor('\\"'), '\\"'],
  [/("((?:[^"\\\n]|\\.){1,200})"\s*:\s*)"(?:[^"\\]|\\.)*(?:"|\\?$)/g, pairRedactor('"'), '"'],
  [/("key"\s*:\s*)"[a-f0-9]{32,}"/gi, `$1"${REDACTED_KEY}"`, '"'],
  [/\b\d{3}-\d{2}-\d{4}\b/g, '<REDACTED_SSN>', '-'],
];

// A card is 13-19 digits in one run of digit groups joined by single spaces or dashes.
const CARD_HINT = /(?:\d[ -]?){13}/;

/**
 * Every hint at once, over the lower-cased text: a text that matches none of them (most do not)
 * holds nothing any rule below would redact — no text rule's hint, no prose key, no card, no
 * gitleaks keyword (the same lower-cased search the scanner makes) — and is returned after one
 * scan instead of twenty hint tests and the gitleaks keyword search. Every hint is a literal or
 * an alternation of literals; lower-casing both the text and the literal can only find it more
 * often (an ASCII literal in the text is still there, lower-cased, in the lower-cased text), so
 * this never skips a text that one of the hints would have let through. The card hint is digits,
 * spaces and dashes, which lower-casing leaves as they are.
 */
const lowerCaseHint = (hint: string | RegExp) => {
  if (typeof hint === 'string') return escapeRegExp(hint.toLowerCase());
  if (!/^[\w|-]+$/.test(hint.source)) throw new Error(`hint /${hint.source}/ is not an alternation of literals`);
  return hint.source.toLowerCase();
};
const ANY_HINT = new RegExp(
  [...TEXT_RULES.map(([, , hint]) => lowerCaseHint(hint)), lowerCaseHint(PROSE_KEY_HINT), CARD_HINT.source, ...SECRET_KEYWORDS.map(escapeRegExp)].join('|'),
);

function pairRedactor(quote: string): Replacer {
  return (match, prefix = '', key = '') =>
    isSensitiveKey(key) ? `${prefix}${quote}${REDACTED}${quote}` : match;
}

export function redactText(text: string): string {
  const lower = text.toLowerCase();
  const first = lower.search(ANY_HINT);
  if (first < 0) return text;
  let out = text;
  for (const [pattern, replacement, hint] of TEXT_RULES) {
    if (!passes(hint, out)) continue;
    out =
      typeof replacement === 'string'
        ? out.replace(pattern, replacement)
        : out.replace(pattern, replacement);
  }
  out = redactProsePairs(out);
  // Nothing redacted so far: the gitleaks keyword search reuses the lower-cased text, from the
  // first hint on (every keyword is one of the hints, so none starts before it).
  out = out === text ? redactSecrets(out, lower, first) : redactSecrets(out);
  return CARD_HINT.test(out) ? redactCardsInText(out) : out;
}

// Identifier-like values repeat (skill names, models, providers), so verdicts are cached; the cap
// bounds memory against hostile input.
const verdicts = new Map<string, boolean>();
const MAX_CACHED_VERDICTS = 10_000;

/** Would redaction change this text? For fields that refuse secrets instead of redacting them. */
export function wouldRedact(text: string): boolean {
  let verdict = verdicts.get(text);
  if (verdict === undefined) {
    verdict = redactText(text) !== text;
    if (verdicts.size >= MAX_CACHED_VERDICTS) verdicts.clear();
    verdicts.set(text, verdict);
  }
  return verdict;
}

export function redactOptionalText(text: string | null | undefined): string | null | undefined {
  return text == null ? text : redactText(text);
}

export function redactJson(value: unknown, maxDepth = 32): unknown {
  return walk(value, 0, maxDepth);
}

function walk(value: unknown, depth: number, maxDepth: number): unknown {
  switch (typeof value) {
    case 'string':
      return redactText(value);
    case 'number':
      // A card number has at least 13 digits.
      return Number.isSafeInteger(value) && value >= 1e12 && isCardNumber(String(value))
        ? REDACTED_CARD
        : value;
    case 'bigint':
      return isCardNumber(value.toString()) ? REDACTED_CARD : value;
    case 'boolean':
    case 'undefined':
      return value;
    case 'object':
      break;
    default:
      return REDACTED;
  }
  if (value === null) return null;
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? REDACTED : redactText(value.toISOString());
  }
  // Fail closed: content below the limit is dropped, never returned as-is.
  if (depth > maxDepth) return REDACTED;
  // Copy on write: a part with nothing to redact is returned as it is, so a clean payload is
  // walked but not copied (ingest redacts every step's JSON; the copies were most of its garbage).
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const redacted = walk(item, depth + 1, maxDepth);
      if (out === undefined && (redacted !== item || !(i in value))) out = value.slice(0, i);
      out?.push(redacted);
    }
    return out ?? value;
  }
  if (!isPlainObject(value)) return REDACTED;
  const keys = Object.keys(value);
  let out: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = value[key];
    const redacted = redactEntry(key, item, depth, maxDepth);
    if (out === undefined && redacted !== item) {
      out = {};
      for (let j = 0; j < i; j++) define(out, keys[j]!, value[keys[j]!]);
    }
    if (out !== undefined) define(out, key, redacted);
  }
  return out ?? value;
}

// Defined, not assigned, so that a "__proto__" key stays data instead of setting a prototype.
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function redactEntry(key: string, value: unknown, depth: number, maxDepth: number): unknown {
  return replacedEntry(key, value) ?? walk(value, depth + 1, maxDepth);
}

/** What an object entry is replaced with whatever its value (its key names a secret), or undefined. */
function replacedEntry(key: string, value: unknown): string | undefined {
  if (isSensitiveKey(key)) return REDACTED;
  if (key.length === 3 && key.toLowerCase() === 'key' && typeof value === 'string' && /^[a-f0-9]{32,}$/i.test(value)) {
    return REDACTED_KEY;
  }
  return undefined;
}

/**
 * `canonicalJson(redactJson(value, maxDepth))` in one walk, without building the redacted copy:
 * ingest needs only the text (it is hashed, and stored as the jsonb value). Every rule is the
 * one `walk` applies, in the same order; test/domain/redact-canonical.test.ts holds the two equal.
 */
export function redactToCanonicalJson(value: unknown, maxDepth = 32): string {
  // Parts joined once into a flat string (it is hashed and stored as it is), rather than a rope
  // of `+=` copies flattened later.
  const parts: string[] = [];
  canonicalWalk(value, 0, maxDepth, parts);
  return parts.length === 1 ? parts[0]! : parts.join('');
}

function canonicalWalk(value: unknown, depth: number, maxDepth: number, out: string[]): void {
  switch (typeof value) {
    case 'string':
      return pushString(out, redactText(value));
    case 'number':
      if (Number.isSafeInteger(value) && value >= 1e12 && isCardNumber(String(value))) return pushString(out, REDACTED_CARD);
      out.push(encodeNumber(value));
      return;
    case 'bigint':
      out.push(isCardNumber(value.toString()) ? encodeString(REDACTED_CARD) : value.toString());
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'undefined':
      out.push('null');
      return;
    case 'object':
      break;
    default:
      return pushString(out, REDACTED);
  }
  if (value === null) {
    out.push('null');
    return;
  }
  if (value instanceof Date) return pushString(out, Number.isNaN(value.getTime()) ? REDACTED : redactText(value.toISOString()));
  if (depth > maxDepth) return pushString(out, REDACTED);
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i) out.push(',');
      canonicalWalk(value[i], depth + 1, maxDepth, out);
    }
    out.push(']');
    return;
  }
  if (!isPlainObject(value)) return pushString(out, REDACTED);
  const keys = sortedKeys(value);
  out.push('{');
  let first = true;
  for (const key of keys) {
    const item = value[key];
    const replaced = replacedEntry(key, item);
    // An unset value is left out, as canonicalJson leaves it out; a secret key is redacted even then.
    if (replaced === undefined && item === undefined) continue;
    if (!first) out.push(',');
    first = false;
    pushString(out, key);
    out.push(':');
    if (replaced === undefined) canonicalWalk(item, depth + 1, maxDepth, out);
    else pushString(out, replaced);
  }
  out.push('}');
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
