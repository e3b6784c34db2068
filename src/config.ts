// The only reader of process.env: parsed once at start, validated, passed down (B23: there is no
// fallback DSN and no default credential anywhere; without DATABASE_URL we use the embedded database).
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { ORIGIN } from './http/cors.ts';
import { DEFAULT_LIMITS, type Limits } from './limits.ts';
import { DEFAULT_KEY_CACHE, type KeyCacheOptions } from './stores/key-cache.ts';
import type { ReplicaOptions } from './db/replicas.ts';

/** More processes than this is a typo, not a plan (each one holds DB_POOL_SIZE connections). */
const MAX_WORKERS = 64;

const seconds = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? fallback : v === 'true' || v === '1'));

const workerCount = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))
  .pipe(
    z
      .string()
      .regex(/^\d+$/, 'a whole number of server processes, 1 or more')
      .transform(Number)
      .pipe(z.number().int().min(1, 'at least 1 server process').max(MAX_WORKERS, `at most ${MAX_WORKERS} server processes`))
      .optional(),
  );

const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  AOS_DATA_DIR: z.string().min(1).default('.aos-data'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  TRACE_STALE_AFTER_SECONDS: seconds(3600),
  TRACE_REAPER_INTERVAL_SECONDS: seconds(60),
  OTLP_SETTLE_AFTER_SECONDS: seconds(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  AOS_DEMO: z.enum(['auto', 'on', 'off']).default('auto'),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_LIMITS.maxBodyBytes),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).max(100).default(DEFAULT_LIMITS.maxDepth),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(DEFAULT_LIMITS.maxAliases),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).default(DEFAULT_LIMITS.maxTokens),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(100).default(DEFAULT_LIMITS.maxCost),
  GRAPHQL_INTROSPECTION: flag(DEFAULT_LIMITS.introspection),
  GRAPHQL_FIELD_SUGGESTIONS: flag(DEFAULT_LIMITS.fieldSuggestions),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(DEFAULT_LIMITS.rateLimitPerMinute),
  METRICS_ENABLED: flag(true),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(ORIGIN, 'comma-separated origins like https://app.example.com (scheme://host[:port])'))),
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional().or(z.literal('').transform(() => undefined)),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional().or(z.literal('').transform(() => undefined)),
  METRICS_HOST: z.string().min(1).optional(),
  API_KEY_CACHE_SIZE: z.coerce.number().int().min(0).default(DEFAULT_KEY_CACHE.maxEntries),
  API_KEY_CACHE_TTL_SECONDS: z.coerce.number().min(0).max(3600).default(DEFAULT_KEY_CACHE.ttlMs / 1000),
  DATABASE_REPLICA_URLS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((u) => u.trim()).filter(Boolean))
    .pipe(
      z
        .array(z.string().regex(/^postgres(ql)?:\/\/[^/]/, 'comma-separated postgres:// or postgresql:// URLs'))
        .refine((urls) => new Set(urls).size === urls.length, 'lists a URL twice'),
    ),
  REPLICA_MAX_LAG_MS: z.coerce.number().int().min(0).default(2_000),
  REPLICA_CONSISTENCY_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(200),
  WORKERS: workerCount,
  // The name Heroku-style platforms set; WORKERS wins when both are given.
  WEB_CONCURRENCY: workerCount,
});

export type Config = {
  databaseUrl: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  dbPoolSize: number;
  traceStaleAfterSeconds: number;
  reaperIntervalSeconds: number;
  /** An OpenTelemetry trace with no new span for this long is finalised; 0: never (the reaper aborts it). */
  otlpSettleAfterSeconds: number;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** auto: seed the demo tenant on the embedded database only. */
  demo: 'auto' | 'on' | 'off';
  limits: Limits;
  /** Serve Prometheus metrics at /metrics (no API key). */
  metricsEnabled: boolean;
  /** Origins allowed to call the API from a browser; none (same-origin only) by default. */
  corsOrigins: string[];
  /** When set, a scrape of /metrics must send it as a bearer token. */
  metricsToken: string | undefined;
  /** When set, /metrics is served on this separate listener only (not on the API's port). */
  metricsListen: { host: string; port: number } | undefined;
  /** Verified API keys kept in memory; a revocation by another process takes up to the TTL here. */
  apiKeyCache: KeyCacheOptions;
  /** Streaming replicas for the reads of GraphQL queries (DATABASE_REPLICA_URLS; PostgreSQL only). */
  replicas: ReplicaOptions;
  /**
   * Server processes behind the one port (WORKERS, else WEB_CONCURRENCY). Unset: one per CPU on
   * PostgreSQL. The embedded database always runs one: PGlite lives inside a single process.
   */
  workers: number;
  /** WORKERS or WEB_CONCURRENCY as set (the start log says when the embedded database overrides it). */
  workersRequested: number | undefined;
};

export class ConfigError extends Error {}

/** What was set, quoted, so the operator sees the typo; never for database URLs (they hold passwords). */
const received = (env: NodeJS.ProcessEnv, name: string) =>
  name === 'DATABASE_URL' || name === 'DATABASE_REPLICA_URLS' || env[name] === undefined ? '' : ` (got ${JSON.stringify(env[name]!.slice(0, 100))})`;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}${received(env, String(i.path[0]))}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const requested = e.WORKERS ?? e.WEB_CONCURRENCY;
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: e.AOS_DATA_DIR,
    host: e.HOST,
    port: e.PORT,
    dbPoolSize: e.DB_POOL_SIZE,
    traceStaleAfterSeconds: e.TRACE_STALE_AFTER_SECONDS,
    reaperIntervalSeconds: e.TRACE_REAPER_INTERVAL_SECONDS,
    otlpSettleAfterSeconds: e.OTLP_SETTLE_AFTER_SECONDS,
    logLevel: e.LOG_LEVEL,
    demo: e.AOS_DEMO,
    limits: {
      maxBodyBytes: e.MAX_BODY_BYTES,
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxCost: e.GRAPHQL_MAX_COST,
      introspection: e.GRAPHQL_INTROSPECTION,
      fieldSuggestions: e.GRAPHQL_FIELD_SUGGESTIONS,
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    },
    metricsEnabled: e.METRICS_ENABLED,
    corsOrigins: e.CORS_ORIGINS,
    metricsToken: e.METRICS_TOKEN,
    metricsListen: e.METRICS_PORT === undefined ? undefined : { host: e.METRICS_HOST ?? e.HOST, port: e.METRICS_PORT },
    apiKeyCache: { maxEntries: e.API_KEY_CACHE_SIZE, ttlMs: Math.round(e.API_KEY_CACHE_TTL_SECONDS * 1000) },
    replicas: { urls: e.DATABASE_REPLICA_URLS, maxLagMs: e.REPLICA_MAX_LAG_MS, consistencyWaitMs: e.REPLICA_CONSISTENCY_WAIT_MS },
    workers: e.DATABASE_URL ? requested ?? availableParallelism() : 1,
    workersRequested: requested,
  };
}
