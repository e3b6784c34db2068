// Custom scalars. Parse failures throw AppError(BAD_USER_INPUT) so clients see a typed error.
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { badInput } from '../errors.ts';
import { formatCents, parseCents } from '../domain/money.ts';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value)) {
    throw badInput('DateTime must be an ISO-8601 string with a time zone, e.g. 2026-01-31T12:00:00Z');
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1970 || date.getUTCFullYear() > 9999) {
    throw badInput(`DateTime out of range: ${value}`);
  }
  return date;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant, as an ISO-8601 string with a time zone; returned in UTC with milliseconds.',
  serialize: (value) => (value instanceof Date ? value : new Date(String(value))).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

/** How deep JSON input may nest; deeper documents are refused rather than half-redacted (B16). */
export const MAX_JSON_DEPTH = 32;

/**
 * Checks a JSON input value in place and returns it as it is: no copy, since a batch of steps
 * carries up to a thousand JSON documents and copying them was a large part of ingest's garbage.
 */
function checkJson(value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw badInput('JSON numbers must be finite');
    return value;
  }
  if (typeof value === 'string') {
    // Postgres text and jsonb cannot hold U+0000; refuse it instead of failing at insert.
    if (value.includes('\u0000')) throw badInput('JSON strings may not contain the NUL character (\\u0000)');
    return value;
  }
  if (depth >= MAX_JSON_DEPTH) throw badInput(`JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
  if (Array.isArray(value)) {
    for (const item of value) checkJson(item, depth + 1);
    return value;
  }
  if (typeof value === 'object') {
    for (const k of Object.keys(value)) {
      if (k.includes('\u0000')) throw badInput('JSON keys may not contain the NUL character (\\u0000)');
      checkJson((value as Record<string, unknown>)[k], depth + 1);
    }
    return value;
  }
  throw badInput('not a JSON value');
}

function literalToJson(ast: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => literalToJson(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToJson(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    default:
      throw badInput('not a JSON value');
  }
}

export const JsonScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  description: `Any JSON value, nested at most ${MAX_JSON_DEPTH} levels; strings may not contain U+0000.`,
  serialize: (value) => value,
  parseValue: (value) => checkJson(value, 0),
  parseLiteral: (ast, variables) => checkJson(literalToJson(ast, variables), 0),
});

function parseCentsInput(value: unknown): bigint {
  if (typeof value !== 'string' && typeof value !== 'number') throw badInput('Cents must be a decimal string or a number');
  try {
    return parseCents(value);
  } catch (error) {
    // The domain's message already names the amount and what is wrong with it.
    throw badInput((error as Error).message);
  }
}

export const CentsScalar = new GraphQLScalarType<bigint, string>({
  name: 'Cents',
  description:
    'An exact amount of US cents as a decimal string with up to 6 decimal places (stored as integer micro-cents). ' +
    'Input also accepts a number.',
  serialize: (value) => formatCents(value as bigint),
  parseValue: parseCentsInput,
  parseLiteral: (ast) =>
    parseCentsInput(ast.kind === Kind.STRING ? ast.value : ast.kind === Kind.INT || ast.kind === Kind.FLOAT ? Number(ast.value) : undefined),
});

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function parseInt64(value: unknown): bigint {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !/^-?\d{1,19}$/.test(text)) throw badInput('Int64 must be an integer or a string of digits');
  const n = BigInt(text);
  if (n < INT64_MIN || n > INT64_MAX) throw badInput('Int64 out of range');
  return n;
}

export const Int64Scalar = new GraphQLScalarType<bigint, string>({
  name: 'Int64',
  description: 'A signed 64-bit integer, returned as a string (JSON numbers lose precision past 2^53).',
  serialize: (value) => String(value),
  parseValue: parseInt64,
  parseLiteral: (ast) => parseInt64(ast.kind === Kind.STRING || ast.kind === Kind.INT ? ast.value : undefined),
});
