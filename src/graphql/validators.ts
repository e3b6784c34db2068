// Shared zod rules for input fields; a failure becomes BAD_USER_INPUT naming the field (builder.ts).
import { z } from 'zod';
import { AppError } from '../errors.ts';

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

/** One failed rule: where in the arguments (input.steps.3.skillName) and why. */
export type InputIssue = { readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined; readonly message: string };

/** The BAD_USER_INPUT error of failed rules: each message prefixed by its field path, and the paths in `fields`. */
export function inputError(issues: readonly InputIssue[]): AppError {
  const fields = issues.map((i) => (i.path ?? []).map((p) => (typeof p === 'object' ? String(p.key) : String(p))).join('.'));
  return new AppError('BAD_USER_INPUT', issues.map((i, n) => (fields[n] ? `${fields[n]}: ${i.message}` : i.message)).join('; '), { fields });
}

type SyncRule = { '~standard': { validate: (value: unknown) => unknown } };

/**
 * Checks the fields of one input object against their rules as per-field `validate` options
 * would: rules in field order, absent fields skipped, and only the first failing field of the
 * object reported (with every rule it broke). Adds failures to `issues`, returns whether it
 * passed. For lists of many input objects: the plugin's per-field wrapping costs more than the rules.
 */
export function checkFields(value: object, rules: Readonly<Record<string, SyncRule>>, path: readonly (string | number)[], issues: InputIssue[]): boolean {
  for (const field in rules) {
    const fieldValue = (value as Record<string, unknown>)[field];
    if (fieldValue === null || fieldValue === undefined) continue;
    const result = rules[field]!['~standard'].validate(fieldValue) as { issues?: readonly InputIssue[] };
    if (!result.issues?.length) continue;
    for (const issue of result.issues) issues.push({ path: [...path, field, ...(issue.path ?? [])], message: issue.message });
    return false;
  }
  return true;
}
