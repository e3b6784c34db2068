// Migration 20261203140000 (issue 14 §3) converts a populated aos_trace_steps into month
// partitions without losing or duplicating a row: a database migrated up to the migration before
// it is filled, exported with the export/import round trip's own exporter, migrated, exported again
// and compared line by line. Rows outside the partitions made (a trace from 2001) land in DEFAULT.
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTenant } from '../../src/cli/export.ts';
import { importFile } from '../../src/cli/import.ts';
import type { Db } from '../../src/db/client.ts';
import { migrate, MIGRATIONS_DIR } from '../../src/db/migrate.ts';
import { createStores } from '../../src/stores/index.ts';
import type { TimeRange } from '../../src/stores/transfer.ts';
import { createTestDb, sql } from '../helpers.ts';

const MIGRATION = '20261203140000_partitioned_trace_steps';
const TENANTS = ['tenant-a', 'tenant-b', 'tenant-c'];
const ALL: TimeRange = { from: null, to: null };

let db: Db;
let drop: () => Promise<void>;
/** Each tenant's export before the migration, line by line. */
const before = new Map<string, string[]>();

async function exported(on: Db, tenantId: string): Promise<string[]> {
  // Fresh stores: the transfer store caches the table's columns, and the migration adds one.
  const lines: string[] = [];
  await exportTenant(createStores(on), { tenantId, range: ALL, format: 'jsonl', pageSize: 7, write: async (l) => void lines.push(l) });
  return lines;
}

const KEY_AT_END = /,"trace_started_at":"([^"]+)"\}\}$/;

/**
 * The export as text, steps without the new column (the last one, so the rest of each line is
 * byte for byte what Postgres rendered), after checking it is the started_at of the step's trace.
 */
function withoutPartitionKey(lines: string[]): string {
  const started = new Map<string, string>();
  for (const line of lines) {
    if (!line.startsWith('{"type":"trace",')) continue;
    const data = JSON.parse(line).data as { tenant_id: string; trace_id: string; started_at: string };
    started.set(`${data.tenant_id}/${data.trace_id}`, data.started_at);
  }
  return lines
    .map((line) => {
      if (!line.startsWith('{"type":"traceStep",')) return line;
      const m = KEY_AT_END.exec(line);
      expect(m, line).not.toBeNull();
      const data = JSON.parse(line).data as { tenant_id: string; trace_id: string };
      expect(m![1]).toBe(started.get(`${data.tenant_id}/${data.trace_id}`));
      return line.replace(KEY_AT_END, '}}');
    })
    .join('\n');
}

beforeAll(async () => {
  ({ db, drop } = await createTestDb());
  // Every migration before this one, from a copy of the folder.
  const dir = await mkdtemp(join(tmpdir(), 'aos-migrations-'));
  for (const name of await readdir(MIGRATIONS_DIR)) {
    if (name < MIGRATION) await cp(join(MIGRATIONS_DIR, name), join(dir, name), { recursive: true });
  }
  await migrate(db, dir);
  await rm(dir, { recursive: true });
  expect((await sql<{ kind: string }>(db, `SELECT relkind::text AS kind FROM pg_class WHERE relname = 'aos_trace_steps'`))[0]!.kind).toBe('r');

  // Traces over five months, one from 2001 (no partition: DEFAULT), finished, some archived, some
  // made of OTLP spans; steps with every kind of column value the exporter renders.
  await sql(db, `INSERT INTO tenants (id, name) SELECT unnest($1::text[]), 'partition test'`, [TENANTS]);
  await sql(
    db,
    `INSERT INTO aos_traces (tenant_id, trace_id, run_id, correlation_id, request_digest, started_at, status, completed_at, root_hash, archived_at, created_at)
     SELECT t, 'trace-' || i, 'run-' || i, 'run-' || i, md5(t || i) || md5(i::text || t),
            CASE WHEN i = 0 THEN timestamptz '2001-02-03 04:05:06.789+00'
                 ELSE date_trunc('month', now()) - (i % 5) * interval '1 month' + (i * interval '37 minutes') + interval '0.123 s' END,
            CASE WHEN i % 7 = 3 THEN 'running' ELSE 'completed' END::"TraceStatus",
            CASE WHEN i % 7 = 3 THEN NULL ELSE now() END, NULL,
            CASE WHEN i % 4 = 1 AND i % 7 <> 3 THEN now() END, now() - i * interval '1 hour'
     FROM unnest($1::text[]) t, generate_series(0, 24) i`,
    [TENANTS],
  );
  await sql(
    db,
    `INSERT INTO aos_trace_steps (tenant_id, trace_id, step_index, skill_id, skill_name, params, status, level, outcome_category,
                                  cost_microcents, duration_ms, "timestamp", content_hash, archived_at, idempotency_key,
                                  span_id, start_time_unix_nano, end_time_unix_nano, input_tokens, attributes)
     SELECT tr.tenant_id, tr.trace_id, s, 'skill-' || (s % 3), 'Skill ' || (s % 3), jsonb_build_object('s', s, 'big', 123456789012345678901234567890),
            'success', 'INFO', 'SUCCESS', s::bigint * 1000000007, s * 1.25, tr.started_at + s * interval '1.5 s', md5(tr.trace_id || s) || md5(s || tr.tenant_id),
            tr.archived_at, CASE WHEN s % 2 = 0 THEN tr.trace_id || ':' || s END,
            CASE WHEN tr.trace_id LIKE '%5' THEN lpad(to_hex(s + 1), 16, '0') END,
            CASE WHEN tr.trace_id LIKE '%5' THEN 1700000000000000000 + s END,
            CASE WHEN tr.trace_id LIKE '%5' THEN 1700000000000000999 + s END,
            CASE WHEN tr.trace_id LIKE '%5' THEN s * 10 END,
            CASE WHEN tr.trace_id LIKE '%5' THEN '{"k": "ü 😀"}'::jsonb END
     FROM aos_traces tr, generate_series(0, 11) s
     WHERE tr.trace_id <> 'trace-9'`,
  );
  for (const t of TENANTS) before.set(t, await exported(db, t));
  await migrate(db);
}, 180_000);

afterAll(() => drop?.());

describe('migration to month partitions', () => {
  it('keeps every row of every tenant exactly: the export after equals the export before, plus the partition key', async () => {
    let steps = 0;
    for (const t of TENANTS) {
      const old = before.get(t)!;
      steps += old.filter((l) => l.startsWith('{"type":"traceStep",')).length;
      const now = await exported(db, t);
      expect(now).toHaveLength(old.length);
      expect(withoutPartitionKey(now)).toBe(old.join('\n'));
    }
    expect(steps).toBe(3 * 24 * 12);
  });

  it('is partitioned by month, the 2001 trace in DEFAULT, and each step in the partition of its trace', async () => {
    const [kind] = await sql<{ kind: string }>(db, `SELECT relkind::text AS kind FROM pg_class WHERE relname = 'aos_trace_steps'`);
    expect(kind!.kind).toBe('p');
    const placed = await sql<{ partition: string; n: number }>(
      db,
      `SELECT tableoid::regclass::text AS partition, count(*)::int AS n FROM aos_trace_steps GROUP BY 1 ORDER BY 1`,
    );
    expect(placed.find((p) => p.partition === 'aos_trace_steps_default')?.n).toBe(3 * 12);
    expect(placed.filter((p) => /_p\d{4}_\d{2}$/.test(p.partition)).length).toBe(5);
    const [misplaced] = await sql<{ n: number }>(
      db,
      `SELECT count(*)::int AS n FROM aos_trace_steps s JOIN aos_traces t USING (tenant_id, trace_id) WHERE s.trace_started_at <> t.started_at`,
    );
    expect(misplaced!.n).toBe(0);
  });

  it('imports a file exported before the migration (no partition key in it): the key comes from the trace', async () => {
    const { db: other, drop: dropOther } = await createTestDb();
    const dir = await mkdtemp(join(tmpdir(), 'aos-partition-import-'));
    try {
      await migrate(other);
      const stores = createStores(other);
      const file = join(dir, 'a.jsonl');
      await writeFile(file, `${before.get('tenant-a')!.join('\n')}\n`);
      await stores.tenants.create('tenant-a', 'restored');
      const report = await importFile(stores, { tenantId: 'tenant-a', file, batchSize: 50 });
      expect(report.counts.traceStep.inserted).toBe(24 * 12);
      expect((await exported(other, 'tenant-a')).join('\n')).toBe((await exported(db, 'tenant-a')).join('\n'));
    } finally {
      await rm(dir, { recursive: true });
      await dropOther();
    }
  });
});
