// One client factory for both backends (DESIGN D1): Postgres through @prisma/adapter-pg when a URL
// is given, otherwise PGlite (Postgres compiled to WASM) in a data folder. Everything above this
// file sees the same PrismaClient and the same raw-SQL connection interface.
//
// Tenancy's second wall (DESIGN D3): on Postgres, `prisma` runs every statement as role aos_app
// with the tenant of the surrounding `withTenant` scope in the setting aos.tenant_id, so the
// row-level security policies admit that tenant's rows only — a query that forgot its tenant
// filter still cannot see another tenant. Outside any scope it sees nothing. `admin` is the owner
// connection, for the few cross-tenant jobs (authentication, the reaper, operator commands).
// The embedded PGlite database has one user and no second wall: both are the same client there.
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { parseTimestamptz, TIMESTAMPTZ_OID } from './timestamps.ts';
import type { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';

/** A single session for work Prisma cannot do: multi-statement scripts and session advisory locks. */
export interface SqlSession {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  exec(script: string): Promise<void>;
}

export type TransactionOptions = {
  /** On the owner connection (no row-level security), for cross-tenant work; default: the tenant in scope. */
  admin?: boolean;
  /** Default: PostgreSQL's READ COMMITTED. */
  isolation?: 'repeatable read' | 'serializable';
};

export interface Db {
  kind: 'postgres' | 'pglite';
  /** Tenant-scoped: statements run for the tenant of the current `withTenant` scope only. */
  prisma: PrismaClient;
  /** The owner connection, not subject to row-level security: cross-tenant work only. */
  admin: PrismaClient;
  /** Runs `work` with `prisma` scoped to this tenant (also across awaits inside it). */
  withTenant<T>(tenantId: string, work: () => T): T;
  /**
   * Tenant-scoped raw SQL straight through the driver, with `$1` placeholders: for the hot read
   * paths where Prisma's per-value row decoding costs more than the query (BENCHMARKS.md). Rows
   * come as the driver types them: int8 and numeric as text, so cast or convert those.
   */
  query<T>(text: string, values?: readonly unknown[]): Promise<T[]>;
  /** Runs `work` on a dedicated session (pooled connection or the PGlite instance). */
  withSession<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Runs `work` in one transaction through the driver: committed when it resolves, rolled back
   * when it throws (the error is rethrown). Tenant-scoped like `query` unless `admin`. On PGlite
   * the transaction holds the only session, so other statements wait for it.
   */
  transaction<T>(work: (tx: SqlSession) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
  /** Where a LISTEN connection of its own goes (live tail): the server, or the embedded instance. */
  listenTarget: { connectionString: string } | { pglite: PGlite };
  /** Connections across this handle's pools, for /metrics (PGlite: one, never waiting). */
  poolStats(): { total: number; idle: number; waiting: number };
}

export type DbOptions = {
  databaseUrl?: string | undefined;
  dataDir?: string;
  poolSize?: number;
  /** Called with every SQL statement Prisma sends (for statement-count tests and debugging). */
  onQuery?: (sql: string) => void;
};

export async function createDb(options: DbOptions): Promise<Db> {
  return options.databaseUrl
    ? createPostgresDb(options.databaseUrl, options.poolSize ?? 10, options.onQuery)
    : createPgliteDb(options.dataDir ?? 'memory://', options.onQuery);
}

type PrismaAdapter = PrismaPg | PrismaPGlite;

function createPrisma(adapter: PrismaAdapter, onQuery: DbOptions['onQuery']): PrismaClient {
  if (!onQuery) return new PrismaClient({ adapter });
  const prisma = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  prisma.$on('query' as never, (event: { query: string }) => onQuery(event.query));
  return prisma;
}

/** Tenant ids as the tenants store admits them; they go into a connection option verbatim. */
const TENANT_ID = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63})?$/;
/** Tenant pools kept open at once; the least recently used beyond this is closed. */
const MAX_TENANT_POOLS = 64;

/** Type parsers of `db.query` (Prisma's adapter brings its own per query). */
const DRIVER_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ_OID && format !== 'binary' ? parseTimestamptz : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function createPostgresDb(connectionString: string, max: number, onQuery: DbOptions['onQuery']): Db {
  // JIT compilation costs more than it saves on this service's short queries, and ≈0.4 s on a
  // day's metrics (BENCHMARKS.md): off on every connection.
  const newPool = (settings = '') => {
    const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 10_000, options: `-c jit=off ${settings}`.trim(), types: DRIVER_TYPES });
    // An idle client that loses its server (restart, failover) must not crash the process.
    pool.on('error', () => {});
    return pool;
  };
  const adminPool = newPool();
  const admin = createPrisma(new PrismaPg(adminPool), onQuery);
  // One small pool per active tenant, its connections started as aos_app with the tenant set, so
  // no statement pays for switching and no connection can carry one tenant's setting to another.
  const tenantClients = new Map<string, { pool: pg.Pool; prisma: PrismaClient }>();
  let closed = false;
  const clientFor = (tenantId: string): { pool: pg.Pool; prisma: PrismaClient } => {
    // Like pg's own pools: a closed handle refuses work instead of opening new connections.
    if (closed) throw new Error('Cannot use a pool after calling end on the pool');
    const found = tenantClients.get(tenantId);
    if (found) {
      tenantClients.delete(tenantId);
      tenantClients.set(tenantId, found);
      return found;
    }
    if (!TENANT_ID.test(tenantId)) throw new Error(`invalid tenant id for a database scope: ${JSON.stringify(tenantId)}`);
    const pool = newPool(`-c role=aos_app -c aos.tenant_id=${tenantId}`);
    const entry = { pool, prisma: createPrisma(new PrismaPg(pool), onQuery) };
    tenantClients.set(tenantId, entry);
    if (tenantClients.size > MAX_TENANT_POOLS) {
      const [oldest, evicted] = tenantClients.entries().next().value!;
      tenantClients.delete(oldest);
      // Checked-out connections finish their work first: pg closes them as they are released.
      void evicted.prisma.$disconnect().then(() => evicted.pool.end()).catch(() => {});
    }
    return entry;
  };
  return {
    kind: 'postgres',
    prisma: scopedClient((tenantId) => clientFor(tenantId).prisma),
    admin,
    withTenant: (tenantId, work) => tenantScope.run(tenantId, work),
    async query<T>(text: string, values?: readonly unknown[]) {
      onQuery?.(text);
      const { pool } = clientFor(tenantScope.getStore() ?? '');
      return (await pool.query(text, values as unknown[])).rows as T[];
    },
    async withSession(work) {
      const client = await adminPool.connect();
      try {
        return await work(clientSession(client, onQuery));
      } finally {
        client.release();
      }
    },
    async transaction(work, options = {}) {
      const pool = options.admin ? adminPool : clientFor(tenantScope.getStore() ?? '').pool;
      const client = await pool.connect();
      let broken: unknown;
      try {
        await client.query(options.isolation ? `BEGIN ISOLATION LEVEL ${options.isolation.toUpperCase()}` : 'BEGIN');
        const result = await work(clientSession(client, onQuery));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that cannot even roll back is dropped from the pool, not reused.
        await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError));
        throw error;
      } finally {
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    async close() {
      closed = true;
      for (const { prisma, pool } of tenantClients.values()) {
        await prisma.$disconnect();
        await pool.end();
      }
      tenantClients.clear();
      await admin.$disconnect();
      await adminPool.end();
    },
    listenTarget: { connectionString },
    poolStats: () => {
      const pools = [adminPool, ...[...tenantClients.values()].map((c) => c.pool)];
      const sum = (count: (pool: pg.Pool) => number) => pools.reduce((n, pool) => n + count(pool), 0);
      return { total: sum((p) => p.totalCount), idle: sum((p) => p.idleCount), waiting: sum((p) => p.waitingCount) };
    },
  };
}

const tenantScope = new AsyncLocalStorage<string>();

function clientSession(client: pg.PoolClient, onQuery: DbOptions['onQuery']): SqlSession {
  return {
    async query<T>(text: string, params?: readonly unknown[]) {
      onQuery?.(text);
      return (await client.query(text, params as unknown[])).rows as T[];
    },
    exec: async (script) => void (await client.query(script)),
  };
}

/** A PrismaClient that forwards to the client of the tenant in scope (none: the no-rows client). */
function scopedClient(clientFor: (tenantId: string) => PrismaClient): PrismaClient {
  return new Proxy({} as PrismaClient, {
    get(_target, property) {
      const client = clientFor(tenantScope.getStore() ?? '');
      const value = Reflect.get(client, property, client) as unknown;
      return typeof value === 'function' ? value.bind(client) : value;
    },
  });
}

async function createPgliteDb(dataDir: string, onQuery: DbOptions['onQuery']): Promise<Db> {
  if (!dataDir.includes('://')) await mkdir(dataDir, { recursive: true });
  // Loaded only here: a server on PostgreSQL never holds PGlite's WASM build (~35 MB resident).
  const [{ PGlite }, { PrismaPGlite }] = await Promise.all([import('@electric-sql/pglite'), import('pglite-prisma-adapter')]);
  const pglite: PGlite = await PGlite.create(dataDir);
  const prisma = createPrisma(new PrismaPGlite(pglite), onQuery);
  const session: SqlSession = {
    query: async <T>(text: string, params?: readonly unknown[]) => (await pglite.query<T>(text, params as unknown[])).rows,
    exec: async (script) => void (await pglite.exec(script)),
  };
  return {
    kind: 'pglite',
    prisma,
    admin: prisma,
    withTenant: (tenantId, work) => tenantScope.run(tenantId, work),
    async query<T>(text: string, values?: readonly unknown[]) {
      onQuery?.(text);
      return (await pglite.query<T>(text, values as unknown[])).rows;
    },
    withSession: (work) => work(session),
    transaction: (work, options = {}) =>
      pglite.transaction(async (tx) => {
        if (options.isolation) await tx.query(`SET TRANSACTION ISOLATION LEVEL ${options.isolation.toUpperCase()}`);
        return work({
          async query<T>(text: string, params?: readonly unknown[]) {
            onQuery?.(text);
            return (await tx.query<T>(text, params as unknown[])).rows;
          },
          exec: async (script) => void (await tx.exec(script)),
        });
      }),
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
    listenTarget: { pglite },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
  };
}
