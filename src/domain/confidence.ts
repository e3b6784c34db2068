// Reference CONFIDENCE_V1 scoring for recovery suggestions.

export const CONFIDENCE_VERSION = 'CONFIDENCE_V1';

export type ConfidenceBand = 'strong_match' | 'weak_match' | 'novel';

export function confidenceBand(c: number): ConfidenceBand {
  if (c >= 0.85) return 'strong_match';
  if (c >= 0.6) return 'weak_match';
  return 'novel';
}

// The reference also took a base_confidence argument that it ignored (B28); it is dropped here
// rather than kept as a parameter that silently does nothing.
export function calculateRecoveryConfidence(occurrences: number, isStrongMatch: boolean): number {
  // Whole hundredths avoid results like 0.7999999999999999 from adding 0.7 + 0.1.
  const base = isStrongMatch ? 70 : 50;
  const bonus = occurrences >= 3 ? 20 : occurrences >= 2 ? 10 : 0;
  return Math.min(base + bonus, 90) / 100;
}

export function shouldAutoApply(c: number, occurrences: number): boolean {
  return c >= 0.85 && occurrences >= 3;
}

export function isValidApprovalPath(p: string): boolean {
  return /^(?:auto|threshold|human:\S{1,120})$/u.test(p);
}
