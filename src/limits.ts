// Request limits (yoga plugins): body size, query shape (graphql-armor), introspection, per-key
// rate limiting. Each refusal is a typed error; none of them lets a request reach the stores.
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

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
 * Refuses an oversized body: before it is read when its declared length is too large, and while
 * it is read otherwise. A chunked body declares no length, so the GraphQL request parser yoga
 * chose is handed a copy of the body read up to the limit, never more (the OTLP route reads its
 * body with the same cap itself).
 */
export function bodySizePlugin(maxBytes: number): Plugin {
  const tooLarge = (what: string) => errorResponse(413, 'PAYLOAD_TOO_LARGE', `request body ${what} exceeds the limit of ${maxBytes} bytes`);
  return {
    onRequest({ request, endResponse }) {
      const length = Number(request.headers.get('content-length') ?? 0);
      if (length > maxBytes) endResponse(tooLarge(`of ${length} bytes`));
    },
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (!requestParser || !request.body) return;
      setRequestParser(async (req) => {
        const body = await readCapped(req, maxBytes);
        if (body === null) return tooLarge('read so far');
        return requestParser(new Request(req.url, { method: req.method, headers: req.headers, body: new Uint8Array(body) }));
      });
    },
  };
}

/** The body's bytes, or null as soon as more than `max` arrive (the rest is not read). */
async function readCapped(request: Request, max: number): Promise<Buffer | null> {
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
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

/**
 * A token bucket per API key (key id from the Authorization header): `perMinute` requests a
 * minute, with bursts up to the same amount. In-process: with several processes, each enforces
 * its own share.
 */
export function rateLimitPlugin(perMinute: number, now: () => number = Date.now): Plugin {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const ratePerMs = perMinute / 60_000;
  return {
    onRequest({ request, endResponse, url }) {
      if (perMinute <= 0 || url.pathname === '/health') return;
      const keyId = /Bearer\s+aos_([A-Za-z0-9]{12})_/i.exec(request.headers.get('authorization') ?? '')?.[1];
      if (!keyId) return; // unauthenticated requests fail on their own, cheaply
      const t = now();
      const bucket = buckets.get(keyId) ?? { tokens: perMinute, at: t };
      bucket.tokens = Math.min(perMinute, bucket.tokens + (t - bucket.at) * ratePerMs);
      bucket.at = t;
      if (bucket.tokens < 1) {
        const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000));
        buckets.set(keyId, bucket);
        endResponse(errorResponse(429, 'RATE_LIMITED', `rate limit of ${perMinute} requests per minute exceeded; retry after ${retryAfter} s`, { 'retry-after': String(retryAfter) }));
        return;
      }
      bucket.tokens -= 1;
      buckets.set(keyId, bucket);
    },
  };
}
