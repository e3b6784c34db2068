// Citus readiness (issue 14 §4): a table distributed by tenant_id keeps each tenant's rows on one
// shard only if every primary key, unique constraint or index and foreign key includes tenant_id.
// This reads the migrated catalog and names every key that breaks that.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COORDINATOR_TABLES, DISTRIBUTED_TABLES, NOT_YET_DISTRIBUTABLE, REFERENCE_TABLES } from '../../src/db/distribution.ts';
import { createTestDb, sql, usingPostgres } from '../helpers.ts';
import type { Db } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';

let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await createTestDb());
  await migrate(db);
});
afterAll(() => drop?.());

type Key = { table: string; name: string; kind: string; columns: string[]; references: string | null; definition: string };

/** Primary keys, unique constraints, unique indexes and foreign keys of the public schema. */
async function keys(): Promise<Key[]> {
  return sql<Key>(
    db,
    `SELECT r.relname AS table, c.conname AS name,
            CASE c.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique constraint' ELSE 'foreign key' END AS kind,
            array(SELECT a.attname::text FROM unnest(c.conkey) k JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k) AS columns,
            f.relname AS references, pg_get_constraintdef(c.oid) AS definition
     FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid LEFT JOIN pg_class f ON f.oid = c.confrelid
     WHERE r.relnamespace = 'public'::regnamespace AND c.contype IN ('p', 'u', 'f')
     UNION ALL
     SELECT t.relname, i.relname, 'unique index',
            array(SELECT a.attname::text FROM unnest(x.indkey) k JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k),
            NULL, pg_get_indexdef(x.indexrelid)
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
     WHERE t.relnamespace = 'public'::regnamespace AND x.indisunique
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u'))`,
  );
}

/** The one row a catalog query returns. */
async function one<T>(text: string, params: unknown[] = []): Promise<T> {
  const [row] = await sql<T>(db, text, params);
  if (!row) throw new Error(`no row from ${text}`);
  return row;
}

const global = new Set<string>([...REFERENCE_TABLES, ...COORDINATOR_TABLES]);

/** Why this key would split a tenant's rows across shards, or null when it is fine. */
function problem(key: Key): string | null {
  if (!key.columns.includes('tenant_id')) return `${key.kind} ${key.name} on ${key.table} lacks tenant_id: ${key.definition}`;
  // A distributed table may reference a reference table freely; another distributed table only
  // through tenant_id, so both rows are on the same shard (colocated by tenant).
  if (key.kind === 'foreign key' && key.references && !global.has(key.references) && !/REFERENCES \S+\((.*\b)?tenant_id\b/.test(key.definition)) {
    return `foreign key ${key.name} on ${key.table} reaches ${key.references} without tenant_id: ${key.definition}`;
  }
  return null;
}

describe('Citus readiness of the schema', () => {
  it('every key of every tenant table includes tenant_id', async () => {
    const all = await keys();
    const tables = new Set(all.map((k) => k.table));
    const problems = all.filter((k) => !global.has(k.table) && !(k.table in NOT_YET_DISTRIBUTABLE)).map(problem).filter(Boolean);
    expect(problems).toEqual([]);
    // The rule was applied to the tables it is about.
    expect([...tables].filter((t) => !global.has(t)).length).toBeGreaterThanOrEqual(9);
  });

  it('every table is listed as distributed, reference or coordinator, and distributed ones have tenant_id NOT NULL', async () => {
    const { tables } = await one<{ tables: string[] }>(
      `SELECT array_agg(relname::text ORDER BY relname) AS tables FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND NOT relispartition`,
    );
    expect(tables).toEqual([...DISTRIBUTED_TABLES, ...REFERENCE_TABLES, ...COORDINATOR_TABLES].sort());
    for (const t of DISTRIBUTED_TABLES) {
      if (t in NOT_YET_DISTRIBUTABLE) continue;
      const { has } = await one<{ has: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name = 'tenant_id' AND is_nullable = 'NO') AS has`,
        [t],
      );
      expect({ table: t, tenantIdNotNull: has }).toEqual({ table: t, tenantIdNotNull: true });
    }
  });

  it('the tables listed as not yet distributable still break the rule (the list cannot go stale)', async () => {
    const all = await keys();
    for (const table of Object.keys(NOT_YET_DISTRIBUTABLE)) {
      const { nullable } = await one<{ nullable: boolean }>(
        `SELECT is_nullable = 'YES' AS nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name = 'tenant_id'`,
        [table],
      );
      const broken = nullable || all.some((k) => k.table === table && problem(k) !== null);
      expect({ table, broken }).toEqual({ table, broken: true });
    }
  });

  it.runIf(usingPostgres)('a key without tenant_id is named (the check can fail)', async () => {
    await sql(db, `CREATE TABLE citus_probe (tenant_id text NOT NULL, id uuid PRIMARY KEY)`);
    try {
      const probe = (await keys()).filter((k) => k.table === 'citus_probe').map(problem);
      expect(probe).toEqual([expect.stringMatching(/^primary key citus_probe_pkey on citus_probe lacks tenant_id/)]);
    } finally {
      await sql(db, `DROP TABLE citus_probe`);
    }
  });
});
