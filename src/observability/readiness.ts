// GET /ready: 200 when this process can serve, 503 (with the reason) when it cannot: the database
// does not answer, or migrations this code needs are not applied yet (a rolling deploy ahead of
// `npm run db:migrate`). /health stays the quick check that the process itself is up. Read
// replicas are listed with their state at the last probe; one that is down or lagging does not
// make the process unready (its reads go to the primary), it only shows here and in /metrics.
import type { Plugin } from 'graphql-yoga';
import type { Db } from '../db/client.ts';
import { readMigrations } from '../db/migrate.ts';
import type { ReplicaStatus } from '../db/replicas.ts';

const CHECK_TIMEOUT_MS = 3_000;

export type Readiness = {
  status: 'ready' | 'not_ready';
  database: 'up' | 'down';
  /** Migrations on disk that the database has not applied (empty when ready). */
  pendingMigrations: string[];
  reason?: string;
  /** Only when DATABASE_REPLICA_URLS names some. */
  replicas?: ReplicaStatus[];
};

export async function checkReadiness(db: Db, migrationNames: Promise<string[]>): Promise<Readiness> {
  const primary = await checkPrimary(db, migrationNames);
  return db.replicas ? { ...primary, replicas: db.replicas.status() } : primary;
}

async function checkPrimary(db: Db, migrationNames: Promise<string[]>): Promise<Readiness> {
  let applied: string[];
  try {
    applied = await withTimeout(
      db.withSession(async (session) => {
        const [table] = await session.query<{ exists: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`);
        if (!table?.exists) return [];
        const rows = await session.query<{ name: string }>(
          'SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
        );
        return rows.map((r) => r.name);
      }),
    );
  } catch (error) {
    return { status: 'not_ready', database: 'down', pendingMigrations: [], reason: `database: ${(error as Error).message.split('\n')[0]}` };
  }
  const pendingMigrations = (await migrationNames).filter((name) => !applied.includes(name));
  return pendingMigrations.length
    ? { status: 'not_ready', database: 'up', pendingMigrations, reason: 'migrations not applied: run `npm run db:migrate`' }
    : { status: 'ready', database: 'up', pendingMigrations };
}

async function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function readyPlugin(db: Db): Plugin {
  // The files on disk do not change while the process runs: read them once.
  let names: Promise<string[]> | undefined;
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/ready') return;
      names ??= readMigrations().then((ms) => ms.map((m) => m.name));
      const readiness = await checkReadiness(db, names);
      endResponse(fetchAPI.Response.json(readiness, { status: readiness.status === 'ready' ? 200 : 503 }));
    },
  };
}
