// The migration runner (DESIGN D2): idempotent, Prisma-compatible bookkeeping, refuses edited
// history, all-or-nothing per migration, and safe when two processes start at once.
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client.ts';
import { migrate, MigrationError, MIGRATIONS_DIR, readMigrations } from '../../src/db/migrate.ts';
import { createTestDb, sql, usingPostgres } from '../helpers.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function freshDb() {
  const test = await createTestDb();
  cleanups.push(test.drop);
  return test;
}

/** A copy of prisma/migrations we may tamper with. */
async function migrationsCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aos-migrations-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

type MigrationRow = { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null; applied_steps_count: number };
const bookkeeping = (db: Parameters<typeof sql>[0]) =>
  sql<MigrationRow>(db, 'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name');

describe('migrate', () => {
  // One database for the read-only checks; the tampering tests below each take a fresh one.
  let migrated: Awaited<ReturnType<typeof createTestDb>>;
  let firstRun: string[];
  beforeAll(async () => {
    migrated = await createTestDb();
    firstRun = await migrate(migrated.db);
  });
  afterAll(() => migrated?.drop());

  it('applies every migration once; a second run applies nothing', async () => {
    const all = (await readMigrations()).map((m) => m.name);
    expect(all.length).toBeGreaterThan(0);
    expect(firstRun).toEqual(all);
    expect(await migrate(migrated.db)).toEqual([]);
    expect((await bookkeeping(migrated.db)).map((r) => r.migration_name)).toEqual(all);
  });

  it("records Prisma's checksum (sha256 of the file) and the finish time", async () => {
    const rows = await bookkeeping(migrated.db);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const file = await readFile(join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(file).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it('refuses to run when an applied migration was edited', async () => {
    const dir = await migrationsCopy();
    const { db } = await freshDb();
    const [first] = await migrate(db, dir);
    const file = join(dir, first!, 'migration.sql');
    const text = await readFile(file, 'utf8');
    const at = text.indexOf('CreateSchema'); // inside a comment: harmless SQL, still an edit
    expect(at).toBeGreaterThanOrEqual(0);
    await writeFile(file, `${text.slice(0, at)}X${text.slice(at + 1)}`);
    const attempt = migrate(db, dir);
    await expect(attempt).rejects.toThrow(MigrationError);
    await expect(attempt).rejects.toThrow(/edited/);
  });

  it('rolls a failing migration back entirely and records nothing for it', async () => {
    const dir = await migrationsCopy();
    const broken = '29991231235959_broken';
    await mkdir(join(dir, broken));
    await writeFile(
      join(dir, broken, 'migration.sql'),
      `CREATE TABLE "broken_probe" ("id" INTEGER);
       ALTER TABLE "tenants" ADD COLUMN "broken_probe" INTEGER;
       INSERT INTO "broken_probe" VALUES (1);
       SELECT * FROM "no_such_table";`,
    );
    const { db } = await freshDb();
    await expect(migrate(db, dir)).rejects.toThrow(/29991231235959_broken failed and was rolled back/);

    const [leftovers] = await sql<{ table: string | null; column: number }>(
      db,
      `SELECT to_regclass('public.broken_probe')::text AS table,
              (SELECT count(*)::int FROM information_schema.columns WHERE table_name = 'tenants' AND column_name = 'broken_probe') AS column`,
    );
    expect(leftovers).toEqual({ table: null, column: 0 });
    const names = (await bookkeeping(db)).map((r) => r.migration_name);
    expect(names).not.toContain(broken);
    // The migrations before it stay applied, and the runner works again once the bad one is gone.
    expect(names).toEqual((await readMigrations(MIGRATIONS_DIR)).map((m) => m.name));
    await rm(join(dir, broken), { recursive: true });
    expect(await migrate(db, dir)).toEqual([]);
  });

  it.runIf(usingPostgres)('two processes migrating a fresh database at once apply each migration once', async () => {
    const { db, url } = await freshDb();
    const other = await createDb({ databaseUrl: url, poolSize: 2 });
    cleanups.push(() => other.close());
    const all = (await readMigrations()).map((m) => m.name);
    const results = await Promise.all([migrate(db), migrate(other)]);
    expect(results.flat().sort()).toEqual(all);
    expect(results.some((r) => r.length === 0)).toBe(true);
    expect((await bookkeeping(db)).map((r) => r.migration_name)).toEqual(all);
  });
});

afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
