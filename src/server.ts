// Builds the HTTP app (no listen): tests call app.fetch, src/main.ts serves it.
import { GraphQLError } from 'graphql';
import { createYoga, maskError, type Plugin } from 'graphql-yoga';
import { isDatabaseUnavailable, serviceUnavailable } from './errors.ts';
import type { Logger } from 'pino';
import type { Db } from './db/client.ts';
import { compiledExecution } from './graphql/compiled-execution.ts';
import { contextFactory } from './graphql/context.ts';
import { pageSizePlugin } from './graphql/page-size-check.ts';
import { replicaReadsPlugins } from './graphql/replica-reads.ts';
import { schema } from './graphql/schema.ts';
import { GRAPHIQL_EXAMPLES } from './graphiql-examples.ts';
import { corsFor } from './http/cors.ts';
import { jsonBodyPlugin } from './json-body.ts';
import { graphiqlAssetsPlugin, renderGraphiQL } from './explorer/graphiql.ts';
import { explorerPlugin } from './explorer/static.ts';
import { bodySizePlugin, createRateLimiter, DEFAULT_LIMITS, queryShapePlugins, rateLimitPlugin, type Limits } from './limits.ts';
import { createFastGraphql } from './http/fast-graphql.ts';
import { memoryBuckets, postgresBuckets } from './rate-limit-buckets.ts';
import type { Stores } from './stores/index.ts';
import { otlpPlugin } from './otlp/plugin.ts';
import { createLiveHub, type LiveHub } from './live/hub.ts';
import { livePlugin } from './live/plugin.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { readyPlugin } from './observability/readiness.ts';
import { requestPlugin, requestScopedLogger } from './observability/requests.ts';

export type AppOptions = {
  db: Db;
  stores: Stores;
  logger: Logger;
  limits?: Partial<Limits>;
  /** The live-tail hub (main.ts closes it at shutdown); by default one that connects on first use. */
  live?: LiveHub;
  /** Serves Prometheus metrics at GET /metrics (default true). */
  metricsEnabled?: boolean;
  /** The metrics to count into and serve, when the caller configures them (token, own listener). */
  metrics?: Metrics;
  /** Origins allowed cross-origin access (CORS_ORIGINS); none by default. */
  corsOrigins?: readonly string[];
};

/** GET /health: 200 when the database answers, 503 otherwise. */
function healthPlugin(db: Db): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/health') return;
      const started = performance.now();
      let database: 'up' | 'down' = 'up';
      try {
        // Through the driver: probes come every few seconds, and need not load Prisma's query compiler.
        await db.withSession((session) => session.query('SELECT 1'));
      } catch {
        database = 'down';
      }
      const body = { status: database === 'up' ? 'ok' : 'unavailable', database, backend: db.kind, latencyMs: Math.round(performance.now() - started) };
      endResponse(Response.json(body, { status: database === 'up' ? 200 : 503 }));
    },
  };
}

/**
 * Variables that fail coercion (missing, wrong type, unknown enum value) are the client's mistake:
 * graphql-js reports them without a code, so give them ours. By this point unexpected errors are
 * already masked with INTERNAL_SERVER_ERROR and document validation carries yoga's
 * GRAPHQL_VALIDATION_FAILED, so an error still without a code is a coercion error.
 */
const codeForCoercionErrors: Plugin = {
  onResultProcess({ result, setResult }) {
    if (Array.isArray(result) || !result || !('errors' in result) || !result.errors?.length) return;
    const errors = result.errors.map((e) =>
      e.extensions?.code ? e : new GraphQLError(e.message, { nodes: e.nodes, path: e.path, extensions: { ...e.extensions, code: 'BAD_USER_INPUT' } }),
    );
    setResult({ ...result, errors });
  },
};

export function createApp({ db, stores, logger, limits: overrides, ...options }: AppOptions) {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  const live = options.live ?? createLiveHub({ target: db.listenTarget, logger });
  const metrics = options.metricsEnabled === false ? null : (options.metrics ?? createMetrics({ db, live }));
  // Every line yoga logs while a request runs carries that request's id.
  const log = requestScopedLogger(logger);
  // An unexpected error is logged once, by whichever sees it first: our masking (errors raised in
  // resolvers, which yoga does not log) or yoga (errors thrown around execution, which it logs
  // after masking them too).
  const buckets = db.kind === 'postgres' ? postgresBuckets(db, limits.rateLimitPerMinute, logger) : memoryBuckets(limits.rateLimitPerMinute);
  const limiter = createRateLimiter(limits.rateLimitPerMinute, buckets);
  const fast = createFastGraphql({ db, stores, logger, limiter, maxBodyBytes: limits.maxBodyBytes, countRequest: metrics?.countRequest });
  const logged = new WeakSet<object>();
  const logOnce = (error: unknown) => {
    const original = (error as GraphQLError | null)?.originalError ?? error;
    if (typeof original === 'object' && original !== null) {
      if (logged.has(original)) return;
      logged.add(original);
    }
    log.error(original);
  };
  const yoga = createYoga({
    schema,
    context: contextFactory(stores),
    // Yoga's built-in check answers any path ending in /health with an empty 200, database or not;
    // move it out of the way of ours.
    healthCheckEndpoint: '/_yoga/health',
    maxRequestBodySize: false,
    // Unexpected errors stay masked, except an unreachable database: that one is retryable (503).
    // Either way the full error is logged here: the client sees only a code, and yoga itself logs
    // none of the errors raised inside resolvers.
    maskedErrors: {
      maskError: (error, message, isDev) => {
        const original = (error as GraphQLError).originalError ?? error;
        if (isDatabaseUnavailable(original)) {
          logOnce(original);
          return serviceUnavailable();
        }
        const masked = maskError(error, message, isDev);
        if (masked !== error) logOnce(original);
        return masked;
      },
    },
    logging: {
      debug: (...args) => log.debug(...args),
      info: (...args) => log.info(...args),
      warn: (...args) => log.warn(...args),
      error: (...args) => (args.length === 1 ? logOnce(args[0]) : log.error(...args)),
    },
    cors: corsFor(options.corsOrigins ?? []),
    graphiql: {
      title: 'aos-logs',
      defaultQuery: GRAPHIQL_EXAMPLES,
      // Not persisted: the key lives in sessionStorage (the explorer's), never in GraphiQL's storage.
      shouldPersistHeaders: false,
    },
    // Every asset from this server, no key in the HTML (src/explorer/graphiql.ts).
    renderGraphiQL,
    plugins: [
      // First: they see every request, those other plugins answer early included.
      requestPlugin(logger),
      // Before metrics: errors are counted under the code the client sees.
      codeForCoercionErrors,
      graphiqlAssetsPlugin(),
      explorerPlugin(),
      ...(metrics ? [metrics.plugin] : []),
      readyPlugin(db),
      livePlugin(live),
      healthPlugin(db),
      bodySizePlugin(limits.maxBodyBytes),
      jsonBodyPlugin(),
      rateLimitPlugin(limiter, limits.rateLimitPerMinute),
      otlpPlugin({ stores, logger, maxBodyBytes: limits.maxBodyBytes }),
      pageSizePlugin,
      ...queryShapePlugins(limits),
      compiledExecution(),
      // Before the replica reads: a result the fast path hands over stands in for execution there too.
      fast.learner,
      // After compiledExecution: it wraps whichever execution that chose.
      ...replicaReadsPlugins(db),
    ],
  });
  // The node listener to serve: the fast path for queries yoga has answered before, yoga for the rest
  // (src/http/fast-graphql.ts). `fetch` (tests, in-process callers) is yoga alone.
  return Object.assign(yoga, { listener: fast.listener(yoga), fastPathServed: fast.served });
}

export type App = ReturnType<typeof createApp>;
