// Ctrl-C during a data command: the command stops at the next record, undoes what it must (an
// export's partial file, an import's transaction) and says so, instead of dying silently.
// Interrupted here through the command's signal, aborted when its progress is first reported.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Interrupted, runDataCommand, type DataCommand, type Io } from '../../src/cli/data-commands.ts';
import type { Db } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { seedSampleData } from '../../src/demo/sample-data.ts';
import { createStores, type Stores } from '../../src/stores/index.ts';
import { createTestDb, setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;
let dir: string;
beforeAll(async () => {
  env = await setup();
  dir = await mkdtemp(join(tmpdir(), 'aos-interrupt-'));
  await seedSampleData(env.stores, env.a.tenantId);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await env?.close();
});

/** Runs a data command whose Ctrl-C arrives as soon as it reports progress. */
async function interruptedRun(command: DataCommand, args: string[], stores: Stores = env.stores): Promise<{ error: unknown; out: string[] }> {
  const ctrlC = new AbortController();
  const out: string[] = [];
  const io: Io = { out: (line) => out.push(line), err: { write: () => ctrlC.abort() }, signal: ctrlC.signal };
  const error = await runDataCommand(command, args, (work) => work(stores), io).then(() => undefined, (e: unknown) => e);
  return { error, out };
}

const tenantRows = async (db: Db, tenantId: string) =>
  (await sql<{ n: number }>(db, `SELECT ((SELECT count(*) FROM aos_traces WHERE tenant_id = $1) + (SELECT count(*) FROM runs WHERE tenant_id = $1))::int AS n`, [tenantId]))[0]!.n;

describe('Ctrl-C during a data command', () => {
  it('export says it was interrupted and removes its .partial file', async () => {
    const out = join(dir, 'a.jsonl');
    const { error } = await interruptedRun('export', ['--tenant', env.a.tenantId, '--out', out]);
    expect(error).toBeInstanceOf(Interrupted);
    expect((error as Error).message).toBe(`export interrupted (Ctrl-C): nothing exported; ${out}.partial removed`);
    expect(existsSync(out)).toBe(false);
    expect(await readdir(dir)).toEqual([]);
  });

  it('import says it rolled back, and nothing was imported', async () => {
    const file = join(dir, 'full.jsonl');
    await runDataCommand('export', ['--tenant', env.a.tenantId, '--out', file], (work) => work(env.stores), { out: () => {}, err: { write: () => {} } });
    // A restore into another database, where the tenant exists and has nothing yet.
    const target = await createTestDb();
    try {
      await migrate(target.db);
      const stores = createStores(target.db);
      await stores.tenants.create(env.a.tenantId, 'restored');
      const { error } = await interruptedRun('import', ['--tenant', env.a.tenantId, '--file', file], stores);
      expect(error).toBeInstanceOf(Interrupted);
      expect((error as Error).message).toBe(`import interrupted (Ctrl-C): rolled back: nothing from ${file} was imported`);
      expect(await tenantRows(target.db, env.a.tenantId)).toBe(0);
    } finally {
      await target.drop();
    }
  });
});
