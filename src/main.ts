// The command line: `npm run aos -- <command>`, `npm start` (serve), `npm run db:migrate`.
// Exit codes: 0 ok, 1 runtime error, 2 usage or configuration error.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import pino, { type Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createDb, type Db } from './db/client.ts';
import { DataDirBusyError, lockDataDir } from './db/data-dir-lock.ts';
import { migrate, MigrationError, readMigrations } from './db/migrate.ts';
import { AppError } from './errors.ts';
import { DATA_USAGE, runDataCommand, type DataCommand } from './cli/data-commands.ts';
import { startReaper } from './reaper.ts';
import { startOtlpSettler } from './otlp/settler.ts';
import { createStores, type Stores } from './stores/index.ts';
import { SCOPES, type Scope } from './stores/tenants.ts';

const USAGE = `aos-logs: GraphQL system of record for AI agent logs

Usage: npm run aos -- <command> [options]

Commands:
  serve                                      migrate, then serve GraphQL (GraphiQL at /graphql)
  migrate                                    apply pending migrations
  tenants create --id <id> --name <name>     create a tenant
  tenants list                               list tenants
  keys create --tenant <id> --scopes <list> [--name <name>]
                                             create an API key (scopes: ${SCOPES.join(', ')}); printed once
  keys list --tenant <id>                    list a tenant's keys (never their secrets)
  keys revoke --key-id <keyId>               revoke a key (running servers: within API_KEY_CACHE_TTL_SECONDS)
  reap [--older-than-seconds <n>]            abort running traces idle for n seconds (one pass)
  demo                                       create the demo tenant and print a fresh demo key
${DATA_USAGE}
  help                                       this text
The commands other than serve and migrate need a migrated database.

Environment:
  DATABASE_URL                   postgres:// URL; unset: embedded PGlite in AOS_DATA_DIR
  AOS_DATA_DIR                   embedded database folder (default .aos-data)
  HOST, PORT                     where serve listens (default 127.0.0.1, 4000; PORT=0 picks a free port)
  DB_POOL_SIZE                   Postgres connections (default 10)
  TRACE_STALE_AFTER_SECONDS      a running trace idle this long is aborted (default 3600)
  TRACE_REAPER_INTERVAL_SECONDS  seconds between reaper passes in serve; 0 disables (default 60)
  OTLP_SETTLE_AFTER_SECONDS      an OpenTelemetry trace with no new span this long is finalised; 0: never (default 30)
  LOG_LEVEL                      fatal|error|warn|info|debug|trace|silent (default info)
  AOS_DEMO                       auto|on|off: seed the demo tenant on serve (auto: embedded database only)
  MAX_BODY_BYTES                 largest request body; 413 beyond (default 10485760)
  GRAPHQL_MAX_DEPTH              query depth limit (default 15)
  GRAPHQL_MAX_ALIASES            aliases per query (default 20)
  GRAPHQL_MAX_TOKENS             tokens per query document (default 10000)
  GRAPHQL_MAX_COST               query cost limit (default 50000)
  GRAPHQL_INTROSPECTION          true|false (default true; set false in production if you like)
  GRAPHQL_FIELD_SUGGESTIONS      true|false: "did you mean" hints in errors (default true)
  RATE_LIMIT_PER_MINUTE          requests per minute per API key; 0 disables (default 30000)
  METRICS_ENABLED                true|false: Prometheus metrics at /metrics, no API key (default true)
  API_KEY_CACHE_SIZE             verified API keys kept in memory; 0 disables (default 1000)
  API_KEY_CACHE_TTL_SECONDS      how long; a key revoked elsewhere works here that long (default 5)

Exit codes: 0 ok, 1 runtime error, 2 usage or configuration error.
`;

class UsageError extends Error {}
class ServeError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses a command's options strictly; positionals are not accepted. */
function options<O extends Options>(args: string[], spec: O) {
  try {
    return parseArgs({ args, options: spec, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function required(value: string | boolean | undefined, flag: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`${flag} is required`);
  return value;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

function describeDatabase(config: Config): string {
  if (!config.databaseUrl) return `embedded PGlite in ${config.dataDir}`;
  const url = new URL(config.databaseUrl);
  return `Postgres at ${url.host}${url.pathname}`; // never the password
}

type Session = { db: Db; stores: Stores; close: () => Promise<void> };

class NotMigratedError extends Error {}

/**
 * Opens the configured database. `serve` and `migrate` bring the schema up to date; every other
 * command only checks it, so a mistyped DATABASE_URL cannot quietly get our tables.
 */
async function openDatabase(config: Config, logger: Logger, schema: 'migrate' | 'check'): Promise<Session & { applied: string[] }> {
  // A data folder needs the lock; a server or an in-memory PGlite (memory://) has no folder to share.
  const release = config.databaseUrl || config.dataDir.includes('://') ? async () => {} : await lockDataDir(config.dataDir);
  let db: Db;
  try {
    db = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize });
  } catch (error) {
    await release();
    throw error;
  }
  const close = async () => {
    await db.close();
    await release();
  };
  try {
    let applied: string[] = [];
    if (schema === 'migrate') {
      applied = await migrate(db);
      for (const name of applied) logger.info({ migration: name }, 'applied migration');
    } else {
      const pending = await pendingMigrations(db);
      if (pending.length) {
        throw new NotMigratedError(`${describeDatabase(config)} lacks migration ${pending.join(', ')}: run \`npm run db:migrate\` first`);
      }
    }
    return { db, stores: createStores(db, { apiKeyCache: config.apiKeyCache }), close, applied };
  } catch (error) {
    await close();
    throw error;
  }
}

async function pendingMigrations(db: Db): Promise<string[]> {
  const known = (await readMigrations()).map((m) => m.name);
  const applied = await db.withSession(async (session) => {
    const [table] = await session.query<{ exists: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`);
    if (!table?.exists) return [];
    const rows = await session.query<{ name: string }>(
      'SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    return rows.map((r) => r.name);
  });
  return known.filter((name) => !applied.includes(name));
}

async function withDatabase(config: Config, logger: Logger, work: (session: Session) => Promise<void>): Promise<void> {
  const session = await openDatabase(config, logger, 'check');
  try {
    await work(session);
  } finally {
    await session.close();
  }
}

async function runSeed(stores: Stores) {
  // Imported on demand: the demo data is not needed by any other command.
  const { seedDemo } = await import('./demo/seed.ts');
  return seedDemo(stores);
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

async function serve(config: Config, logger: Logger): Promise<number> {
  const session = await openDatabase(config, logger, 'migrate');
  try {
    return await listen(config, logger, session);
  } catch (error) {
    await session.close();
    throw error;
  }
}

async function listen(config: Config, logger: Logger, { db, stores, close }: Session): Promise<number> {
  let demoApiKey: string | undefined;
  if (config.demo === 'on' || (config.demo === 'auto' && db.kind === 'pglite')) {
    const demo = await runSeed(stores);
    demoApiKey = demo.apiKey;
    console.log(`Demo tenant "${demo.tenantId}", API key (new at every start): ${demo.apiKey}`);
  }
  const { createApp } = await import('./server.ts');
  const { createLiveHub } = await import('./live/hub.ts');
  const live = createLiveHub({ target: db.listenTarget, logger });
  const app = createApp({ db, stores, logger, limits: config.limits, live, metricsEnabled: config.metricsEnabled });
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new ServeError(`${config.host}:${config.port} is already in use: stop the other server or set PORT`) : error),
    );
    server.listen(config.port, config.host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  server.on('error', (error) => logger.error({ err: error }, 'http server error'));
  const { port } = server.address() as AddressInfo;
  const reaper = startReaper({
    stores,
    staleAfterSeconds: config.traceStaleAfterSeconds,
    intervalSeconds: config.reaperIntervalSeconds,
    logger,
  });
  const settler = startOtlpSettler({ stores, settleAfterSeconds: config.otlpSettleAfterSeconds, logger });
  logger.info({ host: config.host, port, database: db.kind }, 'listening');
  const origin = `http://${urlHost(config.host)}:${port}`;
  console.log(`aos-logs is serving ${describeDatabase(config)}. Explorer: ${origin}/  GraphiQL: ${origin}/graphql`);
  // The key rides in the URL fragment, which the browser keeps to itself (D12).
  if (demoApiKey) console.log(`Open the demo tenant (key in the link's fragment, never sent to the server): ${origin}/#key=${demoApiKey}`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = async (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting without waiting');
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, 'shutting down: finishing requests in flight');
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeIdleConnections();
      const force = setTimeout(() => {
        logger.warn('requests still open after 10 s: closing their connections');
        server.closeAllConnections();
      }, 10_000);
      try {
        // Live-tail streams never finish on their own: end them so the server can close.
        await live.close();
        await closed;
        clearTimeout(force);
        await reaper.stop();
        await settler.stop();
        await close();
        logger.info('stopped');
        resolve(0);
      } catch (error) {
        logger.error({ err: error }, 'shutdown failed');
        resolve(1);
      }
    };
    process.on('SIGINT', (signal) => void shutdown(signal));
    process.on('SIGTERM', (signal) => void shutdown(signal));
  });
}

async function run(argv: string[], config: Config, logger: Logger): Promise<number> {
  const [command, sub, ...rest] = argv;
  switch (command) {
    case 'serve':
      options(argv.slice(1), {});
      return serve(config, logger);

    case 'migrate': {
      options(argv.slice(1), {});
      const { applied, close } = await openDatabase(config, logger, 'migrate');
      await close();
      console.log(
        applied.length
          ? `Applied to ${describeDatabase(config)}:\n${applied.map((name) => `  ${name}`).join('\n')}`
          : `${describeDatabase(config)} is up to date: no migration to apply.`,
      );
      return 0;
    }

    case 'tenants':
      if (sub === 'create') {
        const values = options(rest, { id: { type: 'string' }, name: { type: 'string' } });
        const id = required(values.id, '--id');
        const name = required(values.name, '--name');
        await withDatabase(config, logger, async ({ stores }) => {
          const tenant = await stores.tenants.create(id, name);
          console.log(`Created tenant ${tenant.id} (${tenant.name}).`);
        });
        return 0;
      }
      if (sub === 'list') {
        options(rest, {});
        await withDatabase(config, logger, async ({ stores }) => {
          const tenants = await stores.tenants.list();
          if (tenants.length === 0) return void console.log('No tenants yet.');
          console.log(table([['ID', 'NAME', 'CREATED'], ...tenants.map((t) => [t.id, t.name, t.createdAt.toISOString()])]));
        });
        return 0;
      }
      throw new UsageError(`tenants: expected "create" or "list", got ${sub ? `"${sub}"` : 'nothing'}`);

    case 'keys':
      if (sub === 'create') {
        const values = options(rest, { tenant: { type: 'string' }, scopes: { type: 'string' }, name: { type: 'string' } });
        const tenantId = required(values.tenant, '--tenant');
        const scopes = required(values.scopes, '--scopes').split(',').map((s) => s.trim()).filter(Boolean);
        const unknown = scopes.filter((s) => !SCOPES.includes(s as Scope));
        if (unknown.length) throw new UsageError(`--scopes: unknown scope ${unknown.join(', ')} (use ${SCOPES.join(', ')})`);
        const name = values.name ?? `created from the command line ${new Date().toISOString()}`;
        await withDatabase(config, logger, async ({ stores }) => {
          const { key, info } = await stores.tenants.createKey(tenantId, scopes as Scope[], name);
          console.log(`Created key ${info.keyId} for tenant ${tenantId} with scopes ${info.scopes.join(',')}.`);
          console.log('Store it now: it cannot be shown again.');
          console.log(key);
        });
        return 0;
      }
      if (sub === 'list') {
        const values = options(rest, { tenant: { type: 'string' } });
        const tenantId = required(values.tenant, '--tenant');
        await withDatabase(config, logger, async ({ stores }) => {
          const keys = await stores.tenants.listKeys(tenantId);
          if (keys.length === 0) return void console.log(`Tenant ${tenantId} has no keys.`);
          console.log(
            table([
              ['KEY ID', 'SCOPES', 'CREATED', 'REVOKED', 'NAME'],
              ...keys.map((k) => [k.keyId, k.scopes.join(','), k.createdAt.toISOString(), k.revokedAt?.toISOString() ?? '-', k.name]),
            ]),
          );
        });
        return 0;
      }
      if (sub === 'revoke') {
        const values = options(rest, { 'key-id': { type: 'string' } });
        const keyId = required(values['key-id'], '--key-id');
        let revoked = false;
        await withDatabase(config, logger, async ({ stores }) => {
          revoked = await stores.tenants.revokeKey(keyId);
        });
        if (!revoked) throw new AppError('NOT_FOUND', `no active key ${keyId} (unknown or already revoked)`);
        // Servers answer keys they verified recently from memory (stores/key-cache.ts).
        console.log(`Revoked key ${keyId}. Running servers refuse it within API_KEY_CACHE_TTL_SECONDS (default 5 s).`);
        return 0;
      }
      throw new UsageError(`keys: expected "create", "list" or "revoke", got ${sub ? `"${sub}"` : 'nothing'}`);

    case 'reap': {
      const values = options(argv.slice(1), { 'older-than-seconds': { type: 'string' } });
      const raw = values['older-than-seconds'];
      const staleAfterSeconds = raw === undefined ? config.traceStaleAfterSeconds : Number(raw);
      if (!Number.isInteger(staleAfterSeconds) || staleAfterSeconds < 0) {
        throw new UsageError('--older-than-seconds: a whole number of seconds, 0 or more');
      }
      await withDatabase(config, logger, async ({ stores }) => {
        const reaper = startReaper({ stores, staleAfterSeconds, intervalSeconds: 0, logger });
        const count = await reaper.runOnce();
        console.log(`Aborted ${count} running trace${count === 1 ? '' : 's'} with no activity for ${staleAfterSeconds} s.`);
      });
      return 0;
    }

    case 'retention':
    case 'export':
    case 'import':
      // Progress on stderr, the summary on stdout; the database opens only after the options pass.
      return runDataCommand(command as DataCommand, argv.slice(1), async (work) => {
        const session = await openDatabase(config, logger, 'check');
        try {
          return await work(session.stores);
        } finally {
          await session.close();
        }
      }, { out: (line) => console.log(line), err: process.stderr });

    case 'demo':
      options(argv.slice(1), {});
      await withDatabase(config, logger, async ({ stores }) => {
        const { tenantId, apiKey } = await runSeed(stores);
        console.log(`Demo tenant "${tenantId}" is ready. Its new API key (earlier demo keys are revoked; it cannot be shown again):`);
        console.log(apiKey);
      });
      return 0;

    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** Maps an error to its exit code after printing one line about it. */
function report(error: unknown, logger: Logger | undefined): number {
  if (error instanceof UsageError) {
    console.error(`error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (error instanceof ConfigError) {
    console.error(`error: ${error.message}`);
    return 2;
  }
  if (error instanceof AppError) {
    console.error(`error: ${error.message}`);
    return error.code === 'BAD_USER_INPUT' ? 2 : 1;
  }
  if (error instanceof MigrationError || error instanceof DataDirBusyError || error instanceof NotMigratedError || error instanceof ServeError) {
    console.error(`error: ${error.message}`);
    return 1;
  }
  // Unexpected: one line for the operator, the stack in the log.
  logger?.error({ err: error }, 'command failed');
  console.error(`error: ${(error as Error)?.message ?? String(error)}`);
  return 1;
}

async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  if (command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return 0;
  }
  if (command === undefined) {
    console.error(USAGE);
    return 2;
  }
  let logger: Logger | undefined;
  try {
    const config = loadConfig();
    logger = pino({ level: config.logLevel, base: { service: 'aos-logs' } });
    return await run(argv, config, logger);
  } catch (error) {
    return report(error, logger);
  }
}

// Explicit exit: an open handle in a dependency must not keep a finished command alive.
process.exit(await main(process.argv.slice(2)));
