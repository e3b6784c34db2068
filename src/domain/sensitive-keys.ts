// Key names are matched as word sequences, not exact strings, so that the many spellings of a
// secret (openaiApiKey, X-Api-Key, db_password) are caught while metadata about a secret
// (max_tokens, token_count, api_key_id) is kept.

const SENSITIVE_NAMES = [
  // reference list
  'password', 'passwd', 'pwd', 'secret', 'api_key', 'apikey', 'api-key', 'token',
  'access_token', 'refresh_token', 'auth_token', 'authorization', 'bearer', 'private_key',
  'privatekey', 'ssh_key', 'credentials', 'cred', 'ssn', 'social_security', 'credit_card',
  'creditcard', 'card_number', 'cvv', 'cvc',
  // additions
  'client_secret', 'session_token', 'cookie', 'set-cookie', 'x-api-key', 'passphrase',
  'secret_key', 'auth', 'pass',
];

// A value described by these words is a property of a secret, not the secret itself.
const QUALIFIERS = new Set([
  'count', 'counts', 'limit', 'limits', 'usage', 'type', 'length', 'len', 'id', 'ids', 'name',
  'names', 'expires', 'expiry', 'ttl', 'url',
]);

export function keyWords(key: string): string[] {
  return (key.match(/[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+/g) ?? []).map((w) =>
    w.toLowerCase(),
  );
}

const SENSITIVE_SEQUENCES = SENSITIVE_NAMES.map(keyWords);

// Payloads repeat the same few key names many times; the cap bounds memory against hostile input.
const verdicts = new Map<string, boolean>();
const MAX_CACHED_KEYS = 10_000;

export function isSensitiveKey(key: string): boolean {
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = classify(key);
    if (verdicts.size >= MAX_CACHED_KEYS) verdicts.clear();
    verdicts.set(key, verdict);
  }
  return verdict;
}

function classify(key: string): boolean {
  const words = keyWords(key);
  for (let i = 0; i < words.length; i++) {
    const end = chainEnd(words, i);
    if (end === i) continue;
    const next = words[end];
    if (next === undefined || !QUALIFIERS.has(next)) return true;
  }
  return false;
}

// Follows adjacent sensitive sequences as one compound, so in secret_key_id the qualifier "id"
// applies to "secret key" as a whole instead of "secret" matching on its own.
function chainEnd(words: string[], start: number): number {
  let end = start;
  for (;;) {
    const len = longestMatchAt(words, end);
    if (len === 0) return end;
    end += len;
  }
}

function longestMatchAt(words: string[], at: number): number {
  let best = 0;
  for (const seq of SENSITIVE_SEQUENCES) {
    if (seq.length > best && seq.every((w, k) => words[at + k] === w)) best = seq.length;
  }
  return best;
}
