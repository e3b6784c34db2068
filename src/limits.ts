// Request limits (yoga plugins): body size, query shape (graphql-armor), introspection, per-key
// rate limiting. Each refusal is a typed error; none of them lets a request reach the stores.
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { FetchAPI, Plugin } from 'graphql-yoga';
import { payloadTooLarge } from './errors.ts';
import type { Lease, TokenBuckets } from './rate-limit-buckets.ts';

export type Limits = {
  /** Largest request body, in bytes (413 PAYLOAD_TOO_LARGE beyond). */
  maxBodyBytes: number;
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxCost: number;
  introspection: boolean;
  fieldSuggestions: boolean;
  /** Requests per minute per API key; 0 turns rate limiting off. */
  rateLimitPerMinute: number;
};

export const DEFAULT_LIMITS: Limits = {
  maxBodyBytes: 10 * 1024 * 1024,
  maxDepth: 15,
  maxAliases: 20,
  maxTokens: 10_000,
  maxCost: 50_000,
  introspection: true,
  fieldSuggestions: true,
  rateLimitPerMinute: 30_000,
};

const errorResponse = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  Response.json({ errors: [{ message, extensions: { code } }] }, { status, headers });

/**
 * Refuses an oversized body: from its declared length before it is read, and, for a body sent
 * without one (chunked), by counting bytes as the GraphQL request parser reads them. A declared
 * length needs no counting: HTTP framing ends the body there. This replaces yoga's own limit
 * (`maxRequestBodySize: false` in server.ts), which piped every body through a stream transform
 * and cost about a third of a small request's CPU (BENCHMARKS.md).
 */
export function bodySizePlugin(maxBytes: number): Plugin {
  const tooLarge = (what: string) => errorResponse(413, 'PAYLOAD_TOO_LARGE', `request body ${what} exceeds the limit of ${maxBytes} bytes`);
  return {
    onRequest({ request, endResponse }) {
      const declared = request.headers.get('content-length');
      if (declared === null) return;
      if (!/^\d+$/.test(declared)) {
        endResponse(errorResponse(400, 'BAD_REQUEST', 'the Content-Length header is not a single non-negative integer'));
      } else if (Number(declared) > maxBytes) {
        endResponse(tooLarge(`of ${declared} bytes`));
      }
    },
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (request.headers.get('content-length') !== null || request.body === null || !requestParser) return;
      setRequestParser((req) => requestParser(withCountedBody(req, maxBytes, fetchAPI)));
    },
  };
}

/** The request with a body stream that fails once more than `maxBytes` have passed. */
function withCountedBody(request: Request, maxBytes: number, fetchAPI: FetchAPI): Request {
  let read = 0;
  // A native body stream needs the native TransformStream (as in yoga's own limit).
  const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  const counted = request.body!.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        if (read > maxBytes) controller.error(payloadTooLarge(`request body exceeds the limit of ${maxBytes} bytes`));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, body: counted, duplex: 'half' } as RequestInit);
}

/** graphql-armor's validation rules, with our limits, plus optional introspection blocking. */
export function queryShapePlugins(limits: Limits): Plugin[] {
  const armor = new EnvelopArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: limits.maxAliases },
    maxTokens: { n: limits.maxTokens },
    maxDirectives: { n: 50 },
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true },
    blockFieldSuggestion: { enabled: !limits.fieldSuggestions },
  });
  const plugins = armor.protect().plugins as Plugin[];
  if (!limits.introspection) {
    plugins.push({ onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) });
  }
  return plugins;
}

/** Admits one request of a key: null when allowed, else the seconds to wait (maybe after a lease). */
export type RateLimiter = { take(keyId: string): number | null | Promise<number | null> };

/**
 * `perMinute` requests a minute per API key (key id from the Authorization header), with bursts
 * up to the same amount, across every process that shares `buckets`. This process serves a key's
 * requests from a lease of tokens taken from the key's bucket (`buckets.leaseSize` at a time) and
 * takes the next lease when it runs out. Worst case, each process holds an unspent lease while the
 * bucket refills, so a burst can pass the limit by (processes × leaseSize) requests (see
 * rate-limit-buckets.ts). When the bucket is empty, this process refuses the key without asking
 * again until a token can have come back.
 */
export function createRateLimiter(perMinute: number, buckets: TokenBuckets, now: () => number = Date.now): RateLimiter {
  const leases = new Map<string, { tokens: number; refusedUntil: number; taking: Promise<void> | null }>();
  const ratePerMs = perMinute / 60_000;
  const wait = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

  function take(keyId: string): number | null | Promise<number | null> {
    if (perMinute <= 0) return null;
    let lease = leases.get(keyId);
    if (!lease) leases.set(keyId, (lease = { tokens: 0, refusedUntil: 0, taking: null }));
    if (lease.tokens >= 1) {
      lease.tokens -= 1;
      return null;
    }
    const t = now();
    if (t < lease.refusedUntil) return wait(lease.refusedUntil - t);
    if (lease.taking) return lease.taking.then(() => take(keyId));
    const record = ({ granted, left }: Lease) => {
      lease.tokens += granted;
      if (granted === 0) lease.refusedUntil = t + (1 - left) / ratePerMs;
    };
    const taken = buckets.take(keyId, buckets.leaseSize);
    if (!(taken instanceof Promise)) {
      record(taken);
      return lease.tokens >= 1 ? take(keyId) : wait(lease.refusedUntil - t);
    }
    lease.taking = taken.then(record).finally(() => (lease.taking = null));
    return lease.taking.then(() => take(keyId));
  }
  return { take };
}

/** The key id an API key names (`aos_<12 chars>_…`), for rate limiting before authentication. */
export const keyIdOf = (authorization: string | null | undefined) => /Bearer\s+aos_([A-Za-z0-9]{12})_/i.exec(authorization ?? '')?.[1];

/** Set in the server context of a request whose allowance the fast GraphQL path already took. */
export const RATE_LIMIT_TAKEN = 'aosRateLimitTaken';

/** The 429 answer of a refused request. */
export const rateLimited = (perMinute: number, retryAfter: number) =>
  errorResponse(429, 'RATE_LIMITED', `rate limit of ${perMinute} requests per minute exceeded; retry after ${retryAfter} s`, { 'retry-after': String(retryAfter) });

export function rateLimitPlugin(limiter: RateLimiter, perMinute: number): Plugin {
  return {
    onRequest({ request, endResponse, url, serverContext }) {
      if (url.pathname === '/health' || (serverContext as Record<string, unknown> | undefined)?.[RATE_LIMIT_TAKEN]) return;
      const keyId = keyIdOf(request.headers.get('authorization'));
      if (!keyId) return; // unauthenticated requests fail on their own, cheaply
      const verdict = limiter.take(keyId);
      const refuse = (retryAfter: number | null) => void (retryAfter !== null && endResponse(rateLimited(perMinute, retryAfter)));
      if (verdict instanceof Promise) return verdict.then(refuse);
      refuse(verdict);
    },
  };
}
