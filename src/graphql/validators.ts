// Shared zod rules for input fields; a failure becomes BAD_USER_INPUT naming the field (builder.ts).
import { z } from 'zod';

const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

/** Identifiers (trace, run, agent ids…): printable ASCII, no spaces. */
export const ident = (max = 64) =>
  z.string().min(1, 'must not be empty').max(max, `at most ${max} characters`).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

/** Short human labels (skill names, titles): any text without control characters. */
export const label = (max: number) =>
  z.string().min(1, 'must not be empty').max(max, `at most ${max} characters`).regex(NO_CONTROL, 'no control characters');

/** Free text (reasons, descriptions): newlines allowed, NUL not (Postgres cannot store it). */
export const text = (max = 10_000) =>
  z.string().max(max, `at most ${max} characters`).refine((s) => !s.includes('\u0000'), 'may not contain U+0000');

export const nonNegativeInt = (max = 2_147_483_647) => z.number().int().min(0).max(max, `at most ${max}`);

export const uuid = () => z.string().uuid('must be a UUID');

export const hexHash = (max = 64) => z.string().regex(/^[0-9a-f]+$/, 'lower-case hex').max(max, `at most ${max} characters`);
