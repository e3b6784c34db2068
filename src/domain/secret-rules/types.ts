/** gitleaks' rule data, as scripts/import-gitleaks.ts copies it (regexes in Go RE2 syntax). */
export type GitleaksAllowlist = {
  /** What the regexes are tested against: the secret (capture group) or the whole match. */
  target: 'secret' | 'match';
  regexes: string[];
  /** A secret containing one of these (lower case) is not a secret. */
  stopwords: string[];
};

export type GitleaksRule = {
  id: string;
  regex: string;
  /** Lower-case literals; a text containing none of them cannot match (gitleaks' own pre-check). */
  keywords: string[];
  /** Minimum Shannon entropy (bits per character) of the secret. */
  entropy?: number;
  /** Capture group holding the secret; default: the first non-empty group, else the match. */
  secretGroup?: number;
  allowlists: GitleaksAllowlist[];
};

export type GitleaksConfig = { allowlist: GitleaksAllowlist; rules: GitleaksRule[] };
