// DESIGN D2: prisma/schema.prisma is the source of truth and the migrations are written by hand
// from it. This test builds one database from Prisma's own DDL for the schema and another from our
// migrations, and compares what Prisma Client relies on. The migrated database may have more
// (CHECKs, triggers, partial indexes), never less or different.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffSchemas } from '../../scripts/schema-diff.ts';
import { createDb, type Db } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { sql } from '../helpers.ts';

type Catalog = {
  tables: Set<string>;
  columns: Map<string, string>;
  enums: Map<string, string>;
  primaryKeys: Map<string, string>;
  uniqueConstraints: Map<string, string>;
  /** Index name → definition; `partial` and `unique` let the rules below tell them apart. */
  indexes: Map<string, { def: string; unique: boolean; partial: boolean }>;
  foreignKeys: Map<string, string>;
};

const IGNORED = ['_prisma_migrations'];
// Partitions (of aos_trace_steps, docs/partitions.md) are migration SQL's business: Prisma models
// the partitioned table as one table, so the catalog compares the parent and skips its partitions.
const NOT_A_PARTITION = `NOT EXISTS (SELECT 1 FROM pg_class p WHERE p.relname = %s AND p.relispartition)`;

async function catalog(db: Db): Promise<Catalog> {
  const rows = <T,>(text: string) => sql<T>(db, text, text.includes('$1') ? [IGNORED] : []);
  const tables = await rows<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND NOT table_name = ANY($1)
       AND ${NOT_A_PARTITION.replace('%s', 'table_name')}`,
  );
  const columns = await rows<{ key: string; value: string }>(
    `SELECT c.table_name || '.' || c.column_name AS key,
            concat_ws(' | ', c.data_type, c.udt_name, format_type(a.atttypid, a.atttypmod),
                      CASE WHEN c.is_nullable = 'YES' THEN 'NULL' ELSE 'NOT NULL' END,
                      'default ' || coalesce(c.column_default, '-')) AS value
     FROM information_schema.columns c
     JOIN pg_attribute a ON a.attrelid = format('public.%I', c.table_name)::regclass AND a.attname = c.column_name
     WHERE c.table_schema = 'public' AND NOT c.table_name = ANY($1) AND ${NOT_A_PARTITION.replace('%s', 'c.table_name')}`,
  );
  const enums = await rows<{ key: string; value: string }>(
    `SELECT t.typname AS key, string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) AS value
     FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = 'public' GROUP BY t.typname`,
  );
  const constraints = await rows<{ type: string; key: string; value: string }>(
    `SELECT c.contype::text AS type, r.relname || '.' || c.conname AS key, pg_get_constraintdef(c.oid) AS value
     FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
     WHERE n.nspname = 'public' AND c.contype IN ('p', 'u', 'f') AND NOT r.relname = ANY($1) AND NOT r.relispartition`,
  );
  const indexes = await rows<{ key: string; def: string; unique: boolean; partial: boolean }>(
    // "ON ONLY": how Postgres writes an index of a partitioned table, the same index to Prisma.
    `SELECT t.relname || '.' || i.relname AS key, replace(pg_get_indexdef(x.indexrelid), ' ON ONLY ', ' ON ') AS def,
            x.indisunique AS unique, x.indpred IS NOT NULL AS partial
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = 'public' AND NOT t.relname = ANY($1) AND NOT t.relispartition`,
  );
  const byType = (type: string) => new Map(constraints.filter((c) => c.type === type).map((c) => [c.key, c.value]));
  return {
    tables: new Set(tables.map((t) => t.name)),
    columns: new Map(columns.map((c) => [c.key, c.value])),
    enums: new Map(enums.map((e) => [e.key, e.value])),
    primaryKeys: byType('p'),
    uniqueConstraints: byType('u'),
    indexes: new Map(indexes.map((i) => [i.key, { def: i.def, unique: i.unique, partial: i.partial }])),
    foreignKeys: byType('f'),
  };
}

/** Every difference that matters, one readable line each; empty when the two agree. */
function compareCatalogs(prisma: Catalog, migrated: Catalog): string[] {
  const problems: string[] = [];
  const same = (what: string, want: Map<string, string>, have: Map<string, string>, extraAllowed = false) => {
    for (const [key, value] of want) {
      const actual = have.get(key);
      if (actual === undefined) problems.push(`${what} ${key}: in schema.prisma (${value}), missing from the migrations`);
      else if (actual !== value) problems.push(`${what} ${key}: schema.prisma says "${value}", the migrations make "${actual}"`);
    }
    if (!extraAllowed) {
      for (const [key, value] of have) {
        if (!want.has(key)) problems.push(`${what} ${key}: made by the migrations (${value}), not in schema.prisma`);
      }
    }
  };
  const asMap = (set: Set<string>) => new Map([...set].map((t) => [t, 'table']));
  same('table', asMap(prisma.tables), asMap(migrated.tables));
  same('column', prisma.columns, migrated.columns);
  same('enum', prisma.enums, migrated.enums);
  same('primary key', prisma.primaryKeys, migrated.primaryKeys);
  same('unique constraint', prisma.uniqueConstraints, migrated.uniqueConstraints);
  same('foreign key', prisma.foreignKeys, migrated.foreignKeys);
  const defs = (c: Catalog, keep: (i: { unique: boolean; partial: boolean }) => boolean) =>
    new Map([...c.indexes].filter(([, i]) => keep(i)).map(([k, i]) => [k, i.def]));
  // Extra indexes are fine (partial ones Prisma cannot express, indexes for our own queries), but
  // a plain unique index belongs in schema.prisma: Prisma Client only knows the unique keys declared there.
  same('index', defs(prisma, () => true), defs(migrated, () => true), true);
  same('unique index', defs(prisma, (i) => i.unique && !i.partial), defs(migrated, (i) => i.unique && !i.partial));
  return problems;
}

let fromPrisma: Db;
let fromMigrations: Db;

beforeAll(async () => {
  const ddl = await diffSchemas(null, await readFile(new URL('../../prisma/schema.prisma', import.meta.url), 'utf8'));
  expect(ddl).toMatch(/CREATE TABLE/);
  [fromPrisma, fromMigrations] = await Promise.all([createDb({ dataDir: 'memory://' }), createDb({ dataDir: 'memory://' })]);
  await fromPrisma.withSession((s) => s.exec(ddl));
  await migrate(fromMigrations);
}, 180_000);

afterAll(async () => {
  await fromPrisma?.close();
  await fromMigrations?.close();
});

describe('schema.prisma and the migrations', () => {
  it('describe the same tables, columns, enums, keys and indexes', async () => {
    const prisma = await catalog(fromPrisma);
    // Guards against a vacuous pass (an empty DDL or a query that finds nothing compares equal).
    expect(prisma.tables.size).toBeGreaterThanOrEqual(11);
    expect(prisma.columns.size).toBeGreaterThan(100);
    expect(prisma.enums.size).toBeGreaterThan(10);
    expect(prisma.foreignKeys.size).toBeGreaterThanOrEqual(10);
    expect(prisma.indexes.size).toBeGreaterThan(20);
    const problems = compareCatalogs(prisma, await catalog(fromMigrations));
    expect(problems, `drift between prisma/schema.prisma and prisma/migrations:\n  ${problems.join('\n  ')}\n`).toEqual([]);
  });

  it('notices a difference of each kind (the comparison itself can fail)', async () => {
    const before = await catalog(fromPrisma);
    await fromPrisma.withSession((s) =>
      s.exec(`
        ALTER TABLE "tenants" ADD COLUMN "drift_probe" INTEGER;
        ALTER TABLE "runs" ALTER COLUMN "goal" SET NOT NULL;
        ALTER TYPE "ApiScope" ADD VALUE 'probe';
        CREATE INDEX "runs_goal_probe_idx" ON "runs"("goal");
        ALTER TABLE "incidents" ADD CONSTRAINT "incidents_title_probe_key" UNIQUE ("title");
        CREATE TABLE "drift_probe" ("id" INTEGER PRIMARY KEY);
      `),
    );
    const problems = compareCatalogs(await catalog(fromPrisma), await catalog(fromMigrations));
    const expected = [
      /^column tenants\.drift_probe: in schema\.prisma/,
      /^column runs\.goal: schema\.prisma says ".*NOT NULL.*", the migrations make ".*\| NULL \|/,
      /^enum ApiScope: schema\.prisma says "read, write, admin, probe"/,
      /^index runs\.runs_goal_probe_idx: in schema\.prisma/,
      /^unique constraint incidents\.incidents_title_probe_key: in schema\.prisma/,
      /^table drift_probe: in schema\.prisma/,
      /^primary key drift_probe\.drift_probe_pkey: in schema\.prisma/,
    ];
    for (const pattern of expected) expect(problems.some((p) => pattern.test(p)), `${pattern} in:\n${problems.join('\n')}`).toBe(true);
    expect(before.tables.has('drift_probe')).toBe(false);
  });
});
