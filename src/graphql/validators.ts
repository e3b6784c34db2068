// Shared zod rules for input fields; a failure becomes BAD_USER_INPUT naming the field (builder.ts).
import { z } from 'zod';
import { wouldRedact } from '../domain/redact.ts';
import { AppError } from '../errors.ts';

const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

// Fields that are not redacted are restricted instead (issue 11): a character set without "@",
// "=", quotes or control characters, so no e-mail address, key=value pair or quoted secret fits,
// and a value that redaction would change (an AKIA… key, a token, "pwd:…") is refused rather
// than stored. Values written over OTLP are redacted instead, since one attribute cannot fail a batch.
const IDENT_CHARS = /^[A-Za-z0-9._:/+-]*$/;
const NAME_CHARS = /^[A-Za-z0-9._:/+ -]*$/;

/** For schema descriptions: what an identifier field accepts. */
export const IDENT_RULE = 'Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused.';
/** For schema descriptions: what a name field accepts. */
export const NAME_RULE = 'Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused.';
/** For schema descriptions of free text. */
export const REDACTED_RULE = 'Free text; redacted before storage.';

// Checked only when the character set passed, so that one bad value gets one message.
const notASecret = (chars: RegExp) => (s: string) => !chars.test(s) || !wouldRedact(s);

/**
 * A quick test of the values a rule certainly accepts, for checkFields: a batch of steps runs a
 * handful of rules per step, and a zod run costs ~0.5–0.7 µs where the test costs a tenth of
 * that. A value the test does not accept goes through the rule itself, so every message and
 * path is the rule's own. Keyed by the schema object: a schema derived from one of these (a
 * further .refine) is another object, without a quick test, and always runs in full.
 */
const QUICK_PASS = new WeakMap<object, (value: unknown) => boolean>();
/** Whether the rule's quick test accepts the value (false for a rule without one). */
export const quicklyPasses = (rule: object, value: unknown): boolean => QUICK_PASS.get(rule)?.(value) ?? false;
function withQuickPass<R extends object>(rule: R, passes: (value: unknown) => boolean): R {
  QUICK_PASS.set(rule, passes);
  return rule;
}

const stringRule = (max: number, chars: RegExp, charsMessage: string) =>
  withQuickPass(
    z
      .string()
      .min(1, 'must not be empty')
      .max(max, `at most ${max} characters`)
      .regex(chars, charsMessage)
      .refine(notASecret(chars), 'looks like a secret or personal data'),
    // The same four checks, in plain code.
    (v) => typeof v === 'string' && v.length >= 1 && v.length <= max && chars.test(v) && !wouldRedact(v),
  );

/** Identifiers (trace, run, agent, actor ids…): see IDENT_RULE. */
export const ident = (max = 64) => stringRule(max, IDENT_CHARS, 'only letters, digits and . _ : / + -');

/** Names (skill, model, provider, outcome codes, idempotency keys): see NAME_RULE. */
export const name = (max: number) => stringRule(max, NAME_CHARS, 'only letters, digits, spaces and . _ : / + -');

/** For schema descriptions of filter fields. */
export const FILTER_RULE = 'Matched exactly against the stored value.';

/**
 * A filter value: any text a stored value can hold. Filters store nothing, and values written
 * before a field was restricted (or imported) must stay findable, so no character set here.
 */
export const filterValue = (max = 128) =>
  z.string().min(1, 'must not be empty').max(max, `at most ${max} characters`).regex(NO_CONTROL, 'no control characters');

/** Short human labels (titles): any text without control characters; callers redact them. */
export const label = (max: number) =>
  z.string().min(1, 'must not be empty').max(max, `at most ${max} characters`).regex(NO_CONTROL, 'no control characters');

/** Free text (reasons, descriptions): newlines allowed, NUL not (Postgres cannot store it). */
export const text = (max = 10_000) =>
  z.string().max(max, `at most ${max} characters`).refine((s) => !s.includes('\u0000'), 'may not contain U+0000');

export const nonNegativeInt = (max = 2_147_483_647) =>
  withQuickPass(z.number().int().min(0).max(max, `at most ${max}`), (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max);

/** A finite number from `min` to `max`. */
export const numberBetween = (min: number, max: number) =>
  withQuickPass(z.number().min(min).max(max), (v) => typeof v === 'number' && v >= min && v <= max);

export const uuid = () => z.string().uuid('must be a UUID');

const HEX = /^[0-9a-f]+$/;
export const hexHash = (max = 64) =>
  withQuickPass(z.string().regex(HEX, 'lower-case hex').max(max, `at most ${max} characters`), (v) => typeof v === 'string' && v.length <= max && HEX.test(v));

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
    const rule = rules[field]!;
    if (quicklyPasses(rule, fieldValue)) continue;
    const result = rule['~standard'].validate(fieldValue) as { issues?: readonly InputIssue[] };
    if (!result.issues?.length) continue;
    for (const issue of result.issues) issues.push({ path: [...path, field, ...(issue.path ?? [])], message: issue.message });
    return false;
  }
  return true;
}
