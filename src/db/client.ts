// One database handle for both backends (DESIGN D1): PostgreSQL through `pg` when a URL is given,
// otherwise PGlite (Postgres compiled to WASM) in a data folder. The stores speak SQL through the
// driver: `query` (tenant-scoped), `transaction` (tenant-scoped or owner) and `withSession`
// (owner). Prisma's client (`prisma`, `admin`) remains only for the operator's bulk transfer and is
// built on first use; Prisma's schema and migrations stay the source of truth (DESIGN D2).
//
// Tenancy's second wall (DESIGN D3): on Postgres, tenant-scoped statements run as role aos_app
// with the tenant of the surrounding `withTenant` scope in the setting aos.tenant_id (one pool per
// tenant, its connections started that way), so the row-level security policies admit that
// tenant's rows only — a query that forgot its tenant filter still cannot see another tenant.
// Outside any scope it sees nothing. The owner connection is for the few cross-tenant jobs
// (authentication, the reaper, operator commands). The embedded PGlite database has one user and
// no second wall.
//
// Read replicas (src/db/replicas.ts): inside `onReplica`, `db.query` runs on a replica, through
// tenant pools built like the primary's (same role, same setting, so the same row-level
// security); `withSession`, `transaction` and Prisma always use the primary. PGlite has none.
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import type { PrismaPGlite } from 'pglite-prisma-adapter';
import { openPool, tenantPools } from './pools.ts';
import { queryConfig } from './prepared.ts';
import { createReplicaSet, type Replica, type ReplicaOptions, type ReplicaSet } from './replicas.ts';
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
  query<T>(text: string, values?: readonly unknown[], options?: QueryOptions): Promise<T[]>;
  /**
   * Runs `work` with its `db.query` statements on a read replica: one that is up, within the lag
   * bound and, given `after` (a consistency token's position), has replayed that far, waiting
   * briefly for one; on the primary when none qualifies or a replica fails mid-way. For reads
   * only: anything inside `transaction` or `withSession` still runs on the primary.
   */
  onReplica<T>(work: () => Promise<T>, options?: { after?: bigint }): Promise<T>;
  /** Read replicas (DATABASE_REPLICA_URLS); null on PGlite or when none are configured. */
  replicas: ReplicaSet | null;
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

export type QueryOptions = {
  /**
   * Parsed and planned once per connection, then only bound and run (a named prepared statement;
   * PGlite ignores it): for hot statements sent with the same text over and over, whose planning
   * costs as much as running them (recording one step).
   */
  prepared?: boolean;
};

export type DbOptions = {
  databaseUrl?: string | undefined;
  dataDir?: string;
  poolSize?: number;
  /** Called with every SQL statement Prisma sends (for statement-count tests and debugging). */
  onQuery?: (sql: string) => void;
  /** Read replicas of `databaseUrl`; ignored by the embedded database. */
  replicas?: ReplicaOptions | undefined;
};

export async function createDb(options: DbOptions): Promise<Db> {
  return options.databaseUrl
    ? createPostgresDb(options.databaseUrl, options.poolSize ?? 10, options.onQuery, options.replicas)
    : createPgliteDb(options.dataDir ?? 'memory://', options.onQuery);
}

type PrismaAdapter = PrismaPg | PrismaPGlite;

function createPrisma(adapter: PrismaAdapter, onQuery: DbOptions['onQuery']): PrismaClient {
  if (!onQuery) return new PrismaClient({ adapter });
  const prisma = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  prisma.$on('query' as never, (event: { query: string }) => onQuery(event.query));
  return prisma;
}

/**
 * A Prisma client made on first use. Since the stores moved to the driver, only the operator's
 * bulk transfer (stores/transfer.ts) uses Prisma: a server that never runs one never builds a
 * client, nor loads Prisma's query compiler (~90 MB resident, BENCHMARKS.md).
 */
function lazyPrisma(make: () => PrismaClient) {
  let client: PrismaClient | undefined;
  return { get: () => (client ??= make()), disconnect: async () => client?.$disconnect() };
}

function createPostgresDb(connectionString: string, max: number, onQuery: DbOptions['onQuery'], replicaOptions: ReplicaOptions | undefined): Db {
  const adminPool = openPool(connectionString, max);
  const admin = lazyPrisma(() => createPrisma(new PrismaPg(adminPool), onQuery));
  const tenantClients = tenantPools(
    (settings) => openPool(connectionString, max, settings),
    (pool) => ({ pool, prisma: lazyPrisma(() => createPrisma(new PrismaPg(pool), onQuery)) }),
    (entry) => entry.prisma.disconnect(),
  );
  const clientFor = (tenantId: string) => tenantClients.get(tenantId);
  const replicas = replicaOptions?.urls.length ? createReplicaSet(adminPool, max, replicaOptions) : null;
  return {
    kind: 'postgres',
    prisma: scopedClient((tenantId) => clientFor(tenantId).prisma.get()),
    get admin() {
      return admin.get();
    },
    withTenant: (tenantId, work) => tenantScope.run(tenantId, work),
    async query<T>(text: string, values?: readonly unknown[], options?: QueryOptions) {
      onQuery?.(text);
      const tenantId = tenantScope.getStore() ?? '';
      const replica = replicas ? readScope.getStore() : undefined;
      const config = queryConfig(text, values, options);
      if (replicas && replica?.usable()) {
        try {
          return (await replica.pools.get(tenantId).pool.query(config)).rows as T[];
        } catch (error) {
          if (!replicas.retryOnPrimary(replica, error)) throw error;
        }
      }
      return (await clientFor(tenantId).pool.query(config)).rows as T[];
    },
    async onReplica(work, options = {}) {
      const replica = replicas && (await replicas.pick(options.after));
      return replica ? readScope.run(replica, work) : work();
    },
    replicas,
    async withSession(work) {
      const client = await adminPool.connect();
      try {
        // Whatever `work` reads belongs with what it writes: the primary.
        return await readScope.exit(() => work(clientSession(client, onQuery)));
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
        // Reads inside a write (db.query among its statements) see it only on the primary.
        const result = await readScope.exit(() => work(clientSession(client, onQuery)));
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
      await replicas?.close();
      await tenantClients.close();
      await admin.disconnect();
      await adminPool.end();
    },
    listenTarget: { connectionString },
    poolStats: () => {
      const pools = [adminPool, ...[...tenantClients.entries()].map((c) => c.pool), ...(replicas?.pools() ?? [])];
      const sum = (count: (pool: pg.Pool) => number) => pools.reduce((n, pool) => n + count(pool), 0);
      return { total: sum((p) => p.totalCount), idle: sum((p) => p.idleCount), waiting: sum((p) => p.waitingCount) };
    },
  };
}

const tenantScope = new AsyncLocalStorage<string>();
/** The replica `db.query` reads from, inside `onReplica`. */
const readScope = new AsyncLocalStorage<Replica>();

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
  const prisma = lazyPrisma(() => createPrisma(new PrismaPGlite(pglite), onQuery));
  const session: SqlSession = {
    query: async <T>(text: string, params?: readonly unknown[]) => (await pglite.query<T>(text, params as unknown[])).rows,
    exec: async (script) => void (await pglite.exec(script)),
  };
  return {
    kind: 'pglite',
    get prisma() {
      return prisma.get();
    },
    get admin() {
      return prisma.get();
    },
    withTenant: (tenantId, work) => tenantScope.run(tenantId, work),
    async query<T>(text: string, values?: readonly unknown[]) {
      onQuery?.(text);
      return (await pglite.query<T>(text, values as unknown[])).rows;
    },
    // One database, no replicas: reads stay where they are.
    onReplica: (work) => work(),
    replicas: null,
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
      await prisma.disconnect();
      await pglite.close();
    },
    listenTarget: { pglite },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
  };
}
