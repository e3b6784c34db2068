// One client factory for both backends (DESIGN D1): Postgres through @prisma/adapter-pg when a URL
// is given, otherwise PGlite (Postgres compiled to WASM) in a data folder. Everything above this
// file sees the same PrismaClient and the same raw-SQL connection interface.
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';

/** A single session for work Prisma cannot do: multi-statement scripts and session advisory locks. */
export interface SqlSession {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  exec(script: string): Promise<void>;
}

export interface Db {
  kind: 'postgres' | 'pglite';
  prisma: PrismaClient;
  /** Runs `work` on a dedicated session (pooled connection or the PGlite instance). */
  withSession<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
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

function createPostgresDb(connectionString: string, max: number, onQuery: DbOptions['onQuery']): Db {
  const pool = new pg.Pool({ connectionString, max });
  // An idle client that loses its server (restart, failover) must not crash the process.
  pool.on('error', () => {});
  const prisma = createPrisma(new PrismaPg(pool), onQuery);
  return {
    kind: 'postgres',
    prisma,
    async withSession(work) {
      const client = await pool.connect();
      try {
        return await work({
          query: async (text, params) => (await client.query(text, params)).rows,
          exec: async (script) => void (await client.query(script)),
        });
      } finally {
        client.release();
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function createPgliteDb(dataDir: string, onQuery: DbOptions['onQuery']): Promise<Db> {
  if (!dataDir.includes('://')) await mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir);
  const prisma = createPrisma(new PrismaPGlite(pglite), onQuery);
  const session: SqlSession = {
    query: async <T>(text: string, params?: unknown[]) => (await pglite.query<T>(text, params)).rows,
    exec: async (script) => void (await pglite.exec(script)),
  };
  return {
    kind: 'pglite',
    prisma,
    withSession: (work) => work(session),
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
