import { describe, expect, it } from 'vitest';
import {
  calculateRecoveryConfidence,
  CONFIDENCE_VERSION,
  confidenceBand,
  isValidApprovalPath,
  shouldAutoApply,
} from '../../src/domain/confidence.ts';

describe('CONFIDENCE_V1', () => {
  it('has the reference version tag', () => {
    expect(CONFIDENCE_VERSION).toBe('CONFIDENCE_V1');
  });

  it.each([
    [1, 'strong_match'],
    [0.85, 'strong_match'],
    [0.8499, 'weak_match'],
    [0.6, 'weak_match'],
    [0.5999, 'novel'],
    [0, 'novel'],
  ])('confidenceBand(%s) = %s', (c, band) => {
    expect(confidenceBand(c)).toBe(band);
  });

  it.each([
    [0, true, 0.7],
    [1, true, 0.7],
    [2, true, 0.8],
    [3, true, 0.9],
    [10, true, 0.9],
    [1, false, 0.5],
    [2, false, 0.6],
    [3, false, 0.7],
  ])('calculateRecoveryConfidence(%s, %s) = %s exactly', (occurrences, strong, expected) => {
    expect(calculateRecoveryConfidence(occurrences, strong)).toBe(expected);
  });

  it.each([
    [0.85, 3, true],
    [0.9, 10, true],
    [0.84, 3, false],
    [0.9, 2, false],
  ])('shouldAutoApply(%s, %s) = %s', (c, occurrences, expected) => {
    expect(shouldAutoApply(c, occurrences)).toBe(expected);
  });

  it('never auto-applies a freshly computed weak match', () => {
    expect(shouldAutoApply(calculateRecoveryConfidence(100, false), 100)).toBe(false);
    expect(shouldAutoApply(calculateRecoveryConfidence(3, true), 3)).toBe(true);
  });

  it.each([
    ['auto', true],
    ['threshold', true],
    ['human:alice@example.com', true],
    [`human:${'x'.repeat(120)}`, true],
    [`human:${'x'.repeat(121)}`, false],
    ['human:', false],
    ['human:ali ce', false],
    ['human:bob\n', false],
    ['Auto', false],
    ['auto ', false],
    ['manual', false],
  ])('isValidApprovalPath(%j) = %s', (p, expected) => {
    expect(isValidApprovalPath(p)).toBe(expected);
  });
});
