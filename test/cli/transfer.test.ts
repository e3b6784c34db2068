// Export and import (issue 6): a lossless round trip between two databases, idempotent re-imports,
// refusals that write nothing (renaming, chain conflicts, truncated or altered files), time
// ranges, and the OTLP/JSON form.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTenant, type ExportFormat } from '../../src/cli/export.ts';
import { importFile } from '../../src/cli/import.ts';
import { otlpTraceId } from '../../src/cli/otlp-json.ts';
import type { Db } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { seedSampleData } from '../../src/demo/sample-data.ts';
import { decodeExport } from '../../src/otlp/decode.ts';
import { createStores, type Stores } from '../../src/stores/index.ts';
import type { TimeRange } from '../../src/stores/transfer.ts';
import { createTestDb, setup, sql, type TestEnv } from '../helpers.ts';

const TENANT = 'tenant-a';
const ALL: TimeRange = { from: null, to: null };

type Target = { db: Db; stores: Stores; drop: () => Promise<void> };

async function target(): Promise<Target> {
  const { db, drop } = await createTestDb();
  await migrate(db);
  const stores = createStores(db);
  await stores.tenants.create(TENANT, 'Tenant a, restored');
  return { db, stores, drop };
}

async function exported(stores: Stores, range: TimeRange = ALL, format: ExportFormat = 'jsonl', pageSize?: number): Promise<string> {
  const lines: string[] = [];
  await exportTenant(stores, { tenantId: TENANT, range, format, pageSize, write: async (line) => void lines.push(line) });
  return lines.map((l) => `${l}\n`).join('');
}

/** Every row of the tenant in every table, for "nothing was written" assertions. */
async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = ['runs', 'incidents', 'aos_traces', 'aos_trace_steps', 'llm_run_records', 'system_records', 'policy_activation_audit', 'log_exports', 'audit_ledger'];
  const [row] = await sql<Record<string, number>>(db, `SELECT ${tables.map((t) => `(SELECT count(*)::int FROM ${t} WHERE tenant_id = $1) AS ${t}`).join(', ')}`, [TENANT]);
  return row!;
}

let source: TestEnv;
let restored: Target;
let dir: string;
let file: string;
let text: string;
let seededUntil: Date;

beforeAll(async () => {
  source = await setup();
  dir = await mkdtemp(join(tmpdir(), 'aos-transfer-'));
  await seedSampleData(source.stores, TENANT);
  // Values a JavaScript round trip would damage: a 64-bit seed, a 30-digit number inside JSON,
  // fractional milliseconds, an archived trace, text outside the BMP.
  await source.stores.traces.store(
    TENANT,
    {
      runId: 'edge-run', seed: 9_223_372_036_854_775_807n, status: 'completed', metadata: { note: 'émoji 🚀 and "quotes"' },
      steps: [
        { stepIndex: 0, skillName: 'a', status: 'success', durationMs: 0.1, costMicrocents: 9_007_199_254_740_993n },
        { stepIndex: 1, skillName: 'b', status: 'failure', durationMs: 1 / 3, outcomeData: { nested: [1, { deep: null }] } },
      ],
    },
    'test',
  );
  await sql(source.db, `UPDATE aos_traces SET archived_at = now() WHERE tenant_id = $1 AND trace_id = 'trace_edge-run'`, [TENANT]);
  await sql(source.db, `UPDATE aos_trace_steps SET archived_at = now() WHERE tenant_id = $1 AND trace_id = 'trace_edge-run'`, [TENANT]);
  await sql(source.db, `INSERT INTO system_records (tenant_id, component, event_type, severity, summary, details) VALUES ($1, 'db', 'HEALTH_CHECK', 'INFO', 'big', '{"big": 123456789012345678901234567890, "f": 1.5e-7}')`, [TENANT]);
  seededUntil = new Date();
  // Another tenant's rows must not travel.
  await seedSampleData(source.stores, 'tenant-b');

  text = await exported(source.stores);
  file = join(dir, 'tenant-a.jsonl');
  await writeFile(file, text);
  restored = await target();
}, 60_000);

afterAll(async () => {
  await Promise.all([source?.close(), restored?.drop(), dir && rm(dir, { recursive: true, force: true })]);
});

describe('export', () => {
  it('writes a header, one line per row with every column, and an end line with the counts', async () => {
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
    expect(lines[0]).toEqual({ type: 'header', data: { format: 'aos-logs-export', version: 1, tenantId: TENANT, from: null, to: null } });
    const counts = await rowCounts(source.db);
    const end = lines.at(-1)!;
    expect(end.type).toBe('end');
    expect(end.data.counts).toEqual({
      run: counts.runs, incident: counts.incidents, trace: counts.aos_traces, traceStep: counts.aos_trace_steps, llmRunRecord: counts.llm_run_records,
      systemRecord: counts.system_records, policyActivation: counts.policy_activation_audit, logExport: counts.log_exports, auditEntry: counts.audit_ledger,
    });
    expect(lines.length).toBe(2 + Object.values(counts).reduce((a, b) => a + b, 0));
    expect(lines.every((l) => l.type === 'header' || l.type === 'end' || l.data.tenant_id === TENANT)).toBe(true);

    const trace = lines.find((l) => l.type === 'trace' && l.data.trace_id === 'trace_edge-run')!.data;
    const [columns] = await sql<{ n: number }>(source.db, `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'aos_traces'`);
    expect(Object.keys(trace)).toHaveLength(columns!.n);
    expect(trace.seed).toBe('9223372036854775807'); // bigints as exact strings
    expect(trace.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(trace.archived_at).not.toBeNull();
    expect(text).toContain('"big": 123456789012345678901234567890'); // JSON exactly as stored
    // Each page of traces is followed by its steps.
    const types = lines.map((l) => l.type);
    expect(types.indexOf('traceStep')).toBeGreaterThan(types.indexOf('trace'));
  });

  it('reads in keyset pages: tiny pages give the same lines (each page of traces followed by its steps)', async () => {
    const sorted = (t: string) => t.trimEnd().split('\n').sort();
    for (const size of [2, 7]) expect(sorted(await exported(source.stores, ALL, 'jsonl', size))).toEqual(sorted(text));
  });

  it('keeps to the time range, created_at in [from, to), steps travelling with their trace', async () => {
    const later = await source.stores.traces.store(TENANT, { runId: 'late-run', status: 'completed', steps: [{ stepIndex: 0, skillName: 'x', status: 'success' }] }, 'test');
    const after = await exported(source.stores, { from: new Date(seededUntil.getTime() + 1), to: null });
    const types = after.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
    expect(types.filter((l) => l.type === 'trace').map((l) => l.data.trace_id)).toEqual([later.trace.traceId]);
    expect(types.filter((l) => l.type === 'traceStep')).toHaveLength(1);
    expect(types.filter((l) => l.type === 'auditEntry')).toHaveLength(0);

    const before = await exported(source.stores, { from: null, to: new Date(seededUntil.getTime() + 1) });
    expect(JSON.parse(before.slice(0, before.indexOf('\n'))).data.to).toBe(new Date(seededUntil.getTime() + 1).toISOString());
    const body = (t: string) => t.slice(t.indexOf('\n') + 1);
    expect(body(before)).toBe(body(text));
  });

  it('writes OTLP/JSON: one ExportTraceServiceRequest per trace, a span per step under a span for the trace', async () => {
    // Pages of 3 traces: each trace's request must still hold all of its steps.
    const otlp = (await exported(source.stores, ALL, 'otlp', 3)).trimEnd().split('\n');
    const { traces, steps } = (await sql<{ traces: number; steps: number }>(source.db,
      `SELECT (SELECT count(*)::int FROM aos_traces WHERE tenant_id = $1) AS traces, (SELECT count(*)::int FROM aos_trace_steps WHERE tenant_id = $1) AS steps`, [TENANT]))[0]!;
    expect(otlp).toHaveLength(traces);
    let spans = 0;
    for (const line of otlp) {
      const decoded = decodeExport(JSON.parse(line), 'hex');
      expect(decoded.rejected.count, decoded.rejected.messages.join('; ')).toBe(0);
      const [root, ...children] = decoded.spans;
      expect(root!.parentSpanId).toBeNull();
      for (const child of children) expect(child.parentSpanId).toBe(root!.spanId);
      spans += decoded.spans.length;
    }
    expect(spans).toBe(traces + steps);

    const edge = otlp.map((l) => decodeExport(JSON.parse(l), 'hex')).find((d) => d.spans[0]!.attributes['aos.trace.trace_id'] === 'trace_edge-run')!;
    expect(edge.spans[0]!.traceId).toBe(otlpTraceId('trace_edge-run'));
    expect(edge.spans[0]!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(edge.spans[1]).toMatchObject({ name: 'a', status: { code: 1 }, attributes: expect.objectContaining({ 'aos.step.cost_microcents': '9007199254740993' }) });
    expect(edge.spans[2]).toMatchObject({ name: 'b', status: { code: 2 } });
    expect(edge.spans[1]!.endTimeUnixNano - edge.spans[1]!.startTimeUnixNano).toBe(100_000n); // 0.1 ms
  });
});

// One target database, used in order: refusals first (the tenant still empty there), then a
// partial import, then the full round trip on top of it.
describe('import', () => {
  const variant = async (name: string, edit: (lines: string[]) => string[]) => {
    const path = join(dir, name);
    await writeFile(path, edit(text.trimEnd().split('\n')).join('\n') + '\n');
    return path;
  };
  const ledgerLines = () => text.split('\n').filter((l) => l.startsWith('{"type":"auditEntry"'));
  const only = (lines: string[]) => [text.slice(0, text.indexOf('\n')), ...lines, JSON.stringify({ type: 'end', data: { records: lines.length, counts: { auditEntry: lines.length } } })];
  const empty = async () => Object.values(await rowCounts(restored.db)).every((n) => n === 0);

  describe('refuses, writing nothing', () => {
    it('a truncated file (no end line), a count that disagrees, a line that is not a record', async () => {
      const truncated = await variant('truncated.jsonl', (lines) => lines.slice(0, -5));
      await expect(importFile(restored.stores, { tenantId: TENANT, file: truncated })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/truncated/) });
      const dropped = await variant('dropped.jsonl', (lines) => lines.filter((_, i) => i !== 3));
      await expect(importFile(restored.stores, { tenantId: TENANT, file: dropped })).rejects.toMatchObject({ message: expect.stringMatching(/end line .* counts other records/) });
      const junk = await variant('junk.jsonl', (lines) => [lines[0]!, '{"type":"trace", "data": {}}', ...lines.slice(1)]);
      await expect(importFile(restored.stores, { tenantId: TENANT, file: junk })).rejects.toMatchObject({ message: expect.stringMatching(/line 2 is not a record line/) });
      expect(await empty()).toBe(true);
    });

    it('an altered ledger entry, whose hash no longer matches its content', async () => {
      const altered = await variant('altered.jsonl', (lines) => lines.map((l) => (l.startsWith('{"type":"auditEntry"') ? l.replace('"LimitCreated"', '"LimitUpdated"') : l)));
      await expect(importFile(restored.stores, { tenantId: TENANT, file: altered })).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        message: expect.stringMatching(/audit entry seq 1 does not hash to its entry_hash/),
      });
      expect(await empty()).toBe(true);
    });

    it('a row of another tenant smuggled into the file', async () => {
      const smuggled = await variant('smuggled.jsonl', (lines) => lines.map((l, i) => (i === 1 ? l.replace(`"tenant_id":"${TENANT}"`, '"tenant_id":"tenant-b"') : l)));
      await expect(importFile(restored.stores, { tenantId: TENANT, file: smuggled })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/of another tenant/) });
      expect(await empty()).toBe(true);
    });

    it('moving records to another tenant id (hashes cover it)', async () => {
      await restored.stores.tenants.create('tenant-c', 'C');
      await expect(importFile(restored.stores, { tenantId: 'tenant-c', file })).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        message: expect.stringMatching(/holds tenant tenant-a's records.*tenant id/),
      });
      const [row] = await sql<{ n: number }>(restored.db, `SELECT count(*)::int AS n FROM aos_traces WHERE tenant_id = 'tenant-c'`);
      expect(row!.n).toBe(0);
    });

    it('a tenant that does not exist in this database', async () => {
      const ghost = await variant('ghost.jsonl', (lines) => [lines[0]!.replace(`"tenantId":"${TENANT}"`, '"tenantId":"ghost"'), ...lines.slice(1)]);
      await expect(importFile(restored.stores, { tenantId: 'ghost', file: ghost })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/^tenant ghost \(create it first/) });
    });

    it('a chain conflict: the tenant has a ledger of its own here', async () => {
      await restored.stores.tenants.create('tenant-x', 'X');
      await restored.stores.auditLedger.append('tenant-x', { eventType: 'LimitCreated', entityType: 'LIMIT', entityId: 'other-history', actorType: 'HUMAN' });
      const other = await variant('tenant-x.jsonl', (lines) => lines.map((l) => l.replaceAll(`"${TENANT}"`, '"tenant-x"')));
      await expect(importFile(restored.stores, { tenantId: 'tenant-x', file: other })).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/^chain conflict: tenant tenant-x's audit ledger here already holds audit entry seq 1 with other .*entry_hash.*nothing was imported$/),
      });
      const [counts] = await sql<{ traces: number; ledger: number }>(restored.db,
        `SELECT (SELECT count(*)::int FROM aos_traces WHERE tenant_id = 'tenant-x') AS traces, (SELECT count(*)::int FROM audit_ledger WHERE tenant_id = 'tenant-x') AS ledger`);
      expect(counts).toEqual({ traces: 0, ledger: 1 });
    });

    it('a chain conflict: ledger entries that would leave a gap', async () => {
      const gap = await variant('gap.jsonl', () => only(ledgerLines().slice(1, 2)));
      await expect(importFile(restored.stores, { tenantId: TENANT, file: gap })).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/^chain conflict at line 2: the file's audit entry seq 2 does not continue tenant tenant-a's ledger here, which ends at seq 0/),
      });
      expect(await empty()).toBe(true);
    });
  });

  it("continues a ledger that is the file's past: entries already there are skipped, later ones appended", async () => {
    const head = await variant('ledger-head.jsonl', () => only(ledgerLines().slice(0, 1)));
    expect((await importFile(restored.stores, { tenantId: TENANT, file: head })).counts.auditEntry).toEqual({ inserted: 1, skipped: 0 });
    // The full file on top of it: the round trip below.
  });

  it('restores the tenant into another database losslessly: a second export is byte-identical, and the ledger and every trace verify', async () => {
    const report = await importFile(restored.stores, { tenantId: TENANT, file, batchSize: 7 });
    expect(report.counts.auditEntry).toEqual({ inserted: ledgerLines().length - 1, skipped: 1 });
    expect(report.skipped).toBe(1);
    // The source has one trace more since the export (the time-range test wrote it).
    const now = await rowCounts(source.db);
    expect(await rowCounts(restored.db)).toEqual({ ...now, aos_traces: now.aos_traces! - 1, aos_trace_steps: now.aos_trace_steps! - 1, runs: now.runs! - 1 });
    expect(await exported(restored.stores)).toBe(text);

    const ledger = await restored.stores.integrity.verifyAuditLedger(TENANT, {});
    expect(ledger).toMatchObject({ valid: true, firstSeq: 1n, checkedCount: ledgerLines().length });
    expect(ledger.headHash).toBe((await source.stores.integrity.verifyAuditLedger(TENANT, {})).headHash);
    const finals = await sql<{ trace_id: string }>(restored.db, `SELECT trace_id FROM aos_traces WHERE tenant_id = $1 AND status <> 'running'`, [TENANT]);
    expect(finals.length).toBeGreaterThanOrEqual(6);
    for (const { trace_id } of finals) expect(await restored.stores.integrity.verifyTrace(TENANT, trace_id)).toMatchObject({ valid: true, reason: 'OK' });
  });

  it('imports the same file again without changing anything, and says every record was already there', async () => {
    const before = await rowCounts(restored.db);
    const report = await importFile(restored.stores, { tenantId: TENANT, file, batchSize: 2 });
    expect(report.inserted).toBe(0);
    expect(report.skipped).toBe(Object.values(before).reduce((a, b) => a + b, 0));
    expect(report.counts.auditEntry).toEqual({ inserted: 0, skipped: before.audit_ledger });
    expect(await rowCounts(restored.db)).toEqual(before);
  });

  it('refuses a row stored here with other content (the same trace id, another trace): CONFLICT, nothing written', async () => {
    const other = await variant('other.jsonl', (lines) =>
      lines.map((l) => (l.startsWith('{"type":"trace"') && l.includes('"trace_id":"trace_run-0001"') ? l.replace('"agent_id":"support-bot"', '"agent_id":"impostor"') : l)),
    );
    const before = await rowCounts(restored.db);
    await expect(importFile(restored.stores, { tenantId: TENANT, file: other })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: "trace trace_run-0001 is already stored here with other agent_id than the file's; nothing was imported",
    });
    expect(await rowCounts(restored.db)).toEqual(before);
  });
});

it('the round-trip file is plain JSON Lines an operator can read', async () => {
  const raw = await readFile(file, 'utf8');
  expect(raw.endsWith('\n')).toBe(true);
  for (const line of raw.trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
});
