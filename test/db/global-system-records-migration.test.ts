// Migration 20261203150000_global_system_records on a database that already holds system records:
// the global rows (tenant_id NULL) move to global_system_records, every column and id kept, none
// lost and none doubled; the tenant rows stay as they were; and a tenant's list reads the same
// rows in the same order as the one-table query did before.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { migrate, MIGRATIONS_DIR, readMigrations } from '../../src/db/migrate.ts';
import { createSystemRecordStore } from '../../src/stores/system-records.ts';
import { createTestDb, sql } from '../helpers.ts';

const MIGRATION = '20261203150000_global_system_records';
const T0 = '2026-04-01T00:00:00.000Z';

let db: Db;
let drop: () => Promise<void>;
let before: { tenant: Row[]; global: Row[]; listA: string[]; listB: string[] };
let applied: string[];
const dirs: string[] = [];

type Row = { id: string; doc: string };

/** Every column of every row but `except`, as jsonb text (exact: numbers as written, times to the millisecond), by id. */
const rows = (from: string, where = 'true', except = '') =>
  sql<Row>(db, `SELECT r.id::text AS id, (to_jsonb(r) - 'id'${except && ` - '${except}'`})::text AS doc FROM ${from} r WHERE ${where} ORDER BY r.id`);

/** What a tenant read before, by the one-table rule: its rows and the global ones, newest first. */
const oneTableList = async (tenant: string) =>
  (await sql<{ id: string }>(db, `SELECT id::text AS id FROM system_records WHERE tenant_id = $1 OR tenant_id IS NULL ORDER BY created_at DESC, id DESC`, [tenant])).map(
    (r) => r.id,
  );

beforeAll(async () => {
  ({ db, drop } = await createTestDb());
  // The migrations before the one under test, from a copy of the folder without it and later ones.
  const dir = await mkdtemp(join(tmpdir(), 'aos-migrations-'));
  dirs.push(dir);
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  for (const { name } of await readMigrations()) if (name >= MIGRATION) await rm(join(dir, name), { recursive: true });
  await migrate(db, dir);

  await sql(db, `INSERT INTO tenants (id, name) VALUES ('mig-a', 'A'), ('mig-b', 'B')`);
  // Tenant rows and global rows on one clock, so they interleave, with ties across the two kinds
  // (every third instant is shared), every optional column set on some rows, and two global rows
  // sharing an idempotency key (possible before: the unique index never covered NULL tenants).
  await sql(
    db,
    `INSERT INTO system_records (tenant_id, component, event_type, severity, summary, details, caused_by, correlation_id, idempotency_key, created_at)
     SELECT (ARRAY['mig-a', NULL, 'mig-b', NULL, 'mig-a'])[1 + i % 5],
       (ARRAY['worker','api','db','migration'])[1 + i % 4]::"SystemComponent",
       (ARRAY['DEPLOY','HEALTH_CHECK','ERROR','MIGRATION'])[1 + i % 4]::"SystemEventType",
       (ARRAY['INFO','WARN','CRITICAL'])[1 + i % 3]::"SystemSeverity", 'event ' || i,
       CASE WHEN i % 2 = 0 THEN jsonb_build_object('i', i, 'big', 12345678901234567890, 'nested', jsonb_build_array(i, 'x')) END,
       CASE WHEN i % 3 = 0 THEN 'AUTOMATION' END::"CausedBy", CASE WHEN i % 4 <> 3 THEN 'corr-' || (i % 6) END,
       CASE WHEN i % 7 = 0 THEN 'key-' || i END,
       $1::timestamptz + (i / 3) * interval '1 second' + (i % 3) * interval '1 millisecond' * (i % 2)
     FROM generate_series(1, 60) AS i`,
    [T0],
  );
  await sql(
    db,
    `INSERT INTO system_records (tenant_id, component, event_type, severity, summary, idempotency_key, created_at)
     VALUES (NULL, 'api', 'DEPLOY', 'INFO', 'twin 1', 'twin', $1), (NULL, 'api', 'DEPLOY', 'INFO', 'twin 2', 'twin', $1)`,
    [T0],
  );
  before = {
    tenant: await rows('system_records', 'r.tenant_id IS NOT NULL'),
    global: await rows('system_records', 'r.tenant_id IS NULL', 'tenant_id'),
    listA: await oneTableList('mig-a'),
    listB: await oneTableList('mig-b'),
  };
  applied = await migrate(db);
}, 120_000);

afterAll(async () => {
  await drop?.();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe(`migration ${MIGRATION}`, () => {
  it('is applied here on top of the others', async () => {
    expect(applied).toEqual((await readMigrations()).map((m) => m.name).filter((name) => name >= MIGRATION));
    expect(applied[0]).toBe(MIGRATION);
    // The data under test is there: both kinds, and enough of them.
    expect(before.tenant.length).toBeGreaterThan(20);
    expect(before.global.length).toBeGreaterThan(20);
  });

  it('moves every global row, every column and id, once; system_records keeps its tenant rows unchanged', async () => {
    expect(await rows('global_system_records')).toEqual(before.global);
    expect(await rows('system_records')).toEqual(before.tenant);
  });

  it('leaves system_records with tenant_id NOT NULL, (tenant_id, id) as its key and its append-only trigger on', async () => {
    const [column] = await sql<{ nullable: string; pkey: string }>(
      db,
      `SELECT is_nullable AS nullable, (SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'system_records_pkey') AS pkey
       FROM information_schema.columns WHERE table_name = 'system_records' AND column_name = 'tenant_id'`,
    );
    expect(column).toEqual({ nullable: 'NO', pkey: 'PRIMARY KEY (tenant_id, id)' });
    await expect(sql(db, `DELETE FROM system_records WHERE tenant_id = 'mig-a'`)).rejects.toThrow(/append-only: DELETE rejected/);
    await expect(sql(db, `INSERT INTO system_records (tenant_id, component, event_type, severity, summary) VALUES (NULL, 'api', 'DEPLOY', 'INFO', 'x')`)).rejects.toThrow(
      /null value in column "tenant_id"/,
    );
  });

  it("gives each tenant's list the rows and order of the one-table query before", async () => {
    const store = createSystemRecordStore(db);
    for (const [tenant, want] of [['mig-a', before.listA], ['mig-b', before.listB]] as const) {
      const page = await db.withTenant(tenant, () => store.list(tenant, {}, { size: 100, backward: false, direction: 'desc', sortKey: 'createdAt' }));
      expect(page.items.map((r) => r.id)).toEqual(want);
      expect(page.items.filter((r) => r.tenantId === null).map((r) => r.id).sort()).toEqual(before.global.map((r) => r.id));
    }
  });
});
