// Expected failures are GraphQLErrors with extensions.code (DESIGN D10): yoga passes them to the
// client unchanged. Anything else is masked as INTERNAL_SERVER_ERROR and logged in full.
import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE';

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
};

/** One problem with one item of a batch, by its position in the input list. */
export type ItemError = { index: number; code: ErrorCode; message: string; field?: string };

export class AppError extends GraphQLError {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    const status = HTTP_STATUS[code];
    super(message, { extensions: { code, ...extra, ...(status ? { http: { status } } : {}) } });
    this.code = code;
  }
}

export const badInput = (message: string, field?: string) =>
  new AppError('BAD_USER_INPUT', message, field ? { field } : {});
export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string, extra: Record<string, unknown> = {}) => new AppError('CONFLICT', message, extra);
export const forbidden = (message: string) => new AppError('FORBIDDEN', message);
export const unauthenticated = (message: string) => new AppError('UNAUTHENTICATED', message);
export const payloadTooLarge = (message: string) => new AppError('PAYLOAD_TOO_LARGE', message);

/** A rejected batch: nothing was written; `items` says which inputs failed and why. */
export function batchRejected(items: ItemError[]): AppError {
  const codes = new Set(items.map((i) => i.code));
  const code: ErrorCode = codes.size === 1 ? items[0]!.code : codes.has('CONFLICT') ? 'CONFLICT' : 'BAD_USER_INPUT';
  const first = items[0]!;
  const more = items.length > 1 ? ` (and ${items.length - 1} more)` : '';
  return new AppError(code, `batch rejected, nothing written: item ${first.index}: ${first.message}${more}`, { items });
}

/** Postgres error codes we translate; anything else stays unexpected. */
export function pgErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } }; cause?: unknown };
  const original = e?.meta?.driverAdapterError?.cause?.originalCode;
  if (typeof original === 'string') return original;
  if (typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  return undefined;
}

export const isUniqueViolation = (error: unknown) =>
  pgErrorCode(error) === '23505' || (error as { code?: unknown })?.code === 'P2002';

/** The database's own words for a failure, without the driver's wrapping. */
export function dbErrorMessage(error: unknown): string {
  const e = error as { message?: unknown; meta?: { driverAdapterError?: { cause?: { originalMessage?: unknown } } } };
  const original = e?.meta?.driverAdapterError?.cause?.originalMessage;
  if (typeof original === 'string') return original;
  return String(e?.message ?? error).trim().split('\n').pop()!;
}

/** Postgres SQLSTATEs and driver errors that mean "the database is not there right now". */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3]|53300)/;
const UNAVAILABLE_MESSAGE = /ECONNREFUSED|ECONNRESET|Connection terminated|Can't reach database server|server closed the connection|the database system is (starting up|shutting down)/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  const code = pgErrorCode(error);
  if (code && UNAVAILABLE_SQLSTATE.test(code)) return true;
  const prismaCode = (error as { code?: unknown })?.code;
  if (prismaCode === 'P1001' || prismaCode === 'P1017' || prismaCode === 'P2024') return true;
  return UNAVAILABLE_MESSAGE.test(String((error as { message?: unknown })?.message ?? ''));
}

/** What a client sees when the database is down: retryable, with a hint when to retry. */
export const serviceUnavailable = () =>
  new GraphQLError('the database is unavailable; retry shortly', {
    extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: { 'retry-after': '2' } } },
  });
