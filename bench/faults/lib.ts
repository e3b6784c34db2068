// Shared by the fault scripts: a fresh database with one tenant and key, the real server as a child
// process, a GraphQL client that retries network failures, and the SQL checks every script ends with.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createStores } from '../../src/stores/index.ts';

export const ADMIN_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const TENANT = 'fault-tenant';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A new migrated database with one tenant and a read+write key; `drop` removes it. */
export async function freshDatabase(): Promise<{ url: string; key: string; query: <T>(text: string, params?: unknown[]) => Promise<T[]>; drop: () => Promise<void> }> {
  const name = `aos_faults_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = await createDb({ databaseUrl: url.toString(), poolSize: 2 });
  await migrate(db);
  const stores = createStores(db);
  await stores.tenants.create(TENANT, 'Fault tests');
  const { key } = await stores.tenants.createKey(TENANT, ['read', 'write'], 'faults');
  await db.close();
  // Checks run as the owner over plain pg, so they see every row whatever the service does.
  const query = async <T>(text: string, params: unknown[] = []) => {
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    try {
      return (await c.query(text, params)).rows as T[];
    } finally {
      await c.end();
    }
  };
  const drop = async () => {
    const a = new pg.Client({ connectionString: ADMIN_URL });
    await a.connect();
    await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await a.end();
  };
  return { url: url.toString(), key, query, drop };
}

export type Answer = { status: number; errors?: { message: string; extensions?: { code?: string } }[]; data?: any };

export async function post(url: string, key: string, query: string, variables: unknown, signal?: AbortSignal): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  const body = (await res.json().catch(() => ({}))) as Omit<Answer, 'status'>;
  return { ...body, status: res.status };
}

export const RECORD = `mutation($input: RecordTraceStepsInput!) { recordTraceSteps(input: $input) { createdCount duplicateCount } }`;
export const START = `mutation($input: StartTraceInput!) { startTrace(input: $input) { trace { traceId } } }`;

/** One batch: `size` consecutive steps of one trace, with fixed content so a retry is identical. */
export type Batch = { traceId: string; from: number; size: number };

export function batchSteps({ traceId, from, size }: Batch, pad = 0) {
  return Array.from({ length: size }, (_, i) => ({
    traceId,
    stepIndex: from + i,
    skillName: `skill-${(from + i) % 7}`,
    status: 'SUCCESS',
    params: { i: from + i, pad: 'p'.repeat(pad) },
    timestamp: new Date(Date.UTC(2026, 0, 1) + (from + i) * 1000).toISOString(),
  }));
}

/**
 * Sends a batch until the server acknowledges it: network failures, 5xx and masked internal errors
 * (the database gone) are retried; a typed client error is not, and is returned. Every attempt
 * sends the same body (`pad` included): a retry with other content is a different write, which
 * the server rightly refuses as a CONFLICT when the first attempt was stored.
 */
export async function sendWithRetry(currentUrl: () => string, key: string, batch: Batch, counters: { requests: number; errors: Record<string, number> }, deadline: number, pad = 0): Promise<Answer> {
  for (;;) {
    counters.requests += 1;
    let code: string;
    try {
      const a = await post(currentUrl(), key, RECORD, { input: { steps: batchSteps(batch, pad) } });
      if (a.status < 500 && !a.errors) return a;
      code = a.errors?.[0]?.extensions?.code ?? `HTTP_${a.status}`;
      if (a.status < 500 && code !== 'INTERNAL_SERVER_ERROR') {
        counters.errors[code] = (counters.errors[code] ?? 0) + 1;
        return a;
      }
    } catch (error) {
      code = ((error as { cause?: { code?: string } }).cause?.code ?? 'NETWORK') as string;
    }
    counters.errors[code] = (counters.errors[code] ?? 0) + 1;
    if (Date.now() > deadline) throw new Error(`batch ${batch.traceId}@${batch.from} not acknowledged before the deadline`);
    await sleep(100);
  }
}

/** Counts per batch range, duplicates per (trace, index): the invariants every script checks. */
export async function verify(query: <T>(text: string, params?: unknown[]) => Promise<T[]>, batches: Batch[], acknowledged: Set<Batch>) {
  const dup = await query<{ n: string }>(`SELECT count(*)::text AS n FROM (SELECT 1 FROM aos_trace_steps WHERE tenant_id = $1 GROUP BY trace_id, step_index HAVING count(*) > 1) d`, [TENANT]);
  const rows = await query<{ trace_id: string; step_index: number }>(`SELECT trace_id, step_index FROM aos_trace_steps WHERE tenant_id = $1`, [TENANT]);
  const have = new Map<string, Set<number>>();
  for (const r of rows) {
    if (!have.has(r.trace_id)) have.set(r.trace_id, new Set());
    have.get(r.trace_id)!.add(r.step_index);
  }
  let lost = 0;
  let partial = 0;
  for (const b of batches) {
    const set = have.get(b.traceId) ?? new Set<number>();
    let n = 0;
    for (let i = b.from; i < b.from + b.size; i += 1) if (set.has(i)) n += 1;
    if (n !== 0 && n !== b.size) partial += 1;
    if (acknowledged.has(b) && n !== b.size) lost += b.size - n;
  }
  return { lost, duplicates: Number(dup[0]!.n), partial, stored: rows.length };
}

export function report(name: string, requests: number, acked: number, r: { lost: number; duplicates: number; partial: number }, extra = ''): boolean {
  console.log(`faults(${name}): requests ${requests}, acknowledged ${acked}, rows lost: ${r.lost}, duplicates: ${r.duplicates}, partial batches: ${r.partial}${extra}`);
  return r.lost === 0 && r.duplicates === 0 && r.partial === 0;
}
