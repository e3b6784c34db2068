// Test fixtures: a fresh, migrated database per test file — a new Postgres database when
// DATABASE_URL is set (CI), else an in-memory PGlite — plus the app and two tenants with keys.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createConnection, type AddressInfo } from 'node:net';
import { print, type ExecutionResult } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import pg from 'pg';
import pino from 'pino';
import { createDb, type Db } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { createApp, type App } from '../src/server.ts';
import { createStores, type Stores } from '../src/stores/index.ts';
import { asTestStatement, recordStatement } from './statements/log.ts';

export const usingPostgres = Boolean(process.env.DATABASE_URL);

/** A new empty database: its own Postgres database, or an in-memory PGlite. */
export async function createTestDb(options: { onQuery?: (sql: string) => void } = {}): Promise<{ db: Db; url: string | undefined; drop: () => Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL;
  // Every statement is also logged for the statement audit (test/statements/audit.ts).
  const own = options.onQuery;
  options = { ...options, onQuery: own ? (text) => (recordStatement(text), own(text)) : recordStatement };
  if (!adminUrl) {
    const db = await createDb({ dataDir: 'memory://', ...options });
    return { db, url: undefined, drop: () => db.close() };
  }
  const name = `aos_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await createDb({ databaseUrl: url.toString(), poolSize: 5, ...options });
  return {
    db,
    url: url.toString(),
    drop: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export type TenantKeys = { tenantId: string; read: string; write: string; admin: string };

export type TestEnv = {
  db: Db;
  url: string | undefined;
  stores: Stores;
  app: App;
  a: TenantKeys;
  b: TenantKeys;
  close: () => Promise<void>;
};

export async function tenantWithKeys(stores: Stores, tenantId: string): Promise<TenantKeys> {
  await stores.tenants.create(tenantId, `Tenant ${tenantId}`);
  const key = async (scopes: ('read' | 'write' | 'admin')[]) => (await stores.tenants.createKey(tenantId, scopes, scopes.join('+'))).key;
  return { tenantId, read: await key(['read']), write: await key(['read', 'write']), admin: await key(['admin']) };
}

export async function setup(options: { onQuery?: (sql: string) => void } = {}): Promise<TestEnv> {
  const { db, url, drop } = await createTestDb(options);
  await migrate(db);
  const stores = createStores(db);
  const app = createApp({ db, stores, logger: pino({ level: 'silent' }) });
  return { db, url, stores, app, a: await tenantWithKeys(stores, 'tenant-a'), b: await tenantWithKeys(stores, 'tenant-b'), close: drop };
}

type Result<R = Record<string, any>> = ExecutionResult<R> & { status: number };

/**
 * The app on a loopback port, served as production serves it (`app.listener`: the fast GraphQL
 * path in front of yoga), so every operation the suite sends twice also checks that path's answers.
 */
const servers = new WeakMap<App, Promise<string>>();
function served(app: App): Promise<string> {
  let origin = servers.get(app);
  if (!origin) {
    origin = new Promise((resolve) => {
      const server = createServer(app.listener);
      server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
      server.unref();
    });
    servers.set(app, origin);
  }
  return origin;
}

/** Runs an operation through the real HTTP path (headers, status codes), on a loopback port. */
export async function gql<R = Record<string, any>, V = Record<string, unknown>>(
  app: App,
  document: string | TypedDocumentNode<R, V>,
  variables: V | undefined,
  apiKey: string | null,
): Promise<Result<R>> {
  const res = await fetch(`${await served(app)}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    body: JSON.stringify({ query: typeof document === 'string' ? document : print(document), variables }),
  });
  return { ...((await res.json()) as ExecutionResult<R>), status: res.status };
}

/** The error code of the first error, for terse assertions. */
export const codeOf = (result: ExecutionResult) => result.errors?.[0]?.extensions?.code;

/** Direct SQL as the database owner, for assertions and for tampering in trigger tests. */
export async function sql<T = Record<string, unknown>>(db: Db, text: string, params: unknown[] = []): Promise<T[]> {
  return asTestStatement(() => db.withSession((s) => s.query<T>(text, params)));
}

/** Whether nothing listens at `url` any more (a stopped server freed its port). */
export const portRefuses = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = createConnection({ host: hostname, port: Number(port) });
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });
