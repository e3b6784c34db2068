// The command line: `npm run aos -- <command>`, `npm start` (serve), `npm run db:migrate`.
// Exit codes: 0 ok, 1 runtime error, 2 usage or configuration error.
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import pino, { type Logger } from 'pino';
import type { Metrics } from './observability/metrics.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createDb, type Db } from './db/client.ts';
import { DataDirBusyError, dataDirOwner, lockDataDir } from './db/data-dir-lock.ts';
import { migrate, MigrationError, readMigrations } from './db/migrate.ts';
import { AppError, dbErrorMessage, isDatabaseUnavailable } from './errors.ts';
import { commandSocketPath, listenForCommands, sendCommand, type RunCommand } from './cli/command-socket.ts';
import { DATA_COMMANDS, DATA_USAGE, Interrupted, runDataCommand, type DataCommand, type Io } from './cli/data-commands.ts';
import { startReaper } from './reaper.ts';
import { describePartitionRun, PARTITION_MONTHS_AHEAD, startPartitionMaintenance } from './partition-maintenance.ts';
import { startOtlpSettler } from './otlp/settler.ts';
import { exclusively, RETENTION_LOCK, runOncePerDeployment } from './singleton-jobs.ts';
import { reportReady, runCluster } from './cluster.ts';
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
  keys revoke --key-id <keyId>               revoke a key (running servers refuse it at once)
  keys rotate --key-id <keyId> [--grace <s>] new key, same tenant and scopes; the old one works
                                             <s> seconds more (default 3600; 0: revoked now)
  reap [--older-than-seconds <n>]            abort running traces idle for n seconds (one pass)
  partitions [--months-ahead <n>]            create the trace steps' month partitions for this month and n
                                             ahead (default 3; serve does it every 6 hours) and list them
  demo                                       create the demo tenant and print its key (embedded: the kept one)
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
  METRICS_ENABLED                true|false: Prometheus metrics at /metrics (default true)
  CORS_ORIGINS                   comma-separated origins allowed to call the API from a browser (default none)
  METRICS_TOKEN                  if set, /metrics needs Authorization: Bearer <token> (16+ characters)
  METRICS_PORT, METRICS_HOST     if set, /metrics is served on this listener only (host default HOST)
  API_KEY_CACHE_SIZE             verified API keys kept in memory; 0 disables (default 1000)
  API_KEY_CACHE_TTL_SECONDS      how long (default 5); revocations reach every listening process at once
  DATABASE_REPLICA_URLS          comma-separated postgres:// URLs of streaming replicas: GraphQL queries read there
  REPLICA_MAX_LAG_MS             a replica lagging more is skipped, its reads go to the primary (default 2000)
  REPLICA_CONSISTENCY_WAIT_MS    a query with a consistency token waits this long for a replica (default 200)
  WORKERS (or WEB_CONCURRENCY)   server processes behind the one port (default: one per CPU on PostgreSQL;
                                 always 1 on the embedded database)

Exit codes: 0 ok, 1 runtime error, 2 usage or configuration error.
`;

/** A repeat of the shutdown signal within this long is the same signal delivered twice. */
const SIGNAL_ECHO_MS = 1000;

/** Bad usage; `brief` errors are said in one line without the whole help text after them. */
class UsageError extends Error {
  constructor(message: string, readonly brief = false) {
    super(message);
  }
}

const COMMANDS = ['serve', 'migrate', 'tenants', 'keys', 'reap', 'partitions', 'demo', ...DATA_COMMANDS, 'help'];
class ServeError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses a command's options strictly; positionals are not accepted. */
function options<O extends Options>(args: string[], spec: O) {
  const bracketed = args.find((arg) => arg.startsWith('[') || arg.endsWith(']'));
  if (bracketed) {
    throw new UsageError(`${bracketed}: the brackets in the usage mark an optional part; type it without them (--name ci-agent) or leave it out`, true);
  }
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

/** The embedded database in a folder: one process at a time (a server, or an in-memory PGlite, has none). */
const hasDataDir = (config: Config) => !config.databaseUrl && !config.dataDir.includes('://');

class NotMigratedError extends Error {}

/**
 * Opens the configured database. `serve` and `migrate` bring the schema up to date; every other
 * command only checks it, so a mistyped DATABASE_URL cannot quietly get our tables.
 */
async function openDatabase(config: Config, logger: Logger, schema: 'migrate' | 'check'): Promise<Session & { applied: string[] }> {
  // A data folder needs the lock; a server or an in-memory PGlite (memory://) has no folder to share.
  const release = hasDataDir(config) ? await lockDataDir(config.dataDir) : async () => {};
  let db: Db;
  try {
    db = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize, replicas: config.replicas });
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
    throw explainConnectionFailure(config, error) ?? error;
  }
}

class DatabaseConnectionError extends Error {}

/** A failure to reach or enter the PostgreSQL of DATABASE_URL, said with what to check or run. */
function explainConnectionFailure(config: Config, error: unknown): DatabaseConnectionError | undefined {
  if (!config.databaseUrl) return undefined;
  const url = new URL(config.databaseUrl);
  const host = url.hostname || 'localhost';
  const port = url.port || '5432';
  const user = decodeURIComponent(url.username) || 'your user';
  const database = decodeURIComponent(url.pathname.slice(1)) || user;
  const code = (error as { code?: unknown })?.code;
  if (code === '3D000') {
    return new DatabaseConnectionError(
      `database "${database}" does not exist on ${host}:${port}. Create it (createdb -h ${host} -p ${port} -U ${user} ${database}) or fix DATABASE_URL; npm start (or npm run db:migrate) then creates the tables.`,
    );
  }
  if (code === '28P01' || code === '28000') {
    return new DatabaseConnectionError(`PostgreSQL at ${host}:${port} refused user "${user}": check the user and password in DATABASE_URL (${dbErrorMessage(error)}).`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new DatabaseConnectionError(`cannot resolve host "${host}" of DATABASE_URL: check the host name.`);
  }
  if (code === 'ECONNREFUSED' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || isDatabaseUnavailable(error)) {
    return new DatabaseConnectionError(
      `cannot reach PostgreSQL at ${host}:${port} (${typeof code === 'string' ? code : dbErrorMessage(error)}): check that it is running there (pg_isready -h ${host} -p ${port}) and that DATABASE_URL names the right host and port.`,
    );
  }
  return undefined;
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

/** What a command needs: where it prints, how it opens the database, and Ctrl-C. */
type CommandContext = { config: Config; logger: Logger; io: Io; open: () => Promise<Session> };

async function withDatabase({ open }: CommandContext, work: (session: Session) => Promise<void>): Promise<void> {
  const session = await open();
  try {
    await work(session);
  } finally {
    await session.close();
  }
}

/** Where the embedded demo keeps its key's secret between starts; none on PostgreSQL or in memory. */
function demoKeyFile(config: Config): string | undefined {
  return hasDataDir(config) ? join(config.dataDir, 'demo-key') : undefined;
}

async function runSeed(config: Config, stores: Stores) {
  // Imported on demand: the demo data is not needed by any other command.
  const { seedDemo } = await import('./demo/seed.ts');
  return seedDemo(stores, { keyFile: demoKeyFile(config) });
}

function describeDemoKey(config: Config, reused: boolean): string {
  const file = demoKeyFile(config);
  if (!file) return 'new at every start; earlier demo keys are revoked';
  return `${reused ? 'the same as before' : 'new'}; kept in ${file} (owner-only) and reused until you revoke it`;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** `serve`: one process, or with WORKERS > 1 on PostgreSQL a primary supervising that many (cluster.ts). */
async function serve(config: Config, logger: Logger): Promise<number> {
  if (cluster.isWorker) return serveProcess(config, logger.child({ worker: cluster.worker!.id, pid: process.pid }), 'worker');
  if (!config.databaseUrl && (config.workersRequested ?? 1) > 1) {
    logger.warn({ workers: config.workersRequested }, `${config.workersRequested} server processes asked for, but the embedded database (PGlite) lives inside one process: serving with 1`);
  }
  if (config.workers > 1) return servePrimary(config, logger);
  return serveProcess(config, logger, 'single');
}

/**
 * The cluster's primary: migrates and seeds once, forks the workers, says where they serve once
 * they all do, then supervises them. It serves no request itself.
 */
async function servePrimary(config: Config, logger: Logger): Promise<number> {
  // As a single process does: a port in use is reported before migrating or seeding. The workers
  // listen on it themselves (the primary shares it out), so this probe lets it go again.
  const probe = await listenOnPort(config);
  await new Promise((closed) => probe.close(closed));
  const session = await openDatabase(config, logger, 'migrate');
  try {
    const demoApiKey = config.demo === 'on' ? await seedAndSay(config, session.stores) : undefined;
    return await runCluster({
      workers: config.workers,
      logger,
      onReady: (port) => announce(config, session.stores, port, demoApiKey),
    });
  } finally {
    await session.close();
  }
}

async function seedAndSay(config: Config, stores: Stores): Promise<string> {
  const demo = await runSeed(config, stores);
  console.log(`Demo tenant "${demo.tenantId}", API key (${describeDemoKey(config, demo.reused)}): ${demo.apiKey}`);
  return demo.apiKey;
}

/** The start banner: where the server is, and what to do next. */
async function announce(config: Config, stores: Stores, port: number, demoApiKey: string | undefined): Promise<void> {
  const baseUrl = `http://${urlHost(config.host)}:${port}`;
  console.log(`aos-logs is serving ${describeDatabase(config)}. Explorer: ${baseUrl}/  GraphiQL: ${baseUrl}/graphql`);
  // The key rides in the URL fragment, which the browser keeps to itself (D12).
  if (demoApiKey) console.log(`Open the demo tenant (key in the link's fragment, never sent to the server): ${baseUrl}/#key=${demoApiKey}`);
  // The README's shell examples use these two variables.
  console.log(`For the README's examples:\n  export AOS_URL=${baseUrl}\n  export AOS_KEY=${demoApiKey ?? '<a key from `npm run aos -- keys create`>'}`);
  if (!demoApiKey && !(await stores.tenants.any())) {
    console.log(
      'No tenant yet. Create one and a key for it (the key is printed once):\n' +
        '  npm run aos -- tenants create --id acme --name "Acme Inc."\n' +
        '  npm run aos -- keys create --tenant acme --scopes read,write --name first-key',
    );
  }
}

/** A server on HOST:PORT answering 503 until the app takes over; a port in use is a ServeError. */
async function listenOnPort(config: Config): Promise<Server> {
  const server = createServer((_request, response) => void response.writeHead(503, { 'retry-after': '1' }).end('starting\n'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new ServeError(`${config.host}:${config.port} is already in use: stop the other server or set PORT`) : error),
    );
    server.listen(config.port, config.host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  return server;
}

/** `single`: a server on its own, which also migrates, seeds and prints the banner; `worker`: the primary did those. */
type Role = 'single' | 'worker';

/** One serving process, on its own or as a cluster worker. */
async function serveProcess(config: Config, logger: Logger, role: Role): Promise<number> {
  // The port first: one already in use is reported before migrating, seeding or printing a key.
  // Until the app is ready, requests get 503.
  const server = await listenOnPort(config);
  let session: Session;
  try {
    session = await openDatabase(config, logger, role === 'single' ? 'migrate' : 'check');
  } catch (error) {
    server.close();
    throw error;
  }
  try {
    return await listen(config, logger, session, server, role);
  } catch (error) {
    server.close();
    await session.close();
    throw error;
  }
}

/** GET /metrics on its own address (METRICS_PORT), so it can stay off the API's network. */
async function listenForMetrics(metrics: Metrics, { host, port }: { host: string; port: number }, logger: Logger) {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/metrics' || req.method !== 'GET') {
      res.writeHead(404).end();
      return;
    }
    metrics.scrape(req.headers.authorization ?? null).then(async (answer) => {
      res.writeHead(answer.status, Object.fromEntries(answer.headers)).end(await answer.text());
    }, (error: unknown) => {
      logger.error({ err: error }, 'metrics scrape failed');
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new ServeError(`${host}:${port} is already in use: stop the other server or set METRICS_PORT`) : error),
    );
    server.listen(port, host, () => resolve());
  });
  logger.info({ host, port: (server.address() as AddressInfo).port }, 'metrics listening');
  return server;
}

async function listen(config: Config, logger: Logger, session: Session, server: Server, role: Role): Promise<number> {
  const { db, stores, close } = session;
  const seed = role === 'single' && (config.demo === 'on' || (config.demo === 'auto' && db.kind === 'pglite'));
  const demoApiKey = seed ? await seedAndSay(config, stores) : undefined;
  const { createApp } = await import('./server.ts');
  const { createLiveHub } = await import('./live/hub.ts');
  const live = createLiveHub({ target: db.listenTarget, logger });
  const { dropRevokedKeys } = await import('./live/key-revocations.ts');
  dropRevokedKeys(live, stores.tenants);
  const { createMetrics } = await import('./observability/metrics.ts');
  const metrics = config.metricsEnabled ? createMetrics({ db, live, token: config.metricsToken, onApp: !config.metricsListen }) : undefined;
  const app = createApp({ db, stores, logger, limits: config.limits, live, metricsEnabled: config.metricsEnabled, metrics, corsOrigins: config.corsOrigins });
  const metricsServer = metrics && config.metricsListen ? await listenForMetrics(metrics, config.metricsListen, logger) : undefined;
  server.removeAllListeners('request');
  server.on('request', app.listener);
  server.on('error', (error) => logger.error({ err: error }, 'http server error'));
  const { port } = server.address() as AddressInfo;
  // Once per deployment, however many processes serve it (singleton-jobs.ts).
  const backgroundJobs = runOncePerDeployment({
    target: db.listenTarget,
    logger,
    start() {
      const jobs = [
        startReaper({ stores, staleAfterSeconds: config.traceStaleAfterSeconds, intervalSeconds: config.reaperIntervalSeconds, logger }),
        startOtlpSettler({ stores, settleAfterSeconds: config.otlpSettleAfterSeconds, logger }),
        startPartitionMaintenance({ stores, logger }),
      ];
      return { stop: async () => void (await Promise.all(jobs.map((job) => job.stop()))) };
    },
  });
  // The embedded database allows one process: the CLI hands its commands to this one meanwhile.
  const commands = hasDataDir(config)
    ? await listenForCommands(commandSocketPath(config.dataDir), remoteCommands(config, logger, session)).catch((error: Error) => {
        logger.warn({ err: error }, 'no command socket: the command line needs this server stopped');
        return undefined;
      })
    : undefined;
  logger.info({ host: config.host, port, database: db.kind }, 'listening');
  if (role === 'single') await announce(config, stores, port, demoApiKey);
  else reportReady(port);

  return new Promise<number>((resolve) => {
    let stoppingSince: number | undefined;
    const shutdown = async (signal: NodeJS.Signals) => {
      if (stoppingSince !== undefined) {
        // Ctrl-C under `npm start` arrives twice: from the terminal and forwarded by npm. Only a
        // signal sent after that (a second Ctrl-C) means "do not wait".
        if (performance.now() - stoppingSince < SIGNAL_ECHO_MS) return;
        logger.warn({ signal }, 'second signal: exiting without waiting');
        process.exit(1);
      }
      stoppingSince = performance.now();
      logger.info({ signal }, 'shutting down: finishing requests in flight');
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeIdleConnections();
      const force = setTimeout(() => {
        logger.warn('requests still open after 10 s: closing their connections');
        server.closeAllConnections();
      }, 10_000);
      try {
        // Live-tail streams never finish on their own: end them so the server can close.
        metricsServer?.close();
        await live.close();
        await closed;
        clearTimeout(force);
        await commands?.close();
        await backgroundJobs.stop();
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
    // A worker whose primary is gone (killed without a chance to stop it) stops too.
    if (role === 'worker') process.on('disconnect', () => stoppingSince === undefined && void shutdown('SIGTERM'));
  });
}

async function run(argv: string[], context: CommandContext): Promise<number> {
  const { config, logger, io } = context;
  const [command, sub, ...rest] = argv;
  switch (command) {
    case 'serve':
      options(argv.slice(1), {});
      return serve(config, logger);

    case 'migrate': {
      options(argv.slice(1), {});
      const { applied, close } = await openDatabase(config, logger, 'migrate');
      await close();
      io.out(
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
        await withDatabase(context, async ({ stores }) => {
          const tenant = await stores.tenants.create(id, name);
          io.out(`Created tenant ${tenant.id} (${tenant.name}).`);
        });
        return 0;
      }
      if (sub === 'list') {
        options(rest, {});
        await withDatabase(context, async ({ stores }) => {
          const tenants = await stores.tenants.list();
          if (tenants.length === 0) return void io.out('No tenants yet.');
          io.out(table([['ID', 'NAME', 'CREATED'], ...tenants.map((t) => [t.id, t.name, t.createdAt.toISOString()])]));
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
        await withDatabase(context, async ({ stores }) => {
          const { key, info } = await stores.tenants.createKey(tenantId, scopes as Scope[], name);
          io.out(`Created key ${info.keyId} for tenant ${tenantId} with scopes ${info.scopes.join(',')}.`);
          io.out('Store it now: it cannot be shown again.');
          io.out(key);
        });
        return 0;
      }
      if (sub === 'list') {
        const values = options(rest, { tenant: { type: 'string' } });
        const tenantId = required(values.tenant, '--tenant');
        await withDatabase(context, async ({ stores }) => {
          const keys = await stores.tenants.listKeys(tenantId);
          if (keys.length === 0) return void io.out(`Tenant ${tenantId} has no keys.`);
          io.out(
            table([
              ['KEY ID', 'SCOPES', 'CREATED', 'REVOKED', 'EXPIRES', 'NAME'],
              ...keys.map((k) => [k.keyId, k.scopes.join(','), k.createdAt.toISOString(), k.revokedAt?.toISOString() ?? '-', k.expiresAt?.toISOString() ?? '-', k.name]),
            ]),
          );
        });
        return 0;
      }
      if (sub === 'revoke') {
        const values = options(rest, { 'key-id': { type: 'string' } });
        const keyId = required(values['key-id'], '--key-id');
        let revoked = false;
        await withDatabase(context, async ({ stores }) => {
          revoked = await stores.tenants.revokeKey(keyId);
        });
        if (!revoked) throw new AppError('NOT_FOUND', `no active key ${keyId} (unknown or already revoked)`);
        // Servers drop it from their key caches as the revocation is announced (live/key-revocations.ts).
        io.out(`Revoked key ${keyId}. Running servers refuse it at once (at the latest within API_KEY_CACHE_TTL_SECONDS, default 5 s, if one is not listening).`);
        return 0;
      }
      if (sub === 'rotate') {
        const values = options(rest, { 'key-id': { type: 'string' }, grace: { type: 'string' } });
        const keyId = required(values['key-id'], '--key-id');
        const grace = values.grace === undefined ? 3600 : Number(values.grace);
        if (!Number.isInteger(grace) || grace < 0) throw new UsageError('--grace: a whole number of seconds, 0 or more');
        await withDatabase(context, async ({ stores }) => {
          const { key, info, old } = await stores.tenants.rotateKey(keyId, grace);
          io.out(`Created key ${info.keyId} for tenant ${info.tenantId} with scopes ${info.scopes.join(',')}.`);
          io.out(old.revokedAt ? `Key ${keyId} is revoked.` : `Key ${keyId} keeps working until ${old.expiresAt!.toISOString()}, then is refused.`);
          io.out('Store the new key now: it cannot be shown again.');
          io.out(key);
        });
        return 0;
      }
      throw new UsageError(`keys: expected "create", "list", "revoke" or "rotate", got ${sub ? `"${sub}"` : 'nothing'}`);

    case 'reap': {
      const values = options(argv.slice(1), { 'older-than-seconds': { type: 'string' } });
      const raw = values['older-than-seconds'];
      const staleAfterSeconds = raw === undefined ? config.traceStaleAfterSeconds : Number(raw);
      if (!Number.isInteger(staleAfterSeconds) || staleAfterSeconds < 0) {
        throw new UsageError('--older-than-seconds: a whole number of seconds, 0 or more');
      }
      await withDatabase(context, async ({ stores }) => {
        const reaper = startReaper({ stores, staleAfterSeconds, intervalSeconds: 0, logger });
        const count = await reaper.runOnce();
        io.out(`Aborted ${count} running trace${count === 1 ? '' : 's'} with no activity for ${staleAfterSeconds} s.`);
      });
      return 0;
    }

    case 'partitions': {
      const values = options(argv.slice(1), { 'months-ahead': { type: 'string' } });
      const monthsAhead = values['months-ahead'] === undefined ? PARTITION_MONTHS_AHEAD : Number(values['months-ahead']);
      if (!Number.isInteger(monthsAhead) || monthsAhead < 0 || monthsAhead > 120) throw new UsageError('--months-ahead: a whole number of months, 0 to 120');
      await withDatabase(context, async ({ stores }) => {
        const made = await stores.partitions.ensureStepPartitions(new Date(), monthsAhead);
        for (const line of describePartitionRun(made)) io.out(line);
        for (const p of await stores.partitions.stepPartitions()) io.out(`  ${p.name}  ${p.bound}  ~${p.estimatedRows} rows`);
      });
      return 0;
    }

    case 'retention':
    case 'export':
    case 'import':
      // Progress on stderr, the summary on stdout; the database opens only after the options pass.
      return runDataCommand(command as DataCommand, argv.slice(1), async (work) => {
        const session = await context.open();
        try {
          // Two retention runs at once (cron on two machines) would race over the same batches.
          if (command === 'retention') return await exclusively(session.db, RETENTION_LOCK, 'a retention run', () => work(session.stores));
          return await work(session.stores);
        } finally {
          await session.close();
        }
      }, io);

    case 'demo':
      options(argv.slice(1), {});
      await withDatabase(context, async ({ stores }) => {
        const { tenantId, apiKey, reused } = await runSeed(config, stores);
        io.out(`Demo tenant "${tenantId}" is ready. Its API key (${describeDemoKey(config, reused)}):`);
        io.out(apiKey);
      });
      return 0;

    default: {
      const meant = COMMANDS.find((known) => known === `${command}s` || (command!.length >= 3 && known.startsWith(command!)));
      if (meant) throw new UsageError(`unknown command "${command}": did you mean "${meant}"? (npm run aos -- help lists them all)`, true);
      throw new UsageError(`unknown command "${command}"`);
    }
  }
}

/** Maps an error to its exit code after printing one line about it (`say`: stderr, or a remote client's). */
function report(error: unknown, logger: Logger | undefined, say: (text: string) => void = (text) => console.error(text)): number {
  if (error instanceof UsageError) {
    say(error.brief ? `error: ${error.message}` : `error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (error instanceof ConfigError) {
    say(`error: ${error.message}`);
    return 2;
  }
  if (error instanceof Interrupted) {
    say(error.message);
    return 130;
  }
  if (error instanceof AppError) {
    say(`error: ${error.message}`);
    return error.code === 'BAD_USER_INPUT' ? 2 : 1;
  }
  if (error instanceof MigrationError || error instanceof DataDirBusyError || error instanceof DatabaseConnectionError || error instanceof NotMigratedError || error instanceof ServeError) {
    say(`error: ${error.message}`);
    return 1;
  }
  // Unexpected: one line for the operator, the stack in the log.
  logger?.error({ err: error }, 'command failed');
  say(`error: ${(error as Error)?.message ?? String(error)}`);
  return 1;
}

/** Commands a running embedded server runs for the CLI (serve and migrate are its own business). */
const REMOTE_COMMANDS = new Set(['tenants', 'keys', 'reap', 'demo', ...DATA_COMMANDS]);

/** The server's side of the command socket: the command runs on the server's open database. */
function remoteCommands(config: Config, logger: Logger, session: Session): RunCommand {
  return async (argv, io) => {
    const say = (text: string) => void io.err.write(`${text}\n`);
    if (!REMOTE_COMMANDS.has(argv[0] ?? '')) {
      say(`error: "${argv[0]}" cannot run beside the server that holds ${config.dataDir}: stop the server first`);
      return 2;
    }
    try {
      return await run(argv, { config, logger, io, open: async () => ({ ...session, close: async () => {} }) });
    } catch (error) {
      return report(error, logger, say);
    }
  };
}

/** First Ctrl-C: ask the command to stop and clean up; a second one exits at once. */
function interruptOnSigint(): AbortSignal {
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  });
  return controller.signal;
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
    const io: Io = { out: (line) => console.log(line), err: process.stderr };
    // The long data commands clean up on Ctrl-C; the short ones simply stop.
    if ((DATA_COMMANDS as readonly string[]).includes(command)) io.signal = interruptOnSigint();
    if (REMOTE_COMMANDS.has(command) && hasDataDir(config) && (await dataDirOwner(config.dataDir)) !== null) {
      const socket = commandSocketPath(config.dataDir);
      if (existsSync(socket)) return await sendCommand(socket, argv, io, io.signal ?? new AbortController().signal);
    }
    return await run(argv, { config, logger, io, open: () => openDatabase(config, logger!, 'check') });
  } catch (error) {
    return report(error, logger);
  }
}

// Explicit exit: an open handle in a dependency must not keep a finished command alive.
process.exit(await main(process.argv.slice(2)));
