// Builds the HTTP app (no listen): tests call app.fetch, src/main.ts serves it.
import { GraphQLError } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Db } from './db/client.ts';
import { contextFactory } from './graphql/context.ts';
import { schema } from './graphql/schema.ts';
import { GRAPHIQL_EXAMPLES } from './graphiql-examples.ts';
import { bodySizePlugin, DEFAULT_LIMITS, queryShapePlugins, rateLimitPlugin, type Limits } from './limits.ts';
import type { Stores } from './stores/index.ts';

export type AppOptions = {
  db: Db;
  stores: Stores;
  logger: Logger;
  /** Pre-fills GraphiQL's Authorization header (the embedded demo key); never set in production. */
  graphiqlApiKey?: string | undefined;
  limits?: Partial<Limits>;
};

/** GET /health: 200 when the database answers, 503 otherwise. */
function healthPlugin(db: Db): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/health') return;
      const started = performance.now();
      let database: 'up' | 'down' = 'up';
      try {
        await db.prisma.$queryRaw`SELECT 1`;
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

export function createApp({ db, stores, logger, graphiqlApiKey, limits: overrides }: AppOptions) {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  return createYoga({
    schema,
    context: contextFactory(stores),
    // Yoga's built-in check answers any path ending in /health with an empty 200, database or not;
    // move it out of the way of ours.
    healthCheckEndpoint: '/_yoga/health',
    logging: {
      debug: (...args) => logger.debug(args.length === 1 ? args[0] : args),
      info: (...args) => logger.info(args.length === 1 ? args[0] : args),
      warn: (...args) => logger.warn(args.length === 1 ? args[0] : args),
      error: (...args) => logger.error(args.length === 1 ? args[0] : args),
    },
    graphiql: {
      title: 'aos-logs',
      defaultQuery: GRAPHIQL_EXAMPLES,
      headers: graphiqlApiKey ? JSON.stringify({ Authorization: `Bearer ${graphiqlApiKey}` }, null, 2) : undefined,
      // Not persisted: the demo key changes at every start, and a stale stored one would shadow it.
      shouldPersistHeaders: false,
    },
    plugins: [
      healthPlugin(db),
      bodySizePlugin(limits.maxBodyBytes),
      rateLimitPlugin(limits.rateLimitPerMinute),
      ...queryShapePlugins(limits),
      codeForCoercionErrors,
    ],
  });
}

export type App = ReturnType<typeof createApp>;
