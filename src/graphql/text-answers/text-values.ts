// A column's text, as Postgres writes it (`::text`), → the JSON text of the GraphQL value, exactly as
// the schema's scalars serialize the same value (src/graphql/scalars.ts): no Date, BigInt or parsed
// JSON in between. JSON columns pass through as they came.
import { isEnumType, type GraphQLEnumType, type GraphQLNamedType } from 'graphql';
import { parseTimestamptz } from '../../db/timestamps.ts';

/** Column text (null for SQL NULL) → JSON text. */
export type Render = (text: string | null) => string;

// What JSON.stringify escapes in a string: `"`, `\`, control characters and lone surrogates (any
// surrogate sends the text to it). Text without them, the usual case, is quoted as it is, ~3×
// faster than calling JSON.stringify on every value.
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;
const string: Render = (v) => (v === null ? 'null' : ESCAPED.test(v) ? JSON.stringify(v) : `"${v}"`);
// float8 and int text is JSON already (shortest round-trip digits since Postgres 12); -0 is 0 in JS.
const number: Render = (v) => (v === null ? 'null' : v === '-0' ? '0' : v);
// A boolean cast to text is 'true'/'false'; its output function writes 't'/'f'.
const boolean: Render = (v) => (v === null ? 'null' : v === 't' || v === 'true' ? 'true' : 'false');
const json: Render = (v) => (v === null ? 'null' : v);
const int64: Render = (v) => (v === null ? 'null' : `"${v}"`);

/**
 * DateTimeScalar's text (`toISOString()`: UTC, three fraction digits) from timestamptz text. The
 * common form, "2026-10-02 12:34:56.7+00" (a UTC session; trailing zeros of the fraction dropped),
 * is rewritten in place; any other offset or form goes through the driver's own parser.
 */
export function isoOf(v: string): string {
  const n = v.length;
  if (n >= 22 && v.charCodeAt(10) === 32 && v.endsWith('+00') && v.charCodeAt(4) === 45 && v.charCodeAt(0) !== 48) {
    if (n === 22) return `${v.slice(0, 10)}T${v.slice(11, 19)}.000Z`;
    if (n > 23 && v.charCodeAt(19) === 46) return `${v.slice(0, 10)}T${v.slice(11, 19)}.${(v.slice(20, n - 3) + '00').slice(0, 3)}Z`;
  }
  const date = parseTimestamptz(v);
  return (date instanceof Date ? date : new Date(date as number)).toISOString();
}

const dateTime: Render = (v) => (v === null ? 'null' : `"${isoOf(v)}"`);

/** CentsScalar (formatCents): integer micro-cents text → cents as a decimal string, trailing zeros dropped. */
const cents: Render = (v) => {
  if (v === null) return 'null';
  const negative = v.charCodeAt(0) === 45;
  const digits = (negative ? v.slice(1) : v).padStart(7, '0');
  const whole = digits.slice(0, -6).replace(/^0+(?=\d)/, '');
  const fraction = digits.slice(-6).replace(/0+$/, '');
  return `"${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}"`;
};

const SCALARS: Record<string, Render> = {
  String: string,
  ID: string,
  Int: number,
  Float: number,
  Boolean: boolean,
  JSON: json,
  DateTime: dateTime,
  Cents: cents,
  Int64: int64,
};

const enumRenders = new WeakMap<GraphQLEnumType, Render>();

/** The renderer for a leaf type, or undefined for a scalar this does not know. */
export function renderOf(type: GraphQLNamedType): Render | undefined {
  if (isEnumType(type)) {
    let render = enumRenders.get(type);
    if (!render) enumRenders.set(type, (render = enumRender(type)));
    return render;
  }
  return SCALARS[type.name];
}

/** Stored value (the enum's internal value) → the enum's name; built once per enum type. */
function enumRender(type: GraphQLEnumType): Render {
  const names = new Map(type.getValues().map((value) => [String(value.value), JSON.stringify(value.name)]));
  return (v) => {
    if (v === null) return 'null';
    const name = names.get(v);
    if (name === undefined) throw new Error(`text-answers: ${type.name} has no value for ${v}`);
    return name;
  };
}

/** A Relay global ID as the relay plugin writes it (base64 of `Type:key`), as JSON text. */
export const globalIdOf = (type: string, key: string) => `"${Buffer.from(`${type}:${key}`).toString('base64')}"`;
