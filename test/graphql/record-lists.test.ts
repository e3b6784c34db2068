// The record lists (llmRuns, systemRecords, auditEntries, logExports, incidents, policyActivations)
// against a brute-force SQL ordering: every sort field × direction walked page by page, forward and
// backward, over rows that share timestamps, in two tenants plus global system records.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuditEntries,
  GovernanceEvents,
  Incidents,
  LlmRuns,
  LogExports,
  PolicyActivations,
  SystemRecordByCorrelation,
  SystemRecords,
} from '../../src/client/operations/records.ts';
import { codeOf, gql, setup, sql, type TestEnv } from '../helpers.ts';
import { ALL_SYSTEM_RECORDS } from '../system-records-sql.ts';

let env: TestEnv;
const T0 = '2026-03-01T00:00:00.000Z';
const EXPORT_INCIDENT = '00000000-0000-4000-8000-000000000001';

/** Rows per list and tenant; tenant a's lists span well over 100 rows, so pages cross the cap. */
const COUNTS = { a: { llm: 150, system: 100, audit: 150, exports: 130, incidents: 130, activations: 130 }, b: 40, global: 30 };
const B26_TIES = 20;

// Timestamps repeat on purpose: created_at in groups of three, the other sort keys on a short cycle.
async function seed(tenant: string, prefix: string, n: (typeof COUNTS)['a']) {
  await sql(
    env.db,
    `INSERT INTO llm_run_records (tenant_id, run_id, trace_id, provider, model, input_tokens, output_tokens, cost_microcents,
       execution_status, started_at, source, is_synthetic, synthetic_scenario_id, created_at)
     SELECT $1, $2::text || 'run-' || i, CASE WHEN i % 4 = 0 THEN 'trace-' || (i % 3) END,
       (ARRAY['anthropic','openai'])[1 + i % 2], (ARRAY['m-small','m-large','m-xl'])[1 + i % 3], i, i, i * 1000,
       (ARRAY['SUCCEEDED','FAILED','ABORTED','TIMEOUT'])[1 + (i / 2) % 4]::"LlmExecutionStatus",
       $3::timestamptz + ((i * 7) % 40) * interval '1 minute', 'SDK', i % 5 = 0, CASE WHEN i % 5 = 0 THEN 'scn-1' END,
       $3::timestamptz + (i / 3) * interval '1 second'
     FROM generate_series(1, $4::int) AS i`,
    [tenant, prefix, T0, n.llm],
  );
  await seedSystem(tenant, n.system);
  await sql(
    env.db,
    `INSERT INTO audit_ledger (tenant_id, seq, event_type, entity_type, entity_id, actor_type, actor_id, correlation_id,
       prev_hash, entry_hash, created_at)
     SELECT $1, i, (ARRAY['PolicyRuleCreated','LimitBreached','IncidentResolved','SignalEscalated'])[1 + i % 4]::"AuditEventType",
       (ARRAY['POLICY_RULE','LIMIT','INCIDENT','SIGNAL'])[1 + i % 4]::"AuditEntityType", 'ent-' || (i % 6),
       (ARRAY['HUMAN','SYSTEM','AGENT'])[1 + i % 3]::"ActorType", CASE WHEN i % 3 = 0 THEN 'alice' END, 'corr-' || (i % 10),
       repeat('0', 64), repeat('f', 64), $2::timestamptz + ((i * 37) % 60) * interval '1 second'
     FROM generate_series(1, $3::int) AS i`,
    [tenant, T0, n.audit],
  );
  await sql(
    env.db,
    `INSERT INTO log_exports (tenant_id, scope, format, origin, run_id, incident_id, requested_by, status, checksum,
       failure_reason, delivered_at, created_at)
     SELECT $1, (ARRAY['llm_run','system','audit','compliance'])[1 + i % 4]::"ExportScope", 'json', 'HUMAN', 'run-' || (i % 8),
       CASE WHEN i % 10 = 0 THEN $4::uuid END, 'alice', (ARRAY['pending','completed','failed'])[1 + (i / 2) % 3]::"ExportStatus",
       CASE WHEN (i / 2) % 3 = 1 THEN 'sha256:abcd1234' END, CASE WHEN (i / 2) % 3 = 2 THEN 'disk full' END,
       CASE WHEN (i / 2) % 3 = 1 THEN $2::timestamptz END, $2::timestamptz + (i / 3) * interval '1 second'
     FROM generate_series(1, $3::int) AS i`,
    [tenant, T0, n.exports, EXPORT_INCIDENT],
  );
  await sql(
    env.db,
    `INSERT INTO incidents (tenant_id, title, severity, lifecycle_state, cause_type, trigger_type, category, source_run_id,
       started_at, resolved_at, created_at, updated_at)
     SELECT $1, 'incident ' || i, (ARRAY['critical','high','medium','low'])[1 + i % 4]::"IncidentSeverity",
       (ARRAY['ACTIVE','ACKED','RESOLVED'])[1 + (i / 2) % 3]::"IncidentLifecycle", (ARRAY['LLM_RUN','SYSTEM','HUMAN'])[1 + i % 3]::"IncidentCauseType",
       'failure_spike', (ARRAY['budget','policy'])[1 + i % 2], 'run-' || (i % 8),
       $2::timestamptz + ((i * 11) % 45) * interval '1 minute', CASE WHEN (i / 2) % 3 = 2 THEN $2::timestamptz END,
       $2::timestamptz + (i / 3) * interval '1 second', $2::timestamptz
     FROM generate_series(1, $3::int) AS i`,
    [tenant, T0, n.incidents],
  );
  await sql(
    env.db,
    `INSERT INTO policy_activation_audit (tenant_id, policy_id, source_pattern_id, confidence_at_activation, confidence_version,
       approval_path, activated_at, created_at)
     SELECT $1, 'pol-' || (i % 5), 'pat-' || (i % 7), 0.9, 'CONFIDENCE_V1', (ARRAY['auto','threshold','human:alice'])[1 + i % 3],
       $2::timestamptz + ((i * 13) % 50) * interval '1 minute', $2::timestamptz + (i / 3) * interval '1 second'
     FROM generate_series(1, $3::int) AS i`,
    [tenant, T0, n.activations],
  );
}

/** System records of a tenant, or global ones (tenant null: their own table), on the same clock so they interleave. */
async function seedSystem(tenant: string | null, count: number) {
  await sql(
    env.db,
    `INSERT INTO ${tenant === null ? 'global_system_records (' : 'system_records (tenant_id, '}component, event_type, severity, summary, correlation_id, created_at)
     SELECT ${tenant === null ? '' : '$3, '}(ARRAY['worker','api','scheduler'])[1 + i % 3]::"SystemComponent",
       (ARRAY['STARTUP','ERROR','DEPLOY','HEALTH_CHECK'])[1 + i % 4]::"SystemEventType",
       (ARRAY['INFO','WARN','CRITICAL'])[1 + (i / 2) % 3]::"SystemSeverity", 'event ' || i, 'corr-' || (i % 10),
       $1::timestamptz + (i / 3) * interval '1 second'
     FROM generate_series(1, $2::int) AS i`,
    tenant === null ? [T0, count] : [T0, count, tenant],
  );
}

beforeAll(async () => {
  env = await setup();
  await seed(env.a.tenantId, 'a-', COUNTS.a);
  const b = COUNTS.b;
  await seed(env.b.tenantId, 'b-', { llm: b, system: b, audit: b, exports: b, incidents: b, activations: b });
  await seedSystem(null, COUNTS.global);
  // B26: a burst of ledger entries stamped with the very same instant.
  await sql(
    env.db,
    `INSERT INTO audit_ledger (tenant_id, seq, event_type, entity_type, entity_id, actor_type, correlation_id, prev_hash, entry_hash, created_at)
     SELECT $1, $2::int + i, 'LimitBreached', 'LIMIT', 'limit-1', 'SYSTEM', 'b26-tie', repeat('0', 64), repeat('f', 64), $3::timestamptz
     FROM generate_series(1, $4::int) AS i`,
    [env.a.tenantId, COUNTS.a.audit, '2026-03-01T00:10:00.000Z', B26_TIES],
  );
});
afterAll(() => env?.close());

type Connection = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor?: string | null; endCursor?: string | null };
  edges: { cursor: string; node: { id: string } }[];
};

interface ListSpec {
  field: string;
  doc: TypedDocumentNode<any, any>;
  table: string;
  /** SQL for the business key the node's global ID wraps. */
  key: string;
  /** SQL: the rows a tenant may read. */
  visibleTo: (tenant: string) => string;
  /** GraphQL sort field → column; the first is the default. */
  sorts: Record<string, string>;
  /** Each filter alone, then all of a list's filters at once. */
  filters: [string, Record<string, unknown>, string][];
}

const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
const own = (tenant: string) => `tenant_id = '${tenant}'`;
const range = (column: string, after: string, before: string) => `${column} >= '${after}' AND ${column} <= '${before}'`;

const LISTS: ListSpec[] = [
  {
    field: 'llmRuns',
    doc: LlmRuns,
    table: 'llm_run_records',
    key: 'run_id',
    visibleTo: own,
    sorts: { CREATED_AT: 'created_at', STARTED_AT: 'started_at' },
    filters: [
      ['runId', { runId: 'a-run-17' }, `run_id = 'a-run-17'`],
      ['traceId', { traceId: 'trace-1' }, `trace_id = 'trace-1'`],
      ['provider', { provider: 'openai' }, `provider = 'openai'`],
      ['model', { model: 'm-xl' }, `model = 'm-xl'`],
      ['executionStatus', { executionStatus: 'FAILED' }, `execution_status = 'FAILED'`],
      ['isSynthetic true', { isSynthetic: true }, `is_synthetic`],
      ['isSynthetic false', { isSynthetic: false }, `NOT is_synthetic`],
      ['created range (inclusive)', { createdAfter: at(10), createdBefore: at(30) }, range('created_at', at(10), at(30))],
      [
        'combined',
        { provider: 'openai', model: 'm-small', isSynthetic: false, createdAfter: at(5) },
        `provider = 'openai' AND model = 'm-small' AND NOT is_synthetic AND created_at >= '${at(5)}'`,
      ],
    ],
  },
  {
    field: 'systemRecords',
    doc: SystemRecords,
    // The tenant's rows and the global ones, as one table: what a tenant saw before they were two.
    table: ALL_SYSTEM_RECORDS,
    key: 'id::text',
    visibleTo: (tenant) => `(tenant_id = '${tenant}' OR tenant_id IS NULL)`,
    sorts: { CREATED_AT: 'created_at' },
    filters: [
      ['component', { component: 'API' }, `component = 'api'`],
      ['eventType', { eventType: 'ERROR' }, `event_type = 'ERROR'`],
      ['severity', { severity: 'CRITICAL' }, `severity = 'CRITICAL'`],
      ['correlationId', { correlationId: 'corr-3' }, `correlation_id = 'corr-3'`],
      ['created range (inclusive)', { createdAfter: at(4), createdBefore: at(20) }, range('created_at', at(4), at(20))],
      ['scope TENANT_ONLY', { scope: 'TENANT_ONLY' }, `tenant_id IS NOT NULL`],
      ['scope GLOBAL_ONLY', { scope: 'GLOBAL_ONLY' }, `tenant_id IS NULL`],
      [
        'combined',
        { component: 'WORKER', severity: 'INFO', scope: 'ALL', createdBefore: at(25) },
        `component = 'worker' AND severity = 'INFO' AND created_at <= '${at(25)}'`,
      ],
    ],
  },
  {
    field: 'auditEntries',
    doc: AuditEntries,
    table: 'audit_ledger',
    key: 'id::text',
    visibleTo: own,
    sorts: { CREATED_AT: 'created_at', SEQ: 'seq' },
    filters: [
      ['eventType', { eventType: 'LIMIT_BREACHED' }, `event_type = 'LimitBreached'`],
      ['entityType', { entityType: 'INCIDENT' }, `entity_type = 'INCIDENT'`],
      ['entityId', { entityId: 'ent-2' }, `entity_id = 'ent-2'`],
      ['actorType', { actorType: 'AGENT' }, `actor_type = 'AGENT'`],
      ['actorId', { actorId: 'alice' }, `actor_id = 'alice'`],
      ['correlationId', { correlationId: 'corr-4' }, `correlation_id = 'corr-4'`],
      ['created range (inclusive)', { createdAfter: at(10), createdBefore: at(40) }, range('created_at', at(10), at(40))],
      [
        'combined',
        { entityType: 'POLICY_RULE', actorType: 'HUMAN', createdAfter: at(3), createdBefore: at(50) },
        `entity_type = 'POLICY_RULE' AND actor_type = 'HUMAN' AND ${range('created_at', at(3), at(50))}`,
      ],
    ],
  },
  {
    field: 'logExports',
    doc: LogExports,
    table: 'log_exports',
    key: 'id::text',
    visibleTo: own,
    sorts: { CREATED_AT: 'created_at' },
    filters: [
      ['status', { status: 'FAILED' }, `status = 'failed'`],
      ['scope', { scope: 'AUDIT' }, `scope = 'audit'`],
      ['runId', { runId: 'run-3' }, `run_id = 'run-3'`],
      ['incidentId', { incidentId: EXPORT_INCIDENT.toUpperCase() }, `incident_id = '${EXPORT_INCIDENT}'`],
      ['created range (inclusive)', { createdAfter: at(6), createdBefore: at(21) }, range('created_at', at(6), at(21))],
      ['combined', { status: 'COMPLETED', scope: 'SYSTEM', runId: 'run-1' }, `status = 'completed' AND scope = 'system' AND run_id = 'run-1'`],
    ],
  },
  {
    field: 'incidents',
    doc: Incidents,
    table: 'incidents',
    key: 'id::text',
    visibleTo: own,
    sorts: { CREATED_AT: 'created_at', STARTED_AT: 'started_at' },
    filters: [
      ['lifecycleState', { lifecycleState: 'ACKED' }, `lifecycle_state = 'ACKED'`],
      ['severity', { severity: 'HIGH' }, `severity = 'high'`],
      ['causeType', { causeType: 'SYSTEM' }, `cause_type = 'SYSTEM'`],
      ['sourceRunId', { sourceRunId: 'run-5' }, `source_run_id = 'run-5'`],
      ['category', { category: 'budget' }, `category = 'budget'`],
      ['created range (inclusive)', { createdAfter: at(9), createdBefore: at(33) }, range('created_at', at(9), at(33))],
      [
        'combined',
        { lifecycleState: 'ACTIVE', category: 'policy', createdBefore: at(40) },
        `lifecycle_state = 'ACTIVE' AND category = 'policy' AND created_at <= '${at(40)}'`,
      ],
    ],
  },
  {
    field: 'policyActivations',
    doc: PolicyActivations,
    table: 'policy_activation_audit',
    key: 'id::text',
    visibleTo: own,
    sorts: { ACTIVATED_AT: 'activated_at', CREATED_AT: 'created_at' },
    filters: [
      ['policyId', { policyId: 'pol-2' }, `policy_id = 'pol-2'`],
      ['sourcePatternId', { sourcePatternId: 'pat-4' }, `source_pattern_id = 'pat-4'`],
      ['approvalPath', { approvalPath: 'human:alice' }, `approval_path = 'human:alice'`],
      ['activated range (inclusive)', { activatedAfter: at(600), activatedBefore: at(1800) }, range('activated_at', at(600), at(1800))],
      [
        'combined',
        { policyId: 'pol-1', approvalPath: 'auto', activatedBefore: at(2400) },
        `policy_id = 'pol-1' AND approval_path = 'auto' AND activated_at <= '${at(2400)}'`,
      ],
    ],
  },
];

/** The key a node's Relay ID wraps: "Type:key" in base64. */
const keyOf = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').replace(/^[A-Za-z]+:/, '');

async function expected(spec: ListSpec, tenant: string, where = 'true', column = Object.values(spec.sorts)[0]!, dir: 'ASC' | 'DESC' = 'DESC') {
  const rows = await sql<{ k: string }>(
    env.db,
    `SELECT ${spec.key} AS k FROM ${spec.table} WHERE ${spec.visibleTo(tenant)} AND ${where} ORDER BY ${column} ${dir}, id ${dir}`,
  );
  return rows.map((r) => r.k);
}

/** Walks every page of a list; checks page sizes, the page flags and totalCount on each page. */
async function walk(spec: ListSpec, variables: Record<string, unknown>, apiKey: string, opts: { backward?: boolean; size?: number } = {}) {
  const size = opts.size ?? 7;
  const keys: string[] = [];
  let cursor: string | null = null;
  let total: number | undefined;
  for (let pages = 1; ; pages++) {
    expect(pages).toBeLessThan(100);
    const page: Record<string, unknown> = opts.backward ? { last: size, before: cursor } : { first: size, after: cursor };
    const res = await gql(env.app, spec.doc, { ...variables, ...page }, apiKey);
    expect(res.errors).toBeUndefined();
    const conn: Connection = (res.data as Record<string, Connection>)[spec.field]!;
    expect(conn.edges.length).toBeLessThanOrEqual(size);
    total ??= conn.totalCount;
    expect(conn.totalCount).toBe(total);
    const got = conn.edges.map((e) => keyOf(e.node.id));
    const more = opts.backward ? conn.pageInfo.hasPreviousPage : conn.pageInfo.hasNextPage;
    if (more) expect(got).toHaveLength(size);
    if (opts.backward) keys.unshift(...got);
    else keys.push(...got);
    if (!more) return { keys, total: total! };
    cursor = (opts.backward ? conn.pageInfo.startCursor : conn.pageInfo.endCursor) ?? null;
  }
}

describe.each(LISTS)('$field', (spec) => {
  const a = () => env.a;
  const directions = ['DESC', 'ASC'] as const;

  for (const [field, column] of Object.entries(spec.sorts)) {
    for (const direction of directions) {
      it(`walks every page sorted ${field} ${direction}, forward and backward, in SQL order`, async () => {
        const want = await expected(spec, a().tenantId, 'true', column, direction);
        expect(want.length).toBeGreaterThan(100);
        const sort = { field, direction };
        const forward = await walk(spec, { sort }, a().read);
        expect(forward.keys).toEqual(want);
        expect(forward.total).toBe(want.length);
        const backward = await walk(spec, { sort }, a().read, { backward: true });
        expect(backward.keys).toEqual(want);
      });
    }
  }

  it('defaults to 50 per page, newest first, and the default sort', async () => {
    const res = await gql(env.app, spec.doc, {}, a().read);
    expect(res.errors).toBeUndefined();
    const conn = (res.data as Record<string, Connection>)[spec.field]!;
    expect(conn.edges.map((e) => keyOf(e.node.id))).toEqual((await expected(spec, a().tenantId)).slice(0, 50));
    expect(conn.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it.each(spec.filters)('B7: filter %s: the pages and totalCount match SQL with the same predicate', async (_name, filter, where) => {
    const want = await expected(spec, a().tenantId, where);
    expect(want.length).toBeGreaterThan(0);
    const got = await walk(spec, { filter }, a().read, { size: 40 });
    expect(got.keys).toEqual(want);
    expect(got.total).toBe(want.length);
  });

  it("shows tenant b only its own rows (and global ones), never tenant a's", async () => {
    const want = await expected(spec, env.b.tenantId);
    const got = await walk(spec, {}, env.b.read, { size: 50 });
    expect(got.keys).toEqual(want);
    expect(got.total).toBe(want.length);
    const aOnly = new Set(await sql<{ k: string }>(env.db, `SELECT ${spec.key} AS k FROM ${spec.table} WHERE tenant_id = $1`, [a().tenantId]).then((r) => r.map((x) => x.k)));
    expect(got.keys.filter((k) => aOnly.has(k))).toEqual([]);
  });

  it('refuses first: 101 and last: 101 with BAD_USER_INPUT, and accepts 100', async () => {
    for (const size of [{ first: 101 }, { last: 101 }]) {
      const res = await gql(env.app, spec.doc, size, a().read);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions!.field).toBe(Object.keys(size)[0]);
    }
    const ok = await gql(env.app, spec.doc, { first: 100 }, a().read);
    expect(ok.errors).toBeUndefined();
    expect((ok.data as Record<string, Connection>)[spec.field]!.edges).toHaveLength(100);
  });

  it('refuses forged cursors with BAD_USER_INPUT', async () => {
    const sortKey = (await firstPage(spec, {})).cursorSort;
    const forged = [
      'not-a-cursor',
      Buffer.from('{"s":1}').toString('base64url'),
      encode(sortKey, 'yesterday', '00000000-0000-4000-8000-000000000000'),
      encode(sortKey, at(0), "x' OR 1=1 --"),
    ];
    for (const cursor of forged) {
      for (const arg of ['after', 'before'] as const) {
        const res = await gql(env.app, spec.doc, { [arg]: cursor }, a().read);
        expect(codeOf(res), `${arg}: ${cursor}`).toBe('BAD_USER_INPUT');
        expect(res.errors![0]!.extensions!.field).toBe(arg);
      }
    }
  });

  it('refuses a cursor from another sort with BAD_USER_INPUT', async () => {
    const fields = Object.keys(spec.sorts);
    // Lists with a single sort field get a cursor of another list's sort instead.
    const foreign = fields.length > 1 ? { sort: { field: fields[1], direction: 'DESC' } } : {};
    const source = fields.length > 1 ? spec : LISTS.find((l) => Object.keys(l.sorts)[0] !== fields[0])!;
    const { endCursor } = await firstPage(source, foreign);
    const res = await gql(env.app, spec.doc, { after: endCursor }, a().read);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.message).toMatch(/belongs to sort/);
  });
});

const encode = (s: string, v: string, id: string) => Buffer.from(JSON.stringify({ s, v, id })).toString('base64url');

async function firstPage(spec: ListSpec, variables: Record<string, unknown>) {
  const res = await gql(env.app, spec.doc, { ...variables, first: 3 }, env.a.read);
  expect(res.errors).toBeUndefined();
  const endCursor = (res.data as Record<string, Connection>)[spec.field]!.pageInfo.endCursor!;
  return { endCursor, cursorSort: (JSON.parse(Buffer.from(endCursor, 'base64url').toString('utf8')) as { s: string }).s };
}

describe('B26: ledger entries sharing a timestamp', () => {
  it('are neither skipped nor repeated across pages, in every sort', async () => {
    const spec = LISTS.find((l) => l.field === 'auditEntries')!;
    for (const [field, column] of Object.entries(spec.sorts)) {
      for (const direction of ['ASC', 'DESC'] as const) {
        const got = await walk(spec, { filter: { correlationId: 'b26-tie' }, sort: { field, direction } }, env.a.read, { size: 3 });
        expect(new Set(got.keys).size).toBe(B26_TIES);
        expect(got.keys).toEqual(await expected(spec, env.a.tenantId, `correlation_id = 'b26-tie'`, column, direction));
      }
    }
  });
});

describe('systemRecordByCorrelation', () => {
  beforeAll(async () => {
    // Same instant for a tenant row and a global row: the id decides, in both tenants' views.
    const when = '2026-02-01T00:00:00.000Z';
    await sql(
      env.db,
      `INSERT INTO system_records (tenant_id, component, event_type, severity, summary, correlation_id, created_at) VALUES
         ($1, 'worker', 'ERROR', 'WARN', 'a later', 'run-snap', $3::timestamptz + interval '1 second'),
         ($1, 'worker', 'ERROR', 'WARN', 'a tie', 'run-snap', $3),
         ($1, 'api', 'STARTUP', 'INFO', 'a only', 'run-a-only', $3),
         ($2, 'api', 'STARTUP', 'INFO', 'b later', 'run-snap', $3::timestamptz + interval '1 minute')`,
      [env.a.tenantId, env.b.tenantId, when],
    );
    await sql(env.db, `INSERT INTO global_system_records (component, event_type, severity, summary, correlation_id, created_at) VALUES ('db', 'RESTART', 'INFO', 'global tie', 'run-snap', $1)`, [when]);
  });

  it('returns the earliest tenant-or-global record, ties broken by id', async () => {
    for (const tenant of [env.a, env.b]) {
      const [want] = await sql<{ id: string }>(
        env.db,
        `SELECT id::text AS id FROM ${ALL_SYSTEM_RECORDS} WHERE correlation_id = 'run-snap' AND (tenant_id = $1 OR tenant_id IS NULL)
         ORDER BY created_at, id LIMIT 1`,
        [tenant.tenantId],
      );
      const res = await gql(env.app, SystemRecordByCorrelation, { correlationId: 'run-snap' }, tenant.read);
      expect(res.errors).toBeUndefined();
      expect(keyOf(res.data!.systemRecordByCorrelation!.id)).toBe(want!.id);
    }
  });

  it("answers null for another tenant's correlation id and for an unknown one", async () => {
    const mine = await gql(env.app, SystemRecordByCorrelation, { correlationId: 'run-a-only' }, env.a.read);
    expect(mine.data!.systemRecordByCorrelation).toMatchObject({ summary: 'a only', isGlobal: false });
    for (const [key, id] of [[env.b.read, 'run-a-only'], [env.a.read, 'run-nobody']] as const) {
      const res = await gql(env.app, SystemRecordByCorrelation, { correlationId: id }, key);
      expect(res.errors).toBeUndefined();
      expect(res.data!.systemRecordByCorrelation).toBeNull();
    }
  });

  it('refuses an empty correlation id with BAD_USER_INPUT', async () => {
    const res = await gql(env.app, SystemRecordByCorrelation, { correlationId: '' }, env.a.read);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
  });
});

describe('governanceEvents', () => {
  const GOV = 'tenant-gov';
  let key: string;
  const GOVERNANCE = `entity_type IN ('POLICY_RULE','LIMIT','POLICY_PROPOSAL','INCIDENT')`;
  const spec: ListSpec = {
    field: 'governanceEvents',
    doc: GovernanceEvents,
    table: 'audit_ledger',
    key: 'id::text',
    visibleTo: own,
    sorts: { CREATED_AT: 'created_at' },
    filters: [],
  };

  beforeAll(async () => {
    await env.stores.tenants.create(GOV, 'Governance tenant');
    key = (await env.stores.tenants.createKey(GOV, ['read'], 'read')).key;
    const append = (input: Parameters<typeof env.stores.auditLedger.append>[1]) => env.stores.auditLedger.append(GOV, input);
    const base = { eventType: 'LimitBreached', entityType: 'LIMIT', entityId: 'limit-1', actorType: 'SYSTEM' } as const;
    // The old matches, one per way of naming the run…
    await append({ ...base, beforeState: { run_id: 'run-old' } });
    await append({ ...base, entityType: 'POLICY_RULE', eventType: 'PolicyRuleModified', beforeState: { source_run_id: 'run-old' } });
    await append({ ...base, entityType: 'INCIDENT', eventType: 'IncidentResolved', afterState: { run_id: 'run-old' } });
    await append({ ...base, entityType: 'POLICY_PROPOSAL', eventType: 'PolicyProposalApproved', afterState: { source_run_id: 'run-old' } });
    await append({ ...base, correlationId: 'run-old' });
    // …one that names the run but is no governance event…
    await append({ ...base, entityType: 'SIGNAL', eventType: 'SignalEscalated', afterState: { run_id: 'run-old' } });
    // …then more than 100 newer governance events about other runs.
    for (let i = 0; i < 130; i++) await append({ ...base, afterState: { run_id: `run-new-${i % 4}` }, correlationId: `run-new-${i % 4}` });
  });

  it('B11: finds matches older than the 100 newest governance events', async () => {
    const want = await expected(spec, GOV, `${GOVERNANCE} AND 'run-old' IN (before_state->>'run_id', before_state->>'source_run_id', after_state->>'run_id', after_state->>'source_run_id', correlation_id)`);
    expect(want).toHaveLength(5);
    const res = await gql(env.app, GovernanceEvents, { runId: 'run-old' }, key);
    expect(res.errors).toBeUndefined();
    expect(res.data!.governanceEvents.totalCount).toBe(5);
    expect(res.data!.governanceEvents.edges.map((e) => e.node.entryId)).toEqual(want);
    expect(res.data!.governanceEvents.edges.map((e) => e.node.entityType)).not.toContain('SIGNAL');
  });

  it('walks every page forward and backward, newest first, without non-governance entries', async () => {
    const want = await expected(spec, GOV, GOVERNANCE);
    expect(want.length).toBe(135);
    const forward = await walk(spec, {}, key);
    expect(forward.keys).toEqual(want);
    expect(forward.total).toBe(135);
    expect((await walk(spec, {}, key, { backward: true })).keys).toEqual(want);
    const oneRun = await expected(spec, GOV, `${GOVERNANCE} AND after_state->>'run_id' = 'run-new-2'`);
    const filtered = await walk(spec, { runId: 'run-new-2' }, key, { size: 5 });
    expect(filtered.keys).toEqual(oneRun);
    expect(filtered.total).toBe(oneRun.length);
  });

  it("shows another tenant none of this tenant's events", async () => {
    const res = await gql(env.app, GovernanceEvents, { runId: 'run-old' }, env.a.read);
    expect(res.data!.governanceEvents).toMatchObject({ totalCount: 0, edges: [] });
  });

  it('refuses first: 101 and a forged cursor with BAD_USER_INPUT', async () => {
    expect(codeOf(await gql(env.app, GovernanceEvents, { first: 101 }, key))).toBe('BAD_USER_INPUT');
    const forged = encode('createdAt', at(0), 'not-a-uuid');
    expect(codeOf(await gql(env.app, GovernanceEvents, { after: forged }, key))).toBe('BAD_USER_INPUT');
  });
});

describe('policyActivationHistory', () => {
  it('still answers the newest activations of one policy', async () => {
    const res = await gql(env.app, `query { policyActivationHistory(policyId: "pol-3") { id } }`, {}, env.a.read);
    expect(res.errors).toBeUndefined();
    const want = await sql<{ id: string }>(
      env.db,
      `SELECT id::text AS id FROM policy_activation_audit WHERE tenant_id = $1 AND policy_id = 'pol-3' ORDER BY activated_at DESC, id DESC LIMIT 100`,
      [env.a.tenantId],
    );
    expect((res.data!.policyActivationHistory as { id: string }[]).map((r) => keyOf(r.id))).toEqual(want.map((r) => r.id));
  });
});
