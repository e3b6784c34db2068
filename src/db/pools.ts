// Driver pools, the same on the primary and on read replicas: `openPool` for one server, and
// `tenantPools`, one small pool per active tenant whose connections start as role aos_app with
// aos.tenant_id set, so no statement pays for switching and no connection can carry one tenant's
// setting to another. Row-level security is the same wherever such a pool points: the role and
// the setting come with the connection.
import pg from 'pg';
import { parseTimestamptz, TIMESTAMPTZ_OID } from './timestamps.ts';

/** Type parsers of `db.query` (Prisma's adapter brings its own per query). */
const DRIVER_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ_OID && format !== 'binary' ? parseTimestamptz : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** A pool to one server, with extra connection settings (`-c name=value ...`). */
export function openPool(connectionString: string, max: number, settings = '', extra: pg.PoolConfig = {}): pg.Pool {
  // JIT compilation costs more than it saves on this service's short queries, and ≈0.4 s on a
  // day's metrics (BENCHMARKS.md): off on every connection.
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 10_000, options: `-c jit=off ${settings}`.trim(), types: DRIVER_TYPES, ...extra });
  // An idle client that loses its server (restart, failover) must not crash the process.
  pool.on('error', () => {});
  return pool;
}

/** Tenant ids as the tenants store admits them; they go into a connection option verbatim. */
const TENANT_ID = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63})?$/;
/** Tenant pools kept open at once per server; the least recently used beyond this is closed. */
const MAX_TENANT_POOLS = 64;

export type TenantPools<E extends { pool: pg.Pool }> = {
  /** The entry of this tenant ('' outside any scope: a pool that sees no tenant's rows). */
  get(tenantId: string): E;
  entries(): IterableIterator<E>;
  close(): Promise<void>;
};

/**
 * `newPool(settings)` opens a pool with these extra connection settings; `create` wraps it in
 * the entry kept per tenant, `release` frees an entry's own resources before its pool ends.
 */
export function tenantPools<E extends { pool: pg.Pool }>(
  newPool: (settings: string) => pg.Pool,
  create: (pool: pg.Pool) => E,
  release: (entry: E) => Promise<void> = async () => {},
): TenantPools<E> {
  const byTenant = new Map<string, E>();
  let closed = false;
  return {
    get(tenantId) {
      // Like pg's own pools: a closed handle refuses work instead of opening new connections.
      if (closed) throw new Error('Cannot use a pool after calling end on the pool');
      const found = byTenant.get(tenantId);
      if (found) {
        byTenant.delete(tenantId);
        byTenant.set(tenantId, found);
        return found;
      }
      if (!TENANT_ID.test(tenantId)) throw new Error(`invalid tenant id for a database scope: ${JSON.stringify(tenantId)}`);
      const entry = create(newPool(`-c role=aos_app -c aos.tenant_id=${tenantId}`));
      byTenant.set(tenantId, entry);
      if (byTenant.size > MAX_TENANT_POOLS) {
        const [oldest, evicted] = byTenant.entries().next().value!;
        byTenant.delete(oldest);
        // Checked-out connections finish their work first: pg closes them as they are released.
        void release(evicted).then(() => evicted.pool.end()).catch(() => {});
      }
      return entry;
    },
    entries: () => byTenant.values(),
    async close() {
      closed = true;
      for (const entry of byTenant.values()) {
        await release(entry);
        await entry.pool.end();
      }
      byTenant.clear();
    },
  };
}
