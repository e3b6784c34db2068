import { describe, expect, it } from 'vitest';
import { statusToLevel } from '../../src/domain/levels.ts';

describe('statusToLevel', () => {
  it.each([
    ['failure', 'ERROR'],
    ['error', 'ERROR'],
    [' FAILURE ', 'ERROR'],
    ['Error', 'ERROR'],
    ['retry', 'WARN'],
    ['RETRYING', 'WARN'],
    ['success', 'INFO'],
    ['skipped', 'INFO'],
    ['failed', 'INFO'],
    ['', 'INFO'],
    [null, 'INFO'],
    [undefined, 'INFO'],
    [42, 'INFO'],
  ])('%j -> %s', (status, level) => {
    expect(statusToLevel(status)).toBe(level);
  });
});
