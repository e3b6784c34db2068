// retention, export and import as an operator runs them: child processes configured by the
// environment, a progress bar on stderr, a summary on stdout, exit codes. The logic itself is
// tested through the functions (retention.test.ts, transfer.test.ts); here, one run of each.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createStores } from '../../src/stores/index.ts';
import { createTestDb, sql, usingPostgres } from '../helpers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TENANT = 'tenant-a';

type Database = { env: Record<string, string>; drop: () => Promise<void> };

const baseEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k, v]) => v !== undefined && !/^(DATABASE_URL|AOS_|PORT$|HOST$|LOG_LEVEL$|NODE_OPTIONS$|TRACE_)/.test(k)),
) as Record<string, string>;

/**
 * A migrated database the child processes can reach (its own Postgres database, or a PGlite
 * folder), prepared in-process first. The embedded database allows one process at a time, and
 * opening it is the slow part, so it is opened once, here, and then only by the commands.
 */
async function database(prepare: (db: Db) => Promise<void>): Promise<Database> {
  if (usingPostgres) {
    const test = await createTestDb();
    await migrate(test.db);
    await prepare(test.db);
    return { env: { DATABASE_URL: test.url! }, drop: test.drop };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'aos-data-cli-'));
  const db = await createDb({ dataDir });
  try {
    await migrate(db);
    await prepare(db);
  } finally {
    await db.close();
  }
  return { env: { AOS_DATA_DIR: dataDir }, drop: () => rm(dataDir, { recursive: true, force: true }) };
}

function aos(args: string[], db: Database): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: ROOT, env: { ...baseEnv, LOG_LEVEL: 'warn', ...db.env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A finished trace with two steps, created (and finished) `days` ago. */
async function oldTrace(db: Db, traceId: string, days: number) {
  await sql(db, `INSERT INTO aos_traces (tenant_id, trace_id, run_id, correlation_id, status, started_at, completed_at, created_at, request_digest)
                 VALUES ($1, $2, $2, $2, 'completed', now() - make_interval(days => $3), now() - make_interval(days => $3), now() - make_interval(days => $3), repeat('0', 64))`,
    [TENANT, traceId, days]);
  await sql(db, `INSERT INTO aos_trace_steps (tenant_id, trace_id, step_index, skill_id, skill_name, status, level, outcome_category, content_hash, trace_started_at)
                 SELECT $1::text, $2::text, i, 'skill', 'skill', 'success', 'INFO', 'SUCCESS', repeat('0', 64), t.started_at
                 FROM generate_series(0, 1) i, aos_traces t WHERE t.tenant_id = $1::text AND t.trace_id = $2::text`, [TENANT, traceId]);
}

let source: Database;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aos-files-'));
  source = await database(async (db) => {
    const stores = createStores(db);
    await stores.tenants.create(TENANT, 'A');
    for (const runId of ['run-1', 'run-2', 'run-3']) {
      await stores.traces.store(TENANT, { runId, status: 'completed', steps: [0, 1, 2, 3].map((stepIndex) => ({ stepIndex, skillName: 's', status: 'success' as const })) }, 'test');
    }
    await stores.auditLedger.append(TENANT, { eventType: 'LimitCreated', entityType: 'LIMIT', entityId: 'l1', actorType: 'HUMAN' });
    await oldTrace(db, 'old-100-days', 100);
    await oldTrace(db, 'old-400-days', 400);
  });
});

afterAll(async () => {
  await Promise.all([source?.drop(), dir && rm(dir, { recursive: true, force: true })]);
});

describe('data commands', () => {
  it('export writes the file with a progress bar on stderr; import reads it back (here: every record already present)', async () => {
    const file = join(dir, 'a.jsonl');
    const exported = await aos(['export', '--tenant', TENANT, '--out', file], source);
    expect(exported.code, exported.stderr).toBe(0);
    // stderr is a pipe here, not a terminal: plain lines, no \r frames.
    expect(exported.stderr).toMatch(/^export tenant-a \[#{24}\] 100% 25\/25 records/m);
    expect(exported.stderr).not.toContain('\r');
    expect(exported.stdout).toBe(`Exported 25 records of tenant ${TENANT} to ${file}: 3 runs, 5 traces, 16 trace steps, 1 audit entry.\n`);
    expect((await readFile(file, 'utf8')).trimEnd().split('\n')).toHaveLength(25 + 2);

    const imported = await aos(['import', '--tenant', TENANT, '--file', file], source);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/^import tenant-a \[#{24}\] 100% /m);
    expect(imported.stderr).not.toContain('\r');
    expect(imported.stdout).toMatch(/^Imported into tenant tenant-a: 0 new records, 25 already present and skipped/);

    // Exporting onto an existing file is refused, as usage, before any database work.
    const again = await aos(['export', '--tenant', TENANT, '--out', file], source);
    expect(again).toMatchObject({ code: 2, stdout: '' });
    expect(again.stderr).toMatch(/^error: --out: .* already exists/);
  });

  it('retention archives and deletes old traces with a progress bar, and says what it did', async () => {
    const result = await aos(['retention', '--tenant', TENANT, '--archive-after-days', '30', '--delete-after-days', '365'], source);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^retention \[#{24}\] 100% 3\/3 traces/m);
    expect(result.stderr).not.toContain('\r');
    expect(result.stdout).toMatch(/^tenant-a: archived 2 traces \(4 steps\) created before \d{4}-\d\d-\d\d; deleted 1 archived traces \(2 steps\) created before \d{4}-\d\d-\d\d\.\nRecorded as system records with correlation id retention-/);
  });
  it('answers bad options with exit code 2 and one message, before opening the database', async () => {
    const [ages, noOut, badDate, badFormat] = await Promise.all([
      aos(['retention', '--archive-after-days', '90', '--delete-after-days', '30'], source),
      aos(['export', '--tenant', TENANT], source),
      aos(['export', '--tenant', TENANT, '--out', join(dir, 'x'), '--from', 'yesterday'], source),
      aos(['export', '--tenant', TENANT, '--out', join(dir, 'x'), '--format', 'csv'], source),
    ]);
    expect(ages.stderr).toMatch(/^error: --delete-after-days: a whole number of days, at least --archive-after-days \(90\)/);
    expect(noOut.stderr).toMatch(/^error: --out is required/);
    expect(badDate.stderr).toMatch(/^error: --from: an ISO 8601 date/);
    expect(badFormat.stderr).toMatch(/^error: --format: jsonl or otlp/);
    for (const r of [ages, noOut, badDate, badFormat]) expect(r).toMatchObject({ code: 2, stdout: '' });
  });
});
