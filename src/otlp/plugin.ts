// OTLP/HTTP trace receiver: POST /v1/traces, OTLP/JSON or protobuf, gzip or not, authenticated by
// the same API keys as GraphQL (write scope). Answers as the OTLP spec asks
// (opentelemetry-proto docs/specification.md): 200 with partialSuccess for rejected spans (the
// client must not retry them), 400 bad data, 401/403, 413 past the size limit (measured after
// decompression, so a zip bomb stops at the cap), 415 other content types, and 503 + Retry-After
// when the database is unreachable or too many exports are in flight (the client retries those).
// 429 comes from the rate limiter, which runs before this plugin on every path.
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { pgErrorCode } from '../errors.ts';
import type { Stores } from '../stores/index.ts';
import { decodeExport, OtlpBadRequest, type IdEncoding } from './decode.ts';
import { spanToStep } from './genai.ts';
import { decodeExportRequest, encodeExportResponse, encodeRpcStatus } from './proto.ts';

export const OTLP_TRACES_PATH = '/v1/traces';

export type OtlpOptions = {
  stores: Stores;
  logger: Logger;
  /** Largest body, before and after decompression (413 beyond). */
  maxBodyBytes: number;
  /** Exports processed at once; more are answered 503 + Retry-After rather than queued without bound. */
  maxInFlight?: number;
};

type Format = 'json' | 'protobuf';

/** google.rpc.Code values for the Status body of an error response. */
const RPC = { INVALID_ARGUMENT: 3, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14, UNAUTHENTICATED: 16 };
const RETRY_AFTER_SECONDS = '5';

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly rpcCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const unavailable = (message: string) => new HttpFailure(503, RPC.UNAVAILABLE, message, { 'retry-after': RETRY_AFTER_SECONDS });
const tooLarge = (max: number) => new HttpFailure(413, RPC.RESOURCE_EXHAUSTED, `request body exceeds the limit of ${max} bytes (after decompression)`);
const badData = (message: string) => new HttpFailure(400, RPC.INVALID_ARGUMENT, message);

function formatOf(contentType: string | null): Format | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  return null;
}

function errorResponse(format: Format, failure: HttpFailure): Response {
  const headers = { ...failure.headers, 'content-type': format === 'json' ? 'application/json' : 'application/x-protobuf' };
  const body = format === 'json' ? JSON.stringify({ code: failure.rpcCode, message: failure.message }) : new Uint8Array(encodeRpcStatus(failure.rpcCode, failure.message));
  return new Response(body, { status: failure.status, headers });
}

function successResponse(format: Format, rejected: number, messages: string[]): Response {
  const partial = rejected > 0 ? { rejectedSpans: rejected, errorMessage: `${rejected} span(s) rejected: ${messages.join('; ')}` } : undefined;
  if (format === 'protobuf') {
    return new Response(new Uint8Array(encodeExportResponse(partial)), { status: 200, headers: { 'content-type': 'application/x-protobuf' } });
  }
  // proto3 JSON writes int64 as a decimal string.
  return Response.json(partial ? { partialSuccess: { ...partial, rejectedSpans: String(rejected) } } : {});
}

/** Reads at most `max` bytes; a longer body is refused without buffering the rest. */
async function readBody(request: Request, max: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > max) throw tooLarge(max);
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

async function decompress(body: Uint8Array, encoding: string | null, max: number): Promise<Uint8Array> {
  const name = (encoding ?? 'identity').trim().toLowerCase();
  if (name === 'identity' || name === '') return body;
  const expand = name === 'gzip' || name === 'x-gzip' ? gunzipAsync : name === 'deflate' ? inflateAsync : null;
  if (!expand) throw new HttpFailure(415, RPC.INVALID_ARGUMENT, `unsupported Content-Encoding "${name}": send gzip, deflate or none`);
  try {
    return await expand(body, { maxOutputLength: max });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(max);
    throw badData(`body is not valid ${name} data`);
  }
}

function parse(body: Uint8Array, format: Format): unknown {
  try {
    if (format === 'protobuf') return decodeExportRequest(body);
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (error) {
    throw badData(`body is not a valid ${format === 'json' ? 'OTLP/JSON' : 'protobuf'} ExportTraceServiceRequest: ${(error as Error).message.slice(0, 200)}`);
  }
}

function decodeOrRefuse(body: unknown, ids: IdEncoding) {
  try {
    return decodeExport(body, ids);
  } catch (error) {
    if (error instanceof OtlpBadRequest) throw badData(error.message);
    throw error;
  }
}

const TRANSIENT_ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TransactionWriteConflict']);
const TRANSIENT_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034']);

/** A failure the client should retry later: the database is down, busy, or lost the race. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  const kind = e?.meta?.driverAdapterError?.cause?.kind;
  if (typeof kind === 'string' && TRANSIENT_ADAPTER_KINDS.has(kind)) return true;
  if (typeof e?.code === 'string' && TRANSIENT_PRISMA_CODES.has(e.code)) return true;
  const sqlState = pgErrorCode(error);
  if (sqlState && (sqlState.startsWith('08') || ['57P01', '57P02', '57P03', '53300', '40001', '40P01', '55P03'].includes(sqlState))) return true;
  return /ECONNREFUSED|ECONNRESET|Connection terminated|timeout exceeded when trying to connect|PGlite is closed/i.test(String(e?.message ?? ''));
}

export function otlpPlugin({ stores, logger, maxBodyBytes, maxInFlight = 16 }: OtlpOptions): Plugin {
  let inFlight = 0;

  async function authenticate(request: Request): Promise<string> {
    const header = request.headers.get('authorization');
    if (!header) throw new HttpFailure(401, RPC.UNAUTHENTICATED, 'missing Authorization header: send "Authorization: Bearer <api key>"');
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    const principal = match ? await stores.tenants.authenticate(match[1]!) : null;
    if (!principal) throw new HttpFailure(401, RPC.UNAUTHENTICATED, 'invalid or revoked API key');
    if (!principal.scopes.includes('write') && !principal.scopes.includes('admin')) {
      throw new HttpFailure(403, RPC.PERMISSION_DENIED, 'sending traces needs a key with scope write');
    }
    return principal.tenantId;
  }

  async function handle(request: Request, format: Format): Promise<Response> {
    const tenantId = await authenticate(request);
    const raw = await readBody(request, maxBodyBytes);
    const body = parse(await decompress(raw, request.headers.get('content-encoding'), maxBodyBytes), format);
    const decoded = decodeOrRefuse(body, format === 'json' ? 'hex' : 'base64');
    const stored = await stores.otlpSpans.ingest(tenantId, decoded.spans.map(spanToStep));
    const rejected = decoded.rejected.count + stored.rejected.count;
    if (rejected > 0) logger.info({ tenantId, rejected, accepted: stored.accepted }, 'otlp: spans rejected');
    return successResponse(format, rejected, [...decoded.rejected.messages, ...stored.rejected.messages].slice(0, 5));
  }

  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== OTLP_TRACES_PATH) return;
      const format = formatOf(request.headers.get('content-type'));
      if (request.method !== 'POST') {
        endResponse(new Response(null, { status: 405, headers: { allow: 'POST' } }));
        return;
      }
      if (!format) {
        endResponse(errorResponse('json', new HttpFailure(415, RPC.INVALID_ARGUMENT, 'Content-Type must be application/json or application/x-protobuf')));
        return;
      }
      if (inFlight >= maxInFlight) {
        endResponse(errorResponse(format, unavailable(`too many exports in flight (${maxInFlight}); retry later`)));
        return;
      }
      inFlight += 1;
      try {
        endResponse(await handle(request, format));
      } catch (error) {
        if (error instanceof HttpFailure) {
          endResponse(errorResponse(format, error));
        } else if (isDatabaseUnavailable(error)) {
          logger.warn({ err: error }, 'otlp: database unavailable');
          endResponse(errorResponse(format, unavailable('database unavailable; retry later')));
        } else {
          logger.error({ err: error }, 'otlp: export failed');
          endResponse(errorResponse(format, new HttpFailure(500, RPC.INTERNAL, 'internal error')));
        }
      } finally {
        inFlight -= 1;
      }
    },
  };
}
